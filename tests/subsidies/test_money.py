import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import split_to_cents
from subsidies.money import add_months, taper, tranche_dates

D = Decimal


def test_split_to_cents_rounding_goes_to_the_last_tranche():
    assert split_to_cents(D("100.00"), 3) == [D("33.33"), D("33.33"), D("33.34")]


def test_split_to_cents_even_amount_splits_evenly():
    assert split_to_cents(D("90.00"), 3) == [D("30.00"), D("30.00"), D("30.00")]


def test_split_to_cents_one_tranche_is_the_whole_amount():
    assert split_to_cents(D("1234.56"), 1) == [D("1234.56")]


def test_split_to_cents_fewer_cents_than_parts_gives_fewer_tranches():
    assert split_to_cents(D("0.02"), 5) == [D("0.01"), D("0.01")]


def test_split_to_cents_refuses_fractions_of_a_cent():
    with pytest.raises(ValueError):
        split_to_cents(D("10.005"), 2)


@given(
    total=st.decimals(min_value=D("0.01"), max_value=D("999999999999.99"), places=2),
    parts=st.integers(min_value=1, max_value=120),
)
def test_split_to_cents_always_adds_up_to_the_cent(total, parts):
    amounts = split_to_cents(total, parts)
    assert sum(amounts) == total
    assert all(amount > 0 and amount == amount.quantize(D("0.01")) for amount in amounts)
    assert len(set(amounts[:-1])) <= 1


def test_taper_by_a_percentage_rounds_each_tranche_to_the_cent():
    assert taper([D("33.33"), D("33.34")], D("25")) == [D("25.00"), D("25.01")]


def test_taper_by_a_hundred_percent_leaves_nothing():
    assert taper([D("10.00"), D("0.01")], D("100")) == [D("0.00"), D("0.00")]


@given(
    amounts=st.lists(
        st.decimals(min_value=D("0.01"), max_value=D("9999999.99"), places=2), min_size=1, max_size=12
    ),
    percent=st.decimals(min_value=D("0"), max_value=D("100"), places=2),
)
def test_taper_never_raises_a_tranche(amounts, percent):
    tapered = taper(amounts, percent)
    assert all(D("0") <= new <= old for new, old in zip(tapered, amounts))
    assert all(new == new.quantize(D("0.01")) for new in tapered)


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


def test_tranche_dates_count_from_the_first_day():
    assert tranche_dates(datetime.date(2026, 1, 31), 3, 1) == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 31),
    ]
