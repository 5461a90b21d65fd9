from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import NotPermitted
from notifications.models import Notification, OutgoingEmail
from notifications.services import (
    emails_retry,
    emails_send_pending,
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_notify_creates_one_notification_per_active_user_and_one_email_per_address(django_capture_on_commit_callbacks):
    alice = factories.UserFactory(email="alice@example.com")
    gone = factories.UserFactory(is_active=False)

    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipients=[alice, alice, gone, None], subject="Hello", body="Body", link="/letters/1/",
               extra_emails=["dept@gov.example", ""])

    assert list(Notification.objects.values_list("recipient", flat=True)) == [alice.pk]
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == ["alice@example.com", "dept@gov.example"]
    assert OutgoingEmail.objects.first().body.endswith("http://127.0.0.1:8000/letters/1/")
    assert len(callbacks) == 1  # one nudge for the whole outbox


def test_emails_send_pending_sends_each_once():
    OutgoingEmail.objects.create(to="a@example.com", subject="One", body="x")
    OutgoingEmail.objects.create(to="b@example.com", subject="Two", body="y")

    assert emails_send_pending() == 2
    assert emails_send_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_emails_send_pending_counts_a_failure_and_retries_later(settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    email = OutgoingEmail.objects.create(to="a@example.com", subject="One", body="x")

    assert emails_send_pending() == 0

    email.refresh_from_db()
    assert (email.status, email.sent_at, email.attempts, email.last_error) == (
        OutgoingEmail.Status.PENDING,
        None,
        1,
        "ConnectionRefusedError: SMTP is down",
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_send_pending() == 1


def test_emails_send_pending_sets_an_email_aside_after_the_last_attempt(settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    email = OutgoingEmail.objects.create(to="a@example.com", subject="One", body="x")

    for _ in range(5):
        emails_send_pending()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 3)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_send_pending() == 0
    assert mail.outbox == []


def test_emails_send_pending_a_bad_header_blocks_no_other_email(settings):
    """A line break in a subject (a row written before subjects were one line) makes Django
    refuse the header: that e-mail alone fails, the others go out once each."""
    settings.EMAIL_MAX_ATTEMPTS = 2
    bad = OutgoingEmail.objects.create(to="bad@example.com", subject="Hi\nBcc: victim@example.com", body="x")
    OutgoingEmail.objects.create(to="a@example.com", subject="One", body="x")
    OutgoingEmail.objects.create(to="b@example.com", subject="Two", body="y")

    assert emails_send_pending() == 2
    assert emails_send_pending() == 0
    assert emails_send_pending() == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    bad.refresh_from_db()
    assert (bad.status, bad.attempts) == (OutgoingEmail.Status.FAILED, 2)
    assert bad.last_error.startswith("BadHeaderError")


def test_emails_send_pending_never_sends_one_twice_while_another_worker_runs(settings):
    """The backend runs a second worker's pass in the middle of each send: it finds nothing
    to claim that the first has claimed."""
    settings.EMAIL_BACKEND = "tests.notifications.reentrant_backend.SecondWorkerBackend"
    for address in ("a@example.com", "b@example.com", "c@example.com"):
        OutgoingEmail.objects.create(to=address, subject="Hello", body="x")

    sent = emails_send_pending()

    recipients = [m.to[0] for m in mail.outbox]
    assert sorted(recipients) == ["a@example.com", "b@example.com", "c@example.com"]
    assert sent < 3  # the second worker sent some of them
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {OutgoingEmail.Status.SENT}


def test_emails_send_pending_sets_aside_one_interrupted_mid_send(settings):
    """A worker died after claiming an e-mail: it may have gone out, so it is not sent again
    by itself; an admin decides."""
    email = OutgoingEmail.objects.create(
        to="a@example.com",
        subject="One",
        body="x",
        status=OutgoingEmail.Status.SENDING,
        claimed_at=timezone.now() - timedelta(seconds=settings.EMAIL_SENDING_STALE_SECONDS + 1),
        attempts=1,
    )

    assert emails_send_pending() == 0

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert mail.outbox == []


def test_emails_retry_puts_failed_emails_back_in_the_outbox(admin_user):
    failed = OutgoingEmail.objects.create(
        to="a@example.com", subject="One", body="x", status=OutgoingEmail.Status.FAILED, attempts=5
    )
    sent = OutgoingEmail.objects.create(to="b@example.com", subject="Two", body="x", status=OutgoingEmail.Status.SENT)

    assert emails_retry(emails=[failed, sent], by=admin_user) == 1

    assert emails_send_pending() == 1
    assert [m.to[0] for m in mail.outbox] == ["a@example.com"]


def test_notify_makes_a_subject_one_line():
    alice = factories.UserFactory(email="alice@example.com")

    notify(recipients=[alice], subject="Line one\r\nBcc: x@example.com")

    assert OutgoingEmail.objects.get().subject == "Line one Bcc: x@example.com"


def test_notification_mark_read_refuses_someone_elses():
    notification = Notification.objects.create(recipient=factories.UserFactory(), subject="Hi")

    with pytest.raises(NotPermitted):
        notification_mark_read(notification=notification, by=factories.UserFactory())

    notification.refresh_from_db()
    assert notification.read_at is None


def test_notifications_mark_all_read_touches_only_the_users_own():
    mine, theirs = factories.UserFactory(), factories.UserFactory()
    Notification.objects.create(recipient=mine, subject="A")
    Notification.objects.create(recipient=mine, subject="B")
    Notification.objects.create(recipient=theirs, subject="C")

    assert notifications_mark_all_read(by=mine) == 2
    assert Notification.objects.filter(recipient=theirs, read_at__isnull=True).count() == 1


def test_admin_lists_failed_emails_with_their_error(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    OutgoingEmail.objects.create(
        to="a@example.com", subject="One", status=OutgoingEmail.Status.FAILED, last_error="BadHeaderError: no"
    )
    OutgoingEmail.objects.create(to="b@example.com", subject="Two", status=OutgoingEmail.Status.SENT)

    response = client.get("/admin/notifications/outgoingemail/?status__exact=failed")

    assert response.status_code == 200
    content = response.content.decode()
    assert "a@example.com" in content and "BadHeaderError: no" in content
    assert "b@example.com" not in content
