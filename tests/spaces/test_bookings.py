"""Meeting-room bookings: the services, the API, and the race for one room."""
import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.exceptions import InvalidInput, NotPermitted, StateConflict
from spaces import booking_selectors as selectors
from spaces import bookings
from spaces.models import BookingStatus, RoomBooking
from tests import factories
from tests.race import count_rows, race
from tests.spaces.booking_factories import (
    AllocationFactory,
    BookingFactory,
    DeskFactory,
    RoomFactory,
    at,
    member_with_space,
    next_weekday,
)

URL = "/api/v1/room-bookings/"
H = datetime.timedelta(hours=1)


@pytest.fixture
def room(db):
    return RoomFactory()


@pytest.fixture
def startup(founder, room):
    return member_with_space(room.site, founder=founder)


@pytest.fixture
def day():
    return next_weekday()


def book(room, startup, by, start, end=None, **kwargs):
    return bookings.booking_create(unit=room, startup=startup, starts_at=start, ends_at=end or start + H, by=by, **kwargs)


def body(room, startup, start, end=None, **extra):
    return {
        "unit": room.pk,
        "startup": startup.pk,
        "starts_at": start.isoformat(),
        "ends_at": (end or start + H).isoformat(),
        **extra,
    }


# --- the service -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_create_books_the_room(room, startup, founder, day):
    [booking] = book(room, startup, founder, at(day, 10))

    assert (booking.status, booking.unit_id, booking.startup_id, booking.recurrence) == (
        BookingStatus.BOOKED,
        room.pk,
        startup.pk,
        None,
    )


@pytest.mark.django_db
def test_back_to_back_bookings_both_succeed(room, startup, founder, day):
    book(room, startup, founder, at(day, 10))
    book(room, startup, founder, at(day, 11))
    book(room, startup, founder, at(day, 9), at(day, 10))

    assert RoomBooking.objects.filter(unit=room).count() == 3


@pytest.mark.django_db
def test_overlapping_booking_is_409_naming_the_period(room, startup, founder, day):
    book(room, startup, founder, at(day, 10), at(day, 12))

    with pytest.raises(StateConflict) as caught:
        book(room, startup, founder, at(day, 11, 30))

    assert "10:00" in str(caught.value.message) and "12:00" in str(caught.value.message)
    assert RoomBooking.objects.count() == 1


@pytest.mark.django_db
def test_cancelled_booking_frees_the_time(room, startup, founder, day):
    [first] = book(room, startup, founder, at(day, 10))
    bookings.booking_cancel(booking=first, by=founder)

    [second] = book(room, startup, founder, at(day, 10))

    assert RoomBooking.objects.get(pk=first.pk).status == BookingStatus.CANCELLED
    assert second.status == BookingStatus.BOOKED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start, end",
    [((8, 0), (9, 0)), ((17, 30), (18, 30)), ((9, 0), (9, 0)), ((10, 0), (9, 0)), ((10, 10), (11, 0))],
)
def test_booking_outside_the_bookable_hours_is_refused(room, startup, founder, day, start, end):
    with pytest.raises(InvalidInput):
        book(room, startup, founder, at(day, *start), at(day, *end))

    assert RoomBooking.objects.count() == 0


@pytest.mark.django_db
def test_booking_on_a_closed_weekday_is_refused(room, startup, founder):
    saturday = next_weekday()
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)

    with pytest.raises(InvalidInput):
        book(room, startup, founder, at(saturday, 10))


@pytest.mark.django_db
def test_booking_beyond_the_longest_advance_is_refused(room, startup, founder):
    far = next_weekday(room.site.max_advance_days + 1)

    with pytest.raises(InvalidInput):
        book(room, startup, founder, at(far, 10))


@pytest.mark.django_db
def test_booking_a_desk_is_refused(startup, founder, room, day):
    desk = DeskFactory(site=room.site)

    with pytest.raises(InvalidInput):
        book(desk, startup, founder, at(day, 10))


