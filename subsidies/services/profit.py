"""The profit policy: once a startup has been profitable for a program's number of months, its
remaining tranches continue, taper or stop (releasing what is no longer owed)."""
import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.money import ZERO, format_money
from startups.models import MonthlyReport, Startup

from .. import selectors
from ..enums import AwardEventKind, AwardStatus, DisbursementStatus, ProfitPolicy
from ..models import Award, Disbursement
from ..money import taper
from .awards import lock_award, notify_award_founders, record_award_event, release_to_program

logger = logging.getLogger(__name__)



def profitable_streak(reports: list[tuple[datetime.date, Decimal]], *, since: datetime.date) -> int:
    """Consecutive profitable months counted back from the latest report, among the months
    from `since` on. `reports` are (period, profit), any order. A month without a report, or a
    loss, ends the streak."""
    streak, expected = 0, None
    for period, profit in sorted(reports, reverse=True):
        if period < since or profit <= 0:
            break
        if expected is not None and period != expected:
            break
        streak += 1
        expected = (period.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return streak


def _apply_policy(award: Award, *, now, by=None) -> bool:
    """Apply the program's profit policy to one locked award; True when something changed."""
    program = award.program
    award.profit_applied_at = now
    award.save(update_fields=["profit_applied_at"])
    months = {"n": program.profit_months}
    unpaid = list(award.disbursements.filter(status=DisbursementStatus.SCHEDULED).order_by("number"))
    if program.profit_policy == ProfitPolicy.CONTINUE or not unpaid:
        record_award_event(
            award,
            AwardEventKind.PROFIT_CONTINUE,
            by=by,
            note=_("Profitable for %(n)s consecutive months; the remaining tranches continue.") % months,
        )
        return False
    before = sum((d.amount for d in unpaid), ZERO)
    if program.profit_policy == ProfitPolicy.STOP:
        Disbursement.objects.filter(pk__in=[d.pk for d in unpaid]).update(status=DisbursementStatus.CANCELLED)
        released, kind = before, AwardEventKind.STOPPED
        note = _(
            "Profitable for %(n)s consecutive months: the remaining tranches are stopped; %(r)s released."
        ) % {
            **months,
            "r": format_money(released),
        }
    else:
        new_amounts = taper([d.amount for d in unpaid], program.taper_percent)
        for disbursement, new_amount in zip(unpaid, new_amounts):
            if new_amount <= 0:  # nothing left of it: no longer owed (the amount is kept as it was)
                disbursement.status = DisbursementStatus.CANCELLED
            else:
                disbursement.amount = new_amount
        Disbursement.objects.bulk_update(unpaid, ["amount", "status"])
        released, kind = before - sum(new_amounts, ZERO), AwardEventKind.TAPERED
        note = _(
            "Profitable for %(n)s consecutive months: the remaining tranches are tapered by %(p)s%%, "
            "from %(before)s to %(after)s; %(r)s released."
        ) % {
            **months,
            "p": program.taper_percent.normalize(),
            "before": format_money(before),
            "after": format_money(before - released),
            "r": format_money(released),
        }
    release_to_program(award, released, by=by, note=str(AwardEventKind(kind).label))
    if not award.disbursements.filter(status=DisbursementStatus.SCHEDULED).exists():
        award.status = AwardStatus.STOPPED
        award.save(update_fields=["status"])
    record_award_event(award, kind, by=by, note=note)
    notify_award_founders(award, _("Your %(program)s subsidy has changed") % {"program": program.name}, note)
    return True


@transaction.atomic
def apply_profit_policy(*, startup: Startup, by=None, now: datetime.datetime | None = None) -> list[Award]:
    """Evaluate the startup's active awards against its monthly reports: an award whose startup
    has been profitable (profit > 0) for its program's number of consecutive months, counted
    back from the latest report and only over months from the award's month on, gets the
    program's policy, once: continue, taper the unpaid tranches by the percentage (to the
    cent), or stop them. Idempotent.

    Side effects: per award applied, tranches tapered or cancelled, what is no longer owed
    released to the budget (ledger `release`), a timeline event, the founders notified; every
    evaluated award's `profit_checked_at` set (the beat task's watermark). Returns the awards
    that changed.
    """
    now = now or timezone.now()
    reports = [
        (period, revenue - expenses)
        for period, revenue, expenses in MonthlyReport.objects.filter(startup=startup).values_list(
            "period", "revenue", "expenses"
        )
    ]
    changed = []
    award_ids = list(
        Award.objects.filter(startup=startup, status=AwardStatus.ACTIVE, profit_applied_at__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for award_id in award_ids:
        award = lock_award(award_id)
        if award.status != AwardStatus.ACTIVE or award.profit_applied_at is not None:
            continue
        since = timezone.localdate(award.created_at).replace(day=1)
        due = profitable_streak(reports, since=since) >= award.program.profit_months
        if due and _apply_policy(award, now=now, by=by):
            changed.append(award)
        award.profit_checked_at = now
        award.save(update_fields=["profit_checked_at"])
    return changed


# A report filed (and committed) a little before the watermark is read again: the evaluation is
# idempotent, so reading twice costs little and missing one costs a wrong payment.
WATERMARK_OVERLAP = datetime.timedelta(minutes=10)


def profit_policies_evaluate(*, now: datetime.datetime | None = None) -> int:
    """The beat task's service: evaluate every startup with an active award still under its
    program's profit policy and a monthly report filed since that award was last checked.

    Side effects: `apply_profit_policy` per startup, each in its own transaction. Returns how
    many startups were evaluated.
    """
    now = now or timezone.now()
    startup_ids = selectors.startups_due_profit_check(overlap=WATERMARK_OVERLAP)
    for startup in Startup.objects.filter(pk__in=startup_ids).order_by("id"):
        try:
            apply_profit_policy(startup=startup, now=now)
        except DomainError:  # one startup's refusal must not hold up the others; retried next run
            logger.exception("profit policy not applied for startup %s", startup.pk)
    return len(startup_ids)


