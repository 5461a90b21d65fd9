import datetime

import pytest

from applications.models import Holiday
from applications.services import queues, rulesets, sla
from core.exceptions import InvalidInput
from core.models import ActivityEntry
from tests import factories

pytestmark = pytest.mark.django_db


def entries():
    return list(ActivityEntry.objects.order_by("id").values_list("actor_id", "action", "target_repr", "changes"))


def test_queue_update_logs_the_changed_fields_with_the_actor(admin_user):
    queue = factories.ReviewQueueFactory(name="Grants", sla_hours=40, is_default=True)

    queues.queue_update(queue=queue, sla_hours=16, name="Grants", by=admin_user)

    assert entries() == [(admin_user.pk, "updated", str(queue), {"sla_hours": [40, 16]})]


def test_queue_update_refuses_a_field_outside_the_whitelist(admin_user):
    queue = factories.ReviewQueueFactory(name="Grants", is_default=True)

    with pytest.raises(InvalidInput) as caught:
        queues.queue_update(queue=queue, id=999, by=admin_user)

    assert caught.value.field == "id"
    assert entries() == []


def test_queue_update_logs_new_reviewers(admin_user):
    queue = factories.ReviewQueueFactory(is_default=True)
    reviewer = factories.UserFactory(roles=["reviewer"])

    queues.queue_update(queue=queue, reviewers=[reviewer], by=admin_user)

    assert [entry[3] for entry in entries()] == [{"reviewers": [[], [reviewer.pk]]}]


def test_queue_create_is_logged(admin_user):
    department = factories.DepartmentFactory()

    queue = queues.queue_create(name="Grants", department=department, sla_hours=8, by=admin_user)

    entry = ActivityEntry.objects.get()
    assert (entry.actor, entry.action, entry.target, entry.changes["sla_hours"]) == (
        admin_user, "created", queue, [None, 8]
    )


def test_ruleset_activation_logs_both_rule_sets(admin_user):
    first = rulesets.active_ruleset(create=True, by=admin_user)
    draft = rulesets.ruleset_create(note="v2", by=admin_user)
    ActivityEntry.objects.all().delete()

    rulesets.ruleset_activate(ruleset=draft, by=admin_user)

    logged = {(entry.target_id, entry.action, entry.changes["status"][1]) for entry in ActivityEntry.objects.all()}
    assert logged == {(str(first.pk), "updated", "retired"), (str(draft.pk), "activated", "active")}


def test_rule_update_and_delete_are_logged(admin_user):
    queue = factories.ReviewQueueFactory(is_default=True)
    rule = rulesets.rule_create(order=1, queue=queue, sector="", by=admin_user)
    ActivityEntry.objects.all().delete()

    rulesets.rule_update(rule=rule, keywords="ai, robots", by=admin_user)
    rulesets.rule_delete(rule=rule, by=admin_user)

    assert [(entry[0], entry[1]) for entry in entries()] == [(admin_user.pk, "updated"), (admin_user.pk, "deleted")]
    assert entries()[0][3] == {"keywords": ["", "ai, robots"]}


def test_rule_update_refuses_the_rule_set(admin_user):
    queue = factories.ReviewQueueFactory(is_default=True)
    rule = rulesets.rule_create(order=1, queue=queue, by=admin_user)

    with pytest.raises(InvalidInput):
        rulesets.rule_update(rule=rule, ruleset=None, by=admin_user)


def test_holiday_update_logs_old_and_new_dates(admin_user):
    holiday = sla.holiday_create(date=datetime.date(2026, 5, 5), name="Children's Day", by=admin_user)

    sla.holiday_update(holiday=holiday, date=datetime.date(2026, 5, 6), by=admin_user)
    sla.holiday_delete(holiday=Holiday.objects.get(), by=admin_user)

    assert [(entry[1], entry[3].get("date")) for entry in entries()] == [
        ("created", [None, "2026-05-05"]),
        ("updated", ["2026-05-05", "2026-05-06"]),
        ("deleted", ["2026-05-06", None]),
    ]


def test_holiday_update_refuses_an_unknown_field(admin_user):
    holiday = sla.holiday_create(date=datetime.date(2026, 5, 5), name="Children's Day", by=admin_user)

    with pytest.raises(InvalidInput):
        sla.holiday_update(holiday=holiday, pk=7, by=admin_user)

    holiday.refresh_from_db()
    assert holiday.date == datetime.date(2026, 5, 5)


def test_rules_edited_in_the_rule_set_admin_are_logged(client):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    queue = factories.ReviewQueueFactory(is_default=True)
    draft = rulesets.ruleset_create(note="first", copy_active=False, by=superuser)
    rule = rulesets.rule_create(ruleset=draft, order=1, queue=queue, by=superuser)
    ActivityEntry.objects.all().delete()
    row = {"queue": queue.pk, "category": "", "min_amount": "", "max_amount": "", "sector": "", "keywords": ""}
    body = {
        "note": "second",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "1",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-id": rule.pk,
        "rules-0-ruleset": draft.pk,
        "rules-0-order": "5",
        **{f"rules-0-{key}": value for key, value in row.items()},
        "rules-1-ruleset": draft.pk,
        "rules-1-order": "2",
        **{f"rules-1-{key}": value for key, value in row.items()},
    }

    response = client.post(f"/admin/applications/ruleset/{draft.pk}/change/", body)

    assert response.status_code == 302, response.content.decode()[:2000]
    logged = [(action, changes) for _actor, action, _target, changes in entries()]
    assert logged == [
        ("updated", {"note": ["first", "second"]}),
        ("updated", {"order": [1, 5]}),
        ("created", {"order": [None, 2], "queue": [None, queue.pk]}),
    ]
