"""Reads about letters, already scoped to what a user may see.

`letters_visible_to` is the queryset twin of the `applications.view_letter` rule (rules.py):
keep them in step.
"""

import difflib
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.enums import RoleCode
from accounts.models import User
from startups.models import Membership

from . import details
from .enums import OPEN_FOR_REVIEW, Status
from .models import Attachment, Letter, LetterEvent, LetterRevision, Message, ReviewQueue

# What a list row needs, fetched in the letters' own query (the list's query count is constant).
LIST_RELATED = ("startup", "author", "queue", "assignee", "reviewed_by")
OPEN_WORK = (Status.IN_REVIEW, Status.INFO_REQUESTED, Status.PENDING_APPROVAL)


def letters_visible_to(user) -> QuerySet[Letter]:
    """Founders: their startups' letters. Reviewers and approvers: letters in the queues of their
    department (and of the queues they review or supervise), plus those they hold or reviewed.
    Admins: all."""
    letters = Letter.objects.select_related(*LIST_RELATED, *details.relations()).order_by("-id")
    if not user.is_authenticated:
        return letters.none()
    if user.has_role(RoleCode.ADMIN):
        return letters
    visible = (
        Q(startup_id__in=Membership.objects.filter(user_id=user.pk).values("startup_id"))
        | Q(assignee_id=user.pk)
        | Q(reviewed_by_id=user.pk)
    )
    if user.has_role(RoleCode.REVIEWER, RoleCode.APPROVER):
        queues = Q(reviewers=user) | Q(supervisors=user)
        if user.department_id:
            queues |= Q(department_id=user.department_id)
        visible |= Q(queue_id__in=ReviewQueue.objects.filter(queues).values("id"))
    return letters.filter(visible)


def letters_held_by(user) -> QuerySet[Letter]:
    """The letters `user` holds (assignee), newest first: all of them are visible to them (the
    `view_letter` rule lets the assignee see), so no visibility filter is needed and a list of
    them reads the (assignee, status, id) index."""
    if not user.is_authenticated:
        return Letter.objects.none()
    return Letter.objects.select_related(*LIST_RELATED).filter(assignee_id=user.pk).order_by("-id")


def queues_of(user) -> QuerySet[ReviewQueue]:
    """The queues a reviewer works in: those they review or supervise, and their department's."""
    if user.has_role(RoleCode.ADMIN):
        return ReviewQueue.objects.all()
    where = Q(reviewers=user) | Q(supervisors=user)
    if user.department_id:
        where |= Q(department_id=user.department_id)
    return ReviewQueue.objects.filter(pk__in=ReviewQueue.objects.filter(where).values("pk"))


def waiting_for_reviewer(prefix: str = "") -> Q:
    """The letters of a queue that wait for a reviewer to claim them (nobody holds them);
    `prefix` names the relation from another model ("letters__")."""
    return Q(**{f"{prefix}status__in": (Status.SUBMITTED, Status.QUEUED)}) | Q(
        **{f"{prefix}status": Status.IN_REVIEW, f"{prefix}assignee__isnull": True}
    )


def queues_with_waiting_counts(user) -> QuerySet[ReviewQueue]:
    """The user's queues (`queues_of`), each with how many letters wait in it and how many of
    those are overdue."""
    waiting = waiting_for_reviewer("letters__")
    return (
        queues_of(user)
        .select_related("department")
        .annotate(
            waiting=Count("letters", filter=waiting, distinct=True),
            overdue=Count("letters", filter=waiting & Q(letters__is_overdue=True), distinct=True),
        )
        .order_by("department__name", "name")
    )


def letters_waiting_in_queue(user, queue: ReviewQueue) -> QuerySet[Letter]:
    """The letters of `queue` that nobody holds yet, to claim: the most urgent first."""
    return (
        letters_visible_to(user)
        .filter(waiting_for_reviewer(), queue_id=queue.pk)
        .order_by("-priority", "due_at", "submitted_at", "id")
    )


def letters_of_my_startups(user) -> QuerySet[Letter]:
    """A founder's letters, of every startup they belong to, newest first."""
    return letters_visible_to(user).filter(
        startup_id__in=Membership.objects.filter(user_id=user.pk).values("startup_id")
    )


def events_of(letter: Letter) -> QuerySet[LetterEvent]:
    """The timeline, oldest first."""
    return letter.events.select_related("actor").order_by("at", "id")


def messages_of(letter: Letter) -> QuerySet[Message]:
    return letter.messages.select_related("author").order_by("at", "id")


def attachments_of(letter: Letter) -> QuerySet[Attachment]:
    return letter.attachments.select_related("uploaded_by").order_by("uploaded_at", "id")


