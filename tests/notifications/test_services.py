import pytest
from django.core import mail

from core.exceptions import NotPermitted
from notifications.models import Notification, OutgoingEmail
from notifications.services import (
    MAX_EMAIL_ATTEMPTS,
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
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 0


def test_emails_send_pending_counts_a_failure_and_retries_later(settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_backend.FailingBackend"
    email = OutgoingEmail.objects.create(to="a@example.com", subject="One", body="x")

    assert emails_send_pending() == 0

    email.refresh_from_db()
    assert (email.sent_at, email.attempts, email.last_error) == (None, 1, "SMTP is down")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert emails_send_pending() == 1


def test_emails_send_pending_gives_up_after_the_last_attempt():
    OutgoingEmail.objects.create(to="a@example.com", subject="One", body="x", attempts=MAX_EMAIL_ATTEMPTS)

    assert emails_send_pending() == 0
    assert mail.outbox == []


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
