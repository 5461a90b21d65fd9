"""Telling people: in-app notifications, and e-mail through an outbox sent by Celery."""
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import NotPermitted

from .models import Notification, OutgoingEmail

logger = logging.getLogger(__name__)

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
        # A subject is one line wherever it came from: a line break in an e-mail header is refused.
        subject = " ".join(str(notice.subject).split())[:200]
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


def emails_send_pending(*, limit: int = 500) -> int:
    """Send what waits in the outbox, oldest first, each e-mail on its own; returns how many
    were sent.

    Each e-mail is claimed by a guarded update committed before the send (pending -> sending),
    so two workers never send one twice, and no lock is held while the mail server talks. A
    failure (a refused header, a server that is down) is recorded on that e-mail alone: it
    goes back to pending, or is set aside as failed after EMAIL_MAX_ATTEMPTS; the others are
    sent meanwhile. An e-mail left `sending` by a worker that died mid-send may have gone out:
    it is set aside as failed, never sent again by itself.

    Side effects: sends e-mail through Django's backend; updates each e-mail's status,
    attempts, sent_at and last_error.
    """
    _set_aside_interrupted()
    sent = 0
    for pk in OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).order_by("id").values_list(
        "pk", flat=True
    )[:limit]:
        sent += _send_one(pk)
    return sent


def _send_one(pk: int) -> bool:
    claimed = OutgoingEmail.objects.filter(pk=pk, status=OutgoingEmail.Status.PENDING).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:  # another worker has it
        return False
    email = OutgoingEmail.objects.get(pk=pk)
    try:
        EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to]).send()
    except Exception as exc:  # whatever one e-mail does wrong must not hold up the others
        logger.warning("e-mail %s to %s failed (attempt %s): %r", pk, email.to, email.attempts, exc)
        gives_up = email.attempts >= settings.EMAIL_MAX_ATTEMPTS
        OutgoingEmail.objects.filter(pk=pk, status=OutgoingEmail.Status.SENDING).update(
            status=OutgoingEmail.Status.FAILED if gives_up else OutgoingEmail.Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return False
    OutgoingEmail.objects.filter(pk=pk).update(status=OutgoingEmail.Status.SENT, sent_at=timezone.now())
    return True


def _set_aside_interrupted() -> None:
    stale = timezone.now() - timedelta(seconds=settings.EMAIL_SENDING_STALE_SECONDS)
    OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING, claimed_at__lt=stale).update(
        status=OutgoingEmail.Status.FAILED,
        last_error="Interrupted while sending: it may have gone out. Send it again only if it did not.",
    )


def emails_retry(*, emails, by) -> int:
    """An admin puts failed e-mails back in the outbox. Side effects: status pending,
    attempts 0; returns how many."""
    return OutgoingEmail.objects.filter(
        pk__in=[email.pk for email in emails], status=OutgoingEmail.Status.FAILED
    ).update(status=OutgoingEmail.Status.PENDING, attempts=0)


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
