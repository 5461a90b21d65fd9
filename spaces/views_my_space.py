"""The founders' page of their startups' space: allocations (and who pays), live offers to
accept or decline before they expire, and a waiting request's place in the waiting list.
Another startup's request is a 404."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from startups.models import Startup

from . import selectors
from .enums import RequestStatus
from .services import requests

#: The requests the page shows: those still waiting or holding an offer.
OPEN = (RequestStatus.WAITING, RequestStatus.OFFERED)


def _by_startup(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.startup_id].append(row)
    return grouped


@login_required
def my_space(request):
    """One section per startup of the user, in three queries whatever their number."""
    startups = list(Startup.objects.filter(memberships__user=request.user).order_by("name", "id").distinct())
    allocations = _by_startup(selectors.allocations_of_member(request.user))
    open_requests = _by_startup(selectors.requests_of_member(request.user).filter(status__in=OPEN))
    sections = [
        {"startup": s, "allocations": allocations.get(s.pk, []), "requests": open_requests.get(s.pk, [])}
        for s in startups
    ]
    return render(request, "spaces/my_space.html", {"sections": sections, "now": timezone.now()})


def _answer(request, pk, service, done: str):
    space_request = get_object_or_404(selectors.requests_of_member(request.user), pk=pk)
    try:
        service(space_request=space_request, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("my_space:index")


@login_required
@require_POST
def offer_accept(request, pk):
    return _answer(request, pk, requests.offer_accept, _("The offer is accepted: the unit is yours for the period."))


@login_required
@require_POST
def offer_decline(request, pk):
    return _answer(request, pk, requests.offer_decline, _("The offer is declined."))
