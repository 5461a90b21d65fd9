import datetime

import pytest
from django.utils import timezone

from spaces.enums import RequestStatus, UnitKind
from spaces.models import Allocation, AllocationRun, Site, Unit
from tests import factories
from tests.spaces.factories import TODAY, AllocationFactory, SiteFactory, UnitFactory, space_request

pytestmark = pytest.mark.django_db
SITES = "/api/v1/space-sites/"
UNITS = "/api/v1/space-units/"
REQUESTS = "/api/v1/space-requests/"
RUNS = "/api/v1/space-allocation-runs/"
ALLOCATIONS = "/api/v1/space-allocations/"


def site_body(owner, /, **changes):
    return {
        "name": "Mapo Hub",
        "address": "1 Mapo-daero",
        "department": owner.pk,
        "funding": "shared",
        "state_share": "40.00",
        "special_economic_zone": True,
        "bookable_from": "08:00",
        "bookable_until": "20:00",
        **changes,
    }


def unit_body(site, /, **changes):
    return {"site": site.pk, "name": "Desk 1", "kind": "desk", "seats": 1, "monthly_price": "300000.00",
            "features": ["window"], **changes}


def allocation_body(unit, startup, /, **changes):
    return {"unit": unit.pk, "startup": startup.pk, "starts_on": "2027-03-01", "ends_on": "2027-06-01", **changes}


# --- sites and units ----------------------------------------------------------------------------


def test_site_create_by_the_departments_manager_is_201(manager_api, department):
    response = manager_api.post(SITES, site_body(department), format="json")

    assert response.status_code == 201, response.data
    assert {k: response.data[k] for k in ("funding", "state_share", "bookable_from", "bookable_until")} == {
        "funding": "shared",
        "state_share": "40.00",
        "bookable_from": "08:00",
        "bookable_until": "20:00",
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"state_share": None},
        {"funding": "state", "state_share": "10.00"},
        {"state_share": "100.01"},
        {"funding": "nobody"},
        {"bookable_until": "07:00"},
        {"name": ""},
        {"department": 999999},
    ],
)
def test_site_create_with_bad_input_is_400_and_creates_nothing(manager_api, department, changes):
    response = manager_api.post(SITES, site_body(department, **changes), format="json")

    assert response.status_code == 400, response.data
    assert Site.objects.count() == 0


def test_site_create_by_a_founder_is_403(founder_api, department):
    assert founder_api.post(SITES, site_body(department), format="json").status_code == 403
    assert Site.objects.count() == 0


def test_site_update_by_another_departments_manager_is_403(api, site):
    api.force_authenticate(factories.UserFactory(roles=["space_manager"], department=factories.DepartmentFactory()))
    assert api.patch(f"{SITES}{site.pk}/", {"name": "Mine"}, format="json").status_code == 403


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "meeting_room"},
        {"monthly_price": None},
        {"seats": 0},
        {"features": ["x" * 51]},
        {"features": "projector"},
        {"kind": "sofa"},
        {"site": 999999},
    ],
)
def test_unit_create_with_bad_input_is_400_and_creates_nothing(manager_api, site, changes):
    response = manager_api.post(UNITS, unit_body(site, **changes), format="json")

    assert response.status_code == 400, response.data
    assert Unit.objects.count() == 0


def test_unit_create_twice_with_one_name_is_400(manager_api, site):
    assert manager_api.post(UNITS, unit_body(site), format="json").status_code == 201
    assert manager_api.post(UNITS, unit_body(site), format="json").status_code == 400
    assert Unit.objects.count() == 1


def test_unit_list_filters_by_site_and_kind(founder_api, site):
    desk = UnitFactory(site=site)
    UnitFactory(site=site, kind=UnitKind.MEETING_ROOM)
    UnitFactory()

    response = founder_api.get(UNITS, {"site": site.pk, "kind": "desk"})

    assert [unit["id"] for unit in response.data["results"]] == [desk.pk]


