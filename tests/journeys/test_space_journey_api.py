"""A space letter's whole life through the API, as each person would live it: the founder writes
and submits it, the router hands it to a reviewer, an approver approves it, the space manager
runs the optimiser and confirms, the founder accepts the offer and books a meeting room, the
month ends and its charges are split between the state and the company, and the startup's
ledger of public support shows the state's share.

Time is travelled (time-machine) so that the month can end within the test."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from applications.services import router
from spaces.enums import Funding, UnitKind
from tests import factories
from tests.spaces.factories import SiteFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ok(response, status=200):
    assert response.status_code == status, response.data
    return response.data


def test_a_space_letter_from_draft_to_charges_and_the_support_ledger():
    department = factories.DepartmentFactory()
    reviewer = factories.UserFactory(roles=["reviewer"], department=department)
    approver = factories.UserFactory(
        roles=["approver"], department=department, approval_limit=Decimal("1000000.00")
    )
    manager = factories.UserFactory(roles=["space_manager"], department=department)
    factories.ReviewQueueFactory(department=department, reviewers=[reviewer], is_default=True)
    founder = factories.UserFactory(roles=["founder"])
    startup = factories.StartupFactory(owner=founder)
    site = SiteFactory(department=department, funding=Funding.SHARED, state_share=Decimal("70.00"))
    office = UnitFactory(site=site, kind=UnitKind.OFFICE, seats=4, monthly_price=Decimal("900000.00"))
    room = UnitFactory(site=site, kind=UnitKind.MEETING_ROOM, seats=8, hourly_price=Decimal("25000.00"))
    founder_api, reviewer_api, approver_api, manager_api = map(
        _client, (founder, reviewer, approver, manager)
    )

    with time_machine.travel(_at(2027, 3, 10), tick=False):
        space = {
            "kind": "office",
            "seats": 3,
            "starts_on": "2027-04-01",
            "ends_on": "2027-10-01",
            "site": site.pk,
        }
        letter = _ok(
            founder_api.post(
                "/api/v1/letters/",
                {
                    "startup": startup.pk,
                    "category": "space",
                    "subject": "An office",
                    "body": "For three.",
                    "space": space,
                },
                format="json",
            ),
            201,
        )
        url = f"/api/v1/letters/{letter['id']}/"
        assert _ok(founder_api.post(f"{url}submit/"))["status"] == "submitted"

        router.route_waiting_letters()  # what the Celery worker does after the submission
        routed = _ok(reviewer_api.get(url))
        assert (routed["status"], routed["assignee"]) == ("in_review", reviewer.pk)

        recommended = _ok(
            reviewer_api.post(
                f"{url}recommend/", {"recommendation": "approve", "comment": "Fits."}, format="json"
            )
        )
        assert recommended["status"] == "pending_approval"
        assert (
            _ok(
                approver_api.post(f"{url}decide/", {"decision": "approve", "comment": "Yes."}, format="json")
            )["status"]
            == "approved"
        )

        [request] = _ok(founder_api.get(f"/api/v1/space-requests/?startup={startup.pk}"))["results"]
        assert (request["status"], request["seats"], request["site"]) == ("waiting", 3, site.pk)

        run = _ok(manager_api.post("/api/v1/space-allocation-runs/", {"site": site.pk}, format="json"), 201)
        assert run["assignments"] == [{"request": request["id"], "unit": office.pk}]
        assert run["objective"] >= run["baseline_objective"]
        _ok(manager_api.post(f"/api/v1/space-allocation-runs/{run['id']}/confirm/"))

        offered = _ok(founder_api.get(f"/api/v1/space-requests/{request['id']}/"))
        assert (offered["status"], offered["offer"]["unit"]) == ("offered", office.pk)
        assert (
            _ok(founder_api.post(f"/api/v1/space-requests/{request['id']}/accept/"))["status"] == "allocated"
        )
        [allocation] = _ok(founder_api.get(f"/api/v1/space-allocations/?startup={startup.pk}"))["results"]
        assert (allocation["unit"], allocation["starts_on"], allocation["ends_on"]) == (
            office.pk,
            "2027-04-01",
            "2027-10-01",
        )

    with time_machine.travel(_at(2027, 4, 5), tick=False):
        booking = {
            "unit": room.pk,
            "startup": startup.pk,
            "starts_at": _at(2027, 4, 6, 10).isoformat(),
            "ends_at": _at(2027, 4, 6, 12).isoformat(),
        }
        _ok(founder_api.post("/api/v1/room-bookings/", booking, format="json"), 201)
        # The same room at an overlapping time is refused, naming the conflicting period.
        overlapping = {
            **booking,
            "starts_at": _at(2027, 4, 6, 11).isoformat(),
            "ends_at": _at(2027, 4, 6, 13).isoformat(),
        }
        assert founder_api.post("/api/v1/room-bookings/", overlapping, format="json").status_code == 409

    with time_machine.travel(_at(2027, 5, 2), tick=False):
        _ok(manager_api.post("/api/v1/space-charges/issue/", {"month": "2027-04"}, format="json"), 201)
        charges = _ok(founder_api.get(f"/api/v1/space-charges/?startup={startup.pk}&month=2027-04"))[
            "results"
        ]
        by_source = {charge["source"]: charge for charge in charges}
        # April in full at the office's monthly price; two hours of the room.
        assert by_source["allocation"]["list_amount"] == "900000.00"
        assert (by_source["allocation"]["state_amount"], by_source["allocation"]["company_amount"]) == (
            "630000.00",
            "270000.00",
        )
        assert by_source["booking"]["list_amount"] == "50000.00"
        assert (by_source["booking"]["state_amount"], by_source["booking"]["company_amount"]) == (
            "35000.00",
            "15000.00",
        )

        ledger = _ok(founder_api.get(f"/api/v1/startups/{startup.pk}/support/"))
        assert Decimal(ledger["by_kind"]["space"]) == Decimal("665000.00")
        assert Decimal(ledger["total"]) == Decimal("665000.00")
        assert {entry["kind"] for entry in ledger["entries"]} == {"space"}
