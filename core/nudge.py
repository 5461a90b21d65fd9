"""`NudgeTask`: the base of tasks whose message only says "look at the database"."""
import functools
import logging

from celery import Task
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class NudgeTask(Task):
    """A task whose message only says "look at the database": publishing never fails its caller.

    With the broker down, `delay()` logs and returns None: the request that wrote the data
    still succeeds (its transaction is committed) and a beat task picks the work up once the
    broker is back. Use it for tasks that read what waits in the database (routing, e-mail).

    `nudge()` is how callers ask for a run: while a message is already waiting (published and
    not yet started), one more would only read the same rows, so a burst of submissions costs
    one publish. A flag in Redis marks the waiting message; the task clears it as it starts,
    before it reads the database, so whatever was committed before a skipped nudge is read by
    the waiting run. Without Redis (NUDGE_COALESCE_SECONDS = 0), every nudge publishes.
    """

    @property
    def _waiting_key(self) -> str:
        return f"nudge-waiting:{self.name}"

    def nudge(self):
        seconds = settings.NUDGE_COALESCE_SECONDS
        if seconds:
            try:
                if not _flags().set(self._waiting_key, 1, nx=True, ex=seconds):
                    return None
            except RedisError as exc:  # no flag, no coalescing: publish
                logger.warning("nudge flag of %s unavailable (%s)", self.name, exc)
                seconds = 0
        result = self.delay()
        if result is None and seconds:
            self._clear_flag()  # nothing waits after all: the next nudge publishes again
        return result

    def apply_async(self, *args, **kwargs):
        try:
            return super().apply_async(*args, **kwargs)
        except (BrokerError, OSError) as exc:
            logger.warning("could not publish %s (%s); the beat sweeper picks the work up", self.name, exc)
            return None

    def before_start(self, task_id, args, kwargs):
        if settings.NUDGE_COALESCE_SECONDS:
            self._clear_flag()

    def _clear_flag(self):
        try:
            _flags().delete(self._waiting_key)
        except RedisError as exc:  # it expires after NUDGE_COALESCE_SECONDS; the sweeper covers that
            logger.warning("could not clear the nudge flag of %s (%s)", self.name, exc)


@functools.cache
def _flags():
    """One Redis client per process for the nudge flags (its pool reconnects on its own)."""
    return Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
