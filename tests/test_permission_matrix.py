"""Every route of the site, sent as every actor, against the expected table in
tests/permission_matrix.py (its docstring says how to read and extend the table).

A route missing from the table fails, a row naming a route that is gone fails, and any cell that
differs fails: each with a message that says what to do. Each request runs in a savepoint that
is rolled back (and the client's cookies are put back), so a POST that did change something (an
approval, a sign-out) cannot change what the next request sees.
"""
import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.enums import Status
from applications.models import Holiday, RoutingRule, RuleSet
from expos import programme
from expos.models import ScheduleRun
from notifications.models import Notification
from spaces.enums import RequestStatus
from spaces.models import AllocationRun, SpaceCharge
from tests import factories
from tests.expos import programme_helpers
from tests.permission_matrix import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    APPROVER,
    BODIES,
    EXCLUDED_PREFIXES,
    EXPECTED,
    EXPO_ORGANISER,
    KWARG_OBJECTS,
    KWARG_VALUES,
    OUTSIDER,
    OWNER,
    PK_OBJECTS,
    REVIEWER,
    SPACE_MANAGER,
)
from tests.spaces import booking_factories
from tests.spaces import factories as space_factories
from tests.subsidies.helpers import grant

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
DENIED_STATUSES = {HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND}
REDIRECTS = {301, 302, 303, 307, 308}


class Route:
    """One named URL pattern: its name, its path as written, its keyword arguments, and the
    HTTP methods it maps (for a DRF viewset's route; None when the view does not say)."""

    def __init__(self, name, path, kwargs, methods):
        self.name, self.path, self.kwargs, self.methods = name, path, kwargs, methods

    def __repr__(self):
        return f"{self.name} ({self.path})"


def _methods_of(callback):
    actions = getattr(callback, "actions", None)  # a viewset's route: {"get": "list", ...}
    return set(actions) if actions else None


def all_routes() -> dict[str, Route]:
    """Every URL pattern of the site but EXCLUDED_PREFIXES, by name (the router's format-suffix
    twins share their route's name and are the same view: one row each)."""
    routes: dict[str, Route] = {}

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            path = prefix + str(pattern.pattern)
            if path.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, path, ns)
                continue
            assert isinstance(pattern, URLPattern)
            name = pattern.name or path  # an unnamed route is keyed by its path (and cannot be reversed)
            if namespace and pattern.name:
                name = f"{namespace}:{pattern.name}"
            kwargs = [key for key in pattern.pattern.regex.groupindex if key != "format"]
            routes.setdefault(name, Route(name, path, kwargs, _methods_of(pattern.callback)))

    walk(get_resolver(), "", None)
    return routes


def pk_object(route_name):
    matches = [prefix for prefix in PK_OBJECTS if route_name.startswith(prefix)]
    assert matches, f"{route_name}: its URL has a pk; map its name's prefix to an object in PK_OBJECTS"
    return PK_OBJECTS[max(matches, key=len)]


def url_for(route, world):
    kwargs = {}
    for key in route.kwargs:
        if key == "pk":
            kwargs[key] = world[pk_object(route.name)].pk
        elif key in KWARG_OBJECTS:
            kwargs[key] = world[KWARG_OBJECTS[key]].pk
        elif key in KWARG_VALUES:
            kwargs[key] = KWARG_VALUES[key]
        else:
            raise AssertionError(f"{route.name}: add the URL argument {key!r} to KWARG_OBJECTS or KWARG_VALUES")
    return reverse(route.name, kwargs=kwargs)


