"""/api/v1/letters/: the contract, every action by every role, lists, timeline, attachments."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from applications.enums import Category, Status
from applications.models import Attachment, Letter, LetterEvent, Message
from applications.serializers import SUBMITTED_FACTS, LetterSerializer
from core.exceptions import StateConflict
from tests import factories

from .letters_cast import RecordingHandler, handler_registered, make_cast
from .test_services import EXE, PDF

S = Status
URL = "/api/v1/letters/"


@pytest.fixture
def cast(db):
    return make_cast()


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def as_(cast, name) -> APIClient:
    return client_for(cast.fresh(getattr(cast, name)))


# --- create, read, edit ------------------------------------------------------------------------


def test_create_draft(cast):
    response = as_(cast, "founder").post(
        URL,
        {
            "startup": cast.startup.pk,
            "category": "space",
            "subject": "A desk",
            "body": "Please.",
            "space": {"kind": "desk", "seats": 2, "starts_on": "2027-01-04", "ends_on": "2027-07-01", "site": None},
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["status"] == "draft"
    assert Letter.objects.get(pk=response.data["id"]).author == cast.founder


def test_create_subsidy_letter_names_a_real_program(cast):
    program = factories.ProgramFactory()
    body = {
        "startup": cast.startup.pk,
        "category": "subsidy",
        "subject": "Grant",
        "body": "Please.",
        "requested_amount": "1500.00",
        "program": program.pk,
    }
    response = as_(cast, "founder").post(URL, body, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["requested_amount"], response.data["program"]) == ("1500.00", program.pk)
    response = as_(cast, "founder").post(URL, {**body, "program": program.pk + 1000}, format="json")
    assert response.status_code == 400
    assert set(response.data) == {"program"}


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"category": "subsidy"}, {"requested_amount"}),
        ({"category": "subsidy", "requested_amount": "10.00"}, {"program"}),
        ({"category": "castle"}, {"category"}),
        ({"requested_amount": "-1"}, {"requested_amount"}),
        ({"requested_amount": "abc"}, {"requested_amount"}),
        ({"requested_amount": "1e400"}, {"requested_amount"}),
        ({"requested_amount": "NaN"}, {"requested_amount"}),
        ({"requested_amount": "1.234"}, {"requested_amount"}),
        ({"requested_amount": "12345678901234567890"}, {"requested_amount"}),
        ({"program": 2**70}, {"program"}),
        ({"program": "x"}, {"program"}),
        ({"startup": 2**70}, {"startup"}),
        ({"startup": 999999}, {"startup"}),
        ({"startup": "abc"}, {"startup"}),
        ({"startup": None}, {"startup"}),
        ({"subject": ""}, {"subject"}),
        ({"subject": "x" * 201}, {"subject"}),
        ({"body": "nul \x00 byte"}, {"body"}),
    ],
)
def test_create_with_bad_input_is_400_and_creates_nothing(cast, payload, fields):
    body = {"startup": cast.startup.pk, "category": "other", "subject": "Desk", "body": "Please.", **payload}
    response = as_(cast, "founder").post(URL, body, format="json")
    assert response.status_code == 400, response.data
    assert set(response.data) == fields
    assert Letter.objects.count() == 0


def test_create_for_another_founders_startup_is_400(cast):
    response = as_(cast, "founder").post(
        URL,
        {"startup": cast.other_startup.pk, "category": "other", "subject": "x", "body": "y"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.data) == {"startup"}
    assert Letter.objects.count() == 0


@pytest.mark.parametrize("body", ["[1, 2]", "{not json", '"text"'])
def test_create_with_malformed_body_is_400(cast, body):
    response = as_(cast, "founder").post(URL, body, content_type="application/json")
    assert response.status_code == 400


def test_create_by_reviewer_is_403(cast):
    response = as_(cast, "reviewer").post(
        URL, {"startup": cast.startup.pk, "category": "other", "subject": "x", "body": "y"}, format="json"
    )
    assert response.status_code == 403
    assert Letter.objects.count() == 0


def test_create_anonymous_is_refused(cast):
    response = client_for(None).post(URL, {}, format="json")
    assert response.status_code in (401, 403)


def test_retrieve_has_the_contract_fields(cast):
    letter = cast.letter(S.IN_REVIEW, requested_amount=Decimal("1500"))
    data = as_(cast, "founder").get(f"{URL}{letter.pk}/").data
    contract = {
        "id",
        "startup",
        "category",
        "subject",
        "body",
        "requested_amount",
        "program",
        "status",
        "queue",
        "assignee",
        "due_at",
        "submitted_at",
        "decided_at",
    }
    extra = {"reply_due_at", "priority", "is_overdue", "decided_amount"}
    assert contract | extra <= set(data)
    assert (data["status"], data["assignee"], data["queue"]) == ("in_review", cast.reviewer.pk, cast.queue.pk)
    assert data["requested_amount"] == "1500.00"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("founder", 200),
        ("cofounder", 200),
        ("reviewer", 200),
        ("reviewer2", 200),
        ("approver", 200),
        ("admin", 200),
        ("other_founder", 404),
        ("other_reviewer", 404),
    ],
)
def test_retrieve_visibility(cast, who, expected):
    letter = cast.letter(S.QUEUED)
    assert as_(cast, who).get(f"{URL}{letter.pk}/").status_code == expected


def test_retrieve_draft_is_hidden_from_staff_but_admin(cast):
    letter = cast.letter(S.DRAFT)
    assert as_(cast, "reviewer").get(f"{URL}{letter.pk}/").status_code == 404
    assert as_(cast, "admin").get(f"{URL}{letter.pk}/").status_code == 200


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999", "abc"])
def test_retrieve_unknown_is_404(cast, pk):
    assert as_(cast, "founder").get(f"{URL}{pk}/").status_code == 404


def test_patch_draft(cast):
    letter = cast.letter(S.DRAFT)
    response = as_(cast, "founder").patch(
        f"{URL}{letter.pk}/", {"subject": "Better", "requested_amount": "10.50"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert (response.data["subject"], response.data["requested_amount"]) == ("Better", "10.50")


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [("founder", S.IN_REVIEW, 409), ("reviewer", S.IN_REVIEW, 403), ("other_founder", S.DRAFT, 404)],
)
def test_patch_refused(cast, who, status, expected):
    letter = cast.letter(status)
    response = as_(cast, who).patch(f"{URL}{letter.pk}/", {"subject": "Changed"}, format="json")
    assert response.status_code == expected
    letter.refresh_from_db()
    assert letter.subject != "Changed"


def test_put_is_not_allowed(cast):
    letter = cast.letter(S.DRAFT)
    assert as_(cast, "founder").put(f"{URL}{letter.pk}/", {}, format="json").status_code == 405


def test_submit_records_the_facts_the_letter_is_judged_on_and_shows_them(cast):
    factories.verify_registration(cast.startup, "110-81-00777")
    letter = cast.letter(S.DRAFT)
    client = as_(cast, "founder")

    submitted = client.post(f"{URL}{letter.pk}/submit/").data
    # The founders change their startup afterwards: the letter keeps what it was judged on.
    assert client.patch(f"/api/v1/startups/{cast.startup.pk}/", {"stage": "revenue"}, format="json").status_code == 200
    shown = as_(cast, "admin").get(f"{URL}{letter.pk}/").data
    listed = next(row for row in client.get(URL).data["results"] if row["id"] == letter.pk)

    facts = {name: shown[name] for name in SUBMITTED_FACTS}
    assert facts == {
        "submitted_sector": "software",
        "submitted_stage": "prototype",
        "submitted_stage_since": submitted["submitted_stage_since"],
        "submitted_is_registered": True,
        "submitted_registration_number": "110-81-00777",
    }
    assert {name: listed[name] for name in SUBMITTED_FACTS} == facts
    letter.refresh_from_db()
    assert sorted(letter.conflicted_ids) == sorted([cast.founder.pk, cast.cofounder.pk])


def test_a_draft_has_no_facts_yet(cast):
    data = as_(cast, "founder").get(f"{URL}{cast.letter(S.DRAFT).pk}/").data

    assert [data[name] for name in SUBMITTED_FACTS] == ["", "", None, None, ""]


@pytest.mark.parametrize(
    "body",
    [
        {"submitted_sector": "biotech"},
        {"submitted_is_registered": True, "subject": "Changed"},
        {"submitted_registration_number": "110-81-99999"},
    ],
)
@pytest.mark.parametrize("status", [S.DRAFT, S.INFO_REQUESTED])
def test_patch_cannot_set_the_recorded_facts(cast, body, status):
    letter = cast.letter(status)
    before = {name: getattr(letter, name) for name in (*Letter.SUBMISSION_RECORD, "subject")}

    response = as_(cast, "founder").patch(f"{URL}{letter.pk}/", body, format="json")

    assert response.status_code == 400
    assert set(response.data) == set(body) - {"subject"}
    letter.refresh_from_db()
    assert {name: getattr(letter, name) for name in before} == before


def test_revisions_show_the_diff(cast):
    letter = cast.letter(S.INFO_REQUESTED, body="We need one desk.")
    client = as_(cast, "founder")
    assert (
        client.patch(
            f"{URL}{letter.pk}/", {"body": "We need two desks.", "reason": "Grew"}, format="json"
        ).status_code
        == 200
    )
    [revision] = as_(cast, "reviewer").get(f"{URL}{letter.pk}/revisions/").data
    assert (revision["number"], revision["reason"], revision["body"]) == (1, "Grew", "We need one desk.")
    assert "-We need one desk." in revision["diff"] and "+We need two desks." in revision["diff"]


# --- actions, by every role ---------------------------------------------------------------------

ACTION_CASES = {
    # action: (status the letter is in, payload, {role: expected status code})
    "submit": (
        S.DRAFT,
        {},
        {
            "founder": 200,
            "cofounder": 200,
            "admin": 403,
            "other_founder": 404,
            "reviewer": 404,
            "approver": 404,
        },
    ),
    "withdraw": (
        S.IN_REVIEW,
        {"reason": "Changed plans"},
        {
            "founder": 200,
            "cofounder": 200,
            "reviewer": 403,
            "approver": 403,
            "admin": 403,
            "other_founder": 404,
            "other_reviewer": 404,
        },
    ),
    "claim": (
        S.QUEUED,
        {},
        {
            "reviewer2": 200,
            "reviewer_approver": 200,
            "founder": 403,
            "approver": 403,
            "admin": 403,
            "other_founder": 404,
            "other_reviewer": 404,
        },
    ),
    "request-info": (
        S.IN_REVIEW,
        {"message": "Which floor?"},
        {
            "reviewer": 200,
            "reviewer2": 403,
            "founder": 403,
            "approver": 403,
            "admin": 403,
            "other_founder": 404,
            "other_reviewer": 404,
        },
    ),
    "respond": (
        S.INFO_REQUESTED,
        {"message": "The third."},
        {
            "founder": 200,
            "cofounder": 200,
            "reviewer": 403,
            "approver": 403,
            "admin": 403,
            "other_founder": 404,
            "other_reviewer": 404,
        },
    ),
    "recommend": (
        S.IN_REVIEW,
        {"recommendation": "approve", "comment": "Good", "amount": "1000.00"},
        {
            "reviewer": 200,
            "reviewer2": 403,
            "founder": 403,
            "approver": 403,
            "admin": 403,
            "other_founder": 404,
            "other_reviewer": 404,
        },
    ),
    "decide": (
        S.PENDING_APPROVAL,
        {"decision": "approve", "comment": "Fine"},
        {
            "approver": 200,
            "approver_low": 403,
            "reviewer_approver": 403,
            "reviewer": 403,
            "founder": 403,
            "admin": 403,
            "other_founder": 404,
            "other_reviewer": 404,
        },
    ),
}
TARGETS = {
    "submit": "submitted",
    "withdraw": "withdrawn",
    "claim": "in_review",
    "request-info": "info_requested",
    "respond": "in_review",
    "recommend": "pending_approval",
    "decide": "approved",
}


@pytest.mark.parametrize(
    ("action", "who", "expected"),
    [(action, who, code) for action, (_s, _p, roles) in ACTION_CASES.items() for who, code in roles.items()],
)
def test_action_by_role(cast, action, who, expected):
    status, payload, _roles = ACTION_CASES[action]
    letter = cast.letter(status, requested_amount=Decimal("5000.00"))
    events_before = LetterEvent.objects.filter(letter=letter).count()
    response = as_(cast, who).post(f"{URL}{letter.pk}/{action}/", payload, format="json")
    assert response.status_code == expected, response.data
    letter.refresh_from_db()
    if expected == 200:
        assert response.data["status"] == TARGETS[action] == letter.status
    else:
        assert letter.status == status
        assert LetterEvent.objects.filter(letter=letter).count() == events_before


@pytest.mark.parametrize(
    ("action", "status", "who", "payload"),
    [
        ("submit", S.IN_REVIEW, "founder", {}),
        ("withdraw", S.APPROVED, "founder", {}),
        ("claim", S.APPROVED, "reviewer", {}),
        ("claim", S.IN_REVIEW, "reviewer2", {}),  # held by another reviewer
        ("request-info", S.QUEUED, "reviewer", {"message": "?"}),
        ("respond", S.QUEUED, "founder", {"message": "?"}),
        ("recommend", S.QUEUED, "reviewer", {"recommendation": "approve"}),
        ("decide", S.IN_REVIEW, "approver", {"decision": "approve"}),
        ("decide", S.REJECTED, "approver", {"decision": "approve"}),
    ],
)
def test_action_the_status_forbids_is_409(cast, action, status, who, payload):
    letter = cast.letter(status)
    response = as_(cast, who).post(f"{URL}{letter.pk}/{action}/", payload, format="json")
    assert response.status_code == 409, response.data
    assert "detail" in response.data
    letter.refresh_from_db()
    assert letter.status == status


def test_action_repeated_is_idempotent(cast):
    letter = cast.letter(S.DRAFT)
    client = as_(cast, "founder")
    assert client.post(f"{URL}{letter.pk}/submit/").status_code == 200
    assert client.post(f"{URL}{letter.pk}/submit/").status_code == 200
    assert LetterEvent.objects.filter(letter=letter, to_status="submitted").count() == 1


def test_decide_above_limit_is_403(cast):
    letter = cast.letter(S.PENDING_APPROVAL, approver=None, requested_amount=Decimal("5000000.00"))
    response = as_(cast, "approver_low").post(
        f"{URL}{letter.pk}/decide/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 403
    response = as_(cast, "approver").post(f"{URL}{letter.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 200
    assert response.data["decided_amount"] == "5000000.00"


def test_decide_by_the_reviewer_who_recommended_is_403(cast):
    letter = cast.letter(
        S.IN_REVIEW, reviewer=cast.reviewer_approver, requested_amount=Decimal("20000000.00")
    )
    client = as_(cast, "reviewer_approver")
    response = client.post(f"{URL}{letter.pk}/recommend/", {"recommendation": "approve"}, format="json")
    assert (response.status_code, response.data["assignee"]) == (200, None)  # nobody else's limit covers it
    response = client.post(f"{URL}{letter.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.status == S.PENDING_APPROVAL


def test_decide_refused_by_the_budget_is_409_and_stays_pending(cast):
    letter = cast.letter(
        S.PENDING_APPROVAL, category=Category.REGISTRATION, requested_amount=Decimal("100.00")
    )
    refusing = RecordingHandler(refuse_approval=StateConflict("The budget cannot cover it."))
    with handler_registered(Category.REGISTRATION, refusing):
        response = as_(cast, "approver").post(
            f"{URL}{letter.pk}/decide/", {"decision": "approve"}, format="json"
        )
    assert response.status_code == 409
    assert response.data == {"detail": "The budget cannot cover it."}
    letter.refresh_from_db()
    assert letter.status == S.PENDING_APPROVAL


@pytest.mark.parametrize(
    ("action", "status", "who", "payload", "field"),
    [
        ("recommend", S.IN_REVIEW, "reviewer", {"recommendation": "maybe"}, "recommendation"),
        ("recommend", S.IN_REVIEW, "reviewer", {"recommendation": "approve", "amount": "abc"}, "amount"),
        ("recommend", S.IN_REVIEW, "reviewer", {"recommendation": "approve", "amount": "1e400"}, "amount"),
        ("recommend", S.IN_REVIEW, "reviewer", {"recommendation": "approve", "amount": "-5"}, "amount"),
        ("recommend", S.IN_REVIEW, "reviewer", {"recommendation": "approve", "amount": "6000.00"}, "amount"),
        ("decide", S.PENDING_APPROVAL, "approver", {"decision": "yes"}, "decision"),
        ("decide", S.PENDING_APPROVAL, "approver", {"decision": "approve", "amount": "Infinity"}, "amount"),
        ("decide", S.PENDING_APPROVAL, "approver", {}, "decision"),
        ("request-info", S.IN_REVIEW, "reviewer", {}, "message"),
        ("request-info", S.IN_REVIEW, "reviewer", {"message": "   "}, "message"),
        (
            "respond",
            S.INFO_REQUESTED,
            "founder",
            {"message": "ok", "requested_amount": "x"},
            "requested_amount",
        ),
    ],
)
def test_action_with_bad_input_is_400(cast, action, status, who, payload, field):
    letter = cast.letter(status, requested_amount=Decimal("5000.00"))
    response = as_(cast, who).post(f"{URL}{letter.pk}/{action}/", payload, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data
    letter.refresh_from_db()
    assert letter.status == status


def test_respond_with_revision(cast):
    letter = cast.letter(S.INFO_REQUESTED, requested_amount=Decimal("5000.00"))
    response = as_(cast, "founder").post(
        f"{URL}{letter.pk}/respond/", {"message": "Cheaper now", "requested_amount": "4000.00"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["requested_amount"]) == ("in_review", "4000.00")
    assert letter.revisions.count() == 1


def test_request_info_shows_reply_due_date(cast, settings):
    settings.INFO_REPLY_DAYS = 7
    letter = cast.letter(S.IN_REVIEW)
    response = as_(cast, "reviewer").post(f"{URL}{letter.pk}/request-info/", {"message": "?"}, format="json")
    assert response.status_code == 200
    founder_view = as_(cast, "founder").get(f"{URL}{letter.pk}/").data
    assert founder_view["reply_due_at"] is not None
    assert founder_view["reply_due_at"] == response.data["reply_due_at"]


# --- timeline and messages ---------------------------------------------------------------------


def test_events_are_the_timeline_oldest_first(cast):
    client = as_(cast, "founder")
    created = client.post(
        URL, {"startup": cast.startup.pk, "category": "other", "subject": "x", "body": "y"}, format="json"
    ).data
    client.post(f"{URL}{created['id']}/submit/")
    client.post(f"{URL}{created['id']}/withdraw/", {"reason": "Oops"}, format="json")
    response = client.get(f"{URL}{created['id']}/events/")
    assert response.status_code == 200
    assert [(e["kind"], e["from_status"], e["to_status"], e["actor"]) for e in response.data] == [
        ("created", "", "draft", cast.founder.username),
        ("status", "draft", "submitted", cast.founder.username),
        ("status", "submitted", "withdrawn", cast.founder.username),
    ]
    assert response.data[-1]["note"] == "Oops"
    assert set(response.data[0]) == {"at", "actor", "kind", "from_status", "to_status", "note"}


@pytest.mark.parametrize("endpoint", ["events", "messages", "attachments", "revisions"])
def test_sub_lists_of_a_hidden_letter_are_404(cast, endpoint):
    letter = cast.letter(S.IN_REVIEW)
    assert as_(cast, "other_founder").get(f"{URL}{letter.pk}/{endpoint}/").status_code == 404
    assert as_(cast, "founder").get(f"{URL}{letter.pk}/{endpoint}/").status_code == 200


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("founder", 201),
        ("reviewer", 201),
        ("reviewer2", 201),
        ("approver", 403),
        ("admin", 403),
        ("other_founder", 404),
    ],
)
def test_post_message_by_role(cast, who, expected):
    letter = cast.letter(S.IN_REVIEW)
    response = as_(cast, who).post(f"{URL}{letter.pk}/messages/", {"body": "Hello"}, format="json")
    assert response.status_code == expected, response.data
    assert Message.objects.filter(letter=letter).count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert (response.data["author"], response.data["body"]) == (getattr(cast, who).username, "Hello")


def test_post_message_on_decided_letter_is_409(cast):
    letter = cast.letter(S.APPROVED)
    assert (
        as_(cast, "founder")
        .post(f"{URL}{letter.pk}/messages/", {"body": "Thanks"}, format="json")
        .status_code
        == 409
    )


def test_post_empty_message_is_400(cast):
    letter = cast.letter(S.IN_REVIEW)
    assert (
        as_(cast, "founder").post(f"{URL}{letter.pk}/messages/", {"body": ""}, format="json").status_code
        == 400
    )


def test_messages_list_the_thread(cast):
    letter = cast.letter(S.IN_REVIEW)
    as_(cast, "reviewer").post(f"{URL}{letter.pk}/request-info/", {"message": "Which floor?"}, format="json")
    as_(cast, "founder").post(f"{URL}{letter.pk}/respond/", {"message": "Third"}, format="json")
    data = as_(cast, "reviewer").get(f"{URL}{letter.pk}/messages/").data
    assert [(m["author"], m["body"]) for m in data] == [
        (cast.reviewer.username, "Which floor?"),
        (cast.founder.username, "Third"),
    ]


# --- lists ---------------------------------------------------------------------------------------


def test_list_shows_founders_only_their_letters(cast):
    mine = cast.letter(S.DRAFT)
    factories.letter_in_state(
        S.QUEUED, queue=cast.other_queue, startup=cast.other_startup, author=cast.other_founder
    )
    response = as_(cast, "founder").get(URL)
    assert response.status_code == 200
    assert set(response.data) >= {"results", "next", "previous"}
    assert [row["id"] for row in response.data["results"]] == [mine.pk]


def test_list_for_staff_is_their_department(cast):
    ours = cast.letter(S.QUEUED)
    theirs = factories.letter_in_state(
        S.QUEUED, queue=cast.other_queue, startup=cast.other_startup, author=cast.other_founder
    )
    assert [r["id"] for r in as_(cast, "approver").get(URL).data["results"]] == [ours.pk]
    assert [r["id"] for r in as_(cast, "other_reviewer").get(URL).data["results"]] == [theirs.pk]
    assert [r["id"] for r in as_(cast, "admin").get(URL).data["results"]] == [theirs.pk, ours.pk]


def test_list_filters(cast):
    queued = cast.letter(S.QUEUED, category=Category.SPACE, subject="Desk in Mapo")
    held = cast.letter(S.IN_REVIEW, is_overdue=True, body="About a showroom")
    other_queue = factories.letter_in_state(
        S.IN_REVIEW,
        queue=cast.other_queue,
        reviewer=cast.reviewer,
        startup=cast.other_startup,
        author=cast.other_founder,
    )
    client = as_(cast, "reviewer")

    def ids(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.data
        return [row["id"] for row in response.data["results"]]

    assert ids("?status=queued") == [queued.pk]
    assert ids("?category=space") == [queued.pk]
    assert ids("?assignee=me") == [other_queue.pk, held.pk]
    assert ids("?assignee=none") == [queued.pk]
    assert ids(f"?assignee={cast.reviewer.pk}") == [other_queue.pk, held.pk]
    assert ids("?overdue=true") == [held.pk]
    assert ids("?overdue=false") == [other_queue.pk, queued.pk]
    assert ids(f"?queue={cast.queue.pk}") == [held.pk, queued.pk]
    assert ids(f"?startup={cast.other_startup.pk}") == [other_queue.pk]
    assert ids("?search=mapo") == [queued.pk]
    assert ids("?search=showroom") == [held.pk]


@pytest.mark.parametrize(
    "query",
    [
        "?status=lost",
        "?category=castle",
        "?assignee=someone",
        "?queue=abc",
        "?overdue=perhaps",
        "?startup=99999999999999999999999",
        "?cursor=garbage",
    ],
)
def test_list_with_bad_filter_is_400_or_404(cast, query):
    response = as_(cast, "founder").get(URL + query)
    assert response.status_code in (400, 404)  # DRF answers a bad cursor with 404


def test_list_pages_with_a_cursor(cast):
    letters = [cast.letter(S.DRAFT) for _ in range(3)]
    client = as_(cast, "founder")
    first = client.get(URL + "?page_size=2").data
    assert [r["id"] for r in first["results"]] == [letters[2].pk, letters[1].pk]
    second = client.get(first["next"]).data
    assert [r["id"] for r in second["results"]] == [letters[0].pk]
    assert second["next"] is None


def test_list_row_is_the_letter_as_its_detail_shows_it(cast):
    """The list's rows are read as plain columns (no model instances): same fields, same
    formats as the letter's own resource."""
    letter = cast.letter(
        S.IN_REVIEW, reviewer=cast.reviewer, reviewed_by=cast.reviewer2, requested_amount=Decimal("1234.5")
    )
    letter.refresh_from_db()
    # What DRF itself makes of LetterSerializer's fields (its field-by-field representation).
    serializer = LetterSerializer(letter)
    expected = dict(super(LetterSerializer, serializer).to_representation(letter))
    assert expected["requested_amount"] == "1234.50"
    client = as_(cast, "reviewer")
    assert client.get(f"{URL}{letter.pk}/").data == expected
    for query in ("", "?assignee=me&status=in_review"):
        [row] = client.get(URL + query).data["results"]
        assert row == expected


