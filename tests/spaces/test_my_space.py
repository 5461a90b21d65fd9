"""The founders' "My space" page: allocations and who pays, offers to answer, waiting places."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from spaces.enums import Funding, RequestStatus
from spaces.models import Allocation, SpaceRequest
from spaces.services import runs
from tests import factories
from tests.spaces.factories import AllocationFactory, SiteFactory, UnitFactory, space_request

pytestmark = pytest.mark.django_db
D = datetime.timedelta
PAGE = "/my-space/"


@pytest.fixture
def signed_in(client, founder):
    client.force_login(founder)
    return client


def offered(startup, unit, *, expires_in=D(days=2)):
    return space_request(
        startup=startup, seats=1, status=RequestStatus.OFFERED, offer_unit=unit,
        offer_expires_at=timezone.now() + expires_in,
    )


def test_run_confirmed_then_accepted_shows_the_allocation(client, manager, site, founder, startup):
    desk = UnitFactory(site=site, name="Desk 7")
    request = space_request(startup=startup, seats=1)
    client.force_login(manager)
    run = runs.run_create(site=site, by=manager)
    client.post(f"/spaces/allocation/runs/{run.pk}/confirm/")
    client.force_login(founder)

    offer_page = client.get(PAGE).content.decode()
    response = client.post(f"{PAGE}requests/{request.pk}/accept/", follow=True)

    assert f"{PAGE}requests/{request.pk}/accept/" in offer_page and "Answer within" in offer_page
    allocation = Allocation.objects.get(request=request)
    assert (allocation.unit, allocation.startup) == (desk, startup)
    section = response.context["sections"][0]
    assert (section["allocations"], section["requests"]) == ([allocation], [])
    assert "Desk 7" in response.content.decode()


def test_declined_offer_leaves_the_page_and_allocates_nothing(signed_in, site, startup):
    request = offered(startup, UnitFactory(site=site))

    response = signed_in.post(f"{PAGE}requests/{request.pk}/decline/", follow=True)

    assert SpaceRequest.objects.get(pk=request.pk).status == RequestStatus.CANCELLED
    assert response.context["sections"][0]["requests"] == [] and Allocation.objects.count() == 0


def test_expired_offer_shows_the_message_and_no_buttons(signed_in, site, startup):
    request = offered(startup, UnitFactory(site=site), expires_in=-D(minutes=1))

    page = signed_in.get(PAGE).content.decode()
    response = signed_in.post(f"{PAGE}requests/{request.pk}/accept/", follow=True)

    assert "Expired:" in page and f"requests/{request.pk}/accept/" not in page
    assert ["The offer expired on" in str(m) for m in response.context["messages"]] == [True]
    assert (SpaceRequest.objects.get(pk=request.pk).status, Allocation.objects.count()) == (RequestStatus.EXPIRED, 0)


def test_waiting_request_shows_its_place(signed_in, startup):
    space_request(kind="desk", waited_days=5)
    mine = space_request(startup=startup, kind="desk", waited_days=1)

    response = signed_in.get(PAGE)

    assert [(r.pk, r.position) for r in response.context["sections"][0]["requests"]] == [(mine.pk, 2)]
    assert "Place 2 in the waiting list" in response.content.decode()


def test_allocation_says_who_pays(signed_in, startup):
    shared = SiteFactory(funding=Funding.SHARED, state_share=Decimal("70.00"))
    AllocationFactory(unit=UnitFactory(site=shared), startup=startup)

    content = signed_in.get(PAGE).content.decode()

    assert "the state pays 70 %" in content


def test_another_startups_offer_is_a_404_and_nothing_changes(signed_in, site):
    request = offered(factories.StartupFactory(), UnitFactory(site=site))

    for answer in ("accept", "decline"):
        assert signed_in.post(f"{PAGE}requests/{request.pk}/{answer}/").status_code == 404
    assert (SpaceRequest.objects.get(pk=request.pk).status, Allocation.objects.count()) == (RequestStatus.OFFERED, 0)
    assert signed_in.get(PAGE).context["sections"] == []


def test_another_startups_allocation_is_not_shown(signed_in, startup):
    AllocationFactory(unit=UnitFactory(name="Their desk"))

    response = signed_in.get(PAGE)

    assert response.context["sections"][0]["allocations"] == []
    assert "Their desk" not in response.content.decode()


def test_answering_needs_a_post(signed_in, site, startup):
    request = offered(startup, UnitFactory(site=site))

    assert signed_in.get(f"{PAGE}requests/{request.pk}/accept/").status_code == 405
    assert SpaceRequest.objects.get(pk=request.pk).status == RequestStatus.OFFERED


@pytest.mark.parametrize("rows", [1, 3])
def test_page_queries_do_not_grow_with_rows(signed_in, founder, rows, django_assert_num_queries):
    for _ in range(rows):
        startup = factories.StartupFactory(owner=founder)
        AllocationFactory(startup=startup)
        offered(startup, UnitFactory())
        space_request(startup=startup)
    signed_in.get(PAGE)

    with django_assert_num_queries(7):
        response = signed_in.get(PAGE)
    assert [len(s["requests"]) for s in response.context["sections"]] == [2] * rows
