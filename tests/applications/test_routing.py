"""Routing: rule matching, the reviewer pick, queued letters, idempotence, the coalesced router."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications import routing_selectors
from applications.enums import Category, EventKind, Status
from applications.matching import LetterFacts, Rule, match_rule
from applications.models import Letter, LetterEvent, ReviewerLoad, ReviewQueue, RuleSet
from applications.services import drafts, queues, router, rulesets
from applications.services.sla import Calendar
from applications.tasks import task_route_letters, task_sweep_submitted
from core.exceptions import InvalidInput, StateConflict
from startups.enums import Sector, Stage
from startups.services import membership_remove, startup_update
from tests import factories

from .routing_helpers import events, reviewers, submitted

pytestmark = pytest.mark.django_db

# --- Matching (pure) ----------------------------------------------------------------------


def route(letter):
    """Run the router (it routes every letter waiting) and read the letter again."""
    router.route_waiting_letters()
    return Letter.objects.get(pk=letter.pk)


def facts(category="other", amount=None, sector="software", subject="", body=""):
    return LetterFacts.build(
        category=category, requested_amount=amount, sector=sector, subject=subject, body=body
    )


def rule(order, queue_id=1, **conditions):
    return Rule(id=order, order=order, version=1, queue_id=queue_id, **conditions)


def test_match_rule_lowest_order_wins():
    rules = sorted([rule(20, queue_id=2), rule(10, queue_id=1, category="subsidy")], key=lambda r: r.order)

    assert match_rule(facts(category="subsidy"), rules).queue_id == 1
    assert match_rule(facts(category="space"), rules).queue_id == 2


def test_match_rule_without_conditions_matches_anything():
    assert match_rule(facts(), [rule(1)]).order == 1


def test_match_rule_amount_range_is_inclusive():
    rules = [rule(1, min_amount=Decimal("100.00"), max_amount=Decimal("500.00"))]

    assert match_rule(facts(amount=Decimal("100.00")), rules) is not None
    assert match_rule(facts(amount=Decimal("500.00")), rules) is not None
    assert match_rule(facts(amount=Decimal("99.99")), rules) is None
    assert match_rule(facts(amount=Decimal("500.01")), rules) is None


def test_match_rule_amount_condition_needs_an_amount():
    assert match_rule(facts(amount=None), [rule(1, min_amount=Decimal("0.00"))]) is None


def test_match_rule_open_ended_amounts():
    assert match_rule(facts(amount=Decimal(10)), [rule(1, max_amount=Decimal(10))]) is not None
    assert match_rule(facts(amount=Decimal(10)), [rule(1, min_amount=Decimal(11))]) is None


def test_match_rule_sector():
    rules = [rule(1, sector=Sector.BIOTECH)]

    assert match_rule(facts(sector=Sector.BIOTECH), rules) is not None
    assert match_rule(facts(sector=Sector.SOFTWARE), rules) is None


def test_match_rule_any_keyword_in_subject_or_body_case_insensitive():
    rules = [rule(1, keywords=("export", "customs"))]

    assert match_rule(facts(subject="EXPORT licence"), rules) is not None
    assert match_rule(facts(body="Questions about Customs duties"), rules) is not None
    assert match_rule(facts(subject="A desk", body="in Seoul"), rules) is None


def test_match_rule_every_condition_must_hold():
    rules = [rule(1, category="subsidy", sector=Sector.ENERGY, keywords=("solar",))]

    assert match_rule(facts("subsidy", sector=Sector.ENERGY, body="solar roof"), rules) is not None
    assert match_rule(facts("subsidy", sector=Sector.ENERGY, body="wind"), rules) is None
    assert match_rule(facts("space", sector=Sector.ENERGY, body="solar"), rules) is None


# --- Picking a queue --------------------------------------------------------------------------


@pytest.fixture
def admin(db):
    return factories.UserFactory(roles=["admin"], is_staff=True)


@pytest.fixture
def default_queue(db):
    return factories.ReviewQueueFactory(name="General", reviewers=reviewers(1), is_default=True)


def test_route_letter_no_rule_goes_to_default_queue(default_queue):
    (letter,) = submitted()

    route(letter)

    letter.refresh_from_db()
    assert letter.queue == default_queue
    (event,) = events(letter, kind=EventKind.ROUTED)
    assert "no rule matched: the default queue" in event.staff_note


def test_route_letter_first_matching_rule_by_order(default_queue, admin):
    subsidies = factories.ReviewQueueFactory(name="Subsidies", reviewers=reviewers(1))
    big = factories.ReviewQueueFactory(name="Big money", reviewers=reviewers(1))
    rulesets.rule_create(order=20, queue=subsidies, category=Category.SUBSIDY, by=admin)
    rulesets.rule_create(order=10, queue=big, category=Category.SUBSIDY, min_amount=Decimal(1000000), by=admin)
    small, large = (
        submitted(category=Category.SUBSIDY, amount=Decimal(5000)),
        submitted(category=Category.SUBSIDY, amount=Decimal(2000000)),
    )

    router.route_waiting_letters()

    assert Letter.objects.get(pk=small[0].pk).queue == subsidies
    assert Letter.objects.get(pk=large[0].pk).queue == big
    (event,) = events(large[0], kind=EventKind.ROUTED)
    assert "rule #10 of rule set v1" in event.staff_note


def test_route_letter_by_sector_and_keyword(default_queue, admin):
    bio = factories.ReviewQueueFactory(name="Bio", reviewers=reviewers(1))
    trade = factories.ReviewQueueFactory(name="Trade", reviewers=reviewers(1))
    rulesets.rule_create(order=1, queue=bio, sector=Sector.BIOTECH, by=admin)
    rulesets.rule_create(order=2, queue=trade, keywords="export, customs", by=admin)
    bio_startup = factories.StartupFactory(
        owner=factories.UserFactory(roles=["founder"]), sector=Sector.BIOTECH
    )
    (a,) = submitted(startup=bio_startup)
    (b,) = submitted(subject="Help with CUSTOMS")
    (c,) = submitted(subject="A desk please")

    router.route_waiting_letters()

    assert [Letter.objects.get(pk=x.pk).queue_id for x in (a, b, c)] == [bio.pk, trade.pk, default_queue.pk]


def test_route_sets_due_at_from_the_sla_clock(default_queue):
    (letter,) = submitted()

    route(letter)

    letter.refresh_from_db()
    assert letter.due_at == Calendar.load().add_working_hours(letter.submitted_at, default_queue.sla_hours)


def test_route_ignores_draft_rules_until_activated(default_queue, admin):
    other = factories.ReviewQueueFactory(reviewers=reviewers(1))
    draft = rulesets.ruleset_create(by=admin)
    rulesets.rule_create(order=1, queue=other, ruleset=draft, by=admin)
    (letter,) = submitted()

    route(letter)

    assert Letter.objects.get(pk=letter.pk).queue == default_queue


# --- Picking a reviewer -------------------------------------------------------------------


def test_route_assigns_least_loaded_reviewer():
    busy, free = reviewers(2)
    queue = factories.ReviewQueueFactory(reviewers=[busy, free], reviewer_capacity=5, is_default=True)
    factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=busy)
    (letter,) = submitted()

    route(letter)

    letter.refresh_from_db()
    assert (letter.status, letter.assignee) == (Status.IN_REVIEW, free)
    (event,) = events(letter)
    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.IN_REVIEW)
    assert f"Assigned to {free.username}: 0 of 5 open letters, the least loaded" in event.staff_note
    assert f"{busy.username} (1/5)" in event.staff_note


def test_route_counts_letters_waiting_on_founders_as_load():
    busy, free = reviewers(2)
    queue = factories.ReviewQueueFactory(reviewers=[busy, free], is_default=True)
    factories.letter_in_state(Status.INFO_REQUESTED, queue=queue, reviewer=busy)
    (letter,) = submitted()

    assert route(letter).assignee == free


def test_route_tie_goes_to_longest_idle():
    recent, idle = reviewers(2)
    factories.ReviewQueueFactory(reviewers=[recent, idle], is_default=True)
    now = timezone.now()
    ReviewerLoad.objects.create(user=recent, last_assigned_at=now - datetime.timedelta(minutes=5))
    ReviewerLoad.objects.create(user=idle, last_assigned_at=now - datetime.timedelta(days=2))
    (letter,) = submitted()

    letter = route(letter)

    assert letter.assignee == idle
    assert "tied on load, idle the longest" in events(letter)[0].staff_note
    assert ReviewerLoad.objects.get(user=idle).last_assigned_at > now


def test_route_never_assigned_reviewer_counts_as_longest_idle():
    seasoned, newcomer = reviewers(2)
    factories.ReviewQueueFactory(reviewers=[seasoned, newcomer], is_default=True)
    ReviewerLoad.objects.create(user=seasoned, last_assigned_at=timezone.now() - datetime.timedelta(days=30))
    (letter,) = submitted()

    assert route(letter).assignee == newcomer


def test_route_skips_full_reviewer_and_explains():
    full, spare = reviewers(2)
    queue = factories.ReviewQueueFactory(reviewers=[full, spare], reviewer_capacity=1, is_default=True)
    factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=full)
    factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=spare)
    factories.letter_in_state(Status.APPROVED, queue=queue, reviewer=spare)  # done: not load
    Letter.objects.filter(assignee=spare).update(status=Status.PENDING_APPROVAL)  # handed on: not load
    (letter,) = submitted()

    letter = route(letter)

    assert letter.assignee == spare
    assert f"Excluded: {full.username} (full: 1 of 1)." in events(letter)[0].staff_note


def test_route_excludes_member_of_startup_and_explains():
    insider, outsider = reviewers(2)
    factories.ReviewQueueFactory(reviewers=[insider, outsider], is_default=True)
    ReviewerLoad.objects.create(user=outsider, last_assigned_at=timezone.now())  # insider would win the tie
    startup = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]))
    factories.MembershipFactory(startup=startup, user=insider)
    (letter,) = submitted(startup=startup)

    letter = route(letter)

    assert letter.assignee == outsider
    assert f"{insider.username} (a member of the startup)" in events(letter)[0].staff_note


def test_route_tells_founders_where_and_when_but_names_no_candidate():
    chosen, other = reviewers(2)
    factories.ReviewQueueFactory(name="Grants", reviewers=[chosen, other], is_default=True)
    (letter,) = submitted()

    letter = route(letter)
    event = events(letter)[0]

    assert chosen.username not in event.note and other.username not in event.note
    assert event.note.startswith("In the Grants queue; a reviewer has it. An answer is due by ")
    assert event.note_for(letter.author) == event.note
    assert event.note_for(chosen) == event.staff_note
    assert other.username in event.staff_note


def submit(startup, **fields):
    """A draft of `startup` sent through the service, as a founder sends it (not yet routed)."""
    letter = factories.LetterFactory(startup=startup, author=startup.memberships.first().user, **fields)
    return drafts.letter_submit(letter=letter, by=letter.author)


def test_a_member_removed_between_submission_and_routing_still_cannot_review():
    (insider,) = reviewers(1)
    queue = factories.ReviewQueueFactory(reviewers=[insider], is_default=True)
    startup = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]))
    membership = factories.MembershipFactory(startup=startup, user=insider)
    letter = submit(startup)
    # The owner removes the member before the router runs, to make them its only reviewer.
    membership_remove(membership=membership, by=startup.memberships.get(role="owner").user)

    letter = route(letter)

    assert (letter.status, letter.queue, letter.assignee) == (Status.QUEUED, queue, None)
    assert insider.pk in letter.conflicted_ids
    assert not insider.has_perm("applications.claim_letter", letter)
    assert not insider.has_perm("applications.recommend_letter", letter)


def test_a_member_added_after_submission_is_excluded_too():
    outsider, joiner = reviewers(2)
    factories.ReviewQueueFactory(reviewers=[joiner], is_default=True)
    startup = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]))
    letter = submit(startup)
    factories.MembershipFactory(startup=startup, user=joiner)

    letter = route(letter)

    assert joiner.pk not in letter.conflicted_ids
    assert letter.assignee is None  # a member now: the stricter union of then and now
    assert not joiner.has_perm("applications.claim_letter", letter)


def test_routing_reads_the_sector_recorded_at_submission(default_queue, admin):
    hardware = factories.ReviewQueueFactory(name="Hardware", reviewers=reviewers(1))
    rulesets.rule_create(order=1, queue=hardware, sector=Sector.HARDWARE, by=admin)
    startup = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]), sector=Sector.HARDWARE)
    letter = submit(startup)
    # After submitting, the founders move their startup to a sector routed elsewhere.
    startup_update(startup=startup, by=letter.author, sector=Sector.SOFTWARE, stage=Stage.REVENUE)

    letter = route(letter)

    assert letter.queue == hardware
    assert (letter.submitted_sector, letter.submitted_stage) == (Sector.HARDWARE, Stage.PROTOTYPE)


def test_the_dry_run_replays_the_sector_recorded_at_submission(default_queue, admin):
    startup = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]), sector=Sector.HARDWARE)
    letter = submit(startup)
    route(letter)
    startup_update(startup=startup, by=letter.author, sector=Sector.SOFTWARE)
    draft = rulesets.ruleset_create(copy_active=False, by=admin)
    rulesets.rule_create(ruleset=draft, order=1, queue=default_queue, sector=Sector.SOFTWARE, by=admin)
    hardware = factories.ReviewQueueFactory(name="Hardware")
    rulesets.rule_create(ruleset=draft, order=2, queue=hardware, sector=Sector.HARDWARE, by=admin)

    run = routing_selectors.dry_run(ruleset=draft)

    assert [(move.letter_id, move.draft_queue_id) for move in run.moves] == [(letter.pk, hardware.pk)]


def test_route_never_picks_inactive_or_non_reviewer():
    gone, right = reviewers(2)
    gone.is_active = False
    gone.save()
    approver = factories.UserFactory(roles=["approver"])
    queue = factories.ReviewQueueFactory(reviewers=[gone, right], is_default=True)
    queue.reviewers.add(approver)
    ReviewerLoad.objects.create(user=right, last_assigned_at=timezone.now())
    (letter,) = submitted()

    assert route(letter).assignee == right


def test_route_batch_spreads_letters_over_reviewers():
    first, second = reviewers(2)
    factories.ReviewQueueFactory(reviewers=[first, second], reviewer_capacity=3, is_default=True)
    submitted(5)

    assert router.route_waiting_letters() == 5

    loads = {user.pk: Letter.objects.filter(assignee=user).count() for user in (first, second)}
    assert sorted(loads.values()) == [2, 3]
    assert Letter.objects.filter(status=Status.QUEUED).count() == 0


def test_route_batch_alternates_reviewers_in_submission_order():
    first, second = reviewers(2)
    factories.ReviewQueueFactory(reviewers=[first, second], is_default=True)
    letters = submitted(4)

    router.route_waiting_letters()

    assignees = [Letter.objects.get(pk=letter.pk).assignee_id for letter in letters]
    assert assignees[0] != assignees[1]
    assert assignees[0::2] == [assignees[0]] * 2 and assignees[1::2] == [assignees[1]] * 2


# --- Nobody free: queued, then assigned -------------------------------------------------------


def test_route_nobody_free_queues_then_assigns_when_reviewer_frees_up():
    (only,) = reviewers(1)
    queue = factories.ReviewQueueFactory(reviewers=[only], reviewer_capacity=1, is_default=True)
    holding = factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=only)
    (letter,) = submitted()

    router.route_waiting_letters()

    letter.refresh_from_db()
    assert (letter.status, letter.queue, letter.assignee) == (Status.QUEUED, queue, None)
    (routed,) = events(letter)
    assert (routed.from_status, routed.to_status) == (Status.SUBMITTED, Status.QUEUED)
    assert "No reviewer has a free place; the letter waits in the queue." in routed.staff_note
    assert f"{only.username} (full: 1 of 1)" in routed.staff_note

    router.route_waiting_letters()  # still full: nothing happens, nothing is written
    assert len(events(letter)) == 1

    Letter.objects.filter(pk=holding.pk).update(status=Status.REJECTED)
    router.route_waiting_letters()

    letter.refresh_from_db()
    assert (letter.status, letter.assignee) == (Status.IN_REVIEW, only)
    assigned = events(letter)[-1]
    assert (assigned.kind, assigned.from_status, assigned.to_status) == (
        EventKind.ASSIGNED,
        Status.QUEUED,
        Status.IN_REVIEW,
    )


def test_route_queue_without_reviewers_queues_and_says_so():
    factories.ReviewQueueFactory(is_default=True)
    (letter,) = submitted()

    letter = route(letter)

    assert letter.status == Status.QUEUED
    assert "The queue has no active reviewer" in events(letter)[0].staff_note


def test_route_queued_letters_go_first_by_priority_then_age():
    (only,) = reviewers(1)
    queue = factories.ReviewQueueFactory(reviewers=[only], reviewer_capacity=1, is_default=True)
    holding = factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=only)
    old, urgent = submitted(2)
    router.route_waiting_letters()
    Letter.objects.filter(pk=urgent.pk).update(priority=1)
    Letter.objects.filter(pk=holding.pk).update(status=Status.REJECTED)
    (newcomer,) = submitted()

    router.route_waiting_letters()

    assert Letter.objects.get(pk=urgent.pk).assignee == only
    assert Letter.objects.get(pk=old.pk).status == Status.QUEUED
    assert Letter.objects.get(pk=newcomer.pk).status == Status.QUEUED


def test_route_queued_letter_with_only_insider_free_keeps_waiting():
    insider, outsider = reviewers(2)
    queue = factories.ReviewQueueFactory(reviewers=[insider, outsider], reviewer_capacity=1, is_default=True)
    startup = factories.StartupFactory(owner=factories.UserFactory(roles=["founder"]))
    factories.MembershipFactory(startup=startup, user=insider)
    factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=outsider)
    (letter,) = submitted(startup=startup)

    router.route_waiting_letters()
    router.route_waiting_letters()

    letter.refresh_from_db()
    assert (letter.status, letter.assignee) == (Status.QUEUED, None)
    assert len(events(letter)) == 1


# --- Exactly once ------------------------------------------------------------------------------


def test_route_twice_changes_nothing_and_writes_no_duplicate_event(default_queue):
    letters = submitted(3)
    assert router.route_waiting_letters() == 3
    before = list(Letter.objects.order_by("pk").values())

    assert router.route_waiting_letters() == 0
    for letter in letters:
        assert route(letter).status == Status.IN_REVIEW

    assert list(Letter.objects.order_by("pk").values()) == before
    assert LetterEvent.objects.filter(letter__in=letters).count() == 3


def test_route_leaves_other_statuses_alone(default_queue):
    draft = factories.letter_in_state(Status.DRAFT)
    withdrawn = factories.letter_in_state(Status.WITHDRAWN)

    router.route_waiting_letters()
    route(draft)

    assert Letter.objects.get(pk=draft.pk).status == Status.DRAFT
    assert Letter.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN
    assert LetterEvent.objects.count() == 0


def test_route_without_default_queue_leaves_letter_submitted(db):
    (letter,) = submitted()

    assert router.route_waiting_letters() == 0

    assert Letter.objects.get(pk=letter.pk).status == Status.SUBMITTED


def _routing_queries(count):
    people = reviewers(3)
    factories.ReviewQueueFactory(reviewers=people, reviewer_capacity=100, is_default=True)
    for person in people:  # the reviewers' books exist, as they do after their first routing
        ReviewerLoad.objects.get_or_create(user=person)
    submitted(count)
    with CaptureQueriesContext(connection) as queries:
        assert router.route_waiting_letters() == count
    return len(queries)


def test_route_batch_query_count_does_not_grow_with_letters():
    three = _routing_queries(3)
    LetterEvent.objects.all().delete()
    Letter.objects.all().delete()
    ReviewQueue.objects.all().delete()

    assert _routing_queries(30) == three
    assert three <= 25


def test_route_small_batches_route_everything(default_queue):
    default_queue.reviewer_capacity = 100
    default_queue.save()
    submitted(7)

    assert router.route_waiting_letters(batch_size=2) == 7

    assert Letter.objects.filter(status=Status.IN_REVIEW).count() == 7
    assert LetterEvent.objects.filter(from_status=Status.SUBMITTED).count() == 7


# --- Tasks and the sweeper ------------------------------------------------------------------------


def test_task_route_letters_routes_every_waiting_letter(default_queue):
    submitted(2)

    assert task_route_letters() == 2

    assert Letter.objects.filter(status=Status.SUBMITTED).count() == 0


def test_task_route_letters_is_late_acked_and_on_the_routing_queue():
    from incubator.celery import app

    assert task_route_letters.acks_late is True
    assert task_route_letters.reject_on_worker_lost is True
    assert app.amqp.router.route({}, task_route_letters.name)["queue"].name == "routing"


def test_task_route_letters_publish_with_broker_down_does_not_raise():
    from incubator.celery import app

    # Nothing listens on port 1: publishing fails, and the caller (a submission) must not.
    with app.connection_for_write("redis://127.0.0.1:1/0") as down:
        assert task_route_letters.apply_async(connection=down) is None


def test_sweeper_routes_letters_left_submitted_over_a_minute(default_queue):
    (fresh,) = submitted()
    (stale,) = submitted()
    Letter.objects.filter(pk=fresh.pk).update(submitted_at=timezone.now())
    Letter.objects.filter(pk=stale.pk).update(submitted_at=timezone.now() - datetime.timedelta(minutes=2))

    assert task_sweep_submitted() == 2  # once one is stale, everything waiting is routed

    assert Letter.objects.filter(status=Status.SUBMITTED).count() == 0


def test_sweeper_leaves_fresh_letters_to_the_routing_task(default_queue):
    (fresh,) = submitted()
    Letter.objects.filter(pk=fresh.pk).update(submitted_at=timezone.now())

    assert task_sweep_submitted() == 0

    assert Letter.objects.get(pk=fresh.pk).status == Status.SUBMITTED


def test_sweeper_assigns_queued_letters_when_a_place_frees_up():
    (only,) = reviewers(1)
    queue = factories.ReviewQueueFactory(reviewers=[only], reviewer_capacity=1, is_default=True)
    holding = factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=only)
    (letter,) = submitted()
    router.route_waiting_letters()
    Letter.objects.filter(pk=holding.pk).update(status=Status.WITHDRAWN)

    task_sweep_submitted()

    assert Letter.objects.get(pk=letter.pk).assignee == only


# --- Deactivated reviewers ----------------------------------------------------------------------


def test_reassign_from_inactive_sends_letter_back_and_assigns_again(django_capture_on_commit_callbacks):
    gone, other = reviewers(2)
    queue = factories.ReviewQueueFactory(reviewers=[gone, other], is_default=True)
    letter = factories.letter_in_state(Status.IN_REVIEW, queue=queue, reviewer=gone)
    gone.is_active = False
    gone.save()

    with django_capture_on_commit_callbacks() as callbacks:
        assert router.letter_reassign_from_inactive() == 1
    assert len(callbacks) == 1  # the router is nudged

    letter.refresh_from_db()
    assert (letter.status, letter.assignee) == (Status.QUEUED, None)
    back = events(letter)[-1]
    assert (back.from_status, back.to_status) == (Status.IN_REVIEW, Status.QUEUED)
    assert f"{gone.username} was deactivated" in back.note

    router.route_waiting_letters()
    assert Letter.objects.get(pk=letter.pk).assignee == other
    assert router.letter_reassign_from_inactive() == 0


def test_reassign_from_inactive_hands_pending_approval_to_another_approver():
    department = factories.DepartmentFactory()
    queue = factories.ReviewQueueFactory(department=department, reviewers=reviewers(1), is_default=True)
    gone = factories.UserFactory(roles=["approver"], department=department, approval_limit=Decimal(1000))
    other = factories.UserFactory(roles=["approver"], department=department, approval_limit=Decimal(1000))
    letter = factories.letter_in_state(
        Status.PENDING_APPROVAL, queue=queue, reviewer=queue.reviewers.first(), approver=gone
    )
    gone.is_active = False
    gone.save()

    assert router.letter_reassign_from_inactive() == 1

    letter.refresh_from_db()
    assert (letter.status, letter.assignee) == (Status.PENDING_APPROVAL, other)
    assert events(letter)[-1].kind == EventKind.ASSIGNED


# --- Rule sets, dry run, preview ---------------------------------------------------------------


def test_rule_create_without_ruleset_makes_version_one_active(default_queue, admin):
    created = rulesets.rule_create(order=1, queue=default_queue, by=admin)

    assert (created.ruleset.version, created.ruleset.status) == (1, RuleSet.State.ACTIVE)
    assert rulesets.rule_create(order=2, queue=default_queue, by=admin).ruleset == created.ruleset


def test_rule_create_refuses_bad_ranges_and_duplicate_orders(default_queue, admin):
    rulesets.rule_create(order=1, queue=default_queue, by=admin)

    with pytest.raises(InvalidInput) as error:
        rulesets.rule_create(
            order=2, queue=default_queue, min_amount=Decimal(5), max_amount=Decimal(1), by=admin
        )
    assert error.value.field == "min_amount"
    with pytest.raises(InvalidInput) as error:
        rulesets.rule_create(order=1, queue=default_queue, by=admin)
    assert error.value.field == "order"


def test_ruleset_activate_retires_the_previous_one(default_queue, admin):
    first = rulesets.rule_create(order=1, queue=default_queue, by=admin).ruleset
    draft = rulesets.ruleset_create(note="try", by=admin)

    rulesets.ruleset_activate(ruleset=draft, by=admin)

    first.refresh_from_db()
    draft.refresh_from_db()
    assert (first.status, draft.status) == (RuleSet.State.RETIRED, RuleSet.State.ACTIVE)
    assert list(draft.rules.values_list("order", flat=True)) == [1]  # a copy of the active rules
    with pytest.raises(StateConflict):
        rulesets.ruleset_activate(ruleset=first, by=admin)
    with pytest.raises(StateConflict):
        rulesets.rule_create(order=5, queue=default_queue, ruleset=first, by=admin)


def test_dry_run_lists_letters_that_would_land_elsewhere(default_queue, admin):
    subsidies = factories.ReviewQueueFactory(name="Subsidies", reviewers=reviewers(1))
    rulesets.rule_create(order=1, queue=subsidies, category=Category.SUBSIDY, by=admin)
    (_grant,) = submitted(category=Category.SUBSIDY, amount=Decimal(100))
    (big_grant,) = submitted(category=Category.SUBSIDY, amount=Decimal(5000000))
    (_desk,) = submitted(category=Category.SPACE)
    (old,) = submitted(category=Category.SUBSIDY, amount=Decimal(9000000))
    Letter.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=31))
    router.route_waiting_letters()
    big = factories.ReviewQueueFactory(name="Big", reviewers=reviewers(1))
    draft = rulesets.ruleset_create(by=admin)
    rulesets.rule_create(order=0, queue=big, min_amount=Decimal(1000000), ruleset=draft, by=admin)

    result = routing_selectors.dry_run(ruleset=draft)

    assert result.checked == 3
    assert [(m.letter_id, m.queue_id, m.active_queue_id, m.draft_queue_id) for m in result.moves] == [
        (big_grant.pk, subsidies.pk, subsidies.pk, big.pk)
    ]
    assert result.moves[0].draft_rule.order == 0
    assert Letter.objects.get(pk=big_grant.pk).queue == subsidies  # a dry run changes nothing


def test_preview_queue_names_queue_and_rule(default_queue, admin):
    expo = factories.ReviewQueueFactory(name="Expo")
    created = rulesets.rule_create(order=3, queue=expo, keywords="booth", by=admin)

    hit = routing_selectors.preview_queue(category=Category.EXPO, subject="A booth at the fair")
    miss = routing_selectors.preview_queue(category=Category.EXPO, subject="Nothing")

    assert (hit.queue, hit.rule.id) == (expo, created.pk)
    assert (miss.queue, miss.rule) == (default_queue, None)


# --- Queues ------------------------------------------------------------------------------------


def test_queue_create_default_unsets_previous_default(default_queue, admin):
    department = factories.DepartmentFactory()

    new = queues.queue_create(name="New", department=department, sla_hours=8, is_default=True, by=admin)

    default_queue.refresh_from_db()
    assert (new.is_default, default_queue.is_default) == (True, False)


def test_queue_create_first_queue_is_the_default(admin):
    queue = queues.queue_create(name="Only", department=factories.DepartmentFactory(), sla_hours=8, by=admin)

    assert queue.is_default is True


def test_queue_create_refuses_non_reviewers(admin):
    founder = factories.UserFactory(roles=["founder"])

    with pytest.raises(InvalidInput) as error:
        queues.queue_create(
            name="Q", department=factories.DepartmentFactory(), sla_hours=8, reviewers=[founder], by=admin
        )
    assert error.value.field == "reviewers"
    assert ReviewQueue.objects.count() == 0


def test_queue_update_refuses_removing_the_only_default(default_queue, admin):
    with pytest.raises(InvalidInput):
        queues.queue_update(queue=default_queue, is_default=False, by=admin)


def test_queue_update_new_reviewer_nudges_router_and_queued_letter_is_assigned(
    admin, django_capture_on_commit_callbacks
):
    queue = factories.ReviewQueueFactory(is_default=True)
    (letter,) = submitted()
    router.route_waiting_letters()
    assert Letter.objects.get(pk=letter.pk).status == Status.QUEUED
    (newcomer,) = reviewers(1)

    with django_capture_on_commit_callbacks() as callbacks:
        queues.queue_update(queue=queue, reviewers=[newcomer], by=admin)
    assert len(callbacks) == 1  # task_route_letters.nudge, after commit
    router.route_waiting_letters()  # what that task runs

    assert Letter.objects.get(pk=letter.pk).assignee == newcomer
