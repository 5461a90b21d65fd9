"""`available_actions` and the services agree: walk every status and role, take every action.

An action the page offers (a button) must go through: never a 403 or a 409. An action it does
not offer must be refused or change nothing.
"""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.actions import RULES, available_actions
from applications.enums import Status
from applications.models import Letter
from applications.services import drafts, review, thread
from core.exceptions import DomainError

from .letters_cast import make_cast

pytestmark = pytest.mark.django_db

ROLES = [
    "founder",
    "cofounder",
    "other_founder",
    "reviewer",
    "reviewer2",
    "approver",
    "approver_low",
    "reviewer_approver",
    "other_reviewer",
    "admin",
]


def take(action, letter, user):
    """The service behind each action, called as the page's form would."""
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    calls = {
        "edit": lambda: drafts.letter_update_draft(letter=letter, by=user, subject="Changed"),
        "submit": lambda: drafts.letter_submit(letter=letter, by=user),
        "withdraw": lambda: drafts.letter_withdraw(letter=letter, by=user),
        "attach": lambda: drafts.attachment_add(letter=letter, file=pdf, by=user),
        "respond": lambda: review.letter_respond(letter=letter, by=user, message="Here it is."),
        "message": lambda: thread.message_post(letter=letter, by=user, body="Hello."),
        "claim": lambda: review.letter_claim(letter=letter, by=user),
        "request_info": lambda: review.letter_request_info(letter=letter, by=user, message="Why?"),
        "recommend": lambda: review.letter_recommend(letter=letter, by=user, recommendation="approve"),
        "decide": lambda: review.letter_decide(letter=letter, by=user, decision="approve"),
    }
    return calls[action]()


def state(letter):
    fresh = Letter.objects.get(pk=letter.pk)
    return (
        fresh.status,
        fresh.assignee_id,
        fresh.subject,
        fresh.events.count(),
        fresh.messages.count(),
        fresh.attachments.count(),
    )


@pytest.mark.parametrize("status", Status.values)
def test_an_offered_action_succeeds_and_a_hidden_one_changes_nothing(status):
    cast = make_cast()
    for action, role in [(action, role) for action in sorted(RULES) for role in ROLES]:
        # A letter above approver_low's limit, held as a letter in that status is held.
        letter = cast.letter(status, requested_amount=Decimal("500000.00"))
        user = cast.fresh(getattr(cast, role))
        offered = action in available_actions(user, letter)
        before = state(letter)
        if offered:
            try:
                take(action, letter, user)
            except DomainError as exc:
                pytest.fail(f"{role} was offered {action} on a {status} letter, and was refused: {exc.message}")
        else:
            try:
                take(action, letter, user)
            except DomainError:
                pass
            assert state(letter) == before, f"{role} was not offered {action} on a {status} letter, yet it acted"


def test_each_role_is_offered_its_own_next_step():
    """The walk above passes trivially if nothing is ever offered: these are."""
    cast = make_cast()
    offers = {
        (Status.DRAFT, "founder"): {"edit", "submit", "withdraw", "attach"},
        (Status.SUBMITTED, "reviewer2"): {"claim", "message"},
        (Status.IN_REVIEW, "reviewer"): {"request_info", "recommend", "message"},
        (Status.INFO_REQUESTED, "cofounder"): {"edit", "attach", "respond", "message", "withdraw"},
        (Status.PENDING_APPROVAL, "approver"): {"decide", "message"},
    }
    for (status, role), expected in offers.items():
        letter = cast.letter(status, requested_amount=Decimal("500000.00"))
        assert available_actions(cast.fresh(getattr(cast, role)), letter) == expected, (status, role)
    pending = cast.letter(Status.PENDING_APPROVAL, requested_amount=Decimal("500000.00"))
    assert "decide" not in available_actions(cast.fresh(cast.approver_low), pending)  # above its limit
