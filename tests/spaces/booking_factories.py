"""Factories and helpers of the bookings and charges tests: sites, rooms, desks, allocations."""
import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from spaces.enums import Funding, UnitKind
from spaces.models import Allocation, RoomBooking, Site, Unit
from tests.factories import DepartmentFactory, StartupFactory


class BookingSiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    funding = Funding.STATE
    state_share = None


class RoomFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    site = factory.SubFactory(BookingSiteFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    kind = UnitKind.MEETING_ROOM
    seats = 8
    hourly_price = Decimal("20.00")


class DeskFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    site = factory.SubFactory(BookingSiteFactory)
    name = factory.Sequence(lambda n: f"Desk {n}")
    kind = UnitKind.DESK
    seats = 1
    monthly_price = Decimal("300.00")


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    unit = factory.SubFactory(DeskFactory)
    startup = factory.SubFactory(StartupFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    planned_ends_on = factory.LazyAttribute(lambda a: a.ends_on)


class BookingFactory(DjangoModelFactory):
    """A booking written directly (no service checks): for lists and charges."""

    class Meta:
        model = RoomBooking

    unit = factory.SubFactory(RoomFactory)
    startup = factory.SubFactory(StartupFactory)
    starts_at = factory.LazyFunction(lambda: at(next_weekday(), 10))
    ends_at = factory.LazyAttribute(lambda b: b.starts_at + datetime.timedelta(hours=1))


def next_weekday(days_ahead: int = 1) -> datetime.date:
    """The first Monday-to-Friday day at least `days_ahead` days from today."""
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime at the local wall-clock time on `day`."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def member_with_space(site, *, founder=None, startup=None):
    """A startup (with `founder` as its owner) holding a desk at `site` from a month ago for a year."""
    startup = startup or StartupFactory(owner=founder)
    AllocationFactory(unit=DeskFactory(site=site), startup=startup)
    return startup
