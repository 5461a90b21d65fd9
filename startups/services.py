"""Every write about startups: creation, edits, members, monthly reports."""
import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import InvalidInput

from .enums import MemberRole
from .models import Membership, MonthlyReport, Startup

EDITABLE_FIELDS = (
    "name",
    "sector",
    "stage",
    "description",
    "registration_number",
    "is_registered",
    "special_economic_zone",
)


def _check_registration_number(number: str, *, startup_id=None):
    if not number:
        return
    clash = Startup.objects.filter(registration_number=number).exclude(pk=startup_id)
    if clash.exists():
        raise InvalidInput(_("Another startup has this registration number."), field="registration_number")


@transaction.atomic
def startup_create(*, by: User, name: str, sector: str, description: str = "", **extra) -> Startup:
    """A founder registers a startup and becomes its owner.

    Side effects: creates the startup and the owner membership.
    """
    _check_registration_number(extra.get("registration_number", ""))
    startup = Startup.objects.create(name=name, sector=sector, description=description, **extra)
    Membership.objects.create(startup=startup, user=by, role=MemberRole.OWNER)
    return startup


@transaction.atomic
def startup_update(*, startup: Startup, by: User, **changes) -> Startup:
    """A member edits the startup's details. Side effects: saves the changed fields."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "registration_number" in changes:
        _check_registration_number(changes["registration_number"], startup_id=startup.pk)
    for field, value in changes.items():
        setattr(startup, field, value)
    startup.save(update_fields=list(changes))
    return startup


@transaction.atomic
def membership_add(*, startup: Startup, username: str, by: User) -> Membership:
    """An owner adds a co-founder by username. Side effects: creates the membership."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(_("There is no active user with this username."), field="username")
    if startup.memberships.filter(user=user).exists():
        raise InvalidInput(_("This person is already a member."), field="username")
    return Membership.objects.create(startup=startup, user=user, role=MemberRole.MEMBER)


def report_file(
    *, startup: Startup, period: datetime.date, revenue: Decimal, expenses: Decimal, by: User
) -> MonthlyReport:
    """A member files the monthly financial report; one per month.

    Side effects: creates the report.
    """
    period = period.replace(day=1)
    if revenue < 0 or expenses < 0:
        raise InvalidInput(_("Revenue and expenses cannot be negative."))
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(
                startup=startup, period=period, revenue=revenue, expenses=expenses, filed_by=by
            )
    except IntegrityError as exc:
        # The unique constraint is the guard against two concurrent filings of one month.
        raise InvalidInput(_("A report for this month already exists."), field="period") from exc
