"""The space managers' pages of sites: sites and units (list, create, edit), the floor plan, the
occupancy dashboard and the charges CSV."""

import csv
import datetime
import io
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from spaces import charges
from spaces.enums import Funding, RequestStatus, UnitKind
from spaces.models import Site, SpaceCharge, Unit
from tests import factories
from tests.spaces.booking_factories import BookingFactory
from tests.spaces.factories import TODAY, AllocationFactory, SiteFactory, UnitFactory, space_request

pytestmark = pytest.mark.django_db
SITES = "/spaces/sites/"
D = datetime.timedelta


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def other_manager(db):
    return factories.UserFactory(roles=["space_manager"], department=factories.DepartmentFactory())


def site_post(department, **changes):
    data = {
        "name": "Daejeon Lab",
        "address": "1 Daehak-ro, Daejeon",
        "department": department.pk,
        "funding": "shared",
        "state_share": "70.00",
        "special_economic_zone": "on",
        "bookable_from": "08:00",
        "bookable_until": "20:00",
        "bookable_weekdays": ["0", "1", "2", "3", "4", "5"],
        "max_advance_days": "14",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def unit_post(**changes):
    data = {
        "name": "Desk 1",
        "kind": "desk",
        "seats": "1",
        "monthly_price": "250000.00",
        "hourly_price": "",
        "features": "window, lamp",
        "floor": "2",
        "x": "10",
        "y": "20",
        "width": "10",
        "height": "12",
    }
    data.update(changes)
    return data


# --- sites ---------------------------------------------------------------------------------------


def test_site_created_through_the_page_has_every_term(signed_in, department):
    response = signed_in.post(f"{SITES}new/", site_post(department))

    site = Site.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{SITES}{site.pk}/"
    assert (site.name, site.department, site.funding, site.state_share, site.special_economic_zone) == (
        "Daejeon Lab",
        department,
        Funding.SHARED,
        Decimal("70.00"),
        True,
    )
    assert (site.bookable_from, site.bookable_until) == (datetime.time(8), datetime.time(20))
    assert (site.bookable_weekdays, site.max_advance_days) == ([0, 1, 2, 3, 4, 5], 14)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"state_share": ""}, "state_share"),  # a shared site without its share: the service
        ({"state_share": "100.01"}, "state_share"),
        ({"bookable_until": "07:00"}, "bookable_until"),
        ({"bookable_weekdays": None}, "bookable_weekdays"),
        ({"max_advance_days": "0"}, "max_advance_days"),
        ({"funding": "lottery"}, "funding"),
        ({"name": ""}, "name"),
    ],
)
def test_site_create_with_bad_input_is_a_form_error_and_creates_nothing(signed_in, department, changes, field):
    response = signed_in.post(f"{SITES}new/", site_post(department, **changes))

    assert response.status_code == 400 and field in response.context["form"].errors
    assert Site.objects.count() == 0


def test_site_create_in_another_department_is_a_form_error(signed_in, other_manager):
    response = signed_in.post(f"{SITES}new/", site_post(other_manager.department))

    assert response.status_code == 400 and "department" in response.context["form"].errors
    assert Site.objects.count() == 0


def test_a_share_left_in_the_box_of_a_state_site_is_dropped(signed_in, department):
    signed_in.post(f"{SITES}new/", site_post(department, funding="state", state_share="30.00"))

    assert Site.objects.values_list("funding", "state_share").get() == (Funding.STATE, None)


def test_site_edited_through_the_page_changes_what_was_changed(signed_in, site):
    data = site_post(site.department, name="Renamed", funding="company", state_share="")

    response = signed_in.post(f"{SITES}{site.pk}/edit/", data)

    site.refresh_from_db()
    assert response.status_code == 302
    assert (site.name, site.funding, site.state_share, site.max_advance_days) == (
        "Renamed",
        Funding.COMPANY,
        None,
        14,
    )


