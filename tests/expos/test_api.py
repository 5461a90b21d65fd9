"""The expos API: expos and halls, applications within the window, reviews, held decisions
and their release, and who may see and do what."""
import datetime

import pytest
from django.utils import timezone

from expos.models import Expo, Hall, Showcase, ShowcaseReview
from notifications.models import Notification, OutgoingEmail
from startups.enums import Stage
from tests import factories

from .factories import ExpoFactory, HallFactory, ShowcaseFactory

pytestmark = pytest.mark.django_db


def expo_payload(dept, **overrides):
    today = timezone.localdate()
    payload = {
        "name": "Startup Expo Daejeon",
        "city": "Daejeon",
        "venue": "DCC",
        "department": dept.pk,
        "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=31)).isoformat(),
        "applications_open_on": today.isoformat(),
        "applications_close_on": (today + datetime.timedelta(days=10)).isoformat(),
        "day_starts_at": "09:00",
        "day_ends_at": "17:00",
        "slot_minutes": 30,
        "slot_value": "150000.00",
    }
    payload.update(overrides)
    return payload


def showcase_payload(ex, st, **overrides):
    expo = ex
    payload = {
        "expo": ex.pk,
        "startup": st.pk,
        "title": "Our robot",
        "description": "It sorts parcels.",
        "sector": "hardware",
        "needs": ["power"],
        "available_days": [expo.starts_on.isoformat()],
    }
    payload.update(overrides)
    return payload


# --- expos and halls ---------------------------------------------------------------------------


def test_expo_create_by_the_departments_organiser_is_201(api, organiser, department):
    api.force_authenticate(organiser)
    response = api.post("/api/v1/expos/", expo_payload(department), format="json")
    assert response.status_code == 201
    expo = Expo.objects.get()
    assert (response.data["slot_value"], expo.department, expo.created_by) == ("150000.00", department, organiser)


def test_expo_create_slot_value_defaults_to_zero(api, organiser, department):
    api.force_authenticate(organiser)
    payload = expo_payload(department)
    del payload["slot_value"]
    response = api.post("/api/v1/expos/", payload, format="json")
    assert (response.status_code, response.data["slot_value"]) == (201, "0.00")


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"department": 999999},
        {"ends_on": "2000-01-01"},
        {"applications_close_on": "2000-01-01"},
        {"day_ends_at": "08:00"},
        {"slot_minutes": 0},
        {"slot_minutes": "many"},
        {"slot_value": "-1.00"},
        {"slot_value": "1.001"},
        {"min_stage": "unicorn"},
        {"starts_on": "not a date"},
    ],
)
def test_expo_create_bad_input_is_400_and_creates_nothing(api, organiser, department, overrides):
    api.force_authenticate(organiser)
    response = api.post("/api/v1/expos/", expo_payload(department, **overrides), format="json")
    assert (response.status_code, Expo.objects.count()) == (400, 0)


def test_expo_create_for_another_department_is_400(api, other_organiser, department):
    api.force_authenticate(other_organiser)
    response = api.post("/api/v1/expos/", expo_payload(department), format="json")
    assert (response.status_code, Expo.objects.count()) == (400, 0)


def test_expo_create_by_a_founder_is_403(founder_api, department):
    response = founder_api.post("/api/v1/expos/", expo_payload(department), format="json")
    assert (response.status_code, Expo.objects.count()) == (403, 0)


def test_expo_update_by_another_departments_organiser_is_403(api, other_organiser, expo):
    api.force_authenticate(other_organiser)
    response = api.patch(f"/api/v1/expos/{expo.pk}/", {"name": "Taken over"}, format="json")
    expo.refresh_from_db()
    assert (response.status_code, expo.name == "Taken over") == (403, False)


def test_expo_update_by_the_organiser_changes_the_name(api, organiser, expo):
    api.force_authenticate(organiser)
    response = api.patch(f"/api/v1/expos/{expo.pk}/", {"name": "Renamed"}, format="json")
    expo.refresh_from_db()
    assert (response.status_code, expo.name) == (200, "Renamed")


def test_expo_update_bad_dates_is_400_and_changes_nothing(api, organiser, expo):
    api.force_authenticate(organiser)
    response = api.patch(f"/api/v1/expos/{expo.pk}/", {"ends_on": "2000-01-01"}, format="json")
    before = expo.ends_on
    expo.refresh_from_db()
    assert (response.status_code, expo.ends_on) == (400, before)


