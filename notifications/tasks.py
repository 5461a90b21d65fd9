from celery import shared_task
from django.db import OperationalError

from core.nudge import NudgeTask

from .services import emails_send_pending


@shared_task(base=NudgeTask, acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def task_send_pending_emails():
    """Send the outbox (the `notifications` queue); beat also runs it every minute, so an
    e-mail whose nudge was lost goes out anyway."""
    return emails_send_pending()
