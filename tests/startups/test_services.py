"""Startup services: creation, edits, members, monthly reports."""
import datetime
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from startups import services
from startups.enums import MemberRole
from startups.models import MonthlyReport
from tests.factories import MembershipFactory, StartupFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_startup_create_makes_the_founder_owner(founder):
    startup = services.startup_create(name="Hanbit", sector="software", stage="idea", by=founder)

    assert list(startup.memberships.values_list("user", "role")) == [(founder.pk, MemberRole.OWNER)]


def test_startup_create_duplicate_registration_number_is_refused(founder):
    StartupFactory(registration_number="110-81-12345")

    with pytest.raises(InvalidInput) as excinfo:
        services.startup_create(
            name="Copy", sector="software", stage="idea", registration_number="110-81-12345", by=founder
        )

    assert excinfo.value.field == "registration_number"


def test_startup_update_saves_the_changes(founder):
    startup = StartupFactory(owner=founder, registration_number="1")

    services.startup_update(startup=startup, stage="revenue", registration_number="1", by=founder)

    startup.refresh_from_db()
    assert startup.stage == "revenue"


def test_startup_update_unknown_field_is_refused(founder):
    startup = StartupFactory(owner=founder)

    with pytest.raises(InvalidInput):
        services.startup_update(startup=startup, created_at=None, by=founder)


def test_membership_add_adds_a_plain_member(founder):
    startup = StartupFactory(owner=founder)
    friend = UserFactory(username="friend")

    membership = services.membership_add(startup=startup, username="friend", by=founder)

    assert (membership.user, membership.role) == (friend, MemberRole.MEMBER)


@pytest.mark.parametrize("username", ["ghost", "inactive", "member"])
def test_membership_add_unknown_inactive_or_existing_is_refused(founder, username):
    startup = StartupFactory(owner=founder)
    UserFactory(username="inactive", is_active=False)
    MembershipFactory(startup=startup, user=UserFactory(username="member"))

    with pytest.raises(InvalidInput):
        services.membership_add(startup=startup, username=username, by=founder)

    assert startup.memberships.count() == 2


def test_report_file_stores_the_first_of_the_month(founder):
    startup = StartupFactory(owner=founder)

    report = services.report_file(
        startup=startup, period=datetime.date(2026, 5, 17), revenue=Decimal("10"), expenses=Decimal("4"), by=founder
    )

    assert (report.period, report.profit, report.filed_by) == (datetime.date(2026, 5, 1), Decimal("6"), founder)


def test_report_file_second_for_a_month_is_refused(founder):
    startup = StartupFactory(owner=founder)
    services.report_file(
        startup=startup, period=datetime.date(2026, 5, 1), revenue=Decimal("1"), expenses=Decimal("1"), by=founder
    )

    with pytest.raises(InvalidInput) as excinfo:
        services.report_file(
            startup=startup, period=datetime.date(2026, 5, 9), revenue=Decimal("2"), expenses=Decimal("2"), by=founder
        )

    assert excinfo.value.field == "period"
    assert MonthlyReport.objects.count() == 1


def test_report_file_negative_amount_is_refused(founder):
    startup = StartupFactory(owner=founder)

    with pytest.raises(InvalidInput):
        services.report_file(
            startup=startup, period=datetime.date(2026, 5, 1), revenue=Decimal("-1"), expenses=Decimal("0"), by=founder
        )

    assert not MonthlyReport.objects.exists()
