"""The Celery application: `celery -A incubator worker` and `celery -A incubator beat`."""
import os

from celery import Celery
from celery.signals import beat_init, task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings")

app = Celery("incubator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _make_embedded_dirs(**kwargs):
    from .embedded import make_embedded_dirs

    make_embedded_dirs()


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
