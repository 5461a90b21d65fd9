"""The expo letter's handler: its details in the letter's API, and approval creates the showcase."""
import pytest

from applications.enums import Category, Status
from applications.fulfilment import handler_for
from applications.services.review import letter_decide
from core.exceptions import InvalidInput
from expos.models import ExpoRequest, Showcase
from tests import factories

from .factories import ExpoFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db


def letter_payload(startup, expo_details):
    return {
        "startup": startup.pk,
        "category": "expo",
        "subject": "A stand at the expo",
        "body": "We would like to show our robot.",
        "expo": expo_details,
    }


def test_letter_create_with_expo_details_stores_them(founder_api, expo, startup):
    details = {"expo": expo.pk, "title": "Robot", "description": "It sorts parcels."}
    response = founder_api.post("/api/v1/letters/", letter_payload(startup, details), format="json")
    assert response.status_code == 201
    assert response.data["expo"] == details
    request = ExpoRequest.objects.get()
    assert (request.expo, request.title) == (expo, "Robot")


@pytest.mark.parametrize("details", [None, {"title": "Robot"}, {"expo": 999999, "title": "Robot"}, {"expo": "x"}])
def test_letter_create_without_a_valid_expo_is_400(founder_api, expo, startup, details):
    payload = letter_payload(startup, details)
    if details is None:
        del payload["expo"]
    response = founder_api.post("/api/v1/letters/", payload, format="json")
    assert (response.status_code, ExpoRequest.objects.count()) == (400, 0)


def test_clean_details_refuses_an_ineligible_startup_with_the_reason(startup):
    expo = ExpoFactory(registered_only=True)
    with pytest.raises(InvalidInput) as caught:
        handler_for(Category.EXPO).clean_details(
            startup=startup, requested_amount=None, details={"expo": expo, "title": "Robot"}
        )
    assert str(caught.value) == "This expo is for registered startups only."


def pending_expo_letter(expo, startup, approver):
    letter = factories.letter_in_state(
        Status.PENDING_APPROVAL,
        reviewer=factories.UserFactory(roles=["reviewer"]),
        approver=approver,
        category=Category.EXPO,
        startup=startup,
    )
    ExpoRequest.objects.create(letter=letter, expo=expo, title="Robot", description="Parcels")
    return letter


def test_letter_decide_approve_creates_a_submitted_showcase(expo, startup):
    approver = factories.UserFactory(roles=["approver"])
    letter = pending_expo_letter(expo, startup, approver)

    letter_decide(letter=letter, by=approver, decision="approve")

    showcase = Showcase.objects.get()
    assert (showcase.letter, showcase.expo, showcase.startup, showcase.title, showcase.status) == (
        letter,
        expo,
        startup,
        "Robot",
        "submitted",
    )


def test_letter_decide_approve_when_the_startup_applied_already_is_400_and_changes_nothing(expo, startup):
    approver = factories.UserFactory(roles=["approver"])
    letter = pending_expo_letter(expo, startup, approver)
    ShowcaseFactory(expo=expo, startup=startup)

    with pytest.raises(InvalidInput):
        letter_decide(letter=letter, by=approver, decision="approve")

    letter.refresh_from_db()
    assert (letter.status, Showcase.objects.count()) == (Status.PENDING_APPROVAL, 1)


def test_approval_judges_the_facts_recorded_at_submission(startup):
    """A startup judged eligible as it submitted stays so at approval, whatever changed since;
    its showcase is in the sector recorded then."""
    approver = factories.UserFactory(roles=["approver"])
    expo = ExpoFactory(min_stage="prototype")
    letter = pending_expo_letter(expo, startup, approver)  # recorded at the prototype stage
    startup.stage, startup.sector = "idea", "energy"
    startup.save()

    letter_decide(letter=letter, by=approver, decision="approve")

    showcase = Showcase.objects.get()
    assert (showcase.letter, showcase.sector) == (letter, "software")


def test_facts_name_the_expo_and_the_title(expo, startup):
    letter = pending_expo_letter(expo, startup, factories.UserFactory(roles=["approver"]))
    facts = handler_for(Category.EXPO).facts(letter)
    assert [(fact.label, fact.value) for fact in facts][::2] == [("Expo", expo.name), ("Showcase title", "Robot")]


def test_compose_page_with_expo_details_stores_them(client, founder, expo, startup):
    client.force_login(founder)
    response = client.post(
        "/letters/new/",
        {"startup": startup.pk, "category": "expo", "subject": "A stand", "body": "Please.",
         "requested_amount": "", "details-expo": expo.pk, "details-title": "Robot", "details-description": ""},
    )
    assert (response.status_code, ExpoRequest.objects.get().title) == (302, "Robot")