def test_expo_list_is_open_to_founders(founder_api, expo):
    response = founder_api.get("/api/v1/expos/")
    assert (response.status_code, [row["id"] for row in response.data["results"]]) == (200, [expo.pk])


@pytest.mark.parametrize("rows", [1, 3])
def test_expo_list_query_count_does_not_grow(founder_api, django_assert_num_queries, rows):
    ExpoFactory.create_batch(rows)
    founder_api.get("/api/v1/expos/")  # the user's roles are read and cached once
    with django_assert_num_queries(2):
        response = founder_api.get("/api/v1/expos/")
    assert len(response.data["results"]) == rows


def test_hall_create_is_201_with_features(api, organiser, expo):
    api.force_authenticate(organiser)
    response = api.post(
        "/api/v1/expo-halls/", {"expo": expo.pk, "name": "A", "capacity": 1, "features": ["power"]}, format="json"
    )
    assert (response.status_code, Hall.objects.get().features) == (201, ["power"])


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"capacity": 0},
        {"features": "power"},
        {"features": ["x" * 51]},
        {"expo": 999999},
    ],
)
def test_hall_create_bad_input_is_400_and_creates_nothing(api, organiser, expo, payload):
    api.force_authenticate(organiser)
    body = {"expo": expo.pk, "name": "A", "capacity": 1, "features": [], **payload}
    response = api.post("/api/v1/expo-halls/", body, format="json")
    assert (response.status_code, Hall.objects.count()) == (400, 0)


def test_hall_create_in_another_departments_expo_is_400(api, other_organiser, expo):
    api.force_authenticate(other_organiser)
    response = api.post("/api/v1/expo-halls/", {"expo": expo.pk, "name": "A"}, format="json")
    assert (response.status_code, Hall.objects.count()) == (400, 0)


def test_hall_create_duplicate_name_is_400(api, organiser, expo):
    HallFactory(expo=expo, name="A")
    api.force_authenticate(organiser)
    response = api.post("/api/v1/expo-halls/", {"expo": expo.pk, "name": "a"}, format="json")
    assert (response.status_code, Hall.objects.count()) == (400, 1)


# --- applications ------------------------------------------------------------------------------


def test_showcase_create_by_a_member_is_201_submitted(founder_api, founder, expo, startup):
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup), format="json")
    assert response.status_code == 201
    showcase = Showcase.objects.get()
    assert (response.data["status"], showcase.needs, showcase.available_days, showcase.created_by) == (
        "submitted",
        ["power"],
        [expo.starts_on.isoformat()],
        founder,
    )
    assert "decision" not in response.data


def test_showcase_create_without_days_means_every_day(founder_api, expo, startup):
    payload = showcase_payload(expo, startup)
    del payload["available_days"]
    response = founder_api.post("/api/v1/showcases/", payload, format="json")
    assert (response.status_code, Showcase.objects.get().available_days) == (201, [])


@pytest.mark.parametrize("shift", [-20, 20])
def test_showcase_create_outside_the_window_is_409(founder_api, startup, shift):
    today = timezone.localdate() + datetime.timedelta(days=shift)
    expo = ExpoFactory(applications_open_on=today, applications_close_on=today)
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup), format="json")
    assert (response.status_code, Showcase.objects.count()) == (409, 0)


def test_showcase_create_second_for_the_same_startup_is_400(founder_api, expo, startup):
    ShowcaseFactory(expo=expo, startup=startup)
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup), format="json")
    assert (response.status_code, Showcase.objects.count()) == (400, 1)


def test_showcase_create_unregistered_startup_at_a_registered_only_expo_is_400_with_the_reason(
    founder_api, startup
):
    expo = ExpoFactory(registered_only=True)
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup), format="json")
    assert (response.status_code, Showcase.objects.count()) == (400, 0)
    assert response.data == {"startup": ["This expo is for registered startups only."]}


def test_showcase_create_below_the_minimum_stage_is_400(founder_api, startup):
    expo = ExpoFactory(min_stage=Stage.REVENUE)
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup), format="json")
    assert (response.status_code, Showcase.objects.count()) == (400, 0)
    assert response.data == {"startup": ["This expo asks for startups at the Revenue stage or later."]}


