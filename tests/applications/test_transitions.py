"""The letter state machine, exhaustively: every action in every status, then random walks."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from applications.enums import TERMINAL, TRANSITIONS, Status
from applications.models import Letter, LetterEvent
from applications.services import drafts, review, thread
from applications.services.transitions import lock_letter, transition
from core.exceptions import DomainError, StateConflict

from .letters_cast import make_cast

S = Status

# The statuses each action starts from and the one it leads to: the spec the services must
# follow, written out here independently of them.
ACTIONS = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "withdraw": (
        {S.DRAFT, S.SUBMITTED, S.QUEUED, S.IN_REVIEW, S.INFO_REQUESTED, S.PENDING_APPROVAL},
        S.WITHDRAWN,
    ),
    "claim": ({S.SUBMITTED, S.QUEUED}, S.IN_REVIEW),
    "request_info": ({S.IN_REVIEW}, S.INFO_REQUESTED),
    "respond": ({S.INFO_REQUESTED}, S.IN_REVIEW),
    "recommend_approve": ({S.IN_REVIEW}, S.PENDING_APPROVAL),
    "recommend_reject": ({S.IN_REVIEW}, S.REJECTED),
    "decide_approve": ({S.PENDING_APPROVAL}, S.APPROVED),
    "decide_reject": ({S.PENDING_APPROVAL}, S.REJECTED),
}
# Moves made by the routing workers, not by a person's action.
ROUTING_MOVES = {(S.SUBMITTED, S.QUEUED), (S.SUBMITTED, S.IN_REVIEW), (S.IN_REVIEW, S.QUEUED)}


def act(action: str, letter: Letter, cast) -> Letter:
    """Run `action` on `letter` as the person whose action it is."""
    if action == "submit":
        return drafts.letter_submit(letter=letter, by=cast.founder)
    if action == "withdraw":
        return drafts.letter_withdraw(letter=letter, by=cast.founder)
    if action == "claim":
        return review.letter_claim(letter=letter, by=cast.reviewer)
    if action == "request_info":
        return review.letter_request_info(letter=letter, by=cast.reviewer, message="Which premises?")
    if action == "respond":
        return review.letter_respond(letter=letter, by=cast.founder, message="Our office in Mapo.")
    if action.startswith("recommend_"):
        return review.letter_recommend(letter=letter, by=cast.reviewer, recommendation=action.split("_")[1])
    return review.letter_decide(letter=letter, by=cast.approver, decision=action.split("_")[1])


def test_actions_move_only_along_transitions():
    for _action, (sources, target) in ACTIONS.items():
        for source in sources:
            assert target in TRANSITIONS[source], (source, target)


def test_every_transition_is_made_by_an_action_or_by_routing():
    edges = {(source, target) for source, targets in TRANSITIONS.items() for target in targets}
    by_actions = {(source, target) for sources, target in ACTIONS.values() for source in sources}
    assert edges == by_actions | ROUTING_MOVES


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("status", list(Status))
def test_action_succeeds_exactly_when_transitions_allow(status, action):
    cast = make_cast()
    # Every letter sits in the queue (even the draft), so the same people may act in every
    # status and only the status decides.
    letter = cast.letter(status, queue=cast.queue)
    sources, target = ACTIONS[action]
    events_before = list(letter.events.values_list("pk", flat=True))
    allowed = status in sources and target in TRANSITIONS[status]
    already_there = status == target

    if allowed:
        result = act(action, letter, cast)
        assert result.status == target
        new_events = list(letter.events.exclude(pk__in=events_before).filter(to_status=target))
        assert [(e.from_status, e.to_status) for e in new_events] == [(status, target)]
    elif already_there:
        result = act(action, letter, cast)  # idempotent: unchanged, no second event
        assert result.status == target
        assert list(letter.events.values_list("pk", flat=True)) == events_before
    else:
        with pytest.raises(StateConflict):
            act(action, letter, cast)
        letter.refresh_from_db()
        assert letter.status == status
        assert list(letter.events.values_list("pk", flat=True)) == events_before


ACTORS = (
    "founder",
    "cofounder",
    "other_founder",
    "reviewer",
    "reviewer2",
    "reviewer_approver",
    "approver",
    "approver_low",
    "other_reviewer",
    "admin",
)
ANY_ACTION = (
    "submit",
    "withdraw",
    "claim",
    "request_info",
    "respond",
    "recommend_approve",
    "recommend_reject",
    "decide_approve",
    "decide_reject",
    "post_message",
)


def in_status(*statuses):
    return precondition(lambda machine: machine._letter().status in statuses)


class LetterLifecycle(RuleBasedStateMachine):
    """Random sequences of actions on one letter: the invariants hold after each.

    `anything` tries any action by anyone of the cast, in any status (mostly refused). The other
    rules make the step a letter's life usually takes next, by the person whose step it
    usually is (or, when `usual` is false, by anyone), so that walks reach the later statuses.
    """

    @initialize(amount=st.sampled_from([None, "50000.00", "5000000.00", "90000000.00"]))
    def setup(self, amount):
        # 90,000,000 is above every approver's limit: the letter waits unassigned.
        self.cast = make_cast()
        self.letter = drafts.letter_create_draft(
            startup=self.cast.startup,
            category="other",
            subject="Desk space",
            body="Please.",
            requested_amount=Decimal(amount) if amount else None,
            by=self.cast.founder,
        )
        self.status_changes = 0

    def _letter(self):
        return Letter.objects.get(pk=self.letter.pk)

    def _user(self, name):
        return self.cast.fresh(getattr(self.cast, name))

    def _who(self, usual: bool, usual_user, anyone: str):
        return self.cast.fresh(usual_user) if usual and usual_user is not None else self._user(anyone)

    def _run(self, call):
        before = self._letter().status
        try:
            with transaction.atomic():
                call()
        except DomainError:
            pass
        after = self._letter().status
        if after != before:
            self.status_changes += 1
            assert after in TRANSITIONS[before]

    def _do(self, action, by):
        letter = self._letter()
        if action == "submit":
            drafts.letter_submit(letter=letter, by=by)
        elif action == "withdraw":
            drafts.letter_withdraw(letter=letter, by=by)
        elif action == "claim":
            review.letter_claim(letter=letter, by=by)
        elif action == "request_info":
            review.letter_request_info(letter=letter, by=by, message="Why?")
        elif action == "respond":
            review.letter_respond(
                letter=letter, by=by, message="Because.", revision={"body": "Please, now."}
            )
        elif action.startswith("recommend_"):
            review.letter_recommend(letter=letter, by=by, recommendation=action.split("_")[1])
        elif action.startswith("decide_"):
            review.letter_decide(letter=letter, by=by, decision=action.split("_")[1])
        else:
            thread.message_post(letter=letter, by=by, body="Any news?")

    @rule(action=st.sampled_from(ANY_ACTION), who=st.sampled_from(ACTORS))
    def anything(self, action, who):
        self._run(lambda: self._do(action, self._user(who)))

    @in_status(S.DRAFT)
    @rule(usual=st.booleans(), anyone=st.sampled_from(ACTORS))
    def submit(self, usual, anyone):
        self._run(lambda: self._do("submit", self._who(usual, self.cast.founder, anyone)))

    @in_status(S.SUBMITTED)
    @rule(queued=st.booleans())
    def route(self, queued):
        """What the routing workers do: the letter lands in the queue, or with a reviewer."""

        def move():
            letter = lock_letter(self.letter.pk)
            if queued:
                transition(letter, S.QUEUED, queue=self.cast.queue)
            else:
                transition(letter, S.IN_REVIEW, queue=self.cast.queue, assignee=self.cast.reviewer_approver)

        self._run(move)

    @in_status(S.SUBMITTED, S.QUEUED)
    @rule(
        usual=st.booleans(),
        reviewer=st.sampled_from(["reviewer", "reviewer2"]),
        anyone=st.sampled_from(ACTORS),
    )
    def claim(self, usual, reviewer, anyone):
        self._run(lambda: self._do("claim", self._who(usual, getattr(self.cast, reviewer), anyone)))

    @in_status(S.IN_REVIEW)
    @rule(usual=st.booleans(), anyone=st.sampled_from(ACTORS))
    def request_info(self, usual, anyone):
        self._run(lambda: self._do("request_info", self._who(usual, self._letter().assignee, anyone)))

    @in_status(S.INFO_REQUESTED)
    @rule(usual=st.booleans(), anyone=st.sampled_from(ACTORS))
    def respond(self, usual, anyone):
        self._run(lambda: self._do("respond", self._who(usual, self.cast.cofounder, anyone)))

    @in_status(S.IN_REVIEW)
    @rule(usual=st.booleans(), anyone=st.sampled_from(ACTORS), approve=st.booleans())
    def recommend(self, usual, anyone, approve):
        action = "recommend_approve" if approve else "recommend_reject"
        self._run(lambda: self._do(action, self._who(usual, self._letter().assignee, anyone)))

    @in_status(S.PENDING_APPROVAL)
    @rule(
        usual=st.booleans(),
        unassigned_taker=st.sampled_from(["approver", "approver_low", "reviewer_approver"]),
        anyone=st.sampled_from(ACTORS),
        approve=st.booleans(),
    )
    def decide(self, usual, unassigned_taker, anyone, approve):
        holder = self._letter().assignee or getattr(self.cast, unassigned_taker)
        action = "decide_approve" if approve else "decide_reject"
        self._run(lambda: self._do(action, self._who(usual, holder, anyone)))

    @invariant()
    def status_is_a_status(self):
        assert self._letter().status in Status.values

    @invariant()
    def every_status_change_has_one_event(self):
        letter = self._letter()
        moves = list(
            LetterEvent.objects.filter(letter=letter)
            .exclude(from_status="")
            .order_by("at", "id")
            .values_list("from_status", "to_status")
        )
        assert len(moves) == self.status_changes
        chain = [S.DRAFT] + [to for _from, to in moves]
        assert [from_ for from_, _to in moves] == chain[:-1]
        assert chain[-1] == letter.status

    @invariant()
    def decided_iff_approved_or_rejected(self):
        letter = self._letter()
        assert (letter.decided_at is not None) == (letter.status in (S.APPROVED, S.REJECTED))
        if letter.decided_amount is not None:
            assert letter.status == S.APPROVED

    @invariant()
    def nobody_decides_what_they_reviewed(self):
        letter = self._letter()
        if letter.status in (S.PENDING_APPROVAL, S.APPROVED) and letter.assignee_id is not None:
            assert letter.assignee_id != letter.reviewed_by_id
        if letter.status == S.PENDING_APPROVAL:
            assert letter.reviewed_by_id is not None

    @invariant()
    def clock_paused_only_while_waiting_on_founders(self):
        letter = self._letter()
        assert (letter.sla_paused_at is not None) == (letter.status == S.INFO_REQUESTED)
        assert (letter.reply_due_at is not None) == (letter.status == S.INFO_REQUESTED)

    @invariant()
    def holder_is_never_a_member(self):
        letter = self._letter()
        if letter.assignee_id and letter.status not in TERMINAL:
            assert not letter.startup.memberships.filter(user_id=letter.assignee_id).exists()

    @invariant()
    def money_within_the_deciders_limit(self):
        letter = self._letter()
        if letter.status == S.APPROVED and letter.decided_amount is not None:
            assert letter.decided_amount <= letter.assignee.approval_limit


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants():
    run_state_machine_as_test(
        LetterLifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@pytest.mark.django_db
def test_random_walk_reaches_a_decision_with_money():
    """The machine above can reach approval: a money letter walked there by hand keeps the
    invariants too (a guard against a machine that never gets past a draft)."""
    cast = make_cast()
    letter = drafts.letter_create_draft(
        startup=cast.startup,
        category="other",
        subject="Fit-out",
        body="Walls.",
        requested_amount=Decimal("5000000.00"),
        by=cast.founder,
    )
    letter = drafts.letter_submit(letter=letter, by=cast.founder)
    with transaction.atomic():
        transition(lock_letter(letter.pk), S.QUEUED, queue=cast.queue)
    letter = review.letter_claim(letter=letter, by=cast.reviewer)
    letter = review.letter_recommend(letter=letter, by=cast.reviewer, recommendation="approve")
    assert letter.assignee == cast.approver  # the lowest limit that covers 5,000,000
    letter = review.letter_decide(letter=letter, by=cast.fresh(cast.approver), decision="approve")
    assert (letter.status, letter.decided_amount) == (S.APPROVED, Decimal("5000000.00"))
