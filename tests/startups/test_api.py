"""The startups API: creation, visibility, members, monthly reports."""
import datetime
from decimal import Decimal

import pytest

from startups.enums import MemberRole
from startups.models import Membership, MonthlyReport, Startup
from tests.factories import MembershipFactory, MonthlyReportFactory, StartupFactory, UserFactory

URL = "/api/v1/startups/"

pytestmark = pytest.mark.django_db


def detail(startup, suffix=""):
    return f"{URL}{startup.pk}/{suffix}"


@pytest.fixture
def startup(founder):
    return StartupFactory(owner=founder, name="Hanbit Robotics")


@pytest.fixture
def stranger_api(api):
    """Another founder, who belongs to none of the startups above."""
    api.force_authenticate(UserFactory(roles=["founder"]))
    return api


# --- create ------------------------------------------------------------------------------------


def test_create_answers_201_and_makes_the_caller_owner(founder_api, founder):
    response = founder_api.post(
        URL, {"name": "Hanbit Robotics", "sector": "hardware", "stage": "prototype", "description": "Robots."}
    )

    assert response.status_code == 201
    startup = Startup.objects.get(pk=response.data["id"])
    assert (startup.name, startup.sector, startup.stage) == ("Hanbit Robotics", "hardware", "prototype")
    assert list(startup.memberships.values_list("user", "role")) == [(founder.pk, MemberRole.OWNER)]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "sector": "hardware", "stage": "unicorn"},
        {"name": "X", "sector": "spaceflight", "stage": "idea"},
        {"name": "", "sector": "hardware", "stage": "idea"},
        {"sector": "hardware", "stage": "idea"},
        {"name": "X" * 201, "sector": "hardware", "stage": "idea"},
    ],
)
def test_create_bad_input_answers_400_and_creates_nothing(founder_api, body):
    response = founder_api.post(URL, body)

    assert response.status_code == 400
    assert not Startup.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    "claim", [{"registration_number": "110-81-12345"}, {"is_registered": True}, {"is_registered": "true"}]
)
def test_create_claiming_a_registration_answers_400_and_creates_nothing(founder_api, claim):
    response = founder_api.post(URL, {"name": "Copy", "sector": "software", "stage": "idea", **claim})

    assert response.status_code == 400
    assert set(claim) <= set(response.data)
    assert not Startup.objects.exists()


def test_create_with_a_proposed_number_leaves_it_unverified(founder_api):
    response = founder_api.post(
        URL, {"name": "Hanbit", "sector": "software", "stage": "idea", "proposed_registration_number": "110-81-1"}
    )

    assert response.status_code == 201
    assert (response.data["is_registered"], response.data["registration_number"]) == (False, "")
    assert response.data["proposed_registration_number"] == "110-81-1"


def test_create_by_reviewer_answers_403(api):
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    response = api.post(URL, {"name": "X", "sector": "software", "stage": "idea"})

    assert response.status_code == 403
    assert not Startup.objects.exists()


def test_create_without_credentials_answers_401(api):
    assert api.post(URL, {"name": "X", "sector": "software", "stage": "idea"}).status_code == 401


# --- list and retrieve -------------------------------------------------------------------------


def test_list_founder_sees_only_own_startups(founder_api, startup):
    StartupFactory(owner=UserFactory(roles=["founder"]), name="Someone else's")

    response = founder_api.get(URL)

    assert response.status_code == 200
    assert [s["id"] for s in response.data["results"]] == [startup.pk]


def test_list_member_who_is_not_owner_sees_the_startup(api, startup):
    member = MembershipFactory(startup=startup).user
    api.force_authenticate(member)

    assert [s["id"] for s in api.get(URL).data["results"]] == [startup.pk]


@pytest.mark.parametrize("role", ["reviewer", "approver", "admin"])
def test_list_staff_see_all_startups(api, startup, role):
    other = StartupFactory(owner=UserFactory(roles=["founder"]), name="Zeta")
    api.force_authenticate(UserFactory(roles=[role]))

    response = api.get(URL)

    assert [s["id"] for s in response.data["results"]] == [startup.pk, other.pk]


def test_list_filters_by_stage(founder_api, founder, startup):
    StartupFactory(owner=founder, name="Idea Co", stage="idea")

    response = founder_api.get(URL, {"stage": "idea"})

    assert [s["name"] for s in response.data["results"]] == ["Idea Co"]