def build_world():
    """The objects the routes' URLs name, and one signed-in client per actor."""
    department = factories.DepartmentFactory()
    owner = factories.UserFactory(roles=["founder"])
    outsider = factories.UserFactory(roles=["founder"])
    factories.StartupFactory(owner=outsider)
    reviewer = factories.UserFactory(roles=["reviewer"], department=department)
    approver = factories.UserFactory(
        roles=["approver"], department=department, approval_limit=Decimal("1000000.00")
    )
    users = {
        OWNER: owner,
        OUTSIDER: outsider,
        REVIEWER: reviewer,
        APPROVER: approver,
        SPACE_MANAGER: factories.UserFactory(roles=["space_manager"], department=department),
        EXPO_ORGANISER: factories.UserFactory(roles=["expo_organiser"], department=department),
        ADMIN: factories.UserFactory(roles=["admin"], is_staff=True),
    }
    startup = factories.StartupFactory(owner=owner)
    queue = factories.ReviewQueueFactory(department=department, reviewers=[reviewer])
    letter = factories.letter_in_state(
        Status.IN_REVIEW, queue=queue, reviewer=reviewer, startup=startup, author=owner
    )
    program = factories.ProgramFactory(tranches=2)
    subsidy = factories.subsidy_letter(
        program=program,
        startup=startup,
        author=owner,
        amount=Decimal("50000.00"),
        queue=queue,
        reviewed_by=reviewer,
        assignee=approver,
        submitted_at=datetime.datetime.now(datetime.UTC),
    )
    award = grant(subsidy, by=approver)
    ruleset = RuleSet.objects.create(version=99, note="matrix")
    world = {
        "users": users,
        "department": department,
        "startup": startup,
        "user": owner,
        "queue": queue,
        "letter": letter,
        "attachment": factories.AttachmentFactory(letter=letter),
        "membership": factories.MembershipFactory(startup=startup),
        "invitation": factories.InvitationFactory(startup=startup, invited_by=owner),
        "program": program,
        "award": award,
        "disbursement": award.disbursements.order_by("due_on").first(),
        "ruleset": ruleset,
        "rule": RoutingRule.objects.create(ruleset=ruleset, order=1, queue=queue),
        "holiday": Holiday.objects.create(date=datetime.date(2026, 12, 25), name="Christmas"),
        "notification": Notification.objects.create(recipient=owner, subject="Hello"),
    }
    world.update(space_world(department, startup))
    world.update(expo_world(department, startup))
    clients = {ANONYMOUS: Client()}
    for actor, user in users.items():
        clients[actor] = Client()
        clients[actor].force_login(user, backend=MODEL_BACKEND)
    world["clients"] = clients
    return world


