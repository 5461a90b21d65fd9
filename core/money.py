"""Money, the one way: a `Decimal` of two places, up to 999,999,999,999.99, in the deployment's
one currency (`settings.CURRENCY`).

- `MoneyField` for models, `MoneySerializerField` for the API (decimal strings, "1500.00"),
  `MoneyFormField` for pages: each with the same digits, so what one accepts the others hold.
- `format_money` is how a person reads an amount (grouped digits, two places, in the current
  language's format); the `money` template filter (`{% load money %}`) calls it.
- `cents` rounds to the cent, half up; `split_to_cents` splits an amount into parts that add
  up to it exactly.
"""
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django import forms
from django.db import models
from django.utils.formats import number_format
from rest_framework import serializers

MAX_DIGITS = 14
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")  # the largest amount MAX_DIGITS and DECIMAL_PLACES hold


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        # Migrations see a plain DecimalField: the digits are part of the column, not of this class.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


class MoneySerializerField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


class MoneyFormField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, **kwargs)


def cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def split_to_cents(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` into `parts` amounts that add up to it exactly; every part gets the same
    amount rounded down to the cent, and the rounding goes to the last one
    (100.00 / 3 -> 33.33, 33.33, 33.34). Never a part of zero: a total of fewer cents than
    parts gives fewer parts.
    """
    total = Decimal(total)
    if total <= 0:
        raise ValueError("the total must be positive")
    if total != total.quantize(CENT):
        raise ValueError("the total must be in whole cents")
    parts = max(1, min(int(parts), int(total / CENT)))
    base = (total / parts).quantize(CENT, ROUND_DOWN)
    return [base] * (parts - 1) + [total - base * (parts - 1)]


def format_money(amount, *, places: int = DECIMAL_PLACES) -> str:
    """An amount as people read it: grouped digits and `places` decimals ("1,500.00");
    an empty string for None."""
    if amount is None:
        return ""
    return number_format(amount, decimal_pos=places, force_grouping=True)
