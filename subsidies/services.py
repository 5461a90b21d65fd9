"""Every write about subsidies: programs, awards, tranches, the profit policy.

The money of a program (the one definition, also in models.py):
`committed` is the total currently committed to awards INCLUDING what has already been paid;
`disbursed` is what has been paid so far; `available` = budget - committed; and always
0 <= disbursed <= committed <= budget (CheckConstraints on the program row).

Every movement of money writes one append-only `LedgerEntry` (commit, release, pay; and
`budget` when an admin sets the budget) in the same transaction as the change to the program
row, so the ledger recomputes the row (`selectors.ledger_totals`). The row changes only in
`_move_money`: it locks the program row (`select_for_update`; on SQLite the transaction is
IMMEDIATE, which serialises writers the same way), checks the new figures in Decimal and writes
them, so no interleaving of approvals can overspend a budget: an approval the budget cannot
cover raises `StateConflict` (409) and its transaction - the letter's approval with it - rolls
back. (Not `update(committed=F("committed") + amount)`: SQLite computes that in binary floating
point, and 0.10 + 0.20 would not fit a budget of 0.30.) The CheckConstraints back the check.
Award-level changes (paying, cancelling, the profit policy) lock the award row first, then the
program: one lock order everywhere.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import Category
from applications.models import Letter
from core.exceptions import DomainError, InvalidInput, StateConflict
from core.money import CENT, format_money, split_to_cents
from notifications.services import Notice, notify, notify_all
from startups.enums import Sector, Stage
from startups.models import MonthlyReport, Startup

from . import selectors
from .enums import AwardEventKind, AwardStatus, DisbursementStatus, LedgerKind, ProfitPolicy
from .models import Award, AwardEvent, Disbursement, LedgerEntry, Program
from .money import taper, tranche_dates

ZERO = Decimal("0.00")
logger = logging.getLogger(__name__)

PROGRAM_FIELDS = (
    "name",
    "description",
    "budget",
    "max_award",
    "opens_on",
    "closes_on",
    "eligible_stages",
    "eligible_sectors",
    "registered_only",
    "tranches",
    "tranche_spacing_months",
    "profit_months",
    "profit_policy",
    "taper_percent",
)

# The permissive defaults of a program: any stage, any sector, registered or not, one tranche,
# and the tranches continue when the startup turns a profit.
PROGRAM_DEFAULTS = {
    "description": "",
    "eligible_stages": [],
    "eligible_sectors": [],
    "registered_only": False,
    "tranches": 1,
    "tranche_spacing_months": 1,
    "profit_months": 3,
    "profit_policy": ProfitPolicy.CONTINUE,
    "taper_percent": ZERO,
}


# --- Programs -------------------------------------------------------------------------------


def _clean_program(values: dict, *, program_id=None) -> dict:
    """Check a program's fields (all of them, merged); raise InvalidInput on the first wrong one."""
    name = (values.get("name") or "").strip()
    if not name:
        raise InvalidInput(_("A program needs a name."), field="name")
    if Program.objects.filter(name__iexact=name).exclude(pk=program_id).exists():
        raise InvalidInput(_("Another program has this name."), field="name")
    values["name"] = name
    for field in ("budget", "max_award", "taper_percent"):
        values[field] = Decimal(values[field])
        if values[field] != values[field].quantize(CENT):
            raise InvalidInput(_("Use at most two decimal places."), field=field)
    if values["budget"] < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="budget")
    if values["max_award"] <= 0:
        raise InvalidInput(_("The maximum award must be above zero."), field="max_award")
    if values["closes_on"] < values["opens_on"]:
        raise InvalidInput(_("The program cannot close before it opens."), field="closes_on")
    stages = list(dict.fromkeys(values.get("eligible_stages") or []))
    if set(stages) - set(Stage.values):
        raise InvalidInput(
            _("Unknown stage: choose among %(s)s.") % {"s": ", ".join(Stage.values)}, field="eligible_stages"
        )
    sectors = list(dict.fromkeys(values.get("eligible_sectors") or []))
    if set(sectors) - set(Sector.values):
        raise InvalidInput(
            _("Unknown sector: choose among %(s)s.") % {"s": ", ".join(Sector.values)},
            field="eligible_sectors",
        )
    values["eligible_stages"], values["eligible_sectors"] = stages, sectors
    if not 1 <= int(values["tranches"]) <= 120:
        raise InvalidInput(_("A program pays in 1 to 120 tranches."), field="tranches")
    if not 1 <= int(values["tranche_spacing_months"]) <= 60:
        raise InvalidInput(_("Tranches are 1 to 60 months apart."), field="tranche_spacing_months")
    if not 1 <= int(values["profit_months"]) <= 60:
        raise InvalidInput(_("Count 1 to 60 profitable months."), field="profit_months")
    if values["profit_policy"] not in ProfitPolicy.values:
        raise InvalidInput(_("Unknown profit policy."), field="profit_policy")
    if not ZERO <= values["taper_percent"] <= 100:
        raise InvalidInput(_("The taper is a percentage from 0 to 100."), field="taper_percent")
    if values["profit_policy"] == ProfitPolicy.TAPER and values["taper_percent"] == 0:
        raise InvalidInput(_("A taper needs a percentage above zero."), field="taper_percent")
    return values


