"""Choices of the subsidies domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfitPolicy(models.TextChoices):
    """What happens to an award's unpaid tranches once the startup has turned a profit."""

    CONTINUE = "continue", _("Continue: pay every tranche")
    TAPER = "taper", _("Taper the remaining tranches by a percentage")
    STOP = "stop", _("Stop: cancel the remaining tranches")


class LedgerKind(models.TextChoices):
    BUDGET = "budget", _("Budget set")
    COMMIT = "commit", _("Commitment")
    RELEASE = "release", _("Release")
    PAY = "pay", _("Payment")


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    STOPPED = "stopped", _("Stopped")


class DisbursementStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class AwardEventKind(models.TextChoices):
    CREATED = "created", _("Awarded")
    PAID = "paid", _("Tranche paid")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    PROFIT_CONTINUE = "profit_continue", _("Profitable: tranches continue")
    TAPERED = "tapered", _("Profitable: tranches tapered")
    STOPPED = "stopped", _("Profitable: tranches stopped")
