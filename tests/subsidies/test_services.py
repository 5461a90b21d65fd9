import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone, translation

from applications.fulfilment import handler_for
from applications.models import Letter
from applications.services import drafts
from core.exceptions import InvalidInput, NotFound, NotPermitted, StateConflict
from notifications.models import Notification
from startups.enums import Sector, Stage
from startups.models import Startup
from startups.selectors import EligibilityFacts, eligibility_facts, member_ids
from subsidies import selectors
from subsidies.enums import AwardEventKind, AwardStatus, DisbursementStatus, LedgerKind, ProfitPolicy
from subsidies.handlers import SubsidyHandler
from subsidies.models import Award, Disbursement, LedgerEntry, Program
from subsidies.money import add_months
from subsidies.services import awards, profit, programs
from subsidies.tasks import task_apply_profit_policies, task_apply_profit_policy
from tests import factories
from tests.subsidies.helpers import grant, pay_when_due, start_of

D = Decimal
pytestmark = pytest.mark.django_db


def award_for(program, startup, amount, *, by, asked=None):
    letter = factories.subsidy_letter(program=program, startup=startup, amount=asked or amount)
    return grant(letter, amount=amount, by=by)


def assert_ledger_matches(program):
    program.refresh_from_db()
    assert selectors.ledger_totals(program) == {
        "budget": program.budget,
        "committed": program.committed,
        "disbursed": program.disbursed,
    }


def file_reports(startup, profits, *, first=None):
    """One report per month from `first` (the current month by default), with these profits."""
    first = first or timezone.localdate().replace(day=1)
    for i, month_profit in enumerate(profits):
        factories.MonthlyReportFactory(
            startup=startup,
            period=add_months(first, i),
            revenue=D("1000.00") + max(month_profit, D(0)),
            expenses=D("1000.00") - min(month_profit, D(0)),
        )


# --- Programs -----------------------------------------------------------------------------------


def test_program_create_takes_the_permissive_defaults(admin_user):
    program = programs.program_create(
        by=admin_user,
        name="Seed",
        budget=D("5000.00"),
        max_award=D("1000.00"),
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2026, 12, 31),
    )
    assert (program.eligible_stages, program.eligible_sectors, program.registered_only) == ([], [], False)
    assert (program.tranches, program.profit_policy, program.committed, program.disbursed) == (
        1,
        ProfitPolicy.CONTINUE,
        D("0"),
        D("0"),
    )
    assert list(program.ledger.values_list("kind", "amount")) == [(LedgerKind.BUDGET, D("5000.00"))]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_on": datetime.date(2025, 12, 1)}, "closes_on"),
        ({"eligible_stages": ["unicorn"]}, "eligible_stages"),
        ({"eligible_sectors": ["mining"]}, "eligible_sectors"),
        ({"profit_policy": ProfitPolicy.TAPER, "taper_percent": D("0")}, "taper_percent"),
        ({"taper_percent": D("101")}, "taper_percent"),
        ({"max_award": D("0")}, "max_award"),
        ({"budget": D("-1")}, "budget"),
        ({"tranches": 0}, "tranches"),
    ],
)
def test_program_create_refuses_bad_fields(admin_user, changes, field):
    values = {
        "name": "Seed",
        "budget": D("5000.00"),
        "max_award": D("1000.00"),
        "opens_on": datetime.date(2026, 1, 1),
        "closes_on": datetime.date(2026, 12, 31),
        **changes,
    }
    with pytest.raises(InvalidInput) as caught:
        programs.program_create(by=admin_user, **values)
    assert caught.value.field == field
    assert Program.objects.count() == 0


def test_program_create_refuses_a_duplicate_name(admin_user):
    factories.ProgramFactory(name="Seed")
    with pytest.raises(InvalidInput) as caught:
        factories.ProgramFactory(name="seed")
    assert caught.value.field == "name"


def test_program_update_refuses_a_budget_below_what_is_committed(admin_user, startup, approver):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award_for(program, startup, D("600.00"), by=approver)
    with pytest.raises(InvalidInput) as caught:
        programs.program_update(program=program, budget=D("599.99"), by=admin_user)
    assert caught.value.field == "budget"
    program.refresh_from_db()
    assert program.budget == D("1000.00")