def test_site_edit_with_bad_input_changes_nothing(signed_in, site):
    response = signed_in.post(f"{SITES}{site.pk}/edit/", site_post(site.department, funding="shared", state_share=""))

    assert response.status_code == 400 and "state_share" in response.context["form"].errors
    site.refresh_from_db()
    assert (site.funding, site.name) == (Funding.COMPANY, site.name)
    assert Site.objects.get(pk=site.pk).funding == Funding.COMPANY


def test_site_pages_speak_korean(signed_in, site):
    response = signed_in.get(SITES, HTTP_ACCEPT_LANGUAGE="ko")

    assert "관리하는 코워킹 공간" in response.content.decode()


def test_another_departments_site_is_a_404(signed_in, other_manager):
    foreign = SiteFactory(department=other_manager.department)
    unit = UnitFactory(site=foreign)

    for url in (f"{SITES}{foreign.pk}/", f"{SITES}{foreign.pk}/edit/", f"{SITES}{foreign.pk}/units/new/"):
        assert signed_in.get(url).status_code == 404, url
    assert signed_in.post(f"{SITES}{foreign.pk}/edit/", site_post(foreign.department)).status_code == 404
    assert signed_in.post(f"{SITES}{foreign.pk}/units/new/", unit_post()).status_code == 404
    assert signed_in.post(f"{SITES}units/{unit.pk}/edit/", unit_post()).status_code == 404
    assert Unit.objects.get(pk=unit.pk).name == unit.name and Unit.objects.count() == 1


def test_site_pages_are_forbidden_to_founders(client, founder, site):
    client.force_login(founder)

    assert client.get(SITES).status_code == 403
    assert client.post(f"{SITES}new/", site_post(site.department)).status_code == 403
    assert client.get(f"{SITES}{site.pk}/").status_code == 403
    assert Site.objects.count() == 1


def test_the_sites_list_holds_the_sites_one_manages(signed_in, site, other_manager):
    SiteFactory(department=other_manager.department)
    UnitFactory(site=site)
    UnitFactory(site=site)

    response = signed_in.get(SITES)

    assert [(s.pk, s.unit_count) for s in response.context["page"].object_list] == [(site.pk, 2)]


@pytest.mark.parametrize("rows", [2, 20])
def test_site_list_queries_do_not_grow_with_rows(signed_in, department, rows, django_assert_num_queries):
    for _ in range(rows):
        UnitFactory(site=SiteFactory(department=department))
    signed_in.get(SITES)

    with django_assert_num_queries(6):
        response = signed_in.get(SITES)
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_unit_list_queries_do_not_grow_with_rows(signed_in, site, rows, django_assert_num_queries):
    for _ in range(rows):
        UnitFactory(site=site)
    signed_in.get(f"{SITES}{site.pk}/")

    with django_assert_num_queries(7):
        response = signed_in.get(f"{SITES}{site.pk}/")
    assert len(response.context["page"].object_list) == rows


# --- units ---------------------------------------------------------------------------------------


def test_unit_created_through_the_page_has_its_place_on_the_plan(signed_in, site):
    response = signed_in.post(f"{SITES}{site.pk}/units/new/", unit_post())

    unit = Unit.objects.get()
    assert response.status_code == 302
    assert (unit.site, unit.name, unit.kind, unit.monthly_price, unit.hourly_price) == (
        site,
        "Desk 1",
        UnitKind.DESK,
        Decimal("250000.00"),
        None,
    )
    assert (unit.features, unit.floor, unit.x, unit.y, unit.width, unit.height) == (
        ["window", "lamp"],
        2,
        10,
        20,
        10,
        12,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "meeting_room"}, "hourly_price"),  # a room needs an hourly price: the service
        ({"monthly_price": ""}, "monthly_price"),
        ({"seats": "0"}, "seats"),
        ({"width": "0"}, "width"),
        ({"x": "-1"}, "x"),
        ({"floor": "500"}, "floor"),
        ({"features": ",".join(f"f{i}" for i in range(31))}, "features"),
        ({"features": "x" * 51}, "features"),
    ],
)
def test_unit_create_with_bad_input_is_a_form_error_and_creates_nothing(signed_in, site, changes, field):
    response = signed_in.post(f"{SITES}{site.pk}/units/new/", unit_post(**changes))

    assert response.status_code == 400 and field in response.context["form"].errors
    assert Unit.objects.count() == 0


