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


def _departments_renamed(admin, n):
    for i in range(n):
        department = factories.DepartmentFactory(name=f"Office {i}", code=f"office-{i}")
        services.department_update(department=department, name=f"Renamed office {i}", by=admin)


def test_activity_page_lists_the_changes_with_who_and_from_what(client, admin_user):
    _departments_renamed(admin_user, 1)
    client.force_login(admin_user)

    response = client.get("/accounts/activity/")

    assert response.status_code == 200
    assert "Renamed office 0" in response.text and "Office 0 → Renamed office 0" in response.text
    assert admin_user.username in response.text


@pytest.mark.parametrize("roles", [["founder"], ["reviewer"], ["approver"]])
def test_activity_page_is_for_admins_only(client, roles):
    client.force_login(factories.UserFactory(roles=roles))

    assert client.get("/accounts/activity/").status_code == 403


def test_activity_page_filters_by_actor(client, admin_user):
    _departments_renamed(admin_user, 1)
    other_admin = factories.UserFactory(roles=["admin"])
    services.department_update(
        department=factories.DepartmentFactory(name="Busan", code="busan"), name="Busan City", by=other_admin
    )
    client.force_login(admin_user)

    response = client.get("/accounts/activity/", {"actor": other_admin.username})

    assert [entry.target_repr for entry in response.context["entries"]] == ["Busan City"]


@pytest.mark.parametrize("entries", [1, 3])
def test_activity_page_query_count_does_not_grow(client, admin_user, entries, django_assert_num_queries):
    _departments_renamed(admin_user, entries)
    client.force_login(admin_user)
    client.get("/accounts/activity/")  # the content types are cached after the first page

    # The session, the user and their roles and memberships (the navigation), the page's count and
    # rows, the filter's choices: the same with one entry or three.
    with django_assert_num_queries(QUERIES):
        response = client.get("/accounts/activity/")

    assert len(response.context["entries"]) == entries


QUERIES = 7
