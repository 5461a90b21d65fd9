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
