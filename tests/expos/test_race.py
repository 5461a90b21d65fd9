"""What the database must guarantee under concurrency: eight showcases moved at once into the same
free (hall, slot), through the slot-move service; exactly one wins and the others are conflicts
(409), on PostgreSQL and on SQLite. The unique constraint on (hall, starts_at) decides: the
service's own check runs before its write and cannot see the other moves."""

import threading

import pytest
from django.db import connection

from expos import programme
from expos.models import ShowcaseSlot
from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, organiser, place
from tests.race import count_rows, race

THREADS = 8
COUNT_CELL = "SELECT count(*) FROM expos_showcaseslot WHERE hall_id = ? AND starts_at = ?"
COUNT_EXPO = "SELECT count(*) FROM expos_showcaseslot"

pytestmark = pytest.mark.django_db(transaction=True)


def moves_into_one_cell(expo, count):
    """`count` showcases, each in its own cell of hall A; the free target is hall B's first cell.
    Returns the move (each call takes the next showcase) and the target."""
    staff = organiser(expo.department)
    hall_a, hall_b = make_hall(expo, "A"), make_hall(expo, "B")
    cells = programme.expo_grid(expo)
    slots = [place(make_showcase(expo), hall_a, cells[i].starts_at) for i in range(count)]
    slots = list(ShowcaseSlot.objects.select_related("showcase__expo").filter(pk__in=[s.pk for s in slots]))
    target = at(expo, 0, 10)
    pending, pick = iter(slots), threading.Lock()

    def move():
        with pick:
            slot = next(pending)
        programme.slot_move(slot=slot, hall=hall_b, starts_at=target, by=staff)

    return move, hall_b, target


def test_concurrent_moves_into_one_free_cell_one_wins(tmp_path):
    expo = make_expo(days=2)  # 2 days x 4 cells: room for the eight showcases in hall A
    move, hall, target = moves_into_one_cell(expo, THREADS)

    outcomes, written = race(move, THREADS, tmp_path)

    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["ok"]
    stamp = target if written is None else _sqlite_datetime(target)
    assert count_rows(written, COUNT_CELL, [hall.pk, stamp]) == 1
    assert count_rows(written, COUNT_EXPO) == THREADS  # the losers stayed where they were


def _sqlite_datetime(value):
    """How Django stores an aware datetime in SQLite: UTC, as text without the offset."""
    return connection.ops.adapt_datetimefield_value(value)
