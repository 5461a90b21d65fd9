"""Every write endpoint, with each optional field of its body left out, answers (2xx or 4xx),
never a 500: a field the serializer makes optional must be optional down to the service (a
startup created without `stage` was a TypeError).

The operations come from the published schema, so a new write endpoint with optional fields
fails `test_every_write_endpoint_with_optional_fields_has_a_full_body` until it is given one
here."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from applications.enums import Status
from tests import factories
from tests.applications.letters_cast import make_cast
from tests.spaces.factories import SiteFactory, UnitFactory
from tests.subsidies.helpers import grant


def _write_operations() -> dict[str, list[str]]:
    """The optional fields of the JSON body of every write with some, by "METHOD path"."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            if method not in ("post", "put", "patch") or body is None:
                continue
            body = components[body["$ref"].split("/")[-1]] if "$ref" in body else body
            optional = [
                name
                for name, field in body.get("properties", {}).items()
                if name not in body.get("required", []) and not field.get("readOnly")
            ]
            if optional:
                operations[f"{method.upper()} {path}"] = optional
    return operations


OPERATIONS = _write_operations()


@dataclass
class Call:
    user: object
    path: str
    body: dict


def _program_body():
    return {
        "name": "Seed",
        "description": "For seeds.",
        "budget": "5000.00",
        "max_award": "1000.00",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "eligible_stages": ["idea"],
        "eligible_sectors": ["software"],
        "registered_only": False,
        "tranches": 2,
        "tranche_spacing_months": 1,
        "profit_months": 3,
        "profit_policy": "continue",
        "taper_percent": "50.00",
    }


def _startup_body(number="110-81-00001"):
    return {
        "name": "Hanbit",
        "sector": "software",
        "stage": "prototype",
        "description": "Robots.",
        "proposed_registration_number": number,
        "special_economic_zone": "",
    }


