"""Reads of the expos domain, already scoped to what a user may see.

The status a founder sees is the showcase's `status` (held decisions are not in it); the
organisers see the held `decision` beside it.
"""

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Department

from .enums import Decision, ShowcaseStatus
from .models import Expo, Hall, Showcase


def expos_visible_to(user) -> QuerySet[Expo]:
    """Every signed-in user may read the expos (founders choose one to apply to)."""
    return Expo.objects.select_related("department").order_by("-starts_on", "name", "id")


def expos_managed_by(user) -> QuerySet[Expo]:
    """The expos the user organises: their department's, or all for an admin."""
    expos = expos_visible_to(user)
    if not user.is_authenticated:
        return expos.none()
    if user.has_role("admin"):
        return expos
    if user.has_role("expo_organiser") and user.department_id:
        return expos.filter(department_id=user.department_id)
    return expos.none()


def departments_for_new_expos(user) -> QuerySet[Department]:
    """The departments the user may create an expo for: their own, or any for an admin
    (expos.services.expo_create refuses the others)."""
    if user.is_authenticated and user.has_role("admin"):
        return Department.objects.order_by("name", "id")
    if user.is_authenticated and user.has_role("expo_organiser") and user.department_id:
        return Department.objects.filter(pk=user.department_id)
    return Department.objects.none()


def showcase_is_accepted_q() -> Q:
    """Accepted by the organisers, whether or not the decisions are released yet (they may be
    scheduled before founders are told), and not withdrawn since."""
    return Q(decision=Decision.ACCEPTED) & ~Q(status=ShowcaseStatus.WITHDRAWN)


def open_expos(*, today=None) -> QuerySet[Expo]:
    today = today or timezone.localdate()
    return Expo.objects.filter(applications_open_on__lte=today, applications_close_on__gte=today).order_by(
        "applications_close_on", "name"
    )


def halls_visible_to(user) -> QuerySet[Hall]:
    return Hall.objects.select_related("expo").order_by("expo_id", "name", "id")


def halls_managed_by(user) -> QuerySet[Hall]:
    """The halls of the expos the user organises."""
    return halls_visible_to(user).filter(expo__in=expos_managed_by(user).values("pk"))


def showcases_visible_to(user) -> QuerySet[Showcase]:
    """Founders see their startups' showcases; organisers those of the expos they manage
    (an admin: all). With each showcase's mean score and number of reviews."""
    showcases = Showcase.objects.select_related("expo", "startup").annotate(
        mean_score=Avg("reviews__score"), review_count=Count("reviews")
    )
    if not user.is_authenticated:
        return showcases.none()
    if user.has_role("admin"):
        return showcases
    condition = Q(startup__memberships__user=user)
    if user.has_role("expo_organiser") and user.department_id:
        condition |= Q(expo__department_id=user.department_id)
    return showcases.filter(pk__in=Showcase.objects.filter(condition).values("pk"))


def showcases_of_member(user) -> QuerySet[Showcase]:
    """The showcases of the user's own startups (the founder's page)."""
    if not user.is_authenticated:
        return Showcase.objects.none()
    return (
        Showcase.objects.select_related("expo", "startup")
        .filter(pk__in=Showcase.objects.filter(startup__memberships__user=user).values("pk"))
        .order_by("-created_at", "-id")
    )
