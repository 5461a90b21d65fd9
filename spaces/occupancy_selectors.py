"""Reads of a site's occupancy for its managers: who holds each unit of a floor on a day (the floor
plan), and a week's figures per day (the dashboard). Each in a fixed number of queries, whatever
the number of units, allocations and bookings."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import RequestStatus, UnitKind
from .models import Allocation, Site, SpaceRequest, Unit


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
