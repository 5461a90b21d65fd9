import datetime
from decimal import Decimal

import pytest

from core.activity import json_value, record_activity, update_fields
from core.exceptions import InvalidInput
from core.models import ActivityEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return factories.DepartmentFactory(name="Seoul", code="seoul", email="seoul@gov.example")


def test_a_field_outside_the_whitelist_is_refused_and_changes_nothing(department, admin_user):
    with pytest.raises(InvalidInput) as caught:
        update_fields(department, {"name": "Busan", "code": "busan"}, allowed={"name"}, by=admin_user)

    assert caught.value.field == "code"
    department.refresh_from_db()
    assert (department.name, department.code) == ("Seoul", "seoul")
    assert ActivityEntry.objects.count() == 0


def test_only_the_changed_fields_are_logged_with_old_and_new(department, admin_user):
    changed = update_fields(
        department,
        {"name": "Busan", "code": "seoul", "email": "busan@gov.example"},
        allowed={"name", "code", "email"},
        by=admin_user,
    )

    entry = ActivityEntry.objects.get()
    assert changed == {"name": ["Seoul", "Busan"], "email": ["seoul@gov.example", "busan@gov.example"]}
    assert entry.changes == {"name": ["Seoul", "Busan"], "email": ["seoul@gov.example", "busan@gov.example"]}
    assert (entry.actor, entry.action, entry.target, entry.target_repr) == (
        admin_user, "updated", department, str(department)
    )
    department.refresh_from_db()
    assert (department.name, department.email) == ("Busan", "busan@gov.example")


def test_nothing_changed_writes_no_entry(department, admin_user):
    changed = update_fields(department, {"name": "Seoul"}, allowed={"name"}, by=admin_user)

    assert changed == {}
    assert ActivityEntry.objects.count() == 0


def test_record_activity_keeps_json_safe_values(department, admin_user):
    entry = record_activity(
        department,
        "created",
        by=admin_user,
        changes={"amount": [None, Decimal("1.50")], "day": [None, datetime.date(2026, 5, 1)], "who": [None, admin_user]},
    )

    entry.refresh_from_db()
    assert entry.changes == {"amount": [None, "1.50"], "day": [None, "2026-05-01"], "who": [None, admin_user.pk]}
    assert entry.target_id == str(department.pk)


def test_json_value_sorts_sets():
    assert json_value({3, 1, 2}) == [1, 2, 3]
    assert json_value(datetime.time(9, 30)) == "09:30:00"
