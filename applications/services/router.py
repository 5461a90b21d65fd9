"""Routing: review queues, rule sets and rules, picking a queue and a reviewer, the dry run.

The router is coalesced: `route_waiting_letters` routes every waiting letter, a batch at a
time, in a fixed number of queries per batch (never a query per letter), so draining
thousands of letters costs a few dozen round trips instead of a Celery task each.

Exactly once, whatever the deliveries: inside one transaction the router
1. locks the routing books (ReviewerLoad rows) of every reviewer it may assign, in id order,
   so two routers never hand out a reviewer's last free place twice;
2. locks the waiting letters with `select_for_update(skip_locked=True)`, filtered by status, so
   a second router skips rows the first holds and, once it commits, no longer sees them as
   waiting;
3. reads the reviewers' loads (one aggregate), applies the active rule set (lowest order wins,
   else the default queue), picks the least-loaded active reviewer with free capacity (ties go
   to the longest idle), never a member of the letter's startup (when it was submitted, or
   now), keeping the loads in memory
   for the rest of the batch;
4. writes the letters (bulk_update) and one timeline event per change of status (bulk_create,
   with from/to status and a note that explains the pick), and acknowledges each newly routed
   letter to its founders (one notification insert and one e-mail insert for the batch).

A letter that finds nobody free waits as `queued`; every routing run (a submission, the
sweeper each minute, a queue's change) first gives queued letters the places that freed up.
Locks are always taken books first, then letters (with skip_locked): no cycle, no deadlock.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import RoleCode
from accounts.models import User
from core.nudge import nudge
from notifications.services import Notice, notify_all
from startups.models import Membership

from ..enums import EventKind, Status
from ..matching import LetterFacts, Rule, match_rule, rules_of
from ..models import Letter, LetterEvent, ReviewerLoad, ReviewQueue
from ..selectors import pick_approver
from .sla import Calendar
from .transitions import check_transition, transition

logger = logging.getLogger(__name__)


# The statuses in which a reviewer holds a letter: what counts against their capacity.
HELD_BY_REVIEWER = (Status.IN_REVIEW, Status.INFO_REQUESTED)
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# How many names a timeline note lists before "and N more".
_NAMES_IN_NOTE = 8



ROUTE_LETTERS = "applications.tasks.task_route_letters"


def nudge_router() -> None:
    """After commit, ask the routing worker to route every waiting letter: the one way to nudge
    it (by the task's name: this module never imports the tasks that call it). A failed publish
    is logged; the beat sweeper routes the letters a minute later."""
    transaction.on_commit(publish_router_nudge, robust=True)


def publish_router_nudge():
    """The after-commit half of `nudge_router`."""
    return nudge(ROUTE_LETTERS)


# --- The board: queues, reviewers, loads, for one batch -----------------------------------


@dataclass
class Seat:
    """One reviewer as the router sees them during a batch."""

    id: int
    name: str
    load: int = 0
    last_assigned_at: datetime.datetime | None = None
    assigned: bool = False

    def idle_key(self):
        return self.last_assigned_at or _EPOCH


@dataclass
class Pick:
    reviewer: Seat | None
    #: For staff: who was picked and why, the other candidates, who was excluded.
    explanation: str


@dataclass
class Board:
    """Queues, their reviewers and their loads; the reviewers' books are locked."""

    queues: dict[int, ReviewQueue]
    rules: list[Rule]
    default_queue_id: int | None
    seats: dict[int, Seat] = field(default_factory=dict)
    queue_seats: dict[int, list[Seat]] = field(default_factory=lambda: defaultdict(list))
    assignments: int = 0

    def queue_for(self, facts: LetterFacts) -> tuple[int | None, Rule | None]:
        rule = match_rule(facts, self.rules)
        return (rule.queue_id, rule) if rule else (self.default_queue_id, None)

    def free_places(self, queue_id: int) -> int:
        capacity = self.queues[queue_id].reviewer_capacity
        return sum(max(0, capacity - seat.load) for seat in self.queue_seats.get(queue_id, ()))

    def pick_reviewer(self, queue_id: int, members: Collection[int], now: datetime.datetime) -> Pick:
        """The least-loaded reviewer of the queue with a free place, never a member of the
        startup; ties go to the one idle longest. Books the pick in memory."""
        queue = self.queues[queue_id]
        capacity = queue.reviewer_capacity
        free, excluded = [], []
        for seat in self.queue_seats.get(queue_id, ()):
            if seat.id in members:
                excluded.append(_("%(name)s (a member of the startup)") % {"name": seat.name})
            elif seat.load >= capacity:
                excluded.append(
                    _("%(name)s (full: %(load)s of %(capacity)s)")
                    % {"name": seat.name, "load": seat.load, "capacity": capacity}
                )
            else:
                free.append(seat)
        excluded_note = " " + _("Excluded: %(names)s.") % {"names": _names(excluded)} if excluded else ""
        if not free:
            if not self.queue_seats.get(queue_id):
                why = _("The queue has no active reviewer")
            else:
                why = _("No reviewer has a free place")
            return Pick(None, why + "; " + _("the letter waits in the queue.") + excluded_note)
        free.sort(key=lambda seat: (seat.load, seat.idle_key(), seat.id))
        chosen = free[0]
        if len(free) == 1:
            reason = _("the only reviewer with a free place")
        elif free[1].load > chosen.load:
            reason = _("the least loaded")
        else:
            reason = _("tied on load, idle the longest")
        idle = (
            _("last assigned %(at)s")
            % {"at": timezone.localtime(chosen.last_assigned_at).strftime("%Y-%m-%d %H:%M")}
            if chosen.last_assigned_at
            else _("never assigned before")
        )
        others = (
            " "
            + _("Other candidates: %(names)s.")
            % {"names": _names([f"{seat.name} ({seat.load}/{capacity})" for seat in free[1:]])}
            if len(free) > 1
            else ""
        )
        note = _("Assigned to %(name)s: %(load)s of %(capacity)s open letters, %(reason)s, %(idle)s.") % {
            "name": chosen.name,
            "load": chosen.load,
            "capacity": capacity,
            "reason": reason,
            "idle": idle,
        }
        # Book it: the next letter of the batch sees the new load; a later pick in the same
        # batch is "more recent" by a microsecond, so the order survives into the next batch.
        chosen.load += 1
        self.assignments += 1
        chosen.last_assigned_at = now + datetime.timedelta(microseconds=self.assignments)
        chosen.assigned = True
        return Pick(chosen, note + others + excluded_note)


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_NAMES_IN_NOTE])
    if len(names) > _NAMES_IN_NOTE:
        shown += " " + _("and %(n)s more") % {"n": len(names) - _NAMES_IN_NOTE}
    return shown


