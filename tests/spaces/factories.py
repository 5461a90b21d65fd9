"""Factories of the coworking-spaces models (made through the models, for speed; the services
are tested on their own)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from applications.enums import Category, Status
from spaces.enums import Funding, RequestStatus, UnitKind
from spaces.models import Allocation, Site, SpaceAsk, SpaceRequest, Unit
from tests import factories

TODAY = datetime.date(2027, 3, 1)


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    department = factory.SubFactory(factories.DepartmentFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    address = "1 Sejong-daero, Seoul"
    funding = Funding.COMPANY


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = UnitKind.DESK
    seats = 1
    monthly_price = factory.LazyAttribute(lambda u: None if u.kind == UnitKind.MEETING_ROOM else Decimal("300000.00"))
    hourly_price = factory.LazyAttribute(lambda u: Decimal("20000.00") if u.kind == UnitKind.MEETING_ROOM else None)


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    unit = factory.SubFactory(UnitFactory)
    startup = factory.SubFactory(factories.StartupFactory)
    starts_on = TODAY
    ends_on = factory.LazyAttribute(lambda a: a.starts_on + datetime.timedelta(days=90))
    planned_ends_on = factory.LazyAttribute(lambda a: a.ends_on)


def space_letter(*, startup=None, status=Status.PENDING_APPROVAL, kind="desk", seats=2, site=None,
                 starts_on=TODAY, ends_on=None, **kwargs):
    """A space letter with its details (pending approval unless told)."""
    if startup is not None:
        kwargs["startup"] = startup
    letter = factories.letter_in_state(status, category=Category.SPACE, **kwargs)
    SpaceAsk.objects.create(
        letter=letter,
        kind=kind,
        seats=seats,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=180),
        site=site,
    )
    return letter


def space_request(*, startup=None, status=RequestStatus.WAITING, kind="desk", seats=2, site=None,
                  starts_on=TODAY, ends_on=None, offer_unit=None, offer_expires_at=None, waited_days=0):
    """A space request as an approved space letter leaves it."""
    letter = space_letter(startup=startup, status=Status.APPROVED, kind=kind, seats=seats, site=site,
                          starts_on=starts_on, ends_on=ends_on)
    ask = letter.space_ask
    return SpaceRequest.objects.create(
        letter=letter,
        startup=letter.startup,
        kind=ask.kind,
        seats=ask.seats,
        starts_on=ask.starts_on,
        ends_on=ask.ends_on,
        site=site,
        status=status,
        waiting_since=timezone.now() - datetime.timedelta(days=waited_days),
        offer_unit=offer_unit,
        offer_expires_at=offer_expires_at,
    )
