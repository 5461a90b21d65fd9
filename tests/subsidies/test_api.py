from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from subsidies.enums import AwardStatus
from subsidies.models import Award, Program
from subsidies.services import awards
from tests import factories
from tests.subsidies.helpers import grant, start_of

D = Decimal
pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/subsidy-programs/"
AWARDS = "/api/v1/subsidy-awards/"
REGISTER = "/api/v1/award-register/"


def award_for(program, startup, amount=None, *, by=None):
    amount = D("100.00") if amount is None else amount
    by = by or factories.UserFactory(roles=["approver"])
    letter = factories.subsidy_letter(program=program, startup=startup, amount=amount)
    return grant(letter, by=by)


@pytest.fixture
def approver_api(api):
    user = factories.UserFactory(roles=["approver"])
    api.force_authenticate(user)
    api.user = user
    return api


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder)


# --- Programs -----------------------------------------------------------------------------------


def test_program_create_contract_fields_answer_201_with_the_money(admin_api):
    response = admin_api.post(
        PROGRAMS,
        {
            "name": "Seed",
            "budget": "5000.00",
            "max_award": "1000.00",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "tranches": 3,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {
        k: body[k] for k in ("name", "budget", "max_award", "committed", "disbursed", "available", "tranches")
    } == {
        "name": "Seed",
        "budget": "5000.00",
        "max_award": "1000.00",
        "committed": "0.00",
        "disbursed": "0.00",
        "available": "5000.00",
        "tranches": 3,
    }
    assert (body["eligible_stages"], body["registered_only"], body["profit_policy"]) == (
        [],
        False,
        "continue",
    )
    assert Program.objects.get().ledger.count() == 1


def test_program_get_shows_committed_disbursed_and_available(founder_api, startup):
    program = factories.ProgramFactory(budget=D("1000.00"), tranches=2)
    award = award_for(program, startup, D("300.00"))
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    response = founder_api.get(f"{PROGRAMS}{program.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["budget"], body["committed"], body["disbursed"], body["available"]) == (
        "1000.00",
        "300.00",
        "150.00",
        "700.00",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"closes_on": "2025-12-31"},
        {"budget": "-1.00"},
        {"max_award": "0.00"},
        {"budget": "12.345"},
        {"budget": "lots"},
        {"tranches": 0},
        {"eligible_stages": ["unicorn"]},
        {"eligible_sectors": "software"},
        {"profit_policy": "taper"},  # a taper with no percentage
        {"taper_percent": "150"},
        {"name": ""},
        {"opens_on": "2026-13-01"},
    ],
)
def test_program_create_bad_input_is_400_and_creates_nothing(admin_api, changes):
    data = {
        "name": "Seed",
        "budget": "5000.00",
        "max_award": "1000.00",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        **changes,
    }
    response = admin_api.post(PROGRAMS, data)
    assert response.status_code == 400
    assert Program.objects.count() == 0


def test_program_create_duplicate_name_is_400(admin_api):
    factories.ProgramFactory(name="Seed")
    response = admin_api.post(
        PROGRAMS,
        {
            "name": "Seed",
            "budget": "1.00",
            "max_award": "1.00",
            "opens_on": "2026-01-01",
            "closes_on": "2026-01-02",
        },
    )
    assert (response.status_code, list(response.json())) == (400, ["name"])


def test_program_create_by_a_founder_or_approver_is_403(founder_api):
    response = founder_api.post(
        PROGRAMS,
        {
            "name": "Mine",
            "budget": "1.00",
            "max_award": "1.00",
            "opens_on": "2026-01-01",
            "closes_on": "2026-01-02",
        },
    )
    assert response.status_code == 403
    assert Program.objects.count() == 0


def test_program_list_anonymous_is_401(api):
    assert api.get(PROGRAMS).status_code == 401


def test_program_update_budget_below_committed_is_400(admin_api, startup):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award_for(program, startup, D("600.00"))
    response = admin_api.patch(f"{PROGRAMS}{program.pk}/", {"budget": "500.00"})
    assert (response.status_code, list(response.json())) == (400, ["budget"])
    response = admin_api.patch(f"{PROGRAMS}{program.pk}/", {"budget": "2000.00"})
    assert (response.status_code, response.json()["available"]) == (200, "1400.00")


def test_program_update_by_an_approver_is_403(approver_api):
    program = factories.ProgramFactory()
    assert approver_api.patch(f"{PROGRAMS}{program.pk}/", {"budget": "1.00"}).status_code == 403


# --- Awards -------------------------------------------------------------------------------------