def test_a_unit_name_taken_on_the_site_is_a_form_error_on_the_name(signed_in, site):
    UnitFactory(site=site, name="Desk 1")

    response = signed_in.post(f"{SITES}{site.pk}/units/new/", unit_post(name="desk 1"))

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["The site has another unit of this name."]
    assert Unit.objects.count() == 1


def test_unit_edited_through_the_page(signed_in, site):
    unit = UnitFactory(site=site, name="Desk 9")

    response = signed_in.post(
        f"{SITES}units/{unit.pk}/edit/", unit_post(name="Room 9", kind="meeting_room", hourly_price="15000.00")
    )

    unit.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"{SITES}{site.pk}/"
    assert (unit.name, unit.kind, unit.hourly_price, unit.monthly_price, unit.features) == (
        "Room 9",
        UnitKind.MEETING_ROOM,
        Decimal("15000.00"),
        None,
        ["window", "lamp"],
    )


def test_unit_renamed_to_a_taken_name_is_a_form_error_and_changes_nothing(signed_in, site):
    UnitFactory(site=site, name="Desk 1")
    unit = UnitFactory(site=site, name="Desk 2")

    response = signed_in.post(f"{SITES}units/{unit.pk}/edit/", unit_post(name="Desk 1"))

    assert response.status_code == 400 and response.context["form"].errors["name"]
    assert Unit.objects.get(pk=unit.pk).name == "Desk 2"


# --- the floor plan ------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def plan_units(response) -> dict[str, tuple[str, str, str]]:
    """The drawn units by name: (state, the link's address, its <title>)."""
    content = response.content.decode()
    start = content.index('<svg xmlns="http://www.w3.org/2000/svg" class="floor-plan"')
    svg = ElementTree.fromstring(content[start : content.index("</svg>", start) + len("</svg>")])
    return {
        link.find(f"{SVG}text").text: (link.get("data-state"), link.get("href"), link.find(f"{SVG}title").text)
        for link in svg.iter(f"{SVG}a")
    }


def test_floor_plan_draws_each_unit_with_its_state_and_link(signed_in, site):
    held = UnitFactory(site=site, name="Desk held", x=0, y=0)
    offered = UnitFactory(site=site, name="Desk offered", x=10, y=0)
    free = UnitFactory(site=site, name="Desk free", x=20, y=0)
    room = UnitFactory(site=site, name="Room", kind=UnitKind.MEETING_ROOM, x=0, y=10, width=20)
    stale = UnitFactory(site=site, name="Desk stale", x=30, y=0)
    UnitFactory(site=site, name="Upstairs", floor=1)
    allocation = AllocationFactory(unit=held, starts_on=TODAY - D(10), ends_on=TODAY + D(20))
    offer = space_request(
        status=RequestStatus.OFFERED, offer_unit=offered, offer_expires_at=timezone.now() + D(days=3)
    )
    space_request(status=RequestStatus.OFFERED, offer_unit=stale, offer_expires_at=timezone.now() - D(days=1))

    response = signed_in.get(f"{SITES}{site.pk}/plan/", {"day": TODAY.isoformat(), "floor": "0"})

    units = plan_units(response)
    assert response.status_code == 200 and set(units) == {"Desk held", "Desk offered", "Desk free", "Room", "Desk stale"}
    assert units["Desk held"][:2] == ("allocated", f"/spaces/allocation/allocations/?site={site.pk}&unit={held.pk}")
    assert units["Desk held"][2].startswith("Desk held, Allocated: Desk, 1 seat, allocated to ")
    assert allocation.startup.name in units["Desk held"][2]
    assert units["Desk offered"][:2] == ("offered", f"{SITES}units/{offered.pk}/edit/")
    assert offer.startup.name in units["Desk offered"][2]
    assert units["Desk free"] == ("free", f"{SITES}units/{free.pk}/edit/", "Desk free, Free: Desk, 1 seat")
    assert units["Room"][:2] == ("room", f"/rooms/{room.pk}/week/?week={TODAY.isoformat()}")
    assert units["Desk stale"][0] == "free"  # an expired offer holds nothing
    legend = {state: count for state, _label, _fill, _stroke, count in response.context["legend"]}
    assert legend == {"free": 2, "allocated": 1, "offered": 1, "room": 1}


