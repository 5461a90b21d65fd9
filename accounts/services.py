"""Every write about people: registration and staff accounts."""
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.exceptions import InvalidInput

from .enums import RoleCode
from .models import Department, Role, User


def _check_new_user(*, username: str, email: str, password: str) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("This username is already taken."), field="username")
    if email and User.objects.filter(email__iexact=email).exists():
        raise InvalidInput(_("An account with this e-mail address already exists."), field="email")
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    return user


@transaction.atomic
def user_register_founder(*, username: str, email: str, password: str) -> User:
    """A person registers themselves; they become a founder.

    Side effects: creates the user with the founder role.
    """
    user = _check_new_user(username=username, email=email, password=password)
    user.save()
    user.roles.set([Role.objects.get(code=RoleCode.FOUNDER)])
    return user


@transaction.atomic
def user_create_staff(
    *,
    username: str,
    email: str,
    password: str,
    roles: list[str],
    department: Department | None = None,
    approval_limit: Decimal | None = None,
    by: User,
) -> User:
    """An admin creates an account with roles, a department and an approval limit.

    Side effects: creates the user and grants the roles; an admin role also opens the Django
    admin (is_staff).
    """
    unknown = set(roles) - set(RoleCode.values)
    if unknown:
        raise InvalidInput(_("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}, field="roles")
    if approval_limit is not None and approval_limit < 0:
        raise InvalidInput(_("The approval limit cannot be negative."), field="approval_limit")
    user = _check_new_user(username=username, email=email, password=password)
    user.department = department
    user.approval_limit = approval_limit
    user.is_staff = RoleCode.ADMIN in roles
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


@transaction.atomic
def department_create(*, name: str, code: str, email: str, by: User) -> Department:
    """Side effects: creates the department."""
    if Department.objects.filter(code=code).exists():
        raise InvalidInput(_("A department with this code already exists."), field="code")
    return Department.objects.create(name=name, code=code, email=email)