def test_award_list_contract_shape_tranches_add_up(founder_api, startup):
    program = factories.ProgramFactory(tranches=3)
    award = award_for(program, startup, D("100.00"))
    response = founder_api.get(AWARDS, {"startup": startup.pk})
    assert response.status_code == 200
    [body] = response.json()["results"]
    assert {k: body[k] for k in ("id", "letter", "program", "startup", "amount", "status")} == {
        "id": award.pk,
        "letter": award.letter_id,
        "program": program.pk,
        "startup": startup.pk,
        "amount": "100.00",
        "status": "active",
    }
    assert [set(d) >= {"id", "due_on", "amount", "status"} for d in body["disbursements"]] == [True] * 3
    assert [d["amount"] for d in body["disbursements"]] == ["33.33", "33.33", "33.34"]
    assert sum(D(d["amount"]) for d in body["disbursements"]) == D(body["amount"])
    assert body["disbursements"][0]["due_on"] == award.disbursements.get(number=1).due_on.isoformat()


def test_award_list_filters_by_program_startup_and_status(admin_api, founder):
    first, second = factories.ProgramFactory(), factories.ProgramFactory()
    a, b = factories.StartupFactory(owner=founder), factories.StartupFactory()
    award_a1 = award_for(first, a)
    award_b1 = award_for(first, b)
    award_a2 = award_for(second, a)
    awards.award_cancel(award=award_b1, by=admin_api.user)

    def ids(**params):
        return sorted(row["id"] for row in admin_api.get(AWARDS, params).json()["results"])

    assert ids(program=first.pk) == sorted([award_a1.pk, award_b1.pk])
    assert ids(startup=a.pk) == sorted([award_a1.pk, award_a2.pk])
    assert ids(status="cancelled") == [award_b1.pk]
    assert ids(program=first.pk, status="active") == [award_a1.pk]
    assert admin_api.get(AWARDS, {"status": "bogus"}).status_code == 400


def test_award_list_founders_see_only_their_startups_awards(founder_api, startup):
    program = factories.ProgramFactory()
    mine = award_for(program, startup)
    other = award_for(program, factories.StartupFactory())
    assert [row["id"] for row in founder_api.get(AWARDS).json()["results"]] == [mine.pk]
    assert founder_api.get(f"{AWARDS}{other.pk}/").status_code == 404
    assert founder_api.get(f"{AWARDS}{mine.pk}/").status_code == 200


def test_award_list_query_count_does_not_grow_with_the_rows(admin_api, django_assert_num_queries):
    program = factories.ProgramFactory(tranches=3)
    award_for(program, factories.StartupFactory())
    admin_api.get(AWARDS)  # the user's roles are cached from here on
    with django_assert_num_queries(3):  # count, awards, their tranches
        assert len(admin_api.get(AWARDS).json()["results"]) == 1
    award_for(program, factories.StartupFactory())
    award_for(program, factories.StartupFactory())
    with django_assert_num_queries(3):
        assert len(admin_api.get(AWARDS).json()["results"]) == 3


def test_award_list_query_count_for_a_founder_does_not_grow(founder_api, startup, django_assert_num_queries):
    program = factories.ProgramFactory(tranches=2)
    award_for(program, startup)
    founder_api.get(AWARDS)
    with django_assert_num_queries(3):
        founder_api.get(AWARDS)
    award_for(program, startup)
    award_for(program, startup)
    with django_assert_num_queries(3):
        assert len(founder_api.get(AWARDS).json()["results"]) == 3


def test_award_events_are_the_timeline(founder_api, startup):
    program = factories.ProgramFactory()
    award = award_for(program, startup)
    response = founder_api.get(f"{AWARDS}{award.pk}/events/")
    assert response.status_code == 200
    assert [event["kind"] for event in response.json()] == ["created"]


# --- Paying and cancelling ----------------------------------------------------------------------


def test_disbursement_pay_by_an_approver_of_the_department_then_twice_is_409(api, startup):
    program = factories.ProgramFactory(tranches=2)
    award = award_for(program, startup)
    tranche = award.disbursements.get(number=1)
    api.force_authenticate(factories.payer_of(award))
    response = api.post(f"/api/v1/disbursements/{tranche.pk}/pay/")
    assert (response.status_code, response.json()["status"]) == (200, "paid")
    assert api.post(f"/api/v1/disbursements/{tranche.pk}/pay/").status_code == 409
    program.refresh_from_db()
    assert program.disbursed == D("50.00")


def test_disbursement_pay_by_the_approver_who_decided_the_award_is_403_and_pays_nothing(api, startup):
    award = award_for(factories.ProgramFactory(), startup)
    tranche = award.disbursements.get()
    api.force_authenticate(award.by)
    assert api.post(f"/api/v1/disbursements/{tranche.pk}/pay/").status_code == 403
    tranche.refresh_from_db()
    award.program.refresh_from_db()
    assert (tranche.status, award.program.disbursed) == ("scheduled", D("0.00"))


