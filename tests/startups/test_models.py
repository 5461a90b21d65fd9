"""What the startups tables guarantee by themselves."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from startups.enums import EventKind, InvitationStatus
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MonthlyReportFactory,
    StartupEventFactory,
    StartupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("revenue", "expenses", "profit", "profitable"),
    [("1000.00", "800.00", "200.00", True), ("800.00", "800.00", "0.00", False), ("1.00", "2.50", "-1.50", False)],
)
def test_monthly_report_profit(revenue, expenses, profit, profitable):
    report = MonthlyReportFactory(revenue=Decimal(revenue), expenses=Decimal(expenses))

    assert (report.profit, report.is_profitable) == (Decimal(profit), profitable)


def test_monthly_report_one_per_period():
    report = MonthlyReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReportFactory(startup=report.startup, period=report.period)


def test_monthly_report_period_must_be_first_of_month():
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReportFactory(period=datetime.date(2026, 1, 15))


def test_monthly_report_amounts_not_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        MonthlyReportFactory(revenue=Decimal("-0.01"))


def test_membership_one_per_person_and_startup():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(startup=membership.startup, user=membership.user)


@pytest.mark.parametrize(
    "fields",
    [
        {"is_registered": True},
        {"is_registered": True, "registration_number": "110-81-12345"},
        {"is_registered": True, "registered_verified_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},
    ],
)
def test_startup_registered_only_with_a_verified_number(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        StartupFactory(**fields)


def test_startup_verified_number_may_be_shared_by_startups_of_one_company():
    first = StartupFactory(registered=True)

    second = StartupFactory(registered=True, registration_number=first.registration_number)

    assert second.registration_number == first.registration_number


def test_invitation_one_open_per_person_and_startup():
    invitation = InvitationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(startup=invitation.startup, user=invitation.user)


def test_invitation_answered_ones_do_not_block_a_new_one():
    invitation = InvitationFactory(status=InvitationStatus.DECLINED)

    InvitationFactory(startup=invitation.startup, user=invitation.user)


def test_membership_of_a_staff_account_fails_validation():
    membership = MembershipFactory.build(startup=StartupFactory(), user=UserFactory(roles=["reviewer"]))

    with pytest.raises(ValidationError):
        membership.full_clean()


def test_startup_event_summary_names_the_labels():
    event = StartupEventFactory(kind=EventKind.STAGE_CHANGED, before="idea", after="revenue")

    assert event.summary == "Stage changed from Idea to Revenue."
