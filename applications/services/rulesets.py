"""Rule sets and routing rules (admin): versioned, edited as drafts, activated whole."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.activity import check_allowed, record_activity, update_fields
from core.exceptions import InvalidInput, StateConflict

from ..enums import Category
from ..models import ReviewQueue, RoutingRule, RuleSet

# --- Rule sets and rules (admin) ----------------------------------------------------------


def _next_version() -> int:
    return (RuleSet.objects.aggregate(top=Max("version"))["top"] or 0) + 1


def active_ruleset(*, create: bool = False, by: User | None = None) -> RuleSet | None:
    """The active rule set; with `create`, version N+1 is made active when there is none."""
    ruleset = RuleSet.objects.filter(status=RuleSet.State.ACTIVE).first()
    if ruleset is None and create:
        ruleset = RuleSet.objects.create(
            version=_next_version(), status=RuleSet.State.ACTIVE, activated_at=timezone.now(), created_by=by
        )
    return ruleset


@transaction.atomic
def ruleset_create(*, note: str = "", copy_active: bool = True, by: User) -> RuleSet:
    """An admin starts a draft rule set, by default a copy of the active one's rules.

    Side effects: creates the draft and its copied rules; an activity entry. Nothing routes
    by it until activated.
    """
    draft = RuleSet.objects.create(
        version=_next_version(), status=RuleSet.State.DRAFT, note=note, created_by=by
    )
    if copy_active:
        source = active_ruleset()
        if source is not None:
            RoutingRule.objects.bulk_create(
                RoutingRule(
                    ruleset=draft,
                    order=rule.order,
                    queue_id=rule.queue_id,
                    category=rule.category,
                    min_amount=rule.min_amount,
                    max_amount=rule.max_amount,
                    sector=rule.sector,
                    keywords=rule.keywords,
                )
                for rule in source.rules.order_by("order")
            )
    record_activity(draft, "created", by=by, changes={"version": [None, draft.version], "note": [None, note]})
    return draft


@transaction.atomic
def ruleset_activate(*, ruleset: RuleSet, by: User) -> RuleSet:
    """An admin switches a draft on: it becomes the active rule set and the previous active one
    is retired, in one transaction. Activating the active rule set again changes nothing.

    Side effects: the two status changes and `activated_at`; an activity entry on each rule set.
    """
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if ruleset.status == RuleSet.State.ACTIVE:
        return ruleset
    if ruleset.status != RuleSet.State.DRAFT:
        raise StateConflict(
            _("Only a draft rule set can be switched on; this one is %(s)s.")
            % {"s": ruleset.get_status_display()}
        )
    for previous in RuleSet.objects.select_for_update().filter(status=RuleSet.State.ACTIVE):
        update_fields(previous, {"status": RuleSet.State.RETIRED}, allowed={"status"}, by=by)
    update_fields(
        ruleset,
        {"status": RuleSet.State.ACTIVE, "activated_at": timezone.now()},
        allowed={"status", "activated_at"},
        by=by,
        action="activated",
    )
    return ruleset


def _clean_rule(
    *, ruleset: RuleSet, order, queue, category, min_amount, max_amount, sector, keywords, rule_id=None
) -> dict:
    if ruleset.status == RuleSet.State.RETIRED:
        raise StateConflict(_("A retired rule set cannot be changed; start a new draft."))
    if order is None or order < 0:
        raise InvalidInput(_("Give the rule an order (0 or more)."), field="order")
    if queue is None:
        raise InvalidInput(_("Choose the queue the rule sends letters to."), field="queue")
    if category and category not in Category.values:
        raise InvalidInput(_("Unknown category."), field="category")
    for name, amount in (("min_amount", min_amount), ("max_amount", max_amount)):
        if amount is not None and amount < 0:
            raise InvalidInput(_("An amount cannot be negative."), field=name)
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        raise InvalidInput(_("The minimum amount is above the maximum."), field="min_amount")
    if RoutingRule.objects.filter(ruleset=ruleset, order=order).exclude(pk=rule_id).exists():
        raise InvalidInput(_("This rule set already has a rule with this order."), field="order")
    words = [word.strip() for word in (keywords or "").split(",") if word.strip()]
    return {
        "order": order,
        "queue": queue,
        "category": category or "",
        "min_amount": min_amount,
        "max_amount": max_amount,
        "sector": sector or "",
        "keywords": ", ".join(words),
    }


@transaction.atomic
def rule_create(
    *,
    order: int,
    queue: ReviewQueue,
    category: str = "",
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    sector: str = "",
    keywords: str = "",
    ruleset: RuleSet | None = None,
    by: User,
) -> RoutingRule:
    """An admin adds a routing rule; every condition is optional. Without a rule set it joins
    the active one (which takes effect at once; version 1 is made if there is none).

    Side effects: creates the rule (and perhaps the first, active rule set); an activity entry.
    """
    if ruleset is None:
        ruleset = active_ruleset(create=True, by=by)
    else:
        ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    fields = _clean_rule(
        ruleset=ruleset,
        order=order,
        queue=queue,
        category=category,
        min_amount=min_amount,
        max_amount=max_amount,
        sector=sector,
        keywords=keywords,
    )
    try:
        with transaction.atomic():
            rule = RoutingRule.objects.create(ruleset=ruleset, **fields)
    except IntegrityError as exc:
        raise InvalidInput(_("This rule set already has a rule with this order."), field="order") from exc
    record_activity(
        rule, "created", by=by, changes={"ruleset": [None, ruleset], **{k: [None, v] for k, v in fields.items()}}
    )
    return rule


RULE_FIELDS = ("order", "queue", "category", "min_amount", "max_amount", "sector", "keywords")


@transaction.atomic
def rule_update(*, rule: RoutingRule, by: User, **changes) -> RoutingRule:
    """An admin changes a rule of a draft or of the active rule set.

    Only RULE_FIELDS may change (another field: 400).
    Side effects: saves the changed fields; an activity entry with their old and new values.
    """
    check_allowed(changes, RULE_FIELDS)
    rule = RoutingRule.objects.select_related("ruleset").select_for_update(of=("self",)).get(pk=rule.pk)
    current = {name: getattr(rule, name) for name in RULE_FIELDS}
    fields = _clean_rule(ruleset=rule.ruleset, rule_id=rule.pk, **{**current, **changes})
    update_fields(rule, fields, allowed=RULE_FIELDS, by=by)
    return rule


@transaction.atomic
def rule_delete(*, rule: RoutingRule, by: User) -> None:
    """Side effects: deletes the rule (not from a retired rule set: 409); an activity entry."""
    if rule.ruleset.status == RuleSet.State.RETIRED:
        raise StateConflict(_("A retired rule set cannot be changed; start a new draft."))
    record_activity(
        rule, "deleted", by=by, changes={name: [getattr(rule, name), None] for name in ("ruleset", *RULE_FIELDS)}
    )
    rule.delete()


