"""The space letter through the letters' own API and services: its details are validated at
the draft, and approving it puts a waiting space request on the list."""

import pytest

from applications.enums import Category, Status
from applications.fulfilment import handler_for
from applications.models import Letter
from applications.services.review import letter_decide
from spaces.enums import RequestStatus
from spaces.models import SpaceAsk, SpaceRequest
from tests import factories
from tests.spaces.factories import space_letter

pytestmark = pytest.mark.django_db
LETTERS = "/api/v1/letters/"
SPACE = {"kind": "office", "seats": 3, "starts_on": "2027-04-01", "ends_on": "2027-10-01", "site": None}


def draft_body(startup, **space):
    body = {"startup": startup.pk, "category": "space", "subject": "An office", "body": "Please."}
    return {**body, "space": {**SPACE, **space}}


def test_space_draft_with_its_details_is_201_and_shows_them(founder_api, startup, site):
    response = founder_api.post(LETTERS, draft_body(startup, site=site.pk), format="json")

    assert response.status_code == 201, response.data
    assert response.data["space"] == {**SPACE, "site": site.pk}
    ask = SpaceAsk.objects.get(letter_id=response.data["id"])
    assert (ask.kind, ask.seats, ask.site) == ("office", 3, site)


WITHOUT_KIND = {name: value for name, value in SPACE.items() if name != "kind"}


@pytest.mark.parametrize(
    "space",
    [
        None,
        WITHOUT_KIND,
        {**SPACE, "seats": 0},
        {**SPACE, "kind": "meeting_room"},
        {**SPACE, "ends_on": "2027-04-01"},
        {**SPACE, "ends_on": "2027-03-01"},
        {**SPACE, "starts_on": "not a date"},
        {**SPACE, "site": 999999},
        {**SPACE, "ends_on": "2040-01-01"},
    ],
)
def test_space_draft_with_bad_details_is_400_and_creates_nothing(founder_api, startup, space):
    body = {**draft_body(startup), "space": space}

    response = founder_api.post(LETTERS, body, format="json")

    assert response.status_code == 400, response.data
    assert "space" in response.data
    assert (Letter.objects.count(), SpaceAsk.objects.count()) == (0, 0)


def test_space_draft_edit_changes_one_detail(founder_api, startup):
    created = founder_api.post(LETTERS, draft_body(startup), format="json").data

    response = founder_api.patch(f"{LETTERS}{created['id']}/", {"space": {"seats": 5}}, format="json")

    assert response.status_code == 200, response.data
    assert SpaceAsk.objects.get(letter_id=created["id"]).seats == 5


def test_space_draft_edit_ending_before_it_starts_is_400_and_changes_nothing(founder_api, startup):
    created = founder_api.post(LETTERS, draft_body(startup), format="json").data

    response = founder_api.patch(f"{LETTERS}{created['id']}/", {"space": {"ends_on": "2027-01-01"}}, format="json")

    assert response.status_code == 400
    assert SpaceAsk.objects.get(letter_id=created["id"]).ends_on.isoformat() == "2027-10-01"


def test_approving_a_space_letter_creates_a_waiting_request():
    approver = factories.UserFactory(roles=["approver"])
    letter = space_letter(approver=approver, reviewer=factories.UserFactory(roles=["reviewer"]), seats=4)

    letter_decide(letter=letter, by=approver, decision="approve")

    letter.refresh_from_db()
    request = SpaceRequest.objects.get(letter=letter)
    assert letter.status == Status.APPROVED
    assert (request.startup, request.kind, request.seats, request.status) == (
        letter.startup,
        "desk",
        4,
        RequestStatus.WAITING,
    )


def test_rejecting_a_space_letter_creates_no_request():
    approver = factories.UserFactory(roles=["approver"])
    letter = space_letter(approver=approver, reviewer=factories.UserFactory(roles=["reviewer"]))

    letter_decide(letter=letter, by=approver, decision="reject")

    assert SpaceRequest.objects.count() == 0


def test_facts_name_what_is_asked_and_the_waiting_list():
    letter = space_letter(seats=4)

    facts = {str(fact.label): fact.value for fact in handler_for(Category.SPACE).facts(letter)}

    assert (facts["Seats"], facts["Requests waiting for this kind"]) == (4, 0)