def test_floor_plan_shows_the_floor_asked_for_on_the_day_asked_for(signed_in, site):
    upstairs = UnitFactory(site=site, name="Upstairs", floor=3)
    UnitFactory(site=site, name="Ground", floor=0)
    AllocationFactory(unit=upstairs, starts_on=TODAY, ends_on=TODAY + D(5))

    before = plan_units(signed_in.get(f"{SITES}{site.pk}/plan/", {"floor": "3", "day": (TODAY - D(1)).isoformat()}))
    during = plan_units(signed_in.get(f"{SITES}{site.pk}/plan/", {"floor": "3", "day": TODAY.isoformat()}))
    lowest = plan_units(signed_in.get(f"{SITES}{site.pk}/plan/", {"floor": "99"}))

    assert (before["Upstairs"][0], during["Upstairs"][0]) == ("free", "allocated")
    assert set(lowest) == {"Ground"}


def test_floor_plan_of_a_site_without_units_says_so(signed_in, site):
    response = signed_in.get(f"{SITES}{site.pk}/plan/")

    assert response.status_code == 200 and "No unit on this floor." in response.content.decode()


def test_floor_plan_is_a_404_to_another_department_and_403_to_founders(signed_in, other_manager, client, founder):
    foreign = SiteFactory(department=other_manager.department)

    assert signed_in.get(f"{SITES}{foreign.pk}/plan/").status_code == 404
    client.force_login(founder)
    assert client.get(f"{SITES}{foreign.pk}/plan/").status_code == 403


def test_floor_plan_speaks_korean(signed_in, site):
    UnitFactory(site=site, name="Desk")

    response = signed_in.get(f"{SITES}{site.pk}/plan/", HTTP_ACCEPT_LANGUAGE="ko")

    assert "평면도" in response.content.decode() and "비어 있음" in plan_units(response)["Desk"][2]


@pytest.mark.parametrize("rows", [2, 20])
def test_floor_plan_queries_do_not_grow_with_units(signed_in, site, rows, django_assert_num_queries):
    for i in range(rows):
        unit = UnitFactory(site=site, x=10 * i)
        if i % 2:
            AllocationFactory(unit=unit, starts_on=TODAY, ends_on=TODAY + D(5))
        else:
            space_request(status=RequestStatus.OFFERED, offer_unit=unit, offer_expires_at=timezone.now() + D(days=3))
    signed_in.get(f"{SITES}{site.pk}/plan/")

    with django_assert_num_queries(9):
        response = signed_in.get(f"{SITES}{site.pk}/plan/", {"day": TODAY.isoformat()})
    assert len(plan_units(response)) == rows


# --- the occupancy dashboard ---------------------------------------------------------------------

MONDAY = TODAY  # 2027-03-01, a Monday: ISO week 2027-W09