@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_does_not_grow(founder_api, founder, django_assert_num_queries, rows):
    StartupFactory.create_batch(rows, owner=founder)

    with django_assert_num_queries(3):  # the caller's roles, COUNT, startups
        response = founder_api.get(URL)

    assert len(response.data["results"]) == rows


def test_retrieve_by_member_answers_200(founder_api, startup):
    response = founder_api.get(detail(startup))

    assert response.status_code == 200
    assert response.data["name"] == "Hanbit Robotics"


def test_retrieve_by_staff_answers_200(api, startup):
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    assert api.get(detail(startup)).status_code == 200


# --- another founder's startup is invisible -----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"name": "Mine now"}),
        ("put", "", {"name": "Mine now", "sector": "software", "stage": "idea"}),
        ("get", "members/", None),
        ("post", "members/", {"username": "whoever"}),
        ("get", "reports/", None),
        ("post", "reports/", {"period": "2026-01", "revenue": "1.00", "expenses": "1.00"}),
    ],
)
def test_another_founders_startup_answers_404(stranger_api, startup, method, suffix, body):
    response = getattr(stranger_api, method)(detail(startup, suffix), body)

    assert response.status_code == 404
    startup.refresh_from_db()
    assert startup.name == "Hanbit Robotics"
    assert startup.memberships.count() == 1
    assert not startup.reports.exists()


def test_missing_startup_answers_404(founder_api):
    assert founder_api.get(f"{URL}999999/").status_code == 404


# --- update ------------------------------------------------------------------------------------


def test_update_by_member_answers_200(founder_api, startup):
    response = founder_api.patch(detail(startup), {"stage": "revenue", "description": "Now selling."})

    assert response.status_code == 200
    startup.refresh_from_db()
    assert (startup.stage, startup.description) == ("revenue", "Now selling.")


def test_update_bad_stage_answers_400_and_changes_nothing(founder_api, startup):
    response = founder_api.patch(detail(startup), {"stage": "unicorn"})

    assert response.status_code == 400
    startup.refresh_from_db()
    assert startup.stage == "prototype"


def test_update_by_staff_who_is_not_member_answers_403(api, startup):
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    response = api.patch(detail(startup), {"name": "Renamed"})

    assert response.status_code == 403
    startup.refresh_from_db()
    assert startup.name == "Hanbit Robotics"


# --- members -----------------------------------------------------------------------------------


def test_members_add_by_owner_answers_201(founder_api, startup):
    cofounder = UserFactory(roles=["founder"], username="cofounder")

    response = founder_api.post(detail(startup, "members/"), {"username": "cofounder"})

    assert response.status_code == 201
    assert (response.data["username"], response.data["role"], response.data["status"]) == (
        "cofounder",
        MemberRole.MEMBER,
        "invited",
    )
    assert startup.invitations.get().user == cofounder
    assert not startup.memberships.filter(user=cofounder).exists()


def test_members_add_by_plain_member_answers_403(api, startup):
    member = MembershipFactory(startup=startup).user
    UserFactory(username="friend")
    api.force_authenticate(member)

    response = api.post(detail(startup, "members/"), {"username": "friend"})

    assert response.status_code == 403
    assert startup.memberships.count() == 2


def test_members_add_by_staff_answers_403(api, startup):
    UserFactory(username="friend")
    api.force_authenticate(UserFactory(roles=["admin"]))

    assert api.post(detail(startup, "members/"), {"username": "friend"}).status_code == 403


@pytest.mark.parametrize("username", ["nobody-by-that-name", "", "inactive"])
def test_members_add_bad_username_answers_400_and_adds_nothing(founder_api, startup, username):
    UserFactory(username="inactive", is_active=False)

    response = founder_api.post(detail(startup, "members/"), {"username": username})

    assert response.status_code == 400
    assert startup.memberships.count() == 1


def test_members_add_existing_member_answers_400(founder_api, founder, startup):
    response = founder_api.post(detail(startup, "members/"), {"username": founder.username})

    assert response.status_code == 400
    assert startup.memberships.count() == 1


