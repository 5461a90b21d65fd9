"""The space managers' pages: the waiting list, allocation runs and allocations."""

import datetime

import pytest

from spaces.enums import RequestStatus, RunStatus, UnitKind
from spaces.models import Allocation, AllocationRun, SpaceRequest
from spaces.services import runs
from tests import factories
from tests.spaces.factories import TODAY, AllocationFactory, SiteFactory, UnitFactory, space_request

pytestmark = pytest.mark.django_db
D = datetime.timedelta
WAITING = "/spaces/allocation/"
RUNS = "/spaces/allocation/runs/"
ALLOCATIONS = "/spaces/allocation/allocations/"


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def other_manager(db):
    return factories.UserFactory(roles=["space_manager"], department=factories.DepartmentFactory())


# --- the waiting list ---------------------------------------------------------------------------


def test_waiting_list_shows_each_request_with_its_place_in_its_kind(signed_in):
    first = space_request(kind="desk", seats=2, waited_days=9)
    second = space_request(kind="desk", seats=3, waited_days=2)
    office = space_request(kind="office", seats=4, waited_days=1)

    response = signed_in.get(WAITING)

    rows = list(response.context["page"].object_list)
    assert response.status_code == 200
    assert [(r.pk, r.position) for r in rows] == [(first.pk, 1), (second.pk, 2), (office.pk, 1)]
    assert first.startup.name in response.content.decode()


def test_waiting_list_filters_by_kind_and_site(signed_in, site):
    other_site = SiteFactory(department=site.department)
    desk_here = space_request(kind="desk", site=site)
    anywhere = space_request(kind="desk")
    space_request(kind="desk", site=other_site)
    space_request(kind="office", site=site)

    response = signed_in.get(WAITING, {"site": site.pk, "kind": "desk"})

    assert [r.pk for r in response.context["page"].object_list] == [desk_here.pk, anywhere.pk]


def test_waiting_list_refuses_another_departments_site_as_a_filter(signed_in):
    foreign = SiteFactory()
    space_request(kind="desk", site=foreign)

    response = signed_in.get(WAITING, {"site": foreign.pk})

    assert response.context["filter"].form.errors


def test_waiting_list_speaks_korean(signed_in):
    response = signed_in.get(WAITING, HTTP_ACCEPT_LANGUAGE="ko")

    assert "대기 목록" in response.content.decode()


def test_waiting_list_is_forbidden_to_founders(client, founder):
    client.force_login(founder)
    assert client.get(WAITING).status_code == 403


@pytest.mark.parametrize("rows", [1, 3])
def test_waiting_list_queries_do_not_grow_with_rows(signed_in, site, rows, django_assert_num_queries):
    for _ in range(rows):
        space_request(kind="desk", site=site)
    signed_in.get(WAITING)  # warm the session and the filter's form class

    with django_assert_num_queries(8):
        response = signed_in.get(WAITING, {"site": site.pk, "kind": "desk"})
    assert len(response.context["page"].object_list) == rows


# --- runs ---------------------------------------------------------------------------------------


def test_run_started_from_the_page_shows_its_proposal_and_figures(signed_in, site):
    desk = UnitFactory(site=site, seats=3)
    request = space_request(seats=2)
    lonely = space_request(kind="office", seats=2)

    response = signed_in.post(RUNS, {"site": site.pk})

    run = AllocationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{RUNS}{run.pk}/"
    page = signed_in.get(response["Location"])
    proposal = page.context["proposal"]
    assert [(row.request, row.unit, row.seats_wasted) for row in proposal.rows] == [(request, desk, 1)]
    assert proposal.unassigned == [lonely]
    assert proposal.gain == run.objective - run.baseline_objective
    assert proposal.gap_percent == 100.0 * (run.bound - run.objective) / run.bound
    content = page.content.decode()
    assert 'id="proposal"' in content and 'id="confirm-run"' in content and 'id="unassigned"' in content
    assert SpaceRequest.objects.get(pk=request.pk).status == RequestStatus.WAITING


def test_run_confirmed_from_the_page_offers_the_units(signed_in, manager, site):
    desk = UnitFactory(site=site)
    request = space_request(seats=1)
    run = runs.run_create(site=site, by=manager)

    response = signed_in.post(f"{RUNS}{run.pk}/confirm/", follow=True)

    request.refresh_from_db()
    assert (request.status, request.offer_unit) == (RequestStatus.OFFERED, desk)
    assert 'id="run-confirmed"' in response.content.decode()


