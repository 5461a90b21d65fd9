"""Reads of a site's occupancy for its managers: who holds each unit of a floor on a day (the floor
plan), and a week's figures per day (the dashboard). Each in a fixed number of queries, whatever
the number of units, allocations and bookings."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RequestStatus, UnitKind
from .models import HOLDING_STATUSES, Allocation, RoomBooking, Site, SpaceRequest, Unit

NO_HOURS = Decimal("0.00")


class PlanState(models.TextChoices):
    """What a unit of the plan is on the day shown."""

    FREE = "free", _("Free")
    ALLOCATED = "allocated", _("Allocated")
    OFFERED = "offered", _("Offered")
    ROOM = "room", _("Meeting room")


@dataclass(frozen=True)
class PlanUnit:
    unit: Unit
    state: str
    startup: object = None  # who holds it or is offered it
    until: datetime.date | None = None  # the allocation's end (exclusive), or the offer's last day

    @property
    def state_label(self) -> str:
        return PlanState(self.state).label


def site_floors(site: Site) -> list[int]:
    """The floors that have units, lowest first (one query)."""
    return list(site.units.order_by("floor").values_list("floor", flat=True).distinct())


def floor_plan(site: Site, floor: int, day: datetime.date, *, now: datetime.datetime | None = None) -> list[PlanUnit]:
    """Each unit of the floor with its state on `day`: allocated (an allocation holds it that
    day), offered (a live offer whose period holds the day), a meeting room (booked by the hour,
    never allocated), or free. Three queries."""
    now = now or timezone.now()
    units = list(site.units.filter(floor=floor).order_by("y", "x", "name", "id"))
    ids = [unit.pk for unit in units]
    held = {
        allocation.unit_id: allocation
        for allocation in Allocation.objects.filter(unit_id__in=ids, starts_on__lte=day, ends_on__gt=day)
        .select_related("startup")
        .only("unit_id", "ends_on", "startup__name")
    }
    offers = {
        offer.offer_unit_id: offer
        for offer in SpaceRequest.objects.filter(
            offer_unit_id__in=ids,
            status=RequestStatus.OFFERED,
            offer_expires_at__gt=now,
            starts_on__lte=day,
            ends_on__gt=day,
        )
        .select_related("startup")
        .only("offer_unit_id", "offer_expires_at", "startup__name")
    }
    plan = []
    for unit in units:
        if unit.kind == UnitKind.MEETING_ROOM:
            plan.append(PlanUnit(unit, PlanState.ROOM))
        elif unit.pk in held:
            allocation = held[unit.pk]
            plan.append(PlanUnit(unit, PlanState.ALLOCATED, allocation.startup, allocation.ends_on))
        elif unit.pk in offers:
            offer = offers[unit.pk]
            plan.append(PlanUnit(unit, PlanState.OFFERED, offer.startup, timezone.localdate(offer.offer_expires_at)))
        else:
            plan.append(PlanUnit(unit, PlanState.FREE))
    return plan


@dataclass(frozen=True)
class DayOccupancy:
    day: datetime.date
    desks: int  # desks allocated that day
    offices: int
    room_hours: Decimal  # hours of the site's rooms booked that day
    room_hours_open: Decimal  # hours its rooms can be booked that day (rooms x bookable hours)


@dataclass(frozen=True)
class WeekOccupancy:
    monday: datetime.date
    days: list[DayOccupancy]
    desk_total: int
    office_total: int
    room_total: int

    @property
    def desk_days(self) -> int:
        """Desks allocated, summed over the days (of `desk_total` x 7)."""
        return sum(day.desks for day in self.days)

    @property
    def office_days(self) -> int:
        return sum(day.offices for day in self.days)

    @property
    def room_hours(self) -> Decimal:
        return sum((day.room_hours for day in self.days), NO_HOURS)

    @property
    def room_hours_open(self) -> Decimal:
        return sum((day.room_hours_open for day in self.days), NO_HOURS)


def _hours(delta: datetime.timedelta) -> Decimal:
    return (Decimal(int(delta.total_seconds())) / Decimal(3600)).quantize(NO_HOURS)


def week_occupancy(site: Site, monday: datetime.date) -> WeekOccupancy:
    """The site's week from `monday`, day by day: its desks and offices allocated (of how many),
    and its meeting rooms' hours booked (of how many they can be booked). Three queries."""
    days = [monday + datetime.timedelta(days=i) for i in range(7)]
    after = days[-1] + datetime.timedelta(days=1)
    totals = dict(site.units.order_by().values_list("kind").annotate(n=Count("id")))
    # A unit counts once a day, whatever the allocations (on SQLite no constraint forbids two).
    held = {day: {UnitKind.DESK: set(), UnitKind.OFFICE: set()} for day in days}
    allocations = Allocation.objects.filter(
        unit__site=site, unit__kind__in=[UnitKind.DESK, UnitKind.OFFICE], starts_on__lt=after, ends_on__gt=monday
    ).values_list("unit_id", "unit__kind", "starts_on", "ends_on")
    for unit_id, kind, starts_on, ends_on in allocations:
        for day in days:
            if starts_on <= day < ends_on:
                held[day][kind].add(unit_id)
    tz = timezone.get_current_timezone()
    midnights = [datetime.datetime.combine(day, datetime.time.min, tzinfo=tz) for day in [*days, after]]
    booked = {day: NO_HOURS for day in days}
    bookings = RoomBooking.objects.filter(
        unit__site=site, status__in=HOLDING_STATUSES, starts_at__lt=midnights[-1], ends_at__gt=midnights[0]
    ).values_list("starts_at", "ends_at")
    for starts_at, ends_at in bookings:
        for day, start, end in zip(days, midnights, midnights[1:]):
            overlap = min(ends_at, end) - max(starts_at, start)
            if overlap > datetime.timedelta(0):
                booked[day] += _hours(overlap)
    rooms = totals.get(UnitKind.MEETING_ROOM, 0)
    open_hours = _hours(
        datetime.datetime.combine(monday, site.bookable_until) - datetime.datetime.combine(monday, site.bookable_from)
    )
    return WeekOccupancy(
        monday=monday,
        days=[
            DayOccupancy(
                day=day,
                desks=len(held[day][UnitKind.DESK]),
                offices=len(held[day][UnitKind.OFFICE]),
                room_hours=booked[day],
                room_hours_open=rooms * open_hours if day.weekday() in (site.bookable_weekdays or []) else NO_HOURS,
            )
            for day in days
        ],
        desk_total=totals.get(UnitKind.DESK, 0),
        office_total=totals.get(UnitKind.OFFICE, 0),
        room_total=rooms,
    )
