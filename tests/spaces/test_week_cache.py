"""The week calendars kept in the cache (spaces/week_cache.py): a kept week is read without
the rooms' and bookings' queries, and every change of a booking or a room, by whatever path, is
seen by the very next request."""

import datetime
import json

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from spaces import bookings
from spaces.models import BookingStatus, RoomBooking, Unit
from spaces.services import sites
from tests import factories
from tests.spaces.booking_factories import BookingFactory, BookingSiteFactory, RoomFactory, at, next_weekday

pytestmark = pytest.mark.django_db

#: The queries a kept week saves: the rooms' count, the page of rooms and their bookings.
SAVED = 3


@pytest.fixture(autouse=True)
def _kept(_fast_and_isolated, settings):
    """After the suite's default (nothing kept), as in production with Redis."""
    settings.SPACES_WEEK_CACHE_SECONDS = 60


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose changes the test treats as committed: their on-commit callbacks run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def day():
    return next_weekday()


@pytest.fixture
def room(site):
    return RoomFactory(site=site, name="Room A")


def site_week(client, site, day, **params):
    """The page's table and its number of queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/rooms/sites/{site.pk}/week/", {"week": day.isoformat(), **params})
    assert response.status_code == 200
    content = response.content.decode()
    return content[content.index("<table") : content.index("</table>")], len(queries)


def make_booking(room, by, day, name="Doran"):
    return bookings.booking_create(
        unit=room,
        startup=factories.StartupFactory(name=name),
        starts_at=at(day, 14),
        ends_at=at(day, 15),
        by=by,
    )


def test_a_kept_week_is_read_without_the_rooms_and_bookings(manager_client, site, room, day):
    BookingFactory(unit=room, starts_at=at(day, 10), startup__name="Hanbit")

    first, first_queries = site_week(manager_client, site, day)
    again, again_queries = site_week(manager_client, site, day)

    assert "Hanbit" in again and again == first
    assert again_queries == first_queries - SAVED


def test_a_week_more_than_a_year_away_is_not_kept(manager_client, site, room):
    far = datetime.date.today() + datetime.timedelta(weeks=60)

    _table, first_queries = site_week(manager_client, site, far)
    _table, again_queries = site_week(manager_client, site, far)

    assert again_queries == first_queries


def test_a_booking_made_is_seen_by_the_next_request(manager_client, manager, site, room, day, committed):
    site_week(manager_client, site, day)

    with committed():
        make_booking(room, manager, day)

    assert "Doran" in site_week(manager_client, site, day)[0]


CHANGES = {
    "cancel": (lambda booking, by, day: bookings.booking_cancel(booking=booking, by=by), False),
    "check-in": (
        lambda booking, by, day: bookings.booking_check_in(booking=booking, by=by, now=at(day, 10, 5)),
        True,
    ),
    "no-show release": (
        lambda booking, by, day: bookings.bookings_release_no_shows(now=at(day, 10, 16)),
        False,
    ),
}


@pytest.mark.parametrize(("change", "shown"), CHANGES.values(), ids=CHANGES.keys())
def test_a_booking_changed_is_seen_by_the_next_request(
    manager_client, manager, site, room, day, committed, change, shown
):
    booking = BookingFactory(unit=room, starts_at=at(day, 10), startup__name="Hanbit")
    assert "Hanbit" in site_week(manager_client, site, day)[0]

    with committed():
        change(booking, manager, day)

    table = site_week(manager_client, site, day)[0]
    # Checked in, it is shown with its badge; cancelled or released, it is gone.
    assert ("Hanbit" in table, str(BookingStatus.CHECKED_IN.label) in table) == (shown, shown)


def test_a_booking_rolled_back_keeps_the_week_as_it_was(manager_client, manager, site, room, day, committed):
    _table, first_queries = site_week(manager_client, site, day)

    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        make_booking(room, manager, day)
        raise RuntimeError

    assert (callbacks, RoomBooking.objects.exists()) == ([], False)
    assert site_week(manager_client, site, day)[1] == first_queries - SAVED  # still kept


def test_a_room_renamed_or_added_by_the_service_is_seen_by_the_next_request(
    manager_client, manager, site, room, day, committed
):
    site_week(manager_client, site, day)

    with committed():
        sites.unit_update(unit=room, name="Boardroom", by=manager)
    with committed():
        sites.unit_create(
            site=site, name="Studio", kind="meeting_room", seats=4, hourly_price="10.00", by=manager
        )

    table = site_week(manager_client, site, day)[0]
    assert "Boardroom" in table and "Studio" in table and "Room A" not in table


def test_a_room_renamed_in_the_admin_is_seen_by_the_next_request(manager_client, site, room, day, committed):
    site_week(manager_client, site, day)
    admin = Client()
    admin.force_login(factories.UserFactory(roles=["admin"], is_staff=True, is_superuser=True))
    data = {**model_to_dict(room, exclude=["id"]), "name": "Boardroom", "features": json.dumps(room.features)}

    with committed():
        response = admin.post(
            f"/admin/spaces/unit/{room.pk}/change/", {k: v for k, v in data.items() if v is not None}
        )

    assert response.status_code == 302
    assert "Boardroom" in site_week(manager_client, site, day)[0]


def test_a_room_moved_to_another_site_in_the_admin_leaves_the_old_sites_week(manager_client, site, room, day, committed):
    RoomFactory(site=site, name="Room B")  # the old site keeps a room, so a week to show
    assert "Room A" in site_week(manager_client, site, day)[0]
    admin = Client()
    admin.force_login(factories.UserFactory(roles=["admin"], is_staff=True, is_superuser=True))
    other = BookingSiteFactory(department=site.department)
    data = {**model_to_dict(room, exclude=["id"]), "site": other.pk, "features": json.dumps(room.features)}

    with committed():
        response = admin.post(f"/admin/spaces/unit/{room.pk}/change/", {k: v for k, v in data.items() if v is not None})

    assert response.status_code == 302
    assert "Room A" not in site_week(manager_client, site, day)[0]
    assert "Room A" in site_week(manager_client, other, day)[0]


def test_the_room_week_is_kept_and_a_change_is_seen(manager_client, manager, site, room, day, committed):
    def room_week():
        with CaptureQueriesContext(connection) as queries:
            content = manager_client.get(
                f"/rooms/{room.pk}/week/", {"week": day.isoformat()}
            ).content.decode()
        return content, len(queries)

    _content, first_queries = room_week()
    _content, again_queries = room_week()
    with committed():
        make_booking(room, manager, day)

    assert again_queries == first_queries - 1  # its bookings
    assert "Doran" in room_week()[0]


def test_a_kept_week_in_redis_reads_back_as_drawn(redis_cache, manager_client, site, room, day):
    BookingFactory(unit=room, starts_at=at(day, 10), startup__name="<i>Hanbit</i>")

    first, first_queries = site_week(manager_client, site, day)
    again, again_queries = site_week(manager_client, site, day)

    assert again == first and "&lt;i&gt;Hanbit&lt;/i&gt;" in again
    assert again_queries == first_queries - SAVED


@pytest.mark.django_db(transaction=True)
def test_rooms_deleted_from_the_admin_list_are_forgotten_once_the_delete_commits(
    manager_client, site, room, day, monkeypatch
):
    """Not before: a request drawing the week in between would keep the deleted room."""
    RoomFactory(site=site, name="Room B")
    assert "Room A" in site_week(manager_client, site, day)[0]
    room_left_when_forgotten = []
    backend = caches["default"]
    delete_many = backend.delete_many

    def forget(keys):
        room_left_when_forgotten.append(Unit.objects.filter(pk=room.pk).exists())
        delete_many(keys)

    monkeypatch.setattr(backend, "delete_many", forget)
    admin = Client()
    admin.force_login(factories.UserFactory(roles=["admin"], is_staff=True, is_superuser=True))

    response = admin.post(
        "/admin/spaces/unit/", {"action": "delete_selected", "_selected_action": [room.pk], "post": "yes"}
    )

    assert response.status_code == 302
    assert room_left_when_forgotten == [False]
    table = site_week(manager_client, site, day)[0]
    assert "Room A" not in table and "Room B" in table
