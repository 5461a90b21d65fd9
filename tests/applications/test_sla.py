"""The SLA clock (working hours, weekends, holidays, pauses), warnings and escalation."""

import datetime
from decimal import Decimal

import pytest

from applications.enums import EventKind, Status
from applications.models import Holiday, Letter
from applications.services import sla
from applications.services.sla import Calendar, add_working_hours, working_hours_between
from applications.tasks import task_escalate_sla
from notifications.models import Notification
from tests import factories

from .routing_helpers import at, events

pytestmark = pytest.mark.django_db

# January 2026: Thursday the 1st, Friday the 2nd, the weekend, Monday the 5th...
THU, FRI, SAT, MON, TUE, WED = 1, 2, 3, 5, 6, 7


@pytest.fixture
def deliver_emails(mailoutbox):
    """Run, as a worker would, the e-mail tasks published on the `notifications` Celery queue
    (the tests' in-memory broker); returns the outbox."""
    from incubator.celery import app

    assert app.conf.broker_url == "memory://", "these tests read the in-memory broker"

    def deliver():
        with app.connection_for_write() as connection:
            queue = connection.SimpleQueue("notifications")
            while queue.qsize():
                message = queue.get_nowait()
                args, kwargs, _embed = message.payload
                app.tasks[message.headers["task"]](*args, **kwargs)
                message.ack()
            queue.close()
        return mailoutbox

    with app.connection_for_write() as connection:
        connection.SimpleQueue("notifications").clear()
    return deliver


# --- The clock ---------------------------------------------------------------------------------


def test_add_working_hours_within_a_day():
    assert add_working_hours(at(2026, 1, MON, 10), 3) == at(2026, 1, MON, 13)


def test_add_working_hours_ending_at_closing_time():
    assert add_working_hours(at(2026, 1, MON, 9), 9) == at(2026, 1, MON, 18)


def test_add_working_hours_overnight():
    assert add_working_hours(at(2026, 1, MON, 17), 2) == at(2026, 1, TUE, 10)


def test_add_working_hours_across_the_weekend():
    assert add_working_hours(at(2026, 1, FRI, 16), 4) == at(2026, 1, MON, 11)


def test_add_working_hours_from_outside_hours_starts_at_the_next_opening():
    assert add_working_hours(at(2026, 1, SAT, 10), 1) == at(2026, 1, MON, 10)
    assert add_working_hours(at(2026, 1, MON, 7, 30), Decimal("1.5")) == at(2026, 1, MON, 10, 30)
    assert add_working_hours(at(2026, 1, MON, 20), 1) == at(2026, 1, TUE, 10)


def test_add_working_hours_skips_holidays():
    Holiday.objects.create(date=datetime.date(2026, 1, MON), name="Bridge day")

    assert add_working_hours(at(2026, 1, FRI, 16), 4) == at(2026, 1, TUE, 11)


def test_add_working_hours_several_days():
    # 40 working hours from Monday 9:00: Mon-Thu full days (36 h) and 4 h on Friday.
    assert add_working_hours(at(2026, 1, MON, 9), 40) == at(2026, 1, 9, 13)


def test_add_working_hours_zero_is_the_start():
    assert add_working_hours(at(2026, 1, SAT, 10), 0) == at(2026, 1, SAT, 10)


def test_add_working_hours_follows_settings(settings):
    settings.WORKING_HOURS_START, settings.WORKING_HOURS_END = 8, 12
    settings.WORKING_DAYS = [0, 1, 2, 3, 4, 5]  # Saturdays too

    assert add_working_hours(at(2026, 1, FRI, 11), 2) == at(2026, 1, SAT, 9)


def test_add_working_hours_handles_utc_input():
    start = at(2026, 1, MON, 17).astimezone(datetime.UTC)

    assert add_working_hours(start, 2) == at(2026, 1, TUE, 10)


def test_working_hours_between_skips_nights_weekends_and_holidays():
    calendar = Calendar([datetime.date(2026, 1, MON)])

    assert calendar.working_hours_between(at(2026, 1, FRI, 17), at(2026, 1, TUE, 10)) == 2
    assert working_hours_between(at(2026, 1, MON, 10), at(2026, 1, MON, 9)) == 0
    assert working_hours_between(at(2026, 1, MON, 10), at(2026, 1, MON, 10, 30)) == Decimal("0.5")


def test_calendar_without_working_days_is_refused():
    with pytest.raises(ValueError):
        Calendar(working_days=[])


# --- Pause and resume -------------------------------------------------------------------------


def test_resume_clock_pushes_due_date_by_the_working_hours_paused():
    letter = factories.letter_in_state(
        Status.INFO_REQUESTED, reviewer=factories.UserFactory(roles=["reviewer"])
    )
    Letter.objects.filter(pk=letter.pk).update(
        due_at=at(2026, 1, MON, 12), sla_paused_at=at(2026, 1, FRI, 17)
    )
    letter.refresh_from_db()

    sla.resume_clock(letter, now=at(2026, 1, MON, 10))

    letter.refresh_from_db()
    # Paused Friday 17:00 to Monday 10:00: two working hours.
    assert (letter.due_at, letter.sla_paused_at) == (at(2026, 1, MON, 14), None)


def test_resume_clock_over_a_holiday_does_not_count_it():
    Holiday.objects.create(date=datetime.date(2026, 1, MON), name="Holiday")
    letter = factories.letter_in_state(
        Status.INFO_REQUESTED, reviewer=factories.UserFactory(roles=["reviewer"])
    )
    Letter.objects.filter(pk=letter.pk).update(
        due_at=at(2026, 1, WED, 12), sla_paused_at=at(2026, 1, FRI, 17)
    )
    letter.refresh_from_db()

    sla.resume_clock(letter, now=at(2026, 1, TUE, 10))

    assert Letter.objects.get(pk=letter.pk).due_at == at(2026, 1, WED, 14)


