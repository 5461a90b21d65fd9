"""Reads of the routing set-up: the dry run of a draft rule set and the queue preview."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from accounts.models import Department

from .enums import OPEN_FOR_REVIEW
from .matching import LetterFacts, Rule, default_queue_id, match_rule, rules_of
from .models import Letter, ReviewQueue, RoutingRule, RuleSet

DRY_RUN_DAYS = 30


# --- Dry run and preview ------------------------------------------------------------------


@dataclass
class Move:
    letter_id: int
    subject: str
    status: str
    queue_id: int | None  # where it is now
    active_queue_id: int | None  # where the active rule set sends it
    draft_queue_id: int | None  # where the draft would send it
    active_rule: Rule | None
    draft_rule: Rule | None


@dataclass
class DryRun:
    ruleset: RuleSet
    since: datetime.datetime
    checked: int
    moves: list[Move]
    queues: dict[int, ReviewQueue]


def dry_run(
    *, ruleset: RuleSet, since: datetime.datetime | None = None, now: datetime.datetime | None = None
) -> DryRun:
    """Replay the letters submitted since `since` (30 days by default) against `ruleset` and
    against the active rule set, and list the letters that would land in another queue.

    Side effects: none (reads only).
    """
    now = now or timezone.now()
    since = since or now - datetime.timedelta(days=DRY_RUN_DAYS)
    queues = {queue.pk: queue for queue in ReviewQueue.objects.all()}
    default = next((pk for pk, queue in queues.items() if queue.is_default), None)
    active_rules, draft_rules = rules_of(), rules_of(ruleset.pk)
    letters = (
        Letter.objects.filter(submitted_at__gte=since)
        .only(
            "id", "subject", "body", "category", "requested_amount", "status", "queue_id", "submitted_sector"
        )
        .order_by("submitted_at", "id")
    )
    checked, moves = 0, []
    for letter in letters.iterator(chunk_size=2000):
        checked += 1
        facts = LetterFacts.of(letter)
        active_rule, draft_rule = match_rule(facts, active_rules), match_rule(facts, draft_rules)
        active_queue = active_rule.queue_id if active_rule else default
        draft_queue = draft_rule.queue_id if draft_rule else default
        if active_queue != draft_queue:
            moves.append(
                Move(
                    letter.pk,
                    letter.subject,
                    letter.status,
                    letter.queue_id,
                    active_queue,
                    draft_queue,
                    active_rule,
                    draft_rule,
                )
            )
    return DryRun(ruleset=ruleset, since=since, checked=checked, moves=moves, queues=queues)


@dataclass
class Preview:
    queue: ReviewQueue | None
    rule: Rule | None


def preview_queue(
    *, category="", requested_amount=None, sector="", subject="", body="", ruleset: RuleSet | None = None
) -> Preview:
    """Which queue (and which rule) a letter with these fields would go to, under `ruleset`
    (the active one by default). Side effects: none."""
    facts = LetterFacts.build(
        category=category, requested_amount=requested_amount, sector=sector, subject=subject, body=body
    )
    rule = match_rule(facts, rules_of(ruleset.pk if ruleset else None))
    queue_id = rule.queue_id if rule else default_queue_id()
    queue = ReviewQueue.objects.select_related("department").filter(pk=queue_id).first() if queue_id else None
    return Preview(queue=queue, rule=rule)


# --- The routing pages' lists ----------------------------------------------------------------


def departments_with_counts():
    """Every department with how many queues and staff it has."""
    return Department.objects.annotate(
        queue_count=Count("queues", distinct=True), staff_count=Count("staff", distinct=True)
    ).order_by("name")


def queues_with_open_counts():
    """Every review queue with its reviewers, supervisors and how many letters are open in it."""
    return (
        ReviewQueue.objects.select_related("department")
        .prefetch_related("reviewers", "supervisors")
        .annotate(open_letters=Count("letters", filter=Q(letters__status__in=OPEN_FOR_REVIEW)))
        .order_by("department__name", "name")
    )


def rulesets_in_use() -> list[RuleSet]:
    """The active rule set first, then the drafts, newest first; each with its rules in order."""
    rulesets = (
        RuleSet.objects.exclude(status=RuleSet.State.RETIRED)
        .prefetch_related(
            Prefetch(
                "rules",
                queryset=RoutingRule.objects.select_related("queue__department").order_by("order", "id"),
            )
        )
        .order_by("-version")
    )
    return sorted(rulesets, key=lambda ruleset: (ruleset.status != RuleSet.State.ACTIVE, -ruleset.version))
