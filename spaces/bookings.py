"""Meeting-room bookings: never two holding one room at once, under any concurrency.

A booking holds its room on [starts_at, ends_at) (half-open: back-to-back bookings both hold)
while it is `booked` or `checked_in`. On PostgreSQL the exclusion constraint
`booking_no_overlap` guarantees it: an overlapping insert fails, the transaction is rolled
back, and the 409 names the periods taken. On SQLite the service checks before it inserts, and
every write transaction is IMMEDIATE (settings), so the check cannot interleave with another
writer.

booked -> checked_in (from NO_SHOW_MINUTES before the start until NO_SHOW_MINUTES after it)
booked -> cancelled (a member or a manager, before it ends)
booked -> no_show (the beat task, NO_SHOW_MINUTES after the start without a check-in)
"""

import contextlib
import datetime
import uuid

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput, NotPermitted, StateConflict
from startups.rules import is_member

from . import booking_selectors as selectors
from . import week_cache
from .booking_rules import manages_site_of
from .enums import UnitKind
from .models import BOOKING_NO_OVERLAP, BookingStatus, RoomBooking, Unit

#: A booking not checked in this long after its start is released.
NO_SHOW_MINUTES = 15
#: The most occurrences of one weekly recurrence.
MAX_WEEKS = 26
#: Bookings start and end on a whole quarter of an hour.
SLOT_MINUTES = 15