@pytest.mark.parametrize("rows", [1, 3])
def test_site_and_unit_lists_take_constant_queries(founder_api, rows, django_assert_num_queries):
    for _ in range(rows):
        UnitFactory()
    founder_api.get(SITES)  # the session and the user's roles
    with django_assert_num_queries(2):
        assert len(founder_api.get(SITES).data["results"]) == rows
    with django_assert_num_queries(2):
        assert len(founder_api.get(UNITS).data["results"]) == rows


# --- requests and offers -------------------------------------------------------------------------


def test_founder_sees_only_their_startups_requests(founder_api, startup):
    mine = space_request(startup=startup)
    theirs = space_request()

    response = founder_api.get(REQUESTS)

    assert [row["id"] for row in response.data["results"]] == [mine.pk]
    assert response.data["results"][0]["offer"] is None
    assert founder_api.get(f"{REQUESTS}{theirs.pk}/").status_code == 404
    assert founder_api.post(f"{REQUESTS}{theirs.pk}/accept/").status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_request_list_takes_constant_queries(manager_api, rows, django_assert_num_queries):
    for _ in range(rows):
        space_request()
    manager_api.get(REQUESTS)
    with django_assert_num_queries(2):
        assert len(manager_api.get(REQUESTS, {"status": "waiting"}).data["results"]) == rows


def test_accept_an_offer_allocates_and_a_second_accept_changes_nothing(founder_api, startup, site):
    desk = UnitFactory(site=site)
    request = space_request(
        startup=startup,
        status=RequestStatus.OFFERED,
        offer_unit=desk,
        offer_expires_at=timezone.now() + datetime.timedelta(days=2),
    )

    first = founder_api.post(f"{REQUESTS}{request.pk}/accept/")
    second = founder_api.post(f"{REQUESTS}{request.pk}/accept/")

    assert (first.status_code, first.data["status"], second.status_code) == (200, "allocated", 200)
    assert first.data["offer"]["unit"] == desk.pk
    assert Allocation.objects.filter(request=request, unit=desk).count() == 1


def test_accept_an_expired_offer_is_409_and_the_request_is_expired(founder_api, startup, site):
    request = space_request(
        startup=startup,
        status=RequestStatus.OFFERED,
        offer_unit=UnitFactory(site=site),
        offer_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert founder_api.post(f"{REQUESTS}{request.pk}/accept/").status_code == 409
    assert founder_api.get(f"{REQUESTS}{request.pk}/").data["status"] == "expired"


def test_decline_of_a_waiting_request_is_409(founder_api, startup):
    request = space_request(startup=startup)
    assert founder_api.post(f"{REQUESTS}{request.pk}/decline/").status_code == 409


# --- runs -----------------------------------------------------------------------------------------


def test_run_and_confirm_through_the_api(manager_api, site):
    desk = UnitFactory(site=site)
    request = space_request(seats=1)

    created = manager_api.post(RUNS, {"site": site.pk}, format="json")
    assert created.status_code == 201, created.data
    assert (created.data["assignments"], created.data["unassigned"]) == ([{"request": request.pk, "unit": desk.pk}], [])
    assert set(created.data) >= {"objective", "bound", "baseline_objective"}

    confirmed = manager_api.post(f"{RUNS}{created.data['id']}/confirm/")
    assert (confirmed.status_code, confirmed.data["status"]) == (200, "confirmed")
    offer = manager_api.get(f"{REQUESTS}{request.pk}/").data
    assert (offer["status"], offer["offer"]["unit"]) == ("offered", desk.pk)


def test_run_by_a_founder_is_403(founder_api):
    assert founder_api.post(RUNS, {}, format="json").status_code == 403
    assert AllocationRun.objects.count() == 0


@pytest.mark.parametrize("body", [{"site": 999999}, {"site": "one"}, {"site": [1]}])
def test_run_with_bad_input_is_400_and_creates_nothing(manager_api, body):
    assert manager_api.post(RUNS, body, format="json").status_code == 400
    assert AllocationRun.objects.count() == 0


def test_run_for_another_departments_site_is_403(manager_api):
    other = SiteFactory()
    assert manager_api.post(RUNS, {"site": other.pk}, format="json").status_code == 403
    assert AllocationRun.objects.count() == 0


# --- allocations ----------------------------------------------------------------------------------


def test_allocation_create_then_overlap_is_409_and_back_to_back_201(manager_api, site):
    unit, startup = UnitFactory(site=site), factories.StartupFactory()

    first = manager_api.post(ALLOCATIONS, allocation_body(unit, startup), format="json")
    overlap = manager_api.post(ALLOCATIONS, allocation_body(unit, startup, starts_on="2027-05-31", ends_on="2027-07-01"), format="json")
    adjacent = manager_api.post(ALLOCATIONS, allocation_body(unit, startup, starts_on="2027-06-01", ends_on="2027-07-01"), format="json")

    assert (first.status_code, overlap.status_code, adjacent.status_code) == (201, 409, 201)
    assert overlap.data["detail"] == "The unit is taken from 2027-03-01 until 2027-06-01."
    assert Allocation.objects.count() == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"ends_on": "2027-03-01"},
        {"ends_on": "2027-02-01"},
        {"starts_on": "yesterday"},
        {"unit": 999999},
        {"startup": 999999},
        {"unit": None},
    ],
)
def test_allocation_create_with_bad_input_is_400_and_creates_nothing(manager_api, site, changes):
    body = allocation_body(UnitFactory(site=site), factories.StartupFactory(), **changes)
    response = manager_api.post(ALLOCATIONS, body, format="json")
    assert response.status_code == 400, response.data
    assert Allocation.objects.count() == 0