def at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def test_occupancy_counts_each_day_of_the_week(signed_in, site):
    desk_1, desk_2 = UnitFactory(site=site), UnitFactory(site=site)
    office = UnitFactory(site=site, kind=UnitKind.OFFICE, seats=4)
    room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM)
    AllocationFactory(unit=desk_1, starts_on=MONDAY - D(30), ends_on=MONDAY + D(2))  # Monday, Tuesday
    AllocationFactory(unit=desk_2, starts_on=MONDAY + D(1), ends_on=MONDAY + D(60))  # from Tuesday
    AllocationFactory(unit=office, starts_on=MONDAY + D(6), ends_on=MONDAY + D(9))  # Sunday
    AllocationFactory(unit=UnitFactory(), starts_on=MONDAY, ends_on=MONDAY + D(7))  # another site's
    BookingFactory(unit=room, starts_at=at(MONDAY, 10), ends_at=at(MONDAY, 12))
    BookingFactory(unit=room, starts_at=at(MONDAY + D(1), 9), ends_at=at(MONDAY + D(1), 11))
    BookingFactory(unit=room, starts_at=at(MONDAY + D(2), 23), ends_at=at(MONDAY + D(3), 1))  # over midnight
    BookingFactory(unit=room, starts_at=at(MONDAY + D(4), 9), ends_at=at(MONDAY + D(4), 17), status="cancelled")
    BookingFactory(unit=room, starts_at=at(MONDAY + D(7), 9), ends_at=at(MONDAY + D(7), 10))  # next week

    response = signed_in.get(f"{SITES}{site.pk}/occupancy/", {"week": "2027-W09"})

    week = response.context["week"]
    assert response.status_code == 200
    assert (week.monday, week.desk_total, week.office_total, week.room_total) == (MONDAY, 2, 1, 1)
    assert [day.desks for day in week.days] == [1, 2, 1, 1, 1, 1, 1]
    assert [day.offices for day in week.days] == [0, 0, 0, 0, 0, 0, 1]
    assert [day.room_hours for day in week.days] == [Decimal(n) for n in (2, 2, 1, 1, 0, 0, 0)]
    assert [day.room_hours_open for day in week.days] == [Decimal(n) for n in (9, 9, 9, 9, 9, 0, 0)]
    assert (week.desk_days, week.office_days, week.room_hours, week.room_hours_open) == (8, 1, 6, 45)
    content = response.content.decode()
    assert "<title>Mon 1: Desks allocated 1 of 2</title>" in content
    assert "<title>Tue 2: Meeting-room hours booked 2.00 of 9.00</title>" in content
    assert content.count("<rect") == 7 * 3 + 3  # the bars and the legend's swatches


def test_occupancy_of_a_week_that_is_none_is_a_form_error_over_this_week(signed_in, site):
    response = signed_in.get(f"{SITES}{site.pk}/occupancy/", {"week": "2027-W60"})

    today = timezone.localdate()
    assert response.status_code == 400 and response.context["form"].errors["week"]
    assert response.context["week"].monday == today - D(today.weekday())


def test_occupancy_is_a_404_to_another_department_and_403_to_founders(signed_in, other_manager, client, founder):
    foreign = SiteFactory(department=other_manager.department)

    assert signed_in.get(f"{SITES}{foreign.pk}/occupancy/").status_code == 404
    client.force_login(founder)
    assert client.get(f"{SITES}{foreign.pk}/occupancy/").status_code == 403


def test_occupancy_speaks_korean(signed_in, site):
    response = signed_in.get(f"{SITES}{site.pk}/occupancy/", HTTP_ACCEPT_LANGUAGE="ko")

    assert "점유 현황" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_occupancy_queries_do_not_grow_with_units_allocations_and_bookings(
    signed_in, site, rows, django_assert_num_queries
):
    for i in range(rows):
        AllocationFactory(unit=UnitFactory(site=site), starts_on=MONDAY, ends_on=MONDAY + D(3))
        room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM)
        BookingFactory(unit=room, starts_at=at(MONDAY, 10), ends_at=at(MONDAY, 11))
    signed_in.get(f"{SITES}{site.pk}/occupancy/")

    with django_assert_num_queries(8):
        response = signed_in.get(f"{SITES}{site.pk}/occupancy/", {"week": "2027-W09"})
    assert response.context["week"].days[0].desks == rows