def _load_board() -> Board:
    """Read queues, the active rules, reviewers and their loads (five queries), locking the
    reviewers' books (ReviewerLoad rows, in user id order)."""
    queues = {
        queue.pk: queue
        for queue in ReviewQueue.objects.only("id", "name", "sla_hours", "reviewer_capacity", "is_default")
    }
    default = next((pk for pk, queue in queues.items() if queue.is_default), None)
    board = Board(queues=queues, rules=rules_of(), default_queue_id=default)
    rows = (
        ReviewQueue.reviewers.through.objects.filter(
            user__is_active=True, user__roles__code=RoleCode.REVIEWER
        )
        .values_list("reviewqueue_id", "user_id", "user__username")
        .order_by("user_id", "reviewqueue_id")
    )
    for queue_id, user_id, username in rows:
        seat = board.seats.setdefault(user_id, Seat(id=user_id, name=username))
        board.queue_seats[queue_id].append(seat)
    if not board.seats:
        return board
    ids = sorted(board.seats)
    books = ReviewerLoad.objects.select_for_update().filter(user_id__in=ids).order_by("user_id")
    found = {book.user_id: book.last_assigned_at for book in books}
    missing = [user_id for user_id in ids if user_id not in found]
    if missing:  # a reviewer's first routing: open their book, then lock it like the others
        ReviewerLoad.objects.bulk_create(
            [ReviewerLoad(user_id=user_id) for user_id in missing], ignore_conflicts=True
        )
        more = ReviewerLoad.objects.select_for_update().filter(user_id__in=missing).order_by("user_id")
        found.update({book.user_id: book.last_assigned_at for book in more})
    for user_id, last in found.items():
        board.seats[user_id].last_assigned_at = last
    loads = (
        Letter.objects.filter(assignee_id__in=ids, status__in=HELD_BY_REVIEWER)
        .values("assignee_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in loads:
        board.seats[row["assignee_id"]].load = row["n"]
    return board


def _members_of(startup_ids) -> dict[int, dict[int, User]]:
    """Each startup's members by id: never their reviewers, and told when their letter is routed."""
    members = defaultdict(dict)
    memberships = (
        Membership.objects.filter(startup_id__in=set(startup_ids))
        .select_related("user")
        .only("startup_id", "user__email", "user__is_active")
    )
    for membership in memberships:
        members[membership.startup_id][membership.user_id] = membership.user
    return members


def _conflicted(letter: Letter, members: dict[int, dict[int, User]]) -> set[int]:
    """Who may not review the letter: its startup's members when it was submitted (recorded
    then, so a member who leaves before or after routing still cannot review it), and its
    members now."""
    return set(letter.conflicted_ids) | set(members[letter.startup_id])


def _founders_note(queue: ReviewQueue, letter: Letter, *, assigned: bool) -> str:
    """What founders read of a routing: where the letter went and when an answer is due, never
    who else was considered (staff read that in the event's `staff_note`)."""
    if letter.due_at is None:
        return _("In the %(queue)s queue.") % {"queue": queue.name}
    facts = {"queue": queue.name, "due": timezone.localtime(letter.due_at).strftime("%Y-%m-%d %H:%M")}
    if assigned:
        return _("In the %(queue)s queue; a reviewer has it. An answer is due by %(due)s.") % facts
    return _("In the %(queue)s queue, waiting for the next free reviewer. An answer is due by %(due)s.") % facts


def _acknowledge(routed: list[Letter], board: "Board", members: dict[int, dict[int, User]]) -> None:
    """Tell the founders where each newly routed letter went and when an answer is due: the
    acknowledgement of their submission, written with the routing, in two inserts a batch."""
    notices = []
    for letter in routed:
        facts = {
            "id": letter.pk,
            "queue": board.queues[letter.queue_id].name,
            "due": timezone.localtime(letter.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        if letter.status == Status.IN_REVIEW:
            body = _(
                "Letter #%(id)d was routed to the %(queue)s queue and a reviewer has it. "
                "An answer is due by %(due)s."
            )
        else:
            body = _(
                "Letter #%(id)d was routed to the %(queue)s queue and waits for the next free reviewer. "
                "An answer is due by %(due)s."
            )
        notices.append(
            Notice(
                members[letter.startup_id].values(),
                subject=_("Your letter was received: %(subject)s") % {"subject": letter.subject},
                body=body % facts,
                link=letter.get_absolute_url(),
            )
        )
    notify_all(notices)


def _waiting_order(letter: Letter):
    return (-letter.priority, letter.submitted_at or letter.created_at or _EPOCH, letter.pk)



# --- The router ---------------------------------------------------------------------------


def _route(board: Board, letters: list[Letter], *, now: datetime.datetime) -> int:
    """Route and assign locked letters in memory, then write them and their events in bulk.

    `letters` are `submitted` (to be routed) or `queued` (to be assigned). Returns how many
    letters changed.
    """
    if not letters:
        return 0
    members = _members_of(letter.startup_id for letter in letters)
    submitted = [letter for letter in letters if letter.status == Status.SUBMITTED]
    calendar = Calendar.load(min(letter.submitted_at or now for letter in submitted)) if submitted else None
    changed, events, routed = [], [], []
    for letter in sorted(letters, key=_waiting_order):
        from_status = letter.status
        if from_status == Status.SUBMITTED:
            queue_id, rule = board.queue_for(LetterFacts.of(letter))  # the facts recorded at submission
            if queue_id is None:
                logger.error(
                    "letter %s matches no rule and there is no default queue: left submitted", letter.pk
                )
                continue
            queue = board.queues[queue_id]
            where = rule.describe() if rule else _("no rule matched: the default queue")
            queue_note = _("Routed to queue %(queue)s by %(where)s.") % {"queue": queue.name, "where": where}
            pick = board.pick_reviewer(queue_id, _conflicted(letter, members), now)
            letter.queue_id = queue_id
            letter.due_at = calendar.add_working_hours(letter.submitted_at or now, queue.sla_hours)
            kind, staff_note = EventKind.ROUTED, f"{queue_note} {pick.explanation}"
        else:
            pick = board.pick_reviewer(letter.queue_id, _conflicted(letter, members), now)
            if pick.reviewer is None:
                continue  # still nobody free: it keeps waiting, and the timeline is not repeated
            kind, staff_note = EventKind.ASSIGNED, pick.explanation
        note = _founders_note(board.queues[letter.queue_id], letter, assigned=pick.reviewer is not None)
        to_status = Status.IN_REVIEW if pick.reviewer else Status.QUEUED
        check_transition(letter, to_status)
        letter.status = to_status
        letter.assignee_id = pick.reviewer.id if pick.reviewer else None
        letter.updated_at = now
        changed.append(letter)
        if from_status == Status.SUBMITTED:
            routed.append(letter)
        events.append(
            LetterEvent(
                letter=letter,
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                note=note,
                staff_note=staff_note,
            )
        )
    if changed:
        # An upsert on the primary key: every row exists (and is locked), so it only updates
        # these columns. Linear, unlike bulk_update's CASE per row and field, which costs more
        # than all the rest of routing put together.
        Letter.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["status", "queue", "assignee", "due_at", "updated_at"],
        )
        LetterEvent.objects.bulk_create(events)
        books = [
            ReviewerLoad(user_id=seat.id, last_assigned_at=seat.last_assigned_at)
            for seat in board.seats.values()
            if seat.assigned
        ]
        if books:
            ReviewerLoad.objects.bulk_update(books, ["last_assigned_at"])
        _acknowledge(routed, board, members)
    return len(changed)


def _locked(queryset):
    # The letter's own row says all routing needs: the facts and the conflict-of-interest set
    # recorded at submission (the startup's members now are read for the batch at once).
    return queryset.select_for_update(skip_locked=True, of=("self",))


def _route_batch(*, batch_size: int) -> int:
    now = timezone.now()
    with transaction.atomic():
        board = _load_board()
        submitted = list(
            _locked(Letter.objects.filter(status=Status.SUBMITTED)).order_by("submitted_at", "id")[
                :batch_size
            ]
        )
        free = {queue_id: board.free_places(queue_id) for queue_id in board.queues}
        free = {queue_id: places for queue_id, places in free.items() if places}
        queued = []
        if free:
            queued = list(
                _locked(
                    Letter.objects.filter(status=Status.QUEUED, assignee__isnull=True, queue_id__in=free)
                ).order_by("-priority", "submitted_at", "id")[: min(batch_size, sum(free.values()))]
            )
        return _route(board, submitted + queued, now=now)


def route_waiting_letters(*, batch_size: int = 500) -> int:
    """Route every `submitted` letter and assign every `queued` letter a reviewer has room for.

    Batches of `batch_size`, each in its own transaction and a fixed number of queries, until a
    batch changes nothing. Safe to run any number of times at once: each letter is routed
    exactly once. Returns how many letters changed.

    Side effects: per letter, `queue`, `due_at` (from the SLA clock), `assignee` and `status`
    (`in_review`, or `queued` when nobody is free) and one timeline event explaining the pick;
    the reviewers' last-assignment times; for each newly routed letter, its founders notified
    (where it went, when an answer is due).
    """
    total = 0
    while True:
        changed = _route_batch(batch_size=batch_size)
        total += changed
        if not changed:
            return total


def sweep_waiting_letters(*, now: datetime.datetime | None = None) -> int:
    """The beat sweeper: if a letter has been `submitted` for longer than
    settings.ROUTING_SWEEP_AFTER_SECONDS (its routing message was lost, its worker died, the
    broker was down), or letters are queued, route everything waiting now. Returns how many
    letters changed.

    Side effects: those of `route_waiting_letters`.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.ROUTING_SWEEP_AFTER_SECONDS)
    stale = Letter.objects.filter(
        Q(status=Status.SUBMITTED, submitted_at__lte=cutoff) | Q(status=Status.QUEUED, assignee__isnull=True)
    )
    if not stale.exists():
        return 0
    return route_waiting_letters()


def _pick_other_approver(letter: Letter, inactive: User):
    """Another approver for a letter awaiting a decision: the letter services' own pick."""
    amount = letter.recommended_amount if letter.recommended_amount is not None else letter.requested_amount
    return pick_approver(letter, amount, exclude=[inactive])


def letter_reassign_from_inactive() -> int:
    """Letters held by a deactivated user are handed on. Returns how many.

    In review: back to `queued` with no assignee (one `assigned` event naming who was
    deactivated), and after commit the router is nudged to assign them again (the sweeper would
    within a minute anyway). Pending approval (which cannot go back to a queue): another
    approver whose limit covers it, chosen as the letter services choose, or nobody, so any
    approver of the department may decide; one `assigned` event.
    """
    with transaction.atomic():
        letters = list(
            Letter.objects.filter(
                status__in=(Status.IN_REVIEW, Status.PENDING_APPROVAL), assignee__is_active=False
            )
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("assignee", "queue")
            .order_by("id")
        )
        back_to_queue = False
        for letter in letters:
            gone = letter.assignee
            if letter.status == Status.IN_REVIEW:
                transition(
                    letter,
                    Status.QUEUED,
                    kind=EventKind.ASSIGNED,
                    note=_(
                        "%(name)s was deactivated: the letter goes back to its queue to be assigned again."
                    )
                    % {"name": gone.get_username()},
                    assignee=None,
                )
                back_to_queue = True
                continue
            approver = _pick_other_approver(letter, gone)
            letter.assignee = approver
            letter.save(update_fields=["assignee", "updated_at"])
            if approver is not None:
                note = _("%(name)s was deactivated: reassigned to %(other)s for a decision.") % {
                    "name": gone.get_username(),
                    "other": approver.get_username(),
                }
            else:
                note = _(
                    "%(name)s was deactivated and no other approver's limit covers the letter: "
                    "any approver of the department may decide."
                ) % {"name": gone.get_username()}
            LetterEvent.objects.create(letter=letter, kind=EventKind.ASSIGNED, note=note)
        if back_to_queue:
            nudge_router()
    return len(letters)


