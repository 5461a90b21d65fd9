"""Startup pages. Reads come from the selectors, writes go through the services, and who may
do what is asked of the rules (startups/rules.py), exactly as the API does.

A startup the user may not see is a 404 (it comes from `startups_visible_to`); one they may
see but not change is a 403.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import InvalidInput
from core.views import require_perm

from . import selectors, services
from .forms import MemberAddForm, ReportForm, StartupCreateForm, StartupEditForm

STARTUPS_PER_PAGE = 20
REPORTS_PER_PAGE = 24


def _startup(request, pk, perm="startups.view_startup"):
    startup = get_object_or_404(selectors.startups_visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, startup):
        raise PermissionDenied
    return startup


@login_required
def startup_list(request):
    """A founder's own startups, or every startup for the incubator's staff."""
    page = Paginator(selectors.startups_visible_to(request.user), STARTUPS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "startups": page.object_list,
        "can_add": request.user.has_perm("startups.add_startup"),
    }
    return render(request, "startups/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def startup_create(request):
    require_perm(request.user, "startups.add_startup")
    form = StartupCreateForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            startup = services.startup_create(**form.cleaned_data, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Startup “%(name)s” is registered.") % {"name": startup.name})
            return redirect("startups:detail", pk=startup.pk)
    return render(request, "startups/form.html", {"form": form, "startup": None})


@login_required
def startup_detail(request, pk):
    startup = _startup(request, pk)
    context = {
        "startup": startup,
        "tab": "overview",
        "can_change": request.user.has_perm("startups.change_startup", startup),
    }
    return render(request, "startups/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def startup_edit(request, pk):
    startup = _startup(request, pk, "startups.change_startup")
    form = StartupEditForm(
        request.POST if request.method == "POST" else None,
        initial=model_to_dict(startup, fields=services.EDITABLE_FIELDS),
    )
    if form.is_bound and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.startup_update(startup=startup, **changes, by=request.user)
        except InvalidInput as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The startup's details are saved."))
            return redirect("startups:detail", pk=startup.pk)
    return render(request, "startups/form.html", {"form": form, "startup": startup})


def _panel_or_page(request, startup, panel, context):
    """htmx swaps only the panel; a plain request gets the whole page."""
    context = {"startup": startup, **context}
    if request.htmx:
        return render(request, f"startups/_{panel}_panel.html", context)
    can_change = request.user.has_perm("startups.change_startup", startup)
    return render(request, f"startups/{panel}.html", {"tab": panel, "can_change": can_change, **context})


@login_required
@require_http_methods(["GET", "POST"])
def startup_members(request, pk):
    """The members; an owner adds a co-founder by username."""
    startup = _startup(request, pk)
    can_add = request.user.has_perm("startups.add_membership", startup)
    form = None
    if request.method == "POST":
        require_perm(request.user, "startups.add_membership", startup)
        form = MemberAddForm(request.POST)
        if form.is_valid():
            try:
                membership = services.membership_add(startup=startup, **form.cleaned_data, by=request.user)
            except InvalidInput as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("%(username)s is now a member.") % {"username": membership.user.username}
                )
                if not request.htmx:
                    return redirect("startups:members", pk=startup.pk)
                form = None
    if can_add and form is None:
        form = MemberAddForm()
    context = {"memberships": selectors.memberships_of(startup), "form": form, "can_add": can_add}
    return _panel_or_page(request, startup, "members", context)


@login_required
@require_http_methods(["GET", "POST"])
def startup_reports(request, pk):
    """The monthly financial reports, newest first; a member files the next one."""
    startup = _startup(request, pk)
    can_file = request.user.has_perm("startups.add_monthlyreport", startup)
    form = None
    if request.method == "POST":
        require_perm(request.user, "startups.add_monthlyreport", startup)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_file(startup=startup, **form.cleaned_data, by=request.user)
            except InvalidInput as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    _("The report for %(month)s is filed.") % {"month": report.period.strftime("%Y-%m")},
                )
                if not request.htmx:
                    return redirect("startups:reports", pk=startup.pk)
                form = None
    if can_file and form is None:
        form = ReportForm()
    page = Paginator(selectors.reports_of(startup).select_related("filed_by"), REPORTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "reports": page.object_list,
        "form": form,
        "can_file": can_file,
        "currency": settings.CURRENCY,
    }
    return _panel_or_page(request, startup, "reports", context)