def test_program_update_budget_is_written_to_the_ledger(admin_user):
    program = factories.ProgramFactory(budget=D("1000.00"))
    programs.program_update(program=program, budget=D("1500.00"), description="More", by=admin_user)
    assert list(program.ledger.values_list("kind", "amount")) == [
        (LedgerKind.BUDGET, D("1000.00")),
        (LedgerKind.BUDGET, D("1500.00")),
    ]
    assert_ledger_matches(program)


# --- Awards: commit, tranches ------------------------------------------------------------------


def test_grant_commits_and_splits_to_the_cent(startup, approver, founder):
    program = factories.ProgramFactory(budget=D("1000.00"), tranches=3, tranche_spacing_months=2)
    award = award_for(program, startup, D("100.00"), by=approver)
    program.refresh_from_db()
    assert (program.committed, program.available, program.disbursed) == (D("100.00"), D("900.00"), D("0.00"))
    tranches = list(award.disbursements.order_by("number"))
    assert [t.amount for t in tranches] == [D("33.33"), D("33.33"), D("33.34")]
    today = timezone.localdate()
    assert [t.due_on for t in tranches] == [today, add_months(today, 2), add_months(today, 4)]
    assert {t.status for t in tranches} == {DisbursementStatus.SCHEDULED}
    assert list(award.ledger.values_list("kind", "amount")) == [(LedgerKind.COMMIT, D("100.00"))]
    assert list(award.events.values_list("kind", flat=True)) == [AwardEventKind.CREATED]
    assert Notification.objects.filter(recipient=founder).count() == 1
    assert_ledger_matches(program)


def test_grant_grants_less_than_asked(startup, approver):
    program = factories.ProgramFactory()
    award = award_for(program, startup, D("700.00"), asked=D("1000.00"), by=approver)
    assert award.amount == D("700.00")


def test_grant_refuses_more_than_asked(startup, approver):
    program = factories.ProgramFactory()
    letter = factories.subsidy_letter(program=program, startup=startup, amount=D("1000.00"))
    with pytest.raises(InvalidInput):
        grant(letter, amount=D("1000.01"), by=approver)
    assert Award.objects.count() == 0


def test_grant_budget_that_cannot_cover_is_a_conflict(startup, approver):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award_for(program, startup, D("900.00"), by=approver)
    letter = factories.subsidy_letter(program=program, startup=startup, amount=D("100.01"))
    with pytest.raises(StateConflict) as caught:
        grant(letter, by=approver)
    assert "100.00" in str(caught.value.message)  # the available budget is named
    program.refresh_from_db()
    assert (program.committed, Award.objects.count()) == (D("900.00"), 1)


def test_grant_exactly_the_available_budget_is_granted(startup, approver):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award_for(program, startup, D("400.00"), by=approver)
    award_for(program, startup, D("600.00"), by=approver)
    program.refresh_from_db()
    assert program.available == D("0.00")


def test_grant_cents_add_up_exactly(startup, approver):
    """0.10 + 0.20 fits a budget of 0.30 (no binary floating point on the way, even on SQLite)."""
    program = factories.ProgramFactory(budget=D("0.30"), max_award=D("1.00"))
    award_for(program, startup, D("0.10"), by=approver)
    award_for(program, startup, D("0.20"), by=approver)
    program.refresh_from_db()
    assert (program.committed, program.available) == (D("0.30"), D("0.00"))
    assert_ledger_matches(program)


def test_grant_twice_for_one_letter_is_refused_by_the_database(startup, approver):
    program = factories.ProgramFactory()
    letter = factories.subsidy_letter(program=program, startup=startup)
    grant(letter, by=approver)
    with pytest.raises(IntegrityError):
        grant(letter, by=approver)
    program.refresh_from_db()
    assert program.committed == D("1000.00")


# --- Paying -------------------------------------------------------------------------------------


def test_disbursement_pay_once_then_conflict(startup, approver):
    program = factories.ProgramFactory(tranches=2)
    award = award_for(program, startup, D("100.00"), by=approver)
    first, payer = award.disbursements.get(number=1), factories.payer_of(award)
    awards.disbursement_pay(disbursement=first, by=payer)
    with pytest.raises(StateConflict):
        awards.disbursement_pay(disbursement=first, by=payer)
    first.refresh_from_db()
    program.refresh_from_db()
    assert (first.status, first.paid_by, program.disbursed) == (DisbursementStatus.PAID, payer, D("50.00"))
    assert LedgerEntry.objects.filter(kind=LedgerKind.PAY).count() == 1
    assert_ledger_matches(program)