def test_resume_clock_not_paused_changes_nothing():
    letter = factories.letter_in_state(Status.IN_REVIEW, reviewer=factories.UserFactory(roles=["reviewer"]))
    due = letter.due_at

    sla.resume_clock(letter, now=at(2026, 1, MON, 10))

    assert Letter.objects.get(pk=letter.pk).due_at == due


# --- Escalation --------------------------------------------------------------------------------


NOW = at(2026, 1, WED, 10)


def _letter(status, due_at, **kwargs):
    letter = factories.letter_in_state(status, **kwargs)
    Letter.objects.filter(pk=letter.pk).update(due_at=due_at)
    letter.refresh_from_db()
    return letter


@pytest.fixture
def setup_queue():
    department = factories.DepartmentFactory(email="grants@gov.example")
    boss = factories.UserFactory(roles=["reviewer"], email="boss@gov.example")
    reviewer = factories.UserFactory(roles=["reviewer"], email="rev@gov.example")
    queue = factories.ReviewQueueFactory(department=department, reviewers=[reviewer], supervisors=[boss])
    return queue, reviewer, boss


def test_escalate_overdue_flags_raises_priority_and_notifies_once(
    setup_queue, deliver_emails, django_capture_on_commit_callbacks
):
    queue, reviewer, boss = setup_queue
    late = _letter(Status.IN_REVIEW, NOW - datetime.timedelta(hours=1), queue=queue, reviewer=reviewer)
    on_time = _letter(Status.IN_REVIEW, NOW + datetime.timedelta(hours=1), queue=queue, reviewer=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        assert sla.escalate_overdue(now=NOW) == 1

    late.refresh_from_db()
    assert (late.is_overdue, late.priority) == (True, 1)
    assert Letter.objects.get(pk=on_time.pk).is_overdue is False
    (event,) = events(late, kind=EventKind.ESCALATED)
    assert f"held by {reviewer.username}" in event.note
    mailoutbox = deliver_emails()
    assert sorted(message.to[0] for message in mailoutbox) == ["boss@gov.example", "grants@gov.example"]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [boss.pk]

    with django_capture_on_commit_callbacks(execute=True):
        assert sla.escalate_overdue(now=NOW + datetime.timedelta(minutes=30)) == 0
    assert Letter.objects.get(pk=late.pk).priority == 1
    assert len(events(late, kind=EventKind.ESCALATED)) == 1
    assert len(deliver_emails()) == 2


def test_escalate_overdue_skips_letters_waiting_on_founders_and_finished_ones(setup_queue):
    queue, reviewer, _boss = setup_queue
    waiting = _letter(
        Status.INFO_REQUESTED, NOW - datetime.timedelta(hours=1), queue=queue, reviewer=reviewer
    )
    done = _letter(Status.APPROVED, NOW - datetime.timedelta(hours=1), queue=queue, reviewer=reviewer)

    assert sla.escalate_overdue(now=NOW) == 0

    assert not Letter.objects.filter(pk__in=[waiting.pk, done.pk], is_overdue=True).exists()


def test_escalate_overdue_queued_letter_without_assignee(setup_queue):
    queue, _reviewer, _boss = setup_queue
    queued = _letter(Status.QUEUED, NOW - datetime.timedelta(minutes=1), queue=queue)

    assert sla.escalate_overdue(now=NOW) == 1

    assert "nobody (waiting in the queue)" in events(queued, kind=EventKind.ESCALATED)[0].note


def test_warn_before_breach_warns_assignee_once(
    setup_queue, deliver_emails, django_capture_on_commit_callbacks
):
    queue, reviewer, _boss = setup_queue
    soon = _letter(Status.IN_REVIEW, at(2026, 1, WED, 13), queue=queue, reviewer=reviewer)
    later = _letter(Status.IN_REVIEW, at(2026, 1, WED, 15), queue=queue, reviewer=reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        assert sla.warn_before_breach(now=NOW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.warn_before_breach(now=NOW + datetime.timedelta(minutes=30)) == 0

    assert len(events(soon, kind=EventKind.SLA_WARNING)) == 1
    assert events(later, kind=EventKind.SLA_WARNING) == []
    assert [message.to for message in deliver_emails()] == [["rev@gov.example"]]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [reviewer.pk]


def test_warn_before_breach_counts_working_hours(setup_queue):
    queue, reviewer, _boss = setup_queue
    # Friday 17:00: four working hours ahead reach Monday 12:00.
    monday = _letter(Status.IN_REVIEW, at(2026, 1, MON, 11), queue=queue, reviewer=reviewer)

    assert sla.warn_before_breach(now=at(2026, 1, FRI, 17)) == 1
    assert len(events(monday, kind=EventKind.SLA_WARNING)) == 1


def test_warn_before_breach_queued_letter_warns_supervisors(setup_queue):
    queue, _reviewer, boss = setup_queue
    _letter(Status.QUEUED, at(2026, 1, WED, 11), queue=queue)

    assert sla.warn_before_breach(now=NOW) == 1

    assert list(Notification.objects.values_list("recipient", flat=True)) == [boss.pk]


def test_task_escalate_sla_warns_and_escalates(setup_queue):
    queue, reviewer, _boss = setup_queue
    _letter(
        Status.IN_REVIEW,
        datetime.datetime(2000, 1, 3, 10, tzinfo=datetime.UTC),
        queue=queue,
        reviewer=reviewer,
    )

    assert task_escalate_sla() == {"warned": 0, "escalated": 1}