@pytest.mark.django_db
def test_a_startup_without_space_at_the_site_cannot_book(room, founder, day):
    startup = factories.StartupFactory(owner=founder)

    with pytest.raises(NotPermitted):
        book(room, startup, founder, at(day, 10))


@pytest.mark.django_db
def test_a_space_manager_books_for_any_startup(room, day):
    manager = factories.UserFactory(roles=["space_manager"], department=room.site.department)
    startup = factories.StartupFactory()

    [booking] = book(room, startup, manager, at(day, 10))

    assert booking.created_by == manager


@pytest.mark.django_db
def test_weekly_recurrence_books_every_week(room, startup, founder, day):
    created = book(room, startup, founder, at(day, 10), weeks=3)

    assert [b.starts_at for b in created] == [at(day + datetime.timedelta(weeks=w), 10) for w in range(3)]
    assert len({b.recurrence for b in created}) == 1 and created[0].recurrence is not None


@pytest.mark.django_db
def test_weekly_recurrence_with_a_conflict_books_nothing_and_lists_it(room, startup, founder, day):
    other = member_with_space(room.site)
    taken = day + datetime.timedelta(weeks=2)
    BookingFactory(unit=room, startup=other, starts_at=at(taken, 10), ends_at=at(taken, 11))

    with pytest.raises(StateConflict) as caught:
        book(room, startup, founder, at(day, 10), weeks=4)

    assert taken.strftime("%Y") in str(caught.value.message)
    assert RoomBooking.objects.filter(startup=startup).count() == 0


@pytest.mark.django_db
def test_weekly_recurrence_past_the_allocation_books_nothing(room, founder, day):
    startup = factories.StartupFactory(owner=founder)
    AllocationFactory(unit=DeskFactory(site=room.site), startup=startup, ends_on=day + datetime.timedelta(weeks=2))

    with pytest.raises(NotPermitted):
        book(room, startup, founder, at(day, 10), weeks=3)

    assert RoomBooking.objects.filter(startup=startup).count() == 0
    assert len(book(room, startup, founder, at(day, 10), weeks=2)) == 2


@pytest.mark.django_db
def test_a_weekly_recurrence_asks_once_for_the_membership_and_the_allocations(room, startup, founder, day):
    with CaptureQueriesContext(connection) as captured:
        book(room, startup, founder, at(day, 10), weeks=4)

    tables = [q["sql"] for q in captured.captured_queries]
    assert sum("spaces_allocation" in sql for sql in tables) == 1
    assert sum("startups_membership" in sql for sql in tables) == 1


@pytest.mark.parametrize(
    ("weeks_held", "expected"),
    [((0, 1), [1, 2]), ((0, 3), []), ((1, 2), [0, 2]), ((4, 5), [0, 1, 2])],
)
@pytest.mark.django_db
def test_days_without_allocation_names_the_days_no_allocation_covers(room, startup, day, weeks_held, expected):
    # `startup` holds a desk elsewhere on the site for a year; this one holds only [first, last).
    other = factories.StartupFactory()
    first, last = (day + datetime.timedelta(weeks=w) for w in weeks_held)
    AllocationFactory(unit=DeskFactory(site=room.site), startup=other, starts_on=first, ends_on=last)
    days = [day + datetime.timedelta(weeks=w) for w in range(3)]

    assert selectors.days_without_allocation(other.pk, room.site_id, days) == [days[i] for i in expected]
    assert selectors.days_without_allocation(startup.pk, room.site_id, days) == []
    assert selectors.days_without_allocation(other.pk, RoomFactory().site_id, days) == days


@pytest.mark.django_db
def test_check_in_and_no_show_release(room, startup, founder, day):
    kept, missed = book(room, startup, founder, at(day, 10))[0], book(room, startup, founder, at(day, 11))[0]
    bookings.booking_check_in(booking=kept, by=founder, now=at(day, 10, 5))

    released = bookings.bookings_release_no_shows(now=at(day, 11, 16))

    assert released == 1
    assert RoomBooking.objects.get(pk=kept.pk).status == BookingStatus.CHECKED_IN
    assert RoomBooking.objects.get(pk=missed.pk).status == BookingStatus.NO_SHOW


