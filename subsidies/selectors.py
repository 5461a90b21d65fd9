"""Reads of the subsidies domain, already scoped to what a user may see."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from startups.models import MonthlyReport
from startups.selectors import startups_sharing_registration

from .enums import AwardStatus, DisbursementStatus, LedgerKind
from .models import Award, AwardEvent, Disbursement, LedgerEntry, Program

ZERO = Decimal("0.00")


def _money_sum(expression):
    return Coalesce(Sum(expression), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=2))


def programs_visible_to(user) -> QuerySet[Program]:
    """Every signed-in user may read the programs (founders choose one to apply to)."""
    return Program.objects.order_by("-opens_on", "name", "id")


def open_programs(*, today: datetime.date | None = None) -> QuerySet[Program]:
    today = today or timezone.localdate()
    return Program.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "name")


def _ordered_disbursements():
    return Prefetch("disbursements", queryset=Disbursement.objects.order_by("number"))


def awards_visible_to(user) -> QuerySet[Award]:
    """Founders see their startups' awards; the incubator's staff see all. Tranches prefetched."""
    awards = Award.objects.select_related("program", "startup").prefetch_related(_ordered_disbursements())
    if not user.is_authenticated:
        return awards.none()
    if user.is_staff_member:
        return awards
    return awards.filter(startup__memberships__user=user)


# What the payment rule reads of a tranche (its award's decider and letter's department), fetched
# with it so that asking the rule row by row costs no query.
PAY_RULE_RELATED = ("award", "award__letter__queue")


def disbursements_visible_to(user) -> QuerySet[Disbursement]:
    disbursements = Disbursement.objects.select_related(*PAY_RULE_RELATED, "award__startup", "award__program")
    if not user.is_authenticated:
        return disbursements.none()
    if user.is_staff_member:
        return disbursements
    return disbursements.filter(award__startup__memberships__user=user)


def overdue_disbursements(*, today: datetime.date | None = None) -> QuerySet[Disbursement]:
    """Scheduled tranches whose day has passed, oldest first."""
    today = today or timezone.localdate()
    return (
        Disbursement.objects.filter(status=DisbursementStatus.SCHEDULED, due_on__lt=today)
        .select_related(*PAY_RULE_RELATED, "award__startup", "award__program")
        .order_by("due_on", "id")
    )


def award_events(award: Award) -> QuerySet[AwardEvent]:
    return award.events.select_related("actor").order_by("at", "id")


def register_awards() -> QuerySet[Award]:
    """The public register: every award not cancelled, newest first."""
    return (
        Award.objects.exclude(status=AwardStatus.CANCELLED)
        .select_related("startup", "program")
        .order_by("-created_at", "-id")
    )


def cap_window_start(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the rolling window of the per-startup cap (SUBSIDY_CAP_WINDOW_YEARS)."""
    now = now or timezone.now()
    years = int(getattr(settings, "SUBSIDY_CAP_WINDOW_YEARS", 3))
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def startup_cap() -> Decimal:
    return Decimal(str(getattr(settings, "SUBSIDY_STARTUP_CAP", "100000000.00")))


def startup_awarded_total(startup, *, now: datetime.datetime | None = None) -> Decimal:
    """What the startup was granted across all programs within the cap's window, less what was
    released since (a cancelled award still counts for what was paid), together with every
    startup of the same verified registration number: one company cannot multiply the cap by
    registering several startups."""
    return Award.objects.filter(
        startup__in=startups_sharing_registration(startup), created_at__gte=cap_window_start(now=now)
    ).aggregate(
        total=_money_sum(F("amount") - F("released"))
    )["total"]


def startup_awards(startup) -> QuerySet[Award]:
    return Award.objects.filter(startup=startup).select_related("program").order_by("-created_at", "-id")


def ledger_totals(program: Program) -> dict[str, Decimal]:
    """The program's budget, committed and disbursed recomputed from its ledger alone."""
    sums = dict(
        LedgerEntry.objects.filter(program=program)
        .exclude(kind=LedgerKind.BUDGET)
        .order_by()
        .values("kind")
        .annotate(total=Sum("amount"))
        .values_list("kind", "total")
    )
    last_budget = (
        LedgerEntry.objects.filter(program=program, kind=LedgerKind.BUDGET).order_by("-at", "-id").first()
    )
    return {
        "budget": last_budget.amount if last_budget else ZERO,
        "committed": sums.get(LedgerKind.COMMIT, ZERO) - sums.get(LedgerKind.RELEASE, ZERO),
        "disbursed": sums.get(LedgerKind.PAY, ZERO),
    }


def budget_series(program: Program) -> list[tuple[datetime.datetime, Decimal, Decimal, Decimal]]:
    """(at, budget, committed, disbursed) after each ledger entry, oldest first: the chart's data."""
    budget = committed = disbursed = ZERO
    series = []
    for entry in (
        LedgerEntry.objects.filter(program=program).order_by("at", "id").only("kind", "amount", "at")
    ):
        if entry.kind == LedgerKind.BUDGET:
            budget = entry.amount
        elif entry.kind == LedgerKind.COMMIT:
            committed += entry.amount
        elif entry.kind == LedgerKind.RELEASE:
            committed -= entry.amount
        elif entry.kind == LedgerKind.PAY:
            disbursed += entry.amount
        series.append((entry.at, budget, committed, disbursed))
    return series


def next_payment(award: Award) -> Disbursement | None:
    """The award's next scheduled tranche, from the prefetched tranches when there are some."""
    return next(
        (
            d
            for d in sorted(award.disbursements.all(), key=lambda d: d.number)
            if d.status == DisbursementStatus.SCHEDULED
        ),
        None,
    )


def startups_due_profit_check(*, overlap: datetime.timedelta) -> list[int]:
    """Startups with an active award still under its profit policy and a monthly report filed
    since that award was last checked (less `overlap`), or never checked."""
    reports = MonthlyReport.objects.filter(startup=OuterRef("startup"))
    due = (
        Award.objects.filter(status=AwardStatus.ACTIVE, profit_applied_at__isnull=True)
        .alias(
            has_report=Exists(reports),
            has_new_report=Exists(reports.filter(filed_at__gt=OuterRef("profit_checked_at") - overlap)),
        )
        .filter(Q(profit_checked_at__isnull=True, has_report=True) | Q(has_new_report=True))
    )
    return sorted(set(due.values_list("startup_id", flat=True)))
