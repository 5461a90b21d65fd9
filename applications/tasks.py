"""Celery tasks for letters: thin, each calls exactly one service and owns its retry policy.

`task_route_*` tasks go to the `routing` Celery queue (CELERY_TASK_ROUTES). The database is the
truth and a routing message only a nudge: routing reads what is waiting, so a message lost,
delivered twice or sent to a broker that is down costs a delay, never a letter.
"""

from celery import shared_task
from django.db import OperationalError

from core.nudge import NudgeTask

from .services import router, sla


@shared_task(
    base=NudgeTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def task_route_letters():
    """Route every waiting letter (the coalesced router: one task drains them all).

    Late acknowledgement: a worker killed mid-batch rolls its transaction back and the message
    returns to the queue. A database error (deadlock, failover) retries with backoff.
    """
    return router.route_waiting_letters()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def task_sweep_submitted():
    """Beat, every minute: route letters left `submitted` over a minute, and queued letters a
    reviewer now has room for (routes directly, so a dead routing queue cannot stop it)."""
    return router.sweep_waiting_letters()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def task_escalate_sla():
    """Beat, every five minutes: warn before SLA breaches, escalate overdue letters."""
    return sla.sla_check()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def task_reassign_inactive():
    """Beat: letters held by a deactivated reviewer go back to their queue."""
    return router.letter_reassign_from_inactive()
