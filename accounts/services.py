"""Every write about people: registration, staff accounts, passwords, API tokens and second
factors."""
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from core.activity import check_allowed, record_activity, update_fields
from core.exceptions import InvalidInput, NotPermitted

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
    """Side effects: creates the department; an activity entry."""
    if Department.objects.filter(code=code).exists():
        raise InvalidInput(_("A department with this code already exists."), field="code")
    department = Department.objects.create(name=name, code=code, email=email)
    record_activity(
        department, "created", by=by, changes={"name": [None, name], "code": [None, code], "email": [None, email]}
    )
    return department


DEPARTMENT_FIELDS = ("name", "code", "email")


@transaction.atomic
def department_update(*, department: Department, by: User, **changes) -> Department:
    """An admin renames a department or changes its code or address. Only DEPARTMENT_FIELDS
    may change (another field: 400).

    Side effects: saves the changed fields; an activity entry with their old and new values.
    """
    check_allowed(changes, DEPARTMENT_FIELDS)
    department = Department.objects.select_for_update().get(pk=department.pk)
    if "code" in changes and Department.objects.filter(code=changes["code"]).exclude(pk=department.pk).exists():
        raise InvalidInput(_("A department with this code already exists."), field="code")
    update_fields(department, changes, allowed=DEPARTMENT_FIELDS, by=by)
    return department


@transaction.atomic
def user_set_roles(
    *, user: User, roles: list[str], department: Department | None = None, approval_limit: Decimal | None = None, by: User
) -> User:
    """An admin changes a user's roles, department and approval limit.

    Side effects: sets the roles (an admin role also opens the Django admin: is_staff) and
    saves the changed fields; an activity entry with the old and new roles and values.
    """
    unknown = set(roles) - set(RoleCode.values)
    if unknown:
        raise InvalidInput(_("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))}, field="roles")
    if approval_limit is not None and approval_limit < 0:
        raise InvalidInput(_("The approval limit cannot be negative."), field="approval_limit")
    user = User.objects.select_for_update().get(pk=user.pk)
    old_roles = set(user.roles.values_list("code", flat=True))
    extra = {}
    if old_roles != set(roles):
        user.roles.set(Role.objects.filter(code__in=roles))
        user.__dict__.pop("role_codes", None)
        extra["roles"] = [old_roles, set(roles)]
    update_fields(
        user,
        {"department": department, "approval_limit": approval_limit, "is_staff": user.is_superuser or RoleCode.ADMIN in roles},
        allowed={"department", "approval_limit", "is_staff"},
        by=by,
        extra=extra,
    )
    return user


# --- passwords and API tokens -----------------------------------------------------------------


@transaction.atomic
def user_set_password(*, user: User, password: str | None, by: User | None) -> User:
    """A new password (None: an unusable one, as the admin may set), from the password change
    or reset pages or the admin. The caller's form has validated it.

    Side effects: saves the password hash; deletes every API token of the user (a password
    change shuts out whoever held the old one). Sessions end by themselves: Django ties them to
    the password hash.
    """
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    AuthToken.objects.filter(user=user).delete()
    return user


def api_token_create(*, user: User) -> str:
    """An API token for a user who has just proved who they are.

    Side effects: stores the token's hash with its expiry (REST_KNOX TOKEN_TTL); returns the
    token itself, which is shown this once and kept nowhere.
    """
    _instance, token = AuthToken.objects.create(user=user)
    return token


def api_token_delete(*, token: AuthToken, by: User) -> None:
    """Logging out of the API with the token `by` authenticated with. Side effects: deletes it."""
    token.delete()


# --- second factor -------------------------------------------------------------------------------

TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"
BACKUP_CODE_COUNT = 10


def _check_may_enrol(user: User) -> None:
    if not user.has_perm("accounts.enrol_otp"):
        raise NotPermitted(_("Only staff members sign in with a second factor."))


@transaction.atomic
def otp_device_start(*, by: User) -> TOTPDevice:
    """A staff member starts enrolling an authenticator app (TOTP, RFC 6238: 6 digits, 30 s,
    SHA-1). Their device in use, if any, keeps working until the new one is confirmed.

    Side effects: deletes their unconfirmed TOTP devices; creates a new unconfirmed one.
    """
    _check_may_enrol(by)
    TOTPDevice.objects.filter(user=by, confirmed=False).delete()
    return TOTPDevice.objects.create(user=by, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def otp_device_confirm(*, otp: str, by: User) -> TOTPDevice:
    """The staff member proves the new device works with a code it shows.

    Side effects: confirms the device; deletes their other TOTP devices (the new one replaces
    them). A wrong code changes nothing but the device's throttle (django-otp slows guessing).
    """
    _check_may_enrol(by)
    device = TOTPDevice.objects.select_for_update().filter(user=by, confirmed=False).order_by("-pk").first()
    if device is None:
        raise InvalidInput(_("Start enrolling a device first."), field="otp")
    if not device.verify_token(otp):
        raise InvalidInput(_("This code is not right: check the time on your device and try again."), field="otp")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
    return device


@transaction.atomic
def otp_backup_codes_create(*, by: User) -> list[str]:
    """New one-time backup codes, for when the authenticator app is out of reach; each works
    once. Only someone with a confirmed authenticator may have them.

    Side effects: replaces the user's backup codes (the old ones stop working).
    """
    _check_may_enrol(by)
    if not TOTPDevice.objects.filter(user=by, confirmed=True).exists():
        raise InvalidInput(_("Enrol an authenticator app before making backup codes."))
    device, _created = StaticDevice.objects.get_or_create(
        user=by, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