def test_showcase_create_registered_startup_at_the_stage_is_201(founder_api, founder):
    expo = ExpoFactory(registered_only=True, min_stage=Stage.PROTOTYPE)
    startup = factories.StartupFactory(owner=founder, registered=True, stage=Stage.REVENUE)
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup), format="json")
    assert response.status_code == 201


def test_showcase_create_for_someone_elses_startup_is_400(founder_api, expo):
    other = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]))
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, other), format="json")
    assert (response.status_code, Showcase.objects.count()) == (400, 0)


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"title": "two\nlines"},
        {"sector": "crypto"},
        {"needs": "power"},
        {"needs": ["x" * 51]},
        {"available_days": ["2000-01-01"]},
        {"available_days": ["soon"]},
        {"expo": 999999},
        {"startup": 999999},
    ],
)
def test_showcase_create_bad_input_is_400_and_creates_nothing(founder_api, expo, startup, overrides):
    response = founder_api.post("/api/v1/showcases/", showcase_payload(expo, startup, **overrides), format="json")
    assert (response.status_code, Showcase.objects.count()) == (400, 0)


# --- visibility --------------------------------------------------------------------------------


def test_showcase_list_founders_see_their_startups_only(founder_api, expo, startup):
    mine = ShowcaseFactory(expo=expo, startup=startup)
    ShowcaseFactory(expo=expo)
    response = founder_api.get("/api/v1/showcases/")
    assert [row["id"] for row in response.data["results"]] == [mine.pk]


def test_showcase_list_organisers_see_their_departments_expos_with_filters(api, organiser, expo):
    accepted = ShowcaseFactory(expo=expo, status="accepted")
    ShowcaseFactory(expo=expo)
    ShowcaseFactory()  # another department's expo
    api.force_authenticate(organiser)
    assert len(api.get("/api/v1/showcases/").data["results"]) == 2
    response = api.get(f"/api/v1/showcases/?expo={expo.pk}&status=accepted")
    assert [row["id"] for row in response.data["results"]] == [accepted.pk]


def test_showcase_another_departments_organiser_gets_404(api, other_organiser, expo):
    showcase = ShowcaseFactory(expo=expo)
    api.force_authenticate(other_organiser)
    assert api.get(f"/api/v1/showcases/{showcase.pk}/").status_code == 404
    assert api.post(f"/api/v1/showcases/{showcase.pk}/review/", {"score": 3}, format="json").status_code == 404
    assert api.post(
        f"/api/v1/showcases/{showcase.pk}/decide/", {"decision": "accept"}, format="json"
    ).status_code == 404
    assert api.post(f"/api/v1/expos/{expo.pk}/release-decisions/").status_code == 403
    showcase.refresh_from_db()
    assert (showcase.decision, ShowcaseReview.objects.count()) == ("", 0)


@pytest.mark.parametrize("rows", [1, 3])
def test_showcase_list_query_count_does_not_grow(api, organiser, expo, django_assert_num_queries, rows):
    ShowcaseFactory.create_batch(rows, expo=expo)
    api.force_authenticate(organiser)
    api.get("/api/v1/showcases/")
    with django_assert_num_queries(2):
        response = api.get("/api/v1/showcases/")
    assert len(response.data["results"]) == rows


# --- review and decisions ----------------------------------------------------------------------


def test_showcase_review_by_the_organiser_records_the_score_once(api, organiser, expo):
    showcase = ShowcaseFactory(expo=expo)
    api.force_authenticate(organiser)
    api.post(f"/api/v1/showcases/{showcase.pk}/review/", {"score": 2}, format="json")
    response = api.post(f"/api/v1/showcases/{showcase.pk}/review/", {"score": 4, "comment": "Good"}, format="json")
    assert response.status_code == 200
    assert list(ShowcaseReview.objects.values_list("score", "comment")) == [(4, "Good")]
    assert api.get(f"/api/v1/showcases/{showcase.pk}/").data["mean_score"] == 4.0


@pytest.mark.parametrize("payload", [{}, {"score": 0}, {"score": 6}, {"score": "high"}, {"score": 2.5}])
def test_showcase_review_bad_input_is_400_and_creates_nothing(api, organiser, expo, payload):
    showcase = ShowcaseFactory(expo=expo)
    api.force_authenticate(organiser)
    response = api.post(f"/api/v1/showcases/{showcase.pk}/review/", payload, format="json")
    assert (response.status_code, ShowcaseReview.objects.count()) == (400, 0)


