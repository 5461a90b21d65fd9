"""End to end through the letters' own services: approving a subsidy letter creates the award
and commits the budget in the approval's transaction; a budget that cannot cover it is a 409
and the letter stays pending_approval."""

from decimal import Decimal

import pytest

from applications.enums import Category, Status
from applications.models import Letter
from applications.services.drafts import letter_submit
from applications.services.review import letter_decide
from core.exceptions import InvalidInput, StateConflict
from subsidies.models import Award, Program
from tests import factories

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def approver():
    return factories.UserFactory(roles=["approver"], approval_limit=D("1000000.00"))


def pending_letter(program, approver, amount, **kwargs):
    return factories.letter_in_state(
        Status.PENDING_APPROVAL,
        reviewer=factories.UserFactory(roles=["reviewer"]),
        approver=approver,
        category=Category.SUBSIDY,
        requested_amount=amount,
        program=program,
        **kwargs,
    )


def test_letter_decide_approve_creates_the_award_and_commits_the_budget(approver):
    program = factories.ProgramFactory(budget=D("1000.00"), tranches=2)
    letter = pending_letter(program, approver, D("600.00"))

    letter_decide(letter=letter, by=approver, decision="approve", amount=D("500.00"))

    letter.refresh_from_db()
    program.refresh_from_db()
    award = Award.objects.get(letter=letter)
    assert (letter.status, award.amount, award.by) == (Status.APPROVED, D("500.00"), approver)
    assert (program.committed, program.available) == (D("500.00"), D("500.00"))
    assert sorted(award.disbursements.values_list("amount", flat=True)) == [D("250.00"), D("250.00")]


def test_letter_decide_budget_that_cannot_cover_is_409_and_the_letter_stays_pending(approver, api):
    program = factories.ProgramFactory(budget=D("1000.00"))
    first = pending_letter(program, approver, D("600.00"))
    second = pending_letter(program, approver, D("600.00"))
    letter_decide(letter=first, by=approver, decision="approve")

    with pytest.raises(StateConflict):
        letter_decide(letter=second, by=approver, decision="approve")

    second.refresh_from_db()
    program.refresh_from_db()
    assert (second.status, second.decided_at, second.decided_amount) == (Status.PENDING_APPROVAL, None, None)
    assert (program.committed, Award.objects.filter(letter=second).exists()) == (D("600.00"), False)

    api.force_authenticate(approver)
    response = api.post(f"/api/v1/letters/{second.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 409
    assert Letter.objects.get(pk=second.pk).status == Status.PENDING_APPROVAL


def test_letter_decide_reject_commits_nothing(approver):
    program = factories.ProgramFactory(budget=D("1000.00"))
    letter = pending_letter(program, approver, D("600.00"))
    letter_decide(letter=letter, by=approver, decision="reject")
    program.refresh_from_db()
    assert (program.committed, Award.objects.count()) == (D("0.00"), 0)


def test_letter_submit_refuses_an_ineligible_startup_with_the_reason():
    program = factories.ProgramFactory(name="Formal", registered_only=True)
    letter = factories.subsidy_letter(program=program, status=Status.DRAFT)
    with pytest.raises(InvalidInput) as caught:
        letter_submit(letter=letter, by=letter.author)
    assert "registered startups only" in str(caught.value.message)
    letter.refresh_from_db()
    assert letter.status == Status.DRAFT
    assert Program.objects.get().committed == D("0.00")


def test_approving_through_the_api_costs_a_fixed_number_of_statements(approver, api, django_assert_num_queries):
    # The approvals benchmark's path. In the test's transaction the service's is a savepoint:
    # savepoint; the letter locked with what the decision reads; the approver's roles and
    # memberships; the program, the rows of the startups sharing its registration number locked, and
    # their awarded total (the checks); the letter and
    # its event; the founders; the award, its ledger entry, tranches and timeline; the notices
    # (one insert per table, the decision's and the award's together); the program's row,
    # locked then updated, last; release.
    letter = pending_letter(factories.ProgramFactory(budget=D("1000.00")), approver, D("600.00"))
    api.force_authenticate(approver)
    with django_assert_num_queries(19):
        assert api.post(f"/api/v1/letters/{letter.pk}/decide/", {"decision": "approve"}).status_code == 200
