"""The routing API: queues, routing rules, rule sets (activate, dry run), preview, holidays."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from applications.enums import Category
from applications.models import Holiday, Letter, ReviewQueue, RoutingRule, RuleSet
from applications.services import router, rulesets
from tests import factories

from .routing_helpers import reviewers, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return factories.DepartmentFactory()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.user = user
    return client


@pytest.fixture
def staff_api():
    return client_for(factories.UserFactory(roles=["reviewer"]))


@pytest.fixture
def other_founder_api():
    return client_for(factories.UserFactory(roles=["founder"]))


@pytest.fixture
def default_queue(department):
    return factories.ReviewQueueFactory(department=department, name="General", is_default=True)


# --- Queues ------------------------------------------------------------------------------------


def test_queue_create_contract(admin_api, department):
    people = reviewers(2)

    response = admin_api.post(
        "/api/v1/queues/",
        {
            "name": "Grants",
            "department": department.pk,
            "sla_hours": 16,
            "reviewers": [p.pk for p in people],
            "is_default": True,
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["department"], body["sla_hours"], body["is_default"]) == (
        "Grants",
        department.pk,
        16,
        True,
    )
    assert sorted(body["reviewers"]) == sorted(p.pk for p in people)
    queue = ReviewQueue.objects.get(pk=body["id"])
    assert set(queue.reviewers.all()) == set(people)


def test_queue_create_default_unsets_previous(admin_api, department, default_queue):
    response = admin_api.post(
        "/api/v1/queues/",
        {"name": "New", "department": department.pk, "sla_hours": 8, "reviewers": [], "is_default": True},
    )

    assert response.status_code == 201
    assert list(ReviewQueue.objects.filter(is_default=True).values_list("name", flat=True)) == ["New"]


def test_queue_patch_makes_another_default(admin_api, department, default_queue):
    other = factories.ReviewQueueFactory(department=department)

    response = admin_api.patch(f"/api/v1/queues/{other.pk}/", {"is_default": True})

    assert response.status_code == 200
    assert response.json()["is_default"] is True
    default_queue.refresh_from_db()
    assert default_queue.is_default is False


@pytest.mark.parametrize(
    "change",
    [
        {"reviewers": "founder"},
        {"reviewers": [987654]},
        {"department": 987654},
        {"sla_hours": 0},
        {"sla_hours": "soon"},
        {"reviewer_capacity": 0},
        {"name": ""},
    ],
)
def test_queue_create_bad_input_is_400_and_creates_nothing(admin_api, department, change):
    payload = {"name": "Q", "department": department.pk, "sla_hours": 8, "reviewers": [], "is_default": False}
    if change.get("reviewers") == "founder":
        change = {"reviewers": [factories.UserFactory(roles=["founder"]).pk]}
    payload.update(change)

    response = admin_api.post("/api/v1/queues/", payload)

    assert response.status_code == 400, response.content
    assert ReviewQueue.objects.count() == 0


def test_queue_write_by_non_admin_is_403(staff_api, department, default_queue):
    assert (
        staff_api.post(
            "/api/v1/queues/", {"name": "Q", "department": department.pk, "sla_hours": 8}
        ).status_code
        == 403
    )
    assert staff_api.patch(f"/api/v1/queues/{default_queue.pk}/", {"name": "X"}).status_code == 403
    assert ReviewQueue.objects.get(pk=default_queue.pk).name == "General"


def test_queue_read_by_staff_yes_by_founder_no(staff_api, other_founder_api, default_queue):
    assert staff_api.get("/api/v1/queues/").status_code == 200
    assert staff_api.get(f"/api/v1/queues/{default_queue.pk}/").status_code == 200
    assert other_founder_api.get("/api/v1/queues/").status_code == 403
    assert other_founder_api.get(f"/api/v1/queues/{default_queue.pk}/").status_code == 403


def test_queue_anonymous_is_401(api):
    assert api.get("/api/v1/queues/").status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 3])
def test_queue_list_query_count(admin_api, django_assert_num_queries, rows):
    for _ in range(rows):
        factories.ReviewQueueFactory(reviewers=reviewers(2), supervisors=reviewers(1))

    # roles of the caller, count, page, reviewers, supervisors
    with django_assert_num_queries(5):
        response = admin_api.get("/api/v1/queues/")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_routing_lists_query_count(admin_api, admin_user, django_assert_num_queries, rows):
    queue = factories.ReviewQueueFactory()
    for n in range(rows):
        rulesets.rule_create(order=n, queue=queue, by=admin_user)
        rulesets.ruleset_create(copy_active=False, by=admin_user)
        Holiday.objects.create(date=datetime.date(2026, 1, 1 + n), name=f"Day {n}")

    admin_api.get("/api/v1/holidays/")  # the caller's roles are read once, then cached on them
    # count, page (and, for rule sets, their rules)
    for url, queries in (("/api/v1/routing-rules/", 2), ("/api/v1/rulesets/", 3), ("/api/v1/holidays/", 2)):
        with django_assert_num_queries(queries):
            response = admin_api.get(url)
        assert response.status_code == 200
        assert len(response.json()["results"]) == (rows + 1 if url == "/api/v1/rulesets/" else rows)


# --- Routing rules -----------------------------------------------------------------------------


def test_routing_rule_create_contract_joins_active_ruleset(admin_api, default_queue):
    response = admin_api.post(
        "/api/v1/routing-rules/",
        {
            "order": 10,
            "queue": default_queue.pk,
            "category": "subsidy",
            "min_amount": "1000.00",
            "max_amount": "5000000.00",
            "sector": "biotech",
            "keywords": "lab, clinical",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["order"], body["queue"], body["category"], body["min_amount"], body["max_amount"]) == (
        10,
        default_queue.pk,
        "subsidy",
        "1000.00",
        "5000000.00",
    )
    assert (body["sector"], body["keywords"], body["version"]) == ("biotech", "lab, clinical", 1)
    assert RuleSet.objects.get().status == RuleSet.State.ACTIVE


def test_routing_rule_all_conditions_optional(admin_api, default_queue):
    response = admin_api.post("/api/v1/routing-rules/", {"order": 1, "queue": default_queue.pk})

    assert response.status_code == 201, response.content
    assert response.json()["category"] == "" and response.json()["min_amount"] is None


def test_routing_rule_routes_the_next_letter(admin_api, default_queue):
    grants = factories.ReviewQueueFactory(reviewers=reviewers(1))
    admin_api.post("/api/v1/routing-rules/", {"order": 1, "queue": grants.pk, "category": "subsidy"})
    (letter,) = submitted(category=Category.SUBSIDY, amount=Decimal(10))

    router.route_waiting_letters()

    assert Letter.objects.get(pk=letter.pk).queue == grants


@pytest.mark.parametrize(
    "change",
    [
        {"min_amount": "500", "max_amount": "100"},
        {"queue": 987654},
        {"category": "bribes"},
        {"sector": "mining"},
        {"min_amount": "-1"},
        {"order": -1},
        {"order": "first"},
        {"ruleset": 987654},
    ],
)
def test_routing_rule_bad_input_is_400_and_creates_nothing(admin_api, default_queue, change):
    payload = {"order": 1, "queue": default_queue.pk, **change}

    response = admin_api.post("/api/v1/routing-rules/", payload)

    assert response.status_code == 400, response.content
    assert RoutingRule.objects.count() == 0


def test_routing_rule_duplicate_order_is_400(admin_api, default_queue):
    assert (
        admin_api.post("/api/v1/routing-rules/", {"order": 1, "queue": default_queue.pk}).status_code == 201
    )

    response = admin_api.post("/api/v1/routing-rules/", {"order": 1, "queue": default_queue.pk})

    assert response.status_code == 400
    assert "order" in response.json()
    assert RoutingRule.objects.count() == 1


def test_routing_rule_in_retired_ruleset_is_409(admin_api, admin_user, default_queue):
    old = rulesets.rule_create(order=1, queue=default_queue, by=admin_user).ruleset
    rulesets.ruleset_activate(ruleset=rulesets.ruleset_create(by=admin_user), by=admin_user)

    response = admin_api.post(
        "/api/v1/routing-rules/", {"order": 2, "queue": default_queue.pk, "ruleset": old.pk}
    )

    assert response.status_code == 409


def test_routing_rule_update_and_delete(admin_api, admin_user, default_queue):
    created = rulesets.rule_create(order=1, queue=default_queue, by=admin_user)

    response = admin_api.patch(f"/api/v1/routing-rules/{created.pk}/", {"keywords": "Solar ,wind"})
    assert response.status_code == 200
    assert response.json()["keywords"] == "Solar, wind"
    bad = admin_api.patch(f"/api/v1/routing-rules/{created.pk}/", {"min_amount": "9", "max_amount": "1"})
    assert bad.status_code == 400

    assert admin_api.delete(f"/api/v1/routing-rules/{created.pk}/").status_code == 204
    assert RoutingRule.objects.count() == 0


def test_routing_rule_write_by_non_admin_is_403(staff_api, default_queue):
    assert (
        staff_api.post("/api/v1/routing-rules/", {"order": 1, "queue": default_queue.pk}).status_code == 403
    )
    assert RoutingRule.objects.count() == 0
    assert staff_api.get("/api/v1/routing-rules/").status_code == 200


# --- Rule sets ---------------------------------------------------------------------------------


def test_ruleset_draft_copy_activate(admin_api, admin_user, default_queue):
    rulesets.rule_create(order=5, queue=default_queue, category="space", by=admin_user)

    created = admin_api.post("/api/v1/rulesets/", {"note": "next quarter"})
    assert created.status_code == 201, created.content
    draft = created.json()
    assert (draft["version"], draft["status"], draft["note"]) == (2, "draft", "next quarter")
    assert [(rule["order"], rule["category"]) for rule in draft["rules"]] == [(5, "space")]

    activated = admin_api.post(f"/api/v1/rulesets/{draft['id']}/activate/")
    assert activated.status_code == 200
    assert activated.json()["status"] == "active"
    assert dict(RuleSet.objects.values_list("version", "status")) == {1: "retired", 2: "active"}
    retired = RuleSet.objects.get(version=1)
    assert admin_api.post(f"/api/v1/rulesets/{retired.pk}/activate/").status_code == 409


def test_ruleset_dry_run_shows_letters_that_would_move(admin_api, admin_user, default_queue):
    (desk,) = submitted(category=Category.SPACE)
    (_other,) = submitted(category=Category.OTHER)
    router.route_waiting_letters()
    spaces = factories.ReviewQueueFactory(name="Spaces")
    draft = rulesets.ruleset_create(by=admin_user)
    rulesets.rule_create(order=1, queue=spaces, category="space", ruleset=draft, by=admin_user)

    response = admin_api.post(f"/api/v1/rulesets/{draft.pk}/dry-run/", {})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["checked"]) == (draft.version, 2)
    (moved,) = body["moved"]
    assert (moved["letter"], moved["queue"], moved["active_queue"], moved["draft_queue"]) == (
        desk.pk,
        default_queue.pk,
        default_queue.pk,
        spaces.pk,
    )
    assert moved["active_rule"] is None and moved["draft_rule"]["order"] == 1
    assert Letter.objects.get(pk=desk.pk).queue == default_queue


def test_ruleset_dry_run_window_in_days(admin_api, admin_user, default_queue):
    (letter,) = submitted(category=Category.SPACE)
    Letter.objects.filter(pk=letter.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=10))
    draft = rulesets.ruleset_create(by=admin_user)

    assert admin_api.post(f"/api/v1/rulesets/{draft.pk}/dry-run/", {"days": 7}).json()["checked"] == 0
    assert admin_api.post(f"/api/v1/rulesets/{draft.pk}/dry-run/", {"days": 0}).status_code == 400


def test_ruleset_writes_by_non_admin_are_403(staff_api, admin_user, default_queue):
    draft = rulesets.ruleset_create(by=admin_user)

    assert staff_api.post("/api/v1/rulesets/", {"note": "x"}).status_code == 403
    assert staff_api.post(f"/api/v1/rulesets/{draft.pk}/activate/").status_code == 403
    assert staff_api.post(f"/api/v1/rulesets/{draft.pk}/dry-run/", {}).status_code == 200
    assert RuleSet.objects.get(pk=draft.pk).status == RuleSet.State.DRAFT


# --- Preview -------------------------------------------------------------------------------------


def test_routing_preview_names_queue_and_rule(admin_api, admin_user, default_queue):
    labs = factories.ReviewQueueFactory(name="Labs")
    created = rulesets.rule_create(order=2, queue=labs, sector="biotech", by=admin_user)

    hit = admin_api.post(
        "/api/v1/routing-preview/", {"category": "subsidy", "sector": "biotech", "subject": "x"}
    )
    miss = admin_api.post("/api/v1/routing-preview/", {"category": "expo"})

    assert hit.status_code == 200, hit.content
    assert hit.json()["queue"] == {"id": labs.pk, "name": "Labs"}
    assert (hit.json()["rule"]["id"], hit.json()["is_default"]) == (created.pk, False)
    assert miss.json()["queue"]["id"] == default_queue.pk and miss.json()["is_default"] is True


def test_routing_preview_bad_input_is_400(admin_api, other_founder_api, default_queue):
    assert admin_api.post("/api/v1/routing-preview/", {"requested_amount": "lots"}).status_code == 400
    assert other_founder_api.post("/api/v1/routing-preview/", {}).status_code == 403


# --- Holidays ------------------------------------------------------------------------------------


def test_holidays_crud(admin_api):
    created = admin_api.post("/api/v1/holidays/", {"date": "2026-03-01", "name": "Independence Movement Day"})
    assert created.status_code == 201, created.content
    assert admin_api.post("/api/v1/holidays/", {"date": "2026-03-01", "name": "Again"}).status_code == 400
    assert admin_api.post("/api/v1/holidays/", {"date": "someday", "name": "x"}).status_code == 400
    assert Holiday.objects.count() == 1

    holiday_id = created.json()["id"]
    assert (
        admin_api.patch(f"/api/v1/holidays/{holiday_id}/", {"name": "Samiljeol"}).json()["name"]
        == "Samiljeol"
    )
    assert admin_api.delete(f"/api/v1/holidays/{holiday_id}/").status_code == 204
    assert Holiday.objects.count() == 0


def test_holidays_write_by_non_admin_is_403(staff_api):
    assert staff_api.post("/api/v1/holidays/", {"date": "2026-03-01", "name": "x"}).status_code == 403
    assert staff_api.get("/api/v1/holidays/").status_code == 200
    assert Holiday.objects.count() == 0
