"""The arithmetic of tranches and tapers, to the cent, and of calendar months. Pure functions."""

import calendar
import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def split_to_cents(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` tranches that add up to it exactly; every tranche gets the
    same amount rounded down to the cent, and the rounding goes to the last one
    (100.00 / 3 -> 33.33, 33.33, 33.34). Never a tranche of zero: a total of fewer cents than
    parts gives fewer tranches.
    """
    total = Decimal(total)
    if total <= 0:
        raise ValueError("the total must be positive")
    if total != total.quantize(CENT):
        raise ValueError("the total must be in whole cents")
    parts = max(1, min(int(parts), int(total / CENT)))
    base = (total / parts).quantize(CENT, ROUND_DOWN)
    return [base] * (parts - 1) + [total - base * (parts - 1)]


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