def test_members_list_answers_the_members(founder_api, founder, startup):
    MembershipFactory(startup=startup, user=UserFactory(username="cofounder"))

    response = founder_api.get(detail(startup, "members/"))

    assert response.status_code == 200
    assert [(m["username"], m["role"]) for m in response.data] == [(founder.username, "owner"), ("cofounder", "member")]


@pytest.mark.parametrize("rows", [1, 3])
def test_members_list_query_count_does_not_grow(founder_api, founder, django_assert_num_queries, rows):
    startup = StartupFactory(owner=founder)
    MembershipFactory.create_batch(rows - 1, startup=startup)

    # the caller's roles, the startup, is-member check, memberships with users
    with django_assert_num_queries(4):
        response = founder_api.get(detail(startup, "members/"))

    assert len(response.data) == rows


# --- monthly reports ---------------------------------------------------------------------------


def test_reports_file_by_member_answers_201_with_money_as_strings(founder_api, founder, startup):
    response = founder_api.post(
        detail(startup, "reports/"), {"period": "2026-03", "revenue": "1500", "expenses": "1000.5"}
    )

    assert response.status_code == 201
    assert (response.data["period"], response.data["revenue"], response.data["expenses"], response.data["profit"]) == (
        "2026-03",
        "1500.00",
        "1000.50",
        "499.50",
    )
    report = startup.reports.get()
    assert (report.period, report.revenue, report.filed_by) == (datetime.date(2026, 3, 1), Decimal("1500.00"), founder)


def test_reports_file_by_plain_member_answers_201(api, startup):
    member = MembershipFactory(startup=startup).user
    api.force_authenticate(member)

    response = api.post(detail(startup, "reports/"), {"period": "2026-03", "revenue": "1.00", "expenses": "0"})

    assert response.status_code == 201


def test_reports_file_by_staff_answers_403(api, startup):
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    response = api.post(detail(startup, "reports/"), {"period": "2026-03", "revenue": "1.00", "expenses": "0"})

    assert response.status_code == 403
    assert not startup.reports.exists()


def test_reports_duplicate_period_answers_400(founder_api, startup):
    MonthlyReportFactory(startup=startup, period=datetime.date(2026, 3, 1))

    response = founder_api.post(detail(startup, "reports/"), {"period": "2026-03", "revenue": "2.00", "expenses": "1.00"})

    assert response.status_code == 400
    assert "period" in response.data
    assert startup.reports.get().revenue == Decimal("1000.00")


@pytest.mark.parametrize(
    "body",
    [
        {"period": "2026-13", "revenue": "1.00", "expenses": "1.00"},
        {"period": "2026-03-01", "revenue": "1.00", "expenses": "1.00"},
        {"period": "March", "revenue": "1.00", "expenses": "1.00"},
        {"period": "2026-03", "revenue": "-1.00", "expenses": "1.00"},
        {"period": "2026-03", "revenue": "1.00", "expenses": "-0.01"},
        {"period": "2026-03", "revenue": "abc", "expenses": "1.00"},
        {"period": "2026-03", "revenue": "1.001", "expenses": "1.00"},
        {"period": "2026-03", "revenue": "1000000000000000", "expenses": "1.00"},
        {"period": "2026-03", "revenue": "1.00"},
    ],
)
def test_reports_bad_input_answers_400_and_creates_nothing(founder_api, startup, body):
    response = founder_api.post(detail(startup, "reports/"), body)

    assert response.status_code == 400
    assert not MonthlyReport.objects.exists()


def test_reports_list_newest_first(founder_api, startup):
    for month in (1, 3, 2):
        MonthlyReportFactory(startup=startup, period=datetime.date(2026, month, 1))

    response = founder_api.get(detail(startup, "reports/"))

    assert response.status_code == 200
    assert [r["period"] for r in response.data["results"]] == ["2026-03", "2026-02", "2026-01"]


@pytest.mark.parametrize("rows", [1, 3])
def test_reports_list_query_count_does_not_grow(founder_api, founder, django_assert_num_queries, rows):
    startup = StartupFactory(owner=founder)
    for month in range(1, rows + 1):
        MonthlyReportFactory(startup=startup, period=datetime.date(2026, month, 1), filed_by=founder)

    # the caller's roles, the startup, is-member check, COUNT, reports
    with django_assert_num_queries(5):
        response = founder_api.get(detail(startup, "reports/"))

    assert len(response.data["results"]) == rows