def test_disbursement_pay_last_tranche_completes_the_award(startup, approver):
    program = factories.ProgramFactory(tranches=2)
    award = award_for(program, startup, D("100.01"), by=approver)
    payer = factories.payer_of(award)
    for tranche in award.disbursements.order_by("number"):
        pay_when_due(tranche, by=payer)
    award.refresh_from_db()
    program.refresh_from_db()
    assert (award.status, program.disbursed, program.committed) == (
        AwardStatus.COMPLETED,
        D("100.01"),
        D("100.01"),
    )
    assert list(award.events.values_list("kind", flat=True)) == [
        AwardEventKind.CREATED,
        AwardEventKind.PAID,
        AwardEventKind.PAID,
        AwardEventKind.COMPLETED,
    ]


def assert_nothing_paid(award):
    """A refused payment changed nothing: no tranche paid, no money moved, no line written."""
    award.refresh_from_db()
    award.program.refresh_from_db()
    assert set(award.disbursements.values_list("status", flat=True)) == {DisbursementStatus.SCHEDULED}
    assert (award.status, award.program.disbursed) == (AwardStatus.ACTIVE, D("0.00"))
    assert not award.ledger.filter(kind=LedgerKind.PAY).exists()
    assert not award.events.filter(kind=AwardEventKind.PAID).exists()


def test_disbursement_pay_by_the_approver_who_decided_the_award_is_refused(startup):
    program = factories.ProgramFactory(tranches=2)
    queue = factories.ReviewQueueFactory()
    decider = factories.UserFactory(roles=["approver"], department=queue.department)
    award = grant(
        factories.subsidy_letter(program=program, startup=startup, amount=D("100.00"), queue=queue),
        by=decider,
    )
    with pytest.raises(NotPermitted) as caught:
        awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=decider)
    assert "You decided this award" in str(caught.value.message)
    assert_nothing_paid(award)


def test_disbursement_pay_by_an_admin_who_also_decided_the_award_is_refused(startup):
    # Two roles do not make two pairs of eyes.
    program = factories.ProgramFactory()
    award = award_for(program, startup, D("100.00"), by=factories.UserFactory(roles=["approver", "admin"]))
    with pytest.raises(NotPermitted):
        awards.disbursement_pay(disbursement=award.disbursements.get(), by=award.by)
    assert_nothing_paid(award)


@pytest.mark.parametrize("department", ["another", "none"])
def test_disbursement_pay_by_an_approver_outside_the_awards_department_is_refused(
    startup, approver, department
):
    award = award_for(factories.ProgramFactory(), startup, D("100.00"), by=approver)
    outsider = factories.UserFactory(
        roles=["approver"], department=factories.DepartmentFactory() if department == "another" else None
    )
    with pytest.raises(NotPermitted) as caught:
        awards.disbursement_pay(disbursement=award.disbursements.get(), by=outsider)
    assert "department that decided this award" in str(caught.value.message)
    assert_nothing_paid(award)


def test_disbursement_pay_by_a_founder_of_another_startup_is_not_found(startup, approver):
    award = award_for(factories.ProgramFactory(), startup, D("100.00"), by=approver)
    with pytest.raises(NotFound):
        awards.disbursement_pay(
            disbursement=award.disbursements.get(), by=factories.UserFactory(roles=["founder"])
        )
    assert_nothing_paid(award)


@pytest.mark.parametrize("payer", ["approver", "admin"])
def test_disbursement_pay_before_the_due_date_is_a_conflict(startup, approver, admin_user, payer):
    program = factories.ProgramFactory(tranches=2, tranche_spacing_months=1)
    award = award_for(program, startup, D("100.00"), by=approver)
    second = award.disbursements.get(number=2)
    by = factories.payer_of(award) if payer == "approver" else admin_user
    with time_machine.travel(start_of(second.due_on) - datetime.timedelta(seconds=1), tick=False):
        with pytest.raises(StateConflict) as caught:
            awards.disbursement_pay(disbursement=second, by=by)
    assert second.due_on.isoformat() in str(caught.value.message)
    assert_nothing_paid(award)


