import pytest

from accounts import services
from core.exceptions import InvalidInput
from core.models import ActivityEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_department_update_logs_the_change_with_the_actor(admin_user):
    department = factories.DepartmentFactory(name="Seoul", code="seoul")

    services.department_update(department=department, name="Seoul City", by=admin_user)

    entry = ActivityEntry.objects.get()
    assert (entry.actor, entry.action, entry.target, entry.changes) == (
        admin_user, "updated", department, {"name": ["Seoul", "Seoul City"]}
    )


def test_department_update_refuses_an_unknown_field(admin_user):
    department = factories.DepartmentFactory()

    with pytest.raises(InvalidInput) as caught:
        services.department_update(department=department, id=5, by=admin_user)

    assert caught.value.field == "id"
    assert ActivityEntry.objects.count() == 0


def test_user_set_roles_logs_old_and_new_roles(admin_user):
    user = factories.UserFactory(roles=["reviewer"])

    services.user_set_roles(user=user, roles=["reviewer", "approver"], by=admin_user)

    entry = ActivityEntry.objects.get()
    assert (entry.actor, entry.changes) == (admin_user, {"roles": [["reviewer"], ["approver", "reviewer"]]})
    assert set(user.roles.values_list("code", flat=True)) == {"reviewer", "approver"}


def test_admin_edit_of_a_department_is_logged(client, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    department = factories.DepartmentFactory(name="Seoul", code="seoul", email="s@gov.example")
    client.force_login(admin_user)

    response = client.post(
        f"/admin/accounts/department/{department.pk}/change/",
        {"name": "Seoul City", "code": "seoul", "email": "s@gov.example"},
    )

    assert response.status_code == 302
    assert ActivityEntry.objects.get().changes == {"name": ["Seoul", "Seoul City"]}
