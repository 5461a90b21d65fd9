"""Property tests of the budget ledger: whatever sequence of approvals, payments, cancellations,
budget changes and profit events happens, 0 <= disbursed <= committed <= budget, the ledger
recomputes the program row, and every award's tranches add up to what it still owes."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.exceptions import InvalidInput, StateConflict
from subsidies import selectors
from subsidies.enums import DisbursementStatus, ProfitPolicy
from subsidies.models import Award, Disbursement
from subsidies.money import add_months
from subsidies.services import awards, profit, programs
from tests import factories
from tests.subsidies.helpers import grant, pay_when_due

D = Decimal

amounts = st.decimals(min_value=D("0.01"), max_value=D("700.00"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("approve"), st.integers(0, 1), amounts),
        st.tuples(st.just("pay"), st.integers(0, 40)),
        st.tuples(st.just("cancel"), st.integers(0, 10)),
        st.tuples(st.just("report"), st.integers(0, 1), st.booleans()),
        st.tuples(st.just("budget"), st.decimals(min_value=D("0"), max_value=D("3000.00"), places=2)),
    ),
    max_size=30,
)
program_terms = st.fixed_dictionaries(
    {
        "budget": st.decimals(min_value=D("0.01"), max_value=D("2000.00"), places=2),
        "tranches": st.integers(1, 4),
        "profit_months": st.integers(1, 3),
        "profit_policy": st.sampled_from(ProfitPolicy.values),
        "taper_percent": st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
    }
)


class Rollback(Exception):
    pass


def check_invariants(program):
    program.refresh_from_db()
    assert D("0") <= program.disbursed <= program.committed <= program.budget
    assert selectors.ledger_totals(program) == {
        "budget": program.budget,
        "committed": program.committed,
        "disbursed": program.disbursed,
    }
    owed = paid = D("0")
    for award in Award.objects.filter(program=program).prefetch_related("disbursements"):
        tranches = list(award.disbursements.all())
        live = sum((t.amount for t in tranches if t.status != DisbursementStatus.CANCELLED), D("0"))
        assert live == award.amount - award.released
        owed += award.amount - award.released
        paid += sum((t.amount for t in tranches if t.status == DisbursementStatus.PAID), D("0"))
    assert (owed, paid) == (program.committed, program.disbursed)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(terms=program_terms, ops=operations)
def test_ledger_invariants_hold_under_any_sequence(terms, ops):
    try:
        with transaction.atomic():
            run(terms, ops)
            raise Rollback
    except Rollback:
        pass


def run(terms, ops):
    if terms["profit_policy"] != ProfitPolicy.TAPER:
        terms = {**terms, "taper_percent": D("0")}
    admin = factories.UserFactory(roles=["admin"])
    # One department's queue holds the letters: one approver decides, another pays.
    queue = factories.ReviewQueueFactory()
    approver, payer = (factories.UserFactory(roles=["approver"], department=queue.department) for _ in "ab")
    program = factories.ProgramFactory(max_award=D("1000.00"), **terms)
    startups = [factories.StartupFactory(), factories.StartupFactory()]
    next_month = [timezone.localdate().replace(day=1)] * 2
    for op in ops:
        try:
            if op[0] == "approve":
                letter = factories.subsidy_letter(
                    program=program, startup=startups[op[1]], amount=op[2], queue=queue
                )
                program.refresh_from_db()
                fits = op[2] <= program.available
                try:
                    grant(letter, by=approver)
                except StateConflict:
                    assert not fits, "refused an award the available budget covers"
                    raise
                assert fits, "granted an award the available budget does not cover"
            elif op[0] == "pay":
                tranches = list(Disbursement.objects.filter(award__program=program).order_by("id"))
                if tranches:
                    tranche = tranches[op[1] % len(tranches)]
                    try:
                        pay_when_due(tranche, by=payer)
                    except StateConflict:
                        assert tranche.status != DisbursementStatus.SCHEDULED, "refused to pay a due tranche"
                        raise
            elif op[0] == "cancel":
                made = list(Award.objects.filter(program=program).order_by("id"))
                if made:
                    awards.award_cancel(award=made[op[1] % len(made)], by=admin)
            elif op[0] == "report":
                index, profitable = op[1], op[2]
                factories.MonthlyReportFactory(
                    startup=startups[index],
                    period=next_month[index],
                    revenue=D("100.00") if profitable else D("50.00"),
                    expenses=D("60.00"),
                )
                next_month[index] = add_months(next_month[index], 1)
                profit.apply_profit_policy(startup=startups[index])
            elif op[0] == "budget":
                programs.program_update(program=program, budget=op[1], by=admin)
        except (InvalidInput, StateConflict):
            pass
        check_invariants(program)