def test_disbursement_pay_refusals_are_told_in_korean(startup, approver):
    award = award_for(factories.ProgramFactory(tranches=2), startup, D("100.00"), by=approver)
    payer, second = factories.payer_of(award), award.disbursements.get(number=2)
    with translation.override("ko"):
        with pytest.raises(NotPermitted) as decided:
            awards.disbursement_pay(disbursement=second, by=approver)
        with pytest.raises(NotPermitted) as elsewhere:
            awards.disbursement_pay(disbursement=second, by=factories.UserFactory(roles=["approver"]))
        with pytest.raises(StateConflict) as early:
            awards.disbursement_pay(disbursement=second, by=payer)
    assert "직접 결정했으므로" in str(decided.value.message)
    assert "결정한 부서의 승인권자만" in str(elsewhere.value.message)
    assert f"지급일은 {second.due_on.isoformat()}이므로" in str(early.value.message)


def test_disbursement_pay_by_a_second_approver_of_the_department_on_the_due_date(startup, approver):
    program = factories.ProgramFactory(tranches=3, tranche_spacing_months=2)
    award = award_for(program, startup, D("90.00"), by=approver)
    second, third = award.disbursements.get(number=2), award.disbursements.get(number=3)
    payer = factories.payer_of(award)
    with time_machine.travel(start_of(second.due_on), tick=False):
        awards.disbursement_pay(disbursement=second, by=payer)
    with time_machine.travel(start_of(third.due_on) + datetime.timedelta(days=9, hours=15), tick=False):
        awards.disbursement_pay(disbursement=third, by=payer)  # late is fine
    second.refresh_from_db()
    third.refresh_from_db()
    award.program.refresh_from_db()
    assert (second.status, second.paid_by, third.status, third.paid_by) == (
        DisbursementStatus.PAID,
        payer,
        DisbursementStatus.PAID,
        payer,
    )
    assert award.program.disbursed == D("60.00")
    assert award.disbursements.get(number=1).status == DisbursementStatus.SCHEDULED


# --- Cancelling ---------------------------------------------------------------------------------


def test_award_cancel_releases_the_unpaid_remainder(startup, approver, admin_user, founder):
    program = factories.ProgramFactory(budget=D("1000.00"), tranches=3)
    award = award_for(program, startup, D("100.00"), by=approver)
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    awards.award_cancel(award=award, by=admin_user, note="Fraud suspected.")
    award.refresh_from_db()
    program.refresh_from_db()
    assert (award.status, award.released) == (AwardStatus.CANCELLED, D("66.67"))
    assert (program.committed, program.disbursed, program.available) == (D("33.33"), D("33.33"), D("966.67"))
    assert list(award.disbursements.order_by("number").values_list("status", flat=True)) == [
        DisbursementStatus.PAID,
        DisbursementStatus.CANCELLED,
        DisbursementStatus.CANCELLED,
    ]
    assert award.ledger.filter(kind=LedgerKind.RELEASE).get().amount == D("66.67")
    assert "Fraud suspected." in award.events.get(kind=AwardEventKind.CANCELLED).note
    assert_ledger_matches(program)


def test_award_cancel_twice_is_a_conflict_and_a_cancelled_tranche_cannot_be_paid(
    startup, approver, admin_user
):
    program = factories.ProgramFactory(tranches=2)
    award = award_for(program, startup, D("100.00"), by=approver)
    awards.award_cancel(award=award, by=admin_user)
    with pytest.raises(StateConflict):
        awards.award_cancel(award=award, by=admin_user)
    with pytest.raises(StateConflict):
        awards.disbursement_pay(disbursement=award.disbursements.get(number=2), by=factories.payer_of(award))
    program.refresh_from_db()
    assert (program.committed, program.disbursed) == (D("0.00"), D("0.00"))


def test_award_cancel_completed_award_is_a_conflict(startup, approver, admin_user):
    program = factories.ProgramFactory()
    award = award_for(program, startup, D("100.00"), by=approver)
    awards.disbursement_pay(disbursement=award.disbursements.get(), by=factories.payer_of(award))
    with pytest.raises(StateConflict):
        awards.award_cancel(award=award, by=admin_user)


# --- Submission checks --------------------------------------------------------------------------


def submit_check(program, startup, amount=None):
    amount = D("1000.00") if amount is None else amount
    letter = factories.subsidy_letter(program=program, startup=startup, amount=amount, status="draft")
    letter.record_submission(eligibility_facts(startup), member_ids(startup))  # as letter_submit does first
    SubsidyHandler().check_submission(letter)
    return letter


def test_check_submission_accepts_an_eligible_letter(startup):
    submit_check(
        factories.ProgramFactory(eligible_stages=[Stage.PROTOTYPE], eligible_sectors=[Sector.SOFTWARE]),
        startup,
    )


