from django.db.models import QuerySet

from .models import Membership, MonthlyReport, Startup


def startups_visible_to(user) -> QuerySet[Startup]:
    """Founders see the startups they belong to; the incubator's staff see all."""
    startups = Startup.objects.order_by("name", "id")
    if user.is_staff_member:
        return startups
    return startups.filter(memberships__user=user)


def memberships_of(startup) -> QuerySet[Membership]:
    return startup.memberships.select_related("user").order_by("joined_at", "id")


def reports_of(startup) -> QuerySet[MonthlyReport]:
    return startup.reports.order_by("-period")
