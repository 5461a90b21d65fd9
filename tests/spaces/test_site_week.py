"""A site's week calendar: its meeting rooms as rows, the seven days as columns, each cell the
room's bookings; for the site's managers; queries constant in rooms and bookings."""

import datetime

import pytest

from spaces import week_cache
from spaces.models import BookingStatus
from tests import factories
from tests.spaces.booking_factories import (
    BookingFactory,
    DeskFactory,
    RoomFactory,
    at,
    next_weekday,
)

pytestmark = pytest.mark.django_db


def page(site):
    return f"/rooms/sites/{site.pk}/week/"


def test_rows_are_the_sites_rooms_and_cells_their_bookings_that_day(manager_client, site):
    day = next_weekday()
    first, second = RoomFactory(site=site, name="Room A"), RoomFactory(site=site, name="Room B")
    DeskFactory(site=site, name="Desk Z")
    RoomFactory(name="Elsewhere")
    BookingFactory(unit=first, starts_at=at(day, 10), ends_at=at(day, 11), startup__name="Hanbit")
    BookingFactory(unit=second, starts_at=at(day, 14), ends_at=at(day, 15, 30), startup__name="Doran")
    BookingFactory(unit=second, starts_at=at(day, 16), status=BookingStatus.CANCELLED, startup__name="Gone")

    response = manager_client.get(page(site), {"week": day.isoformat()})

    assert response.status_code == 200
    rows = {row.room_name: row.cells for row in response.context["rows"]}
    assert list(rows) == ["Room A", "Room B"]
    weekday = day.weekday()
    assert "Hanbit" in rows["Room A"][weekday] and "Doran" in rows["Room B"][weekday]
    others = [cell for cells in rows.values() for index, cell in enumerate(cells) if index != weekday]
    assert all("border-start" not in cell for cell in others)  # no booking on the other days
    content = response.content.decode()
    assert "14:00–15:30" in content and "Gone" not in content


def test_a_cell_escapes_the_startups_name_and_marks_a_check_in(manager_client, site):
    day = next_weekday()
    room = RoomFactory(site=site)
    BookingFactory(unit=room, starts_at=at(day, 9), startup__name="<b>Bold</b>", status=BookingStatus.CHECKED_IN)

    content = manager_client.get(page(site), {"week": day.isoformat()}).content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt;" in content and "<b>Bold" not in content
    assert f'<span class="badge text-bg-success">{BookingStatus.CHECKED_IN.label}</span>' in content


def test_the_week_starts_on_the_monday_of_the_day_given(manager_client, site):
    response = manager_client.get(page(site), {"week": "2027-03-04"})  # a Thursday

    assert response.context["week_days"][0] == datetime.date(2027, 3, 1)


@pytest.mark.parametrize("rooms", [1, 3])
def test_queries_do_not_grow_with_rooms_and_bookings(manager_client, site, django_assert_num_queries, rooms):
    day = next_weekday()
    for index in range(rooms):
        room = RoomFactory(site=site)
        for hour in range(9, 9 + rooms):
            BookingFactory(unit=room, starts_at=at(day + datetime.timedelta(days=index % 2), hour))

    # the session, the user and roles (as on every page), the site, the rooms' count and page, their bookings
    with django_assert_num_queries(QUERIES):
        response = manager_client.get(page(site), {"week": day.isoformat()})

    assert len(response.context["rows"]) == rooms


QUERIES = 8


@pytest.mark.parametrize(("number", "shown"), [("2", ["C"]), ("1", ["A", "B"]), ("99", ["C"]), ("x", ["A", "B"])])
def test_rooms_are_paginated_and_a_page_beyond_the_last_is_the_last(manager_client, site, monkeypatch, number, shown):
    monkeypatch.setattr(week_cache, "ROOMS_PER_PAGE", 2)
    for name in ("A", "B", "C"):
        RoomFactory(site=site, name=name)

    response = manager_client.get(page(site), {"page": number})

    assert [row.room_name for row in response.context["rows"]] == shown


def test_a_founder_or_another_departments_manager_is_refused(client, founder, site):
    client.force_login(founder)
    refused_founder = client.get(page(site)).status_code
    client.force_login(factories.UserFactory(roles=["space_manager"], department=factories.DepartmentFactory()))

    assert (refused_founder, client.get(page(site)).status_code) == (403, 403)


def test_an_unknown_site_is_404(manager_client):
    assert manager_client.get("/rooms/sites/999999/week/").status_code == 404