def test_check_submission_refuses_a_closed_program(startup):
    today = timezone.localdate()
    program = factories.ProgramFactory(
        name="Old fund",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=1),
    )
    with pytest.raises(InvalidInput) as caught:
        submit_check(program, startup)
    assert str(caught.value.message) == f"Old fund closed on {program.closes_on.isoformat()}."


def test_check_submission_refuses_a_program_not_yet_open(startup):
    today = timezone.localdate()
    program = factories.ProgramFactory(
        name="Next fund",
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=60),
    )
    with pytest.raises(InvalidInput) as caught:
        submit_check(program, startup)
    assert str(caught.value.message) == f"Next fund opens on {program.opens_on.isoformat()}."


def test_check_submission_refuses_an_amount_above_the_maximum(startup):
    program = factories.ProgramFactory(max_award=D("999.99"))
    with pytest.raises(InvalidInput) as caught:
        submit_check(program, startup, D("1000.00"))
    assert caught.value.field == "requested_amount"
    assert "maximum award of 999.99" in str(caught.value.message)


def test_check_submission_refuses_an_ineligible_stage(startup):
    program = factories.ProgramFactory(name="Growth", eligible_stages=[Stage.REVENUE, Stage.PROFITABLE])
    with pytest.raises(InvalidInput) as caught:
        submit_check(program, startup)
    assert str(caught.value.message) == (
        f"Growth is for startups at these stages: Revenue, Profitable; {startup.name} is at the Prototype stage."
    )


def test_check_submission_refuses_an_ineligible_sector(startup):
    program = factories.ProgramFactory(name="Farm", eligible_sectors=[Sector.AGRICULTURE])
    with pytest.raises(InvalidInput) as caught:
        submit_check(program, startup)
    assert (
        str(caught.value.message)
        == f"Farm is for startups in these sectors: Agriculture; {startup.name} is in Software."
    )


def test_check_submission_refuses_an_unregistered_startup_when_registration_is_required(startup):
    program = factories.ProgramFactory(name="Formal", registered_only=True)
    with pytest.raises(InvalidInput) as caught:
        submit_check(program, startup)
    assert (
        str(caught.value.message) == f"Formal is for registered startups only; register {startup.name} first."
    )
    factories.verify_registration(startup)
    submit_check(program, startup)


def test_the_eligibility_checks_read_the_facts_recorded_at_submission(startup):
    program = factories.ProgramFactory(
        eligible_stages=[Stage.PROTOTYPE], eligible_sectors=[Sector.SOFTWARE], registered_only=True
    )
    factories.verify_registration(startup, "110-81-00042")
    letter = factories.subsidy_letter(program=program, startup=startup, status="draft")
    drafts.letter_submit(letter=letter, by=letter.author)
    # Afterwards the founders move stage and sector, and the staff revoke the registration.
    Startup.objects.filter(pk=startup.pk).update(
        stage=Stage.REVENUE, sector=Sector.FINTECH, is_registered=False, registration_number=""
    )

    letter = Letter.objects.select_related("startup").get(pk=letter.pk)
    SubsidyHandler().check_submission(letter)  # judged on what was recorded: no refusal

    assert letter.submitted_facts == EligibilityFacts(
        sector=Sector.SOFTWARE,
        stage=Stage.PROTOTYPE,
        stage_since=startup.stage_since,
        is_registered=True,
        registration_number="110-81-00042",
    )


def test_clean_details_needs_a_program_and_a_positive_amount(startup):
    handler = handler_for("subsidy")
    assert isinstance(handler, SubsidyHandler)
    with pytest.raises(InvalidInput) as caught:
        handler.clean_details(startup=startup, requested_amount=D("10"), details={"program": None})
    assert caught.value.field == "program"
    program = factories.ProgramFactory()
    with pytest.raises(InvalidInput) as caught:
        handler.clean_details(startup=startup, requested_amount=D("0"), details={"program": program})
    assert caught.value.field == "requested_amount"
    with pytest.raises(InvalidInput) as caught:
        handler.clean_details(startup=startup, requested_amount=None, details={"program": program})
    assert caught.value.field == "requested_amount"
    assert handler.clean_details(startup=startup, requested_amount=D("10"), details={"program": program}) == {
        "program": program
    }


# --- The cap per startup ------------------------------------------------------------------------


