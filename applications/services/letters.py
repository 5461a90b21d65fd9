"""A letter's life: drafts, attachments, submission, review, decision, messages.

Every service here follows the state machine recipe (DESIGN.md): refuse bad input (400), lock
the row, check who acts on the fresh row (the rules in applications/rules.py, which do not
depend on the status: 403), return the letter unchanged if it already is where the action leads
(no second event), refuse a move that the action or TRANSITIONS does not allow (409), check what
depends on the status (the holder, the approval limit: 403), then change it through
`transition()` and queue follow-up work on commit.

Which statuses each action starts from (always a subset of TRANSITIONS):

    submit          draft                                  -> submitted
    withdraw        any status that TRANSITIONS lets go    -> withdrawn
    claim           submitted, queued (in_review unowned)  -> in_review
    request_info    in_review                              -> info_requested
    respond         info_requested                         -> in_review
    recommend       in_review                              -> pending_approval | rejected
    decide          pending_approval                       -> approved | rejected
"""

import logging
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import RoleCode
from accounts.models import User
from core.exceptions import InvalidInput, NotFound, NotPermitted, StateConflict
from core.money import MAX_AMOUNT
from core.uploads import inspect_upload
from notifications.services import Notice, notify, notify_all
from startups.models import Membership, Startup

from ..enums import TERMINAL, Category, EventKind, Status
from ..fulfilment import handler_for
from ..models import Attachment, Letter, LetterEvent, LetterRevision, Message, ReviewerLoad
from ..tasks import task_route_letters
from . import routing
from .sla import resume_clock
from .transitions import LOCK_RELATED, check_transition, lock_letter, record_event, transition

logger = logging.getLogger(__name__)

SUBJECT_MAX = 200
BODY_MAX = 50_000
MESSAGE_MAX = 10_000
MAX_ATTACHMENTS_PER_LETTER = 30
# What founders may attach, recognised by content (never by the file name): filetype's
# extension -> the MIME type stored and served.
ALLOWED_ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.INFO_REQUESTED})
DECISIONS = ("approve", "reject")


# --- small helpers -----------------------------------------------------------------------------


def _lock_for(by: User, perm: str, letter: Letter, *, related=LOCK_RELATED) -> Letter:
    """Lock the letter (`lock_letter`) and check that `by` may do this to it: 404 to whoever
    may not even see it, 403 to whoever may see it but not act. The API hands an action its
    letter's id alone, so an action reads the letter once, under its lock."""
    try:
        locked = lock_letter(letter.pk, related=related)
    except Letter.DoesNotExist:
        raise NotFound(_("Not found.")) from None
    if not by.has_perm(perm, locked):
        if not by.has_perm("applications.view_letter", locked):
            raise NotFound(_("Not found."))
        raise NotPermitted(_("You may not do this with this letter."))
    return locked


