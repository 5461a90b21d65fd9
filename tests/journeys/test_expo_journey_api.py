"""An expo's whole life through the API: the organiser creates it with its halls, two founders
of competing startups apply, the organiser reviews and decides (held until released), the
scheduler places both, a move into a taken slot is refused, the release publishes the programme
with its changelog, anyone reads it and its iCal without logging in, and after the expo the
founders record outcomes and the slot counts in the startup's ledger of public support."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from startups.enums import Stage
from tests import factories

pytestmark = pytest.mark.django_db


def _at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _ok(response, status=200):
    assert response.status_code == status, getattr(response, "data", response.content)
    return response.data


def test_an_expo_from_creation_to_outcomes_and_the_support_ledger():
    department = factories.DepartmentFactory()
    organiser = _client(factories.UserFactory(roles=["expo_organiser"], department=department))
    founders = [factories.UserFactory(roles=["founder"]) for _ in range(2)]
    startups = [factories.StartupFactory(owner=f, sector="fintech", stage=Stage.PROTOTYPE) for f in founders]
    founder_apis = [_client(f) for f in founders]

    with time_machine.travel(_at(2027, 3, 1), tick=False):
        expo = _ok(
            organiser.post(
                "/api/v1/expos/",
                {
                    "name": "Startup Expo Daejeon",
                    "city": "Daejeon",
                    "venue": "DCC",
                    "department": department.pk,
                    "starts_on": "2027-04-10",
                    "ends_on": "2027-04-11",
                    "applications_open_on": "2027-02-20",
                    "applications_close_on": "2027-03-20",
                    "day_starts_at": "09:00",
                    "day_ends_at": "12:00",
                    "slot_minutes": 30,
                    "slot_value": "150000.00",
                },
                format="json",
            ),
            201,
        )
        halls = [
            _ok(
                organiser.post(
                    "/api/v1/expo-halls/",
                    {"expo": expo["id"], "name": name, "capacity": 50, "features": features},
                    format="json",
                ),
                201,
            )
            for name, features in (("Hall A", ["power"]), ("Hall B", []))
        ]
        showcases = [
            _ok(
                api.post(
                    "/api/v1/showcases/",
                    {
                        "expo": expo["id"],
                        "startup": startup.pk,
                        "title": f"Payments {n}",
                        "description": "A demo.",
                        "sector": "fintech",
                        "needs": ["power"],
                        "available_days": ["2027-04-10"],
                    },
                    format="json",
                ),
                201,
            )
            for n, (api, startup) in enumerate(zip(founder_apis, startups))
        ]
        for showcase in showcases:
            url = f"/api/v1/showcases/{showcase['id']}/"
            _ok(organiser.post(f"{url}review/", {"score": 4, "comment": "Clear."}, format="json"))
            _ok(organiser.post(f"{url}decide/", {"decision": "accept"}, format="json"))
        # Held: the founder still sees the application as submitted.
        assert _ok(founder_apis[0].get(f"/api/v1/showcases/{showcases[0]['id']}/"))["status"] == "submitted"
        _ok(organiser.post(f"/api/v1/expos/{expo['id']}/release-decisions/"))
        assert _ok(founder_apis[0].get(f"/api/v1/showcases/{showcases[0]['id']}/"))["status"] == "accepted"

        scheduled = _ok(organiser.post(f"/api/v1/expos/{expo['id']}/schedule/"))
        assert (scheduled["placed"], scheduled["unplaced"]) == (2, [])
        slots = _ok(organiser.get(f"/api/v1/expos/{expo['id']}/slots/"))
        slots = slots.get("results", slots)
        # Both need power, which only Hall A has, and both come on the first day only.
        assert {slot["hall"] for slot in slots} == {halls[0]["id"]}
        assert {slot["starts_at"][:10] for slot in slots} == {"2027-04-10"}
        first, second = slots
        taken = organiser.patch(
            f"/api/v1/showcase-slots/{second['id']}/",
            {"hall": first["hall"], "starts_at": first["starts_at"]},
            format="json",
        )
        assert taken.status_code == 409
        _ok(organiser.patch(f"/api/v1/showcase-slots/{second['id']}/", {"pinned": True}, format="json"))

        released = _ok(
            organiser.post(
                f"/api/v1/expos/{expo['id']}/releases/", {"comment": "First programme."}, format="json"
            ),
            201,
        )
        assert released["version"] == 1 and len(released["changes"]) == 2

        public = _client()
        programme = _ok(public.get(f"/api/v1/expos/{expo['id']}/programme/"))
        assert {s["title"] for s in programme["slots"]} == {"Payments 0", "Payments 1"}
        ical = public.get(f"/expos/{expo['id']}/programme.ics")
        assert ical.status_code == 200 and ical["Content-Type"].startswith("text/calendar")
        assert ical.content.decode().count("BEGIN:VEVENT") == 2

    with time_machine.travel(_at(2027, 4, 12), tick=False):
        outcome = {"visitors": 120, "meetings": 9, "leads": 4}
        _ok(founder_apis[0].post(f"/api/v1/showcases/{showcases[0]['id']}/outcome/", outcome, format="json"))
        ledger = _ok(founder_apis[0].get(f"/api/v1/startups/{startups[0].pk}/support/"))
        assert Decimal(ledger["by_kind"]["expo"]) == Decimal("150000.00")
        assert [entry["kind"] for entry in ledger["entries"]] == ["expo"]