def test_cap_counts_awards_within_the_window(settings, startup, approver):
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    settings.SUBSIDY_CAP_WINDOW_YEARS = 3
    first, second = factories.ProgramFactory(), factories.ProgramFactory()
    award_for(first, startup, D("1000.00"), by=approver)
    with pytest.raises(InvalidInput) as caught:
        submit_check(second, startup, D("500.01"))
    assert "500.00 left" in str(caught.value.message)
    submit_check(second, startup, D("500.00"))


def test_cap_forgets_awards_older_than_the_window(settings, startup, approver):
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    settings.SUBSIDY_CAP_WINDOW_YEARS = 3
    program = factories.ProgramFactory()
    old = award_for(program, startup, D("1000.00"), by=approver)
    Award.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3 * 366))
    submit_check(program, startup, D("1000.00"))


def test_cap_counts_what_a_cancelled_award_paid_only(settings, startup, approver, admin_user):
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    program = factories.ProgramFactory(tranches=2)
    award = award_for(program, startup, D("1000.00"), by=approver)
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    awards.award_cancel(award=award, by=admin_user)
    assert selectors.startup_awarded_total(startup) == D("500.00")
    submit_check(program, startup, D("1000.00"))


def test_cap_is_checked_again_at_approval(settings, startup, approver):
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    program = factories.ProgramFactory()
    letter = factories.subsidy_letter(program=program, startup=startup, amount=D("1000.00"))
    award_for(program, startup, D("1000.00"), by=approver)  # granted meanwhile
    with pytest.raises(InvalidInput):
        SubsidyHandler().prepare_approval(letter, amount=None)
    SubsidyHandler().prepare_approval(letter, amount=D("500.00"))


def test_cap_is_shared_by_the_startups_of_one_verified_registration_number(settings, approver):
    """A company that registers a second startup under its number does not get a second cap."""
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    program = factories.ProgramFactory()
    first = factories.verify_registration(factories.StartupFactory(), "110-81-12345")
    second = factories.verify_registration(factories.StartupFactory(), "110-81-12345")
    award_for(program, first, D("1000.00"), by=approver)
    letter = factories.subsidy_letter(program=program, startup=second, amount=D("1000.00"))

    with pytest.raises(InvalidInput) as caught:
        submit_check(program, second, D("500.01"))
    assert "500.00 left" in str(caught.value.message)
    with pytest.raises(InvalidInput):
        SubsidyHandler().prepare_approval(letter, amount=None)
    SubsidyHandler().prepare_approval(letter, amount=D("500.00"))


def test_the_cap_at_approval_counts_the_number_verified_now_not_the_one_recorded(settings, approver):
    """The one fact not read from the record: a number verified after submission (a second
    startup of a company that used its cap) joins the cap at approval."""
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    program = factories.ProgramFactory()
    company = factories.verify_registration(factories.StartupFactory(), "110-81-12345")
    award_for(program, company, D("1500.00"), by=approver)
    second = factories.StartupFactory()
    letter = factories.subsidy_letter(program=program, startup=second, amount=D("1000.00"))
    assert letter.submitted_registration_number == ""
    factories.verify_registration(second, "110-81-12345")

    with pytest.raises(InvalidInput) as caught:
        SubsidyHandler().prepare_approval(Letter.objects.select_related("startup").get(pk=letter.pk), amount=None)
    assert "0.00 left" in str(caught.value.message)


def test_cap_of_a_startup_without_a_verified_number_is_its_own(settings, approver):
    """A number a founder only proposed joins nothing: the startup is capped on its own."""
    settings.SUBSIDY_STARTUP_CAP = "1500.00"
    program = factories.ProgramFactory()
    verified = factories.verify_registration(factories.StartupFactory(), "110-81-12345")
    claimant = factories.StartupFactory(proposed_registration_number="110-81-12345")
    award_for(program, verified, D("1500.00"), by=approver)

    submit_check(program, claimant, D("1500.00"))
    assert selectors.startup_awarded_total(claimant) == D("0.00")


def test_check_approval_refuses_above_the_maximum_or_what_was_asked(startup):
    program = factories.ProgramFactory(max_award=D("800.00"))
    letter = factories.subsidy_letter(program=program, startup=startup, amount=D("700.00"))
    with pytest.raises(InvalidInput):
        SubsidyHandler().prepare_approval(letter, amount=D("700.01"))
    Program.objects.filter(pk=program.pk).update(max_award=D("600.00"))
    with pytest.raises(InvalidInput):
        SubsidyHandler().prepare_approval(letter, amount=None)
    SubsidyHandler().prepare_approval(letter, amount=D("600.00"))


