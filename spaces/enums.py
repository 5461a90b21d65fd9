"""Choices of the coworking-spaces domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Funding(models.TextChoices):
    """Who pays for a site's space."""

    STATE = "state", _("The state pays all")
    COMPANY = "company", _("The startup pays all")
    SHARED = "shared", _("Shared between the state and the startup")


class UnitKind(models.TextChoices):
    DESK = "desk", _("Desk")
    OFFICE = "office", _("Office")
    MEETING_ROOM = "meeting_room", _("Meeting room")


class AskKind(models.TextChoices):
    """What a space letter may ask for (meeting rooms are booked, not allocated)."""

    DESK = "desk", _("Desk")
    OFFICE = "office", _("Office")


class RequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered")
    ALLOCATED = "allocated", _("Allocated")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    FAILED = "failed", _("Failed")


#: Monday = 0 ... Sunday = 6 (Python's `date.weekday()`).
WEEKDAYS = [0, 1, 2, 3, 4]
