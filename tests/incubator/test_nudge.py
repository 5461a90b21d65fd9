"""nudge(): one message waiting is enough, however many callers ask."""
import pytest

from core import nudge as nudges
from core.nudge import NudgeTask, _flags, _waiting_key
from incubator.celery import app as celery_app


@celery_app.task(base=NudgeTask, name="tests.incubator.nudge_probe", bind=True)
def nudge_probe(self):
    return "ran"


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr(nudges, "_publish", lambda name: sent.append("message") or "message")
    return sent


@pytest.fixture
def coalescing(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.NUDGE_COALESCE_SECONDS = 30
    _flags.cache_clear()
    _flags().delete(_waiting_key(nudge_probe.name))
    yield
    _flags().delete(_waiting_key(nudge_probe.name))
    _flags.cache_clear()


def _start(task):
    """What a worker does as it starts the task."""
    task.before_start("task-id", (), {})


def test_nudges_while_a_message_waits_publish_once(coalescing, published):
    assert nudge_probe.nudge() == "message"
    assert nudge_probe.nudge() is None
    assert nudge_probe.nudge() is None
    assert published == ["message"]


def test_a_started_run_lets_the_next_nudge_publish(coalescing, published):
    # The run clears the flag before it reads the database: what is committed after that
    # needs a message of its own.
    nudge_probe.nudge()
    _start(nudge_probe)
    nudge_probe.nudge()
    nudge_probe.nudge()
    assert published == ["message", "message"]


def test_a_failed_publish_leaves_no_flag_behind(coalescing, monkeypatch):
    attempts = []
    monkeypatch.setattr(nudges, "_publish", lambda name: attempts.append("tried"))  # None: the broker is down
    nudge_probe.nudge()
    nudge_probe.nudge()
    assert attempts == ["tried", "tried"]


def test_without_redis_every_nudge_publishes(settings, published):
    settings.NUDGE_COALESCE_SECONDS = 0
    for _ in range(3):
        nudge_probe.nudge()
    _start(nudge_probe)
    assert published == ["message"] * 3
