"""Nudges: messages that only say "look at the database", and never fail their caller.

The database is the truth and a message only a nudge: a task of this kind reads whatever waits
(letters to route, e-mails to send). So:

- publishing never fails the caller: with the broker down it logs and returns None; the request
  that wrote the data still succeeds (its transaction is committed) and a beat task picks the
  work up once the broker is back;
- `nudge(task_name)` publishes once while a message already waits (published and not yet
  started): one more would only read the same rows, so a burst of submissions costs one
  publish. A flag in Redis marks the waiting message; the task (a `NudgeTask`) clears it as it
  starts, before it reads the database, so whatever was committed before a skipped nudge is
  read by the waiting run. Without Redis (NUDGE_COALESCE_SECONDS = 0), every nudge publishes.

Callers nudge by the task's name, so a service never imports the tasks module that imports it.
"""
import functools
import logging

from celery import Task, current_app
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def nudge(task_name: str):
    """Ask for a run of the `NudgeTask` named `task_name`; the message, or None when one was
    already waiting or the broker is down."""
    seconds = settings.NUDGE_COALESCE_SECONDS
    if seconds:
        try:
            if not _flags().set(_waiting_key(task_name), 1, nx=True, ex=seconds):
                return None
        except RedisError as exc:  # no flag, no coalescing: publish
            logger.warning("nudge flag of %s unavailable (%s)", task_name, exc)
            seconds = 0
    result = _publish(task_name)
    if result is None and seconds:
        _clear_flag(task_name)  # nothing waits after all: the next nudge publishes again
    return result


def _publish(task_name: str):
    try:
        return current_app.send_task(task_name)
    except (BrokerError, OSError) as exc:
        logger.warning("could not publish %s (%s); the beat sweeper picks the work up", task_name, exc)
        return None


def _waiting_key(task_name: str) -> str:
    return f"nudge-waiting:{task_name}"


def _clear_flag(task_name: str) -> None:
    try:
        _flags().delete(_waiting_key(task_name))
    except RedisError as exc:  # it expires after NUDGE_COALESCE_SECONDS; the sweeper covers that
        logger.warning("could not clear the nudge flag of %s (%s)", task_name, exc)


class NudgeTask(Task):
    """The base of a task that `nudge()` asks for: it clears its waiting flag as it starts, and
    its own `delay()` never fails the caller either."""

    def nudge(self):
        return nudge(self.name)

    def apply_async(self, *args, **kwargs):
        try:
            return super().apply_async(*args, **kwargs)
        except (BrokerError, OSError) as exc:
            logger.warning("could not publish %s (%s); the beat sweeper picks the work up", self.name, exc)
            return None

    def before_start(self, task_id, args, kwargs):
        if settings.NUDGE_COALESCE_SECONDS:
            _clear_flag(self.name)


@functools.cache
def _flags():
    """One Redis client per process for the nudge flags (its pool reconnects on its own)."""
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
