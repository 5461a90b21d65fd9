"""The SLA clock, and what happens as a letter's due date comes and goes.

The clock counts working hours only: from settings.WORKING_HOURS_START to WORKING_HOURS_END
(local time, settings.TIME_ZONE) on settings.WORKING_DAYS that are not in the holiday calendar
(Holiday rows, kept by admins). It stops while the letter waits on its founders
(`info_requested`, `sla_paused_at` set) and runs again, with the due date pushed back by the
working hours it stood still, when they answer (`resume_clock`).

Escalation is a beat task that reads `due_at` (never a countdown or an ETA, which Redis would
run twice past its visibility timeout): `warn_before_breach` once before the due date,
`escalate_overdue` once after it.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.activity import check_allowed, record_activity, update_fields
from core.exceptions import InvalidInput
from notifications.services import notify

from ..enums import OPEN_FOR_REVIEW, EventKind, Status
from ..models import Holiday, Letter, LetterEvent, ReviewQueue

logger = logging.getLogger(__name__)

# How far ahead the clock may look for a working hour before it gives up (a calendar with no
# working day at all is a configuration error, not a reason to loop forever).
_MAX_DAYS = 3660


class Calendar:
    """Working days and hours, with the holidays read once (one query) and reused."""

    def __init__(
        self,
        holidays: Iterable[datetime.date] = (),
        *,
        start_hour: int | None = None,
        end_hour: int | None = None,
        working_days: Iterable[int] | None = None,
    ):
        self.holidays = frozenset(holidays)
        self.start = datetime.time(settings.WORKING_HOURS_START if start_hour is None else start_hour)
        self.end = datetime.time(settings.WORKING_HOURS_END if end_hour is None else end_hour)
        self.working_days = frozenset(settings.WORKING_DAYS if working_days is None else working_days)
        self.tz = timezone.get_default_timezone()
        if self.end <= self.start or not self.working_days:
            raise ValueError(
                "WORKING_HOURS_END must be after WORKING_HOURS_START, and WORKING_DAYS not empty"
            )

    @classmethod
    def load(cls, since: datetime.datetime | datetime.date | None = None) -> "Calendar":
        """The calendar with every holiday from `since` on (one query)."""
        holidays = Holiday.objects.all()
        if since is not None:
            day = timezone.localtime(since).date() if isinstance(since, datetime.datetime) else since
            holidays = holidays.filter(date__gte=day)
        return cls(holidays.values_list("date", flat=True))

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays

    def window(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The day's working hours as aware datetimes."""
        return (
            datetime.datetime.combine(day, self.start, tzinfo=self.tz),
            datetime.datetime.combine(day, self.end, tzinfo=self.tz),
        )

    def add_working_hours(self, start: datetime.datetime, hours) -> datetime.datetime:
        """The moment `hours` working hours after `start`."""
        remaining = datetime.timedelta(hours=float(hours))
        cursor = timezone.localtime(start, self.tz)
        if remaining <= datetime.timedelta(0):
            return cursor
        day = cursor.date()
        for _day in range(_MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self.window(day)
                begin = max(cursor, opens)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += datetime.timedelta(days=1)
            cursor = datetime.datetime.combine(day, datetime.time.min, tzinfo=self.tz)
        raise ValueError("no working hours in the calendar")

    def working_hours_between(self, start: datetime.datetime, end: datetime.datetime) -> Decimal:
        """How many working hours lie between `start` and `end` (0 when end is not after start)."""
        start, end = timezone.localtime(start, self.tz), timezone.localtime(end, self.tz)
        total = datetime.timedelta(0)
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                opens, closes = self.window(day)
                begin, finish = max(start, opens), min(end, closes)
                if begin < finish:
                    total += finish - begin
            day += datetime.timedelta(days=1)
        return Decimal(total.total_seconds()) / Decimal(3600)


def add_working_hours(
    start: datetime.datetime, hours, *, calendar: Calendar | None = None
) -> datetime.datetime:
    """The moment `hours` working hours after `start`, skipping nights, weekends and holidays."""
    return (calendar or Calendar.load(start)).add_working_hours(start, hours)


def working_hours_between(start, end, *, calendar: Calendar | None = None) -> Decimal:
    return (calendar or Calendar.load(start)).working_hours_between(start, end)


@dataclass(frozen=True)
class SlaClock:
    """`now`, and the moment under which a due date counts as "due soon": the same horizon as
    the SLA warning (settings.SLA_WARNING_HOURS working hours from now). One query. The pages
    read one per request for the letters' SLA badges."""

    now: datetime.datetime
    soon: datetime.datetime

    @classmethod
    def read(cls) -> "SlaClock":
        now = timezone.now()
        return cls(now, Calendar.load(now).add_working_hours(now, settings.SLA_WARNING_HOURS))

    def state(self, letter) -> str:
        """overdue | soon | on_time | paused (waiting on the founders) | "" (no clock)."""
        if letter.status == Status.INFO_REQUESTED and letter.sla_paused_at:
            return "paused"
        if letter.status not in OPEN_FOR_REVIEW or letter.due_at is None:
            return ""
        if letter.is_overdue or letter.due_at <= self.now:
            return "overdue"
        if letter.due_at <= self.soon:
            return "soon"
        return "on_time"


def resume_clock(letter: Letter, *, now: datetime.datetime | None = None) -> Letter:
    """Start the SLA clock again after the founders answered (called by the letter services,
    inside their transaction, on a locked letter).

    Side effects: saves `due_at` (later by the working hours spent waiting) and clears
    `sla_paused_at`. Does nothing when the clock is not paused.
    """
    if letter.sla_paused_at is None:
        return letter
    changes = {"sla_paused_at": None}
    if letter.due_at is not None:
        calendar = Calendar.load(min(letter.sla_paused_at, letter.due_at))
        stood_still = calendar.working_hours_between(letter.sla_paused_at, now or timezone.now())
        changes["due_at"] = calendar.add_working_hours(letter.due_at, stood_still)
    for field, value in changes.items():
        setattr(letter, field, value)
    letter.save(update_fields=[*changes, "updated_at"])
    return letter


# --- Warnings and escalation (beat) -------------------------------------------------------


def _supervisors_by_queue(queue_ids) -> dict[int, list]:
    """The supervisors of each queue (one query)."""
    rows = (
        ReviewQueue.supervisors.through.objects.filter(
            reviewqueue_id__in=set(queue_ids), user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    )
    supervisors = defaultdict(list)
    for row in rows:
        supervisors[row.reviewqueue_id].append(row.user)
    return supervisors


def _clock_running(now):
    """Letters whose SLA clock runs and has a due date (not waiting on the founders)."""
    return Letter.objects.filter(status__in=OPEN_FOR_REVIEW, due_at__isnull=False, sla_paused_at__isnull=True)


@transaction.atomic
def warn_before_breach(*, now: datetime.datetime | None = None) -> int:
    """Warn, once per letter, that its due date is less than settings.SLA_WARNING_HOURS working
    hours away. Returns how many letters were warned.

    Side effects: one `sla_warning` event per letter; a notification to the assignee (to the
    queue's supervisors when nobody holds the letter yet). A letter already warned never is
    again.
    """
    now = now or timezone.now()
    calendar = Calendar.load(now)
    horizon = calendar.add_working_hours(now, settings.SLA_WARNING_HOURS)
    already_warned = LetterEvent.objects.filter(letter_id=OuterRef("pk"), kind=EventKind.SLA_WARNING)
    letters = list(
        _clock_running(now)
        .filter(is_overdue=False, due_at__gt=now, due_at__lte=horizon)
        .exclude(Exists(already_warned))
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("assignee", "queue")
        .order_by("due_at", "id")
    )
    if not letters:
        return 0
    supervisors = _supervisors_by_queue(letter.queue_id for letter in letters if letter.assignee_id is None)
    events = []
    for letter in letters:
        due = timezone.localtime(letter.due_at).strftime("%Y-%m-%d %H:%M")
        note = _("Due at %(due)s: less than %(hours)s working hours left.") % {
            "due": due,
            "hours": settings.SLA_WARNING_HOURS,
        }
        events.append(LetterEvent(letter=letter, kind=EventKind.SLA_WARNING, note=note))
        recipients = [letter.assignee] if letter.assignee_id else supervisors.get(letter.queue_id, [])
        notify(
            recipients=recipients,
            subject=_("Letter #%(id)s is due soon: %(subject)s")
            % {"id": letter.pk, "subject": letter.subject},
            body=note,
            link=letter.get_absolute_url(),
        )
    LetterEvent.objects.bulk_create(events)
    return len(letters)


@transaction.atomic
def escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Flag letters past their due date, once. Returns how many were escalated.

    Only letters whose clock runs count: not one waiting on its founders (`info_requested`).
    Side effects: `is_overdue` set and `priority` raised by one; one `escalated` event each;
    a notification to the queue's supervisors and an e-mail to the department's generic address.
    """
    now = now or timezone.now()
    letters = list(
        _clock_running(now)
        .filter(is_overdue=False, due_at__lte=now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("queue__department", "assignee")
        .order_by("due_at", "id")
    )
    if not letters:
        return 0
    supervisors = _supervisors_by_queue(letter.queue_id for letter in letters)
    events = []
    for letter in letters:
        due = timezone.localtime(letter.due_at).strftime("%Y-%m-%d %H:%M")
        holder = letter.assignee.get_username() if letter.assignee_id else _("nobody (waiting in the queue)")
        note = _("Overdue since %(due)s; held by %(holder)s. Priority raised.") % {
            "due": due,
            "holder": holder,
        }
        events.append(LetterEvent(letter=letter, kind=EventKind.ESCALATED, note=note))
        notify(
            recipients=supervisors.get(letter.queue_id, []),
            subject=_("Letter #%(id)s is overdue: %(subject)s")
            % {"id": letter.pk, "subject": letter.subject},
            body=note,
            link=letter.get_absolute_url(),
            extra_emails=[letter.queue.department.email] if letter.queue_id else [],
        )
    Letter.objects.filter(pk__in=[letter.pk for letter in letters]).update(
        is_overdue=True, priority=F("priority") + 1, updated_at=now
    )
    LetterEvent.objects.bulk_create(events)
    return len(letters)


def sla_check(*, now: datetime.datetime | None = None) -> dict:
    """The beat's SLA round: warnings first, then escalations (each in its own transaction).

    Side effects: those of `warn_before_breach` and `escalate_overdue`.
    """
    now = now or timezone.now()
    return {"warned": warn_before_breach(now=now), "escalated": escalate_overdue(now=now)}
# --- Holidays (admin) ---------------------------------------------------------------------


@transaction.atomic
def holiday_create(*, date: datetime.date, name: str, by: User) -> Holiday:
    """Side effects: the SLA clock stops on this day for due dates computed from now on; an
    activity entry."""
    if Holiday.objects.filter(date=date).exists():
        raise InvalidInput(_("This day is already a holiday."), field="date")
    holiday = Holiday.objects.create(date=date, name=name)
    record_activity(holiday, "created", by=by, changes={"date": [None, date], "name": [None, name]})
    return holiday


HOLIDAY_FIELDS = ("date", "name")


@transaction.atomic
def holiday_update(*, holiday: Holiday, by: User, **changes) -> Holiday:
    """Only `date` and `name` may change (another field: 400).
    Side effects: saves the changed fields; an activity entry with their old and new values."""
    check_allowed(changes, HOLIDAY_FIELDS)
    if "date" in changes and Holiday.objects.filter(date=changes["date"]).exclude(pk=holiday.pk).exists():
        raise InvalidInput(_("This day is already a holiday."), field="date")
    update_fields(holiday, changes, allowed=HOLIDAY_FIELDS, by=by)
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, by: User) -> None:
    """Side effects: deletes the holiday; an activity entry."""
    record_activity(
        holiday, "deleted", by=by, changes={"date": [holiday.date, None], "name": [holiday.name, None]}
    )
    holiday.delete()