def test_disbursement_pay_by_an_approver_of_another_department_is_403(approver_api, startup):
    award = award_for(factories.ProgramFactory(), startup)
    approver_api.user.department = factories.DepartmentFactory()
    approver_api.user.save(update_fields=["department"])
    tranche = award.disbursements.get()
    assert approver_api.post(f"/api/v1/disbursements/{tranche.pk}/pay/").status_code == 403
    tranche.refresh_from_db()
    assert tranche.status == "scheduled"


def test_disbursement_pay_before_its_due_date_is_409_then_on_it_200(api, startup):
    award = award_for(factories.ProgramFactory(tranches=2), startup)
    second = award.disbursements.get(number=2)
    api.force_authenticate(factories.payer_of(award))
    url = f"/api/v1/disbursements/{second.pk}/pay/"
    response = api.post(url)
    assert response.status_code == 409 and second.due_on.isoformat() in response.json()["detail"]
    second.refresh_from_db()
    assert second.status == "scheduled"
    with time_machine.travel(start_of(second.due_on), tick=False):
        response = api.post(url)
    assert (response.status_code, response.json()["status"]) == (200, "paid")


def test_disbursement_pay_by_an_admin_is_allowed(admin_api, startup):
    award = award_for(factories.ProgramFactory(), startup)
    tranche = award.disbursements.get()
    assert admin_api.post(f"/api/v1/disbursements/{tranche.pk}/pay/").status_code == 200
    award.refresh_from_db()
    assert award.status == AwardStatus.COMPLETED


def test_disbursement_pay_by_the_founder_is_403_and_by_another_founder_404(founder_api, startup):
    award = award_for(factories.ProgramFactory(), startup)
    tranche = award.disbursements.get()
    assert founder_api.post(f"/api/v1/disbursements/{tranche.pk}/pay/").status_code == 403
    stranger = factories.UserFactory(roles=["founder"])
    founder_api.force_authenticate(stranger)
    assert founder_api.post(f"/api/v1/disbursements/{tranche.pk}/pay/").status_code == 404
    tranche.refresh_from_db()
    assert tranche.status == "scheduled"


def test_disbursement_pay_reviewer_is_403(api, startup):
    award = award_for(factories.ProgramFactory(), startup)
    api.force_authenticate(factories.UserFactory(roles=["reviewer"]))
    assert api.post(f"/api/v1/disbursements/{award.disbursements.get().pk}/pay/").status_code == 403


def test_award_cancel_by_an_admin_releases_then_twice_is_409(admin_api, startup):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award = award_for(program, startup, D("400.00"))
    response = admin_api.post(f"{AWARDS}{award.pk}/cancel/", {"note": "Withdrawn by the ministry."})
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    program.refresh_from_db()
    assert program.available == D("1000.00")
    assert admin_api.post(f"{AWARDS}{award.pk}/cancel/").status_code == 409


def test_award_cancel_by_an_approver_or_the_founder_is_403(approver_api, startup, founder):
    award = award_for(factories.ProgramFactory(), startup)
    assert approver_api.post(f"{AWARDS}{award.pk}/cancel/").status_code == 403
    approver_api.force_authenticate(founder)
    assert approver_api.post(f"{AWARDS}{award.pk}/cancel/").status_code == 403
    award.refresh_from_db()
    assert award.status == AwardStatus.ACTIVE


# --- The public register ------------------------------------------------------------------------


def test_award_register_is_public_and_lists_the_granted_awards(api, startup):
    program = factories.ProgramFactory(name="Seed")
    award = award_for(program, startup, D("250.00"))
    cancelled = award_for(program, factories.StartupFactory())
    awards.award_cancel(award=cancelled, by=factories.UserFactory(roles=["admin"]))
    response = api.get(REGISTER)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": award.pk,
            "startup": startup.name,
            "program": "Seed",
            "amount": "250.00",
            "date": timezone.localdate(award.created_at).isoformat(),
        }
    ]


def test_award_register_query_count_does_not_grow(api, django_assert_num_queries):
    program = factories.ProgramFactory()
    award_for(program, factories.StartupFactory())
    with django_assert_num_queries(2):
        api.get(REGISTER)
    award_for(program, factories.StartupFactory())
    award_for(program, factories.StartupFactory())
    with django_assert_num_queries(2):
        assert len(api.get(REGISTER).json()["results"]) == 3


def test_award_register_cannot_be_written(api):
    assert api.post(REGISTER, {}).status_code in (401, 403, 405)
    assert Award.objects.count() == 0


def test_api_schema_includes_the_subsidy_endpoints(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/subsidy-programs/", "/api/v1/subsidy-awards/", "/api/v1/disbursements/{id}/pay/"} <= set(
        paths
    )
