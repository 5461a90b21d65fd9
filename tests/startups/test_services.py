"""Startup services: creation, edits, monthly reports (members and the registration: test_trust.py)."""
import datetime
from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from startups import services
from startups.enums import EventKind, MemberRole
from startups.models import MonthlyReport
from tests.factories import StartupFactory

pytestmark = pytest.mark.django_db


def test_startup_create_makes_the_founder_owner(founder):
    startup = services.startup_create(name="Hanbit", sector="software", stage="idea", by=founder)

    assert list(startup.memberships.values_list("user", "role")) == [(founder.pk, MemberRole.OWNER)]


def test_startup_create_records_the_creation_and_the_proposed_number(founder):
    startup = services.startup_create(
        name="Hanbit", sector="software", stage="idea", proposed_registration_number="110-81-12345", by=founder
    )

    assert (startup.is_registered, startup.registration_number) == (False, "")
    assert [(e.kind, e.actor, e.after) for e in startup.events.order_by("id")] == [
        (EventKind.CREATED, founder, "idea"),
        (EventKind.REGISTRATION_PROPOSED, founder, "110-81-12345"),
    ]


def test_startup_create_cannot_register_itself(founder):
    with pytest.raises(TypeError):
        services.startup_create(name="Hanbit", sector="software", stage="idea", is_registered=True, by=founder)


def test_startup_update_saves_the_changes_and_records_stage_and_sector(founder):
    startup = StartupFactory(owner=founder, stage="idea", sector="software")
    before = startup.stage_since

    startup = services.startup_update(
        startup=startup, stage="revenue", sector="fintech", description="Selling.", by=founder
    )

    startup.refresh_from_db()
    assert (startup.stage, startup.sector, startup.description) == ("revenue", "fintech", "Selling.")
    assert startup.stage_since > before
    assert sorted((e.kind, e.actor, e.before, e.after) for e in startup.events.all()) == [
        (EventKind.SECTOR_CHANGED, founder, "software", "fintech"),
        (EventKind.STAGE_CHANGED, founder, "idea", "revenue"),
    ]


def test_startup_update_without_a_change_records_nothing(founder):
    startup = StartupFactory(owner=founder, stage="idea")

    services.startup_update(startup=startup, stage="idea", by=founder)

    assert not startup.events.exists()


@pytest.mark.parametrize("field", ["is_registered", "registration_number", "registered_verified_at"])
def test_startup_update_registration_fields_are_refused(founder, field):
    startup = StartupFactory(owner=founder)

    with pytest.raises(InvalidInput):
        services.startup_update(startup=startup, **{field: "1"}, by=founder)

    startup.refresh_from_db()
    assert (startup.is_registered, startup.registration_number) == (False, "")


def test_startup_update_unknown_field_is_refused(founder):
    startup = StartupFactory(owner=founder)

    with pytest.raises(InvalidInput):
        services.startup_update(startup=startup, created_at=None, by=founder)


def test_startup_update_proposing_the_verified_number_again_is_refused(founder):
    startup = StartupFactory(owner=founder, registered=True)

    with pytest.raises(InvalidInput) as excinfo:
        services.startup_update(
            startup=startup, proposed_registration_number=startup.registration_number, by=founder
        )

    assert excinfo.value.field == "proposed_registration_number"


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
