"""Telling people: in-app notifications, and e-mail through an outbox sent by Celery."""
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotPermitted

from .models import Notification, OutgoingEmail

logger = logging.getLogger(__name__)

# An e-mail that failed this many times stays in the outbox, unsent, for an admin to look at.
MAX_EMAIL_ATTEMPTS = 10


@dataclass(frozen=True)
class Notice:
    """One message to some people: in the app for `recipients` (users), by e-mail to them and
    to `extra_emails` (a department's generic address)."""

    recipients: Iterable
    subject: str
    body: str = ""
    link: str = ""
    extra_emails: Iterable[str] = ()


def notify(*, recipients: Iterable, subject: str, body: str = "", link: str = "", extra_emails: Iterable[str] = ()) -> list[Notification]:
    """Notify users in the app and by e-mail (one Notice; see `notify_all`)."""
    return notify_all([Notice(recipients, subject, body, link, tuple(extra_emails))])


def notify_all(notices: Iterable[Notice]) -> list[Notification]:
    """Send several notices in two inserts, however many people they reach.

    Side effects: one Notification per notice and active recipient, one OutgoingEmail per
    notice and address; after commit, nudges the `notifications` Celery queue to send them
    (once per transaction, however many calls it makes).
    """
    notifications, emails = [], []
    for notice in notices:
        users = list(
            {user.pk: user for user in notice.recipients if user is not None and user.is_active}.values()
        )
        subject = notice.subject[:200]
        notifications += [
            Notification(recipient=user, subject=subject, body=notice.body, link=notice.link) for user in users
        ]
        addresses = sorted(
            {user.email for user in users if user.email} | set(filter(None, notice.extra_emails))
        )
        text = f"{notice.body}\n\n{settings.SITE_URL}{notice.link}" if notice.link else notice.body
        emails += [OutgoingEmail(to=address, subject=subject, body=text) for address in addresses]
    created = Notification.objects.bulk_create(notifications) if notifications else []
    if emails:
        OutgoingEmail.objects.bulk_create(emails)
        _nudge_outbox_on_commit()
    return created


def _send_outbox_soon() -> None:
    from .tasks import task_send_pending_emails

    task_send_pending_emails.nudge()


def _nudge_outbox_on_commit() -> None:
    """One nudge per transaction: the task sends the whole outbox."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        callback is _send_outbox_soon for _sids, callback, *_rest in connection.run_on_commit
    ):
        return
    transaction.on_commit(_send_outbox_soon)


def emails_send_pending(*, batch_size: int = 100) -> int:
    """Send what waits in the outbox; returns how many were sent.

    Each e-mail is locked while it is sent (skip_locked), so two workers never send one twice.
    Side effects: sends e-mail through Django's backend; marks each sent, or counts the failure.
    """
    sent = 0
    while True:
        with transaction.atomic():
            pending = list(
                OutgoingEmail.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, attempts__lt=MAX_EMAIL_ATTEMPTS)
                .order_by("id")[:batch_size]
            )
            for email in pending:
                try:
                    send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
                except OSError as exc:  # SMTP errors are OSErrors
                    logger.warning("e-mail %s to %s failed: %s", email.pk, email.to, exc)
                    email.attempts += 1
                    email.last_error = str(exc)[:300]
                    email.save(update_fields=["attempts", "last_error"])
                    continue
                email.sent_at = timezone.now()
                email.attempts += 1
                email.save(update_fields=["sent_at", "attempts"])
                sent += 1
        if len(pending) < batch_size:
            return sent


def notification_mark_read(*, notification: Notification, by) -> Notification:
    """The recipient marks a notification read. Side effects: sets read_at once."""
    if notification.recipient_id != by.pk:
        raise NotPermitted(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by) -> int:
    """Side effects: marks every unread notification of `by` read; returns how many."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
