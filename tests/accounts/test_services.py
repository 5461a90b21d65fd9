"""People services: registration, staff accounts, departments."""
from decimal import Decimal

import pytest

from accounts import services
from accounts.models import Department, User
from core.exceptions import InvalidInput
from tests.factories import PASSWORD, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_register_founder_creates_a_founder():
    user = services.user_register_founder(username="minji", email="minji@example.com", password=PASSWORD)

    assert user.role_codes == {"founder"}
    assert user.check_password(PASSWORD)
    assert not (user.is_staff or user.is_superuser)


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [("TAKEN", "new@example.com", "username"), ("fresh", "Taken@Example.com", "email")],
)
def test_user_register_founder_duplicate_is_refused_whatever_the_case(username, email, field):
    UserFactory(username="taken", email="taken@example.com")

    with pytest.raises(InvalidInput) as excinfo:
        services.user_register_founder(username=username, email=email, password=PASSWORD)

    assert excinfo.value.field == field
    assert User.objects.count() == 1


@pytest.mark.parametrize("password", ["123", "password", "12345678901", "minji-example"])
def test_user_register_founder_weak_password_is_refused(password):
    with pytest.raises(InvalidInput) as excinfo:
        services.user_register_founder(username="minji-example", email="minji@example.com", password=password)

    assert excinfo.value.field == "password"
    assert not User.objects.exists()


def test_user_create_staff_grants_roles_department_and_limit(admin_user):
    department = DepartmentFactory()

    user = services.user_create_staff(
        username="approver",
        email="approver@gov.example",
        password=PASSWORD,
        roles=["reviewer", "approver"],
        department=department,
        approval_limit=Decimal("1000000.00"),
        by=admin_user,
    )

    user.refresh_from_db()
    assert User.objects.get(pk=user.pk).role_codes == {"reviewer", "approver"}
    assert (user.department, user.approval_limit, user.is_staff) == (department, Decimal("1000000.00"), False)


def test_user_create_staff_admin_role_sets_is_staff(admin_user):
    user = services.user_create_staff(
        username="admin2", email="admin2@gov.example", password=PASSWORD, roles=["admin"], by=admin_user
    )

    assert user.is_staff
    assert user.has_role("admin")


@pytest.mark.parametrize(
    ("roles", "limit", "field"),
    [(["emperor"], None, "roles"), (["approver"], Decimal("-1"), "approval_limit")],
)
def test_user_create_staff_bad_roles_or_limit_is_refused(admin_user, roles, limit, field):
    before = User.objects.count()

    with pytest.raises(InvalidInput) as excinfo:
        services.user_create_staff(
            username="x", email="x@gov.example", password=PASSWORD, roles=roles, approval_limit=limit, by=admin_user
        )

    assert excinfo.value.field == field
    assert User.objects.count() == before


def test_department_create_creates_it(admin_user):
    department = services.department_create(name="MSS", code="mss", email="mss@gov.example", by=admin_user)

    assert Department.objects.get() == department


def test_department_create_duplicate_code_is_refused(admin_user):
    DepartmentFactory(code="mss")

    with pytest.raises(InvalidInput) as excinfo:
        services.department_create(name="Other", code="mss", email="o@gov.example", by=admin_user)

    assert excinfo.value.field == "code"
    assert Department.objects.count() == 1


def test_role_codes_superuser_is_always_admin():
    assert UserFactory(is_superuser=True).role_codes == {"admin"}


def test_is_staff_member_founder_is_not_and_reviewer_is():
    assert not UserFactory(roles=["founder"]).is_staff_member
    assert UserFactory(roles=["reviewer"]).is_staff_member
