"""The arithmetic of tapers and of tranche dates. Pure functions (splitting to the cent is in
`core.money`)."""

import calendar
import datetime
from decimal import Decimal

from core.money import cents

HUNDRED = Decimal(100)


def taper(amounts: list[Decimal], percent: Decimal) -> list[Decimal]:
    """Each amount reduced by `percent`, rounded to the cent (half up). A result never exceeds
    its amount; it may be zero (the tranche is then no longer owed)."""
    factor = (HUNDRED - Decimal(percent)) / HUNDRED
    return [min(amount, cents(amount * factor)) for amount in amounts]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def tranche_dates(first: datetime.date, parts: int, spacing_months: int) -> list[datetime.date]:
    """The first tranche on `first`, then one every `spacing_months`, each counted from `first`
    (so 31 Jan, 28 Feb, 31 Mar, not 31 Jan, 28 Feb, 28 Mar)."""
    return [add_months(first, i * spacing_months) for i in range(parts)]
