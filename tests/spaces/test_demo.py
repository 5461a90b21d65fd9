"""The spaces' demo data: a desk held, a room booked, letters waiting and offered; seeding twice
creates nothing twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.enums import Status
from spaces.demo import OFFERED_SUBJECT, WAITING_SUBJECT
from spaces.enums import Funding, RequestStatus
from spaces.models import Allocation, RoomBooking, Site, SpaceRequest

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count() for model in (Site, Allocation, RoomBooking, SpaceRequest)
    }


def test_seed_demo_gives_the_demo_startup_space_bookings_and_requests():
    call_command("seed_demo", stdout=StringIO())

    assert set(Site.objects.values_list("funding", flat=True)) == set(Funding.values)
    requests = {r.letter.subject: r for r in SpaceRequest.objects.select_related("letter")}
    assert (requests[WAITING_SUBJECT].status, requests[WAITING_SUBJECT].letter.status) == (
        RequestStatus.WAITING,
        Status.APPROVED,
    )
    assert requests[OFFERED_SUBJECT].status == RequestStatus.OFFERED
    assert Allocation.objects.count() == 1
    booking = RoomBooking.objects.select_related("unit__site").get()
    start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
    site = booking.unit.site
    assert booking.starts_at > timezone.now()
    assert site.bookable_from <= start.time() and end.time() <= site.bookable_until


def test_seed_demo_twice_creates_no_space_twice():
    call_command("seed_demo", stdout=StringIO())
    first = counts()

    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    assert first == {"Site": 3, "Allocation": 1, "RoomBooking": 1, "SpaceRequest": 2}
