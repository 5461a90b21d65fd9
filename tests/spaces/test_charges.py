"""Monthly space charges: the split to the cent, issuing once, the API, the CSV, the ledger."""
import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.exceptions import NotPermitted, StateConflict
from spaces import charges
from spaces.enums import Funding
from spaces.models import BookingStatus, ChargeSource, SpaceCharge
from startups.support import support_of
from tests import factories
from tests.spaces.booking_factories import (
    AllocationFactory,
    BookingFactory,
    BookingSiteFactory,
    DeskFactory,
    RoomFactory,
    at,
)

D = Decimal
URL = "/api/v1/space-charges/"
MONTH = datetime.date(2026, 4, 1)  # 30 days, ended before "today" below
TODAY = datetime.date(2026, 5, 1)


# --- the split -----------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**13).map(lambda cents: D(cents) / 100)
shares = st.integers(min_value=0, max_value=10000).map(lambda basis: D(basis) / 100)


@given(amount=amounts, share=shares)
def test_split_adds_up_to_the_cent(amount, share):
    state, company = charges.split(amount, share)

    assert state + company == amount
    assert D("0") <= state <= amount and company >= 0
    assert state == (amount * share / 100).quantize(D("0.01"), ROUND_HALF_UP)
    assert state.as_tuple().exponent >= -2 and company.as_tuple().exponent >= -2


@given(
    price=st.integers(min_value=0, max_value=10**9).map(lambda cents: D(cents) / 100),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=1, max_value=60),
)
def test_allocation_amount_is_in_proportion_to_its_days(price, start, length):
    starts_on = datetime.date(2026, 3, 20) + datetime.timedelta(days=start)
    ends_on = starts_on + datetime.timedelta(days=length)

    amount, days = charges.allocation_amount(price, starts_on, ends_on, MONTH)

    held = max(0, (min(ends_on, datetime.date(2026, 5, 1)) - max(starts_on, MONTH)).days)
    assert days == held
    assert amount == (price * held / 30).quantize(D("0.01"), ROUND_HALF_UP)
    assert D("0") <= amount <= price


def test_a_whole_month_costs_the_monthly_price():
    assert charges.allocation_amount(D("333.33"), datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), MONTH) == (
        D("333.33"),
        30,
    )


@pytest.mark.parametrize(
    "funding, share, state, company",
    [
        (Funding.STATE, None, D("100.00"), D("0.00")),
        (Funding.COMPANY, None, D("0.00"), D("100.00")),
        (Funding.SHARED, D("33.33"), D("33.33"), D("66.67")),
    ],
)
def test_state_share_by_funding(db, funding, share, state, company):
    site = BookingSiteFactory(funding=funding, state_share=share)

    assert charges.split(D("100.00"), charges.state_share_of(site)) == (state, company)


# --- issuing -----------------------------------------------------------------------------------


@pytest.fixture
def shared_site(db):
    return BookingSiteFactory(funding=Funding.SHARED, state_share=D("62.50"))


@pytest.fixture
def startup(founder):
    return factories.StartupFactory(owner=founder)


@pytest.fixture
def issued(shared_site, startup):
    """April 2026: a desk held 10 days (300.00 a month) and a 90-minute booking (20.00 an hour)."""
    desk = DeskFactory(site=shared_site, monthly_price=D("300.00"))
    allocation = AllocationFactory(
        unit=desk, startup=startup, starts_on=datetime.date(2026, 4, 21), ends_on=datetime.date(2026, 6, 1)
    )
    room = RoomFactory(site=shared_site, hourly_price=D("20.00"))
    booking = BookingFactory(
        unit=room, startup=startup, starts_at=at(datetime.date(2026, 4, 7), 10), ends_at=at(datetime.date(2026, 4, 7), 11, 30)
    )
    BookingFactory(unit=room, startup=startup, status=BookingStatus.CANCELLED, starts_at=at(datetime.date(2026, 4, 8), 10))
    written = charges.charges_issue(month=MONTH, by=None, today=TODAY)
    return {"allocation": allocation, "booking": booking, "written": written}


def test_issue_charges_allocations_by_days_and_bookings_by_hours(issued, startup):
    rows = {
        (c.source, c.source_id): (c.list_amount, c.state_amount, c.company_amount)
        for c in SpaceCharge.objects.filter(startup=startup)
    }

    assert rows == {
        (ChargeSource.ALLOCATION, issued["allocation"].pk): (D("100.00"), D("62.50"), D("37.50")),
        (ChargeSource.BOOKING, issued["booking"].pk): (D("30.00"), D("18.75"), D("11.25")),
    }


def test_issuing_a_month_again_writes_nothing(issued):
    again = charges.charges_issue(month=MONTH, by=None, today=TODAY)

    assert (len(issued["written"]), again, SpaceCharge.objects.count()) == (2, [], 2)


def test_issuing_a_month_not_ended_is_409(db):
    with pytest.raises(StateConflict):
        charges.charges_issue(month=datetime.date(2026, 5, 1), by=None, today=datetime.date(2026, 5, 31))

    assert SpaceCharge.objects.count() == 0


