import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from subsidies.enums import AwardStatus, DisbursementStatus
from subsidies.models import Disbursement, Program
from subsidies.services import awards
from tests import factories
from tests.subsidies.helpers import grant, start_of

D = Decimal
pytestmark = pytest.mark.django_db


def award_for(program, startup, amount=None, *, queue=None):
    """An award decided by a new approver (of the queue's department when one is given)."""
    amount = D("100.00") if amount is None else amount
    extra = {"queue": queue} if queue else {}
    letter = factories.subsidy_letter(program=program, startup=startup, amount=amount, **extra)
    department = queue.department if queue else None
    return grant(letter, by=factories.UserFactory(roles=["approver"], department=department))


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder, name="Hanbit Robotics")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def approver_client(client):
    client.force_login(factories.UserFactory(roles=["approver"]))
    return client


@pytest.fixture
def founder_client(client, founder):
    client.force_login(founder)
    return client


def queries_for(client, url) -> int:
    """How many queries one GET of `url` makes (the layout's own queries included)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def body(response) -> str:
    return response.content.decode()


def assert_no_inline_style(html: str):
    assert "style=" not in html
    assert "<script>" not in html


# --- Programs -----------------------------------------------------------------------------------


def test_program_list_renders_with_a_budget_bar(admin_client, startup):
    program = factories.ProgramFactory(name="Seed", budget=D("1000.00"))
    award_for(program, startup, D("250.00"))
    response = admin_client.get(reverse("subsidies:program_list"))
    assert response.status_code == 200
    html = body(response)
    assert "Seed" in html and 'width="25.0"' in html
    assert_no_inline_style(html)


def test_program_list_query_count_does_not_grow(admin_client, django_assert_num_queries):
    factories.ProgramFactory()
    url = reverse("subsidies:program_list")
    admin_client.get(url)
    queries = queries_for(admin_client, url)
    factories.ProgramFactory()
    factories.ProgramFactory()
    with django_assert_num_queries(queries):
        assert len(admin_client.get(url).context["rows"]) == 3


def test_program_list_founder_is_403_anonymous_goes_to_login(client, founder):
    url = reverse("subsidies:program_list")
    assert client.get(url).status_code == 302
    client.force_login(founder)
    assert client.get(url).status_code == 403


def test_program_detail_draws_the_budget_chart_from_the_ledger(approver_client, startup):
    program = factories.ProgramFactory(name="Seed", budget=D("1000.00"), tranches=2)
    award = award_for(program, startup, D("400.00"))
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    response = approver_client.get(reverse("subsidies:program_detail", args=[program.pk]))
    assert response.status_code == 200
    html = body(response)
    assert html.count("<polyline") == 3
    # The chart's text alternative says what the lines end at.
    assert re.search(r"<desc>From .*Now: budget 1,000, committed 400, disbursed 200\.</desc>", html)
    assert 'id="program-available"' in html and "600.00" in html
    assert html.count("<tr>") >= 4  # ledger: budget, commit, pay (+ header)
    assert_no_inline_style(html)


def test_program_create_page_creates_through_the_service(admin_client):
    response = admin_client.post(
        reverse("subsidies:program_create"),
        {
            "name": "Seed",
            "budget": "5000.00",
            "max_award": "1000.00",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "eligible_stages": ["idea", "prototype"],
            "tranches": "3",
            "tranche_spacing_months": "1",
            "profit_months": "3",
            "profit_policy": "continue",
            "taper_percent": "0",
        },
    )
    program = Program.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "subsidies:program_detail", args=[program.pk]
    )
    assert (program.eligible_stages, program.tranches, program.ledger.count()) == (
        ["idea", "prototype"],
        3,
        1,
    )


def test_program_create_page_bad_input_shows_the_error_and_creates_nothing(admin_client):
    response = admin_client.post(
        reverse("subsidies:program_create"),
        {
            "name": "Seed",
            "budget": "5000.00",
            "max_award": "1000.00",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "tranches": "1",
            "tranche_spacing_months": "1",
            "profit_months": "3",
            "profit_policy": "taper",
            "taper_percent": "0",
        },
    )
    assert response.status_code == 200
    assert "A taper needs a percentage above zero." in body(response)
    assert Program.objects.count() == 0


def test_program_edit_page_refuses_a_budget_below_what_is_committed(admin_client, startup):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award_for(program, startup, D("600.00"))
    url = reverse("subsidies:program_edit", args=[program.pk])
    form = admin_client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        budget="500.00", opens_on=program.opens_on.isoformat(), closes_on=program.closes_on.isoformat()
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot go below what is already committed" in body(response)
    program.refresh_from_db()
    assert program.budget == D("1000.00")


def test_program_edit_page_by_an_approver_is_403(approver_client):
    program = factories.ProgramFactory()
    assert approver_client.get(reverse("subsidies:program_edit", args=[program.pk])).status_code == 403


# --- Awards -------------------------------------------------------------------------------------


def test_award_list_query_count_does_not_grow(admin_client, django_assert_num_queries):
    program = factories.ProgramFactory(tranches=2)
    award_for(program, factories.StartupFactory())
    url = reverse("subsidies:award_list")
    admin_client.get(url)
    queries = queries_for(admin_client, url)
    award_for(program, factories.StartupFactory())
    award_for(program, factories.StartupFactory())
    with django_assert_num_queries(queries):
        assert len(admin_client.get(url).context["rows"]) == 3


def test_award_list_filters_by_status(admin_client, startup):
    program = factories.ProgramFactory()
    award_for(program, startup)
    cancelled = award_for(program, factories.StartupFactory(name="Gone Ltd"))
    awards.award_cancel(award=cancelled, by=factories.UserFactory(roles=["admin"]))
    response = admin_client.get(reverse("subsidies:award_list"), {"status": "cancelled"})
    assert [award.pk for award, _paid, _scheduled in response.context["rows"]] == [cancelled.pk]


def test_award_export_csv_lists_the_awards_with_what_was_paid(admin_client, startup):
    program = factories.ProgramFactory(name="Seed", tranches=2)
    award = award_for(program, startup, D("100.00"))
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    response = admin_client.get(reverse("subsidies:award_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "id",
        "letter",
        "startup",
        "program",
        "amount",
        "released",
        "paid",
        "scheduled",
        "status",
        "date",
    ]
    assert rows[1][2:9] == ["Hanbit Robotics", "Seed", "100.00", "0.00", "50.00", "50.00", "active"]


def test_award_export_csv_founder_is_403(founder_client):
    assert founder_client.get(reverse("subsidies:award_export")).status_code == 403


def test_award_detail_founder_sees_tranches_and_next_payment(founder_client, startup):
    program = factories.ProgramFactory(tranches=3)
    award = award_for(program, startup, D("100.00"))
    response = founder_client.get(reverse("subsidies:award_detail", args=[award.pk]))
    assert response.status_code == 200
    html = body(response)
    assert html.count('class="badge text-bg-primary">Scheduled') == 3
    assert response.context["next_payment"].number == 1
    assert "Mark paid" not in html and "Cancel the award" not in html
    assert_no_inline_style(html)


def test_award_detail_another_founder_is_404(client, startup):
    award = award_for(factories.ProgramFactory(), startup)
    client.force_login(factories.UserFactory(roles=["founder"]))
    assert client.get(reverse("subsidies:award_detail", args=[award.pk])).status_code == 404


def test_pay_page_action_by_an_approver_of_the_department_pays_once(client, startup):
    award = award_for(factories.ProgramFactory(tranches=2), startup)
    tranche = award.disbursements.get(number=1)
    url = reverse("subsidies:disbursement_pay", args=[tranche.pk])
    client.force_login(factories.payer_of(award))
    response = client.post(url)
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.PAID
    response = client.post(url, follow=True)
    assert "it cannot be paid" in body(response)
    award.program.refresh_from_db()
    assert award.program.disbursed == D("50.00")


def test_award_detail_shows_pay_buttons_for_due_tranches_to_a_payer_only(client, startup):
    award = award_for(factories.ProgramFactory(tranches=2), startup)
    first, second = award.disbursements.order_by("number")
    url = reverse("subsidies:award_detail", args=[award.pk])

    def buttons():
        response = client.get(url)
        assert response.status_code == 200
        html = body(response)
        return re.findall(r'action="/subsidies/disbursements/(\d+)/pay/"', html)

    payer = factories.payer_of(award)
    client.force_login(payer)
    assert buttons() == [str(first.pk)]  # the second is not due yet
    with time_machine.travel(start_of(second.due_on), tick=False):
        client.force_login(payer)  # a staff session ends after a while without activity
        assert buttons() == [str(first.pk), str(second.pk)]
    for refused in (
        award.by,
        factories.UserFactory(roles=["approver"], department=factories.DepartmentFactory()),
    ):
        client.force_login(refused)
        assert buttons() == []


def test_pay_page_action_by_the_approver_who_decided_is_403_and_pays_nothing(client, startup):
    award = award_for(factories.ProgramFactory(), startup)
    tranche = award.disbursements.get()
    client.force_login(award.by)
    assert client.post(reverse("subsidies:disbursement_pay", args=[tranche.pk])).status_code == 403
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.SCHEDULED


def test_pay_page_action_before_the_due_date_says_so_and_pays_nothing(client, startup):
    award = award_for(factories.ProgramFactory(tranches=2), startup)
    second = award.disbursements.get(number=2)
    client.force_login(factories.payer_of(award))
    response = client.post(reverse("subsidies:disbursement_pay", args=[second.pk]), follow=True)
    assert "it cannot be paid before then" in body(response)
    second.refresh_from_db()
    assert second.status == DisbursementStatus.SCHEDULED


def test_pay_page_action_by_the_founder_is_403(founder_client, startup):
    award = award_for(factories.ProgramFactory(), startup)
    tranche = award.disbursements.get()
    assert founder_client.post(reverse("subsidies:disbursement_pay", args=[tranche.pk])).status_code == 403
    tranche.refresh_from_db()
    assert tranche.status == DisbursementStatus.SCHEDULED


def test_cancel_page_action_by_an_admin_releases(admin_client, startup):
    program = factories.ProgramFactory(budget=D("1000.00"))
    award = award_for(program, startup, D("300.00"))
    response = admin_client.post(reverse("subsidies:award_cancel", args=[award.pk]), {"note": "Duplicate."})
    assert response.status_code == 302
    award.refresh_from_db()
    program.refresh_from_db()
    assert (award.status, program.available) == (AwardStatus.CANCELLED, D("1000.00"))


def test_cancel_page_action_by_an_approver_is_403(approver_client, startup):
    award = award_for(factories.ProgramFactory(), startup)
    assert approver_client.post(reverse("subsidies:award_cancel", args=[award.pk])).status_code == 403


# --- Overdue tranches ---------------------------------------------------------------------------


def make_overdue(award):
    Disbursement.objects.filter(award=award, number=1).update(
        due_on=timezone.localdate() - datetime.timedelta(days=3)
    )


def test_overdue_page_lists_scheduled_tranches_past_their_day(client, startup):
    program = factories.ProgramFactory(tranches=2)
    late = award_for(program, startup)
    make_overdue(late)
    award_for(program, factories.StartupFactory())  # due today: not overdue
    client.force_login(factories.payer_of(late))
    response = client.get(reverse("subsidies:overdue"))
    assert response.status_code == 200
    assert [t.award_id for t in response.context["tranches"]] == [late.pk]
    assert "Mark paid" in body(response)


def test_overdue_page_shows_a_pay_button_only_where_the_payment_rule_allows(client):
    program, queue = factories.ProgramFactory(tranches=2), factories.ReviewQueueFactory()
    payable = award_for(program, factories.StartupFactory(), queue=queue)
    decided = award_for(program, factories.StartupFactory(), queue=queue)
    elsewhere = award_for(program, factories.StartupFactory())  # another department's
    for award in (payable, decided, elsewhere):
        make_overdue(award)
    client.force_login(decided.by)  # of the department; decided one of its awards
    html = body(client.get(reverse("subsidies:overdue")))
    buttons = re.findall(r'action="/subsidies/disbursements/(\d+)/pay/"', html)
    assert buttons == [str(payable.disbursements.get(number=1).pk)]


def test_overdue_page_query_count_does_not_grow(client, django_assert_num_queries):
    program, queue = factories.ProgramFactory(tranches=2), factories.ReviewQueueFactory()
    first = award_for(program, factories.StartupFactory(), queue=queue)
    make_overdue(first)
    client.force_login(factories.payer_of(first))  # the rule is asked of every row
    url = reverse("subsidies:overdue")
    client.get(url)
    queries = queries_for(client, url)
    make_overdue(award_for(program, factories.StartupFactory(), queue=queue))
    make_overdue(award_for(program, factories.StartupFactory(), queue=queue))
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["tranches"]) == 3
    assert body(response).count("Mark paid") == 3


# --- Founders -----------------------------------------------------------------------------------


def test_my_subsidies_shows_each_award_and_its_next_payment(founder_client, startup):
    program = factories.ProgramFactory(name="Seed", tranches=2)
    award = award_for(program, startup, D("100.00"))
    awards.disbursement_pay(disbursement=award.disbursements.get(number=1), by=factories.payer_of(award))
    award_for(factories.ProgramFactory(), factories.StartupFactory())  # someone else's
    response = founder_client.get(reverse("subsidies:mine"))
    assert response.status_code == 200
    [row] = response.context["rows"]
    assert (row["award"], row["next_payment"].number, row["paid"]) == (award, 2, D("50.00"))
    html = body(response)
    assert "Next payment" in html and 'href="/subsidies/"' in html  # the nav link
    assert_no_inline_style(html)


def test_my_subsidies_query_count_does_not_grow(founder_client, startup, django_assert_num_queries):
    program = factories.ProgramFactory(tranches=3)
    award_for(program, startup)
    url = reverse("subsidies:mine")
    founder_client.get(url)
    queries = queries_for(founder_client, url)
    award_for(program, startup)
    award_for(program, startup)
    with django_assert_num_queries(queries):
        assert len(founder_client.get(url).context["rows"]) == 3


# --- The public register ------------------------------------------------------------------------


def test_register_page_is_public(client, startup):
    award_for(factories.ProgramFactory(name="Seed"), startup, D("1234.50"))
    response = client.get(reverse("subsidies:register"))
    assert response.status_code == 200
    html = body(response)
    assert "Hanbit Robotics" in html and "1,234.50" in html
    assert_no_inline_style(html)


def test_register_page_query_count_does_not_grow(client, django_assert_num_queries):
    program = factories.ProgramFactory()
    award_for(program, factories.StartupFactory())
    url = reverse("subsidies:register")
    queries = queries_for(client, url)
    award_for(program, factories.StartupFactory())
    award_for(program, factories.StartupFactory())
    with django_assert_num_queries(queries):
        assert len(client.get(url).context["awards"]) == 3


def test_register_csv_is_open_data(client, startup):
    award = award_for(factories.ProgramFactory(name="Seed"), startup, D("1234.50"))
    cancelled = award_for(factories.ProgramFactory(), factories.StartupFactory())
    awards.award_cancel(award=cancelled, by=factories.UserFactory(roles=["admin"]))
    response = client.get(reverse("subsidies:register_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        ["startup", "program", "amount", "date"],
        ["Hanbit Robotics", "Seed", "1234.50", timezone.localdate(award.created_at).isoformat()],
    ]


# --- The dashboard and the demo -----------------------------------------------------------------


def test_dashboard_shows_overdue_tranches_to_approvers(approver_client, startup):
    late = award_for(factories.ProgramFactory(name="Seed", tranches=2), startup)
    make_overdue(late)
    response = approver_client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = body(response)
    assert 'id="overdue-tranches-panel"' in html and "Hanbit Robotics · Seed #1" in html


def test_dashboard_has_no_subsidies_panel_for_reviewers(client):
    client.force_login(factories.UserFactory(roles=["reviewer"]))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert 'id="overdue-tranches-panel"' not in body(response)


def test_demo_seed_creates_the_programs_once():
    from accounts import demo as accounts_demo
    from subsidies import demo

    out = io.StringIO()
    accounts_demo.seed(out)
    demo.seed(out)
    demo.seed(out)
    assert Program.objects.count() == 2
    assert all(program.ledger.count() == 1 for program in Program.objects.all())