@pytest.mark.django_db
def test_no_show_release_leaves_bookings_within_the_grace_period(room, startup, founder, day):
    [booking] = book(room, startup, founder, at(day, 10))

    assert bookings.bookings_release_no_shows(now=at(day, 10, 14)) == 0
    assert RoomBooking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


@pytest.mark.django_db
def test_check_in_too_late_is_409(room, startup, founder, day):
    [booking] = book(room, startup, founder, at(day, 10))

    with pytest.raises(StateConflict):
        bookings.booking_check_in(booking=booking, by=founder, now=at(day, 10, 20))


@pytest.mark.django_db
def test_overlapping_rows_are_refused_by_the_database(postgres, room, day):
    BookingFactory(unit=room, starts_at=at(day, 10), ends_at=at(day, 12))

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(unit=room, starts_at=at(day, 11), ends_at=at(day, 13))


@pytest.mark.django_db
def test_the_database_allows_back_to_back_and_over_cancelled_rows(postgres, room, day):
    BookingFactory(unit=room, starts_at=at(day, 10), ends_at=at(day, 12), status=BookingStatus.CANCELLED)
    BookingFactory(unit=room, starts_at=at(day, 10), ends_at=at(day, 12))
    BookingFactory(unit=room, starts_at=at(day, 12), ends_at=at(day, 13))

    assert RoomBooking.objects.filter(unit=room).count() == 3


# --- the API -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_create_answers_201(founder_api, room, startup, day):
    response = founder_api.post(URL, body(room, startup, at(day, 10)))

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["unit"]) == ("booked", room.pk)


@pytest.mark.django_db
def test_api_overlap_is_409_with_the_period(founder_api, room, startup, day):
    founder_api.post(URL, body(room, startup, at(day, 10)))

    response = founder_api.post(URL, body(room, startup, at(day, 10, 30)))

    assert response.status_code == 409
    assert "10:00" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"unit": "x"},
        {"unit": 10**30},
        {"starts_at": "tomorrow"},
        {"ends_at": None},
        {"startup": None},
        {"starts_at": "2026-01-05T10:00:00"},
    ],
)
def test_api_bad_input_is_400_and_creates_nothing(founder_api, room, startup, day, change):
    response = founder_api.post(URL, {**body(room, startup, at(day, 10)), **change})

    assert response.status_code == 400
    assert RoomBooking.objects.count() == 0


@pytest.mark.django_db
def test_api_outside_hours_is_400(founder_api, room, startup, day):
    response = founder_api.post(URL, body(room, startup, at(day, 7)))

    assert (response.status_code, RoomBooking.objects.count()) == (400, 0)


@pytest.mark.django_db
def test_api_non_room_is_400(founder_api, room, startup, day):
    desk = DeskFactory(site=room.site)

    response = founder_api.post(URL, body(desk, startup, at(day, 10)))

    assert (response.status_code, RoomBooking.objects.count()) == (400, 0)


@pytest.mark.django_db
def test_api_booking_for_another_founders_startup_is_400(founder_api, room, day):
    other = member_with_space(room.site)

    response = founder_api.post(URL, body(room, other, at(day, 10)))

    assert (response.status_code, RoomBooking.objects.count()) == (400, 0)


@pytest.mark.django_db
def test_api_another_founders_booking_is_404(founder_api, room, day):
    other = BookingFactory(unit=room, startup=member_with_space(room.site))

    assert founder_api.get(f"{URL}{other.pk}/").status_code == 404
    assert founder_api.post(f"{URL}{other.pk}/cancel/").status_code == 404
    assert RoomBooking.objects.get(pk=other.pk).status == BookingStatus.BOOKED


@pytest.mark.django_db
def test_api_cancel_frees_the_time(founder_api, room, startup, day):
    booking_id = founder_api.post(URL, body(room, startup, at(day, 10))).json()["id"]

    response = founder_api.post(f"{URL}{booking_id}/cancel/")

    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert founder_api.post(URL, body(room, startup, at(day, 10))).status_code == 201