def space_world(department, startup):
    """A site of the department with a desk allocated to the startup, a meeting room it booked,
    an offer it has not answered, a run, and a charge."""
    site = booking_factories.BookingSiteFactory(department=department)
    allocation = booking_factories.AllocationFactory(unit=booking_factories.DeskFactory(site=site), startup=startup)
    room = booking_factories.RoomFactory(site=site)
    offered = booking_factories.DeskFactory(site=site)
    space_request = space_factories.space_request(
        startup=startup,
        status=RequestStatus.OFFERED,
        site=site,
        offer_unit=offered,
        offer_expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    return {
        "site": site,
        "unit": room,
        "allocation": allocation,
        "booking": booking_factories.BookingFactory(unit=room, startup=startup),
        "space_request": space_request,
        "run": AllocationRun.objects.create(site=site),
        "charge": SpaceCharge.objects.create(
            startup=startup, site=site, unit=room, month=datetime.date(2026, 1, 1), source="booking",
            source_id=1, funding=site.funding, state_share=Decimal("100.00"),
            list_amount=Decimal("20.00"), state_amount=Decimal("20.00"), company_amount=Decimal("0.00"),
        ),
    }


def expo_world(department, startup):
    """An expo of the department with a hall, the startup's accepted showcase in a slot, and a
    release of the schedule."""
    expo = programme_helpers.make_expo(department=department)
    hall = programme_helpers.make_hall(expo)
    showcase = programme_helpers.make_showcase(expo, startup)
    slot = programme_helpers.place(showcase, hall, programme_helpers.at(expo, 0, 10))
    programme.release_create(expo=expo, by=None)
    return {
        "expo": expo,
        "hall": hall,
        "showcase": showcase,
        "slot": slot,
        "schedule_run": ScheduleRun.objects.create(expo=expo),
    }


def send(client, method, url, body=None):
    """One request, undone afterwards: the database in a rolled-back savepoint, the cookies
    put back. Answers the response, or the exception the view raised."""
    cookies = client.cookies.output(header="", sep=";")
    try:
        with transaction.atomic():
            try:
                if body is None:
                    return getattr(client, method)(url)
                return getattr(client, method)(url, body, content_type="application/json")
            except Exception as exc:  # noqa: BLE001 - reported as the cell's outcome
                return exc
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies.clear()
        client.cookies.load(cookies)


def outcome(response, login_path) -> str:
    if isinstance(response, Exception):
        return f"error ({type(response).__name__}: {response})"
    if response.status_code in DENIED_STATUSES:
        return "denied"
    if response.status_code in REDIRECTS and response["Location"].split("?")[0] == login_path:
        return "denied"
    if response.status_code >= 500:
        return f"error ({response.status_code})"
    return "allowed"


def probe(route, world) -> dict[str, tuple[str, str]]:
    """actor -> (outcome, what was sent and answered)."""
    url = url_for(route, world)
    login_path = reverse("login")
    methods = route.methods
    if methods is not None and "get" not in methods:
        first = "post" if "post" in methods else sorted(methods)[0]
    else:
        first = "get"
    result = {}
    for actor in ACTORS:
        client = world["clients"][actor]
        method = first
        body = BODIES.get(route.name)
        response = send(client, method, url, body(world) if callable(body) else body)
        if first == "get" and methods is None and getattr(response, "status_code", None) == 405:
            method = "post"  # a write-only page or view
            response = send(client, method, url)
        status = getattr(response, "status_code", "raised")
        result[actor] = (outcome(response, login_path), f"{method.upper()} {url} -> {status}")
    return result


@pytest.mark.django_db
def test_every_route_answers_each_actor_as_the_table_says():
    routes = all_routes()
    world = build_world()
    problems = []
    for name in sorted(set(EXPECTED) - set(routes)):
        problems.append(f"{name}: in EXPECTED but no such route any more: remove its row")
    for name, route in sorted(routes.items()):
        observed = probe(route, world)
        errors = [f"  {actor}: {detail} {result}" for actor, (result, detail) in observed.items() if result.startswith("error")]
        if errors:
            problems.append(f"{name}: the view failed:\n" + "\n".join(errors))
            continue
        allowed = frozenset(actor for actor, (result, _) in observed.items() if result == "allowed")
        if name not in EXPECTED:
            listed = ", ".join(a.upper() for a in ACTORS if a in allowed)
            problems.append(
                f"{route}: no row in tests/permission_matrix.py EXPECTED; add one, e.g.\n"
                f'    "{name}": frozenset({{{listed}}}),\n'
                "  (what each actor got: "
                + "; ".join(f"{a}: {d}" for a, (_, d) in observed.items())
                + ")"
            )
            continue
        expected = EXPECTED[name]
        for actor in ACTORS:
            if (actor in allowed) != (actor in expected):
                want = "allowed" if actor in expected else "denied"
                problems.append(f"{name}: {actor} expected {want}, got {observed[actor][0]} ({observed[actor][1]})")
    assert not problems, "\n".join(problems)


def test_the_walk_finds_pages_api_routes_and_router_actions_but_not_the_excluded():
    names = set(all_routes())

    assert {"letters:detail", "letter-list", "letter-decide", "ruleset-activate", "api-token"} <= names
    assert [name for name in names if name.startswith(("admin:", "api-schema", "api-docs", "set_language"))] == []


def test_the_table_names_only_known_actors():
    assert {name: actors - set(ACTORS) for name, actors in EXPECTED.items() if actors - set(ACTORS)} == {}
