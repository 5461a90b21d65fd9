"""Routers racing on PostgreSQL: every letter routed exactly once, no reviewer over capacity."""

import threading

import pytest
from django.db import connections
from django.db.models import Count, Q

from applications.enums import Status
from applications.models import Letter, LetterEvent
from applications.services import router
from tests import factories

from .routing_helpers import reviewers, submitted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _on_postgres(postgres):
    """Row locks and skip_locked are what these races test: PostgreSQL only."""


def race(count, target):
    """Run `target(i)` in `count` threads released together; re-raise the first error."""
    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait(timeout=30)
            target(index)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def routed_per_letter(letters):
    return set(
        Letter.objects.filter(pk__in=[letter.pk for letter in letters])
        .annotate(routed=Count("events", filter=Q(events__from_status=Status.SUBMITTED)))
        .values_list("routed", flat=True)
    )


def test_twenty_routings_of_one_letter_route_it_once(postgres):
    factories.ReviewQueueFactory(reviewers=reviewers(3), is_default=True)
    (letter,) = submitted()

    race(20, lambda i: router.route_waiting_letters() if i % 2 else router.sweep_waiting_letters())

    letter.refresh_from_db()
    assert letter.status == Status.IN_REVIEW
    assert LetterEvent.objects.filter(letter=letter).count() == 1
    assert routed_per_letter([letter]) == {1}


def test_concurrent_routers_route_every_letter_once(postgres):
    factories.ReviewQueueFactory(reviewers=reviewers(4), reviewer_capacity=100, is_default=True)
    letters = submitted(120)

    race(8, lambda i: router.route_waiting_letters(batch_size=7))

    assert Letter.objects.filter(status=Status.IN_REVIEW).count() == 120
    assert routed_per_letter(letters) == {1}


def test_concurrent_routers_never_fill_a_reviewer_past_capacity(postgres):
    people = reviewers(2)
    factories.ReviewQueueFactory(reviewers=people, reviewer_capacity=5, is_default=True)
    letters = submitted(30)

    race(10, lambda i: router.route_waiting_letters(batch_size=3))

    loads = sorted(
        Letter.objects.filter(assignee__in=people)
        .values_list("assignee")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert loads == [5, 5]
    assert Letter.objects.filter(status=Status.QUEUED, assignee__isnull=True).count() == 20
    assert routed_per_letter(letters) == {1}
