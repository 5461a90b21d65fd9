"""What the startups tables guarantee by themselves."""
import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tests.factories import MembershipFactory, MonthlyReportFactory, StartupFactory

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


def test_registration_number_unique_but_blank_allowed_twice():
    StartupFactory(registration_number="")
    StartupFactory(registration_number="")
    StartupFactory(registration_number="110-81-12345")

    with pytest.raises(IntegrityError), transaction.atomic():
        StartupFactory(registration_number="110-81-12345")
