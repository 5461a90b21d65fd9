"""What the database must guarantee under concurrency, on PostgreSQL: approvals racing for one
budget never overspend it, and a tranche paid by two people at once is paid once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from applications.models import Letter
from core.exceptions import StateConflict
from subsidies import selectors
from subsidies.models import Award, Disbursement, Program
from subsidies.services import awards
from tests import factories
from tests.subsidies.helpers import grant

D = Decimal
THREADS = 20


def run_in_threads(target, args_list):
    barrier = threading.Barrier(len(args_list))
    outcomes = []
    lock = threading.Lock()

    def worker(*args):
        try:
            prepared = target(*args)
            barrier.wait(timeout=30)
            try:
                prepared()
                outcome = "ok"
            except StateConflict:
                outcome = "conflict"
            except Exception as exc:  # noqa: BLE001 - any other error fails the test below
                outcome = repr(exc)
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_commit_exactly_what_fits(postgres):
    approver = factories.UserFactory(roles=["approver"])
    program = factories.ProgramFactory(budget=D("700.00"), max_award=D("100.00"))
    letter_ids = [factories.subsidy_letter(program=program, amount=D("100.00")).pk for _ in range(THREADS)]

    def approve(letter_id):
        letter = Letter.objects.select_related("startup").get(pk=letter_id)
        return lambda: grant(letter, by=approver)

    outcomes = run_in_threads(approve, [(letter_id,) for letter_id in letter_ids])

    assert sorted(outcomes) == ["conflict"] * 13 + ["ok"] * 7
    program.refresh_from_db()
    assert (program.committed, program.available, Award.objects.count()) == (D("700.00"), D("0.00"), 7)
    assert selectors.ledger_totals(program)["committed"] == D("700.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_uneven_amounts_never_overspend(postgres):
    approver = factories.UserFactory(roles=["approver"])
    program = factories.ProgramFactory(budget=D("1000.00"), max_award=D("500.00"))
    amounts = [D("37.50") * (i % 7 + 1) for i in range(THREADS)]  # 3,000 asked of 1,000
    letter_ids = [factories.subsidy_letter(program=program, amount=amount).pk for amount in amounts]

    def approve(letter_id):
        letter = Letter.objects.select_related("startup").get(pk=letter_id)
        return lambda: grant(letter, by=approver)

    outcomes = run_in_threads(approve, [(letter_id,) for letter_id in letter_ids])

    assert set(outcomes) <= {"ok", "conflict"}
    program.refresh_from_db()
    granted = sum(Award.objects.values_list("amount", flat=True), D("0"))
    assert program.committed == granted <= program.budget
    assert outcomes.count("ok") == Award.objects.count()
    # Whatever was refused no longer fit when it was tried.
    assert program.available < max(amounts)
    assert selectors.ledger_totals(program)["committed"] == program.committed


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_of_one_tranche_pay_it_once(postgres):
    approver = factories.UserFactory(roles=["approver"])
    program = factories.ProgramFactory(tranches=2)
    letter = factories.subsidy_letter(program=program, amount=D("100.00"))
    award = grant(letter, by=approver)
    tranche_id, payer = award.disbursements.get(number=1).pk, factories.payer_of(award)

    def pay(_):
        tranche = Disbursement.objects.get(pk=tranche_id)
        return lambda: awards.disbursement_pay(disbursement=tranche, by=payer)

    outcomes = run_in_threads(pay, [(i,) for i in range(10)])

    assert sorted(outcomes) == ["conflict"] * 9 + ["ok"]
    program = Program.objects.get(pk=program.pk)
    assert program.disbursed == D("50.00")
    assert selectors.ledger_totals(program)["disbursed"] == D("50.00")
