"""NudgeTask.nudge(): one message waiting is enough, however many callers ask."""
import pytest

from incubator.celery import NudgeTask
from incubator.celery import app as celery_app


@celery_app.task(base=NudgeTask, name="tests.incubator.nudge_probe", bind=True)
def nudge_probe(self):
    return "ran"


@pytest.fixture
def published(monkeypatch):
    sent = []
    monkeypatch.setattr(nudge_probe, "delay", lambda: sent.append("message") or "message")
    return sent


def _start(task):
    """What a worker does as it starts the task."""
    task.before_start("task-id", (), {})


def test_nudges_while_a_message_waits_publish_once(settings, published):
    settings.NUDGE_COALESCE_SECONDS = 30
    assert nudge_probe.nudge() == "message"
    assert nudge_probe.nudge() is None
    assert nudge_probe.nudge() is None
    assert published == ["message"]


def test_a_started_run_lets_the_next_nudge_publish(settings, published):
    # The run clears the flag before it reads the database: what is committed after that
    # needs a message of its own.
    settings.NUDGE_COALESCE_SECONDS = 30
    nudge_probe.nudge()
    _start(nudge_probe)
    nudge_probe.nudge()
    nudge_probe.nudge()
    assert published == ["message", "message"]


def test_without_a_shared_cache_every_nudge_publishes(settings, published):
    settings.NUDGE_COALESCE_SECONDS = 0
    for _ in range(3):
        nudge_probe.nudge()
    _start(nudge_probe)
    assert published == ["message"] * 3
