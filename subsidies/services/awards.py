"""Awards and the ledger: granting, paying and cancelling, and every movement of a program's money.

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

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Letter
from core.exceptions import NotFound, NotPermitted, StateConflict
from core.money import ZERO, format_money, split_to_cents
from notifications.services import Notice, notify, notify_all
from startups.models import Startup

from ..enums import AwardEventKind, AwardStatus, DisbursementStatus, LedgerKind
from ..models import Award, AwardEvent, Disbursement, LedgerEntry, Program
from ..money import tranche_dates
from ..selectors import PAY_RULE_RELATED


# --- The ledger and awards---------------------------------------------------------------------
def write_ledger(
    program: Program, kind: str, amount: Decimal, *, by=None, award: Award | None = None, note: str = ""
):
    return LedgerEntry.objects.create(
        program=program, award=award, kind=kind, amount=amount, by=by, note=note[:300]
    )




def _founders(startup: Startup):
    return [membership.user for membership in startup.memberships.select_related("user")]


def _award_link(award: Award) -> str:
    return reverse("subsidies:award_detail", args=[award.pk])


def record_award_event(award: Award, kind: str, *, by=None, note: str = "") -> AwardEvent:
    return AwardEvent.objects.create(award=award, kind=kind, actor=by, note=note)


def notify_award_founders(award: Award, subject: str, body: str) -> None:
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


def release_to_program(award: Award, amount: Decimal, *, by=None, note: str = "") -> None:
    """Give `amount` of an award back to its program's budget (the caller locked the award)."""
    if amount <= 0:
        return
    _program, moved = _move_money(award.program_id, commit=-amount)
    if not moved:  # the ledger and the row disagree: refuse rather than corrupt
        raise StateConflict(_("The program's commitments do not allow this release."))
    award.released += amount
    award.save(update_fields=["released"])
    write_ledger(award.program, LedgerKind.RELEASE, amount, by=by, award=award, note=note)


