"""What the database must guarantee under concurrency: eight overlapping allocations of one
unit created at once, exactly one wins and the rest are 409 (on PostgreSQL the exclusion
constraint decides; the service's check alone could not)."""

import datetime
import threading

import pytest
from django.db import connection

from core.exceptions import StateConflict
from spaces.models import Allocation
from spaces.services import allocations
from tests import factories
from tests.spaces.factories import TODAY, SiteFactory, UnitFactory

THREADS = 8
pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(calls):
    barrier = threading.Barrier(len(calls))
    outcomes, lock = [], threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=30)
            try:
                call()
                outcome = "ok"
            except StateConflict:
                outcome = "conflict"
            except Exception as exc:  # noqa: BLE001 - any other error fails the test below
                outcome = repr(exc)
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def overlapping_creates(unit, manager):
    startups = [factories.StartupFactory() for _ in range(THREADS)]

    def create(startup, offset):
        return lambda: allocations.allocation_create(
            unit=unit,
            startup=startup,
            starts_on=TODAY + datetime.timedelta(days=offset),
            ends_on=TODAY + datetime.timedelta(days=offset + 30),
            by=manager,
        )

    return [create(startup, offset) for offset, startup in enumerate(startups)]


def test_concurrent_overlapping_allocations_of_one_unit_one_wins(postgres):
    department = factories.DepartmentFactory()
    manager = factories.UserFactory(roles=["space_manager"], department=department)
    unit = UnitFactory(site=SiteFactory(department=department))

    outcomes = run_at_once(overlapping_creates(unit, manager))

    assert sorted(outcomes) == ["conflict"] * (THREADS - 1) + ["ok"]
    assert Allocation.objects.filter(unit=unit).count() == 1


def test_concurrent_back_to_back_allocations_all_succeed(postgres):
    department = factories.DepartmentFactory()
    manager = factories.UserFactory(roles=["space_manager"], department=department)
    unit = UnitFactory(site=SiteFactory(department=department))
    startups = [factories.StartupFactory() for _ in range(4)]

    def create(startup, index):
        starts_on = TODAY + datetime.timedelta(days=10 * index)
        return lambda: allocations.allocation_create(
            unit=unit, startup=startup, starts_on=starts_on, ends_on=starts_on + datetime.timedelta(days=10), by=manager
        )

    outcomes = run_at_once([create(startup, index) for index, startup in enumerate(startups)])

    assert outcomes == ["ok"] * 4
    assert Allocation.objects.filter(unit=unit).count() == 4


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
