from celery import shared_task

from .services import requests, runs


@shared_task(acks_late=True)
def task_run_propose(*, run_id: int):
    """Propose for a queued allocation run (a large instance), writing its progress."""
    from .models import AllocationRun

    run = AllocationRun.objects.filter(pk=run_id).first()
    if run is None:
        return None
    return runs.run_propose(run=run).status


@shared_task
def task_expire_offers():
    """Beat: offers past their claim window expire, freeing their units for the next run."""
    return requests.offers_expire()
