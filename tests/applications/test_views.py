"""The letter pages: founders' letters, the letter page and its actions, reviewers' work and
queues, approvers' decisions, the routing pages, notifications, the landing page."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import Category, Status
from applications.models import Attachment, Letter, LetterRevision, Message, RoutingRule, RuleSet
from applications.services import drafts, thread
from applications.views import PER_PAGE
from notifications.models import Notification
from tests import factories

from .letters_cast import make_cast

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
S = Status


@pytest.fixture
def cast(db):
    return make_cast()


@pytest.fixture
def as_user(client):
    """as_user(user) -> the test client logged in as that user."""

    def login(user):
        client.logout()
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return login


def url(name, *args):
    return reverse(f"letters:{name}", args=args)


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def follow_messages(response):
    return [str(message) for message in response.context["messages"]]


def field_error(response, field):
    match = re.search(
        rf'<div class="invalid-feedback d-block" id="id_{field}_error">(.*?)</div>', response.text, re.DOTALL
    )
    return match.group(1).strip() if match else None


def refreshed(letter):
    return Letter.objects.get(pk=letter.pk)


def _queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def assert_constant_queries(client, path, add_rows, django_assert_num_queries, rows_key="letters"):
    """A list page costs as many queries with 3 rows as with 1 (measured at 1, required at 3;
    other apps' navigation items add constant queries of their own, so the figure is not pinned)."""
    add_rows(1)
    at_one = _queries_for(client, path)
    add_rows(2)
    with django_assert_num_queries(at_one):
        response = client.get(path)
    assert len(response.context[rows_key]) == 3


# --- My letters ---------------------------------------------------------------------------------


def test_mine_lists_only_the_founders_letters(cast, as_user):
    mine = cast.letter(S.DRAFT, subject="Our subsidy")
    factories.LetterFactory(startup=cast.other_startup, author=cast.other_founder, subject="Their letter")

    response = as_user(cast.founder).get(url("mine"))

    assert response.status_code == 200
    assert [letter.pk for letter in response.context["letters"]] == [mine.pk]
    assert "Their letter" not in response.text
    assert f'href="{url("detail", mine.pk)}"' in response.text


def test_mine_empty_state_calls_to_compose(cast, as_user):
    response = as_user(cast.founder).get(url("mine"))

    assert 'id="letter-list-empty"' in response.text
    assert "You have not written any letter yet." in response.text
    assert f'href="{url("compose")}"' in response.text


def test_mine_filters_by_status_and_search(cast, as_user):
    draft = cast.letter(S.DRAFT, subject="Coworking desk")
    cast.letter(S.DRAFT, subject="Expo booth")
    cast.letter(S.IN_REVIEW, subject="Coworking room")

    response = as_user(cast.founder).get(url("mine"), {"status": "draft", "q": "cowork"})

    assert [letter.pk for letter in response.context["letters"]] == [draft.pk]


def test_mine_ignores_an_invalid_filter(cast, as_user):
    letter = cast.letter(S.DRAFT)

    response = as_user(cast.founder).get(url("mine"), {"status": "nonsense", "category": "other"})

    assert response.status_code == 200
    assert [row.pk for row in response.context["letters"]] == [letter.pk]


def test_mine_paginates_keeping_the_filters(cast, as_user):
    for _ in range(PER_PAGE + 1):
        cast.letter(S.DRAFT)

    client = as_user(cast.founder)
    first = client.get(url("mine"), {"status": "draft"})
    second = client.get(url("mine"), {"status": "draft", "page": 2})

    assert len(first.context["letters"]) == PER_PAGE
    assert len(second.context["letters"]) == 1
    assert 'href="?status=draft&amp;page=2"' in first.text


def test_mine_staff_without_startup_is_refused(cast, as_user):
    assert as_user(cast.reviewer).get(url("mine")).status_code == 403


def test_mine_anonymous_is_sent_to_login(client):
    response = client.get(url("mine"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_mine_query_count_is_constant(cast, as_user, django_assert_num_queries):
    client = as_user(cast.founder)

    def add_rows(n):
        for _ in range(n):
            cast.letter(S.IN_REVIEW)

    assert_constant_queries(client, url("mine"), add_rows, django_assert_num_queries)


# --- Compose and edit ---------------------------------------------------------------------------


def test_compose_creates_a_draft_of_the_founders_startup(cast, as_user):
    response = as_user(cast.founder).post(
        url("compose"),
        {
            "startup": cast.startup.pk,
            "category": "space",
            "subject": "A desk",
            "body": "Line one\r\nLine two",
            "details-kind": "desk",
            "details-seats": "2",
            "details-starts_on": "2027-01-04",
            "details-ends_on": "2027-07-01",
        },
    )

    letter = Letter.objects.get(subject="A desk")
    assert response.status_code == 302
    assert response.url == url("detail", letter.pk)
    assert (letter.status, letter.startup, letter.author, letter.category) == (
        S.DRAFT,
        cast.startup,
        cast.founder,
        "space",
    )
    assert letter.body == "Line one\nLine two"


def test_compose_subsidy_without_amount_shows_the_services_error_on_the_field(cast, as_user):
    response = as_user(cast.founder).post(
        url("compose"),
        {"startup": cast.startup.pk, "category": "subsidy", "subject": "Money", "body": "Please."},
    )

    assert response.status_code == 200
    assert field_error(response, "requested_amount") == "A subsidy letter asks for an amount above zero."
    assert Letter.objects.count() == 0


def test_compose_subsidy_picks_an_open_program_with_its_terms(cast, as_user):
    open_program = factories.ProgramFactory(name="Seed", max_award=Decimal("5000.00"))
    factories.ProgramFactory(
        name="Closed",
        opens_on=datetime.date(2020, 1, 1),
        closes_on=datetime.date(2020, 12, 31),
    )
    client = as_user(cast.founder)

    page = client.get(url("compose"), {"category": "subsidy"})
    fields = client.get(url("category-fields"), {"category": "subsidy"})
    response = client.post(
        url("compose"),
        {
            "startup": cast.startup.pk,
            "category": "subsidy",
            "details_for": "subsidy",
            "subject": "Money",
            "body": "Please.",
            "requested_amount": "1000.00",
            "details-program": open_program.pk,
        },
    )

    assert list(fields.context["details_form"].fields["program"].queryset) == [open_program]
    assert "5,000.00" in fields.text and 'name="details-program"' in fields.text
    assert 'hx-get="%s"' % url("category-fields") in page.text
    letter = Letter.objects.get(subject="Money")
    assert response.status_code == 302
    assert letter.subsidy_request.program == open_program


def test_compose_changing_the_category_without_script_asks_for_its_fields(cast, as_user):
    program = factories.ProgramFactory()
    response = as_user(cast.founder).post(
        url("compose"),
        {
            "startup": cast.startup.pk,
            "category": "subsidy",
            "details_for": "other",
            "subject": "Money",
            "body": "Please.",
            "requested_amount": "1000.00",
        },
    )

    assert response.status_code == 200
    assert response.context["details_form"].is_bound is False
    assert f'value="{program.pk}"' in response.text
    assert Letter.objects.count() == 0


def test_compose_offers_only_the_founders_startups(cast, as_user):
    client = as_user(cast.founder)

    page = client.get(url("compose"))
    response = client.post(
        url("compose"), {"startup": cast.other_startup.pk, "category": "other", "subject": "X", "body": "Y"}
    )

    assert list(page.context["form"].fields["startup"].queryset) == [cast.startup]
    assert "Select a valid choice." in field_error(response, "startup")
    assert Letter.objects.count() == 0


def test_compose_without_a_startup_points_to_registering_one(as_user, founder):
    response = as_user(founder).get(url("compose"))

    assert 'id="compose-no-startup"' in response.text
    assert f'href="{reverse("startups:create")}"' in response.text


def test_compose_reviewer_is_refused(cast, as_user):
    response = as_user(cast.reviewer).post(url("compose"), {"startup": cast.startup.pk, "category": "other"})

    assert response.status_code == 403
    assert Letter.objects.count() == 0


def test_edit_saves_the_draft(cast, as_user):
    letter = cast.letter(S.DRAFT, subject="Old")

    response = as_user(cast.founder).post(
        url("edit", letter.pk),
        {"category": "registration", "subject": "New", "body": "Body", "requested_amount": "", "program": ""},
    )

    letter.refresh_from_db()
    assert response.status_code == 302
    assert (letter.subject, letter.category, letter.body) == ("New", "registration", "Body")


def test_edit_a_submitted_letter_is_refused_with_a_message(cast, as_user):
    letter = cast.letter(S.IN_REVIEW, subject="Keep")

    response = as_user(cast.founder).post(
        url("edit", letter.pk), {"category": "other", "subject": "Changed", "body": "B"}, follow=True
    )

    assert refreshed(letter).subject == "Keep"
    assert "Only a draft, or a letter a reviewer asked about, can be edited." in follow_messages(response)[0]


def test_edit_another_founders_letter_is_404(cast, as_user):
    letter = cast.letter(S.DRAFT)

    assert as_user(cast.other_founder).get(url("edit", letter.pk)).status_code == 404


# --- The letter page ------------------------------------------------------------------------


def _submitted_with_message(cast):
    letter = drafts.letter_create_draft(
        startup=cast.startup,
        category="other",
        subject="Help with permits",
        body="We need help.",
        by=cast.founder,
    )
    drafts.letter_submit(letter=letter, by=cast.founder)
    letter = refreshed(letter)
    thread.message_post(letter=letter, by=cast.founder, body="Any news?")
    return letter


def test_detail_shows_status_timeline_oldest_first_and_the_thread(cast, as_user):
    letter = _submitted_with_message(cast)

    response = as_user(cast.founder).get(url("detail", letter.pk))

    assert response.status_code == 200
    assert [event.kind for event, _note in response.context["events"]] == ["created", "status", "message"]
    assert "letter-status-submitted" in response.text
    assert "Any news?" in response.text
    assert f'action="{url("message", letter.pk)}"' in response.text
    assert f'href="{url("withdraw", letter.pk)}"' in response.text
    assert f'action="{url("submit", letter.pk)}"' not in response.text
    assert "style=" not in response.text
    assert "<script>" not in response.text


def test_detail_of_another_founders_letter_is_404(cast, as_user):
    letter = cast.letter(S.DRAFT)

    assert as_user(cast.other_founder).get(url("detail", letter.pk)).status_code == 404


def test_detail_reviewer_of_another_department_is_404(cast, as_user):
    letter = cast.letter(S.QUEUED)

    assert as_user(cast.other_reviewer).get(url("detail", letter.pk)).status_code == 404


def test_detail_draft_shows_edit_submit_and_upload(cast, as_user):
    letter = cast.letter(S.DRAFT)

    response = as_user(cast.founder).get(url("detail", letter.pk))

    assert f'href="{url("edit", letter.pk)}"' in response.text
    assert f'action="{url("submit", letter.pk)}"' in response.text
    assert f'action="{url("attach", letter.pk)}"' in response.text
    assert f'action="{url("message", letter.pk)}"' not in response.text


def test_detail_shows_the_sla_due_date_and_reply_due(cast, as_user):
    letter = cast.letter(S.INFO_REQUESTED)

    response = as_user(cast.founder).get(url("detail", letter.pk))

    assert response.context["sla"] == "paused"
    assert "Founders' answer due" in response.text
    assert 'id="respond-panel"' in response.text


def _judged_on(response) -> str:
    match = re.search(r'<div class="card shadow-sm mb-4" id="letter-judged-on">(.*?)</dl>', response.text, re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def test_detail_shows_staff_the_facts_recorded_at_submission(cast, as_user):
    factories.verify_registration(cast.startup, "110-81-00777")
    letter = cast.letter(S.IN_REVIEW)
    # The founders change the startup after submitting: the page shows what was judged.
    cast.startup.sector, cast.startup.stage = "fintech", "revenue"
    cast.startup.save()

    shown = _judged_on(as_user(cast.reviewer).get(url("detail", letter.pk)))

    assert "Sector Software" in shown and "Stage Prototype" in shown
    assert "Business registration Verified: 110-81-00777" in shown
    assert _judged_on(as_user(cast.founder).get(url("detail", letter.pk))) == ""
    draft = as_user(cast.admin).get(url("detail", cast.letter(S.DRAFT).pk))
    assert draft.status_code == 200 and _judged_on(draft) == ""


def test_the_recorded_facts_read_in_korean(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    shown = _judged_on(as_user(cast.reviewer).get(url("detail", letter.pk), HTTP_ACCEPT_LANGUAGE="ko"))

    assert shown.startswith("심사 기준")
    assert "사업자 등록 확인되지 않음" in shown


# --- Founders' actions ----------------------------------------------------------------------


def test_submit_moves_the_draft_and_says_so(cast, as_user):
    letter = cast.letter(S.DRAFT)

    response = as_user(cast.founder).post(url("submit", letter.pk), follow=True)

    assert refreshed(letter).status == S.SUBMITTED
    assert follow_messages(response) == [
        "Your letter is submitted. It will be assigned to a reviewer shortly."
    ]


def test_submit_a_withdrawn_letter_changes_nothing(cast, as_user):
    letter = cast.letter(S.WITHDRAWN)

    response = as_user(cast.founder).post(url("submit", letter.pk), follow=True)

    assert refreshed(letter).status == S.WITHDRAWN
    assert response.status_code == 200
    assert follow_messages(response) == ["A letter that is Withdrawn cannot become Submitted."]
    assert letter.events.count() == 0


def test_submit_is_post_only(cast, as_user):
    letter = cast.letter(S.DRAFT)

    assert as_user(cast.founder).get(url("submit", letter.pk)).status_code == 405
    assert refreshed(letter).status == S.DRAFT


def test_submit_another_founders_letter_is_404(cast, as_user):
    letter = cast.letter(S.DRAFT)

    assert as_user(cast.other_founder).post(url("submit", letter.pk)).status_code == 404
    assert refreshed(letter).status == S.DRAFT


def test_withdraw_asks_for_confirmation_then_withdraws(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)
    client = as_user(cast.founder)

    confirm = client.get(url("withdraw", letter.pk))
    response = client.post(url("withdraw", letter.pk), {"reason": "Found another way."}, follow=True)

    assert "Withdraw the letter?" in confirm.text
    assert refreshed(letter).status == S.WITHDRAWN
    assert follow_messages(response) == ["The letter is withdrawn."]
    assert letter.events.get().note == "Found another way."


def test_withdraw_an_approved_letter_changes_nothing(cast, as_user):
    letter = cast.letter(S.APPROVED)

    response = as_user(cast.founder).post(url("withdraw", letter.pk), follow=True)

    assert refreshed(letter).status == S.APPROVED
    assert len(follow_messages(response)) == 1
    assert letter.events.count() == 0


def test_withdraw_by_the_reviewer_is_refused(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    assert as_user(cast.reviewer).post(url("withdraw", letter.pk)).status_code == 403
    assert refreshed(letter).status == S.IN_REVIEW


def test_attach_a_pdf_lists_it_and_the_download_streams_it(cast, as_user):
    letter = cast.letter(S.DRAFT)
    client = as_user(cast.founder)

    response = client.post(
        url("attach", letter.pk),
        {"attach-file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")},
        follow=True,
    )
    document = Attachment.objects.get(letter=letter)
    download = client.get(url("attachment", letter.pk, document.pk))

    assert follow_messages(response) == ["plan.pdf is attached."]
    assert f'href="{url("attachment", letter.pk, document.pk)}"' in response.text
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="plan.pdf"' in download["Content-Disposition"]


def test_attach_a_refused_type_shows_a_form_error(cast, as_user):
    letter = cast.letter(S.DRAFT)

    response = as_user(cast.founder).post(
        url("attach", letter.pk),
        {"attach-file": SimpleUploadedFile("notes.txt", b"just text " * 20, "text/plain")},
    )

    assert response.status_code == 200
    assert field_error(response, "attach-file").startswith("Only PDF, PNG, JPEG, ODT and DOCX")
    assert Attachment.objects.count() == 0


def test_attachment_download_by_another_founder_is_404(cast, as_user):
    document = factories.AttachmentFactory(letter=cast.letter(S.DRAFT))

    response = as_user(cast.other_founder).get(url("attachment", document.letter_id, document.pk))

    assert response.status_code == 404


def test_attachment_download_by_the_reviewer_of_the_queue(cast, as_user):
    document = factories.AttachmentFactory(letter=cast.letter(S.IN_REVIEW))

    response = as_user(cast.reviewer).get(url("attachment", document.letter_id, document.pk))

    assert response.status_code == 200


def test_post_message_adds_it_to_the_thread(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    response = as_user(cast.founder).post(
        url("message", letter.pk), {"msg-body": "Here is more."}, follow=True
    )

    assert list(Message.objects.filter(letter=letter).values_list("body", flat=True)) == ["Here is more."]
    assert follow_messages(response) == ["Your message is sent."]


def test_post_message_on_a_draft_is_refused(cast, as_user):
    letter = cast.letter(S.DRAFT)

    response = as_user(cast.founder).post(url("message", letter.pk), {"msg-body": "Hello?"}, follow=True)

    assert Message.objects.count() == 0
    assert follow_messages(response)[0].startswith("Messages can be written only while the letter is open")


def test_post_an_empty_message_shows_a_field_error(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    response = as_user(cast.founder).post(url("message", letter.pk), {"msg-body": ""})

    assert response.status_code == 200
    assert field_error(response, "msg-body") == "This field is required."
    assert Message.objects.count() == 0


def test_respond_with_a_revision_keeps_it_and_shows_the_diff(cast, as_user):
    letter = cast.letter(S.INFO_REQUESTED, subject="Old subject", body="Same line\nOld line")
    client = as_user(cast.founder)

    response = client.post(
        url("respond", letter.pk),
        {
            "respond-message": "Updated as asked.",
            "respond-subject": "New subject",
            "respond-body": "Same line\r\nNew line",
            "respond-requested_amount": "",
        },
        follow=True,
    )

    letter.refresh_from_db()
    revision = LetterRevision.objects.get(letter=letter)
    assert letter.status == S.IN_REVIEW
    assert (letter.subject, letter.body) == ("New subject", "Same line\nNew line")
    assert (revision.subject, revision.body) == ("Old subject", "Same line\nOld line")
    assert follow_messages(response) == ["Your answer is sent to the reviewer."]
    assert '<span class="diff-del">-Old line</span>' in response.text
    assert '<span class="diff-add">+New line</span>' in response.text


def test_respond_without_changes_keeps_no_revision(cast, as_user):
    letter = cast.letter(S.INFO_REQUESTED, subject="Subject", body="Body")

    as_user(cast.founder).post(
        url("respond", letter.pk),
        {"respond-message": "Just an answer.", "respond-subject": "Subject", "respond-body": "Body"},
    )

    assert refreshed(letter).status == S.IN_REVIEW
    assert LetterRevision.objects.count() == 0


def test_respond_by_the_reviewer_is_refused(cast, as_user):
    letter = cast.letter(S.INFO_REQUESTED)

    response = as_user(cast.reviewer).post(url("respond", letter.pk), {"respond-message": "x"})

    assert response.status_code == 403
    assert refreshed(letter).status == S.INFO_REQUESTED


# --- Reviewers ----------------------------------------------------------------------------------


def test_my_work_lists_held_letters_most_urgent_first_with_sla_badges(cast, as_user):
    now = timezone.now()
    later = cast.letter(S.IN_REVIEW, due_at=now + datetime.timedelta(days=30))
    overdue = cast.letter(S.IN_REVIEW, due_at=now - datetime.timedelta(hours=1))
    soon = cast.letter(S.IN_REVIEW, due_at=now + datetime.timedelta(minutes=30))
    cast.letter(S.IN_REVIEW, reviewer=cast.reviewer2)

    response = as_user(cast.reviewer).get(url("my-work"))

    assert response.status_code == 200
    assert [(letter.pk, sla) for letter, sla, _claim in response.context["rows"]] == [
        (overdue.pk, "overdue"),
        (soon.pk, "soon"),
        (later.pk, "on_time"),
    ]
    assert "Overdue" in response.text and "Due soon" in response.text and "On time" in response.text


def test_my_work_filters_overdue_and_category(cast, as_user):
    now = timezone.now()
    overdue = cast.letter(S.IN_REVIEW, due_at=now - datetime.timedelta(hours=1), category=Category.EXPO)
    cast.letter(S.IN_REVIEW, due_at=now - datetime.timedelta(hours=1), category=Category.OTHER)
    cast.letter(S.IN_REVIEW, due_at=now + datetime.timedelta(days=3), category=Category.EXPO)

    response = as_user(cast.reviewer).get(url("my-work"), {"overdue": "on", "category": "expo"})

    assert [letter.pk for letter in response.context["letters"]] == [overdue.pk]


def test_my_work_founder_is_refused(cast, as_user):
    assert as_user(cast.founder).get(url("my-work")).status_code == 403


def test_my_work_query_count_is_constant(cast, as_user, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            cast.letter(S.IN_REVIEW)

    assert_constant_queries(as_user(cast.reviewer), url("my-work"), add_rows, django_assert_num_queries)


def test_queue_list_shows_the_reviewers_queues_with_waiting_counts(cast, as_user):
    cast.letter(S.QUEUED)
    cast.letter(S.QUEUED)
    cast.letter(S.IN_REVIEW)

    response = as_user(cast.reviewer).get(url("queues"))

    assert [(queue.pk, queue.waiting) for queue in response.context["queues"]] == [(cast.queue.pk, 2)]
    assert f'href="{url("queue", cast.queue.pk)}"' in response.text


def test_queue_list_offers_my_work_only_to_whom_may_open_it(cast, as_user):
    my_work = f'href="{url("my-work")}"'

    as_admin = as_user(cast.admin).get(url("queues"))
    assert (as_admin.status_code, my_work in as_admin.text) == (200, False)
    assert as_user(cast.admin).get(url("my-work")).status_code == 403
    assert my_work in as_user(cast.reviewer).get(url("queues")).text


def test_queue_list_query_count_is_constant(cast, as_user, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            factories.ReviewQueueFactory(department=cast.department, reviewers=[cast.reviewer])
        # one letter in the queue: the annotation must not add a query per queue
        cast.letter(S.QUEUED)

    # the cast's own queue counts as the first row
    client = as_user(cast.reviewer)
    at_one = _queries_for(client, url("queues"))
    add_rows(2)
    with django_assert_num_queries(at_one):
        response = client.get(url("queues"))
    assert len(response.context["queues"]) == 3


def test_queue_shows_unassigned_letters_with_claim_buttons(cast, as_user):
    waiting = cast.letter(S.QUEUED)
    cast.letter(S.IN_REVIEW)

    response = as_user(cast.reviewer).get(url("queue", cast.queue.pk))

    assert [(letter.pk, can_claim) for letter, _sla, can_claim in response.context["rows"]] == [
        (waiting.pk, True)
    ]
    assert f'action="{url("claim", waiting.pk)}"' in response.text


def test_queue_of_another_department_is_404(cast, as_user):
    assert as_user(cast.reviewer).get(url("queue", cast.other_queue.pk)).status_code == 404


def test_queue_query_count_is_constant(cast, as_user, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            cast.letter(S.QUEUED)

    assert_constant_queries(
        as_user(cast.reviewer), url("queue", cast.queue.pk), add_rows, django_assert_num_queries
    )


def test_claim_takes_the_letter_and_opens_it(cast, as_user):
    letter = cast.letter(S.QUEUED)

    response = as_user(cast.reviewer).post(url("claim", letter.pk), {"next": url("queue", cast.queue.pk)})

    letter.refresh_from_db()
    assert (letter.status, letter.assignee) == (S.IN_REVIEW, cast.reviewer)
    assert response.url == url("detail", letter.pk)


def test_claim_a_letter_held_by_another_reviewer_changes_nothing(cast, as_user):
    letter = cast.letter(S.IN_REVIEW, reviewer=cast.reviewer2)

    response = as_user(cast.reviewer).post(
        url("claim", letter.pk), {"next": url("queue", cast.queue.pk)}, follow=True
    )

    assert refreshed(letter).assignee == cast.reviewer2
    assert response.redirect_chain[0][0] == url("queue", cast.queue.pk)
    assert follow_messages(response) == ["Another reviewer already holds this letter."]


def test_claim_by_an_approver_is_refused(cast, as_user):
    letter = cast.letter(S.QUEUED)

    assert as_user(cast.approver).post(url("claim", letter.pk)).status_code == 403
    assert refreshed(letter).status == S.QUEUED


def test_claim_next_outside_the_site_is_ignored(cast, as_user):
    letter = cast.letter(S.IN_REVIEW, reviewer=cast.reviewer2)

    response = as_user(cast.reviewer).post(url("claim", letter.pk), {"next": "https://evil.example/"})

    assert response.url == url("detail", letter.pk)


def test_detail_holder_sees_the_review_forms(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    holder = as_user(cast.reviewer).get(url("detail", letter.pk))
    other = as_user(cast.reviewer2).get(url("detail", letter.pk))

    assert 'id="review-panel"' in holder.text
    assert 'id="review-panel"' not in other.text


def test_request_info_asks_the_founders(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    response = as_user(cast.reviewer).post(
        url("request-info", letter.pk), {"info-message": "Which city?"}, follow=True
    )

    letter.refresh_from_db()
    assert letter.status == S.INFO_REQUESTED
    assert list(letter.messages.values_list("body", flat=True)) == ["Which city?"]
    assert follow_messages(response)[0].startswith("Your question is sent to the founders")


def test_recommend_approval_hands_the_letter_to_an_approver(cast, as_user):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("5000.00"))

    response = as_user(cast.reviewer).post(
        url("recommend", letter.pk),
        {"rec-recommendation": "approve", "rec-amount": "4000", "rec-comment": "Good."},
        follow=True,
    )

    letter.refresh_from_db()
    assert (letter.status, letter.recommended_amount, letter.reviewed_by) == (
        S.PENDING_APPROVAL,
        Decimal("4000.00"),
        cast.reviewer,
    )
    assert letter.assignee is not None
    assert follow_messages(response) == [
        "Your recommendation is recorded; the letter awaits an approver's decision."
    ]


def test_recommend_above_the_requested_amount_shows_a_field_error(cast, as_user):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("5000.00"))

    response = as_user(cast.reviewer).post(
        url("recommend", letter.pk), {"rec-recommendation": "approve", "rec-amount": "9000"}
    )

    assert response.status_code == 200
    assert field_error(response, "rec-amount") == "The amount cannot be more than the founders asked for."
    assert refreshed(letter).status == S.IN_REVIEW


def test_recommend_by_a_reviewer_who_does_not_hold_it_changes_nothing(cast, as_user):
    letter = cast.letter(S.IN_REVIEW)

    response = as_user(cast.reviewer2).post(
        url("recommend", letter.pk), {"rec-recommendation": "reject"}, follow=True
    )

    assert refreshed(letter).status == S.IN_REVIEW
    assert follow_messages(response) == ["Only the reviewer who holds this letter may do this."]


# --- Approvers ----------------------------------------------------------------------------------


def test_awaiting_lists_what_the_approver_may_decide(cast, as_user):
    mine = cast.letter(S.PENDING_APPROVAL)
    cast.letter(S.PENDING_APPROVAL, approver=cast.approver_low)

    response = as_user(cast.approver).get(url("awaiting"))

    assert [letter.pk for letter in response.context["letters"]] == [mine.pk]


@pytest.mark.parametrize("who", ["founder", "reviewer"])
def test_awaiting_is_refused_to_other_roles(cast, as_user, who):
    assert as_user(getattr(cast, who)).get(url("awaiting")).status_code == 403


def test_awaiting_query_count_is_constant(cast, as_user, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            cast.letter(S.PENDING_APPROVAL)

    assert_constant_queries(as_user(cast.approver), url("awaiting"), add_rows, django_assert_num_queries)


def test_decision_form_shows_the_handlers_facts(cast, as_user):
    program = factories.ProgramFactory(name="Seed grants", budget=Decimal("900000.00"))
    letter = factories.subsidy_letter(
        program=program,
        startup=cast.startup,
        author=cast.founder,
        amount=Decimal("1000.00"),
        queue=cast.queue,
        reviewed_by=cast.reviewer,
        assignee=cast.approver,
    )

    response = as_user(cast.approver).get(url("detail", letter.pk))

    assert 'id="decision-panel"' in response.text
    assert 'id="letter-facts"' in response.text
    facts = {fact["label"]: fact["value"] for fact in response.context["facts"]}
    assert facts["Program"] == "Seed grants"
    assert facts["Available"] == "900,000.00"


def test_decide_approve_approves_and_says_so(cast, as_user):
    letter = cast.letter(S.PENDING_APPROVAL, requested_amount=Decimal("1000.00"))

    response = as_user(cast.approver).post(
        url("decide", letter.pk), {"dec-decision": "approve", "dec-amount": ""}, follow=True
    )

    letter.refresh_from_db()
    assert (letter.status, letter.decided_amount) == (S.APPROVED, Decimal("1000.00"))
    assert follow_messages(response) == ["The letter is approved."]


def test_decide_above_the_approval_limit_changes_nothing(cast, as_user):
    letter = cast.letter(S.PENDING_APPROVAL, requested_amount=Decimal("500000.00"), approver=None)

    response = as_user(cast.approver_low).post(
        url("decide", letter.pk), {"dec-decision": "approve"}, follow=True
    )

    assert refreshed(letter).status == S.PENDING_APPROVAL
    assert follow_messages(response) == ["This amount is above your approval limit."]


def test_decide_by_the_reviewer_of_record_is_refused(cast, as_user):
    letter = cast.letter(S.PENDING_APPROVAL, reviewer=cast.reviewer_approver, approver=None)

    response = as_user(cast.reviewer_approver).post(url("decide", letter.pk), {"dec-decision": "approve"})

    assert response.status_code == 403
    assert refreshed(letter).status == S.PENDING_APPROVAL


def test_decide_with_an_unknown_decision_shows_a_field_error(cast, as_user):
    letter = cast.letter(S.PENDING_APPROVAL)

    response = as_user(cast.approver).post(url("decide", letter.pk), {"dec-decision": "maybe"})

    assert response.status_code == 200
    assert "Select a valid choice." in field_error(response, "dec-decision")
    assert refreshed(letter).status == S.PENDING_APPROVAL


# --- Routing pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["admin-departments", "admin-queues", "admin-rules", "admin-dry-run", "admin-preview"]
)
def test_routing_pages_render_for_admins_and_refuse_founders(cast, as_user, name):
    assert as_user(cast.admin).get(url(name)).status_code == 200
    assert as_user(cast.founder).get(url(name)).status_code == 403


def test_admin_queues_show_reviewers_capacity_sla_and_default(cast, as_user):
    cast.queue.is_default = True
    cast.queue.save()

    response = as_user(cast.admin).get(url("admin-queues"))

    assert cast.reviewer.username in response.text
    assert f'href="{reverse("admin:applications_reviewqueue_change", args=[cast.queue.pk])}"' in response.text
    assert ">default<" in response.text


def test_admin_queues_query_count_is_constant(cast, as_user, django_assert_num_queries):
    # the cast already has two queues; measure with them, then add more
    client = as_user(cast.admin)
    at_two = _queries_for(client, url("admin-queues"))
    factories.ReviewQueueFactory(department=cast.department, reviewers=[cast.reviewer, cast.reviewer2])
    with django_assert_num_queries(at_two):
        response = client.get(url("admin-queues"))
    assert len(response.context["queues"]) == 3


def test_admin_departments_query_count_is_constant(cast, as_user, django_assert_num_queries):
    client = as_user(cast.admin)
    at_two = _queries_for(client, url("admin-departments"))
    factories.DepartmentFactory()
    with django_assert_num_queries(at_two):
        response = client.get(url("admin-departments"))
    assert len(response.context["departments"]) == 3


def _ruleset(version, status, *rules):
    ruleset = RuleSet.objects.create(version=version, status=status)
    for order, (queue, category) in enumerate(rules, start=1):
        RoutingRule.objects.create(ruleset=ruleset, order=order, queue=queue, category=category)
    return ruleset


def test_admin_rules_show_the_active_and_draft_rule_sets(cast, as_user, django_assert_num_queries):
    active = _ruleset(1, RuleSet.State.ACTIVE, (cast.queue, "subsidy"))
    draft = _ruleset(2, RuleSet.State.DRAFT, (cast.other_queue, "subsidy"))
    _ruleset(3, RuleSet.State.RETIRED, (cast.queue, "expo"))
    client = as_user(cast.admin)

    response = client.get(url("admin-rules"))
    at_one_rule = _queries_for(client, url("admin-rules"))
    RoutingRule.objects.create(ruleset=draft, order=2, queue=cast.queue, category="expo")
    RoutingRule.objects.create(ruleset=draft, order=3, queue=cast.queue, category="space")
    with django_assert_num_queries(at_one_rule):
        client.get(url("admin-rules"))

    assert [ruleset.pk for ruleset in response.context["rulesets"]] == [active.pk, draft.pk]
    assert f'href="{url("admin-dry-run")}?ruleset={draft.pk}"' in response.text


def test_dry_run_lists_letters_that_would_move(cast, as_user):
    cast.queue.is_default = True
    cast.queue.save()
    draft = _ruleset(1, RuleSet.State.DRAFT, (cast.other_queue, "expo"))
    moving = cast.letter(S.QUEUED, category="expo", subject="Booth at the fair")
    cast.letter(S.QUEUED, category="space")

    response = as_user(cast.admin).get(url("admin-dry-run"), {"ruleset": draft.pk})

    assert [row["move"].letter_id for row in response.context["rows"]] == [moving.pk]
    assert response.context["rows"][0]["draft"] == cast.other_queue.name
    assert "Booth at the fair" in response.text


def test_preview_names_the_queue_a_sample_letter_would_go_to(cast, as_user):
    _ruleset(1, RuleSet.State.ACTIVE, (cast.other_queue, "expo"))

    response = as_user(cast.admin).get(url("admin-preview"), {"category": "expo", "subject": "A booth"})

    assert response.context["preview"].queue == cast.other_queue
    assert 'id="preview-result"' in response.text


# --- Notifications ------------------------------------------------------------------------------


def _notification(user, subject="Hello", link=""):
    return Notification.objects.create(recipient=user, subject=subject, link=link)


def test_navbar_shows_the_unread_count(cast, as_user):
    _notification(cast.founder)
    _notification(cast.founder)
    Notification.objects.create(recipient=cast.founder, subject="Old", read_at=timezone.now())

    response = as_user(cast.founder).get(url("mine"))

    assert re.search(r'id="unread-count">2<', response.text)


def test_notification_list_and_mark_one_read(cast, as_user):
    first = _notification(cast.founder, "First", link="/letters/")
    _notification(cast.founder, "Second")
    client = as_user(cast.founder)

    page = client.get(reverse("notifications:list"))
    response = client.post(reverse("notifications:read", args=[first.pk]), {"open": "1"})

    assert [n.subject for n in page.context["notifications"]] == ["Second", "First"]
    assert response.url == "/letters/"
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_notification_mark_all_read(cast, as_user):
    _notification(cast.founder)
    _notification(cast.founder)
    theirs = _notification(cast.other_founder)

    response = as_user(cast.founder).post(reverse("notifications:read-all"), follow=True)

    assert Notification.objects.filter(recipient=cast.founder, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert follow_messages(response) == ["All notifications are marked read."]


def test_notification_of_another_user_is_404(cast, as_user):
    theirs = _notification(cast.other_founder)

    assert as_user(cast.founder).post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_notification_open_link_outside_the_site_is_not_followed(cast, as_user):
    notification = _notification(cast.founder, link="https://evil.example/")

    response = as_user(cast.founder).post(
        reverse("notifications:read", args=[notification.pk]), {"open": "1"}
    )

    assert response.url == reverse("notifications:list")


def test_notification_list_query_count_is_constant(cast, as_user, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            _notification(cast.founder)

    assert_constant_queries(
        as_user(cast.founder),
        reverse("notifications:list"),
        add_rows,
        django_assert_num_queries,
        "notifications",
    )


# --- Navigation and landing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "landing"),
    [("founder", "letters:mine"), ("reviewer", "letters:my-work"), ("approver", "letters:awaiting")],
)
def test_home_lands_each_role_on_what_they_must_do(cast, as_user, who, landing):
    response = as_user(getattr(cast, who)).get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse(landing)


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("founder", ["mine", "compose"], ["my-work", "awaiting", "admin-queues"]),
        ("reviewer", ["my-work", "queues"], ["mine", "awaiting", "admin-queues"]),
        ("approver", ["awaiting"], ["mine", "my-work", "admin-queues"]),
        ("admin", ["admin-queues"], ["mine", "my-work", "awaiting"]),
    ],
)
def test_navigation_links_by_role(cast, as_user, who, shown, hidden):
    nav = (
        as_user(getattr(cast, who))
        .get(reverse("notifications:list"))
        .text.split('id="main-nav"')[1]
        .split("</ul>")[0]
    )

    for name in shown:
        assert f'href="{url(name)}"' in nav
    for name in hidden:
        assert f'href="{url(name)}"' not in nav


# --- Korean -------------------------------------------------------------------------------------


def test_my_letters_renders_in_korean(cast, as_user):
    cast.letter(S.DRAFT, subject="보조금 신청")
    client = as_user(cast.founder)

    response = client.get(url("mine"), HTTP_ACCEPT_LANGUAGE="ko")

    assert '<html lang="ko">' in response.text
    assert '<h1 class="h3 mb-0">내 서신</h1>' in response.text
    assert "작성 중" in response.text  # the status "Draft"
    assert "보조금 신청" in response.text
