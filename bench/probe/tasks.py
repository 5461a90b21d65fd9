from celery import shared_task


@shared_task(name="bench.probe.tasks.task_route_noop")
def task_route_noop():
    """Does nothing, on the routing queue: the ceiling of any one-task-per-letter design."""
