"""Which queue a letter goes to: the routing rules as plain objects, matched in memory (pure).

The router, the dry run and the preview all match with these, so they cannot disagree."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .models import Letter, ReviewQueue, RoutingRule, RuleSet

# --- Rule matching (pure) -----------------------------------------------------------------


@dataclass(frozen=True)
class LetterFacts:
    """What routing looks at in a letter."""

    category: str
    amount: Decimal | None
    sector: str
    text: str  # subject and body, lower-cased

    @classmethod
    def of(cls, letter: Letter) -> "LetterFacts":
        """A submitted letter's: its startup's sector as recorded at submission, not as it is now."""
        return cls.build(
            category=letter.category,
            requested_amount=letter.requested_amount,
            sector=letter.submitted_sector,
            subject=letter.subject,
            body=letter.body,
        )

    @classmethod
    def build(cls, *, category="", requested_amount=None, sector="", subject="", body="") -> "LetterFacts":
        return cls(category or "", requested_amount, sector or "", f"{subject or ''}\n{body or ''}".lower())


@dataclass(frozen=True)
class Rule:
    """A routing rule read once per batch, its keywords split."""

    id: int
    order: int
    version: int
    queue_id: int
    category: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    sector: str = ""
    keywords: tuple[str, ...] = ()

    @classmethod
    def of(cls, rule: RoutingRule, version: int) -> "Rule":
        return cls(
            id=rule.pk,
            order=rule.order,
            version=version,
            queue_id=rule.queue_id,
            category=rule.category,
            min_amount=rule.min_amount,
            max_amount=rule.max_amount,
            sector=rule.sector,
            keywords=tuple(rule.keyword_list),
        )

    def matches(self, facts: LetterFacts) -> bool:
        """Every condition set holds; an amount condition needs an amount."""
        if self.category and facts.category != self.category:
            return False
        if self.sector and facts.sector != self.sector:
            return False
        if self.min_amount is not None and (facts.amount is None or facts.amount < self.min_amount):
            return False
        if self.max_amount is not None and (facts.amount is None or facts.amount > self.max_amount):
            return False
        return not (self.keywords and not any(word in facts.text for word in self.keywords))

    def describe(self) -> str:
        conditions = []
        if self.category:
            conditions.append(_("category %(c)s") % {"c": self.category})
        if self.min_amount is not None or self.max_amount is not None:
            low = "" if self.min_amount is None else f"{self.min_amount:,}"
            high = "" if self.max_amount is None else f"{self.max_amount:,}"
            conditions.append(_("amount %(low)s–%(high)s") % {"low": low, "high": high})
        if self.sector:
            conditions.append(_("sector %(s)s") % {"s": self.sector})
        if self.keywords:
            conditions.append(_("keywords %(k)s") % {"k": ", ".join(self.keywords)})
        where = "; ".join(conditions) or _("any letter")
        return _("rule #%(order)s of rule set v%(version)s (%(where)s)") % {
            "order": self.order,
            "version": self.version,
            "where": where,
        }


def match_rule(facts: LetterFacts, rules: list[Rule]) -> Rule | None:
    """The first rule, by order, whose conditions all hold (`rules` are sorted by order)."""
    for rule in rules:
        if rule.matches(facts):
            return rule
    return None


def rules_of(ruleset_id: int | None = None) -> list[Rule]:
    """The rules of a rule set (the active one by default), in order: one query."""
    rows = RoutingRule.objects.select_related("ruleset").order_by("order", "id")
    rows = (
        rows.filter(ruleset_id=ruleset_id)
        if ruleset_id
        else rows.filter(ruleset__status=RuleSet.State.ACTIVE)
    )
    return [Rule.of(row, row.ruleset.version) for row in rows]


def default_queue_id() -> int | None:
    return ReviewQueue.objects.filter(is_default=True).values_list("pk", flat=True).first()


