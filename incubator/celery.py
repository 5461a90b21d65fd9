"""The Celery application: `celery -A incubator worker` and `celery -A incubator beat`."""
import functools
import logging
import os

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError
from redis import Redis
from redis.exceptions import RedisError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")
logger = logging.getLogger(__name__)

app = Celery("incubator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_stale_connections(task=None, **kwargs):
    # Workers keep one persistent connection (CONN_MAX_AGE); drop it only when it is broken
    # or past its age, exactly as Django does around a web request. A task run eagerly is
    # inside its caller's request and transaction: leave that connection alone.
    from django.db import close_old_connections

    if task is not None and task.request.is_eager:
        return
    close_old_connections()


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
