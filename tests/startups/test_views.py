"""The startup pages: lists, create, detail, edit, members, monthly reports."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from startups.enums import MemberRole
from startups.models import Membership, MonthlyReport, Startup
from startups.views import STARTUPS_PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def founder_client(client, founder):
    client.force_login(founder, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def reviewer():
    return factories.UserFactory(roles=["reviewer"])


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(name="Acme Robotics", owner=founder)


def _field_error(response, field):
    match = re.search(
        rf'<div class="invalid-feedback d-block" id="id_{field}_error">(.*?)</div>', response.text, re.DOTALL
    )
    return match.group(1).strip() if match else None


def _startup_names(response):
    return [startup.name for startup in response.context["startups"]]


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _assert_constant_queries(client, url, add_rows, django_assert_num_queries, rows_key):
    """A page costs as many queries with 3 rows as with 1: measure at 1 row, then require the
    same count at 3. (Other apps' navigation items add their own constant queries to every
    page, so the figure itself is not pinned here.)"""
    add_rows(1)
    at_one = _queries_for(client, url)
    add_rows(2)
    with django_assert_num_queries(at_one):
        response = client.get(url)
    assert len(response.context[rows_key]) == 3


# --- List -------------------------------------------------------------------------------------


def test_list_founder_sees_only_own_startups(founder_client, founder):
    factories.StartupFactory(name="Mine", owner=founder)
    factories.StartupFactory(name="Theirs", owner=factories.UserFactory(roles=["founder"]))

    response = founder_client.get(reverse("startups:list"))

    assert response.status_code == 200
    assert _startup_names(response) == ["Mine"]
    assert "Theirs" not in response.text
    assert '<h1 class="h3 mb-0">My startups</h1>' in response.text


def test_list_staff_sees_all_startups(reviewer_client):
    factories.StartupFactory(name="Beta")
    factories.StartupFactory(name="Alpha")

    response = reviewer_client.get(reverse("startups:list"))

    assert _startup_names(response) == ["Alpha", "Beta"]
    assert f'href="{reverse("startups:create")}"' not in response.text


def test_list_empty_founder_sees_empty_state_with_create_link(founder_client):
    response = founder_client.get(reverse("startups:list"))

    assert 'id="startup-list-empty"' in response.text
    assert "You do not belong to any startup yet." in response.text
    assert f'href="{reverse("startups:create")}"' in response.text


def test_list_paginates(reviewer_client):
    factories.StartupFactory.create_batch(STARTUPS_PER_PAGE + 1)

    first = reviewer_client.get(reverse("startups:list"))
    second = reviewer_client.get(reverse("startups:list"), {"page": 2})

    assert len(first.context["startups"]) == STARTUPS_PER_PAGE
    assert len(second.context["startups"]) == 1
    assert 'href="?page=2"' in first.text


def test_list_anonymous_is_sent_to_login(client):
    response = client.get(reverse("startups:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_founder_query_count_is_constant(founder_client, founder, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            factories.StartupFactory(owner=founder)

    _assert_constant_queries(
        founder_client, reverse("startups:list"), add_rows, django_assert_num_queries, "startups"
    )


def test_list_staff_query_count_is_constant(reviewer_client, django_assert_num_queries):
    owner = factories.UserFactory(roles=["founder"])

    def add_rows(n):
        factories.StartupFactory.create_batch(n, owner=owner)

    _assert_constant_queries(
        reviewer_client, reverse("startups:list"), add_rows, django_assert_num_queries, "startups"
    )


# --- Create -----------------------------------------------------------------------------------


def test_create_makes_the_founder_its_owner(founder_client, founder):
    response = founder_client.post(
        reverse("startups:create"),
        {"name": "Nimbus", "sector": "software", "stage": "idea", "description": "Clouds."},
    )

    startup = Startup.objects.get(name="Nimbus")
    assert response.status_code == 302
    assert response.url == reverse("startups:detail", args=[startup.pk])
    assert (startup.sector, startup.stage, startup.description) == ("software", "idea", "Clouds.")
    assert list(startup.memberships.values_list("user", "role")) == [(founder.pk, MemberRole.OWNER)]


def test_create_then_listed(founder_client):
    founder_client.post(reverse("startups:create"), {"name": "Nimbus", "sector": "software", "stage": "idea"})

    response = founder_client.get(reverse("startups:list"))

    assert _startup_names(response) == ["Nimbus"]


def test_create_missing_name_shows_error_on_the_field(founder_client):
    response = founder_client.post(
        reverse("startups:create"), {"name": "", "sector": "software", "stage": "idea"}
    )

    assert response.status_code == 200
    assert _field_error(response, "name") == "This field is required."
    assert Startup.objects.count() == 0


def test_create_unknown_sector_shows_error_on_the_field(founder_client):
    response = founder_client.post(
        reverse("startups:create"), {"name": "Nimbus", "sector": "magic", "stage": "idea"}
    )

    assert "Select a valid choice." in _field_error(response, "sector")
    assert Startup.objects.count() == 0


def test_create_staff_is_refused(reviewer_client):
    assert reviewer_client.get(reverse("startups:create")).status_code == 403
    response = reviewer_client.post(
        reverse("startups:create"), {"name": "X", "sector": "software", "stage": "idea"}
    )

    assert response.status_code == 403
    assert Startup.objects.count() == 0


# --- Detail and edit ------------------------------------------------------------------------


def test_detail_member_sees_startup_and_edit_link(founder_client, startup):
    response = founder_client.get(reverse("startups:detail", args=[startup.pk]))

    assert response.status_code == 200
    assert "Acme Robotics" in response.text
    assert f'href="{reverse("startups:edit", args=[startup.pk])}"' in response.text


def test_detail_staff_sees_startup_without_edit_link(reviewer_client, startup):
    response = reviewer_client.get(reverse("startups:detail", args=[startup.pk]))

    assert response.status_code == 200
    assert f'href="{reverse("startups:edit", args=[startup.pk])}"' not in response.text


@pytest.mark.parametrize("page", ["detail", "edit", "members", "reports", "timeline"])
def test_another_founders_startup_is_404(client, startup, page):
    stranger = factories.UserFactory(roles=["founder"])
    client.force_login(stranger, backend=MODEL_BACKEND)

    assert client.get(reverse(f"startups:{page}", args=[startup.pk])).status_code == 404


@pytest.mark.parametrize("page", ["edit", "members", "reports"])
def test_another_founders_startup_post_is_404_and_changes_nothing(client, startup, page):
    stranger = factories.UserFactory(roles=["founder"], username="mallory")
    client.force_login(stranger, backend=MODEL_BACKEND)
    data = {
        "name": "Hijacked",
        "sector": "software",
        "stage": "idea",
        "username": "mallory",
        "period": "2026-01",
        "revenue": "1",
        "expenses": "1",
    }

    response = client.post(reverse(f"startups:{page}", args=[startup.pk]), data)

    assert response.status_code == 404
    startup.refresh_from_db()
    assert startup.name == "Acme Robotics"
    assert startup.memberships.count() == 1
    assert startup.reports.count() == 0


def test_edit_form_starts_with_current_values(founder_client, startup):
    response = founder_client.get(reverse("startups:edit", args=[startup.pk]))

    assert response.status_code == 200
    assert response.context["form"]["name"].value() == "Acme Robotics"


def test_edit_saves_changes_and_proposes_the_number(founder_client, startup):
    response = founder_client.post(
        reverse("startups:edit", args=[startup.pk]),
        {
            "name": "Acme Robots",
            "sector": "hardware",
            "stage": "revenue",
            "description": "Arms.",
            "proposed_registration_number": "110-81-12345",
            "special_economic_zone": "",
        },
    )

    assert response.status_code == 302
    startup.refresh_from_db()
    assert (startup.name, startup.sector, startup.stage, startup.proposed_registration_number) == (
        "Acme Robots",
        "hardware",
        "revenue",
        "110-81-12345",
    )
    assert (startup.is_registered, startup.registration_number) == (False, "")


def test_edit_form_has_no_registration_fields(founder_client, startup):
    response = founder_client.get(reverse("startups:edit", args=[startup.pk]))

    assert 'name="proposed_registration_number"' in response.text
    assert 'name="is_registered"' not in response.text
    assert 'name="registration_number"' not in response.text


def test_edit_posting_is_registered_changes_nothing(founder_client, startup):
    founder_client.post(
        reverse("startups:edit", args=[startup.pk]),
        {"name": "Acme Robotics", "sector": "software", "stage": "prototype", "is_registered": "on",
         "registration_number": "110-81-12345"},
    )

    startup.refresh_from_db()
    assert (startup.is_registered, startup.registration_number) == (False, "")


def test_edit_staff_is_refused(reviewer_client, startup):
    response = reviewer_client.post(
        reverse("startups:edit", args=[startup.pk]),
        {"name": "Renamed", "sector": "software", "stage": "idea"},
    )

    assert response.status_code == 403
    startup.refresh_from_db()
    assert startup.name == "Acme Robotics"


# --- Members ----------------------------------------------------------------------------------


def test_members_owner_sees_members_and_add_form(founder_client, founder, startup):
    response = founder_client.get(reverse("startups:members", args=[startup.pk]))

    assert response.status_code == 200
    assert [m.user for m in response.context["memberships"]] == [founder]
    assert 'id="id_username"' in response.text


def test_members_owner_invites_cofounder_who_is_not_yet_a_member(founder_client, startup):
    cofounder = factories.UserFactory(username="grace", roles=["founder"])

    response = founder_client.post(reverse("startups:members", args=[startup.pk]), {"username": "grace"})

    assert response.status_code == 302
    assert startup.invitations.get().user == cofounder
    assert not Membership.objects.filter(startup=startup, user=cofounder).exists()
    page = founder_client.get(reverse("startups:members", args=[startup.pk]))
    assert [i.user for i in page.context["invitations"]] == [cofounder]


def test_members_staff_username_shows_error_on_the_field(founder_client, startup):
    factories.UserFactory(username="strict", roles=["reviewer"])

    response = founder_client.post(reverse("startups:members", args=[startup.pk]), {"username": "strict"})

    assert response.status_code == 200
    assert _field_error(response, "username").startswith("Staff accounts cannot be members of a startup")
    assert not startup.invitations.exists()


def test_members_unknown_username_shows_error_on_the_field(founder_client, startup):
    response = founder_client.post(reverse("startups:members", args=[startup.pk]), {"username": "nobody"})

    assert response.status_code == 200
    assert _field_error(response, "username") == "There is no active user with this username."
    assert startup.memberships.count() == 1


def test_members_htmx_add_returns_only_the_panel(founder_client, startup):
    factories.UserFactory(username="grace", roles=["founder"])

    response = founder_client.post(
        reverse("startups:members", args=[startup.pk]), {"username": "grace"}, **HTMX
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="members-panel"')
    assert "<html" not in response.text
    assert "grace is invited: they become a member when they accept." in response.text
    assert startup.memberships.count() == 1
    assert startup.invitations.count() == 1


def test_members_plain_member_sees_no_form_and_cannot_add(client, startup):
    member = factories.MembershipFactory(startup=startup).user
    factories.UserFactory(username="grace")
    client.force_login(member, backend=MODEL_BACKEND)

    page = client.get(reverse("startups:members", args=[startup.pk]))
    response = client.post(reverse("startups:members", args=[startup.pk]), {"username": "grace"})

    assert page.status_code == 200
    assert 'id="id_username"' not in page.text
    assert response.status_code == 403
    assert startup.memberships.count() == 2
    assert not startup.invitations.exists()


def test_members_query_count_is_constant(founder_client, founder, django_assert_num_queries):
    startup = factories.StartupFactory()
    # The owner is the first row; co-founders follow.
    rows = iter(
        [lambda: factories.MembershipFactory(startup=startup, user=founder, role=MemberRole.OWNER)]
        + [lambda: factories.MembershipFactory(startup=startup)] * 2
    )

    def add_rows(n):
        for _ in range(n):
            next(rows)()

    url = reverse("startups:members", args=[startup.pk])
    _assert_constant_queries(founder_client, url, add_rows, django_assert_num_queries, "memberships")


# --- Monthly reports --------------------------------------------------------------------------


def test_reports_member_files_a_report(founder_client, founder, startup):
    response = founder_client.post(
        reverse("startups:reports", args=[startup.pk]),
        {"period": "2026-03", "revenue": "1500.00", "expenses": "900"},
    )

    assert response.status_code == 302
    report = MonthlyReport.objects.get(startup=startup)
    assert (report.period, report.revenue, report.expenses, report.filed_by) == (
        datetime.date(2026, 3, 1),
        Decimal("1500.00"),
        Decimal("900.00"),
        founder,
    )


def test_reports_duplicate_period_shows_error_on_the_field(founder_client, startup):
    factories.MonthlyReportFactory(startup=startup, period=datetime.date(2026, 3, 1))

    response = founder_client.post(
        reverse("startups:reports", args=[startup.pk]), {"period": "2026-03", "revenue": "1", "expenses": "1"}
    )

    assert response.status_code == 200
    assert _field_error(response, "period") == "A report for this month already exists."
    assert startup.reports.count() == 1


def test_reports_bad_month_and_negative_amount_show_errors_on_the_fields(founder_client, startup):
    response = founder_client.post(
        reverse("startups:reports", args=[startup.pk]), {"period": "March", "revenue": "-5", "expenses": "1"}
    )

    assert _field_error(response, "period") == "Enter a month as YYYY-MM."
    assert _field_error(response, "revenue") == "Ensure this value is greater than or equal to 0."
    assert startup.reports.count() == 0


def test_reports_htmx_duplicate_returns_the_panel_with_the_error(founder_client, startup):
    factories.MonthlyReportFactory(startup=startup, period=datetime.date(2026, 3, 1))

    response = founder_client.post(
        reverse("startups:reports", args=[startup.pk]),
        {"period": "2026-03", "revenue": "1", "expenses": "1"},
        **HTMX,
    )

    assert response.text.lstrip().startswith('<div id="reports-panel"')
    assert _field_error(response, "period") == "A report for this month already exists."


def test_reports_staff_sees_reports_but_cannot_file(reviewer_client, startup):
    factories.MonthlyReportFactory(startup=startup)

    page = reviewer_client.get(reverse("startups:reports", args=[startup.pk]))
    response = reviewer_client.post(
        reverse("startups:reports", args=[startup.pk]), {"period": "2026-04", "revenue": "1", "expenses": "1"}
    )

    assert page.status_code == 200
    assert len(page.context["reports"]) == 1
    assert 'id="id_period"' not in page.text
    assert response.status_code == 403
    assert startup.reports.count() == 1


def test_reports_empty_state(founder_client, startup):
    response = founder_client.get(reverse("startups:reports", args=[startup.pk]))

    assert 'id="report-list-empty"' in response.text


def test_reports_query_count_is_constant(founder_client, founder, startup, django_assert_num_queries):
    months = iter(range(1, 4))

    def add_rows(n):
        for _ in range(n):
            factories.MonthlyReportFactory(
                startup=startup, period=datetime.date(2026, next(months), 1), filed_by=factories.UserFactory()
            )

    url = reverse("startups:reports", args=[startup.pk])
    _assert_constant_queries(founder_client, url, add_rows, django_assert_num_queries, "reports")
