"""Allocations: a unit held by a startup on half-open dates, never two overlapping on one unit.

On PostgreSQL the exclusion constraint `allocation_no_overlap` guarantees it under any
concurrency (its violation becomes a 409 naming the period taken); on SQLite every write
transaction is IMMEDIATE, so the check below cannot interleave with another writer.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput, NotPermitted, StateConflict

from .. import selectors
from ..enums import UnitKind
from ..models import ALLOCATION_NO_OVERLAP, Allocation, SpaceRequest, Unit
from ..rules import manages_unit

#: The longest allocation (ten years): a bound on what the input may ask.
MAX_DAYS = 3660


def clean_period(starts_on: datetime.date | None, ends_on: datetime.date | None, *, field: str = "ends_on") -> None:
    if starts_on is None:
        raise InvalidInput(_("Give the first day."), field="starts_on" if field == "ends_on" else field)
    if ends_on is None:
        raise InvalidInput(_("Give the day it ends."), field=field)
    if ends_on <= starts_on:
        raise InvalidInput(_("The period must end after it begins."), field=field)
    if (ends_on - starts_on).days > MAX_DAYS:
        raise InvalidInput(_("A period is at most ten years long."), field=field)


def _taken_message(starts_on: datetime.date, ends_on: datetime.date) -> str:
    return _("The unit is taken from %(start)s until %(end)s.") % {
        "start": starts_on.isoformat(),
        "end": ends_on.isoformat(),
    }


def check_free(unit_id: int, starts_on, ends_on, *, exclude_allocation=None, exclude_request=None) -> None:
    """409 naming the first allocation or live offer of the unit that overlaps the period."""
    clash = selectors.overlapping_allocations(unit_id, starts_on, ends_on, exclude=exclude_allocation).first()
    if clash is not None:
        raise StateConflict(_taken_message(clash.starts_on, clash.ends_on))
    offers = selectors.live_offers().filter(offer_unit_id=unit_id, starts_on__lt=ends_on, ends_on__gt=starts_on)
    if exclude_request is not None:
        offers = offers.exclude(pk=exclude_request)
    offer = offers.order_by("starts_on").first()
    if offer is not None:
        raise StateConflict(_taken_message(offer.starts_on, offer.ends_on))


def insert_allocation(*, unit: Unit, startup, starts_on, ends_on, request: SpaceRequest | None, by) -> Allocation:
    """Check and insert inside the caller's transaction; the constraint's violation (a
    concurrent insert the check could not see yet) is the same 409."""
    check_free(unit.pk, starts_on, ends_on, exclude_request=request.pk if request else None)
    try:
        with transaction.atomic():
            return Allocation.objects.create(
                unit=unit,
                startup=startup,
                request=request,
                starts_on=starts_on,
                ends_on=ends_on,
                planned_ends_on=ends_on,
                created_by=by,
            )
    except IntegrityError as exc:
        if ALLOCATION_NO_OVERLAP not in str(exc):
            raise
        clash = selectors.overlapping_allocations(unit.pk, starts_on, ends_on).first()
        if clash is None:  # pragma: no cover - the other writer's row is committed when we fail
            raise StateConflict(_("The unit is taken for part of this period.")) from exc
        raise StateConflict(_taken_message(clash.starts_on, clash.ends_on)) from exc


@transaction.atomic
def allocation_create(*, unit: Unit, startup, starts_on: datetime.date, ends_on: datetime.date, by) -> Allocation:
    """A space manager gives a startup a desk or an office on [starts_on, ends_on) (it may have
    begun in the past).

    Side effects: creates the allocation; 409 naming the period when it overlaps another of the
    unit (or a live offer of it)."""
    if unit is None:
        raise InvalidInput(_("Choose the unit."), field="unit")
    if startup is None:
        raise InvalidInput(_("Choose the startup."), field="startup")
    if not manages_unit(by, unit):
        raise NotPermitted(_("Only the site's department's space managers and administrators allocate its units."))
    if unit.kind == UnitKind.MEETING_ROOM:
        raise InvalidInput(_("Meeting rooms are booked, not allocated."), field="unit")
    clean_period(starts_on, ends_on)
    return insert_allocation(unit=unit, startup=startup, starts_on=starts_on, ends_on=ends_on, request=None, by=by)


@transaction.atomic
def allocation_end(*, allocation: Allocation, ends_on: datetime.date, by) -> Allocation:
    """The space manager ends an allocation early: it holds its unit until `ends_on` (exclusive).

    Side effects: moves the allocation's end forward and marks it ended early."""
    allocation = Allocation.objects.select_for_update().select_related("unit__site").get(pk=allocation.pk)
    if not manages_unit(by, allocation.unit):
        raise NotPermitted(_("Only the site's department's space managers and administrators end its allocations."))
    if ends_on is None:
        raise InvalidInput(_("Give the day it ends."), field="ends_on")
    if allocation.ends_on == ends_on:
        return allocation
    if ends_on <= allocation.starts_on:
        raise InvalidInput(_("The allocation must end after it begins."), field="ends_on")
    if ends_on > allocation.ends_on:
        raise InvalidInput(
            _("An allocation can only end early: it ends on %(end)s.") % {"end": allocation.ends_on.isoformat()},
            field="ends_on",
        )
    allocation.ends_on = ends_on
    allocation.ended_early = True
    allocation.save(update_fields=["ends_on", "ended_early"])
    return allocation
