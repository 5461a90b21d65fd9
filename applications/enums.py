"""Letter categories, statuses and the one table of allowed status changes."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    SPACE = "space", _("Coworking space")
    EXPO = "expo", _("Expo showcase")
    REGISTRATION = "registration", _("Registration")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    QUEUED = "queued", _("Queued")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = Status

# Every allowed change of status. A move not listed here is refused with a 409.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.QUEUED, S.IN_REVIEW, S.WITHDRAWN}),
    # queued <-> in_review: a claim or an assignment, and back when the reviewer is deactivated.
    S.QUEUED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.IN_REVIEW: frozenset({S.QUEUED, S.INFO_REQUESTED, S.PENDING_APPROVAL, S.REJECTED, S.WITHDRAWN}),
    S.INFO_REQUESTED: frozenset({S.IN_REVIEW, S.WITHDRAWN}),
    S.PENDING_APPROVAL: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

TERMINAL = frozenset(status for status, targets in TRANSITIONS.items() if not targets)
# Statuses in which a reviewer or approver holds the letter and its SLA clock runs.
OPEN_FOR_REVIEW = frozenset({S.SUBMITTED, S.QUEUED, S.IN_REVIEW, S.PENDING_APPROVAL})


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    STATUS = "status", _("Status changed")
    ROUTED = "routed", _("Routed")
    ASSIGNED = "assigned", _("Assigned")
    MESSAGE = "message", _("Message")
    RECOMMENDATION = "recommendation", _("Recommendation")
    DECISION = "decision", _("Decision")
    ESCALATED = "escalated", _("Escalated")
    SLA_WARNING = "sla_warning", _("SLA warning")
    FULFILMENT = "fulfilment", _("Fulfilment")