def test_stale_confirm_shows_the_conflict_and_changes_nothing(signed_in, manager, site):
    desk = UnitFactory(site=site)
    request = space_request(seats=1)
    run = runs.run_create(site=site, by=manager)
    AllocationFactory(unit=desk, starts_on=request.starts_on, ends_on=request.ends_on)

    response = signed_in.post(f"{RUNS}{run.pk}/confirm/", follow=True)

    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and "out of date" in messages[0]
    request.refresh_from_db()
    assert (request.status, AllocationRun.objects.get(pk=run.pk).status) == (RequestStatus.WAITING, RunStatus.PROPOSED)


def test_a_large_run_is_queued_and_its_page_polls_its_progress(signed_in, site, settings, django_capture_on_commit_callbacks):
    settings.SPACE_RUN_SYNC_LIMIT = 0
    UnitFactory(site=site)
    space_request(seats=1)

    with django_capture_on_commit_callbacks() as queued:
        response = signed_in.post(RUNS, {"site": site.pk}, follow=True)

    run = AllocationRun.objects.get()
    assert (run.status, len(queued)) == (RunStatus.QUEUED, 1)
    assert f'hx-get="{RUNS}{run.pk}/progress/"' in response.content.decode()
    fragment = signed_in.get(f"{RUNS}{run.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "hx-get" in fragment.content.decode() and "HX-Refresh" not in fragment


def test_progress_of_a_finished_run_stops_polling_and_reloads_the_page(signed_in, manager, site):
    run = runs.run_create(site=site, by=manager)

    fragment = signed_in.get(f"{RUNS}{run.pk}/progress/", HTTP_HX_REQUEST="true")

    assert fragment["HX-Refresh"] == "true"
    assert "hx-get" not in fragment.content.decode()


def test_another_departments_run_is_a_404_and_cannot_be_confirmed(signed_in, other_manager):
    foreign_site = SiteFactory(department=other_manager.department)
    UnitFactory(site=foreign_site)
    request = space_request(seats=1, site=foreign_site)
    run = runs.run_create(site=foreign_site, by=other_manager)

    assert signed_in.get(f"{RUNS}{run.pk}/").status_code == 404
    assert signed_in.get(f"{RUNS}{run.pk}/progress/").status_code == 404
    assert signed_in.post(f"{RUNS}{run.pk}/confirm/").status_code == 404
    assert SpaceRequest.objects.get(pk=request.pk).status == RequestStatus.WAITING


def test_a_run_for_another_departments_site_is_a_form_error(signed_in):
    foreign_site = SiteFactory()

    response = signed_in.post(RUNS, {"site": foreign_site.pk})

    assert response.status_code == 400 and response.context["form"].errors["site"]
    assert AllocationRun.objects.count() == 0


def test_run_pages_are_forbidden_to_founders(client, founder, manager, site):
    run = runs.run_create(site=site, by=manager)
    client.force_login(founder)

    assert client.get(RUNS).status_code == 403
    assert client.post(RUNS, {"site": site.pk}).status_code == 403
    assert client.get(f"{RUNS}{run.pk}/").status_code == 404
    assert client.post(f"{RUNS}{run.pk}/confirm/").status_code == 404
    assert AllocationRun.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_run_list_queries_do_not_grow_with_rows(signed_in, manager, site, rows, django_assert_num_queries):
    for _ in range(rows):
        AllocationRun.objects.create(site=site, created_by=manager, status=RunStatus.PROPOSED)
    signed_in.get(RUNS)

    with django_assert_num_queries(7):
        response = signed_in.get(RUNS)
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_run_page_queries_do_not_grow_with_the_proposal(signed_in, manager, site, rows, django_assert_num_queries):
    for _ in range(rows):
        UnitFactory(site=site)
        space_request(seats=1)
    run = runs.run_create(site=site, by=manager)
    signed_in.get(f"{RUNS}{run.pk}/")

    with django_assert_num_queries(7):
        response = signed_in.get(f"{RUNS}{run.pk}/")
    assert len(response.context["proposal"].rows) == rows


# --- allocations --------------------------------------------------------------------------------


def _allocation_form(unit, startup, starts_on=TODAY, days=30):
    return {"unit": unit.pk, "startup": startup.pk, "starts_on": starts_on.isoformat(),
            "ends_on": (starts_on + D(days=days)).isoformat()}


def test_allocation_recorded_by_hand(signed_in, site):
    desk, startup = UnitFactory(site=site), factories.StartupFactory()

    response = signed_in.post(f"{ALLOCATIONS}new/", _allocation_form(desk, startup))

    assert response.status_code == 302
    allocation = Allocation.objects.get()
    assert (allocation.unit, allocation.startup, allocation.ends_on) == (desk, startup, TODAY + D(days=30))


def test_allocation_over_a_taken_period_is_a_form_error_naming_it(signed_in, site):
    desk = UnitFactory(site=site)
    AllocationFactory(unit=desk, starts_on=TODAY, ends_on=TODAY + D(days=10))

    response = signed_in.post(f"{ALLOCATIONS}new/", _allocation_form(desk, factories.StartupFactory(), TODAY + D(days=5)))

    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert errors == [f"The unit is taken from {TODAY.isoformat()} until {(TODAY + D(days=10)).isoformat()}."]
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [{"ends_on": TODAY.isoformat()}, {"unit": ""}, {"starts_on": "not a day"}],
    ids=["ends-before-it-starts", "no-unit", "bad-date"],
)
def test_allocation_form_errors_create_nothing(signed_in, site, change):
    data = {**_allocation_form(UnitFactory(site=site), factories.StartupFactory()), **change}

    response = signed_in.post(f"{ALLOCATIONS}new/", data)

    assert response.status_code == 400 and response.context["form"].errors
    assert Allocation.objects.count() == 0


