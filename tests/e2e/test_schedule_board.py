"""The organiser's schedule board in the browser: a showcase card dragged onto a free cell moves
there (the drag submits the card's own move form, and htmx swaps the board in); dropped onto a
taken cell, it stays and the reason is announced."""

import datetime

import pytest

from expos.demo import DEMO_EXPO
from expos.models import Expo, ShowcaseSlot
from tests.e2e.conftest import ROLES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FREE_CELL = "#schedule-grid td[data-drop-hall]:not(:has([data-slot-card]))"
TAKEN_CELL = "#schedule-grid td[data-drop-hall]:has([data-slot-card])"


def open_board(demo_site, page):
    expo = Expo.objects.get(name=DEMO_EXPO)
    demo_site.sign_in(page.context, ROLES["expo_organiser"])
    page.goto(f"{demo_site.url}/expos/{expo.pk}/schedule/")
    return page.locator("[data-slot-card]").first


def test_a_card_dragged_onto_a_free_cell_moves_there(demo_site, page):
    card = open_board(demo_site, page)
    slot_pk = int(card.get_attribute("data-slot-card"))
    target = page.locator(FREE_CELL).first
    hall, starts_at = target.get_attribute("data-drop-hall"), target.get_attribute("data-drop-starts-at")

    with page.expect_response(lambda r: "/move/" in r.url) as answer:
        card.drag_to(target)

    assert answer.value.status == 200
    page.locator(f'td[data-drop-starts-at="{starts_at}"][data-drop-hall="{hall}"] [data-slot-card="{slot_pk}"]').wait_for()
    slot = ShowcaseSlot.objects.get(pk=slot_pk)
    assert (slot.hall_id, slot.starts_at) == (int(hall), datetime.datetime.fromisoformat(starts_at))


def test_a_card_dropped_onto_a_taken_cell_stays_and_the_reason_is_announced(demo_site, page):
    card = open_board(demo_site, page)
    slot_pk = int(card.get_attribute("data-slot-card"))
    before = ShowcaseSlot.objects.values_list("hall_id", "starts_at").get(pk=slot_pk)
    target = page.locator(TAKEN_CELL).nth(1)
    page.expected_console_errors.append("status of 409")

    with page.expect_response(lambda r: "/move/" in r.url) as answer:
        card.drag_to(target)

    assert answer.value.status == 409
    page.locator("#move-status .alert-danger").wait_for()
    assert page.locator("#move-status").get_attribute("role") == "status"
    assert ShowcaseSlot.objects.values_list("hall_id", "starts_at").get(pk=slot_pk) == before