def test_allocation_create_by_a_founder_is_403(founder_api, site, startup):
    response = founder_api.post(ALLOCATIONS, allocation_body(UnitFactory(site=site), startup), format="json")
    assert response.status_code == 403
    assert Allocation.objects.count() == 0


def test_founder_sees_only_their_allocations(founder_api, startup):
    mine = AllocationFactory(startup=startup)
    theirs = AllocationFactory()

    assert [row["id"] for row in founder_api.get(ALLOCATIONS).data["results"]] == [mine.pk]
    assert founder_api.get(f"{ALLOCATIONS}{theirs.pk}/").status_code == 404


def test_manager_of_another_department_gets_404_for_an_allocation(api):
    allocation = AllocationFactory()
    api.force_authenticate(factories.UserFactory(roles=["space_manager"], department=factories.DepartmentFactory()))
    assert api.post(f"{ALLOCATIONS}{allocation.pk}/end/", {"ends_on": "2027-04-01"}, format="json").status_code == 404


def test_allocation_end_early_then_bad_end_is_400(manager_api, site):
    allocation = AllocationFactory(unit=UnitFactory(site=site), starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=30))

    ended = manager_api.post(f"{ALLOCATIONS}{allocation.pk}/end/", {"ends_on": "2027-03-11"}, format="json")
    later = manager_api.post(f"{ALLOCATIONS}{allocation.pk}/end/", {"ends_on": "2027-03-20"}, format="json")
    junk = manager_api.post(f"{ALLOCATIONS}{allocation.pk}/end/", {"ends_on": "soon"}, format="json")

    assert (ended.status_code, ended.data["ends_on"], ended.data["ended_early"]) == (200, "2027-03-11", True)
    assert (later.status_code, junk.status_code) == (400, 400)


@pytest.mark.parametrize("rows", [1, 3])
def test_allocation_list_takes_constant_queries(manager_api, site, rows, django_assert_num_queries):
    for _ in range(rows):
        AllocationFactory(unit=UnitFactory(site=site))
    manager_api.get(ALLOCATIONS)
    with django_assert_num_queries(2):
        assert len(manager_api.get(ALLOCATIONS, {"site": site.pk}).data["results"]) == rows