# --- Profit policies ----------------------------------------------------------------------------


def test_taper_policy_tapers_the_unpaid_tranches_and_releases_the_difference(startup, approver, founder):
    program = factories.ProgramFactory(
        tranches=3, profit_months=3, profit_policy=ProfitPolicy.TAPER, taper_percent=D("25")
    )
    award = award_for(program, startup, D("100.00"), by=approver)
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    file_reports(startup, [D("10"), D("20"), D("30")])
    notified_before = Notification.objects.filter(recipient=founder).count()

    changed = profit.apply_profit_policy(startup=startup)

    assert changed == [award]
    award.refresh_from_db()
    program.refresh_from_db()
    assert list(award.disbursements.order_by("number").values_list("amount", "status")) == [
        (D("33.33"), DisbursementStatus.PAID),
        (D("25.00"), DisbursementStatus.SCHEDULED),
        (D("25.01"), DisbursementStatus.SCHEDULED),
    ]
    assert (award.released, award.status, program.committed) == (D("16.66"), AwardStatus.ACTIVE, D("83.34"))
    assert award.ledger.get(kind=LedgerKind.RELEASE).amount == D("16.66")
    assert award.events.filter(kind=AwardEventKind.TAPERED).count() == 1
    assert Notification.objects.filter(recipient=founder).count() == notified_before + 1
    assert_ledger_matches(program)


def test_taper_policy_is_applied_once(startup, approver):
    program = factories.ProgramFactory(
        tranches=2, profit_months=1, profit_policy=ProfitPolicy.TAPER, taper_percent=D("50")
    )
    award = award_for(program, startup, D("100.00"), by=approver)
    file_reports(startup, [D("1")])
    profit.apply_profit_policy(startup=startup)
    file_reports(startup, [D("1")], first=add_months(timezone.localdate().replace(day=1), 1))
    assert profit.apply_profit_policy(startup=startup) == []
    award.refresh_from_db()
    assert (award.released, sorted(award.disbursements.values_list("amount", flat=True))) == (
        D("50.00"),
        [D("25.00"), D("25.00")],
    )


def test_stop_policy_cancels_the_unpaid_tranches(startup, approver):
    program = factories.ProgramFactory(tranches=4, profit_months=2, profit_policy=ProfitPolicy.STOP)
    award = award_for(program, startup, D("1000.00"), by=approver)
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    file_reports(startup, [D("5"), D("5")])
    profit.apply_profit_policy(startup=startup)
    award.refresh_from_db()
    program.refresh_from_db()
    assert (award.status, award.released) == (AwardStatus.STOPPED, D("750.00"))
    assert award.disbursements.filter(status=DisbursementStatus.CANCELLED).count() == 3
    assert (program.committed, program.disbursed) == (D("250.00"), D("250.00"))
    assert award.events.filter(kind=AwardEventKind.STOPPED).count() == 1
    assert_ledger_matches(program)


def test_continue_policy_records_the_event_and_changes_nothing(startup, approver):
    program = factories.ProgramFactory(tranches=2, profit_months=1)
    award = award_for(program, startup, D("100.00"), by=approver)
    file_reports(startup, [D("5")])
    assert profit.apply_profit_policy(startup=startup) == []
    award.refresh_from_db()
    assert (award.released, award.profit_applied_at is not None) == (D("0.00"), True)
    assert award.events.filter(kind=AwardEventKind.PROFIT_CONTINUE).count() == 1


@pytest.mark.parametrize(
    "profits",
    [
        [D("5"), D("-1"), D("5")],  # a loss breaks the streak
        [D("5"), D("5"), D("0")],  # the latest month broke even
        [D("5"), D("5")],  # not enough months yet
    ],
)
def test_profit_policy_needs_consecutive_profitable_months(startup, approver, profits):
    program = factories.ProgramFactory(tranches=2, profit_months=3, profit_policy=ProfitPolicy.STOP)
    award = award_for(program, startup, D("100.00"), by=approver)
    file_reports(startup, profits)
    assert profit.apply_profit_policy(startup=startup) == []
    award.refresh_from_db()
    assert (award.status, award.profit_applied_at) == (AwardStatus.ACTIVE, None)


