import pytest
from icalendar import Calendar
from rest_framework.test import APIClient

from expos.models import Release, ShowcaseOutcome, ShowcaseSlot
from tests import factories
from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, organiser, place

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def expo():
    return make_expo()


@pytest.fixture
def staff_api(expo):
    return client_for(organiser(expo.department))


@pytest.fixture
def outsider_api(expo):
    return client_for(organiser(factories.DepartmentFactory()))


def test_schedule_places_the_accepted_showcases(expo, staff_api):
    make_hall(expo, "A")
    showcases = [make_showcase(expo) for _ in range(3)]
    response = staff_api.post(f"/api/v1/expos/{expo.pk}/schedule/")
    assert response.status_code == 200
    assert (response.data["placed"], response.data["unplaced"]) == (3, [])
    assert set(response.data) == {"placed", "unplaced", "objective", "bound"}
    listed = staff_api.get(f"/api/v1/expos/{expo.pk}/slots/").data["results"]
    assert sorted(row["showcase"] for row in listed) == sorted(s.pk for s in showcases)
    assert set(listed[0]) == {"id", "showcase", "startup", "hall", "starts_at", "ends_at", "pinned"}


def test_another_departments_organiser_gets_404_everywhere(expo, outsider_api):
    hall = make_hall(expo)
    slot = place(make_showcase(expo), hall, at(expo, 0, 10))
    assert outsider_api.post(f"/api/v1/expos/{expo.pk}/schedule/").status_code == 404
    assert outsider_api.get(f"/api/v1/expos/{expo.pk}/slots/").status_code == 404
    assert outsider_api.patch(f"/api/v1/showcase-slots/{slot.pk}/", {"pinned": True}, format="json").status_code == 404
    assert outsider_api.post(f"/api/v1/expos/{expo.pk}/releases/", {"comment": ""}, format="json").status_code == 404
    assert Release.objects.count() == 0


def test_founders_cannot_schedule_or_release(expo):
    api = client_for(factories.UserFactory(roles=["founder"]))
    assert api.post(f"/api/v1/expos/{expo.pk}/schedule/").status_code == 404
    assert api.post(f"/api/v1/expos/{expo.pk}/releases/", {}, format="json").status_code == 404


def test_move_into_a_taken_slot_is_409(expo, staff_api):
    hall = make_hall(expo)
    place(make_showcase(expo), hall, at(expo, 0, 10))
    slot = place(make_showcase(expo), hall, at(expo, 0, 11))
    response = staff_api.patch(
        f"/api/v1/showcase-slots/{slot.pk}/", {"starts_at": at(expo, 0, 10).isoformat()}, format="json"
    )
    assert response.status_code == 409
    slot.refresh_from_db()
    assert slot.starts_at == at(expo, 0, 11)


def test_move_and_pin_through_the_api(expo, staff_api):
    hall, other = make_hall(expo, "A"), make_hall(expo, "B")
    slot = place(make_showcase(expo), hall, at(expo, 0, 10))
    response = staff_api.patch(
        f"/api/v1/showcase-slots/{slot.pk}/",
        {"hall": other.pk, "starts_at": at(expo, 1, 10, 30).isoformat(), "pinned": True},
        format="json",
    )
    assert response.status_code == 200
    assert (response.data["hall"], response.data["pinned"]) == (other.pk, True)


@pytest.mark.parametrize(
    "body",
    [
        {"starts_at": "not a time"},
        {"hall": "x"},
        {"hall": 999999},
        {"pinned": "perhaps"},
        {},
        {"starts_at": "2001-01-01T10:00:00+09:00"},
    ],
)
def test_bad_move_is_400_and_changes_nothing(expo, staff_api, body):
    hall = make_hall(expo)
    slot = place(make_showcase(expo), hall, at(expo, 0, 10))
    response = staff_api.patch(f"/api/v1/showcase-slots/{slot.pk}/", body, format="json")
    assert response.status_code == 400
    assert list(ShowcaseSlot.objects.values_list("hall_id", "starts_at", "pinned")) == [(hall.pk, at(expo, 0, 10), False)]


def test_release_then_public_programme(expo, staff_api, api):
    hall = make_hall(expo, "A")
    startup = factories.StartupFactory(name="Hanbit")
    slot = place(make_showcase(expo, startup, title="Robots"), hall, at(expo, 0, 10))
    assert api.get(f"/api/v1/expos/{expo.pk}/programme/").status_code == 404
    assert api.get(f"/expos/{expo.pk}/programme.ics").status_code == 404
    response = staff_api.post(f"/api/v1/expos/{expo.pk}/releases/", {"comment": "First"}, format="json")
    assert response.status_code == 201
    assert response.data["version"] == 1
    assert [c["kind"] for c in response.data["changes"]] == ["added"]

    staff_api.patch(f"/api/v1/showcase-slots/{slot.pk}/", {"starts_at": at(expo, 1, 11).isoformat()}, format="json")
    public = api.get(f"/api/v1/expos/{expo.pk}/programme/")
    assert public.status_code == 200
    assert public.data["version"] == 1
    assert [dict(s) for s in public.data["slots"]] == [
        {
            "hall": "A",
            "starts_at": at(expo, 0, 10).isoformat(),
            "ends_at": at(expo, 0, 10, 30).isoformat(),
            "startup": "Hanbit",
            "title": "Robots",
        }
    ]


