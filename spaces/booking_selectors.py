"""Reads of meeting-room bookings and space charges, scoped to what a user may see.

Administrators see all; a space manager the bookings and charges of their department's sites;
a founder those of the startups they belong to.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.enums import RoleCode

from .models import HOLDING_STATUSES, Allocation, BookingStatus, RoomBooking, SpaceCharge


@dataclass(frozen=True)
class WeekEntry:
    """One booking in a week calendar: "10:00–11:30", the startup's name, checked in or not."""

    times: str
    startup: str
    checked_in: bool


def _scope(queryset, user, *, site_path: str):
    if not user.is_authenticated:
        return queryset.none()
    if user.has_role(RoleCode.ADMIN):
        return queryset
    mine = Q(startup__memberships__user=user)
    if user.has_role(RoleCode.SPACE_MANAGER) and user.department_id:
        mine |= Q(**{f"{site_path}__department_id": user.department_id})
    return queryset.filter(mine).distinct()


def bookings_visible_to(user) -> QuerySet[RoomBooking]:
    bookings = RoomBooking.objects.select_related("unit", "unit__site", "startup").order_by("starts_at", "id")
    return _scope(bookings, user, site_path="unit__site")


def charges_visible_to(user) -> QuerySet[SpaceCharge]:
    charges = SpaceCharge.objects.select_related("startup", "site", "unit").order_by(
        "-month", "startup__name", "source", "source_id"
    )
    return _scope(charges, user, site_path="site")


def site_month_charges(user, site, month: datetime.date) -> QuerySet[SpaceCharge]:
    """The charges of `site` in `month` that `user` may see: the finance office's CSV."""
    return charges_visible_to(user).filter(site=site, month=month)


def overlapping_bookings(unit_id: int, starts_at, ends_at) -> QuerySet[RoomBooking]:
    """The holding bookings of the room that overlap [starts_at, ends_at), earliest first."""
    return RoomBooking.objects.filter(
        unit_id=unit_id, status__in=HOLDING_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).order_by("starts_at", "id")


def days_without_allocation(startup_id: int, site_id: int, days: list[datetime.date]) -> list[datetime.date]:
    """Those of `days` on which the startup holds no unit of the site (half-open dates), in one
    query however many days."""
    spans = list(
        Allocation.objects.filter(
            startup_id=startup_id, unit__site_id=site_id, starts_on__lte=max(days), ends_on__gt=min(days)
        ).values_list("starts_on", "ends_on")
    )
    return [day for day in days if not any(starts_on <= day < ends_on for starts_on, ends_on in spans)]


def room_day_bookings(unit_id: int, day_start, day_end) -> list[RoomBooking]:
    """The room's holding bookings between two instants (the free-slot view)."""
    return list(overlapping_bookings(unit_id, day_start, day_end).select_related("startup"))


def free_periods(unit, day: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The room's free periods on `day` within its site's bookable hours (one query)."""
    from django.utils import timezone

    site = unit.site
    if day.weekday() not in (site.bookable_weekdays or []):
        return []
    tz = timezone.get_current_timezone()
    opens = datetime.datetime.combine(day, site.bookable_from, tzinfo=tz)
    closes = datetime.datetime.combine(day, site.bookable_until, tzinfo=tz)
    free, cursor = [], opens
    for booking in overlapping_bookings(unit.pk, opens, closes):
        if booking.starts_at > cursor:
            free.append((cursor, booking.starts_at))
        cursor = max(cursor, booking.ends_at)
    if cursor < closes:
        free.append((cursor, closes))
    return free


def _week_span(monday: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    from django.utils import timezone

    start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return start, start + datetime.timedelta(days=7)


def site_rooms(site) -> QuerySet:
    """The site's meeting rooms, in the order of the floor plan."""
    from .enums import UnitKind

    return site.units.filter(kind=UnitKind.MEETING_ROOM).order_by("floor", "name", "id")


def rooms_week(rooms, monday: datetime.date) -> dict[int, list[list[WeekEntry]]]:
    """For each of `rooms` (a page of them), the seven days from `monday`, each the holding
    bookings that start on it, earliest first: one query whatever the number of rooms and bookings. It asks
    for the bookings that start in the week, a range of the (status, starts_at) index, and has
    the database give each booking's local day and times: a page of ten rooms holds some 280
    bookings, and reading their instants as datetimes (Django's time-zone loader for psycopg is
    Python) cost three times the rest of the query (bench/space_bookings.py)."""
    from django.db.models.functions import TruncDate, TruncTime
    from django.utils import timezone

    start, end = _week_span(monday)
    tz = timezone.get_current_timezone()
    rooms = list(rooms)
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    entries = {room.pk: {day: [] for day in days} for room in rooms}
    holding = (
        RoomBooking.objects.filter(
            unit__in=rooms, status__in=HOLDING_STATUSES, starts_at__gte=start, starts_at__lt=end
        )
        .order_by("starts_at", "id")
        .values_list(
            "unit_id",
            TruncDate("starts_at", tzinfo=tz),
            TruncTime("starts_at", tzinfo=tz),
            TruncTime("ends_at", tzinfo=tz),
            "status",
            "startup__name",
        )
    )
    for unit_id, day, starts, ends, status, startup in holding:
        entries[unit_id][day].append(WeekEntry(
            times=f"{starts.isoformat('minutes')}–{ends.isoformat('minutes')}",
            startup=startup,
            checked_in=status == BookingStatus.CHECKED_IN,
        ))
    return {pk: list(by_day.values()) for pk, by_day in entries.items()}


def charge_totals_by_month(charges) -> list[dict]:
    """Per month, newest first: what the list prices came to, what the state pays and what the
    startup pays (one query)."""
    from django.db.models import Sum

    return list(
        charges.order_by()
        .values("month")
        .annotate(list_total=Sum("list_amount"), state_total=Sum("state_amount"), company_total=Sum("company_amount"))
        .order_by("-month")
    )
