"""Reads of meeting-room bookings and space charges, scoped to what a user may see.

Administrators see all; a space manager the bookings and charges of their department's sites;
a founder those of the startups they belong to.
"""

import datetime

from django.db.models import Q, QuerySet

from accounts.enums import RoleCode

from .models import HOLDING_STATUSES, Allocation, RoomBooking, SpaceCharge


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


def overlapping_bookings(unit_id: int, starts_at, ends_at) -> QuerySet[RoomBooking]:
    """The holding bookings of the room that overlap [starts_at, ends_at), earliest first."""
    return RoomBooking.objects.filter(
        unit_id=unit_id, status__in=HOLDING_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).order_by("starts_at", "id")


def has_allocation_at(startup_id: int, site_id: int, day: datetime.date) -> bool:
    """Whether the startup holds a unit of the site on `day` (half-open dates)."""
    return Allocation.objects.filter(
        startup_id=startup_id, unit__site_id=site_id, starts_on__lte=day, ends_on__gt=day
    ).exists()


def room_day_bookings(unit_id: int, day_start, day_end) -> list[RoomBooking]:
    """The room's holding bookings between two instants (the free-slot view)."""
    return list(overlapping_bookings(unit_id, day_start, day_end).select_related("startup"))