def test_showcase_review_by_a_founder_of_the_startup_is_403(founder_api, expo, startup):
    showcase = ShowcaseFactory(expo=expo, startup=startup)
    response = founder_api.post(f"/api/v1/showcases/{showcase.pk}/review/", {"score": 5}, format="json")
    assert (response.status_code, ShowcaseReview.objects.count()) == (403, 0)
    response = founder_api.post(f"/api/v1/showcases/{showcase.pk}/decide/", {"decision": "accept"}, format="json")
    showcase.refresh_from_db()
    assert (response.status_code, showcase.decision) == (403, "")


def test_showcase_review_by_another_founder_is_404(api, expo):
    showcase = ShowcaseFactory(expo=expo)
    api.force_authenticate(factories.UserFactory(roles=["founder"]))
    response = api.post(f"/api/v1/showcases/{showcase.pk}/review/", {"score": 5}, format="json")
    assert (response.status_code, ShowcaseReview.objects.count()) == (404, 0)


@pytest.mark.parametrize("payload", [{}, {"decision": "maybe"}, {"decision": ""}])
def test_showcase_decide_bad_input_is_400_and_changes_nothing(api, organiser, expo, payload):
    showcase = ShowcaseFactory(expo=expo)
    api.force_authenticate(organiser)
    response = api.post(f"/api/v1/showcases/{showcase.pk}/decide/", payload, format="json")
    showcase.refresh_from_db()
    assert (response.status_code, showcase.decision) == (400, "")


def test_held_decisions_are_invisible_to_founders_until_released(api, organiser, founder, expo, startup):
    accepted = ShowcaseFactory(expo=expo, startup=startup)
    rejected = ShowcaseFactory(expo=expo)
    api.force_authenticate(organiser)
    response = api.post(f"/api/v1/showcases/{accepted.pk}/decide/", {"decision": "accept"}, format="json")
    assert (response.status_code, response.data["status"], response.data["decision"]) == (200, "submitted", "accepted")
    api.post(f"/api/v1/showcases/{rejected.pk}/decide/", {"decision": "reject"}, format="json")

    api.force_authenticate(founder)
    held = api.get(f"/api/v1/showcases/{accepted.pk}/").data
    assert (held["status"], "decision" in held) == ("submitted", False)
    assert [row["status"] for row in api.get("/api/v1/showcases/?status=accepted").data["results"]] == []
    assert Notification.objects.count() == 0

    api.force_authenticate(organiser)
    response = api.post(f"/api/v1/expos/{expo.pk}/release-decisions/")
    assert (response.status_code, response.data) == (200, {"released": 2})

    api.force_authenticate(founder)
    assert api.get(f"/api/v1/showcases/{accepted.pk}/").data["status"] == "accepted"
    rejected.refresh_from_db()
    assert rejected.status == "rejected"


def test_release_decisions_notifies_the_founders_in_app_and_by_email(api, organiser, founder, expo, startup):
    showcase = ShowcaseFactory(expo=expo, startup=startup, title="Robot")
    api.force_authenticate(organiser)
    api.post(f"/api/v1/showcases/{showcase.pk}/decide/", {"decision": "accept"}, format="json")
    api.post(f"/api/v1/expos/{expo.pk}/release-decisions/")
    subject = f"Your showcase “Robot” at {expo.name} was accepted"
    assert list(Notification.objects.values_list("recipient", "subject")) == [(founder.pk, subject)]
    assert list(OutgoingEmail.objects.values_list("to", "subject")) == [(founder.email, subject)]


def test_decide_after_release_is_409(api, organiser, expo):
    showcase = ShowcaseFactory(expo=expo)
    api.force_authenticate(organiser)
    api.post(f"/api/v1/showcases/{showcase.pk}/decide/", {"decision": "accept"}, format="json")
    api.post(f"/api/v1/expos/{expo.pk}/release-decisions/")
    response = api.post(f"/api/v1/showcases/{showcase.pk}/decide/", {"decision": "reject"}, format="json")
    showcase.refresh_from_db()
    assert (response.status_code, showcase.status, showcase.decision) == (409, "accepted", "accepted")


def test_release_decisions_by_a_founder_is_403(founder_api, expo):
    ShowcaseFactory(expo=expo, decision="accepted")
    response = founder_api.post(f"/api/v1/expos/{expo.pk}/release-decisions/")
    assert (response.status_code, Showcase.objects.get().status) == (403, "submitted")