@pytest.mark.django_db
def test_api_list_filters_by_startup_and_unit(founder_api, room, startup, day):
    mine = BookingFactory(unit=room, startup=startup, starts_at=at(day, 10), ends_at=at(day, 11))
    BookingFactory(unit=RoomFactory(site=room.site), startup=startup, starts_at=at(day, 10), ends_at=at(day, 11))
    BookingFactory(unit=room, starts_at=at(day, 12), ends_at=at(day, 13))  # another startup's

    everything = founder_api.get(URL).json()["results"]
    by_unit = founder_api.get(URL, {"unit": room.pk, "startup": startup.pk}).json()["results"]

    assert len(everything) == 2
    assert [b["id"] for b in by_unit] == [mine.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_api_list_query_count_is_constant(founder_api, room, startup, day, rows, django_assert_num_queries):
    for hour in range(rows):
        BookingFactory(unit=room, startup=startup, starts_at=at(day, 10 + hour), ends_at=at(day, 11 + hour))

    with django_assert_num_queries(3):  # the caller's roles, the count, the page
        response = founder_api.get(URL)

    assert len(response.json()["results"]) == rows


# --- the race ----------------------------------------------------------------------------------

THREADS = 8
COUNT_ROOM = "SELECT count(*) FROM spaces_roombooking WHERE unit_id = ?"


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_bookings_exactly_one_wins(tmp_path):
    """On PostgreSQL (the exclusion constraint) and on SQLite (IMMEDIATE transactions)."""
    room = RoomFactory()
    day = next_weekday()
    manager = factories.UserFactory(roles=["admin"])
    startups = [factories.StartupFactory() for _ in range(THREADS)]
    pending = iter(range(THREADS))
    pick = threading.Lock()

    def attempt():
        with pick:
            index = next(pending)
        start = at(day, 10) + datetime.timedelta(minutes=15 * (index % 3))
        book(room, startups[index], manager, start, start + 2 * H)

    outcomes, written = race(attempt, THREADS, tmp_path)

    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["ok"]
    assert count_rows(written, COUNT_ROOM, [room.pk]) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_adjacent_bookings_all_succeed(tmp_path):
    room = RoomFactory()
    day = next_weekday()
    manager = factories.UserFactory(roles=["admin"])
    startup = factories.StartupFactory()
    hours = iter(range(9, 9 + THREADS))
    pick = threading.Lock()

    def attempt():
        with pick:
            hour = next(hours)
        book(room, startup, manager, at(day, hour))

    outcomes, written = race(attempt, THREADS, tmp_path)

    assert outcomes == ["ok"] * THREADS
    assert count_rows(written, COUNT_ROOM, [room.pk]) == THREADS



@pytest.mark.django_db
def test_api_weekly_books_every_occurrence(founder_api, room, startup, day):
    response = founder_api.post(f"{URL}weekly/", body(room, startup, at(day, 10), weeks=3))

    assert response.status_code == 201
    assert len(response.json()["bookings"]) == 3
    assert len({b["recurrence"] for b in response.json()["bookings"]}) == 1


@pytest.mark.django_db
def test_api_weekly_with_a_conflict_is_409_and_books_nothing(founder_api, room, startup, day):
    taken = day + datetime.timedelta(weeks=1)
    BookingFactory(unit=room, startup=startup, starts_at=at(taken, 10), ends_at=at(taken, 11))

    response = founder_api.post(f"{URL}weekly/", body(room, startup, at(day, 10), weeks=3))

    assert response.status_code == 409
    assert RoomBooking.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("weeks", [0, 1000, "x", None])
def test_api_weekly_bad_weeks_is_400(founder_api, room, startup, day, weeks):
    response = founder_api.post(f"{URL}weekly/", body(room, startup, at(day, 10), weeks=weeks))

    assert (response.status_code, RoomBooking.objects.count()) == (400, 0)