def test_allocation_of_a_meeting_room_or_another_departments_unit_is_a_form_error(signed_in, site):
    room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM)
    foreign = UnitFactory()
    startup = factories.StartupFactory()

    for unit in (room, foreign):
        response = signed_in.post(f"{ALLOCATIONS}new/", _allocation_form(unit, startup))
        assert response.status_code == 400 and response.context["form"].errors["unit"]
    assert Allocation.objects.count() == 0


def test_allocation_ended_early_from_the_page(signed_in, site):
    allocation = AllocationFactory(unit=UnitFactory(site=site), starts_on=TODAY, ends_on=TODAY + D(days=90))

    signed_in.post(f"{ALLOCATIONS}{allocation.pk}/end/", {"ends_on": (TODAY + D(days=30)).isoformat()})

    allocation.refresh_from_db()
    assert (allocation.ends_on, allocation.planned_ends_on, allocation.ended_early) == (
        TODAY + D(days=30), TODAY + D(days=90), True)


def test_allocation_end_later_shows_the_error_and_changes_nothing(signed_in, site):
    allocation = AllocationFactory(unit=UnitFactory(site=site), starts_on=TODAY, ends_on=TODAY + D(days=90))

    response = signed_in.post(f"{ALLOCATIONS}{allocation.pk}/end/", {"ends_on": (TODAY + D(days=99)).isoformat()}, follow=True)

    assert ["An allocation can only end early" in str(m) for m in response.context["messages"]] == [True]
    allocation.refresh_from_db()
    assert (allocation.ends_on, allocation.ended_early) == (TODAY + D(days=90), False)


def test_another_departments_allocation_is_a_404_and_not_listed(signed_in, site):
    mine = AllocationFactory(unit=UnitFactory(site=site))
    foreign = AllocationFactory()

    listed = signed_in.get(ALLOCATIONS).context["page"].object_list
    response = signed_in.post(f"{ALLOCATIONS}{foreign.pk}/end/", {"ends_on": (TODAY + D(days=1)).isoformat()})

    assert list(listed) == [mine]
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.ended_early is False


def test_allocation_pages_are_forbidden_to_founders(client, founder, site):
    client.force_login(founder)
    desk = UnitFactory(site=site)

    assert client.get(ALLOCATIONS).status_code == 403
    assert client.post(f"{ALLOCATIONS}new/", _allocation_form(desk, factories.StartupFactory())).status_code == 403
    assert Allocation.objects.count() == 0


def test_allocation_list_filters_by_site_unit_and_startup(signed_in, site):
    other_site = SiteFactory(department=site.department)
    desk = UnitFactory(site=site)
    wanted = AllocationFactory(unit=desk)
    AllocationFactory(unit=desk, starts_on=TODAY + D(days=200))
    AllocationFactory(unit=UnitFactory(site=other_site), startup=wanted.startup)

    response = signed_in.get(ALLOCATIONS, {"site": site.pk, "unit": desk.pk, "startup": wanted.startup.pk})

    assert list(response.context["page"].object_list) == [wanted]


@pytest.mark.parametrize("rows", [1, 3])
def test_allocation_list_queries_do_not_grow_with_rows(signed_in, site, rows, django_assert_num_queries):
    for n in range(rows):
        AllocationFactory(unit=UnitFactory(site=site), starts_on=TODAY - D(days=n))
    signed_in.get(ALLOCATIONS)

    with django_assert_num_queries(12):
        response = signed_in.get(ALLOCATIONS, {"site": site.pk})
    assert len(response.context["page"].object_list) == rows

