"""Space requests: created by an approved space letter, offered a unit by a confirmed run,
accepted (an allocation), declined or expired.

    waiting -> offered -> allocated | cancelled (declined) | expired (the claim window passed)
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotPermitted, StateConflict
from notifications.services import Notice, notify_all
from startups.rules import is_member

from ..enums import RequestStatus
from ..models import Allocation, SpaceAsk, SpaceRequest
from .allocations import insert_allocation


def offer_days() -> int:
    return int(getattr(settings, "SPACE_OFFER_DAYS", 5))


def request_create(*, letter, ask: SpaceAsk, notices=(), by=None) -> SpaceRequest:
    """An approved space letter's request joins the waiting list (inside the approval's
    transaction).

    Side effects: creates the waiting request; sends the decision's notices."""
    notify_all(notices)
    return SpaceRequest.objects.create(
        letter=letter,
        startup=letter.startup,
        kind=ask.kind,
        seats=ask.seats,
        starts_on=ask.starts_on,
        ends_on=ask.ends_on,
        site=ask.site,
        status=RequestStatus.WAITING,
        waiting_since=timezone.now(),
    )


def _locked(space_request: SpaceRequest) -> SpaceRequest:
    return (
        SpaceRequest.objects.select_for_update(of=("self",))
        .select_related("offer_unit", "offer_unit__site", "startup")
        .get(pk=space_request.pk)
    )


def _expired(space_request: SpaceRequest, now: datetime.datetime) -> bool:
    return space_request.status == RequestStatus.OFFERED and space_request.offer_expires_at <= now


def _expire(space_request: SpaceRequest) -> None:
    space_request.status = RequestStatus.EXPIRED
    space_request.save(update_fields=["status", "updated_at"])


def _answer(space_request: SpaceRequest, *, by, accept: bool):
    """The founder's answer inside one transaction; returns the request, or None when the offer
    had expired (then marked `expired`, which the caller keeps and reports as a 409)."""
    with transaction.atomic():
        space_request = _locked(space_request)
        if not is_member(by, space_request.startup):
            raise NotPermitted(_("Only a member of the startup answers its offer."))
        target = RequestStatus.ALLOCATED if accept else RequestStatus.CANCELLED
        if space_request.status == target:
            return space_request
        if _expired(space_request, timezone.now()):
            _expire(space_request)
            return None
        if space_request.status != RequestStatus.OFFERED:
            raise StateConflict(
                _("This request has no open offer (it is %(status)s).") % {"status": space_request.get_status_display()}
            )
        if accept:
            insert_allocation(
                unit=space_request.offer_unit,
                startup=space_request.startup,
                starts_on=space_request.starts_on,
                ends_on=space_request.ends_on,
                request=space_request,
                by=by,
            )
        space_request.status = target
        space_request.save(update_fields=["status", "updated_at"])
        return space_request


def _expired_conflict(space_request: SpaceRequest):
    return StateConflict(
        _("The offer expired on %(when)s; the request keeps no unit.")
        % {"when": timezone.localtime(space_request.offer_expires_at).strftime("%Y-%m-%d %H:%M")}
    )


def offer_accept(*, space_request: SpaceRequest, by) -> SpaceRequest:
    """A member of the startup accepts the offer before it expires.

    Side effects: creates the allocation of the offered unit for the request's dates; the
    request becomes `allocated`. An expired offer is a 409, and the request becomes `expired`
    (that change is kept)."""
    answered = _answer(space_request, by=by, accept=True)
    if answered is None:
        raise _expired_conflict(SpaceRequest.objects.get(pk=space_request.pk))
    return answered


def offer_decline(*, space_request: SpaceRequest, by) -> SpaceRequest:
    """A member of the startup declines the offer: the request is `cancelled`, the unit free
    for the next run. An expired offer is a 409 (the request becomes `expired`)."""
    answered = _answer(space_request, by=by, accept=False)
    if answered is None:
        raise _expired_conflict(SpaceRequest.objects.get(pk=space_request.pk))
    return answered


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """The beat task: offers past their claim window become `expired`, freeing their units.
    Idempotent. Returns how many expired.

    Side effects: updates the requests; notifies their startups' members."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            SpaceRequest.objects.select_for_update(skip_locked=True)
            .filter(status=RequestStatus.OFFERED, offer_expires_at__lte=now)
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        SpaceRequest.objects.filter(pk__in=due, status=RequestStatus.OFFERED).update(
            status=RequestStatus.EXPIRED, updated_at=now
        )
        notify_all(_expiry_notices(due))
    return len(due)


def _expiry_notices(request_ids) -> list[Notice]:
    from startups.models import Membership

    members: dict[int, list] = {}
    requests = SpaceRequest.objects.filter(pk__in=request_ids).values_list("pk", "startup_id")
    startup_of = dict(requests)
    for membership in Membership.objects.filter(startup_id__in=set(startup_of.values())).select_related("user"):
        members.setdefault(membership.startup_id, []).append(membership.user)
    return [
        Notice(
            recipients=members.get(startup_id, []),
            subject=_("Your space offer has expired"),
            body=_("The offered unit was not accepted in time and goes to the next allocation run."),
        )
        for startup_id in startup_of.values()
    ]


def allocation_of(space_request: SpaceRequest) -> Allocation | None:
    return Allocation.objects.filter(request=space_request).first()
