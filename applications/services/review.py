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

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import InvalidInput, NotPermitted, StateConflict
from notifications.services import Notice, notify_all

from ..actions import decision_amount
from ..enums import EventKind, Status
from ..fulfilment import handler_for
from ..models import Letter, Message, ReviewerLoad
from ..selectors import founders_of, pick_approver
from . import router
from .common import MESSAGE_MAX, clean_amount, clean_text, department_emails, lock_for, notify_about
from .drafts import apply_edit
from .sla import resume_clock
from .transitions import check_transition, record_event, transition

DECISIONS = ("approve", "reject")


# --- review ------------------------------------------------------------------------------------


@transaction.atomic
def letter_claim(*, letter: Letter, by: User) -> Letter:
    """A reviewer of the letter's queue takes it.

    Side effects: status `in_review` (or, for a letter in review that nobody holds, only the
    assignee), assignee = `by`, one `assigned` event; the reviewer's routing book
    (ReviewerLoad.last_assigned_at) set to now, as routing does when it assigns.
    """
    letter = lock_for(by, "applications.claim_letter", letter)
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
    message = clean_text(message, field="message", max_length=MESSAGE_MAX)
    letter = lock_for(by, "applications.request_info_letter", letter)
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
    notify_about(
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
    message = clean_text(message, field="message", max_length=MESSAGE_MAX)
    letter = lock_for(by, "applications.respond_letter", letter)
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
        apply_edit(letter, by=by, changes=dict(revision), details=None, reason=message)
    Message.objects.create(letter=letter, author=by, body=message)
    resume_clock(letter)  # the SLA clock runs again: due_at moves by the time it stood still
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
        notify_about(letter, recipients=[letter.assignee], subject=subject, body=message)
    else:
        notify_about(letter, recipients=[], subject=subject, body=message, department=True)
    return letter


def _decision_amount(letter: Letter, amount, *, field: str = "amount") -> Decimal | None:
    """The amount a recommendation or decision is about: given, else recommended, else requested."""
    amount = clean_amount(amount, field=field)
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
    comment = clean_text(comment, field="comment", max_length=MESSAGE_MAX, required=False)
    target = Status.PENDING_APPROVAL if recommendation == "approve" else Status.REJECTED
    letter = lock_for(by, "applications.recommend_letter", letter)
    if letter.status == target:
        return letter
    if letter.status != Status.IN_REVIEW:
        check_transition(letter, target)
        raise StateConflict(_("Only a letter in review can be recommended."))
    _require_assignee(letter, by)
    router.nudge_router()  # the letter leaves the reviewer's hands: queued letters get their place
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
        notify_about(letter, recipients=[], subject=subject, body=note, department=True)
    else:
        record_event(
            letter,
            kind=EventKind.ASSIGNED,
            note=_("Assigned to %(user)s for a decision.") % {"user": approver.username},
        )
        notify_about(letter, recipients=[approver], subject=subject, body=note)
    return letter


def _decided_notice(letter: Letter, *, founders, reviewer: User | None) -> Notice:
    status = letter.get_status_display()
    return Notice(
        [*founders, *([reviewer] if reviewer else [])],
        subject=_("Decision on your letter: %(status)s — %(subject)s")
        % {"status": status, "subject": letter.subject},
        body=_("Letter #%(id)d is now %(status)s.") % {"id": letter.pk, "status": status},
        link=letter.get_absolute_url(),
        extra_emails=department_emails(letter),
    )


def _notify_decided(letter: Letter, *, reviewer: User | None) -> None:
    notify_all([_decided_notice(letter, founders=founders_of(letter), reviewer=reviewer)])


@transaction.atomic
def letter_decide(
    *, letter: Letter, by: User, decision: str, comment: str = "", amount: Decimal | None = None
) -> Letter:
    """An approver decides: the letter's assignee or, when nobody holds it, any approver of its
    department; never the reviewer who recommended, never a member of the startup, never more
    than the reviewer recommended (400), and only with a limit that covers the recommended amount
    (else the requested one), even when granting less (403). Approving asks the category's
    handler to check and fulfil in this same transaction: when it refuses (a budget that
    cannot cover it: 409), nothing changes and the letter stays pending_approval.

    Side effects: status `approved` (decided_amount; the handler's fulfilment, e.g. a subsidy
    award) or `rejected`; decided_at; assignee = `by`; one `decision` event; the founders, the
    reviewer and the department's address notified.
    """
    if decision not in DECISIONS:
        raise InvalidInput(_("Choose approve or reject."), field="decision")
    comment = clean_text(comment, field="comment", max_length=MESSAGE_MAX, required=False)
    target = Status.APPROVED if decision == "approve" else Status.REJECTED
    # The assignee becomes `by`: no need to read the current one.
    letter = lock_for(
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
    if amount is not None and letter.recommended_amount is not None and amount > letter.recommended_amount:
        raise InvalidInput(_("The amount cannot be more than the reviewer recommended."), field="amount")
    # Authority is for what was recommended (else asked for), not for a lower amount chosen to
    # fit one's own limit: the letter went to an approver whose limit covers it. The letter's
    # page offers the decision on the same terms (actions.decision_amount).
    def covers(value):
        return value is None or (by.approval_limit is not None and value <= by.approval_limit)

    if not covers(amount):
        raise NotPermitted(_("This amount is above your approval limit."))
    if not covers(decision_amount(letter)):
        raise NotPermitted(
            _("The recommended amount is above your approval limit: an approver whose limit covers it must decide.")
        )
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
        prepared = handler.prepare_approval(letter, amount=amount)
        founders = founders_of(letter)
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
                handler.fulfil(
                    letter,
                    prepared=prepared,
                    amount=amount,
                    by=by,
                    founders=founders,
                    notices=[_decided_notice(letter, founders=founders, reviewer=reviewer)],
                )
        except IntegrityError as exc:
            # A constraint (a budget, a booking) caught a race the handler's check could not:
            # the whole decision rolls back with this 409.
            raise StateConflict(_("This letter can no longer be granted as it stands.")) from exc
    return letter


