"""Letter actions racing on PostgreSQL: the row lock makes each happen once."""

import pytest

from applications.enums import Status
from applications.models import Letter, LetterEvent
from applications.services import drafts, review
from tests.race import run_together

from .letters_cast import make_cast

S = Status


@pytest.mark.django_db(transaction=True)
def test_reviewers_claiming_at_once_one_wins(postgres):
    cast = make_cast()
    letter = cast.letter(S.QUEUED)
    reviewers = [cast.fresh(cast.reviewer), cast.fresh(cast.reviewer2), cast.fresh(cast.reviewer_approver)]

    outcomes = run_together(
        [lambda user=user: review.letter_claim(letter=Letter(pk=letter.pk), by=user) for user in reviewers]
    )

    assert sorted(outcomes) == ["conflict", "conflict", "ok"]
    letter.refresh_from_db()
    assert letter.status == S.IN_REVIEW
    assert letter.assignee_id in {user.pk for user in reviewers}
    assert LetterEvent.objects.filter(letter=letter, to_status=S.IN_REVIEW).count() == 1


@pytest.mark.django_db(transaction=True)
def test_submitting_many_times_at_once_submits_once(postgres):
    cast = make_cast()
    letter = cast.letter(S.DRAFT)
    founder = cast.fresh(cast.founder)

    outcomes = run_together([lambda: drafts.letter_submit(letter=Letter(pk=letter.pk), by=founder)] * 5)

    assert outcomes == ["ok"] * 5
    assert LetterEvent.objects.filter(letter=letter, to_status=S.SUBMITTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_at_once_one_decision(postgres):
    cast = make_cast()
    letter = cast.letter(S.PENDING_APPROVAL)
    approver = cast.fresh(cast.approver)

    outcomes = run_together(
        [
            lambda decision=decision: review.letter_decide(
                letter=Letter(pk=letter.pk), by=approver, decision=decision
            )
            for decision in ("approve", "reject", "approve", "reject")
        ]
    )

    letter.refresh_from_db()
    assert letter.status in (S.APPROVED, S.REJECTED), outcomes
    winners = 2  # the winner and the one repeating its decision (idempotent)
    assert sorted(outcomes) == ["conflict"] * (4 - winners) + ["ok"] * winners
    assert LetterEvent.objects.filter(letter=letter, kind="decision").count() == 1