def test_list_of_letters_i_hold_shows_only_those(cast):
    held = cast.letter(S.IN_REVIEW, reviewer=cast.reviewer)
    cast.letter(S.IN_REVIEW, reviewer=cast.reviewer2)
    cast.letter(S.QUEUED)
    response = as_(cast, "reviewer").get(URL + "?assignee=me")
    assert [row["id"] for row in response.data["results"]] == [held.pk]
    assert as_(cast, "founder").get(URL + "?assignee=me").data["results"] == []


@pytest.mark.parametrize("who", ["founder", "reviewer", "admin"])
def test_list_query_count_does_not_grow(cast, who, django_assert_num_queries):
    def make():
        letter = cast.letter(S.IN_REVIEW, reviewer=cast.reviewer, reviewed_by=cast.reviewer2)
        LetterEvent.objects.create(letter=letter, kind="status")
        return letter

    make()
    as_(cast, who).get(URL)  # warm up what is cached per process (content types...)
    # A fresh user each time: the caller's roles (1 query), the page of letters (1 query).
    client = as_(cast, who)
    with django_assert_num_queries(2):
        assert len(client.get(URL).data["results"]) == 1
    make(), make()
    client = as_(cast, who)
    with django_assert_num_queries(2):
        assert len(client.get(URL).data["results"]) == 3


