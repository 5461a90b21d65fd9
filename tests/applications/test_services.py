"""The letter services: drafts, attachments, each review action, decisions, messages, selectors."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from applications import selectors
from applications.enums import Category, EventKind, Status
from applications.models import Attachment, Letter, LetterRevision, Message, ReviewerLoad, ReviewQueue
from applications.services import drafts, review, router, thread
from core.exceptions import InvalidInput, NotFound, NotPermitted, StateConflict
from incubator.celery import app as celery_app
from notifications.models import Notification, OutgoingEmail
from startups.models import Membership
from tests import factories

from .letters_cast import RecordingHandler, handler_registered, make_cast

S = Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def cast(db):
    return make_cast()


def events(letter, **filters):
    return list(letter.events.filter(**filters).values_list("kind", "from_status", "to_status"))


def notified(user):
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


# --- drafts ------------------------------------------------------------------------------------


def test_create_draft_by_member_writes_draft_and_created_event(cast):
    letter = drafts.letter_create_draft(
        startup=cast.startup, category=Category.OTHER, subject="  A desk  ", body="Please.", by=cast.cofounder
    )
    assert (letter.status, letter.subject, letter.author) == (S.DRAFT, "A desk", cast.cofounder)
    assert events(letter) == [(EventKind.CREATED, "", S.DRAFT)]


def test_create_draft_by_non_member_is_refused(cast):
    with pytest.raises(NotPermitted):
        drafts.letter_create_draft(
            startup=cast.startup, category=Category.OTHER, subject="x", body="y", by=cast.other_founder
        )
    assert Letter.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "program", "field"),
    [
        (None, 1, "requested_amount"),
        (Decimal("100.00"), None, "program"),
        (Decimal("0"), 1, "requested_amount"),
    ],
)
def test_create_subsidy_draft_without_amount_or_program_is_refused(cast, amount, program, field):
    with pytest.raises(InvalidInput) as refused:
        drafts.letter_create_draft(
            startup=cast.startup,
            category=Category.SUBSIDY,
            subject="Grant",
            body="Please.",
            requested_amount=amount,
            details={"program": factories.ProgramFactory() if program else None},
            by=cast.founder,
        )
    assert refused.value.field == field
    assert Letter.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject": "x" * 201}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"body": "nul\x00"}, "body"),
        ({"category": "castle"}, "category"),
        ({"requested_amount": Decimal("-1")}, "requested_amount"),
        ({"requested_amount": Decimal("1.005")}, "requested_amount"),
        ({"requested_amount": Decimal("1e15")}, "requested_amount"),
        ({"requested_amount": Decimal("NaN")}, "requested_amount"),
    ],
)
def test_create_draft_with_bad_field_is_refused(cast, changes, field):
    kwargs = {
        "startup": cast.startup,
        "category": Category.OTHER,
        "subject": "Desk",
        "body": "Please.",
        **changes,
    }
    with pytest.raises(InvalidInput) as refused:
        drafts.letter_create_draft(**kwargs, by=cast.founder)
    assert refused.value.field == field
    assert Letter.objects.count() == 0


def test_update_draft_changes_fields_without_revision(cast):
    letter = cast.letter(S.DRAFT)
    letter = drafts.letter_update_draft(
        letter=letter, by=cast.founder, subject="New subject", category="registration"
    )
    letter.refresh_from_db()
    assert (letter.subject, letter.category) == ("New subject", "registration")
    assert LetterRevision.objects.count() == 0


def test_update_in_info_requested_keeps_revision_and_shows_diff(cast):
    letter = cast.letter(S.INFO_REQUESTED, body="line one\nline two", requested_amount=Decimal("500.00"))
    drafts.letter_update_draft(
        letter=letter,
        by=cast.founder,
        body="line one\nline 2",
        requested_amount=Decimal("400.00"),
        reason="Cheaper",
    )
    revision = LetterRevision.objects.get(letter=letter)
    assert (revision.number, revision.body, revision.requested_amount, revision.reason) == (
        1,
        "line one\nline two",
        Decimal("500.00"),
        "Cheaper",
    )
    [entry] = selectors.revisions_of(Letter.objects.get(pk=letter.pk))
    assert "-line two" in entry["diff"] and "+line 2" in entry["diff"]
    assert "-Amount: 500.00" in entry["diff"] and "+Amount: 400.00" in entry["diff"]
    assert events(letter, kind=EventKind.EDITED) == [(EventKind.EDITED, "", "")]


def test_update_in_info_requested_may_not_change_category(cast):
    letter = cast.letter(S.INFO_REQUESTED)
    with pytest.raises(InvalidInput):
        drafts.letter_update_draft(letter=letter, by=cast.founder, category="space")


@pytest.mark.parametrize(
    "status", [S.SUBMITTED, S.QUEUED, S.IN_REVIEW, S.PENDING_APPROVAL, S.APPROVED, S.WITHDRAWN]
)
def test_update_outside_draft_or_info_requested_conflicts(cast, status):
    letter = cast.letter(status)
    with pytest.raises(StateConflict):
        drafts.letter_update_draft(letter=letter, by=cast.founder, subject="Changed")
    letter.refresh_from_db()
    assert letter.subject != "Changed"


# Whoever may not see the letter learns nothing of it, not even that it exists: 404.
def test_update_by_non_member_is_not_found(cast):
    with pytest.raises(NotFound):
        drafts.letter_update_draft(letter=cast.letter(S.DRAFT), by=cast.reviewer, subject="Mine")


# --- attachments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "plan.pdf", "application/pdf"),
        (PNG, "floor.png", "image/png"),
        (JPEG, "photo.jpg", "image/jpeg"),
        (
            docx_bytes(),
            "plan.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (odt_bytes(), "plan.odt", "application/vnd.oasis.opendocument.text"),
        (PDF, "no-extension", "application/pdf"),
        (PDF, "report.hta", "application/pdf"),
        (JPEG, "photo.jpeg", "image/jpeg"),
    ],
)
def test_attachment_of_allowed_type_is_stored_under_random_name(cast, settings, content, name, content_type):
    """The name shown and downloaded is the uploader's, ending in the detected type's extension."""
    letter = cast.letter(S.DRAFT)
    attachment = drafts.attachment_add(
        letter=letter, file=SimpleUploadedFile(name, content, content_type="text/plain"), by=cast.founder
    )
    expected_name = {"no-extension": "no-extension.pdf", "report.hta": "report.pdf"}.get(name, name)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        expected_name,
        content_type,
        len(content),
    )
    assert attachment.file.name.startswith("attachments/")
    assert name not in attachment.file.name
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == content


@pytest.mark.parametrize(
    "content", [EXE, b"just some text, named like a PDF", b"<html><script>alert(1)</script></html>"]
)
def test_attachment_not_a_document_is_refused_whatever_its_name(cast, settings, content):
    letter = cast.letter(S.DRAFT)
    with pytest.raises(InvalidInput) as refused:
        drafts.attachment_add(
            letter=letter,
            file=SimpleUploadedFile("x.pdf", content, content_type="application/pdf"),
            by=cast.founder,
        )
    assert refused.value.field == "file"
    assert Attachment.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "attachments").exists() or not any(
        (settings.MEDIA_ROOT / "attachments").iterdir()
    )


def test_attachment_over_the_size_limit_is_refused(cast, settings):
    settings.ATTACHMENT_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(InvalidInput) as refused:
        drafts.attachment_add(
            letter=cast.letter(S.DRAFT), file=SimpleUploadedFile("big.pdf", big), by=cast.founder
        )
    assert "1 MB" in str(refused.value.message)
    assert Attachment.objects.count() == 0


def test_attachment_default_limit_is_ten_megabytes(cast):
    big = PDF + b"0" * (10 * 1024 * 1024)
    with pytest.raises(InvalidInput):
        drafts.attachment_add(
            letter=cast.letter(S.DRAFT), file=SimpleUploadedFile("big.pdf", big), by=cast.founder
        )


def test_attachment_empty_file_is_refused(cast):
    with pytest.raises(InvalidInput):
        drafts.attachment_add(
            letter=cast.letter(S.DRAFT), file=SimpleUploadedFile("e.pdf", b""), by=cast.founder
        )


def test_attachment_name_loses_folders_and_control_characters(cast):
    attachment = drafts.attachment_add(
        letter=cast.letter(S.DRAFT), file=SimpleUploadedFile("../../etc/pass\x07wd.pdf", PDF), by=cast.founder
    )
    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name


def test_attachment_after_submission_conflicts(cast):
    with pytest.raises(StateConflict):
        drafts.attachment_add(
            letter=cast.letter(S.IN_REVIEW), file=SimpleUploadedFile("a.pdf", PDF), by=cast.founder
        )


def test_attachment_by_reviewer_is_refused(cast):
    with pytest.raises(NotPermitted):
        drafts.attachment_add(
            letter=cast.letter(S.INFO_REQUESTED), file=SimpleUploadedFile("a.pdf", PDF), by=cast.reviewer
        )


# --- submission --------------------------------------------------------------------------------


def _routing_messages():
    """Task names waiting in the `routing` Celery queue of the (in-memory) broker."""
    names = []
    with celery_app.connection_for_read() as connection:
        queue = connection.SimpleQueue("routing")
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            names.append(message.headers["task"])
            message.ack()
        queue.close()
    return names


def test_submit_moves_draft_to_submitted_and_queues_routing_on_commit(
    cast, django_capture_on_commit_callbacks
):
    _routing_messages()  # drain what earlier tests left
    letter = cast.letter(S.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        letter = drafts.letter_submit(letter=letter, by=cast.founder)
        assert _routing_messages() == []  # nothing leaves before the commit
    letter.refresh_from_db()
    assert letter.status == S.SUBMITTED
    assert letter.submitted_at is not None
    assert events(letter, kind=EventKind.STATUS) == [(EventKind.STATUS, S.DRAFT, S.SUBMITTED)]
    for callback in callbacks:
        callback()
    assert _routing_messages() == ["applications.tasks.task_route_letters"]


def test_routing_acknowledges_the_submission_to_every_founder(cast):
    ReviewQueue.objects.filter(pk=cast.queue.pk).update(is_default=True)
    letter = drafts.letter_submit(letter=cast.letter(S.DRAFT), by=cast.founder)
    assert notified(cast.founder) == []  # the router tells them where it went
    router.route_waiting_letters()
    letter.refresh_from_db()
    for founder in (cast.founder, cast.cofounder):
        notice = Notification.objects.get(recipient=founder)
        assert notice.subject == f"Your letter was received: {letter.subject}"
        assert letter.queue.name in notice.body
        assert timezone.localtime(letter.due_at).strftime("%Y-%m-%d %H:%M") in notice.body
    assert notified(cast.reviewer) == []
    assert OutgoingEmail.objects.filter(to=cast.founder.email).count() == 1


def test_submit_twice_is_one_submission(cast, django_capture_on_commit_callbacks):
    letter = cast.letter(S.DRAFT)
    drafts.letter_submit(letter=letter, by=cast.founder)
    with django_capture_on_commit_callbacks() as callbacks:
        again = drafts.letter_submit(letter=letter, by=cast.founder)
    assert again.status == S.SUBMITTED
    assert callbacks == []
    assert len(events(letter, kind=EventKind.STATUS)) == 1


@pytest.fixture
def broker_down():
    """The Celery app's broker points at a port where nothing listens, then back.

    (Celery binds to the Django settings it saw first, so the app's own conf is changed.)
    """

    def reset_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_pools()
    yield
    celery_app.conf.broker_url = previous
    reset_pools()


def test_nudging_the_router_while_broker_is_down_logs_and_returns(db, broker_down, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        router.nudge_router()
    assert "sweeper" in caplog.text


def test_submit_succeeds_while_broker_is_down(cast, broker_down, django_capture_on_commit_callbacks, caplog):
    letter = cast.letter(S.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.letter_submit(letter=letter, by=cast.founder)
    letter.refresh_from_db()
    assert letter.status == S.SUBMITTED
    assert "sweeper" in caplog.text


def test_submit_asks_the_category_handler(cast):
    letter = cast.letter(S.DRAFT, category=Category.REGISTRATION)
    with handler_registered(Category.REGISTRATION, RecordingHandler()) as handler:
        drafts.letter_submit(letter=letter, by=cast.founder)
    assert handler.calls == [("check_submission", letter.pk)]


def test_submit_refused_by_handler_stays_draft(cast):
    class Refusing(RecordingHandler):
        def check_submission(self, letter):
            raise InvalidInput("The program is closed.", field="program")

    letter = cast.letter(S.DRAFT, category=Category.REGISTRATION)
    with handler_registered(Category.REGISTRATION, Refusing()), pytest.raises(InvalidInput):
        drafts.letter_submit(letter=letter, by=cast.founder)
    letter.refresh_from_db()
    assert letter.status == S.DRAFT
    assert Notification.objects.count() == 0


def test_submit_subsidy_without_program_is_refused(cast):
    letter = cast.letter(S.DRAFT, category=Category.SUBSIDY, requested_amount=Decimal("100.00"))
    with pytest.raises(InvalidInput) as refused:
        drafts.letter_submit(letter=letter, by=cast.founder)
    assert refused.value.field == "program"


# --- withdrawal --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.QUEUED, S.IN_REVIEW, S.INFO_REQUESTED, S.PENDING_APPROVAL])
def test_withdraw_before_decision(cast, status):
    letter = drafts.letter_withdraw(letter=cast.letter(status), by=cast.cofounder, reason="Found a sponsor")
    assert letter.status == S.WITHDRAWN
    assert (letter.sla_paused_at, letter.reply_due_at, letter.decided_at) == (None, None, None)


def test_withdraw_tells_the_holder(cast):
    drafts.letter_withdraw(letter=cast.letter(S.IN_REVIEW), by=cast.founder)
    assert len(notified(cast.reviewer)) == 1


def _router_nudged(callbacks) -> bool:
    return router.publish_router_nudge in callbacks


@pytest.mark.parametrize(("status", "nudged"), [(S.IN_REVIEW, True), (S.QUEUED, False), (S.DRAFT, False)])
def test_withdraw_of_a_held_letter_nudges_the_router(
    cast, status, nudged, django_capture_on_commit_callbacks
):
    """The reviewer has room again: the router assigns queued letters at once."""
    with django_capture_on_commit_callbacks() as callbacks:
        drafts.letter_withdraw(letter=cast.letter(status), by=cast.founder)
    assert _router_nudged(callbacks) is nudged


@pytest.mark.parametrize("recommendation", ["approve", "reject"])
def test_recommend_nudges_the_router(cast, recommendation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        review.letter_recommend(
            letter=cast.letter(S.IN_REVIEW), by=cast.reviewer, recommendation=recommendation
        )
    assert _router_nudged(callbacks)


@pytest.mark.parametrize("status", [S.APPROVED, S.REJECTED])
def test_withdraw_after_decision_conflicts(cast, status):
    with pytest.raises(StateConflict):
        drafts.letter_withdraw(letter=cast.letter(status), by=cast.founder)


def test_withdraw_by_reviewer_is_refused(cast):
    with pytest.raises(NotPermitted):
        drafts.letter_withdraw(letter=cast.letter(S.IN_REVIEW), by=cast.reviewer)


# --- claim -------------------------------------------------------------------------------------


def test_claim_queued_letter(cast):
    letter = review.letter_claim(letter=cast.letter(S.QUEUED), by=cast.reviewer2)
    assert (letter.status, letter.assignee) == (S.IN_REVIEW, cast.reviewer2)
    assert events(letter, kind=EventKind.ASSIGNED) == [(EventKind.ASSIGNED, S.QUEUED, S.IN_REVIEW)]


def test_claim_books_the_assignment_for_routing(cast):
    """Claiming counts for routing's "longest idle" tie-break, as routing's own assignments do."""
    ReviewerLoad.objects.create(
        user=cast.reviewer2, last_assigned_at=timezone.now() - datetime.timedelta(days=3)
    )
    before = timezone.now()
    review.letter_claim(letter=cast.letter(S.QUEUED), by=cast.reviewer2)
    assert ReviewerLoad.objects.get(user=cast.reviewer2).last_assigned_at >= before
    review.letter_claim(letter=cast.letter(S.IN_REVIEW, reviewer=None), by=cast.reviewer)
    assert ReviewerLoad.objects.get(user=cast.reviewer).last_assigned_at >= before


def test_claim_held_by_another_reviewer_conflicts(cast):
    with pytest.raises(StateConflict):
        review.letter_claim(letter=cast.letter(S.IN_REVIEW), by=cast.reviewer2)


def test_claim_in_review_nobody_holds_takes_it_without_status_change(cast):
    letter = review.letter_claim(letter=cast.letter(S.IN_REVIEW, reviewer=None), by=cast.reviewer2)
    assert (letter.status, letter.assignee) == (S.IN_REVIEW, cast.reviewer2)
    assert events(letter, kind=EventKind.ASSIGNED) == [(EventKind.ASSIGNED, "", "")]


def test_claim_by_reviewer_outside_the_queue_is_not_found(cast):
    with pytest.raises(NotFound):
        review.letter_claim(letter=cast.letter(S.QUEUED), by=cast.other_reviewer)


def test_claim_by_reviewer_who_is_a_member_of_the_startup_is_refused(cast):
    Membership.objects.create(startup=cast.startup, user=cast.reviewer2)
    with pytest.raises(NotPermitted):
        review.letter_claim(letter=cast.letter(S.QUEUED), by=cast.reviewer2)


# --- questions and answers ---------------------------------------------------------------------


def test_request_info_pauses_clock_and_tells_founders_when_to_answer(cast, settings):
    settings.INFO_REPLY_DAYS = 3
    before = timezone.now()
    letter = review.letter_request_info(
        letter=cast.letter(S.IN_REVIEW), by=cast.reviewer, message="Which floor?"
    )
    assert letter.status == S.INFO_REQUESTED
    assert (
        before + datetime.timedelta(days=3)
        <= letter.reply_due_at
        <= timezone.now() + datetime.timedelta(days=3)
    )
    assert before <= letter.sla_paused_at <= timezone.now()
    assert list(Message.objects.filter(letter=letter).values_list("author", "body")) == [
        (cast.reviewer.pk, "Which floor?")
    ]
    [notification] = Notification.objects.filter(recipient=cast.cofounder)
    assert timezone.localtime(letter.reply_due_at).strftime("%Y-%m-%d") in notification.body


def test_request_info_by_reviewer_not_holding_it_is_refused(cast):
    with pytest.raises(NotPermitted):
        review.letter_request_info(letter=cast.letter(S.IN_REVIEW), by=cast.reviewer2, message="?")


def test_request_info_without_message_is_refused(cast):
    with pytest.raises(InvalidInput) as refused:
        review.letter_request_info(letter=cast.letter(S.IN_REVIEW), by=cast.reviewer, message="  ")
    assert refused.value.field == "message"


def test_respond_resumes_clock_and_pushes_due_date(cast):
    letter = cast.letter(S.IN_REVIEW)
    letter = review.letter_request_info(letter=letter, by=cast.reviewer, message="Which floor?")
    Letter.objects.filter(pk=letter.pk).update(
        sla_paused_at=letter.sla_paused_at - datetime.timedelta(days=7)
    )
    due_before = Letter.objects.get(pk=letter.pk).due_at
    letter = review.letter_respond(letter=letter, by=cast.cofounder, message="The third.")
    letter.refresh_from_db()
    assert (letter.status, letter.sla_paused_at, letter.reply_due_at) == (S.IN_REVIEW, None, None)
    assert letter.due_at > due_before  # a week of waiting holds working hours
    assert [m.body for m in selectors.messages_of(letter)] == ["Which floor?", "The third."]
    assert len(notified(cast.reviewer)) == 1


def test_respond_with_revision_keeps_the_old_text(cast):
    letter = cast.letter(S.INFO_REQUESTED, subject="Old", body="Old body")
    letter = review.letter_respond(
        letter=letter, by=cast.founder, message="Revised as asked", revision={"body": "New body"}
    )
    letter.refresh_from_db()
    assert letter.body == "New body"
    assert list(LetterRevision.objects.values_list("number", "body", "reason")) == [
        (1, "Old body", "Revised as asked")
    ]


def test_respond_when_no_question_is_open_conflicts(cast):
    with pytest.raises(StateConflict):
        review.letter_respond(letter=cast.letter(S.QUEUED), by=cast.founder, message="Hello?")


def test_respond_by_reviewer_is_refused(cast):
    with pytest.raises(NotPermitted):
        review.letter_respond(
            letter=cast.letter(S.INFO_REQUESTED), by=cast.reviewer, message="I answer myself"
        )


# --- recommendation and the choice of approver -------------------------------------------------


def test_recommend_approve_goes_to_lowest_limit_that_covers(cast):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("5000000.00"))
    letter = review.letter_recommend(
        letter=letter, by=cast.reviewer, recommendation="approve", comment="Solid"
    )
    assert (letter.status, letter.reviewed_by, letter.assignee) == (
        S.PENDING_APPROVAL,
        cast.reviewer,
        cast.approver,
    )
    assert letter.recommended_amount == Decimal("5000000.00")
    assert events(letter, kind=EventKind.RECOMMENDATION) == [
        (EventKind.RECOMMENDATION, S.IN_REVIEW, S.PENDING_APPROVAL)
    ]
    assert len(notified(cast.approver)) == 1


def test_recommend_smaller_amount_picks_smaller_authority(cast):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("5000000.00"))
    letter = review.letter_recommend(
        letter=letter, by=cast.reviewer, recommendation="approve", amount=Decimal("90000.00")
    )
    assert (letter.assignee, letter.recommended_amount) == (cast.approver_low, Decimal("90000.00"))


def test_recommend_never_picks_the_recommending_reviewer(cast):
    # reviewer_approver's limit (50M) alone covers 20M, but they recommended it.
    letter = cast.letter(
        S.IN_REVIEW, reviewer=cast.reviewer_approver, requested_amount=Decimal("20000000.00")
    )
    letter = review.letter_recommend(letter=letter, by=cast.reviewer_approver, recommendation="approve")
    assert (letter.status, letter.assignee) == (S.PENDING_APPROVAL, None)


def test_recommend_never_picks_a_member_of_the_startup(cast):
    Membership.objects.create(startup=cast.startup, user=cast.approver_low)
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("50000.00"))
    letter = review.letter_recommend(letter=letter, by=cast.reviewer, recommendation="approve")
    assert letter.assignee == cast.approver


def test_recommend_picks_the_least_loaded_of_equal_authority(cast):
    twin = factories.UserFactory(
        roles=["approver"], department=cast.department, approval_limit=Decimal("100000.00")
    )
    cast.letter(S.PENDING_APPROVAL, approver=cast.approver_low)  # approver_low holds one
    first = review.letter_recommend(
        letter=cast.letter(S.IN_REVIEW, requested_amount=Decimal("1000.00")),
        by=cast.reviewer,
        recommendation="approve",
    )
    assert first.assignee == twin
    cast.letter(S.PENDING_APPROVAL, approver=twin)  # twin now holds two
    second = review.letter_recommend(
        letter=cast.letter(S.IN_REVIEW, requested_amount=Decimal("1000.00")),
        by=cast.reviewer,
        recommendation="approve",
    )
    assert second.assignee == cast.approver_low


def test_recommend_ties_go_to_the_approver_idle_longest(cast):
    twin = factories.UserFactory(
        roles=["approver"], department=cast.department, approval_limit=Decimal("100000.00")
    )
    busy = cast.letter(S.PENDING_APPROVAL, approver=cast.approver_low, requested_amount=Decimal("10.00"))
    review.letter_decide(letter=busy, by=cast.approver_low, decision="approve")  # approver_low just acted
    letter = review.letter_recommend(
        letter=cast.letter(S.IN_REVIEW, requested_amount=Decimal("1000.00")),
        by=cast.reviewer,
        recommendation="approve",
    )
    assert letter.assignee == twin


def test_recommend_with_no_approver_covering_waits_unassigned(cast):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("90000000.00"))
    letter = review.letter_recommend(letter=letter, by=cast.reviewer, recommendation="approve")
    assert (letter.status, letter.assignee) == (S.PENDING_APPROVAL, None)
    [note] = letter.events.filter(kind=EventKind.ASSIGNED).values_list("note", flat=True)
    assert "No approver" in note


def test_recommend_amount_above_request_is_refused(cast):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("100.00"))
    with pytest.raises(InvalidInput) as refused:
        review.letter_recommend(
            letter=letter, by=cast.reviewer, recommendation="approve", amount=Decimal("101.00")
        )
    assert refused.value.field == "amount"


def test_recommend_reject_rejects_and_tells_founders(cast):
    letter = review.letter_recommend(
        letter=cast.letter(S.IN_REVIEW), by=cast.reviewer, recommendation="reject"
    )
    assert (letter.status, letter.reviewed_by) == (S.REJECTED, cast.reviewer)
    assert letter.decided_at is not None
    assert len(notified(cast.founder)) == 1


def test_recommend_by_reviewer_not_holding_it_is_refused(cast):
    with pytest.raises(NotPermitted):
        review.letter_recommend(
            letter=cast.letter(S.IN_REVIEW), by=cast.reviewer2, recommendation="approve"
        )


def test_recommend_with_unknown_recommendation_is_refused(cast):
    with pytest.raises(InvalidInput):
        review.letter_recommend(letter=cast.letter(S.IN_REVIEW), by=cast.reviewer, recommendation="maybe")


# --- decision ----------------------------------------------------------------------------------


def pending(cast, amount="5000000.00", **kwargs):
    kwargs.setdefault("category", Category.REGISTRATION)
    return cast.letter(
        S.PENDING_APPROVAL,
        requested_amount=Decimal(amount) if amount else None,
        recommended_amount=Decimal(amount) if amount else None,
        **kwargs,
    )


def test_decide_approve_fulfils_in_the_same_transaction(cast):
    letter = pending(cast)
    with handler_registered(Category.REGISTRATION, RecordingHandler()) as handler:
        letter = review.letter_decide(letter=letter, by=cast.approver, decision="approve", comment="Fine")
    letter.refresh_from_db()
    assert (letter.status, letter.decided_amount, letter.assignee) == (
        S.APPROVED,
        Decimal("5000000.00"),
        cast.approver,
    )
    assert letter.decided_at is not None
    assert handler.calls == [
        ("prepare_approval", letter.pk, Decimal("5000000.00")),
        ("fulfil", letter.pk, ("prepared", letter.pk), Decimal("5000000.00"), cast.approver.pk),
    ]
    assert events(letter, kind=EventKind.DECISION) == [(EventKind.DECISION, S.PENDING_APPROVAL, S.APPROVED)]
    assert len(notified(cast.founder)) == 1 and len(notified(cast.reviewer)) == 1


def test_decide_approve_of_smaller_amount(cast):
    letter = review.letter_decide(
        letter=pending(cast), by=cast.approver, decision="approve", amount=Decimal("1.50")
    )
    assert letter.decided_amount == Decimal("1.50")


def test_decide_refused_by_handler_stays_pending(cast):
    letter = pending(cast)
    refusing = RecordingHandler(refuse_approval=StateConflict("The program's budget cannot cover it."))
    with handler_registered(Category.REGISTRATION, refusing), pytest.raises(StateConflict):
        review.letter_decide(letter=letter, by=cast.approver, decision="approve")
    letter.refresh_from_db()
    assert (letter.status, letter.decided_at, letter.decided_amount) == (S.PENDING_APPROVAL, None, None)
    assert events(letter, kind=EventKind.DECISION) == []
    assert Notification.objects.count() == 0


def test_decide_when_fulfilment_breaks_a_constraint_conflicts_and_changes_nothing(cast):
    def duplicate_membership(letter):
        Membership.objects.create(startup=letter.startup, user=letter.author)  # already a member

    letter = pending(cast)
    handler = RecordingHandler(fulfil_effect=duplicate_membership)
    with handler_registered(Category.REGISTRATION, handler), pytest.raises(StateConflict):
        review.letter_decide(letter=letter, by=cast.approver, decision="approve")
    letter.refresh_from_db()
    assert letter.status == S.PENDING_APPROVAL
    assert events(letter, kind=EventKind.DECISION) == []


def test_decide_reject(cast):
    letter = review.letter_decide(
        letter=pending(cast), by=cast.approver, decision="reject", comment="No budget"
    )
    assert (letter.status, letter.decided_amount) == (S.REJECTED, None)
    assert "No budget" in letter.events.get(kind=EventKind.DECISION).note


def test_decide_by_the_reviewer_who_recommended_is_refused(cast):
    letter = pending(cast, reviewer=cast.reviewer_approver, approver=None)
    with pytest.raises(NotPermitted):
        review.letter_decide(letter=letter, by=cast.reviewer_approver, decision="approve")


def test_decide_by_member_of_the_startup_is_refused(cast):
    Membership.objects.create(startup=cast.startup, user=cast.approver)
    with pytest.raises(NotPermitted):
        review.letter_decide(letter=pending(cast), by=cast.approver, decision="approve")


def test_decide_above_the_approval_limit_is_refused(cast):
    letter = pending(cast, approver=None)
    with pytest.raises(NotPermitted):
        review.letter_decide(letter=letter, by=cast.approver_low, decision="approve")
    letter.refresh_from_db()
    assert letter.status == S.PENDING_APPROVAL


def test_decide_above_what_the_reviewer_recommended_is_refused(cast):
    letter = cast.letter(
        S.PENDING_APPROVAL,
        category=Category.REGISTRATION,
        requested_amount=Decimal("5000000.00"),
        recommended_amount=Decimal("1000.00"),
    )
    with pytest.raises(InvalidInput) as refused:
        review.letter_decide(letter=letter, by=cast.approver, decision="approve", amount=Decimal("1000.01"))
    letter.refresh_from_db()
    assert (refused.value.field, letter.status, letter.decided_amount) == ("amount", S.PENDING_APPROVAL, None)


def test_decide_lowering_the_amount_to_fit_ones_own_limit_is_refused(cast):
    # Recommended 500,000; the low approver (limit 100,000) may not grant 100,000 of it instead.
    letter = pending(cast, amount="500000.00", approver=None)
    with pytest.raises(NotPermitted) as refused:
        review.letter_decide(
            letter=letter, by=cast.approver_low, decision="approve", amount=Decimal("100000.00")
        )
    letter.refresh_from_db()
    assert (str(refused.value), letter.status) == (
        "The recommended amount is above your approval limit: an approver whose limit covers it must decide.",
        S.PENDING_APPROVAL,
    )


def test_decide_less_than_recommended_within_ones_limit_is_allowed(cast):
    letter = pending(cast, amount="50000.00", approver=None)
    with handler_registered(Category.REGISTRATION, RecordingHandler()):
        letter = review.letter_decide(
            letter=letter, by=cast.approver_low, decision="approve", amount=Decimal("40000.00")
        )
    assert (letter.status, letter.decided_amount) == (S.APPROVED, Decimal("40000.00"))


def test_decide_by_approver_without_limit_on_money_is_refused(cast):
    no_limit = factories.UserFactory(roles=["approver"], department=cast.department)
    with pytest.raises(NotPermitted):
        review.letter_decide(letter=pending(cast, approver=None), by=no_limit, decision="approve")


def test_decide_non_money_letter_by_any_department_approver_when_unassigned(cast):
    no_limit = factories.UserFactory(roles=["approver"], department=cast.department)
    letter = review.letter_decide(
        letter=pending(cast, amount=None, approver=None), by=no_limit, decision="approve"
    )
    assert (letter.status, letter.decided_amount, letter.assignee) == (S.APPROVED, None, no_limit)


def test_decide_assigned_to_another_approver_is_refused(cast):
    with pytest.raises(NotPermitted):
        review.letter_decide(
            letter=pending(cast, amount="50000.00"), by=cast.approver_low, decision="approve"
        )


def test_decide_by_approver_of_another_department_is_not_found(cast):
    with pytest.raises(NotFound):
        review.letter_decide(
            letter=pending(cast, approver=None), by=cast.other_reviewer, decision="approve"
        )


def test_decide_twice_is_one_decision(cast):
    letter = pending(cast)
    review.letter_decide(letter=letter, by=cast.approver, decision="approve")
    again = review.letter_decide(letter=letter, by=cast.approver, decision="approve")
    assert again.status == S.APPROVED
    assert len(events(letter, kind=EventKind.DECISION)) == 1
    with pytest.raises(StateConflict):
        review.letter_decide(letter=letter, by=cast.approver, decision="reject")


# --- the thread --------------------------------------------------------------------------------


def test_founder_message_reaches_the_holder(cast):
    letter = cast.letter(S.IN_REVIEW)
    message = thread.message_post(letter=letter, by=cast.founder, body="Any news?")
    assert (message.author, message.body) == (cast.founder, "Any news?")
    assert len(notified(cast.reviewer)) == 1
    assert events(letter, kind=EventKind.MESSAGE) == [(EventKind.MESSAGE, "", "")]


def test_staff_message_reaches_the_founders(cast):
    thread.message_post(letter=cast.letter(S.QUEUED), by=cast.reviewer2, body="We are on it.")
    assert len(notified(cast.founder)) == 1 and len(notified(cast.cofounder)) == 1


@pytest.mark.parametrize("status", [S.DRAFT, S.APPROVED, S.REJECTED, S.WITHDRAWN])
def test_message_on_letter_not_open_conflicts(cast, status):
    with pytest.raises(StateConflict):
        thread.message_post(letter=cast.letter(status), by=cast.founder, body="Hello")


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("other_founder", NotFound),
        ("other_reviewer", NotFound),
        ("approver", NotPermitted),
        ("admin", NotPermitted),
    ],
)
def test_message_by_someone_outside_the_letter_is_refused(cast, who, refusal):
    # Those who may see the letter (the department's approver, an admin) but are not in its
    # conversation get 403; the others may not know it exists (404).
    with pytest.raises(refusal):
        thread.message_post(letter=cast.letter(S.IN_REVIEW), by=getattr(cast, who), body="Hello")


# --- selectors ---------------------------------------------------------------------------------


def test_letters_visible_to_each_role(cast):
    mine = cast.letter(S.QUEUED)
    draft = cast.letter(S.DRAFT)
    elsewhere = factories.letter_in_state(
        S.QUEUED, queue=cast.other_queue, startup=cast.other_startup, author=cast.other_founder
    )

    def visible(user):
        return set(selectors.letters_visible_to(cast.fresh(user)))

    assert visible(cast.founder) == {mine, draft}
    assert visible(cast.other_founder) == {elsewhere}
    assert visible(cast.reviewer) == {mine}
    assert visible(cast.approver) == {mine}
    assert visible(cast.other_reviewer) == {elsewhere}
    assert visible(cast.admin) == {mine, draft, elsewhere}


def test_letters_visible_to_match_the_view_rule(cast):
    letters = [cast.letter(status) for status in Status] + [
        factories.letter_in_state(S.IN_REVIEW, queue=cast.other_queue, reviewer=cast.reviewer)
    ]
    for name in ("founder", "other_founder", "reviewer", "reviewer2", "approver", "other_reviewer", "admin"):
        user = cast.fresh(getattr(cast, name))
        visible = set(selectors.letters_visible_to(user))
        assert visible == {
            letter for letter in letters if user.has_perm("applications.view_letter", letter)
        }, name


def test_my_work_and_awaiting_decision(cast):
    held = cast.letter(S.IN_REVIEW)
    cast.letter(S.QUEUED)
    mine = pending(cast, amount="5000.00")
    unassigned_small = pending(cast, amount="5000.00", approver=None)
    unassigned_big = pending(cast, amount="90000000.00", approver=None)
    assert list(selectors.my_work(cast.reviewer)) == [held]
    assert set(selectors.awaiting_decision(cast.fresh(cast.approver))) == {mine, unassigned_small}
    assert set(selectors.awaiting_decision(cast.fresh(cast.approver_low))) == {unassigned_small}
    assert unassigned_big not in selectors.awaiting_decision(cast.fresh(cast.reviewer_approver))  # 50M < 90M
    assert list(selectors.awaiting_decision(cast.fresh(cast.reviewer))) == []


def test_service_transaction_rolls_back_with_caller(cast):
    letter = cast.letter(S.DRAFT)
    with pytest.raises(RuntimeError), transaction.atomic():
        drafts.letter_submit(letter=letter, by=cast.founder)
        raise RuntimeError
    letter.refresh_from_db()
    assert letter.status == S.DRAFT
