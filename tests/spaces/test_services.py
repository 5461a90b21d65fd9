import datetime

import pytest
from django.utils import timezone

from core.exceptions import InvalidInput, NotPermitted, StateConflict
from spaces.enums import RequestStatus, RunStatus, UnitKind
from spaces.models import Allocation, AllocationRun, Site, SpaceRequest
from spaces.services import allocations, requests, runs, sites
from tests import factories
from tests.spaces.factories import TODAY, AllocationFactory, UnitFactory, space_request

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def day(n):
    return TODAY + D(days=n)


# --- sites and units ----------------------------------------------------------------------------


def test_site_create_shared_needs_a_share(manager, department):
    with pytest.raises(InvalidInput) as refused:
        sites.site_create(department=department, name="Mapo", funding="shared", by=manager)
    assert refused.value.field == "state_share"
    assert Site.objects.count() == 0


def test_site_create_by_a_manager_of_another_department_is_refused(manager):
    other = factories.DepartmentFactory()
    with pytest.raises(NotPermitted):
        sites.site_create(department=other, name="Mapo", funding="state", by=manager)
    assert Site.objects.count() == 0


def test_unit_create_meeting_room_needs_an_hourly_price(manager, site):
    with pytest.raises(InvalidInput) as refused:
        sites.unit_create(site=site, name="Room A", kind=UnitKind.MEETING_ROOM, monthly_price="10.00", by=manager)
    assert refused.value.field == "hourly_price"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"width": 0}, "width"), ({"height": 0}, "height"), ({"x": -1}, "x"), ({"floor": 40000}, "floor")],
)
def test_unit_plan_outside_its_columns_is_refused_on_its_field_not_as_a_taken_name(manager, site, changes, field):
    # The database's check constraints would refuse these too: the service names the field
    # before, so the refusal is never mistaken for a name taken on the site.
    with pytest.raises(InvalidInput) as refused:
        sites.unit_create(site=site, name="Desk Q", kind=UnitKind.DESK, monthly_price="10.00", **changes, by=manager)
    assert refused.value.field == field
    assert not site.units.exists()


def test_unit_update_of_its_plan_outside_its_columns_changes_nothing(manager, site):
    unit = UnitFactory(site=site, width=10)
    with pytest.raises(InvalidInput) as refused:
        sites.unit_update(unit=unit, width=0, by=manager)
    assert refused.value.field == "width"
    unit.refresh_from_db()
    assert unit.width == 10


# --- allocations ----------------------------------------------------------------------------------


def test_allocation_overlapping_another_is_409_naming_the_period(manager, site):
    unit = UnitFactory(site=site)
    AllocationFactory(unit=unit, starts_on=day(0), ends_on=day(30))

    with pytest.raises(StateConflict) as refused:
        allocations.allocation_create(
            unit=unit, startup=factories.StartupFactory(), starts_on=day(29), ends_on=day(60), by=manager
        )

    assert str(refused.value.message) == f"The unit is taken from {day(0)} until {day(30)}."
    assert Allocation.objects.count() == 1


def test_allocations_back_to_back_both_succeed(manager, site):
    unit = UnitFactory(site=site)
    first = allocations.allocation_create(
        unit=unit, startup=factories.StartupFactory(), starts_on=day(0), ends_on=day(30), by=manager
    )
    second = allocations.allocation_create(
        unit=unit, startup=factories.StartupFactory(), starts_on=day(30), ends_on=day(60), by=manager
    )
    assert (first.ends_on, second.starts_on, Allocation.objects.count()) == (day(30), day(30), 2)


def test_allocation_of_a_meeting_room_is_400(manager, site):
    room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM)
    with pytest.raises(InvalidInput):
        allocations.allocation_create(
            unit=room, startup=factories.StartupFactory(), starts_on=day(0), ends_on=day(1), by=manager
        )


def test_allocation_end_moves_the_end_forward_only(manager, site):
    allocation = AllocationFactory(unit=UnitFactory(site=site), starts_on=day(0), ends_on=day(30))

    allocations.allocation_end(allocation=allocation, ends_on=day(10), by=manager)
    with pytest.raises(InvalidInput):
        allocations.allocation_end(allocation=allocation, ends_on=day(20), by=manager)

    allocation.refresh_from_db()
    assert (allocation.ends_on, allocation.planned_ends_on, allocation.ended_early) == (day(10), day(30), True)


