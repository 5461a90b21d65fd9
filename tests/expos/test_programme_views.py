import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from expos import programme
from expos.models import ShowcaseSlot
from tests import factories
from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, organiser, place

pytestmark = pytest.mark.django_db
# The index page for a founder: the session, the user, the roles, the unread count, the
# showcases with their released slots.
QUERIES = 5


def _released(expo, count):
    hall = make_hall(expo, "Main hall")
    for n in range(count):
        place(make_showcase(expo, title=f"Demo {n}"), hall, at(expo, 0, 10) + n * (at(expo, 0, 10, 30) - at(expo, 0, 10)))
    programme.release_create(expo=expo, by=organiser(expo.department))


def test_public_page_is_404_before_the_first_release(client):
    expo = make_expo()
    place(make_showcase(expo), make_hall(expo), at(expo, 0, 10))
    assert client.get(f"/expos/{expo.pk}/programme/").status_code == 404


def test_public_page_shows_the_release_without_login(client):
    expo = make_expo()
    _released(expo, 2)
    body = client.get(f"/expos/{expo.pk}/programme/").content.decode()
    assert "Demo 0" in body and "Demo 1" in body and "Main hall" in body


def test_public_page_in_korean(client):
    expo = make_expo()
    _released(expo, 1)
    with translation.override("ko"):
        response = client.get(f"/expos/{expo.pk}/programme/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "프로그램" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_public_page_queries_do_not_grow(client, count):
    expo = make_expo()
    _released(expo, count)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/expos/{expo.pk}/programme/").status_code == 200
    assert len(captured) == 2  # the last release with its expo, its slots
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/expos/{expo.pk}/programme/").content.decode().count("Demo ") == count
    assert len(captured) == 1  # the slots come from the cached fragment


def test_schedule_page_for_the_organiser_and_404_for_another_department(client):
    expo = make_expo()
    hall = make_hall(expo, "Main hall")
    needy = make_showcase(expo, needs=["water"], title="Aquarium")
    place(needy, hall, at(expo, 0, 10))
    client.force_login(organiser(expo.department))
    body = client.get(f"/expos/{expo.pk}/schedule/").content.decode()
    assert "Aquarium" in body and 'id="schedule-warnings"' in body
    client.force_login(organiser(factories.DepartmentFactory()))
    assert client.get(f"/expos/{expo.pk}/schedule/").status_code == 404


def test_move_form_into_a_taken_slot_changes_nothing(client):
    expo = make_expo()
    hall = make_hall(expo)
    place(make_showcase(expo), hall, at(expo, 0, 10))
    slot = place(make_showcase(expo), hall, at(expo, 0, 11))
    client.force_login(organiser(expo.department))
    response = client.post(
        f"/expos/showcase-slots/{slot.pk}/move/", {"hall": hall.pk, "starts_at": at(expo, 0, 10).isoformat()}
    )
    assert response.status_code == 302
    assert ShowcaseSlot.objects.get(pk=slot.pk).starts_at == at(expo, 0, 11)


def test_run_button_queues_a_run_and_release_form_releases(client, django_capture_on_commit_callbacks):
    expo = make_expo()
    make_hall(expo)
    make_showcase(expo)
    client.force_login(organiser(expo.department))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/expos/{expo.pk}/schedule/run/").status_code == 302
    run = expo.schedule_runs.get()
    assert client.get(f"/expos/schedule-runs/{run.pk}/").status_code == 200
    client.post(f"/expos/{expo.pk}/releases/new/", {"comment": "First"})
    assert expo.releases.count() == (1 if ShowcaseSlot.objects.exists() else 0)


def test_founders_showcase_page_shows_the_released_slot_and_takes_the_outcome(client):
    expo = make_expo(starts_in_days=-3)
    founder = factories.UserFactory(roles=["founder"])
    showcase = make_showcase(expo, factories.StartupFactory(owner=founder))
    place(showcase, make_hall(expo, "Main hall"), at(expo, 0, 10))
    programme.release_create(expo=expo, by=organiser(expo.department))
    client.force_login(founder)
    body = client.get(f"/expos/showcases/{showcase.pk}/programme/").content.decode()
    assert 'id="slot-ics"' in body and "Main hall" in body
    client.post(f"/expos/showcases/{showcase.pk}/programme/", {"visitors": 9, "meetings": 2, "leads": 1})
    assert showcase.outcome.visitors == 9


def test_outcomes_page_totals(client):
    expo = make_expo(starts_in_days=-3)
    client.force_login(organiser(expo.department))
    assert client.get(f"/expos/{expo.pk}/outcomes/").status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_index_page_queries_do_not_grow(client, count):
    founder = factories.UserFactory(roles=["founder"])
    for _ in range(count):
        expo = make_expo()
        showcase = make_showcase(expo, factories.StartupFactory(owner=founder))
        place(showcase, make_hall(expo), at(expo, 0, 10))
        programme.release_create(expo=expo, by=organiser(expo.department))
    client.force_login(founder)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/expos/programmes/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/expos/showcases/') == count
    assert len(captured) == QUERIES
