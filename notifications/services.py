"""Telling people: in-app notifications and e-mail, sent after the transaction commits."""
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


def notify(*, recipients: Iterable, subject: str, body: str = "", link: str = "", extra_emails: Iterable[str] = ()) -> list[Notification]:
    """Notify users in the app and by e-mail; `extra_emails` get the e-mail only (a
    department's generic address).

    Side effects: creates one Notification per user; after commit, queues one e-mail task per
    address on the `notifications` Celery queue.
    """
    from .tasks import task_send_email

    users = {user.pk: user for user in recipients if user is not None and user.is_active}.values()
    created = Notification.objects.bulk_create(
        Notification(recipient=user, subject=subject[:200], body=body, link=link) for user in users
    )
    addresses = sorted({user.email for user in users if user.email} | set(filter(None, extra_emails)))
    for address in addresses:
        transaction.on_commit(
            lambda address=address: task_send_email.delay(to=address, subject=subject, body=body, link=link)
        )
    return created


def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Side effects: sets read_at once."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by) -> int:
    """Side effects: marks every unread notification of `by` read; returns how many."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