TRANSITIONS = {
    BookingStatus.BOOKED: {BookingStatus.CHECKED_IN, BookingStatus.CANCELLED, BookingStatus.NO_SHOW},
    BookingStatus.CHECKED_IN: set(),
    BookingStatus.CANCELLED: set(),
    BookingStatus.NO_SHOW: set(),
}


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def period_text(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str:
    start, end = _local(starts_at), _local(ends_at)
    return _("%(day)s from %(start)s to %(end)s") % {
        "day": date_format(start.date(), "DATE_FORMAT"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
    }


def _taken_message(booking: RoomBooking) -> str:
    return _("The room is already booked on %(period)s (%(start)s/%(end)s).") % {
        "period": period_text(booking.starts_at, booking.ends_at),
        "start": _local(booking.starts_at).isoformat(),
        "end": _local(booking.ends_at).isoformat(),
    }


def _clean_times(unit: Unit, starts_at, ends_at, *, now: datetime.datetime) -> None:
    """400 unless [starts_at, ends_at) lies within one bookable day of the room's site, in the
    future and within the site's longest advance."""
    if starts_at is None or ends_at is None:
        raise InvalidInput(_("Give when the booking starts and ends."), field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput(_("Give the times with their offset."), field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput(_("A booking must end after it starts."), field="ends_at")
    site = unit.site
    start, end = _local(starts_at), _local(ends_at)
    for moment, field in ((start, "starts_at"), (end, "ends_at")):
        if moment.minute % SLOT_MINUTES or moment.second or moment.microsecond:
            raise InvalidInput(
                _("Bookings start and end on a quarter of an hour (:00, :15, :30, :45)."), field=field
            )
    if start.date() != end.date() or start.time() < site.bookable_from or end.time() > site.bookable_until:
        raise InvalidInput(
            _("The site's rooms can be booked from %(from)s to %(until)s on one day.")
            % {"from": site.bookable_from.strftime("%H:%M"), "until": site.bookable_until.strftime("%H:%M")},
            field="starts_at",
        )
    weekdays = site.bookable_weekdays if site.bookable_weekdays else []
    if start.weekday() not in weekdays:
        raise InvalidInput(_("The site's rooms cannot be booked on that day of the week."), field="starts_at")
    if starts_at < now:
        raise InvalidInput(_("A booking cannot start in the past."), field="starts_at")
    if start.date() > timezone.localdate(now) + datetime.timedelta(days=site.max_advance_days):
        raise InvalidInput(
            _("The site's rooms can be booked at most %(days)s days ahead.") % {"days": site.max_advance_days},
            field="starts_at",
        )


def _check_may_book(unit: Unit, startup, days: list[datetime.date], by) -> None:
    """Two queries at most, however many weeks: the membership, and the startup's allocations
    at the site over the days."""
    if manages_site_of(by, unit.site):
        return
    if not is_member(by, startup):
        raise NotPermitted(_("Only the startup's members or the site's managers book for it."))
    if selectors.days_without_allocation(startup.pk, unit.site_id, days):
        raise NotPermitted(_("Only startups with space at this site on that day book its rooms."))


def _conflict(unit: Unit, periods) -> StateConflict:
    """The 409 naming every holding booking of the room that overlaps one of `periods`."""
    clashes = [clash for start, end in periods for clash in selectors.overlapping_bookings(unit.pk, start, end)]
    if not clashes:  # pragma: no cover - the other writer's row is committed when we fail
        return StateConflict(_("The room is already booked for part of this time."))
    return StateConflict(" ".join(dict.fromkeys(_taken_message(clash) for clash in clashes)))


def occurrences(starts_at, ends_at, weeks: int) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The weekly occurrences, keeping the local wall-clock time across offset changes."""
    start, end = _local(starts_at), _local(ends_at)
    tz = timezone.get_current_timezone()
    result = []
    for week in range(weeks):
        shift = datetime.timedelta(weeks=week)
        result.append(
            (
                (start.replace(tzinfo=None) + shift).replace(tzinfo=tz),
                (end.replace(tzinfo=None) + shift).replace(tzinfo=tz),
            )
        )
    return result


def _database_refuses_overlaps() -> bool:
    """PostgreSQL holds the exclusion constraint, so an insert that overlaps fails there (and
    booking_create answers it after the rollback); elsewhere the service checks first, inside
    the IMMEDIATE transaction."""
    return connection.vendor == "postgresql"


def booking_create(
    *, unit: Unit, startup, starts_at: datetime.datetime, ends_at: datetime.datetime, weeks: int = 1, by
) -> list[RoomBooking]:
    """Book a meeting room for a startup, once or weekly for `weeks` weeks: all occurrences or
    none.

    400 for a unit that is not a meeting room, times outside the site's bookable hours and days,
    in the past or beyond its longest advance; 403 unless `by` manages the site or is a member of
    a startup with an allocation at the site on each occurrence's day; 409 naming every
    occurrence that overlaps a holding booking of the room.

    Side effects: the bookings (sharing a new `recurrence` id when weekly), the site's week
    calendars drawn afresh. Returns them, in order.
    """
    try:
        # One occurrence on PostgreSQL is one INSERT, a transaction of its own that the exclusion
        # constraint decides: BEGIN and COMMIT would be two more round trips of every booking.
        # Weekly ones are all or none, SQLite's check must share the IMMEDIATE transaction, and
        # inside a caller's transaction a savepoint keeps it usable for the 409's query.
        alone = weeks == 1 and _database_refuses_overlaps() and not connection.in_atomic_block
        with contextlib.nullcontext() if alone else transaction.atomic():
            return _book(unit=unit, startup=startup, starts_at=starts_at, ends_at=ends_at, weeks=weeks, by=by)
    except IntegrityError as exc:
        # A concurrent booking the check could not see yet (PostgreSQL's exclusion constraint):
        # the transaction is rolled back whole, and the 409 names what the other writer took.
        if BOOKING_NO_OVERLAP not in str(exc):
            raise
        raise _conflict(unit, occurrences(starts_at, ends_at, weeks)) from exc


def _book(*, unit: Unit, startup, starts_at, ends_at, weeks: int, by) -> list[RoomBooking]:
    """The checks and the inserts, in the caller's transaction (without a savepoint per row: a
    booking is a write request of a few statements, bench/space_bookings.py)."""
    if unit.kind != UnitKind.MEETING_ROOM:
        raise InvalidInput(_("Only meeting rooms are booked."), field="unit")
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(_("Repeat a booking for 1 to %(n)s weeks.") % {"n": MAX_WEEKS}, field="weeks")
    now = timezone.now()
    periods = occurrences(starts_at, ends_at, weeks)
    for start, end in periods:
        _clean_times(unit, start, end, now=now)
    _check_may_book(unit, startup, [_local(start).date() for start, _end in periods], by)
    if not _database_refuses_overlaps() and any(
        selectors.overlapping_bookings(unit.pk, start, end).exists() for start, end in periods
    ):
        raise _conflict(unit, periods)
    recurrence = uuid.uuid4() if weeks > 1 else None
    created = [
        RoomBooking.objects.create(
            unit=unit, startup=startup, starts_at=start, ends_at=end, recurrence=recurrence, created_by=by
        )
        for start, end in periods
    ]
    week_cache.forget_weeks([unit.site_id])
    return created


def _lock(booking: RoomBooking) -> RoomBooking:
    return RoomBooking.objects.select_for_update().select_related("unit__site", "startup").get(pk=booking.pk)


def _check_may_act(booking: RoomBooking, by) -> None:
    if not (manages_site_of(by, booking.unit.site) or is_member(by, booking.startup)):
        raise NotPermitted(_("Only the startup's members or the site's managers change its bookings."))


def _move(booking: RoomBooking, target: str, **fields) -> RoomBooking:
    if target not in TRANSITIONS[booking.status]:
        raise StateConflict(
            _("This booking is %(status)s; it cannot be changed so.") % {"status": booking.get_status_display()}
        )
    booking.status = target
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *fields])
    week_cache.forget_weeks([booking.unit.site_id])
    return booking


@transaction.atomic
def booking_cancel(*, booking: RoomBooking, by) -> RoomBooking:
    """A member of the startup or a manager of the site cancels a booking before it ends: the
    time is free. Cancelling it again changes nothing; a booking that ended, was checked in or
    released is a 409.

    Side effects: `status` cancelled and `cancelled_at`, the site's week calendars drawn afresh."""
    booking = _lock(booking)
    _check_may_act(booking, by)
    if booking.status == BookingStatus.CANCELLED:
        return booking
    now = timezone.now()
    if booking.ends_at <= now:
        raise StateConflict(_("This booking has ended; it cannot be cancelled."))
    return _move(booking, BookingStatus.CANCELLED, cancelled_at=now)


@transaction.atomic
def booking_check_in(*, booking: RoomBooking, by, now: datetime.datetime | None = None) -> RoomBooking:
    """The startup arrives: from NO_SHOW_MINUTES before the start until NO_SHOW_MINUTES after
    it (later, the room has been released). Checking in again changes nothing.

    Side effects: `status` checked_in and `checked_in_at`, the site's week calendars drawn
    afresh."""
    booking = _lock(booking)
    _check_may_act(booking, by)
    if booking.status == BookingStatus.CHECKED_IN:
        return booking
    now = now or timezone.now()
    window = datetime.timedelta(minutes=NO_SHOW_MINUTES)
    if booking.status == BookingStatus.BOOKED and not (
        booking.starts_at - window <= now < min(booking.starts_at + window, booking.ends_at)
    ):
        raise StateConflict(
            _("Check in from %(minutes)s minutes before the start until %(minutes)s minutes after it.")
            % {"minutes": NO_SHOW_MINUTES}
        )
    return _move(booking, BookingStatus.CHECKED_IN, checked_in_at=now)


@transaction.atomic
def bookings_release_no_shows(*, now: datetime.datetime | None = None, by=None) -> int:
    """Release every booking not checked in NO_SHOW_MINUTES after its start (beat): the room is
    free for the rest of the time. A guarded update: a booking checked in meanwhile stays.

    Side effects: those bookings `no_show`, their sites' week calendars drawn afresh. Returns
    how many."""
    now = now or timezone.now()
    no_shows = RoomBooking.objects.filter(
        status=BookingStatus.BOOKED, starts_at__lte=now - datetime.timedelta(minutes=NO_SHOW_MINUTES)
    )
    week_cache.forget_weeks(no_shows.values_list("unit__site_id", flat=True).distinct())
    return no_shows.update(status=BookingStatus.NO_SHOW)