def _token_body_with_code() -> dict:
    """Sign-in of a staff user with a confirmed authenticator: the password and its current code."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = factories.UserFactory(roles=["approver"])
    user.set_password("a-long-pass-2026")
    user.save()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return {"username": user.username, "password": "a-long-pass-2026", "otp": f"{totp(device.bin_key):06d}"}


def _calls(cast, admin):
    """By "METHOD path", a function making the call with its full body (objects made on demand)."""

    def queue_body():
        return {
            "name": "Desk",
            "department": cast.department.pk,
            "sla_hours": 8,
            "reviewer_capacity": 5,
            "reviewers": [cast.reviewer.pk],
            "supervisors": [cast.approver.pk],
            "is_default": False,
        }

    def rule_body():
        return {
            "order": 5,
            "queue": cast.queue.pk,
            "category": "space",
            "min_amount": "0.00",
            "max_amount": "1000.00",
            "sector": "software",
            "keywords": "desk, room",
        }

    def rule_call():
        created = APIClient_for(admin).post(
            "/api/v1/routing-rules/", {"order": 1, "queue": cast.queue.pk}, format="json"
        )
        return Call(
            admin,
            f"/api/v1/routing-rules/{created.data['id']}/",
            {**rule_body(), "ruleset": created.data["ruleset"]},
        )

    def holiday():
        response = APIClient_for(admin).post(
            "/api/v1/holidays/", {"date": "2026-05-05", "name": "Children"}, format="json"
        )
        return response.data["id"]

    def award():
        letter = factories.subsidy_letter(
            program=factories.ProgramFactory(), startup=cast.startup, amount=Decimal("100.00")
        )
        return grant(letter, by=factories.UserFactory(roles=["approver"]))

    def letter(status):
        return cast.letter(status).pk

    def space_site_body():
        return {
            "name": "Mapo Hub",
            "address": "1 Mapo-daero",
            "department": cast.department.pk,
            "funding": "shared",
            "state_share": "40.00",
            "special_economic_zone": True,
            "bookable_from": "08:00",
            "bookable_until": "20:00",
            "bookable_weekdays": [0, 1, 2, 3, 4],
            "max_advance_days": 30,
        }

    def space_unit_body():
        return {
            "site": SiteFactory(department=cast.department).pk,
            "name": "Desk 1",
            "kind": "desk",
            "seats": 1,
            "monthly_price": "300000.00",
            "hourly_price": None,
            "features": ["window"],
            "floor": 1,
            "x": 0,
            "y": 0,
            "width": 10,
            "height": 10,
        }

    def expo_slot():
        from tests.expos.programme_helpers import at, make_expo, make_hall, make_showcase, place

        expo = make_expo(department=cast.department)
        slot = place(make_showcase(expo), make_hall(expo, "A"), at(expo, 0, 10))
        return expo, slot, make_hall(expo, "B"), at(expo, 1, 11)

    founder, reviewer, approver = cast.founder, cast.reviewer, cast.approver
    return {
        "POST /api/v1/letters/": lambda: Call(
            founder,
            "/api/v1/letters/",
            {
                "startup": cast.startup.pk,
                "category": "subsidy",
                "subject": "Seed money",
                "body": "Please.",
                "requested_amount": "100.00",
                "program": factories.ProgramFactory().pk,
                "space": None,
                "expo": None,
            },
        ),
        "PATCH /api/v1/letters/{id}/": lambda: Call(
            founder,
            f"/api/v1/letters/{letter(Status.DRAFT)}/",
            {
                "category": "space",
                "subject": "A desk",
                "body": "Please.",
                "requested_amount": None,
                "program": None,
                "space": {"kind": "desk", "seats": 2, "starts_on": "2027-01-04", "ends_on": "2027-07-01", "site": None},
                "expo": None,
                "reason": "Clearer.",
            },
        ),
        "POST /api/v1/letters/{id}/decide/": lambda: Call(
            approver,
            f"/api/v1/letters/{letter(Status.PENDING_APPROVAL)}/decide/",
            {"decision": "approve", "comment": "Fine.", "amount": "100.00"},
        ),
        "POST /api/v1/letters/{id}/recommend/": lambda: Call(
            reviewer,
            f"/api/v1/letters/{letter(Status.IN_REVIEW)}/recommend/",
            {"recommendation": "approve", "comment": "Good.", "amount": "100.00"},
        ),
        "POST /api/v1/letters/{id}/respond/": lambda: Call(
            founder,
            f"/api/v1/letters/{letter(Status.INFO_REQUESTED)}/respond/",
            {
                "message": "Here.",
                "subject": "A desk, please",
                "body": "Please, now.",
                "requested_amount": None,
            },
        ),
        "POST /api/v1/letters/{id}/withdraw/": lambda: Call(
            founder, f"/api/v1/letters/{letter(Status.DRAFT)}/withdraw/", {"reason": "Not needed."}
        ),
        "PATCH /api/v1/holidays/{id}/": lambda: Call(
            admin, f"/api/v1/holidays/{holiday()}/", {"date": "2026-05-06", "name": "Children's day"}
        ),
        "POST /api/v1/queues/": lambda: Call(admin, "/api/v1/queues/", queue_body()),
        "PUT /api/v1/queues/{id}/": lambda: Call(admin, f"/api/v1/queues/{cast.queue.pk}/", queue_body()),
        "PATCH /api/v1/queues/{id}/": lambda: Call(admin, f"/api/v1/queues/{cast.queue.pk}/", queue_body()),
        "POST /api/v1/routing-preview/": lambda: Call(
            admin,
            "/api/v1/routing-preview/",
            {
                "category": "space",
                "requested_amount": "10.00",
                "sector": "software",
                "subject": "Desk",
                "body": "A desk.",
                "ruleset": None,
            },
        ),
        "POST /api/v1/routing-rules/": lambda: Call(
            admin, "/api/v1/routing-rules/", {**rule_body(), "ruleset": None}
        ),
        "PUT /api/v1/routing-rules/{id}/": rule_call,
        "PATCH /api/v1/routing-rules/{id}/": rule_call,
        "POST /api/v1/rulesets/": lambda: Call(
            admin, "/api/v1/rulesets/", {"note": "Next.", "copy_active": True}
        ),
        "POST /api/v1/rulesets/{id}/dry-run/": lambda: Call(
            admin, f"/api/v1/rulesets/{_ruleset(admin)}/dry-run/", {"days": 30}
        ),
        "POST /api/v1/startups/": lambda: Call(founder, "/api/v1/startups/", _startup_body()),
        "PUT /api/v1/startups/{id}/": lambda: Call(
            founder, f"/api/v1/startups/{cast.startup.pk}/", _startup_body()
        ),
        "PATCH /api/v1/startups/{id}/": lambda: Call(
            founder, f"/api/v1/startups/{cast.startup.pk}/", _startup_body()
        ),
        "POST /api/v1/subsidy-awards/{id}/cancel/": lambda: Call(
            admin, f"/api/v1/subsidy-awards/{award().pk}/cancel/", {"note": "Withdrawn."}
        ),
        "POST /api/v1/subsidy-programs/": lambda: Call(admin, "/api/v1/subsidy-programs/", _program_body()),
        "PUT /api/v1/subsidy-programs/{id}/": lambda: Call(
            admin, f"/api/v1/subsidy-programs/{factories.ProgramFactory().pk}/", _program_body()
        ),
        "PATCH /api/v1/subsidy-programs/{id}/": lambda: Call(
            admin, f"/api/v1/subsidy-programs/{factories.ProgramFactory().pk}/", _program_body()
        ),
        "POST /api/v1/space-sites/": lambda: Call(admin, "/api/v1/space-sites/", space_site_body()),
        "PUT /api/v1/space-sites/{id}/": lambda: Call(
            admin, f"/api/v1/space-sites/{SiteFactory(department=cast.department).pk}/", space_site_body()
        ),
        "PATCH /api/v1/space-sites/{id}/": lambda: Call(
            admin, f"/api/v1/space-sites/{SiteFactory(department=cast.department).pk}/", space_site_body()
        ),
        "POST /api/v1/space-units/": lambda: Call(admin, "/api/v1/space-units/", space_unit_body()),
        "PUT /api/v1/space-units/{id}/": lambda: Call(
            admin, f"/api/v1/space-units/{UnitFactory().pk}/", space_unit_body()
        ),
        "PATCH /api/v1/space-units/{id}/": lambda: Call(
            admin, f"/api/v1/space-units/{UnitFactory().pk}/", space_unit_body()
        ),
        "POST /api/v1/space-allocation-runs/": lambda: Call(
            admin, "/api/v1/space-allocation-runs/", {"site": SiteFactory().pk}
        ),
        "POST /api/v1/expos/": lambda: Call(admin, "/api/v1/expos/", _expo_body(cast)),
        "PUT /api/v1/expos/{id}/": lambda: _expo_call(admin, cast),
        "PATCH /api/v1/expos/{id}/": lambda: _expo_call(admin, cast),
        "POST /api/v1/expo-halls/": lambda: Call(admin, "/api/v1/expo-halls/", _hall_body(_expo())),
        "PUT /api/v1/expo-halls/{id}/": lambda: _hall_call(admin),
        "PATCH /api/v1/expo-halls/{id}/": lambda: _hall_call(admin),
        "POST /api/v1/showcases/": lambda: Call(founder, "/api/v1/showcases/", _showcase_body(cast)),
        "POST /api/v1/showcases/{id}/review/": lambda: Call(
            admin, f"/api/v1/showcases/{_showcase().pk}/review/", {"score": 4, "comment": "Good."}
        ),
        "POST /api/v1/auth/token/": lambda: Call(None, "/api/v1/auth/token/", _token_body_with_code()),
        "PATCH /api/v1/showcase-slots/{id}/": lambda: (
            lambda expo, slot, hall, starts_at: Call(
                admin,
                f"/api/v1/showcase-slots/{slot.pk}/",
                {"hall": hall.pk, "starts_at": starts_at.isoformat(), "pinned": True},
            )
        )(*expo_slot()),
        "POST /api/v1/expos/{id}/releases/": lambda: Call(
            admin, f"/api/v1/expos/{expo_slot()[0].pk}/releases/", {"comment": "First programme."}
        ),
        "POST /api/v1/users/": lambda: Call(
            admin,
            "/api/v1/users/",
            {
                "username": "minji",
                "email": "minji@gov.example",
                "password": "a-long-pass-2026",
                "roles": ["approver"],
                "department": cast.department.pk,
                "approval_limit": "1000.00",
            },
        ),
    }


def _expo():
    from tests.expos.factories import ExpoFactory

    return ExpoFactory()


def _expo_body(cast, expo=None) -> dict:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return {
        "department": (expo.department_id if expo else cast.department.pk),
        "name": "Expo",
        "city": "Seoul",
        "venue": "COEX",
        "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=31)).isoformat(),
        "applications_open_on": today.isoformat(),
        "applications_close_on": (today + datetime.timedelta(days=10)).isoformat(),
        "day_starts_at": "09:00",
        "day_ends_at": "17:00",
        "slot_minutes": 30,
        "slot_value": "10.00",
        "registered_only": False,
        "min_stage": "",
    }


def _expo_call(admin, cast):
    expo = _expo()
    return Call(admin, f"/api/v1/expos/{expo.pk}/", _expo_body(cast, expo))


def _hall_body(expo) -> dict:
    return {"expo": expo.pk, "name": "Hall A", "capacity": 2, "features": ["power"]}


def _hall_call(admin):
    from tests.expos.factories import HallFactory

    hall = HallFactory()
    return Call(admin, f"/api/v1/expo-halls/{hall.pk}/", _hall_body(hall.expo))


def _showcase():
    from tests.expos.factories import ShowcaseFactory

    return ShowcaseFactory()


def _showcase_body(cast) -> dict:
    expo = _expo()
    return {
        "expo": expo.pk,
        "startup": cast.startup.pk,
        "title": "Robot",
        "description": "Parcels.",
        "sector": "hardware",
        "needs": ["power"],
        "available_days": [expo.starts_on.isoformat()],
    }


def APIClient_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ruleset(admin) -> int:
    return APIClient_for(admin).post("/api/v1/rulesets/", {"note": "Draft."}, format="json").data["id"]


def _send(operation: str, call: Call):
    method = operation.split()[0].lower()
    return getattr(APIClient_for(call.user), method)(call.path, call.body, format="json")


@pytest.fixture
def calls(db):
    return _calls(make_cast(), factories.UserFactory(roles=["admin"], is_staff=True))


def test_every_write_endpoint_with_optional_fields_has_a_full_body(calls):
    assert sorted(OPERATIONS) == sorted(calls)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_write_endpoint_with_its_full_body_succeeds(calls, operation):
    response = _send(operation, calls[operation]())
    assert 200 <= response.status_code < 300, (response.status_code, response.data)


@pytest.mark.parametrize(
    ("operation", "field"),
    [(operation, field) for operation, fields in sorted(OPERATIONS.items()) for field in fields],
)
def test_write_endpoint_with_an_optional_field_left_out_answers(calls, operation, field):
    call = calls[operation]()
    assert field in call.body
    del call.body[field]
    response = _send(operation, call)
    assert response.status_code < 500
