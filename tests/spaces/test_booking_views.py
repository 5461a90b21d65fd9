"""The pages of room bookings and charges."""
import datetime
from decimal import Decimal

import pytest

from spaces import charges
from spaces.enums import Funding
from spaces.models import BookingStatus, RoomBooking
from tests import factories
from tests.spaces.booking_factories import (
    AllocationFactory,
    BookingFactory,
    BookingSiteFactory,
    DeskFactory,
    RoomFactory,
    at,
    member_with_space,
    next_weekday,
)

pytestmark = pytest.mark.django_db
PAGE = "/rooms/"


@pytest.fixture
def room(db):
    return RoomFactory()


@pytest.fixture
def startup(founder, room):
    return member_with_space(room.site, founder=founder)


@pytest.fixture
def signed_in(client, founder):
    client.force_login(founder)
    return client


def form(room, startup, day, starts="10:00", ends="11:00"):
    return {"unit": room.pk, "startup": startup.pk, "day": day.isoformat(), "starts": starts, "ends": ends}


def test_page_lists_the_rooms_free_periods(signed_in, room, startup):
    day = next_weekday()
    BookingFactory(unit=room, startup=startup, starts_at=at(day, 10), ends_at=at(day, 12))

    response = signed_in.get(PAGE, {"room": room.pk, "day": day.isoformat()})

    content = response.content.decode()
    assert response.status_code == 200
    assert "09:00–10:00" in content and "12:00–18:00" in content


def test_booking_from_the_page(signed_in, room, startup):
    day = next_weekday()

    response = signed_in.post(PAGE, form(room, startup, day))

    assert response.status_code == 302
    assert RoomBooking.objects.filter(unit=room, startup=startup, starts_at=at(day, 10)).count() == 1


@pytest.mark.parametrize(
    "change", [{"starts": "07:00", "ends": "08:00"}, {"day": "someday"}, {"unit": "x"}, {"ends": "09:00"}]
)
def test_bad_booking_from_the_page_is_400_and_books_nothing(signed_in, room, startup, change):
    response = signed_in.post(PAGE, {**form(room, startup, next_weekday()), **change})

    assert response.status_code == 400
    assert RoomBooking.objects.count() == 0


def test_overlap_from_the_page_names_the_period(signed_in, room, startup):
    day = next_weekday()
    BookingFactory(unit=room, startup=startup, starts_at=at(day, 10), ends_at=at(day, 12))

    response = signed_in.post(PAGE, form(room, startup, day, "11:00", "13:00"))

    assert response.status_code == 400
    assert "12:00" in response.content.decode()


def test_cancel_from_the_page(signed_in, room, startup):
    booking = BookingFactory(unit=room, startup=startup)

    response = signed_in.post(f"{PAGE}{booking.pk}/cancel/")

    assert response.status_code == 302
    assert RoomBooking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_another_founders_booking_cannot_be_cancelled(signed_in, room):
    booking = BookingFactory(unit=room)

    assert signed_in.post(f"{PAGE}{booking.pk}/cancel/").status_code == 404
    assert RoomBooking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


@pytest.mark.parametrize("rows", [1, 3])
def test_page_query_count_is_constant(signed_in, room, startup, rows, django_assert_num_queries):
    day = next_weekday()
    for hour in range(rows):
        BookingFactory(unit=room, startup=startup, starts_at=at(day, 10 + hour), ends_at=at(day, 11 + hour))

    with django_assert_num_queries(QUERIES_BOOKINGS):
        response = signed_in.get(PAGE)

    assert response.content.decode().count("btn-outline-danger") == rows


QUERIES_BOOKINGS = 9


@pytest.mark.parametrize("rows", [1, 3])
def test_charges_page_shows_what_we_pay_and_what_the_state_pays(signed_in, founder, rows, django_assert_num_queries):
    site = BookingSiteFactory(funding=Funding.SHARED, state_share=Decimal("50.00"))
    startup = factories.StartupFactory(owner=founder)
    for _ in range(rows):
        AllocationFactory(
            unit=DeskFactory(site=site, monthly_price=Decimal("100.00")),
            startup=startup,
            starts_on=datetime.date(2026, 4, 1),
            ends_on=datetime.date(2026, 5, 1),
        )
    charges.charges_issue(month=datetime.date(2026, 4, 1), by=None, today=datetime.date(2026, 5, 1))

    with django_assert_num_queries(QUERIES_CHARGES):
        response = signed_in.get(f"{PAGE}charges/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f"{50 * rows}.00" in content


QUERIES_CHARGES = 7


def test_week_calendar_for_the_sites_manager(client, room):
    day = next_weekday()
    BookingFactory(unit=room, starts_at=at(day, 10), ends_at=at(day, 11))
    client.force_login(factories.UserFactory(roles=["space_manager"], department=room.site.department))

    response = client.get(f"{PAGE}{room.pk}/week/", {"week": day.isoformat()})

    assert response.status_code == 200
    assert "10:00–11:00" in response.content.decode()


def test_week_calendar_is_refused_to_founders(signed_in, room):
    assert signed_in.get(f"{PAGE}{room.pk}/week/").status_code == 403