def test_profit_policy_a_missing_month_breaks_the_streak(startup, approver):
    program = factories.ProgramFactory(tranches=2, profit_months=2, profit_policy=ProfitPolicy.STOP)
    award_for(program, startup, D("100.00"), by=approver)
    month = timezone.localdate().replace(day=1)
    file_reports(startup, [D("5")], first=month)
    file_reports(startup, [D("5")], first=add_months(month, 2))
    assert profit.apply_profit_policy(startup=startup) == []


def test_profit_policy_ignores_months_before_the_award(startup, approver):
    program = factories.ProgramFactory(tranches=2, profit_months=2, profit_policy=ProfitPolicy.STOP)
    award_for(program, startup, D("100.00"), by=approver)
    month = timezone.localdate().replace(day=1)
    file_reports(startup, [D("5"), D("5")], first=add_months(month, -2))
    file_reports(startup, [D("5")], first=month)
    assert profit.apply_profit_policy(startup=startup) == []


def test_profit_streak_counts_back_from_the_latest_report():
    jan, feb, mar, apr = (datetime.date(2026, m, 1) for m in (1, 2, 3, 4))
    reports = [(jan, D("1")), (feb, D("-1")), (mar, D("1")), (apr, D("2"))]
    assert profit.profitable_streak(reports, since=jan) == 2
    assert profit.profitable_streak(reports, since=apr) == 1
    assert profit.profitable_streak([], since=jan) == 0


def test_profit_task_evaluates_startups_with_new_reports_once(startup, approver):
    program = factories.ProgramFactory(tranches=2, profit_months=2, profit_policy=ProfitPolicy.STOP)
    award = award_for(program, startup, D("100.00"), by=approver)
    assert task_apply_profit_policies() == 0  # no report yet
    file_reports(startup, [D("5")])
    assert task_apply_profit_policies() == 1
    later = timezone.now() + datetime.timedelta(hours=1)
    assert profit.profit_policies_evaluate(now=later) == 1  # within the overlap: read again
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE
    # Checked an hour later, the report is behind the watermark: nothing is due.
    type(award).objects.filter(pk=award.pk).update(profit_checked_at=later)
    assert task_apply_profit_policies() == 0
    file_reports(startup, [D("5")], first=add_months(timezone.localdate().replace(day=1), 1))
    type(award).objects.filter(pk=award.pk).update(
        profit_checked_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert task_apply_profit_policies() == 1
    award.refresh_from_db()
    assert award.status == AwardStatus.STOPPED


def test_profit_task_for_one_startup_returns_the_awards_changed(startup, approver):
    program = factories.ProgramFactory(tranches=2, profit_months=1, profit_policy=ProfitPolicy.STOP)
    award_for(program, startup, D("100.00"), by=approver)
    file_reports(startup, [D("5")])
    assert task_apply_profit_policy(startup_id=startup.pk) == 1
    assert task_apply_profit_policy(startup_id=startup.pk) == 0
    assert task_apply_profit_policy(startup_id=999999) is None


# --- What the approver sees ----------------------------------------------------------------------


def test_facts_show_the_available_budget_and_the_startups_history(startup, approver):
    program = factories.ProgramFactory(name="Seed", budget=D("1000.00"))
    award_for(program, startup, D("300.00"), by=approver)
    letter = factories.subsidy_letter(program=program, startup=startup, amount=D("200.00"))
    facts = {str(fact.label): fact for fact in handler_for("subsidy").facts(letter)}
    assert (facts["Program"].value, facts["Budget"].value, facts["Available"].value) == (
        "Seed",
        D("1000.00"),
        D("700.00"),
    )
    assert facts["Program"].url == program.get_absolute_url()
    assert [(row[1], row[2]) for row in facts["Previous awards"].rows] == [("Seed", D("300.00"))]
    assert facts["Limit used"].value == D("300.00")


def test_disbursements_cannot_be_changed_into_an_inconsistent_row(startup, approver):
    """The constraint backs the service: a paid tranche always has its payment time."""
    from django.db import IntegrityError, transaction

    program = factories.ProgramFactory()
    award = award_for(program, startup, D("100.00"), by=approver)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(award=award).update(status=DisbursementStatus.PAID)


def test_program_row_constraint_refuses_committed_above_budget(startup, approver):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    program = factories.ProgramFactory(budget=D("100.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(committed=F("budget") + 1)