# --- runs and offers ------------------------------------------------------------------------------


def test_run_proposes_fitting_units_without_changing_anything(manager, site):
    office = UnitFactory(site=site, kind=UnitKind.OFFICE, seats=4)
    UnitFactory(site=site, kind=UnitKind.OFFICE, seats=1)
    request = space_request(kind="office", seats=3)

    run = runs.run_create(site=site, by=manager)

    assert (run.status, run.assignments, run.unassigned) == (RunStatus.PROPOSED, [{"request": request.pk, "unit": office.pk}], [])
    assert run.objective >= run.baseline_objective
    assert run.bound >= run.objective
    assert SpaceRequest.objects.get(pk=request.pk).status == RequestStatus.WAITING


def test_run_confirm_offers_then_accept_allocates(manager, site, founder, startup, settings):
    settings.SPACE_OFFER_DAYS = 5
    desk = UnitFactory(site=site)
    request = space_request(startup=startup, seats=1)
    run = runs.run_create(site=site, by=manager)

    runs.run_confirm(run=run, by=manager)
    request.refresh_from_db()
    assert (request.status, request.offer_unit) == (RequestStatus.OFFERED, desk)
    assert D(days=4) < request.offer_expires_at - timezone.now() <= D(days=5)

    requests.offer_accept(space_request=request, by=founder)
    request.refresh_from_db()
    allocation = Allocation.objects.get(request=request)
    assert (request.status, allocation.unit, allocation.startup) == (RequestStatus.ALLOCATED, desk, startup)


def test_run_confirm_made_stale_by_an_allocation_is_409_and_offers_nothing(manager, site):
    desk = UnitFactory(site=site)
    request = space_request(seats=1)
    run = runs.run_create(site=site, by=manager)
    AllocationFactory(unit=desk, starts_on=request.starts_on, ends_on=request.ends_on)

    with pytest.raises(StateConflict):
        runs.run_confirm(run=run, by=manager)

    request.refresh_from_db()
    assert (request.status, AllocationRun.objects.get(pk=run.pk).status) == (RequestStatus.WAITING, RunStatus.PROPOSED)


def test_offer_accept_after_expiry_is_409_and_the_request_expires(site, founder, startup):
    desk = UnitFactory(site=site)
    request = space_request(
        startup=startup, status=RequestStatus.OFFERED, offer_unit=desk, offer_expires_at=timezone.now() - D(minutes=1)
    )

    with pytest.raises(StateConflict):
        requests.offer_accept(space_request=request, by=founder)

    request.refresh_from_db()
    assert (request.status, Allocation.objects.count()) == (RequestStatus.EXPIRED, 0)


def test_offer_decline_cancels_and_frees_the_unit(site, founder, startup):
    desk = UnitFactory(site=site)
    request = space_request(
        startup=startup, status=RequestStatus.OFFERED, offer_unit=desk, offer_expires_at=timezone.now() + D(days=1)
    )

    requests.offer_decline(space_request=request, by=founder)

    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    allocations.check_free(desk.pk, request.starts_on, request.ends_on)  # no longer held


def test_offers_expire_only_past_their_window(site):
    desk, other = UnitFactory(site=site), UnitFactory(site=site)
    late = space_request(status=RequestStatus.OFFERED, offer_unit=desk, offer_expires_at=timezone.now() - D(hours=1))
    live = space_request(status=RequestStatus.OFFERED, offer_unit=other, offer_expires_at=timezone.now() + D(hours=1))

    assert (requests.offers_expire(), requests.offers_expire()) == (1, 0)

    assert SpaceRequest.objects.get(pk=late.pk).status == RequestStatus.EXPIRED
    assert SpaceRequest.objects.get(pk=live.pk).status == RequestStatus.OFFERED


def test_waiting_position_counts_the_requests_of_the_kind_ahead():
    from spaces.selectors import waiting_list

    first = space_request(waited_days=10)
    office = space_request(kind="office", waited_days=20)
    second = space_request(waited_days=5)
    space_request(status=RequestStatus.CANCELLED, waited_days=30)  # no longer waits: not ahead

    positions = dict(waiting_list().values_list("pk", "position"))
    assert (positions[first.pk], positions[second.pk], positions[office.pk]) == (1, 2, 1)