# --- attachments -------------------------------------------------------------------------------


def upload(client, letter, name, content):
    return client.post(
        f"{URL}{letter.pk}/attachments/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def test_upload_pdf_and_download_it(cast):
    letter = cast.letter(S.DRAFT)
    response = upload(as_(cast, "founder"), letter, "business plan.pdf", PDF)
    assert response.status_code == 201, response.data
    assert (response.data["original_name"], response.data["content_type"], response.data["size"]) == (
        "business plan.pdf",
        "application/pdf",
        len(PDF),
    )
    listed = as_(cast, "cofounder").get(f"{URL}{letter.pk}/attachments/").data
    assert [a["id"] for a in listed] == [response.data["id"]]
    download = as_(cast, "cofounder").get(response.data["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "business plan.pdf" in download["Content-Disposition"]


@pytest.mark.parametrize(("name", "content"), [("x.pdf", EXE), ("x.pdf", b"plain text, not a PDF at all")])
def test_upload_disguised_file_is_400(cast, name, content):
    letter = cast.letter(S.DRAFT)
    response = upload(as_(cast, "founder"), letter, name, content)
    assert response.status_code == 400
    assert "file" in response.data
    assert Attachment.objects.count() == 0


def test_upload_over_ten_megabytes_is_400(cast):
    letter = cast.letter(S.DRAFT)
    response = upload(as_(cast, "founder"), letter, "big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "10 MB" in response.data["file"][0]
    assert Attachment.objects.count() == 0


def test_upload_without_file_is_400(cast):
    letter = cast.letter(S.DRAFT)
    response = as_(cast, "founder").post(f"{URL}{letter.pk}/attachments/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.data


@pytest.mark.parametrize(
    ("who", "status", "expected"),
    [("reviewer", S.INFO_REQUESTED, 403), ("other_founder", S.DRAFT, 404), ("founder", S.IN_REVIEW, 409)],
)
def test_upload_refused(cast, who, status, expected):
    letter = cast.letter(status)
    assert upload(as_(cast, who), letter, "a.pdf", PDF).status_code == expected
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("founder", 200),
        ("reviewer", 200),
        ("approver", 200),
        ("admin", 200),
        ("other_founder", 404),
        ("other_reviewer", 404),
    ],
)
def test_download_only_for_those_who_see_the_letter(cast, who, expected):
    letter = cast.letter(S.INFO_REQUESTED)
    attachment = factories.AttachmentFactory(letter=letter)
    response = as_(cast, who).get(f"{URL}{letter.pk}/attachments/{attachment.pk}/")
    assert response.status_code == expected


def test_download_through_another_letter_is_404(cast):
    mine = cast.letter(S.DRAFT)
    other = factories.letter_in_state(S.DRAFT, startup=cast.other_startup, author=cast.other_founder)
    foreign = factories.AttachmentFactory(letter=other)
    assert as_(cast, "founder").get(f"{URL}{mine.pk}/attachments/{foreign.pk}/").status_code == 404
    assert as_(cast, "founder").get(f"{URL}{mine.pk}/attachments/999999999/").status_code == 404


def test_download_of_file_missing_on_disk_is_404(cast):
    letter = cast.letter(S.DRAFT)
    attachment = factories.AttachmentFactory(letter=letter)
    attachment.file.storage.delete(attachment.file.name)
    assert as_(cast, "founder").get(f"{URL}{letter.pk}/attachments/{attachment.pk}/").status_code == 404


def test_submit_costs_a_fixed_number_of_statements(cast, django_assert_num_queries):
    # The intake benchmark's path. In the test's transaction the service's is a savepoint:
    # savepoint, the letter with its startup and author (locked), the founder's memberships,
    # the startup's members (the conflict-of-interest set recorded with the letter: one
    # query, the facts come with the startup's row), the update, the timeline event, release.
    # The acknowledgement is the router's.
    letter = cast.letter(S.DRAFT)
    client = as_(cast, "founder")
    with django_assert_num_queries(7):
        assert client.post(f"{URL}{letter.pk}/submit/").status_code == 200


@pytest.mark.parametrize("pk", ["0", "-1", str(2**63), "9" * 30, "abc"])
def test_an_action_on_an_impossible_id_is_404(cast, pk):
    assert as_(cast, "founder").post(f"{URL}{pk}/submit/").status_code == 404
