"""The CSV files open in spreadsheets: a name that starts like a formula stays text."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories
from tests.subsidies.helpers import grant

HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
]


def award_for(program, startup):
    letter = factories.subsidy_letter(program=program, startup=startup, amount=Decimal("100.00"))
    return grant(letter, by=factories.UserFactory(roles=["approver"]))


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode(), newline="")))


@pytest.fixture
def hostile_awards(db):
    program = factories.ProgramFactory(name="=1+1")
    return [award_for(program, factories.StartupFactory(name=name)) for name in HOSTILE]


@pytest.mark.parametrize(("url", "column"), [("subsidies:register_csv", 0), ("subsidies:award_export", 2)])
def test_csv_cells_that_start_like_a_formula_are_text(client, hostile_awards, url, column):
    client.force_login(factories.UserFactory(roles=["admin"], is_staff=True))
    rows = rows_of(client.get(reverse(url)))[1:]
    assert sorted(row[column] for row in rows) == sorted("'" + name for name in HOSTILE)
    program_column = column + 1
    assert {row[program_column] for row in rows} == {"'=1+1"}
    # Amounts stay numbers.
    assert all(not cell.startswith("'") for row in rows for cell in row[program_column + 1 :])
