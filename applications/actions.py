"""Which actions a user may take on a letter now: the one answer the letter page's buttons and
the services share.

An action is open when the rule lets the user act on the letter at all (rules.py: who) and the
letter's state lets the action happen now (the status, who holds it, the approver's limit:
what the services check once the letter is locked). The services refuse exactly what this
leaves out, so a button on the page never leads to a 403 or a 409
(tests/applications/test_actions.py walks every status and role).
"""
from decimal import Decimal

import rules

from .enums import TERMINAL, TRANSITIONS, Status
from .models import Letter

EDITABLE = frozenset({Status.DRAFT, Status.INFO_REQUESTED})
WAITING_FOR_A_REVIEWER = frozenset({Status.SUBMITTED, Status.QUEUED})


def decision_amount(letter: Letter) -> Decimal | None:
    """What a decision without an amount of its own would grant: recommended, else requested."""
    return letter.recommended_amount if letter.recommended_amount is not None else letter.requested_amount


def within_limit(user, amount: Decimal | None) -> bool:
    return amount is None or (user.approval_limit is not None and amount <= user.approval_limit)


def _now(user, letter: Letter) -> dict[str, bool]:
    """Each action: does the letter's state let `user` take it now (the rule aside)?"""
    status, holder = letter.status, letter.assignee_id
    return {
        "edit": status in EDITABLE,
        "submit": status == Status.DRAFT,
        "withdraw": Status.WITHDRAWN in TRANSITIONS.get(status, ()),
        "attach": status in EDITABLE,
        "respond": status == Status.INFO_REQUESTED,
        "message": status != Status.DRAFT and status not in TERMINAL,
        "claim": status in WAITING_FOR_A_REVIEWER or (status == Status.IN_REVIEW and holder is None),
        "request_info": status == Status.IN_REVIEW and holder == user.pk,
        "recommend": status == Status.IN_REVIEW and holder == user.pk,
        "decide": status == Status.PENDING_APPROVAL
        and holder in (None, user.pk)
        and letter.reviewed_by_id != user.pk
        and within_limit(user, decision_amount(letter)),
    }


# The rule that says who may take each action (rules.py).
RULES = {
    "edit": "applications.change_letter",
    "submit": "applications.submit_letter",
    "withdraw": "applications.withdraw_letter",
    "attach": "applications.add_attachment",
    "respond": "applications.respond_letter",
    "message": "applications.post_message",
    "claim": "applications.claim_letter",
    "request_info": "applications.request_info_letter",
    "recommend": "applications.recommend_letter",
    "decide": "applications.decide_letter",
}


def available_actions(user, letter: Letter) -> frozenset[str]:
    """The actions `user` may take on `letter` as it stands (names of RULES)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(
        action for action, possible in _now(user, letter).items() if possible and rules.has_perm(RULES[action], user, letter)
    )