def test_a_founder_cannot_issue(founder):
    with pytest.raises(NotPermitted):
        charges.charges_issue(month=MONTH, by=founder, today=TODAY)


def test_the_state_share_of_charges_is_public_support(issued, startup):
    support = support_of(startup)

    assert support.by_kind["space"] == D("81.25")
    assert [e.date for e in support.entries if e.kind == "space"] == [MONTH, MONTH]


def test_csv_neutralises_formulas(issued, startup, shared_site):
    startup.name = "=HYPERLINK(\"http://evil\")"
    startup.save()

    text = charges.charges_csv(SpaceCharge.objects.filter(site=shared_site).select_related("startup", "unit"))

    lines = text.strip().splitlines()
    assert lines[0].startswith("month,startup,")
    assert all("'=HYPERLINK" in line for line in lines[1:3])
    assert lines[-1].endswith("130.00,81.25,48.75")


# --- the API -----------------------------------------------------------------------------------


@pytest.fixture
def manager(shared_site):
    return factories.UserFactory(roles=["space_manager"], department=shared_site.department)


def test_api_lists_the_startups_charges_by_month(founder_api, issued, startup):
    response = founder_api.get(URL, {"startup": startup.pk, "month": "2026-04"})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted((r["source"], r["list_amount"], r["state_amount"], r["company_amount"]) for r in rows) == [
        ("allocation", "100.00", "62.50", "37.50"),
        ("booking", "30.00", "18.75", "11.25"),
    ]
    assert {r["month"] for r in rows} == {"2026-04"}
    assert founder_api.get(URL, {"month": "2026-03"}).json()["results"] == []


def test_api_bad_month_filter_is_400(founder_api, issued):
    assert founder_api.get(URL, {"month": "April"}).status_code == 400


def test_api_another_founders_charge_is_404(api, issued):
    api.force_authenticate(factories.UserFactory(roles=["founder"]))
    charge = SpaceCharge.objects.first()

    assert api.get(f"{URL}{charge.pk}/").status_code == 404
    assert api.get(URL).json()["results"] == []


@pytest.mark.parametrize("rows", [1, 3])
def test_api_list_query_count_is_constant(founder_api, startup, shared_site, rows, django_assert_num_queries):
    for _ in range(rows):
        AllocationFactory(
            unit=DeskFactory(site=shared_site), startup=startup, starts_on=MONTH, ends_on=datetime.date(2026, 5, 1)
        )
    charges.charges_issue(month=MONTH, by=None, today=TODAY)

    with django_assert_num_queries(3):  # the caller's roles, the count, the page
        response = founder_api.get(URL)

    assert len(response.json()["results"]) == rows


def test_api_issue_by_a_manager_writes_once(api, manager, shared_site, startup):
    AllocationFactory(unit=DeskFactory(site=shared_site), startup=startup, starts_on=MONTH, ends_on=TODAY)
    api.force_authenticate(manager)

    first = api.post(f"{URL}issue/", {"month": "2026-04"})
    second = api.post(f"{URL}issue/", {"month": "2026-04"})

    assert (first.status_code, first.json()) == (201, {"month": "2026-04", "issued": 1})
    assert (second.status_code, second.json()["issued"]) == (201, 0)
    assert SpaceCharge.objects.count() == 1


def test_api_issue_of_this_month_is_409(api, manager):
    api.force_authenticate(manager)

    month = datetime.date.today().strftime("%Y-%m")

    assert api.post(f"{URL}issue/", {"month": month}).status_code == 409


@pytest.mark.parametrize("payload", [{}, {"month": "2026-13"}, {"month": "26-04"}, {"month": None}, {"month": 202604}])
def test_api_issue_bad_input_is_400_and_writes_nothing(api, manager, shared_site, startup, payload):
    AllocationFactory(unit=DeskFactory(site=shared_site), startup=startup, starts_on=MONTH, ends_on=TODAY)
    api.force_authenticate(manager)

    assert api.post(f"{URL}issue/", payload).status_code == 400
    assert SpaceCharge.objects.count() == 0


def test_api_issue_by_a_founder_is_403(founder_api):
    assert founder_api.post(f"{URL}issue/", {"month": "2026-04"}).status_code == 403


def test_api_export_csv_for_the_sites_manager(api, manager, issued, shared_site):
    api.force_authenticate(manager)

    response = api.get(f"{URL}export/", {"site": shared_site.pk, "month": "2026-04"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().strip().splitlines()[-1].endswith("130.00,81.25,48.75")


def test_api_export_of_another_departments_site_is_404(api, issued, shared_site):
    api.force_authenticate(factories.UserFactory(roles=["space_manager"], department=factories.DepartmentFactory()))

    assert api.get(f"{URL}export/", {"site": shared_site.pk, "month": "2026-04"}).status_code == 404
    assert api.get(f"{URL}export/", {"site": "x", "month": "2026-04"}).status_code == 400