def award_fulfil(
    *, letter: Letter, program: Program, amount: Decimal, by, founders=None, notices=()
) -> Award:
    """Fulfil an approved subsidy letter: commit `amount` (checked by `check_subsidy_approval`)
    against `program`'s budget and schedule its tranches, in the caller's transaction (the
    approval's: a refusal rolls the approval back and the letter stays pending).

    Side effects: creates the award, a `commit` ledger entry, the tranches (adding up to the
    amount to the cent, the rounding on the last), the timeline's first event; notifies the
    founders (in-app now, e-mail on commit) with the decision's `notices`; last, the program's
    `committed` raised under its row lock (StateConflict, 409, when the available budget cannot
    cover it).

    The caller holds the letter's row lock and has seen it pending approval, so it has no
    award yet (the one-to-one constraint backs this: IntegrityError). The program's row is the
    hot one (every approval of the program updates it): every other write comes first and the
    row is locked and updated last, right before the caller commits, so approvals of one
    program wait for each other only for that update. `founders` are the startup's members to
    notify (read here when not given); `notices` (the decision's) are sent with the award's.
    """
    now = timezone.now()
    award = Award.objects.create(
        letter=letter, program=program, startup=letter.startup, amount=amount, by=by, created_at=now
    )
    write_ledger(
        program, LedgerKind.COMMIT, amount, by=by, award=award, note=_("Letter #%(id)s") % {"id": letter.pk}
    )
    amounts = split_to_cents(amount, program.tranches)
    dates = tranche_dates(timezone.localdate(now), len(amounts), program.tranche_spacing_months)
    Disbursement.objects.bulk_create(
        Disbursement(award=award, number=number, due_on=due_on, amount=part)
        for number, (due_on, part) in enumerate(zip(dates, amounts), start=1)
    )
    record_award_event(
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


def lock_award(award_id: int) -> Award:
    return Award.objects.select_for_update().select_related("program", "startup").get(pk=award_id)


@transaction.atomic
def award_cancel(*, award: Award, by, note: str = "") -> Award:
    """An admin cancels an active award: its unpaid tranches are cancelled and what they held
    is released to the budget (what was paid stays committed).

    Side effects: tranches cancelled; the award `cancelled`; a `release` ledger entry and the
    program's `committed` lowered; a timeline event; the founders notified.
    """
    award = lock_award(award.pk)
    if award.status != AwardStatus.ACTIVE:
        raise StateConflict(
            _("An award that is %(status)s cannot be cancelled.") % {"status": award.get_status_display()}
        )
    unpaid = list(award.disbursements.filter(status=DisbursementStatus.SCHEDULED))
    released = sum((d.amount for d in unpaid), ZERO)
    Disbursement.objects.filter(pk__in=[d.pk for d in unpaid]).update(status=DisbursementStatus.CANCELLED)
    award.status = AwardStatus.CANCELLED
    award.save(update_fields=["status"])
    release_to_program(award, released, by=by, note=_("Award cancelled"))
    text = _("Award cancelled; %(released)s released to the budget.") % {"released": format_money(released)}
    if note:
        text = f"{text} {note}"
    record_award_event(award, AwardEventKind.CANCELLED, by=by, note=text)
    notify_award_founders(award, _("Subsidy cancelled: %(program)s") % {"program": award.program.name}, text)
    return award


def lock_disbursement(disbursement_id: int) -> Disbursement:
    """The tranche under its row lock, with what the payment rule reads (the award's letter and
    queue). Lock its award first (`lock_award`): one lock order everywhere."""
    return (
        Disbursement.objects.select_for_update(of=("self",))
        .select_related(*PAY_RULE_RELATED)
        .get(pk=disbursement_id)
    )


def _check_payer(disbursement: Disbursement, by) -> None:
    """The payment rule, read again under the lock: 404 to whoever may not see the tranche,
    403 to whoever may see it but not pay it, saying why."""
    if by.has_perm("subsidies.pay_disbursement", disbursement):
        return
    if not by.has_perm("subsidies.view_disbursement", disbursement):
        raise NotFound(_("Not found."))
    if disbursement.award.by_id == by.pk:
        raise NotPermitted(_("You decided this award: another approver of its department pays its tranches."))
    raise NotPermitted(_("Only an approver of the department that decided this award may pay its tranches."))


@transaction.atomic
def disbursement_pay(*, disbursement: Disbursement, by) -> Disbursement:
    """An approver of the award's department who did not decide it (or an admin who did not)
    pays one tranche, once (StateConflict, 409, the second time), and not before its due date
    (409). The rule (`subsidies.pay_disbursement`) is read again under the tranche's lock.

    Side effects: the tranche `paid`; the program's `disbursed` raised and a `pay` ledger entry;
    a timeline event; the award `completed` when nothing is left to pay; the founders notified.
    """
    award = lock_award(disbursement.award_id)
    disbursement = lock_disbursement(disbursement.pk)
    _check_payer(disbursement, by)
    if disbursement.status != DisbursementStatus.SCHEDULED:
        raise StateConflict(
            _("This tranche is %(status)s; it cannot be paid.")
            % {"status": disbursement.get_status_display()}
        )
    if disbursement.due_on > timezone.localdate():
        raise StateConflict(
            _("This tranche is due on %(day)s; it cannot be paid before then.")
            % {"day": disbursement.due_on.isoformat()}
        )
    disbursement.status, disbursement.paid_at, disbursement.paid_by = (
        DisbursementStatus.PAID,
        timezone.now(),
        by,
    )
    disbursement.save(update_fields=["status", "paid_at", "paid_by"])
    amount = disbursement.amount
    _program, moved = _move_money(award.program_id, pay=amount)
    if not moved:
        raise StateConflict(_("The program's commitments do not cover this payment."))
    write_ledger(
        award.program,
        LedgerKind.PAY,
        amount,
        by=by,
        award=award,
        note=_("Tranche %(n)s") % {"n": disbursement.number},
    )
    record_award_event(
        award,
        AwardEventKind.PAID,
        by=by,
        note=_("Tranche %(n)s of %(amount)s paid.") % {"n": disbursement.number, "amount": format_money(amount)},
    )
    if not award.disbursements.filter(status=DisbursementStatus.SCHEDULED).exists():
        award.status = AwardStatus.COMPLETED
        award.save(update_fields=["status"])
        record_award_event(award, AwardEventKind.COMPLETED, by=by, note=_("Every tranche is paid."))
    notify_award_founders(
        award,
        _("Tranche paid: %(amount)s") % {"amount": format_money(amount)},
        _("Tranche %(n)s of your %(program)s award has been paid.")
        % {"n": disbursement.number, "program": award.program.name},
    )
    return disbursement


