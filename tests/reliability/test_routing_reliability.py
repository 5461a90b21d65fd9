"""Letters are never lost and never routed twice, with a real Redis and real Celery workers."""
import time

import pytest
from django.db.models import Count, Q

from applications.enums import Status
from applications.models import Letter
from applications.services.drafts import letter_submit
from applications.tasks import task_sweep_submitted
from tests import factories
from tests.reliability.conftest import wait_until

pytestmark = pytest.mark.services


def _queue_with_reviewers(reviewers=10, capacity=100):
    people = [factories.UserFactory(roles=["reviewer"]) for _ in range(reviewers)]
    return factories.ReviewQueueFactory(reviewers=people, reviewer_capacity=capacity, is_default=True)


def _submit(count, *, startup=None, founder=None):
    founder = founder or factories.UserFactory(roles=["founder"])
    startup = startup or factories.StartupFactory(owner=founder)
    letters = factories.LetterFactory.create_batch(count, startup=startup, author=founder)
    for letter in letters:
        letter_submit(letter=letter, by=founder)
    return [letter.pk for letter in letters]


def _routing_events_per_letter(ids):
    """How many times each letter left `submitted` (routed): exactly once is the promise."""
    return dict(
        Letter.objects.filter(pk__in=ids)
        .annotate(routed=Count("events", filter=Q(events__from_status=Status.SUBMITTED)))
        .values_list("pk", "routed")
    )


def _statuses(ids):
    return dict(Letter.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("id")))


def _all_in_review(ids):
    return Letter.objects.filter(pk__in=ids, status=Status.IN_REVIEW).count() == len(ids)


def test_five_hundred_letters_are_each_routed_exactly_once(workers):
    _queue_with_reviewers()
    ids = _submit(500)
    workers.start()

    assert wait_until(lambda: _all_in_review(ids)), "not every letter reached in_review"
    time.sleep(1)  # let any duplicate delivery show itself
    assert set(_routing_events_per_letter(ids).values()) == {1}
    assert Letter.objects.filter(pk__in=ids, assignee__isnull=True).count() == 0


def test_worker_killed_mid_batch_loses_none_and_assigns_none_twice(workers, settings):
    settings.ROUTING_SWEEP_AFTER_SECONDS = 0  # the sweeper's minute, shortened for the test
    _queue_with_reviewers()
    ids = _submit(500)
    first = workers.start()
    wait_until(lambda: Letter.objects.filter(pk__in=ids).exclude(status=Status.SUBMITTED).exists(), timeout=60, interval=0.01)
    workers.kill(first)  # SIGKILL: no clean shutdown, unacknowledged messages stay with the broker

    workers.start()
    # The killed worker's message comes back only after the visibility timeout; meanwhile the
    # beat sweeper routes what is left `submitted`.
    assert wait_until(lambda: _sweep_and_check(ids), interval=1), _statuses(ids)
    assert set(_routing_events_per_letter(ids).values()) == {1}


def test_letters_submitted_while_redis_is_down_are_routed_when_it_returns(workers, private_redis, settings):
    settings.ROUTING_SWEEP_AFTER_SECONDS = 0
    _queue_with_reviewers()
    workers.start()
    private_redis.stop()

    started = time.monotonic()
    ids = _submit(5)  # must succeed with the broker down
    assert time.monotonic() - started < 60
    assert Letter.objects.filter(pk__in=ids, status=Status.SUBMITTED).count() == 5

    private_redis.start()
    assert wait_until(lambda: _sweep_and_check(ids), timeout=120, interval=2)
    assert set(_routing_events_per_letter(ids).values()) == {1}


def _sweep_and_check(ids):
    """One run of the beat sweeper (in this process), then: is every letter in review?"""
    if _all_in_review(ids):
        return True
    task_sweep_submitted()
    return _all_in_review(ids)


def test_twenty_routings_of_one_letter_assign_it_once(workers):
    from applications.tasks import task_route_letters

    _queue_with_reviewers()
    workers.start(concurrency=4)
    workers.start(concurrency=4)
    (letter_id,) = _submit(1)
    for _ in range(20):
        task_route_letters.delay()

    assert wait_until(lambda: _all_in_review([letter_id])), _statuses([letter_id])
    time.sleep(2)
    assert _routing_events_per_letter([letter_id]) == {letter_id: 1}
