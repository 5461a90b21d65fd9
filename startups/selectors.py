"""Reads about startups, scoped to what the caller may see, and the facts other apps trust.

For the letters and subsidies: `member_ids` (who may not review a startup's letters),
`eligibility_facts` (what a submitted letter is judged on, to record with it),
`verified_registration_number` and `startups_sharing_registration` (the subsidy cap counts
every startup of one verified registration number together).
"""
from django.db.models import QuerySet

from .enums import InvitationStatus
from .models import Invitation, Membership, MonthlyReport, Startup, StartupEvent


def startups_visible_to(user) -> QuerySet[Startup]:
    """Founders see the startups they belong to (accepted memberships); the staff see all."""
    startups = Startup.objects.select_related("registered_verified_by").order_by("name", "id")
    if user.is_staff_member:
        return startups
    return startups.filter(memberships__user=user)


def memberships_of(startup) -> QuerySet[Membership]:
    """The startup's members: those who accepted (an open invitation is not a membership)."""
    return startup.memberships.select_related("user").order_by("joined_at", "id")


def member_ids(startup) -> set[int]:
    """The ids of the startup's members, e.g. to keep them from reviewing its letters.

    Take it when the letter is submitted and keep it with the letter: a member added or
    removed later does not change who may review that letter.
    """
    return set(Membership.objects.filter(startup_id=startup.pk).values_list("user_id", flat=True))


def open_invitations_of(startup) -> QuerySet[Invitation]:
    """The invitations the startup's owners sent that are not answered yet."""
    return startup.invitations.filter(status=InvitationStatus.INVITED).select_related("user", "invited_by")


def open_invitations_for(user) -> QuerySet[Invitation]:
    """The invitations waiting for `user`'s answer, newest first; nobody else sees them."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(user=user, status=InvitationStatus.INVITED).select_related(
        "startup", "user", "invited_by"
    )


def events_of(startup) -> QuerySet[StartupEvent]:
    """The startup's timeline, newest first."""
    return startup.events.select_related("actor", "member")


def reports_of(startup) -> QuerySet[MonthlyReport]:
    return startup.reports.order_by("-period")


def verified_registration_number(startup) -> str:
    """The registration number the staff verified, or "" while there is none."""
    return startup.registration_number if startup.is_registered else ""


def startups_sharing_registration(startup) -> QuerySet[Startup]:
    """Every registered startup with the same verified number, `startup` included; `startup`
    alone while it has no verified number.

    The subsidy cap applies to their awards together, e.g.
    `Award.objects.filter(startup__in=startups_sharing_registration(startup))`.
    """
    number = verified_registration_number(startup)
    if not number:
        return Startup.objects.filter(pk=startup.pk)
    return Startup.objects.filter(is_registered=True, registration_number=number)


def eligibility_facts(startup) -> dict:
    """What a letter is judged on, as JSON-ready values, to record with it when submitted.

    Keys: `registered` (bool), `registration_number` (the verified one, or ""),
    `registration_verified_at` (ISO 8601, or None), `registration_verified_by` (a username, or
    None), `stage`, `stage_since` (ISO 8601), `sector`. Reads no row beyond `startup` and its
    verifier (select_related("registered_verified_by") saves that query).
    """
    verifier = startup.registered_verified_by if startup.registered_verified_by_id else None
    verified_at = startup.registered_verified_at
    return {
        "registered": startup.is_registered,
        "registration_number": verified_registration_number(startup),
        "registration_verified_at": verified_at.isoformat() if verified_at else None,
        "registration_verified_by": verifier.get_username() if verifier else None,
        "stage": startup.stage,
        "stage_since": startup.stage_since.isoformat(),
        "sector": startup.sector,
    }