def my_work(user) -> QuerySet[Letter]:
    """The open letters the user holds, the most urgent first."""
    return (
        Letter.objects.select_related(*LIST_RELATED)
        .filter(assignee_id=user.pk, status__in=OPEN_WORK)
        .order_by(F("due_at").asc(nulls_last=True), "-priority", "id")
    )


def awaiting_decision(user) -> QuerySet[Letter]:
    """Letters pending approval that this approver may decide now: assigned to them, or
    unassigned in their department; never one they reviewed, one of a startup they belong to,
    or one above their approval limit."""
    if not user.has_role(RoleCode.APPROVER):
        return Letter.objects.none()
    mine = Q(assignee_id=user.pk)
    if user.department_id:
        mine |= Q(assignee__isnull=True, queue__department_id=user.department_id)
    letters = (
        Letter.objects.select_related(*LIST_RELATED)
        .filter(mine, status=Status.PENDING_APPROVAL)
        .exclude(reviewed_by_id=user.pk)
        .exclude(startup_id__in=Membership.objects.filter(user_id=user.pk).values("startup_id"))
    )
    money = Q(recommended_amount__isnull=False) | Q(requested_amount__isnull=False)
    if user.approval_limit is None:
        letters = letters.exclude(money)
    else:
        limit = user.approval_limit
        letters = letters.filter(
            Q(recommended_amount__lte=limit)
            | Q(recommended_amount__isnull=True, requested_amount__lte=limit)
            | Q(recommended_amount__isnull=True, requested_amount__isnull=True)
        )
    return letters.order_by(F("due_at").asc(nulls_last=True), "-priority", "id")


def revisions_of(letter: Letter) -> list[dict]:
    """Each kept revision with a unified diff (difflib) from it to the text that replaced it
    (the next revision, or the letter as it is now)."""
    revisions = list(letter.revisions.select_related("created_by").order_by("number"))
    versions = [*revisions, letter]
    result = []
    for before, after in zip(revisions, versions[1:], strict=True):
        result.append({"revision": before, "diff": revision_diff(before, after)})
    return result


def revision_diff(before, after) -> str:
    """A unified diff of subject, amount and body between two versions of a letter."""

    def lines(version):
        amount = "" if version.requested_amount is None else f"{version.requested_amount}"
        return [f"Subject: {version.subject}", f"Amount: {amount}", "", *version.body.splitlines()]

    before_name = f"revision {before.number}"
    after_name = f"revision {after.number}" if isinstance(after, LetterRevision) else "current"
    return "\n".join(
        difflib.unified_diff(
            lines(before), lines(after), fromfile=before_name, tofile=after_name, lineterm=""
        )
    )


def letter_counts(letters: QuerySet[Letter]) -> dict:
    """How many of `letters` are in each status, and how many are overdue: one query."""
    counts = letters.order_by().aggregate(
        overdue=Count("id", filter=Q(is_overdue=True, status__in=OPEN_FOR_REVIEW)),
        **{status: Count("id", filter=Q(status=status)) for status in Status.values},
    )
    return {
        "overdue": counts.pop("overdue"),
        "by_status": [(Status(status), counts[status]) for status in Status.values],
    }


def founders_of(letter: Letter) -> list:
    """The startup's active members: who hears about their letter."""
    return list(User.objects.filter(memberships__startup_id=letter.startup_id, is_active=True))


def pick_approver(letter: Letter, amount: Decimal | None, *, exclude=()) -> User | None:
    """The approver who should decide: of the letter's department, active, whose approval limit
    covers `amount` (any approver for a letter without money), never the reviewer who
    recommended nor a member of the startup (now or when it was routed). The lowest authority that covers it first (the
    smallest limit), then the least loaded (fewest letters pending their approval), then the one
    idle longest (oldest last timeline event). None when nobody qualifies.
    """
    if not letter.queue_id:
        return None
    department_id = letter.queue.department_id
    excluded = {pk for pk in (letter.reviewed_by_id, *letter.conflicted_ids, *(getattr(u, "pk", u) for u in exclude)) if pk}
    candidates = (
        User.objects.filter(is_active=True, department_id=department_id, roles__code=RoleCode.APPROVER)
        .exclude(pk__in=excluded)
        .exclude(pk__in=Membership.objects.filter(startup_id=letter.startup_id).values("user_id"))
    )
    if amount is not None:
        candidates = candidates.filter(approval_limit__gte=amount)
    load = (
        Letter.objects.filter(assignee_id=OuterRef("pk"), status=Status.PENDING_APPROVAL)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    last_active = LetterEvent.objects.filter(actor_id=OuterRef("pk")).order_by("-at", "-id").values("at")[:1]
    return (
        candidates.annotate(load=Coalesce(Subquery(load), 0), last_active=Subquery(last_active))
        .order_by(
            F("approval_limit").asc(nulls_first=True),
            "load",
            F("last_active").asc(nulls_first=True),
            "pk",
        )
        .first()
    )
