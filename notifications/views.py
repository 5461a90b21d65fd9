"""The user's notifications: the list, and marking them read (POST)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PER_PAGE = 30


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "notifications": page.object_list})


@login_required
@require_POST
def mark_read(request, pk):
    """Marks one of the user's notifications read, then opens what it links to ("open") or
    returns to the list."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    link = notification.link
    if (
        request.POST.get("open")
        and link
        and url_has_allowed_host_and_scheme(
            link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(link)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(by=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")
