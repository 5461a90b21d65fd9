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
   to the longest idle), never a member of the letter's startup, keeping the loads in memory
   for the rest of the batch;
4. writes the letters (bulk_update) and one timeline event per change of status (bulk_create,
   with from/to status and a note that explains the pick), and acknowledges each newly routed
   letter to its founders (one notification insert and one e-mail insert for the batch).

A letter that finds nobody free waits as `queued`; every routing run (a submission, the
sweeper each minute, a queue's change) first gives queued letters the places that freed up.
Locks are always taken books first, then letters (letters with skip_locked, or one letter in
`route_letter`): no cycle, no deadlock.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import RoleCode
from accounts.models import Department, User
from core.exceptions import InvalidInput, StateConflict
from notifications.services import Notice, notify_all
from startups.models import Membership

from ..enums import Category, EventKind, Status
from ..models import Holiday, Letter, LetterEvent, ReviewerLoad, ReviewQueue, RoutingRule, RuleSet
from .sla import Calendar
from .transitions import check_transition, transition

logger = logging.getLogger(__name__)

# The statuses in which a reviewer holds a letter: what counts against their capacity.
HELD_BY_REVIEWER = (Status.IN_REVIEW, Status.INFO_REQUESTED)
DRY_RUN_DAYS = 30
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# How many names a timeline note lists before "and N more".
_NAMES_IN_NOTE = 8


def nudge_router() -> None:
    """After commit, nudge the routing worker (a failed publish is logged; the sweeper covers it)."""
    from ..tasks import task_route_letters

    transaction.on_commit(task_route_letters.nudge)


# --- Rule matching (pure) -----------------------------------------------------------------


@dataclass(frozen=True)
class LetterFacts:
    """What routing looks at in a letter."""

    category: str
    amount: Decimal | None
    sector: str
    text: str  # subject and body, lower-cased

    @classmethod
    def of(cls, letter: Letter) -> "LetterFacts":
        return cls.build(
            category=letter.category,
            requested_amount=letter.requested_amount,
            sector=letter.startup.sector,
            subject=letter.subject,
            body=letter.body,
        )

    @classmethod
    def build(cls, *, category="", requested_amount=None, sector="", subject="", body="") -> "LetterFacts":
        return cls(category or "", requested_amount, sector or "", f"{subject or ''}\n{body or ''}".lower())


@dataclass(frozen=True)
class Rule:
    """A routing rule read once per batch, its keywords split."""

    id: int
    order: int
    version: int
    queue_id: int
    category: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    sector: str = ""
    keywords: tuple[str, ...] = ()

    @classmethod
    def of(cls, rule: RoutingRule, version: int) -> "Rule":
        return cls(
            id=rule.pk,
            order=rule.order,
            version=version,
            queue_id=rule.queue_id,
            category=rule.category,
            min_amount=rule.min_amount,
            max_amount=rule.max_amount,
            sector=rule.sector,
            keywords=tuple(rule.keyword_list),
        )

    def matches(self, facts: LetterFacts) -> bool:
        """Every condition set holds; an amount condition needs an amount."""
        if self.category and facts.category != self.category:
            return False
        if self.sector and facts.sector != self.sector:
            return False
        if self.min_amount is not None and (facts.amount is None or facts.amount < self.min_amount):
            return False
        if self.max_amount is not None and (facts.amount is None or facts.amount > self.max_amount):
            return False
        return not (self.keywords and not any(word in facts.text for word in self.keywords))

    def describe(self) -> str:
        conditions = []
        if self.category:
            conditions.append(_("category %(c)s") % {"c": self.category})
        if self.min_amount is not None or self.max_amount is not None:
            low = "" if self.min_amount is None else f"{self.min_amount:,}"
            high = "" if self.max_amount is None else f"{self.max_amount:,}"
            conditions.append(_("amount %(low)s–%(high)s") % {"low": low, "high": high})
        if self.sector:
            conditions.append(_("sector %(s)s") % {"s": self.sector})
        if self.keywords:
            conditions.append(_("keywords %(k)s") % {"k": ", ".join(self.keywords)})
        where = "; ".join(conditions) or _("any letter")
        return _("rule #%(order)s of rule set v%(version)s (%(where)s)") % {
            "order": self.order,
            "version": self.version,
            "where": where,
        }


def match_rule(facts: LetterFacts, rules: list[Rule]) -> Rule | None:
    """The first rule, by order, whose conditions all hold (`rules` are sorted by order)."""
    for rule in rules:
        if rule.matches(facts):
            return rule
    return None


def rules_of(ruleset_id: int | None = None) -> list[Rule]:
    """The rules of a rule set (the active one by default), in order: one query."""
    rows = RoutingRule.objects.select_related("ruleset").order_by("order", "id")
    rows = (
        rows.filter(ruleset_id=ruleset_id)
        if ruleset_id
        else rows.filter(ruleset__status=RuleSet.State.ACTIVE)
    )
    return [Rule.of(row, row.ruleset.version) for row in rows]


def default_queue_id() -> int | None:
    return ReviewQueue.objects.filter(is_default=True).values_list("pk", flat=True).first()


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
    note: str


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


def _acknowledge(routed: list[Letter], board: "Board", members: dict[int, dict[int, User]]) -> None:
    """Tell the founders where each newly routed letter went and when an answer is due: the
    acknowledgement of their submission, written with the routing, in two inserts a batch."""
    from .letters import letter_link  # letters imports this module

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
                link=letter_link(letter),
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
            queue_id, rule = board.queue_for(LetterFacts.of(letter))
            if queue_id is None:
                logger.error(
                    "letter %s matches no rule and there is no default queue: left submitted", letter.pk
                )
                continue
            queue = board.queues[queue_id]
            where = rule.describe() if rule else _("no rule matched: the default queue")
            queue_note = _("Routed to queue %(queue)s by %(where)s.") % {"queue": queue.name, "where": where}
            pick = board.pick_reviewer(queue_id, members[letter.startup_id], now)
            letter.queue_id = queue_id
            letter.due_at = calendar.add_working_hours(letter.submitted_at or now, queue.sla_hours)
            kind, note = EventKind.ROUTED, f"{queue_note} {pick.note}"
        else:
            pick = board.pick_reviewer(letter.queue_id, members[letter.startup_id], now)
            if pick.reviewer is None:
                continue  # still nobody free: it keeps waiting, and the timeline is not repeated
            kind, note = EventKind.ASSIGNED, pick.note
        to_status = Status.IN_REVIEW if pick.reviewer else Status.QUEUED
        check_transition(letter, to_status)
        letter.status = to_status
        letter.assignee_id = pick.reviewer.id if pick.reviewer else None
        letter.updated_at = now
        changed.append(letter)
        if from_status == Status.SUBMITTED:
            routed.append(letter)
        events.append(
            LetterEvent(letter=letter, kind=kind, from_status=from_status, to_status=to_status, note=note)
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
    return queryset.select_for_update(skip_locked=True, of=("self",)).select_related("startup")


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


def route_letter(letter_id: int) -> Letter | None:
    """Route (or, if queued, try to assign) one letter, with the same code as the batch router.

    Does nothing to a letter in any other status. Returns the letter, or None if it is gone.
    Side effects: those of `route_waiting_letters`, for this letter.
    """
    with transaction.atomic():
        board = _load_board()
        letter = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("startup")
            .filter(pk=letter_id)
            .filter(Q(status=Status.SUBMITTED) | Q(status=Status.QUEUED, assignee__isnull=True))
            .first()
        )
        if letter is not None:
            _route(board, [letter], now=timezone.now())
    return Letter.objects.filter(pk=letter_id).first()


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
    from . import letters

    amount = letter.recommended_amount if letter.recommended_amount is not None else letter.requested_amount
    return letters.pick_approver(letter, amount, exclude=[inactive])


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


# --- Dry run and preview ------------------------------------------------------------------


@dataclass
class Move:
    letter_id: int
    subject: str
    status: str
    queue_id: int | None  # where it is now
    active_queue_id: int | None  # where the active rule set sends it
    draft_queue_id: int | None  # where the draft would send it
    active_rule: Rule | None
    draft_rule: Rule | None


@dataclass
class DryRun:
    ruleset: RuleSet
    since: datetime.datetime
    checked: int
    moves: list[Move]
    queues: dict[int, ReviewQueue]


def dry_run(
    *, ruleset: RuleSet, since: datetime.datetime | None = None, now: datetime.datetime | None = None
) -> DryRun:
    """Replay the letters submitted since `since` (30 days by default) against `ruleset` and
    against the active rule set, and list the letters that would land in another queue.

    Side effects: none (reads only).
    """
    now = now or timezone.now()
    since = since or now - datetime.timedelta(days=DRY_RUN_DAYS)
    queues = {queue.pk: queue for queue in ReviewQueue.objects.all()}
    default = next((pk for pk, queue in queues.items() if queue.is_default), None)
    active_rules, draft_rules = rules_of(), rules_of(ruleset.pk)
    letters = (
        Letter.objects.filter(submitted_at__gte=since)
        .select_related("startup")
        .only(
            "id", "subject", "body", "category", "requested_amount", "status", "queue_id", "startup__sector"
        )
        .order_by("submitted_at", "id")
    )
    checked, moves = 0, []
    for letter in letters.iterator(chunk_size=2000):
        checked += 1
        facts = LetterFacts.of(letter)
        active_rule, draft_rule = match_rule(facts, active_rules), match_rule(facts, draft_rules)
        active_queue = active_rule.queue_id if active_rule else default
        draft_queue = draft_rule.queue_id if draft_rule else default
        if active_queue != draft_queue:
            moves.append(
                Move(
                    letter.pk,
                    letter.subject,
                    letter.status,
                    letter.queue_id,
                    active_queue,
                    draft_queue,
                    active_rule,
                    draft_rule,
                )
            )
    return DryRun(ruleset=ruleset, since=since, checked=checked, moves=moves, queues=queues)


@dataclass
class Preview:
    queue: ReviewQueue | None
    rule: Rule | None


def preview_queue(
    *, category="", requested_amount=None, sector="", subject="", body="", ruleset: RuleSet | None = None
) -> Preview:
    """Which queue (and which rule) a letter with these fields would go to, under `ruleset`
    (the active one by default). Side effects: none."""
    facts = LetterFacts.build(
        category=category, requested_amount=requested_amount, sector=sector, subject=subject, body=body
    )
    rule = match_rule(facts, rules_of(ruleset.pk if ruleset else None))
    queue_id = rule.queue_id if rule else default_queue_id()
    queue = ReviewQueue.objects.select_related("department").filter(pk=queue_id).first() if queue_id else None
    return Preview(queue=queue, rule=rule)


# --- Review queues (admin) ----------------------------------------------------------------


def _check_reviewers(reviewers) -> list[User]:
    reviewers = list(reviewers)
    ids = [user.pk for user in reviewers]
    ok = set(User.objects.filter(pk__in=ids, roles__code=RoleCode.REVIEWER).values_list("pk", flat=True))
    wrong = [user.get_username() for user in reviewers if user.pk not in ok]
    if wrong:
        raise InvalidInput(
            _("These users are not reviewers: %(names)s.") % {"names": ", ".join(sorted(wrong))},
            field="reviewers",
        )
    return reviewers


def _check_supervisors(supervisors) -> list[User]:
    supervisors = list(supervisors)
    wrong = [user.get_username() for user in supervisors if not user.is_staff_member]
    if wrong:
        raise InvalidInput(
            _("Supervisors must work for the incubator: %(names)s.") % {"names": ", ".join(sorted(wrong))},
            field="supervisors",
        )
    return supervisors


def _make_default(queue: ReviewQueue) -> None:
    """Unset the previous default (locked) before setting this one, in the caller's transaction."""
    list(ReviewQueue.objects.select_for_update().filter(is_default=True).exclude(pk=queue.pk))
    ReviewQueue.objects.filter(is_default=True).exclude(pk=queue.pk).update(is_default=False)


@transaction.atomic
def queue_create(
    *,
    name: str,
    department: Department,
    sla_hours: int,
    reviewers=(),
    supervisors=(),
    reviewer_capacity: int = 10,
    is_default: bool = False,
    by: User,
) -> ReviewQueue:
    """An admin opens a department's review queue.

    There is always exactly one default queue: making this one the default unsets the previous
    one in the same transaction, and the first queue ever made is the default.
    Side effects: creates the queue with its reviewers and supervisors; after commit, nudges
    the router (queued letters may now find a reviewer).
    """
    if sla_hours < 1:
        raise InvalidInput(_("The SLA must be at least one working hour."), field="sla_hours")
    if reviewer_capacity < 1:
        raise InvalidInput(
            _("A reviewer must be able to hold at least one letter."), field="reviewer_capacity"
        )
    reviewers, supervisors = _check_reviewers(reviewers), _check_supervisors(supervisors)
    if not is_default and not ReviewQueue.objects.filter(is_default=True).exists():
        is_default = True
    queue = ReviewQueue(
        name=name,
        department=department,
        sla_hours=sla_hours,
        reviewer_capacity=reviewer_capacity,
        is_default=False,
    )
    queue.save()
    if is_default:
        _make_default(queue)
        queue.is_default = True
        queue.save(update_fields=["is_default"])
    queue.reviewers.set(reviewers)
    queue.supervisors.set(supervisors)
    nudge_router()
    return queue


@transaction.atomic
def queue_update(*, queue: ReviewQueue, by: User, **changes) -> ReviewQueue:
    """An admin changes a queue (name, department, SLA, capacity, reviewers, supervisors, default).

    The default queue cannot be made non-default directly: make another queue the default.
    Side effects: saves the queue; after commit, nudges the router.
    """
    queue = ReviewQueue.objects.select_for_update().get(pk=queue.pk)
    reviewers, supervisors = changes.pop("reviewers", None), changes.pop("supervisors", None)
    if "sla_hours" in changes and changes["sla_hours"] < 1:
        raise InvalidInput(_("The SLA must be at least one working hour."), field="sla_hours")
    if "reviewer_capacity" in changes and changes["reviewer_capacity"] < 1:
        raise InvalidInput(
            _("A reviewer must be able to hold at least one letter."), field="reviewer_capacity"
        )
    if changes.get("is_default") is False and queue.is_default:
        raise InvalidInput(
            _("There must be a default queue: make another queue the default instead."), field="is_default"
        )
    if reviewers is not None:
        reviewers = _check_reviewers(reviewers)
    if supervisors is not None:
        supervisors = _check_supervisors(supervisors)
    if changes.get("is_default") and not queue.is_default:
        _make_default(queue)
    for name, value in changes.items():
        setattr(queue, name, value)
    if changes:
        queue.save(update_fields=list(changes))
    if reviewers is not None:
        queue.reviewers.set(reviewers)
    if supervisors is not None:
        queue.supervisors.set(supervisors)
    nudge_router()
    return queue


# --- Rule sets and rules (admin) ----------------------------------------------------------


def _next_version() -> int:
    return (RuleSet.objects.aggregate(top=Max("version"))["top"] or 0) + 1


def active_ruleset(*, create: bool = False, by: User | None = None) -> RuleSet | None:
    """The active rule set; with `create`, version N+1 is made active when there is none."""
    ruleset = RuleSet.objects.filter(status=RuleSet.State.ACTIVE).first()
    if ruleset is None and create:
        ruleset = RuleSet.objects.create(
            version=_next_version(), status=RuleSet.State.ACTIVE, activated_at=timezone.now(), created_by=by
        )
    return ruleset


@transaction.atomic
def ruleset_create(*, note: str = "", copy_active: bool = True, by: User) -> RuleSet:
    """An admin starts a draft rule set, by default a copy of the active one's rules.

    Side effects: creates the draft and its copied rules. Nothing routes by it until activated.
    """
    draft = RuleSet.objects.create(
        version=_next_version(), status=RuleSet.State.DRAFT, note=note, created_by=by
    )
    if copy_active:
        source = active_ruleset()
        if source is not None:
            RoutingRule.objects.bulk_create(
                RoutingRule(
                    ruleset=draft,
                    order=rule.order,
                    queue_id=rule.queue_id,
                    category=rule.category,
                    min_amount=rule.min_amount,
                    max_amount=rule.max_amount,
                    sector=rule.sector,
                    keywords=rule.keywords,
                )
                for rule in source.rules.order_by("order")
            )
    return draft


@transaction.atomic
def ruleset_activate(*, ruleset: RuleSet, by: User) -> RuleSet:
    """An admin switches a draft on: it becomes the active rule set and the previous active one
    is retired, in one transaction. Activating the active rule set again changes nothing.

    Side effects: the two status changes and `activated_at`.
    """
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if ruleset.status == RuleSet.State.ACTIVE:
        return ruleset
    if ruleset.status != RuleSet.State.DRAFT:
        raise StateConflict(
            _("Only a draft rule set can be switched on; this one is %(s)s.")
            % {"s": ruleset.get_status_display()}
        )
    list(RuleSet.objects.select_for_update().filter(status=RuleSet.State.ACTIVE))
    RuleSet.objects.filter(status=RuleSet.State.ACTIVE).update(status=RuleSet.State.RETIRED)
    ruleset.status = RuleSet.State.ACTIVE
    ruleset.activated_at = timezone.now()
    ruleset.save(update_fields=["status", "activated_at"])
    return ruleset


def _clean_rule(
    *, ruleset: RuleSet, order, queue, category, min_amount, max_amount, sector, keywords, rule_id=None
) -> dict:
    if ruleset.status == RuleSet.State.RETIRED:
        raise StateConflict(_("A retired rule set cannot be changed; start a new draft."))
    if order is None or order < 0:
        raise InvalidInput(_("Give the rule an order (0 or more)."), field="order")
    if queue is None:
        raise InvalidInput(_("Choose the queue the rule sends letters to."), field="queue")
    if category and category not in Category.values:
        raise InvalidInput(_("Unknown category."), field="category")
    for name, amount in (("min_amount", min_amount), ("max_amount", max_amount)):
        if amount is not None and amount < 0:
            raise InvalidInput(_("An amount cannot be negative."), field=name)
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        raise InvalidInput(_("The minimum amount is above the maximum."), field="min_amount")
    if RoutingRule.objects.filter(ruleset=ruleset, order=order).exclude(pk=rule_id).exists():
        raise InvalidInput(_("This rule set already has a rule with this order."), field="order")
    words = [word.strip() for word in (keywords or "").split(",") if word.strip()]
    return {
        "order": order,
        "queue": queue,
        "category": category or "",
        "min_amount": min_amount,
        "max_amount": max_amount,
        "sector": sector or "",
        "keywords": ", ".join(words),
    }


@transaction.atomic
def rule_create(
    *,
    order: int,
    queue: ReviewQueue,
    category: str = "",
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    sector: str = "",
    keywords: str = "",
    ruleset: RuleSet | None = None,
    by: User,
) -> RoutingRule:
    """An admin adds a routing rule; every condition is optional. Without a rule set it joins
    the active one (which takes effect at once; version 1 is made if there is none).

    Side effects: creates the rule (and perhaps the first, active rule set).
    """
    if ruleset is None:
        ruleset = active_ruleset(create=True, by=by)
    else:
        ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    fields = _clean_rule(
        ruleset=ruleset,
        order=order,
        queue=queue,
        category=category,
        min_amount=min_amount,
        max_amount=max_amount,
        sector=sector,
        keywords=keywords,
    )
    try:
        with transaction.atomic():
            return RoutingRule.objects.create(ruleset=ruleset, **fields)
    except IntegrityError as exc:
        raise InvalidInput(_("This rule set already has a rule with this order."), field="order") from exc


@transaction.atomic
def rule_update(*, rule: RoutingRule, by: User, **changes) -> RoutingRule:
    """An admin changes a rule of a draft or of the active rule set.

    Side effects: saves the rule.
    """
    rule = RoutingRule.objects.select_related("ruleset").select_for_update(of=("self",)).get(pk=rule.pk)
    current = {
        name: getattr(rule, name)
        for name in ("order", "queue", "category", "min_amount", "max_amount", "sector", "keywords")
    }
    fields = _clean_rule(ruleset=rule.ruleset, rule_id=rule.pk, **{**current, **changes})
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule: RoutingRule, by: User) -> None:
    """Side effects: deletes the rule (not from a retired rule set: 409)."""
    if rule.ruleset.status == RuleSet.State.RETIRED:
        raise StateConflict(_("A retired rule set cannot be changed; start a new draft."))
    rule.delete()


# --- Holidays (admin) ---------------------------------------------------------------------


@transaction.atomic
def holiday_create(*, date: datetime.date, name: str, by: User) -> Holiday:
    """Side effects: the SLA clock stops on this day for due dates computed from now on."""
    if Holiday.objects.filter(date=date).exists():
        raise InvalidInput(_("This day is already a holiday."), field="date")
    return Holiday.objects.create(date=date, name=name)


@transaction.atomic
def holiday_update(*, holiday: Holiday, by: User, **changes) -> Holiday:
    """Side effects: saves the holiday."""
    if "date" in changes and Holiday.objects.filter(date=changes["date"]).exclude(pk=holiday.pk).exists():
        raise InvalidInput(_("This day is already a holiday."), field="date")
    for name, value in changes.items():
        setattr(holiday, name, value)
    holiday.save()
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, by: User) -> None:
    """Side effects: deletes the holiday."""
    holiday.delete()
