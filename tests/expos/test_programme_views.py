import datetime
import re

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
# An htmx move: the session, the user, the roles, the slot with its expo, the halls (the form's
# choices), the hall chosen, the service's check, its save (savepoint, update, release), then the
# board: the halls, the slots, and the warnings' slots and halls.
MOVE_QUERIES = 14


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


# --- the schedule board: drag and drop (htmx) and the move form ---------------------------------


def _card_in_cell(body, slot, hall, starts_at) -> bool:
    """The slot's card is the content of the grid cell of (hall, starts_at)."""
    cell = f'<td data-drop-hall="{hall.pk}" data-drop-starts-at="{starts_at.isoformat()}">'
    return re.search(re.escape(cell) + r'\s*<div class="slot-card" draggable="true" data-slot-card="' + str(slot.pk) + '"', body) is not None


def _board(expo, *, slots=1):
    """An expo with two halls and `slots` showcases placed in the first hall, from 10:00."""
    hall, other = make_hall(expo, "Hall A"), make_hall(expo, "Hall B")
    placed = [place(make_showcase(expo, title=f"Demo {n}"), hall, at(expo, 0, 10) + datetime.timedelta(minutes=30 * n)) for n in range(slots)]
    return hall, other, placed


def test_schedule_board_gives_every_card_a_drag_handle_and_its_move_form(client):
    expo = make_expo()
    hall, _other, (first, second) = _board(expo, slots=2)
    client.force_login(organiser(expo.department))
    body = client.get(f"/expos/{expo.pk}/schedule/").content.decode()
    assert 'src="/static/js/schedule.js"' in body and 'id="move-status" role="status"' in body
    for slot in (first, second):
        assert _card_in_cell(body, slot, hall, slot.starts_at)
        assert f'id="move-{slot.pk}"' in body and f'hx-post="/expos/showcase-slots/{slot.pk}/move/"' in body
    # Each form starts at its slot's own time, so that moving to another hall keeps the time.
    assert f'<option value="{at(expo, 0, 10, 30).isoformat()}" selected>' in body


def test_htmx_move_answers_with_the_board_showing_the_card_in_its_new_cell(client):
    expo = make_expo()
    _hall, other, (slot,) = _board(expo)
    client.force_login(organiser(expo.department))
    response = client.post(
        f"/expos/showcase-slots/{slot.pk}/move/",
        {"hall": other.pk, "starts_at": at(expo, 0, 11).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "expos/programme/_board.html" and "<html" not in body
    assert _card_in_cell(body, slot, other, at(expo, 0, 11))
    assert 'hx-swap-oob="innerHTML"' in body and "The showcase is moved." in body
    moved = ShowcaseSlot.objects.get(pk=slot.pk)
    assert (moved.hall_id, moved.starts_at) == (other.pk, at(expo, 0, 11))


def test_htmx_move_onto_a_taken_cell_is_409_with_the_reason_and_changes_nothing(client):
    expo = make_expo()
    hall, _other, (holder, slot) = _board(expo, slots=2)
    client.force_login(organiser(expo.department))
    response = client.post(
        f"/expos/showcase-slots/{slot.pk}/move/",
        {"hall": hall.pk, "starts_at": holder.starts_at.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Another showcase already holds this hall at this time." in body
    assert _card_in_cell(body, slot, hall, at(expo, 0, 10, 30)) and _card_in_cell(body, holder, hall, at(expo, 0, 10))
    assert ShowcaseSlot.objects.get(pk=slot.pk).starts_at == at(expo, 0, 10, 30)


def test_htmx_move_to_a_time_outside_the_grid_is_400_and_changes_nothing(client):
    expo = make_expo()
    hall, _other, (slot,) = _board(expo)
    client.force_login(organiser(expo.department))
    response = client.post(
        f"/expos/showcase-slots/{slot.pk}/move/",
        {"hall": hall.pk, "starts_at": at(expo, 0, 18).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert (response.status_code, "Choose a hall and a time of the expo." in response.content.decode()) == (400, True)
    assert ShowcaseSlot.objects.get(pk=slot.pk).starts_at == at(expo, 0, 10)


def test_htmx_move_warnings_are_those_of_the_new_place(client):
    expo = make_expo()
    hall, other = make_hall(expo, "Hall A"), make_hall(expo, "Wet hall", features=["water"])
    slot = place(make_showcase(expo, needs=["water"], title="Aquarium"), hall, at(expo, 0, 10))
    client.force_login(organiser(expo.department))
    assert 'id="schedule-warnings"' in client.get(f"/expos/{expo.pk}/schedule/").content.decode()
    response = client.post(
        f"/expos/showcase-slots/{slot.pk}/move/",
        {"hall": other.pk, "starts_at": at(expo, 0, 10).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="schedule-warnings"' not in response.content.decode()


@pytest.mark.parametrize("who", ["other_department", "founder"])
def test_move_by_a_non_organiser_is_404_and_changes_nothing(client, who):
    expo = make_expo()
    _hall, other, (slot,) = _board(expo)
    user = organiser(factories.DepartmentFactory()) if who == "other_department" else factories.UserFactory(roles=["founder"])
    client.force_login(user)
    response = client.post(
        f"/expos/showcase-slots/{slot.pk}/move/",
        {"hall": other.pk, "starts_at": at(expo, 0, 11).isoformat()},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 404
    assert ShowcaseSlot.objects.get(pk=slot.pk).hall_id != other.pk


def test_move_signed_out_goes_to_the_login_page(client):
    expo = make_expo()
    _hall, other, (slot,) = _board(expo)
    response = client.post(f"/expos/showcase-slots/{slot.pk}/move/", {"hall": other.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("slots", [1, 3])
def test_htmx_move_queries_do_not_grow_with_the_board(client, django_assert_num_queries, slots):
    expo = make_expo()
    _hall, other, placed = _board(expo, slots=slots)
    client.force_login(organiser(expo.department))
    client.get(f"/expos/{expo.pk}/schedule/")
    with django_assert_num_queries(MOVE_QUERIES):
        response = client.post(
            f"/expos/showcase-slots/{placed[0].pk}/move/",
            {"hall": other.pk, "starts_at": at(expo, 0, 11).isoformat()},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200 and response.content.decode().count("data-slot-card=") == slots


@pytest.mark.parametrize(("roles", "shown"), [(["founder"], True), (["expo_organiser"], True), (["admin"], True), (["reviewer"], False)])
def test_navigation_links_the_programmes_for_founders_organisers_and_admins(client, roles, shown):
    client.force_login(factories.UserFactory(roles=roles, department=factories.DepartmentFactory()))
    assert ('href="/expos/programmes/"' in client.get("/expos/programmes/").content.decode()) is shown
