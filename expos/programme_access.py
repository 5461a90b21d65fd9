"""Who manages an expo's programme, and which showcases it places: the two readings of the
expo domain the programme relies on."""
import rules
from django.db.models import Q, QuerySet

from accounts.enums import RoleCode
from accounts.rules import has_role, is_admin

from .models import Expo


def expos_managed_by(user) -> QuerySet[Expo]:
    """The expos `user` organises: their department's (expo organisers), or all (admins)."""
    if not user.is_authenticated:
        return Expo.objects.none()
    if user.has_role(RoleCode.ADMIN):
        return Expo.objects.all()
    if user.has_role(RoleCode.EXPO_ORGANISER) and user.department_id:
        return Expo.objects.filter(department_id=user.department_id)
    return Expo.objects.none()


def showcase_is_accepted_q() -> Q:
    """Accepted by the organisers, whether or not the decisions are released yet (they may be
    scheduled before founders are told), and not withdrawn since."""
    from .enums import Decision, ShowcaseStatus

    return Q(decision=Decision.ACCEPTED) & ~Q(status=ShowcaseStatus.WITHDRAWN)


@rules.predicate
def manages_expo(user, expo):
    if expo is None or not user.is_authenticated:
        return False
    if user.has_role(RoleCode.ADMIN):
        return True
    return user.has_role(RoleCode.EXPO_ORGANISER) and user.department_id == expo.department_id


is_programme_manager = is_admin | manages_expo


# The programmes' index page (the navigation's link): organisers, admins and founders.
rules.add_perm(
    "expos.view_programmes",
    rules.is_authenticated & (is_admin | has_role(RoleCode.EXPO_ORGANISER, RoleCode.FOUNDER)),
)
rules.add_perm("expos.manage_programme", is_programme_manager)