def check_program_values(values: dict, *, program: Program | None = None) -> dict:
    """The checks of program_create / program_update without saving (for forms that want to
    show errors next to their fields). Raises InvalidInput."""
    values = _clean_program(
        {**PROGRAM_DEFAULTS, **{k: v for k, v in values.items() if v is not None}},
        program_id=getattr(program, "pk", None),
    )
    if program is not None and values["budget"] < program.committed:
        raise InvalidInput(
            _("The budget cannot go below what is already committed (%(c)s).")
            % {"c": format_money(program.committed)},
            field="budget",
        )
    return values


def _ledger(
    program: Program, kind: str, amount: Decimal, *, by=None, award: Award | None = None, note: str = ""
):
    return LedgerEntry.objects.create(
        program=program, award=award, kind=kind, amount=amount, by=by, note=note[:300]
    )


@transaction.atomic
def program_create(
    *,
    by,
    name: str,
    budget: Decimal,
    max_award: Decimal,
    opens_on: datetime.date,
    closes_on: datetime.date,
    **optional,
) -> Program:
    """An admin creates a program; what is not given takes the permissive default (any stage,
    any sector, registered or not, one tranche, continue on profit).

    Side effects: creates the program and its first ledger entry (`budget`).
    """
    unknown = set(optional) - set(PROGRAM_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown program fields: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    values = {
        **PROGRAM_DEFAULTS,
        **{key: value for key, value in optional.items() if value is not None},
        "name": name,
        "budget": budget,
        "max_award": max_award,
        "opens_on": opens_on,
        "closes_on": closes_on,
    }
    values = _clean_program(values)
    try:
        with transaction.atomic():
            program = Program.objects.create(**values, created_by=by)
    except IntegrityError as exc:
        raise InvalidInput(_("Another program has this name."), field="name") from exc
    _ledger(program, LedgerKind.BUDGET, program.budget, by=by, note=_("Program created"))
    return program


@transaction.atomic
def program_update(*, program: Program, by, **changes) -> Program:
    """An admin edits a program. The budget cannot go below what is committed; the new terms
    apply to awards made from now on.

    Side effects: saves the changed fields under a row lock; a `budget` ledger entry when the
    budget changes.
    """
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    locked = Program.objects.select_for_update().get(pk=program.pk)
    values = _clean_program(
        {**{field: getattr(locked, field) for field in PROGRAM_FIELDS}, **changes}, program_id=locked.pk
    )
    if values["budget"] < locked.committed:
        raise InvalidInput(
            _("The budget cannot go below what is already committed (%(c)s).") % {"c": format_money(locked.committed)},
            field="budget",
        )
    budget_changed = values["budget"] != locked.budget
    changed = [field for field in PROGRAM_FIELDS if values[field] != getattr(locked, field)]
    for field in changed:
        setattr(locked, field, values[field])
    if changed:
        locked.save(update_fields=changed)
    if budget_changed:
        _ledger(locked, LedgerKind.BUDGET, locked.budget, by=by, note=_("Budget changed"))
    return locked


# --- Eligibility and caps (the letter handler's checks) ---------------------------------------


def _program_of(letter: Letter) -> Program:
    if letter.program_id is None:
        raise InvalidInput(_("A subsidy letter names the program it applies to."), field="program")
    program = Program.objects.filter(pk=letter.program_id).first()
    if program is None:
        raise InvalidInput(_("There is no such subsidy program."), field="program")
    return program


# The approval's check hands the program it read to the fulfilment that follows it in the same
# transaction (its terms only: the money is read again under the row lock), on the letter.
_CHECKED_PROGRAM = "_approval_checked_program"


def _checked_program_of(letter: Letter) -> Program:
    program = letter.__dict__.pop(_CHECKED_PROGRAM, None)
    if program is None or program.pk != letter.program_id:
        program = _program_of(letter)
    return program


def clean_subsidy_draft(*, startup, requested_amount: Decimal | None, program_id: int | None) -> None:
    """A subsidy draft names an existing program and a positive amount (400 otherwise)."""
    if program_id is None:
        raise InvalidInput(_("A subsidy letter names the program it applies to."), field="program")
    if not Program.objects.filter(pk=program_id).exists():
        raise InvalidInput(_("There is no such subsidy program."), field="program")
    if requested_amount is None or requested_amount <= 0:
        raise InvalidInput(_("A subsidy letter asks for an amount above zero."), field="requested_amount")


def _check_cap(startup: Startup, amount: Decimal) -> None:
    cap = selectors.startup_cap()
    used = selectors.startup_awarded_total(startup)
    if used + amount > cap:
        raise InvalidInput(
            _(
                "This would bring the startup's subsidies over the cap of %(cap)s within the last %(years)s "
                "years: %(used)s already granted, %(left)s left."
            )
            % {
                "cap": format_money(cap),
                "years": _years(),
                "used": format_money(used),
                "left": format_money(max(cap - used, ZERO)),
            },
            field="requested_amount",
        )


def _years() -> int:
    return int(getattr(settings, "SUBSIDY_CAP_WINDOW_YEARS", 3))


def _check_eligible(program: Program, startup: Startup) -> None:
    if program.eligible_stages and startup.stage not in program.eligible_stages:
        raise InvalidInput(
            _(
                "%(program)s is for startups at these stages: %(stages)s; %(startup)s is at the %(stage)s stage."
            )
            % {
                "program": program.name,
                "stages": ", ".join(str(Stage(s).label) for s in program.eligible_stages),
                "startup": startup.name,
                "stage": startup.get_stage_display(),
            },
            field="program",
        )
    if program.eligible_sectors and startup.sector not in program.eligible_sectors:
        raise InvalidInput(
            _("%(program)s is for startups in these sectors: %(sectors)s; %(startup)s is in %(sector)s.")
            % {
                "program": program.name,
                "sectors": ", ".join(str(Sector(s).label) for s in program.eligible_sectors),
                "startup": startup.name,
                "sector": startup.get_sector_display(),
            },
            field="program",
        )
    if program.registered_only and not startup.is_registered:
        raise InvalidInput(
            _("%(program)s is for registered startups only; register %(startup)s first.")
            % {"program": program.name, "startup": startup.name},
            field="program",
        )


def _check_amount(program: Program, amount: Decimal | None, *, field="requested_amount") -> Decimal:
    if amount is None or amount <= 0:
        raise InvalidInput(_("A subsidy is an amount above zero."), field=field)
    if amount != Decimal(amount).quantize(CENT):
        raise InvalidInput(_("Use at most two decimal places."), field=field)
    if amount > program.max_award:
        raise InvalidInput(
            _("%(amount)s is above this program's maximum award of %(max)s.")
            % {"amount": format_money(amount), "max": format_money(program.max_award)},
            field=field,
        )
    return Decimal(amount)


def check_subsidy_submission(letter: Letter) -> None:
    """The founder submits: the program is open today, the amount within its maximum, the
    startup eligible (stage, sector, registration) and under the cap. InvalidInput (400) with
    the reason otherwise."""
    program = _program_of(letter)
    today = timezone.localdate()
    if not program.is_open_on(today):
        if today < program.opens_on:
            message = _("%(program)s opens on %(day)s.") % {
                "program": program.name,
                "day": program.opens_on.isoformat(),
            }
        else:
            message = _("%(program)s closed on %(day)s.") % {
                "program": program.name,
                "day": program.closes_on.isoformat(),
            }
        raise InvalidInput(message, field="program")
    amount = _check_amount(program, letter.requested_amount)
    _check_eligible(program, letter.startup)
    _check_cap(letter.startup, amount)


def _decided_amount(letter: Letter, amount: Decimal | None) -> Decimal | None:
    return letter.requested_amount if amount is None else amount


def check_subsidy_approval(letter: Letter, *, amount: Decimal | None) -> None:
    """An approver is about to approve: the amount (the requested one unless the approver
    grants less) is above zero, not above what was asked nor the program's maximum, and the
    startup stays under the cap. The budget is checked when it is committed (fulfil)."""
    program = _program_of(letter)
    amount = _check_amount(program, _decided_amount(letter, amount), field="amount")
    _check_not_above_asked(letter, amount)
    _check_cap(letter.startup, amount)
    letter.__dict__[_CHECKED_PROGRAM] = program


def _check_not_above_asked(letter: Letter, amount: Decimal) -> None:
    if letter.requested_amount is not None and amount > letter.requested_amount:
        raise InvalidInput(
            _("An award cannot exceed the amount asked for (%(asked)s).")
            % {"asked": format_money(letter.requested_amount)},
            field="amount",
        )


# --- Awards ---------------------------------------------------------------------------------


def _founders(startup: Startup):
    return [membership.user for membership in startup.memberships.select_related("user")]


def _award_link(award: Award) -> str:
    return reverse("subsidies:award_detail", args=[award.pk])


def _event(award: Award, kind: str, *, by=None, note: str = "") -> AwardEvent:
    return AwardEvent.objects.create(award=award, kind=kind, actor=by, note=note)


def _notify_founders(award: Award, subject: str, body: str) -> None:
    notify(recipients=_founders(award.startup), subject=subject, body=body, link=_award_link(award))


def _move_money(program_id: int, *, commit: Decimal = ZERO, pay: Decimal = ZERO) -> tuple[Program, bool]:
    """Add `commit` to the program's committed and `pay` to its disbursed, under a row lock,
    only if 0 <= disbursed <= committed <= budget still holds. Returns (program, moved).

    The lock is FOR NO KEY UPDATE (what the UPDATE itself takes on PostgreSQL): it does not
    wait for the key-share locks that inserting awards and ledger entries of the program take,
    so a transaction may write those first and take this lock last."""
    program = Program.objects.select_for_update(no_key=True).get(pk=program_id)
    committed, disbursed = program.committed + commit, program.disbursed + pay
    if not ZERO <= disbursed <= committed <= program.budget:
        return program, False
    program.committed, program.disbursed = committed, disbursed
    program.save(update_fields=["committed", "disbursed"])
    return program, True


def _release(award: Award, amount: Decimal, *, by=None, note: str = "") -> None:
    """Give `amount` of an award back to its program's budget (the caller locked the award)."""
    if amount <= 0:
        return
    _program, moved = _move_money(award.program_id, commit=-amount)
    if not moved:  # the ledger and the row disagree: refuse rather than corrupt
        raise StateConflict(_("The program's commitments do not allow this release."))
    award.released += amount
    award.save(update_fields=["released"])
    _ledger(award.program, LedgerKind.RELEASE, amount, by=by, award=award, note=note)


@transaction.atomic
def award_create(*, letter: Letter, amount: Decimal | None = None, by) -> Award:
    """Fulfil an approved subsidy letter: commit the amount against the program's budget and
    schedule its tranches. Runs inside the approval's transaction (letter_decide, through
    `award_fulfil`), so a refusal leaves the letter pending.

    Side effects: creates the award, a `commit` ledger entry, the tranches (adding up to the
    amount to the cent, the rounding on the last), the timeline's first event; notifies the
    founders (in-app now, e-mail on commit); last, the program's `committed` raised under its
    row lock (StateConflict, 409, when the available budget cannot cover it: everything rolls
    back).
    """
    if letter.category != Category.SUBSIDY:
        raise InvalidInput(_("Only a subsidy letter is fulfilled by an award."))
    if Award.objects.filter(letter_id=letter.pk).exists():
        raise StateConflict(_("This letter already has an award."))
    return award_fulfil(letter=letter, amount=amount, by=by)


def award_fulfil(*, letter: Letter, amount: Decimal | None, by, founders=None, notices=()) -> Award:
    """award_create's work, in the caller's transaction (which rolls back on a refusal).

    The caller holds the letter's row lock and has seen it pending approval, so it has no
    award yet (the one-to-one constraint backs this: IntegrityError). The program's row is the
    hot one (every approval of the program updates it): every other write comes first and the
    row is locked and updated last, right before the caller commits, so approvals of one
    program wait for each other only for that update. `founders` are the startup's members to
    notify (read here when not given); `notices` (the decision's) are sent with the award's.
    """
    program = _checked_program_of(letter)
    amount = _check_amount(program, _decided_amount(letter, amount), field="amount")
    _check_not_above_asked(letter, amount)
    now = timezone.now()
    award = Award.objects.create(
        letter=letter, program=program, startup=letter.startup, amount=amount, by=by, created_at=now
    )
    _ledger(
        program, LedgerKind.COMMIT, amount, by=by, award=award, note=_("Letter #%(id)s") % {"id": letter.pk}
    )
    amounts = split_to_cents(amount, program.tranches)
    dates = tranche_dates(timezone.localdate(now), len(amounts), program.tranche_spacing_months)
    Disbursement.objects.bulk_create(
        Disbursement(award=award, number=number, due_on=due_on, amount=part)
        for number, (due_on, part) in enumerate(zip(dates, amounts), start=1)
    )
    _event(
        award,
        AwardEventKind.CREATED,
        by=by,
        note=_("%(amount)s from %(program)s in %(n)s tranche(s).")
        % {"amount": format_money(amount), "program": program.name, "n": len(amounts)},
    )
    awarded = Notice(
        _founders(award.startup) if founders is None else founders,
        subject=_("Subsidy awarded: %(amount)s from %(program)s")
        % {"amount": format_money(amount), "program": program.name},
        body=_('Your letter "%(subject)s" was approved. The first tranche of %(first)s is due on %(day)s.')
        % {"subject": letter.subject, "first": format_money(amounts[0]), "day": dates[0].isoformat()},
        link=_award_link(award),
    )
    notify_all([*notices, awarded])
    locked, moved = _move_money(program.pk, commit=amount)
    if not moved:
        raise StateConflict(
            _("The program's available budget (%(available)s) cannot cover this award (%(amount)s).")
            % {"available": format_money(locked.available), "amount": format_money(amount)}
        )
    award.program = locked
    return award


def _lock_award(award_id: int) -> Award:
    return Award.objects.select_for_update().select_related("program", "startup").get(pk=award_id)


@transaction.atomic
def award_cancel(*, award: Award, by, note: str = "") -> Award:
    """An admin cancels an active award: its unpaid tranches are cancelled and what they held
    is released to the budget (what was paid stays committed).

    Side effects: tranches cancelled; the award `cancelled`; a `release` ledger entry and the
    program's `committed` lowered; a timeline event; the founders notified.
    """
    award = _lock_award(award.pk)
    if award.status != AwardStatus.ACTIVE:
        raise StateConflict(
            _("An award that is %(status)s cannot be cancelled.") % {"status": award.get_status_display()}
        )
    unpaid = list(award.disbursements.filter(status=DisbursementStatus.SCHEDULED))
    released = sum((d.amount for d in unpaid), ZERO)
    Disbursement.objects.filter(pk__in=[d.pk for d in unpaid]).update(status=DisbursementStatus.CANCELLED)
    award.status = AwardStatus.CANCELLED
    award.save(update_fields=["status"])
    _release(award, released, by=by, note=_("Award cancelled"))
    text = _("Award cancelled; %(released)s released to the budget.") % {"released": format_money(released)}
    if note:
        text = f"{text} {note}"
    _event(award, AwardEventKind.CANCELLED, by=by, note=text)
    _notify_founders(award, _("Subsidy cancelled: %(program)s") % {"program": award.program.name}, text)
    return award


@transaction.atomic
def disbursement_pay(*, disbursement: Disbursement, by) -> Disbursement:
    """An approver or admin pays one tranche, once (StateConflict, 409, the second time).

    Side effects: the tranche `paid` (a guarded update); the program's `disbursed` raised and a
    `pay` ledger entry; a timeline event; the award `completed` when nothing is left to pay;
    the founders notified.
    """
    award = _lock_award(disbursement.award_id)
    now = timezone.now()
    updated = Disbursement.objects.filter(pk=disbursement.pk, status=DisbursementStatus.SCHEDULED).update(
        status=DisbursementStatus.PAID, paid_at=now, paid_by=by
    )
    disbursement.refresh_from_db()
    if not updated:
        raise StateConflict(
            _("This tranche is %(status)s; it cannot be paid.")
            % {"status": disbursement.get_status_display()}
        )
    amount = disbursement.amount
    _program, moved = _move_money(award.program_id, pay=amount)
    if not moved:
        raise StateConflict(_("The program's commitments do not cover this payment."))
    _ledger(
        award.program,
        LedgerKind.PAY,
        amount,
        by=by,
        award=award,
        note=_("Tranche %(n)s") % {"n": disbursement.number},
    )
    _event(
        award,
        AwardEventKind.PAID,
        by=by,
        note=_("Tranche %(n)s of %(amount)s paid.") % {"n": disbursement.number, "amount": format_money(amount)},
    )
    if not award.disbursements.filter(status=DisbursementStatus.SCHEDULED).exists():
        award.status = AwardStatus.COMPLETED
        award.save(update_fields=["status"])
        _event(award, AwardEventKind.COMPLETED, by=by, note=_("Every tranche is paid."))
    _notify_founders(
        award,
        _("Tranche paid: %(amount)s") % {"amount": format_money(amount)},
        _("Tranche %(n)s of your %(program)s award has been paid.")
        % {"n": disbursement.number, "program": award.program.name},
    )
    return disbursement


# --- Profit ---------------------------------------------------------------------------------


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
        _event(
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
    _release(award, released, by=by, note=str(AwardEventKind(kind).label))
    if not award.disbursements.filter(status=DisbursementStatus.SCHEDULED).exists():
        award.status = AwardStatus.STOPPED
        award.save(update_fields=["status"])
    _event(award, kind, by=by, note=note)
    _notify_founders(award, _("Your %(program)s subsidy has changed") % {"program": program.name}, note)
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
        award = _lock_award(award_id)
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


# --- What the approver sees -----------------------------------------------------------------


def describe_subsidy(letter: Letter) -> dict:
    """Facts for the approver's decision form: the program's budget and the startup's history."""
    program = Program.objects.filter(pk=letter.program_id).first() if letter.program_id else None
    history = list(selectors.startup_awards(letter.startup)[:20])
    cap = selectors.startup_cap()
    used = selectors.startup_awarded_total(letter.startup)
    facts = {
        "program": program.name if program else None,
        "program_id": program.pk if program else None,
        "budget": program.budget if program else None,
        "committed": program.committed if program else None,
        "disbursed": program.disbursed if program else None,
        "available": program.available if program else None,
        "max_award": program.max_award if program else None,
        "cap": cap,
        "cap_used": used,
        "cap_left": max(cap - used, ZERO),
        "previous_awards": [
            {
                "id": award.pk,
                "program": award.program.name,
                "amount": award.amount,
                "owed": award.owed,
                "status": award.get_status_display(),
                "date": timezone.localdate(award.created_at),
            }
            for award in history
        ],
    }
    return facts
