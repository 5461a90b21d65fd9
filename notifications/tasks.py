from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def task_send_email(*, to: str, subject: str, body: str, link: str = ""):
    """Sends one e-mail through Django's e-mail backend (routed to the `notifications` queue)."""
    text = f"{body}\n\n{link}" if link else body
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
