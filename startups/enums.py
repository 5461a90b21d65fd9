from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    REVENUE = "revenue", _("Revenue")
    PROFITABLE = "profitable", _("Profitable")


class Sector(models.TextChoices):
    SOFTWARE = "software", _("Software")
    HARDWARE = "hardware", _("Hardware")
    BIOTECH = "biotech", _("Biotechnology")
    FINTECH = "fintech", _("Financial technology")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    AGRICULTURE = "agriculture", _("Agriculture")
    ENERGY = "energy", _("Energy")
    CONTENT = "content", _("Content and media")
    OTHER = "other", _("Other")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EventKind(models.TextChoices):
    """What a startup's timeline records: the facts letters are judged on, and who belongs."""

    CREATED = "created", _("Created")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    SECTOR_CHANGED = "sector_changed", _("Sector changed")
    REGISTRATION_PROPOSED = "registration_proposed", _("Registration number proposed")
    REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
    REGISTRATION_REFUSED = "registration_refused", _("Registration number refused")
    REGISTRATION_REVOKED = "registration_revoked", _("Registration revoked")
    MEMBER_INVITED = "member_invited", _("Member invited")
    INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
    INVITATION_DECLINED = "invitation_declined", _("Invitation declined")
    MEMBER_JOINED = "member_joined", _("Member joined")
    MEMBER_REMOVED = "member_removed", _("Member removed")
