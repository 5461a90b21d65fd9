"""Reads about startups, scoped to what the caller may see, and the facts other apps trust.

For the letters and subsidies: `member_ids` (who may not review a startup's letters),
`eligibility_facts` (what a submitted letter is judged on, to record with it),
`verified_registration_number` and `startups_sharing_registration` (the subsidy cap counts
every startup of one verified registration number together).
"""
import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from .enums import InvitationStatus, Sector, Stage
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


@dataclass(frozen=True)
class EligibilityFacts:
    """What a letter is judged on: the startup's declared sector and stage and its verified
    registration. A submitted letter records them (`Letter.submitted_facts`); the eligibility
    checks and routing read that record, never the startup as it is later."""

    sector: str
    stage: str
    stage_since: datetime.datetime
    is_registered: bool
    registration_number: str  # the verified one, "" while there is none

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector in Sector.values else self.sector

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage in Stage.values else self.stage


def eligibility_facts(startup) -> EligibilityFacts:
    """The startup's facts as they stand: what a letter submitted now is judged on. Reads no
    row beyond `startup`."""
    return EligibilityFacts(
        sector=startup.sector,
        stage=startup.stage,
        stage_since=startup.stage_since,
        is_registered=startup.is_registered,
        registration_number=verified_registration_number(startup),
    )