def test_release_with_bad_input_is_400_and_creates_nothing(expo, staff_api):
    place(make_showcase(expo), make_hall(expo), at(expo, 0, 10))
    response = staff_api.post(f"/api/v1/expos/{expo.pk}/releases/", {"comment": ["a", "b"]}, format="json")
    assert response.status_code == 400
    assert Release.objects.count() == 0


def test_ical_has_one_event_per_slot_and_a_per_startup_calendar(expo, staff_api, api):
    hall = make_hall(expo)
    startup = factories.StartupFactory()
    place(make_showcase(expo, startup), hall, at(expo, 0, 10))
    for hour in (11, 12):
        place(make_showcase(expo), hall, at(expo, 1, hour - 1))
    staff_api.post(f"/api/v1/expos/{expo.pk}/releases/", {}, format="json")
    response = api.get(f"/expos/{expo.pk}/programme.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 3
    mine = api.get(f"/expos/{expo.pk}/programme/startups/{startup.pk}.ics")
    assert [str(e["summary"]) for e in Calendar.from_ical(mine.content).walk("VEVENT")] == [
        f"{startup.name}: {startup.name} live"
    ]


def _released(expo, count):
    hall = make_hall(expo)
    for n in range(count):
        place(make_showcase(expo), hall, at(expo, 0, 10) + n * (at(expo, 0, 10, 30) - at(expo, 0, 10)))
    from expos import programme

    programme.release_create(expo=expo, by=organiser(expo.department))


@pytest.mark.parametrize("count", [1, 3])
def test_public_programme_queries_do_not_grow(api, count, django_assert_num_queries):
    expo = make_expo()
    _released(expo, count)
    with django_assert_num_queries(2):  # the release with its expo, its slots
        assert api.get(f"/api/v1/expos/{expo.pk}/programme/").status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_slot_list_queries_do_not_grow(staff_api, expo, count, django_assert_num_queries):
    hall = make_hall(expo)
    for n in range(count):
        place(make_showcase(expo), hall, at(expo, 0, 10) + n * (at(expo, 0, 10, 30) - at(expo, 0, 10)))
    with django_assert_num_queries(4):  # the user's roles, the expo, count, the slots
        assert staff_api.get(f"/api/v1/expos/{expo.pk}/slots/").status_code == 200


def test_outcome_by_a_member_after_the_expo():
    expo = make_expo(starts_in_days=-4)
    founder = factories.UserFactory(roles=["founder"])
    showcase = make_showcase(expo, factories.StartupFactory(owner=founder))
    place(showcase, make_hall(expo), at(expo, 0, 10))
    from expos import programme

    programme.release_create(expo=expo, by=organiser(expo.department))
    api = client_for(founder)
    url = f"/api/v1/showcases/{showcase.pk}/outcome/"
    assert api.post(url, {"visitors": -1, "meetings": 1, "leads": 1}, format="json").status_code == 400
    assert api.post(url, {"visitors": 10}, format="json").status_code == 400
    assert ShowcaseOutcome.objects.count() == 0
    assert client_for(factories.UserFactory(roles=["founder"])).post(
        url, {"visitors": 1, "meetings": 1, "leads": 1}, format="json"
    ).status_code == 404
    response = api.post(url, {"visitors": 40, "meetings": 5, "leads": 2}, format="json")
    assert response.status_code == 200
    assert (response.data["visitors"], response.data["meetings"], response.data["leads"]) == (40, 5, 2)


def test_outcome_before_the_expo_ends_is_409(expo):
    founder = factories.UserFactory(roles=["founder"])
    showcase = make_showcase(expo, factories.StartupFactory(owner=founder))
    response = client_for(founder).post(
        f"/api/v1/showcases/{showcase.pk}/outcome/", {"visitors": 1, "meetings": 1, "leads": 1}, format="json"
    )
    assert response.status_code == 409


def test_public_programme_from_the_cache_is_the_same_and_takes_one_query(api, django_assert_num_queries):
    expo = make_expo()
    _released(expo, 3)
    first = api.get(f"/api/v1/expos/{expo.pk}/programme/").data
    with django_assert_num_queries(1):  # the last release; its slots come from the cache
        assert api.get(f"/api/v1/expos/{expo.pk}/programme/").data == first