def _clean_text(value, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise InvalidInput(_("Enter text."), field=field)
    if required and not text:
        raise InvalidInput(_("This field may not be blank."), field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("Ensure this field has no more than %(max)d characters.") % {"max": max_length}, field=field
        )
    if "\x00" in text:
        raise InvalidInput(_("Null characters are not allowed."), field=field)
    return text


def _clean_amount(value, *, field: str) -> Decimal | None:
    """A money amount: None, or a finite Decimal from 0 up to what the column holds, 2 places."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(_("Enter a valid amount."), field=field) from None
    if not amount.is_finite():
        raise InvalidInput(_("Enter a valid amount."), field=field)
    if amount < 0:
        raise InvalidInput(_("The amount cannot be negative."), field=field)
    if amount > MAX_AMOUNT:
        raise InvalidInput(_("The amount is too large."), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(_("Use at most two decimal places."), field=field)
    return amount.quantize(Decimal("0.01"))


def _clean_program_id(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        program_id = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Enter a valid program id."), field="program") from None
    if not 1 <= program_id <= 2**63 - 1:
        raise InvalidInput(_("Enter a valid program id."), field="program")
    return program_id


def _check_subsidy_fields(*, category: str, requested_amount, program_id) -> None:
    if category != Category.SUBSIDY:
        return
    if requested_amount is None:
        raise InvalidInput(_("A subsidy letter must state the amount requested."), field="requested_amount")
    if requested_amount <= 0:
        raise InvalidInput(_("The amount requested must be more than zero."), field="requested_amount")
    if program_id is None:
        raise InvalidInput(_("A subsidy letter must name the program."), field="program")


def letter_link(letter: Letter) -> str:
    """The page (or, until there is one, the API resource) a notification links to."""
    try:
        return reverse("letters:detail", args=[letter.pk])
    except NoReverseMatch:
        return f"/letters/{letter.pk}/"


def founders_of(letter: Letter):
    """The startup's active members, read once per letter object (a decision notifies them
    twice: the award and the decision)."""
    founders = letter.__dict__.get("_active_founders")
    if founders is None:
        founders = list(User.objects.filter(memberships__startup_id=letter.startup_id, is_active=True))
        letter.__dict__["_active_founders"] = founders
    return founders


def _department_emails(letter: Letter) -> list[str]:
    if not letter.queue_id:
        return []
    email = letter.queue.department.email  # lock_letter fetched both
    return [email] if email else []


def _notify(letter: Letter, *, recipients, subject: str, body: str = "", department: bool = False) -> None:
    notify(
        recipients=recipients,
        subject=subject,
        body=body,
        link=letter_link(letter),
        extra_emails=_department_emails(letter) if department else (),
    )


def enqueue_routing() -> None:
    """Nudge the routing workers: route every letter waiting in `submitted`.

    The database is the truth: the task is a NudgeTask, whose `nudge()` logs and returns when
    the broker is down, and the beat sweeper routes the letter a little later. Submitting
    never fails because of the broker.
    """
    task_route_letters.nudge()


def _resume_sla_clock(letter: Letter) -> None:
    """The founders answered: the SLA clock runs again (the sla module moves due_at)."""
    resume_clock(letter)
    letter.sla_paused_at = None


# --- drafts ------------------------------------------------------------------------------------


@transaction.atomic
def letter_create_draft(
    *,
    startup: Startup,
    category: str,
    subject: str,
    body: str,
    requested_amount: Decimal | None = None,
    program_id: int | None = None,
    by: User,
) -> Letter:
    """A member of a startup starts a letter.

    Side effects: creates the letter in `draft` and its `created` timeline event.
    """
    if not Membership.objects.filter(startup=startup, user=by).exists():
        raise NotPermitted(_("Only a member of the startup may write its letters."))
    if category not in Category.values:
        raise InvalidInput(_("Choose a valid category."), field="category")
    subject = _clean_text(subject, field="subject", max_length=SUBJECT_MAX)
    body = _clean_text(body, field="body", max_length=BODY_MAX)
    requested_amount = _clean_amount(requested_amount, field="requested_amount")
    program_id = _clean_program_id(program_id)
    _check_subsidy_fields(category=category, requested_amount=requested_amount, program_id=program_id)
    handler_for(category).clean_draft(
        startup=startup, requested_amount=requested_amount, program_id=program_id
    )
    letter = Letter.objects.create(
        startup=startup,
        author=by,
        category=category,
        subject=subject,
        body=body,
        requested_amount=requested_amount,
        program_id=program_id,
        status=Status.DRAFT,
    )
    record_event(letter, kind=EventKind.CREATED, by=by, to_status=Status.DRAFT)
    return letter


_UNSET = object()


def _apply_edit(letter: Letter, *, by: User, changes: dict, reason: str) -> bool:
    """Validate and apply edits to a locked letter; keep a revision when it is answering a
    question. Returns whether anything changed."""
    cleaned = {}
    if "category" in changes:
        if letter.status != Status.DRAFT:
            raise InvalidInput(_("The category can only be changed in a draft."), field="category")
        if changes["category"] not in Category.values:
            raise InvalidInput(_("Choose a valid category."), field="category")
        cleaned["category"] = changes["category"]
    if "subject" in changes:
        cleaned["subject"] = _clean_text(changes["subject"], field="subject", max_length=SUBJECT_MAX)
    if "body" in changes:
        cleaned["body"] = _clean_text(changes["body"], field="body", max_length=BODY_MAX)
    if "requested_amount" in changes:
        cleaned["requested_amount"] = _clean_amount(changes["requested_amount"], field="requested_amount")
    if "program_id" in changes:
        if letter.status != Status.DRAFT:
            raise InvalidInput(_("The program can only be changed in a draft."), field="program")
        cleaned["program_id"] = _clean_program_id(changes["program_id"])
    unknown = set(changes) - {"category", "subject", "body", "requested_amount", "program_id"}
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    cleaned = {field: value for field, value in cleaned.items() if getattr(letter, field) != value}
    if not cleaned:
        return False
    after = {
        field: cleaned.get(field, getattr(letter, field))
        for field in ("category", "requested_amount", "program_id")
    }
    _check_subsidy_fields(**after)
    handler_for(after["category"]).clean_draft(
        startup=letter.startup, requested_amount=after["requested_amount"], program_id=after["program_id"]
    )
    if letter.status == Status.INFO_REQUESTED:
        number = (letter.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        LetterRevision.objects.create(
            letter=letter,
            number=number,
            subject=letter.subject,
            body=letter.body,
            requested_amount=letter.requested_amount,
            created_by=by,
            reason=reason,
        )
        record_event(
            letter,
            kind=EventKind.EDITED,
            by=by,
            note=_("Revised the letter (revision %(n)d kept).") % {"n": number}
            + (f" {reason}" if reason else ""),
        )
    for field, value in cleaned.items():
        setattr(letter, field, value)
    letter.save(update_fields=[*cleaned, "updated_at"])
    return True


@transaction.atomic
def letter_update_draft(
    *,
    letter: Letter,
    by: User,
    subject=_UNSET,
    body=_UNSET,
    requested_amount=_UNSET,
    program_id=_UNSET,
    category=_UNSET,
    reason: str = "",
) -> Letter:
    """A member edits the letter while it is a draft, or while a reviewer waits for an answer
    (then the previous text is kept as a LetterRevision and the timeline says so).

    Side effects: saves the changed fields; in info_requested, one LetterRevision and one
    `edited` event.
    """
    changes = {
        name: value
        for name, value in {
            "subject": subject,
            "body": body,
            "requested_amount": requested_amount,
            "program_id": program_id,
            "category": category,
        }.items()
        if value is not _UNSET
    }
    reason = _clean_text(reason, field="reason", max_length=MESSAGE_MAX, required=False)
    letter = _lock_for(by, "applications.change_letter", letter)
    if letter.status not in EDITABLE_STATUSES:
        raise StateConflict(
            _("A letter that is %(status)s cannot be edited.") % {"status": letter.get_status_display()}
        )
    _apply_edit(letter, by=by, changes=changes, reason=reason)
    return letter


@transaction.atomic
def attachment_add(*, letter: Letter, file, by: User) -> Attachment:
    """A member attaches a document (PDF, PNG, JPEG, ODT, DOCX; recognised by its content and
    refused when it could run something, or exceeds the startup's storage quota:
    `core.uploads.inspect_upload`) to a draft, or to a letter a reviewer asked about.

    Side effects: writes the file under MEDIA_ROOT/attachments/ with a random name, creates the
    Attachment and an `edited` timeline event.
    """
    letter = _lock_for(by, "applications.add_attachment", letter)
    if letter.status not in EDITABLE_STATUSES:
        raise StateConflict(
            _("Documents can be attached only to a draft or to a letter a reviewer asked about.")
        )
    used = Attachment.objects.filter(letter__startup_id=letter.startup_id).aggregate(total=Sum("size"))["total"]
    inspected = inspect_upload(file, allowed=ALLOWED_ATTACHMENT_TYPES, used_bytes=used or 0)
    if letter.attachments.count() >= MAX_ATTACHMENTS_PER_LETTER:
        raise InvalidInput(
            _("A letter can have at most %(n)d attachments.") % {"n": MAX_ATTACHMENTS_PER_LETTER},
            field="file",
        )
    attachment = Attachment(
        letter=letter,
        original_name=inspected.name,
        content_type=inspected.content_type,
        size=file.size,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{inspected.extension}", file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    record_event(
        letter,
        kind=EventKind.EDITED,
        by=by,
        note=_("Attached %(name)s.") % {"name": attachment.original_name},
    )
    return attachment


# --- submission and withdrawal -----------------------------------------------------------------


@transaction.atomic
def letter_submit(*, letter: Letter, by: User) -> Letter:
    """A member sends the draft: it leaves their hands and waits to be routed.

    Side effects: status `submitted`, submitted_at, one `status` event; after commit, the
    routing task is nudged (the beat sweeper routes the letter if the broker is down), and
    routing acknowledges the letter to the founders.
    """
    # A draft has no queue, assignee nor reviewer yet: only the rows the response names.
    letter = _lock_for(by, "applications.submit_letter", letter, related=("startup", "author"))
    if letter.status == Status.SUBMITTED:
        return letter
    if letter.status != Status.DRAFT:
        check_transition(letter, Status.SUBMITTED)  # explains the refusal
        raise StateConflict(_("Only a draft can be submitted."))
    _check_subsidy_fields(
        category=letter.category, requested_amount=letter.requested_amount, program_id=letter.program_id
    )
    handler_for(letter.category).check_submission(letter)
    transition(letter, Status.SUBMITTED, by=by, submitted_at=timezone.now())
    # The founders hear from the router, which tells them where the letter went and when an
    # answer is due (routing._acknowledge), seconds from now.
    transaction.on_commit(lambda: enqueue_routing(), robust=True)
    return letter


@transaction.atomic
def letter_withdraw(*, letter: Letter, by: User, reason: str = "") -> Letter:
    """A member takes the letter back, at any time before a decision.

    Side effects: status `withdrawn`, one `status` event, the SLA pause and reply date cleared;
    the assignee (if any) is notified. When a reviewer held it, the router is nudged after commit (their place is free).
    """
    reason = _clean_text(reason, field="reason", max_length=MESSAGE_MAX, required=False)
    letter = _lock_for(by, "applications.withdraw_letter", letter)
    if letter.status == Status.WITHDRAWN:
        return letter
    frees_a_place = letter.status in routing.HELD_BY_REVIEWER and letter.assignee_id is not None
    transition(letter, Status.WITHDRAWN, by=by, note=reason, sla_paused_at=None, reply_due_at=None)
    if frees_a_place:  # the reviewer has room again: queued letters are assigned at once
        routing.nudge_router()
    if letter.assignee_id:
        _notify(
            letter,
            recipients=[letter.assignee],
            subject=_("Letter withdrawn: %(subject)s") % {"subject": letter.subject},
            body=reason,
        )
    return letter


# --- review ------------------------------------------------------------------------------------


@transaction.atomic
def letter_claim(*, letter: Letter, by: User) -> Letter:
    """A reviewer of the letter's queue takes it.

    Side effects: status `in_review` (or, for a letter in review that nobody holds, only the
    assignee), assignee = `by`, one `assigned` event; the reviewer's routing book
    (ReviewerLoad.last_assigned_at) set to now, as routing does when it assigns.
    """
    letter = _lock_for(by, "applications.claim_letter", letter)
    if letter.status == Status.IN_REVIEW:
        if letter.assignee_id == by.pk:
            return letter
        if letter.assignee_id is not None:
            raise StateConflict(_("Another reviewer already holds this letter."))
        letter.assignee = by
        letter.save(update_fields=["assignee", "updated_at"])
        record_event(
            letter, kind=EventKind.ASSIGNED, by=by, note=_("Claimed by %(user)s.") % {"user": by.username}
        )
        _book_assignment(by)
        return letter
    if letter.status not in (Status.SUBMITTED, Status.QUEUED):
        check_transition(letter, Status.IN_REVIEW)
        raise StateConflict(_("Only a letter waiting for a reviewer can be claimed."))
    transition(
        letter,
        Status.IN_REVIEW,
        by=by,
        kind=EventKind.ASSIGNED,
        note=_("Claimed by %(user)s.") % {"user": by.username},
        assignee=by,
    )
    _book_assignment(by)
    return letter


def _book_assignment(reviewer: User) -> None:
    """Write in the reviewer's routing book that they just got a letter (one upsert)."""
    ReviewerLoad.objects.bulk_create(
        [ReviewerLoad(user_id=reviewer.pk, last_assigned_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_assigned_at"],
    )


def _require_assignee(letter: Letter, by: User) -> None:
    if letter.assignee_id != by.pk:
        raise NotPermitted(_("Only the reviewer who holds this letter may do this."))


@transaction.atomic
def letter_request_info(*, letter: Letter, by: User, message: str) -> Letter:
    """The assigned reviewer asks the founders a question; the SLA clock stops until they answer.

    Side effects: status `info_requested`, reply_due_at = now + INFO_REPLY_DAYS, sla_paused_at =
    now, one `status` event, the question in the message thread; the founders are notified
    with the date their answer is due.
    """
    message = _clean_text(message, field="message", max_length=MESSAGE_MAX)
    letter = _lock_for(by, "applications.request_info_letter", letter)
    if letter.status == Status.INFO_REQUESTED:
        return letter
    check_transition(letter, Status.INFO_REQUESTED)
    _require_assignee(letter, by)
    now = timezone.now()
    reply_due_at = now + timedelta(days=settings.INFO_REPLY_DAYS)
    transition(
        letter, Status.INFO_REQUESTED, by=by, note=message, reply_due_at=reply_due_at, sla_paused_at=now
    )
    Message.objects.create(letter=letter, author=by, body=message)
    _notify(
        letter,
        recipients=founders_of(letter),
        subject=_("A question about your letter: %(subject)s") % {"subject": letter.subject},
        body=_("%(message)s\n\nPlease answer by %(due)s.")
        % {"message": message, "due": timezone.localtime(reply_due_at).strftime("%Y-%m-%d")},
    )
    return letter


@transaction.atomic
def letter_respond(*, letter: Letter, by: User, message: str, revision: dict | None = None) -> Letter:
    """A member answers the reviewer's question, optionally revising the letter; the letter goes
    back to its reviewer and the SLA clock runs again.

    Side effects: the answer in the thread; with `revision` (subject/body/requested_amount), a
    LetterRevision and the edited fields; status `in_review`, reply_due_at and sla_paused_at
    cleared, due_at moved by the SLA module; one `status` event; the assignee is notified (the
    department's address when nobody holds it).
    """
    message = _clean_text(message, field="message", max_length=MESSAGE_MAX)
    letter = _lock_for(by, "applications.respond_letter", letter)
    if letter.status == Status.IN_REVIEW:
        return letter
    if letter.status != Status.INFO_REQUESTED:
        check_transition(letter, Status.IN_REVIEW)
        raise StateConflict(_("Only a letter with an open question can be answered."))
    if revision:
        allowed = {"subject", "body", "requested_amount"}
        unknown = set(revision) - allowed
        if unknown:
            raise InvalidInput(
                _("These fields cannot be revised: %(f)s.") % {"f": ", ".join(sorted(unknown))}
            )
        _apply_edit(letter, by=by, changes=dict(revision), reason=message)
    Message.objects.create(letter=letter, author=by, body=message)
    _resume_sla_clock(letter)
    transition(
        letter,
        Status.IN_REVIEW,
        by=by,
        note=message,
        reply_due_at=None,
        update_fields=["sla_paused_at", "due_at"],
    )
    subject = _("The founders answered: %(subject)s") % {"subject": letter.subject}
    if letter.assignee_id:
        _notify(letter, recipients=[letter.assignee], subject=subject, body=message)
    else:
        _notify(letter, recipients=[], subject=subject, body=message, department=True)
    return letter


def pick_approver(letter: Letter, amount: Decimal | None, *, exclude=()) -> User | None:
    """The approver who should decide: of the letter's department, active, whose approval limit
    covers `amount` (any approver for a letter without money), never the reviewer who
    recommended nor a member of the startup. The lowest authority that covers it first (the
    smallest limit), then the least loaded (fewest letters pending their approval), then the one
    idle longest (oldest last timeline event). None when nobody qualifies.
    """
    if not letter.queue_id:
        return None
    department_id = letter.queue.department_id
    excluded = {pk for pk in (letter.reviewed_by_id, *(getattr(u, "pk", u) for u in exclude)) if pk}
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


def _decision_amount(letter: Letter, amount, *, field: str = "amount") -> Decimal | None:
    """The amount a recommendation or decision is about: given, else recommended, else requested."""
    amount = _clean_amount(amount, field=field)
    if amount is None:
        amount = (
            letter.recommended_amount if letter.recommended_amount is not None else letter.requested_amount
        )
    if amount is not None and letter.requested_amount is not None and amount > letter.requested_amount:
        raise InvalidInput(_("The amount cannot be more than the founders asked for."), field=field)
    return amount


@transaction.atomic
def letter_recommend(
    *, letter: Letter, by: User, recommendation: str, comment: str = "", amount: Decimal | None = None
) -> Letter:
    """The assigned reviewer recommends. Approve: the letter goes to an approver whose limit
    covers the amount (`pick_approver`), or waits unassigned for any approver of the department.
    Reject: the letter is rejected.

    Side effects: reviewed_by = `by`; approve: status `pending_approval`, recommended_amount,
    assignee = the approver (or none, with a timeline note), the approver (or the department's
    address) notified; reject: status `rejected`, decided_at, the founders and the department
    notified. One `recommendation` event for the change of status.
    After commit, the router is nudged: the reviewer has room for a queued letter.
    """
    if recommendation not in DECISIONS:
        raise InvalidInput(_("Choose approve or reject."), field="recommendation")
    comment = _clean_text(comment, field="comment", max_length=MESSAGE_MAX, required=False)
    target = Status.PENDING_APPROVAL if recommendation == "approve" else Status.REJECTED
    letter = _lock_for(by, "applications.recommend_letter", letter)
    if letter.status == target:
        return letter
    if letter.status != Status.IN_REVIEW:
        check_transition(letter, target)
        raise StateConflict(_("Only a letter in review can be recommended."))
    _require_assignee(letter, by)
    routing.nudge_router()  # the letter leaves the reviewer's hands: queued letters get their place
    if recommendation == "reject":
        note = _("Recommends rejection.") + (f" {comment}" if comment else "")
        transition(
            letter,
            Status.REJECTED,
            by=by,
            kind=EventKind.RECOMMENDATION,
            note=note,
            reviewed_by=by,
            decided_at=timezone.now(),
        )
        _notify_decided(letter, reviewer=None)
        return letter
    amount = _decision_amount(letter, amount)
    letter.reviewed_by = by
    approver = pick_approver(letter, amount)
    note = (
        _("Recommends approval of %(amount)s.") % {"amount": amount}
        if amount is not None
        else _("Recommends approval.")
    ) + (f" {comment}" if comment else "")
    transition(
        letter,
        Status.PENDING_APPROVAL,
        by=by,
        kind=EventKind.RECOMMENDATION,
        note=note,
        reviewed_by=by,
        assignee=approver,
        recommended_amount=amount,
    )
    subject = _("A letter awaits your decision: %(subject)s") % {"subject": letter.subject}
    if approver is None:
        record_event(
            letter,
            kind=EventKind.ASSIGNED,
            note=_(
                "No approver's limit covers this letter; any approver of the department "
                "whose limit covers it may decide."
            ),
        )
        _notify(letter, recipients=[], subject=subject, body=note, department=True)
    else:
        record_event(
            letter,
            kind=EventKind.ASSIGNED,
            note=_("Assigned to %(user)s for a decision.") % {"user": approver.username},
        )
        _notify(letter, recipients=[approver], subject=subject, body=note)
    return letter


def _decided_notice(letter: Letter, *, reviewer: User | None) -> Notice:
    status = letter.get_status_display()
    return Notice(
        [*founders_of(letter), *([reviewer] if reviewer else [])],
        subject=_("Decision on your letter: %(status)s — %(subject)s")
        % {"status": status, "subject": letter.subject},
        body=_("Letter #%(id)d is now %(status)s.") % {"id": letter.pk, "status": status},
        link=letter_link(letter),
        extra_emails=_department_emails(letter),
    )


def _notify_decided(letter: Letter, *, reviewer: User | None) -> None:
    notify_all([_decided_notice(letter, reviewer=reviewer)])


@transaction.atomic
def letter_decide(
    *, letter: Letter, by: User, decision: str, comment: str = "", amount: Decimal | None = None
) -> Letter:
    """An approver decides: the letter's assignee or, when nobody holds it, any approver of its
    department; never the reviewer who recommended, never a member of the startup, never above
    their approval limit. Approving asks the category's handler to check and fulfil in this
    same transaction: when it refuses (a budget that cannot cover it: 409), nothing changes
    and the letter stays pending_approval.

    Side effects: status `approved` (decided_amount; the handler's fulfilment, e.g. a subsidy
    award) or `rejected`; decided_at; assignee = `by`; one `decision` event; the founders, the
    reviewer and the department's address notified.
    """
    if decision not in DECISIONS:
        raise InvalidInput(_("Choose approve or reject."), field="decision")
    comment = _clean_text(comment, field="comment", max_length=MESSAGE_MAX, required=False)
    target = Status.APPROVED if decision == "approve" else Status.REJECTED
    # The assignee becomes `by`: no need to read the current one.
    letter = _lock_for(
        by, "applications.decide_letter", letter, related=("startup", "author", "reviewed_by", "queue__department")
    )
    if letter.status == target:
        return letter
    if letter.status != Status.PENDING_APPROVAL:
        check_transition(letter, target)
        raise StateConflict(_("Only a letter pending approval can be decided."))
    if letter.reviewed_by_id == by.pk:
        raise NotPermitted(_("You reviewed this letter: another approver must decide it."))
    if letter.assignee_id is not None and letter.assignee_id != by.pk:
        raise NotPermitted(_("This letter is assigned to another approver."))
    amount = _decision_amount(letter, amount)
    if amount is not None and (by.approval_limit is None or amount > by.approval_limit):
        raise NotPermitted(_("This amount is above your approval limit."))
    now = timezone.now()
    reviewer = letter.reviewed_by if letter.reviewed_by_id else None  # lock_letter fetched it
    if reviewer is not None and not reviewer.is_active:
        reviewer = None
    if decision == "reject":
        note = _("Rejected.") + (f" {comment}" if comment else "")
        transition(
            letter, Status.REJECTED, by=by, kind=EventKind.DECISION, note=note, decided_at=now, assignee=by
        )
        _notify_decided(letter, reviewer=reviewer)
    else:
        handler = handler_for(letter.category)
        handler.check_approval(letter, amount=amount)
        note = (_("Approved %(amount)s.") % {"amount": amount} if amount is not None else _("Approved.")) + (
            f" {comment}" if comment else ""
        )
        transition(
            letter,
            Status.APPROVED,
            by=by,
            kind=EventKind.DECISION,
            note=note,
            decided_at=now,
            decided_amount=amount,
            assignee=by,
        )
        # Last: the fulfilment ends with the hot row (a subsidy program's budget), so approvals
        # of one program wait for each other as briefly as possible. It sends the decision's
        # notice with its own, in the same two inserts.
        try:
            # No savepoint: a failure here rolls the whole decision back anyway.
            with transaction.atomic(savepoint=False):
                handler.fulfil(letter, amount=amount, by=by, notices=[_decided_notice(letter, reviewer=reviewer)])
        except IntegrityError as exc:
            # A constraint (a budget, a booking) caught a race the handler's check could not:
            # the whole decision rolls back with this 409.
            raise StateConflict(_("This letter can no longer be granted as it stands.")) from exc
    return letter


# --- the thread --------------------------------------------------------------------------------


@transaction.atomic
def message_post(*, letter: Letter, by: User, body: str) -> Message:
    """A member, the assignee or a reviewer of the queue writes in the letter's thread while
    the letter is open (submitted and not yet decided or withdrawn).

    Side effects: creates the Message and a `message` timeline event; notifies the other side
    (founders when staff write; the assignee, or the department's address, when founders do).
    """
    body = _clean_text(body, field="body", max_length=MESSAGE_MAX)
    letter = _lock_for(by, "applications.post_message", letter)
    if letter.status == Status.DRAFT or letter.status in TERMINAL:
        raise StateConflict(
            _("Messages can be written only while the letter is open (it is %(status)s).")
            % {"status": letter.get_status_display()}
        )
    message = Message.objects.create(letter=letter, author=by, body=body)
    record_event(letter, kind=EventKind.MESSAGE, by=by, note=body[:200])
    subject = _("New message about letter #%(id)d: %(subject)s") % {
        "id": letter.pk,
        "subject": letter.subject,
    }
    if Membership.objects.filter(startup_id=letter.startup_id, user=by).exists():
        if letter.assignee_id and letter.assignee_id != by.pk:
            _notify(letter, recipients=[letter.assignee], subject=subject, body=body)
        elif not letter.assignee_id:
            _notify(letter, recipients=[], subject=subject, body=body, department=True)
    else:
        _notify(letter, recipients=founders_of(letter), subject=subject, body=body)
    return message
