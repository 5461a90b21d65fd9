"""The startup's ledger of public support: the API, its totals, who sees it, its cost."""
import datetime
from decimal import Decimal

import pytest

from startups.support import KINDS, Support, SupportEntry, monthly_series, registered_kinds, support_of
from tests import factories
from tests.subsidies.helpers import grant, pay_when_due

D = Decimal
pytestmark = pytest.mark.django_db


def url(startup):
    return f"/api/v1/startups/{startup.pk}/support/"


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder)


@pytest.fixture
def approver(db):
    return factories.UserFactory(roles=["approver"])


def paid_award(startup, approver, *, amount=D("300.00"), tranches=3, pay=3):
    program = factories.ProgramFactory(tranches=tranches, max_award=D("100000.00"))
    award = grant(factories.subsidy_letter(program=program, startup=startup, amount=amount), by=approver)
    payer = factories.payer_of(award)
    for tranche in award.disbursements.order_by("number")[:pay]:
        pay_when_due(tranche, by=payer)
    return award


def test_support_totals_the_paid_tranches_only(founder_api, startup, approver):
    paid_award(startup, approver, amount=D("300.00"), tranches=3, pay=2)

    response = founder_api.get(url(startup))

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == "200.00"
    assert body["by_kind"] == {"subsidy": "200.00", "space": "0.00", "expo": "0.00"}
    assert [(e["kind"], e["amount"]) for e in body["entries"]] == [("subsidy", "100.00")] * 2


def test_support_by_kind_holds_every_kind_when_nothing_was_received(founder_api, startup):
    body = founder_api.get(url(startup)).json()

    assert body == {"total": "0.00", "by_kind": {"subsidy": "0.00", "space": "0.00", "expo": "0.00"}, "entries": []}


def test_support_counts_only_this_startups_tranches(startup, approver):
    paid_award(startup, approver, amount=D("100.00"), tranches=1, pay=1)
    paid_award(factories.StartupFactory(), approver, amount=D("500.00"), tranches=1, pay=1)

    support = support_of(startup)

    assert (support.total, support.by_kind["subsidy"], len(support.entries)) == (D("100.00"), D("100.00"), 1)
    assert list(support.by_kind) == list(KINDS)


def test_support_of_another_startup_is_404(api, startup, approver):
    paid_award(startup, approver, tranches=1, pay=1)
    api.force_authenticate(factories.UserFactory(roles=["founder"]))

    assert api.get(url(startup)).status_code == 404


def test_support_is_shown_to_staff(api, startup, approver):
    paid_award(startup, approver, amount=D("100.00"), tranches=1, pay=1)
    api.force_authenticate(factories.UserFactory(roles=["reviewer"]))

    response = api.get(url(startup))

    assert (response.status_code, response.json()["total"]) == (200, "100.00")


def test_support_without_credentials_is_401_or_403(api, startup):
    assert api.get(url(startup)).status_code in (401, 403)


@pytest.mark.parametrize("tranches", [1, 3])
def test_support_query_count_does_not_grow_with_disbursements(
    founder_api, startup, approver, tranches, django_assert_num_queries
):
    paid_award(startup, approver, amount=D("300.00"), tranches=tranches, pay=tranches)

    # The caller's roles, the startup (visible to them), the rule's membership check, and one per
    # registered source.
    with django_assert_num_queries(QUERIES):
        response = founder_api.get(url(startup))

    assert len(response.json()["entries"]) == tranches


# The session's user, the startup, the rule's membership check, and one query per source.
QUERIES = 3 + len(registered_kinds())


def test_monthly_series_fills_the_months_between():
    support = Support(
        total=D("30.00"),
        by_kind={"subsidy": D("30.00"), "space": D("0.00"), "expo": D("0.00")},
        entries=[
            SupportEntry("subsidy", datetime.date(2026, 3, 5), D("10.00"), "a"),
            SupportEntry("subsidy", datetime.date(2026, 1, 9), D("20.00"), "b"),
        ],
    )

    series = monthly_series(support)

    assert [(month.isoformat(), amounts["subsidy"]) for month, amounts in series] == [
        ("2026-01-01", D("20.00")),
        ("2026-02-01", D("0.00")),
        ("2026-03-01", D("10.00")),
    ]


def test_startup_page_shows_the_support_with_chart_and_table(client, founder, startup, approver):
    paid_award(startup, approver, amount=D("300.00"), tranches=1, pay=1)
    client.force_login(founder)

    response = client.get(f"/startups/{startup.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="support"' in content
    assert "<desc" in content and "<table" in content
    assert "300.00" in content
