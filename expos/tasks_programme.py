from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=120, time_limit=150)
def task_schedule_run(*, run_id: int):
    """Run one queued scheduler run (the schedule page's button)."""
    from .models import ScheduleRun
    from .programme import schedule_run_execute

    run = ScheduleRun.objects.filter(pk=run_id).select_related("expo", "by").first()
    if run is None:
        return None
    result = schedule_run_execute(run=run)
    return None if result is None else result["placed"]
