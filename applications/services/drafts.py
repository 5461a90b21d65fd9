"""The founders' side of a letter: drafts and their category's details, attachments,
submission and withdrawal.

A draft's details (the program of a subsidy letter, the desks of a space letter, ...) belong to
the app that fulfils its category: the category's handler cleans and stores them
(`fulfilment.py`); this module only hands them over.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import InvalidInput, NotPermitted, StateConflict
from core.uploads import inspect_upload
from startups.models import Membership, Startup
from startups.selectors import eligibility_facts, member_ids

from .. import details as letter_details
from ..enums import Category, EventKind, Status
from ..fulfilment import handler_for
from ..models import Attachment, Letter, LetterRevision
from . import router
from .common import (
    BODY_MAX,
    EDITABLE_STATUSES,
    MESSAGE_MAX,
    SUBJECT_MAX,
    clean_amount,
    clean_text,
    lock_for,
    notify_about,
)
from .transitions import check_transition, record_event, transition

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
_UNSET = object()


def _clean_category(category) -> str:
    if category not in Category.values:
        raise InvalidInput(_("Choose a valid category."), field="category")
    return category


# --- drafts ------------------------------------------------------------------------------------


@transaction.atomic
def letter_create_draft(
    *,
    startup: Startup,
    category: str,
    subject: str,
    body: str,
    requested_amount: Decimal | None = None,
    details: dict | None = None,
    by: User,
) -> Letter:
    """A member of a startup starts a letter; `details` are its category's (the handler's).

    Side effects: creates the letter in `draft`, its details row (the handler's
    `save_details`) and its `created` timeline event.
    """
    if not Membership.objects.filter(startup=startup, user=by).exists():
        raise NotPermitted(_("Only a member of the startup may write its letters."))
    handler = handler_for(_clean_category(category))
    subject = clean_text(subject, field="subject", max_length=SUBJECT_MAX)
    body = clean_text(body, field="body", max_length=BODY_MAX)
    requested_amount = clean_amount(requested_amount, field="requested_amount")
    cleaned = handler.clean_details(startup=startup, requested_amount=requested_amount, details=details or {})
    letter = Letter.objects.create(
        startup=startup,
        author=by,
        category=category,
        subject=subject,
        body=body,
        requested_amount=requested_amount,
        status=Status.DRAFT,
    )
    handler.save_details(letter=letter, details=cleaned)
    record_event(letter, kind=EventKind.CREATED, by=by, to_status=Status.DRAFT)
    return letter


def apply_edit(letter: Letter, *, by: User, changes: dict, details: dict | None, reason: str) -> bool:
    """Validate and apply edits to a locked letter; `details` holds category details as the API
    or the form gave them (of the letter's category once the edit applies; others are
    ignored). Keep a revision when it is answering a question. Returns whether anything changed."""
    cleaned = {}
    if "category" in changes:
        if letter.status != Status.DRAFT:
            raise InvalidInput(_("The category can only be changed in a draft."), field="category")
        cleaned["category"] = _clean_category(changes["category"])
    if "subject" in changes:
        cleaned["subject"] = clean_text(changes["subject"], field="subject", max_length=SUBJECT_MAX)
    if "body" in changes:
        cleaned["body"] = clean_text(changes["body"], field="body", max_length=BODY_MAX)
    if "requested_amount" in changes:
        cleaned["requested_amount"] = clean_amount(changes["requested_amount"], field="requested_amount")
    unknown = set(changes) - {"category", "subject", "body", "requested_amount"}
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    cleaned = {field: value for field, value in cleaned.items() if getattr(letter, field) != value}
    category = cleaned.get("category", letter.category)
    details = letter_details.given(category, details or {})
    if details is not None and letter.status != Status.DRAFT:
        raise InvalidInput(_("What the letter asks for can only be changed in a draft."))
    new_details = None
    if details is not None or "category" in cleaned or "requested_amount" in cleaned:
        # The category's details as they would stand, checked whole against the new amount.
        stored = {} if "category" in cleaned else letter_details.stored(letter)
        merged = {**stored, **(details or {})}
        checked = handler_for(category).clean_details(
            startup=letter.startup,
            requested_amount=cleaned.get("requested_amount", letter.requested_amount),
            details=merged,
        )
        if "category" in cleaned or merged != stored:
            new_details = checked
    if not cleaned and new_details is None:
        return False
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
    if "category" in cleaned:
        old = handler_for(letter.category)
        if old.details_model is not None:
            old.details_model.objects.filter(letter=letter).delete()
    for field, value in cleaned.items():
        setattr(letter, field, value)
    letter.save(update_fields=[*cleaned, "updated_at"])
    if new_details is not None:
        handler_for(letter.category).save_details(letter=letter, details=new_details)
    return True


@transaction.atomic
def letter_update_draft(
    *,
    letter: Letter,
    by: User,
    subject=_UNSET,
    body=_UNSET,
    requested_amount=_UNSET,
    category=_UNSET,
    details: dict | None = None,
    reason: str = "",
) -> Letter:
    """A member edits the letter while it is a draft, or while a reviewer waits for an answer
    (then the previous text is kept as a LetterRevision and the timeline says so).

    `details`: category details to change (a draft only; `apply_edit`), merged with the stored ones.

    Side effects: saves the changed fields and the details; in info_requested, one
    LetterRevision and one `edited` event.
    """
    changes = {
        name: value
        for name, value in {
            "subject": subject,
            "body": body,
            "requested_amount": requested_amount,
            "category": category,
        }.items()
        if value is not _UNSET
    }
    reason = clean_text(reason, field="reason", max_length=MESSAGE_MAX, required=False)
    letter = lock_for(by, "applications.change_letter", letter)
    if letter.status not in EDITABLE_STATUSES:
        raise StateConflict(
            _("A letter that is %(status)s cannot be edited.") % {"status": letter.get_status_display()}
        )
    apply_edit(letter, by=by, changes=changes, details=details, reason=reason)
    return letter


@transaction.atomic
def attachment_add(*, letter: Letter, file, by: User) -> Attachment:
    """A member attaches a document (PDF, PNG, JPEG, ODT, DOCX; recognised by its content and
    refused when it could run something, or exceeds the startup's storage quota:
    `core.uploads.inspect_upload`) to a draft, or to a letter a reviewer asked about.

    Side effects: writes the file under MEDIA_ROOT/attachments/ with a random name, creates the
    Attachment and an `edited` timeline event.
    """
    letter = lock_for(by, "applications.add_attachment", letter)
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

    What it is judged on is written down with it first, and the category's checks read that:
    the startup's facts (sector, stage, verified registration) and its members, who may never
    review or decide it (`Letter.record_submission`). A member who leaves or a stage changed
    afterwards changes neither routing, the eligibility checks nor who may review it.

    Side effects: status `submitted`, submitted_at, the record above, one `status` event; after
    commit, the routing task is nudged (the beat sweeper routes the letter if the broker is
    down), and routing acknowledges the letter to the founders.
    """
    # A draft has no queue, assignee nor reviewer yet: only the rows the response names.
    letter = lock_for(by, "applications.submit_letter", letter, related=("startup", "author"))
    if letter.status == Status.SUBMITTED:
        return letter
    if letter.status != Status.DRAFT:
        check_transition(letter, Status.SUBMITTED)  # explains the refusal
        raise StateConflict(_("Only a draft can be submitted."))
    recorded = letter.record_submission(eligibility_facts(letter.startup), member_ids(letter.startup))
    handler_for(letter.category).check_submission(letter)
    transition(letter, Status.SUBMITTED, by=by, submitted_at=timezone.now(), update_fields=recorded)
    # The founders hear from the router, which tells them where the letter went and when an
    # answer is due (routing._acknowledge), seconds from now.
    router.nudge_router()
    return letter


@transaction.atomic
def letter_withdraw(*, letter: Letter, by: User, reason: str = "") -> Letter:
    """A member takes the letter back, at any time before a decision.

    Side effects: status `withdrawn`, one `status` event, the SLA pause and reply date cleared;
    the assignee (if any) is notified. When a reviewer held it, the router is nudged after commit (their place is free).
    """
    reason = clean_text(reason, field="reason", max_length=MESSAGE_MAX, required=False)
    letter = lock_for(by, "applications.withdraw_letter", letter)
    if letter.status == Status.WITHDRAWN:
        return letter
    frees_a_place = letter.status in router.HELD_BY_REVIEWER and letter.assignee_id is not None
    transition(letter, Status.WITHDRAWN, by=by, note=reason, sla_paused_at=None, reply_due_at=None)
    if frees_a_place:  # the reviewer has room again: queued letters are assigned at once
        router.nudge_router()
    if letter.assignee_id:
        notify_about(
            letter,
            recipients=[letter.assignee],
            subject=_("Letter withdrawn: %(subject)s") % {"subject": letter.subject},
            body=reason,
        )
    return letter


