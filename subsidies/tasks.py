from celery import shared_task

from .services import profit


@shared_task
def task_apply_profit_policies():
    """Beat (hourly): apply the programs' profit policies for startups that filed reports."""
    return profit.profit_policies_evaluate()


@shared_task
def task_apply_profit_policy(*, startup_id: int):
    """Evaluate one startup now (e.g. right after it filed a report)."""
    from startups.models import Startup

    startup = Startup.objects.filter(pk=startup_id).first()
    if startup is None:
        return None
    return len(profit.apply_profit_policy(startup=startup))