# --- the charges CSV -----------------------------------------------------------------------------

CHARGES = f"{SITES}charges/"
MARCH = datetime.date(2027, 3, 1)


def charge(site, *, startup=None, month=MARCH, list_amount="100.00", state="60.00", description="Desk 1, 31 days"):
    unit = UnitFactory(site=site)
    return SpaceCharge.objects.create(
        startup=startup or factories.StartupFactory(),
        site=site,
        unit=unit,
        month=month,
        source="allocation",
        source_id=unit.pk,
        description=description,
        funding=Funding.SHARED,
        state_share=Decimal("60.00"),
        list_amount=Decimal(list_amount),
        state_amount=Decimal(state),
        company_amount=Decimal(list_amount) - Decimal(state),
    )


def test_charges_csv_holds_the_sites_month_and_its_totals(signed_in, site):
    startup = factories.StartupFactory(name="Hanbit Robotics")
    first = charge(site, startup=startup)
    charge(site, list_amount="50.00", state="30.00")
    charge(site, month=datetime.date(2027, 2, 1))  # another month
    charge(SiteFactory(department=site.department))  # another site

    response = signed_in.get(CHARGES, {"site": site.pk, "month": "2027-03"})

    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="space-charges-{site.pk}-2027-03.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(charges.CSV_HEADER) and len(rows) == 4
    assert rows[1][:2] == ["2027-03", "Hanbit Robotics"] and rows[1][3] == first.unit.name
    assert rows[1][-3:] == ["100.00", "60.00", "40.00"]
    assert rows[-1] == ["total", "", "", "", "", "", "", "", "", "150.00", "90.00", "60.00"]


def test_charges_csv_neutralises_cells_that_would_run_as_formulas(signed_in, site):
    charge(site, startup=factories.StartupFactory(name='=HYPERLINK("http://evil.example","x")'), description="@SUM(1)")

    response = signed_in.get(CHARGES, {"site": site.pk, "month": "2027-03"})

    row = list(csv.reader(io.StringIO(response.content.decode())))[1]
    assert row[1] == '\'=HYPERLINK("http://evil.example","x")' and row[6] == "'@SUM(1)"


@pytest.mark.parametrize(
    ("query", "field"),
    [({"month": "2027-13"}, "month"), ({"month": "March"}, "month"), ({"month": ""}, "month"), ({"site": ""}, "site")],
)
def test_charges_csv_with_bad_input_is_a_form_error(signed_in, site, query, field):
    response = signed_in.get(CHARGES, {"site": site.pk, "month": "2027-03", **query})

    assert response.status_code == 400 and field in response.context["form"].errors
    assert response["Content-Type"].startswith("text/html")


def test_charges_csv_of_another_departments_site_is_a_form_error(signed_in, other_manager):
    foreign = SiteFactory(department=other_manager.department)
    charge(foreign)

    response = signed_in.get(CHARGES, {"site": foreign.pk, "month": "2027-03"})

    assert response.status_code == 400 and "site" in response.context["form"].errors


def test_charges_page_without_a_choice_shows_the_form(signed_in, site):
    response = signed_in.get(CHARGES, HTTP_ACCEPT_LANGUAGE="ko")

    assert response.status_code == 200 and not response.context["form"].errors
    assert "재무 담당 부서" in response.content.decode()


def test_charges_csv_is_forbidden_to_founders(client, founder, site):
    charge(site)
    client.force_login(founder)

    assert client.get(CHARGES, {"site": site.pk, "month": "2027-03"}).status_code == 403


@pytest.mark.parametrize("rows", [2, 20])
def test_charges_csv_queries_do_not_grow_with_charges(signed_in, site, rows, django_assert_num_queries):
    for _ in range(rows):
        charge(site)
    signed_in.get(CHARGES)

    with django_assert_num_queries(5):
        response = signed_in.get(CHARGES, {"site": site.pk, "month": "2027-03"})
    assert len(response.content.decode().splitlines()) == rows + 2
