"""What the database must guarantee under concurrency, on PostgreSQL and on SQLite: eight
overlapping allocations of one unit created at once, exactly one wins and the rest are 409 (on
PostgreSQL the exclusion constraint decides; on SQLite the service's check inside its IMMEDIATE
transaction); back-to-back (half-open) allocations all succeed."""

import datetime
import threading

import pytest

from core.exceptions import InvalidInput
from spaces.models import Allocation
from spaces.services import allocations, sites
from tests import factories
from tests.race import count_rows, race
from tests.spaces.factories import TODAY, SiteFactory, UnitFactory

THREADS = 8
COUNT_UNIT = "SELECT count(*) FROM spaces_allocation WHERE unit_id = ?"
pytestmark = pytest.mark.django_db(transaction=True)


def managed_unit():
    department = factories.DepartmentFactory()
    manager = factories.UserFactory(roles=["space_manager"], department=department)
    return UnitFactory(site=SiteFactory(department=department)), manager


def one_by_one(periods):
    """A target for `race` taking the next period on each call (each thread one)."""
    pending, pick = iter(periods), threading.Lock()

    def next_period():
        with pick:
            return next(pending)

    return next_period


def test_concurrent_overlapping_allocations_of_one_unit_one_wins(tmp_path):
    unit, manager = managed_unit()
    startups = [factories.StartupFactory() for _ in range(THREADS)]
    take = one_by_one(
        (startup, TODAY + datetime.timedelta(days=offset), TODAY + datetime.timedelta(days=offset + 30))
        for offset, startup in enumerate(startups)
    )

    def attempt():
        startup, starts_on, ends_on = take()
        allocations.allocation_create(unit=unit, startup=startup, starts_on=starts_on, ends_on=ends_on, by=manager)

    outcomes, written = race(attempt, THREADS, tmp_path)

    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["ok"]
    assert count_rows(written, COUNT_UNIT, [unit.pk]) == 1


def test_concurrent_overlapping_allocations_through_the_api_one_is_created_the_rest_are_409(tmp_path):
    from rest_framework.test import APIClient

    unit, manager = managed_unit()
    startups = [factories.StartupFactory() for _ in range(THREADS)]
    take = one_by_one(
        (startup, TODAY + datetime.timedelta(days=offset), TODAY + datetime.timedelta(days=offset + 30))
        for offset, startup in enumerate(startups)
    )
    statuses, lock = [], threading.Lock()

    def attempt():
        startup, starts_on, ends_on = take()
        client = APIClient()
        client.force_authenticate(manager)
        response = client.post(
            "/api/v1/space-allocations/",
            {"unit": unit.pk, "startup": startup.pk, "starts_on": starts_on, "ends_on": ends_on},
            format="json",
        )
        with lock:
            statuses.append(response.status_code)

    outcomes, written = race(attempt, THREADS, tmp_path)

    assert outcomes == ["ok"] * THREADS
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    assert count_rows(written, COUNT_UNIT, [unit.pk]) == 1


def test_concurrent_back_to_back_allocations_all_succeed(tmp_path):
    unit, manager = managed_unit()
    startups = [factories.StartupFactory() for _ in range(THREADS)]
    take = one_by_one(
        (startup, TODAY + datetime.timedelta(days=10 * index), TODAY + datetime.timedelta(days=10 * index + 10))
        for index, startup in enumerate(startups)
    )

    def attempt():
        startup, starts_on, ends_on = take()
        allocations.allocation_create(unit=unit, startup=startup, starts_on=starts_on, ends_on=ends_on, by=manager)

    outcomes, written = race(attempt, THREADS, tmp_path)

    assert outcomes == ["ok"] * THREADS
    assert count_rows(written, COUNT_UNIT, [unit.pk]) == THREADS


def test_the_exclusion_constraint_refuses_an_overlap_the_service_did_not_check(postgres):
    """The database itself, not only the service: a raw overlapping insert fails."""
    from django.db import IntegrityError, transaction

    unit = UnitFactory()
    startup = factories.StartupFactory()
    Allocation.objects.create(unit=unit, startup=startup, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=5),
                              planned_ends_on=TODAY + datetime.timedelta(days=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            unit=unit,
            startup=startup,
            starts_on=TODAY + datetime.timedelta(days=4),
            ends_on=TODAY + datetime.timedelta(days=9),
            planned_ends_on=TODAY + datetime.timedelta(days=9),
        )


def test_concurrent_units_of_one_name_one_is_created_the_rest_are_told_the_name_is_taken(tmp_path):
    """On PostgreSQL the unique constraint decides for the checks that ran at once; its refusal
    names the taken name (a form error on `name`), never another cause."""
    unit, manager = managed_unit()
    refusals = []

    def attempt():
        try:
            sites.unit_create(site=unit.site, name="Desk Z", kind="desk", monthly_price="100.00", by=manager)
        except InvalidInput as exc:
            refusals.append((exc.field, str(exc.message)))

    outcomes, written = race(attempt, THREADS, tmp_path)

    assert outcomes == ["ok"] * THREADS
    assert refusals == [("name", "The site has another unit of this name.")] * (THREADS - 1)
    assert count_rows(written, "SELECT count(*) FROM spaces_unit WHERE name = ?", ["Desk Z"]) == 1
