"""Subsidy programs, their budget ledger, awards, tranches and the awards' timeline.

The money of a program, and the one definition every module keeps:

- `budget`     what the program may give in all (set by an admin);
- `committed`  the total currently committed to awards, INCLUDING what has already been paid:
               an award commits its amount; cancelling it, or a profit taper or stop, releases
               what is no longer owed (never the paid part);
- `disbursed`  what has been paid out so far;
- `available`  = budget - committed.

So 0 <= disbursed <= committed <= budget, held by CheckConstraints on the program row. The
row is a cache of the append-only ledger (`LedgerEntry`): committed = sum(commit) -
sum(release), disbursed = sum(pay), budget = the latest `budget` entry.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Letter
from core.money import MoneyField
from startups.enums import Sector, Stage
from startups.models import Startup

from .enums import AwardEventKind, AwardStatus, DisbursementStatus, LedgerKind, ProfitPolicy


class Program(models.Model):
    """A subsidy program with its budget, its rules of eligibility and its payment terms."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    budget = MoneyField(_("budget"), validators=[MinValueValidator(0)])
    max_award = MoneyField(_("maximum award"), validators=[MinValueValidator(0)])
    committed = MoneyField(_("committed"), default=0, editable=False)
    disbursed = MoneyField(_("disbursed"), default=0, editable=False)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    # Empty lists allow any stage / any sector; the values are startups.enums.Stage / Sector.
    eligible_stages = models.JSONField(_("eligible stages"), default=list, blank=True)
    eligible_sectors = models.JSONField(_("eligible sectors"), default=list, blank=True)
    registered_only = models.BooleanField(_("registered startups only"), default=False)
    tranches = models.PositiveSmallIntegerField(
        _("number of tranches"), default=1, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    tranche_spacing_months = models.PositiveSmallIntegerField(
        _("months between tranches"), default=1, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    profit_months = models.PositiveSmallIntegerField(
        _("profitable months before the policy applies"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    profit_policy = models.CharField(
        _("profit policy"), max_length=16, choices=ProfitPolicy.choices, default=ProfitPolicy.CONTINUE
    )
    taper_percent = models.DecimalField(
        _("taper (percent)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("How much of each remaining tranche is withdrawn under the taper policy."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "name"]
        verbose_name = _("subsidy program")
        verbose_name_plural = _("subsidy programs")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="program_budget_not_negative"),
            models.CheckConstraint(condition=Q(max_award__gt=0), name="program_max_award_positive"),
            models.CheckConstraint(condition=Q(disbursed__gte=0), name="program_disbursed_not_negative"),
            models.CheckConstraint(
                condition=Q(committed__gte=F("disbursed")), name="program_disbursed_within_committed"
            ),
            models.CheckConstraint(
                condition=Q(committed__lte=F("budget")), name="program_committed_within_budget"
            ),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="program_dates_in_order"),
            models.CheckConstraint(condition=Q(tranches__gte=1), name="program_tranches_at_least_one"),
            models.CheckConstraint(
                condition=Q(tranche_spacing_months__gte=1), name="program_tranche_spacing_positive"
            ),
            models.CheckConstraint(condition=Q(profit_months__gte=1), name="program_profit_months_positive"),
            models.CheckConstraint(
                condition=Q(taper_percent__gte=0, taper_percent__lte=100), name="program_taper_percent_range"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("subsidies:program_detail", args=[self.pk])

    @property
    def available(self):
        return self.budget - self.committed

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def stage_labels(self) -> list[str]:
        return [str(Stage(s).label) for s in self.eligible_stages if s in Stage.values]

    @property
    def sector_labels(self) -> list[str]:
        return [str(Sector(s).label) for s in self.eligible_sectors if s in Sector.values]


class SubsidyRequest(models.Model):
    """What a subsidy letter asks of: the program (the amount is the letter's own
    `requested_amount`, which routing and the approval limits read)."""

    letter = models.OneToOneField(
        Letter, on_delete=models.CASCADE, primary_key=True, related_name="subsidy_request"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="requests")

    class Meta:
        verbose_name = _("subsidy request")
        verbose_name_plural = _("subsidy requests")

    def __str__(self):
        return f"{self.letter_id}: {self.program_id}"


class Award(models.Model):
    """What an approved subsidy letter granted: an amount from a program, paid in tranches.

    `amount` is what was granted; `released` what was later given back to the budget (a
    cancellation, a profit taper or stop). The tranches that are not cancelled always add up to
    amount - released.
    """

    letter = models.OneToOneField(
        Letter, on_delete=models.PROTECT, related_name="award", verbose_name=_("letter")
    )
    # Indexed by award_program_status and award_startup_created, which lead with them.
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="awards", verbose_name=_("program"), db_index=False
    )
    startup = models.ForeignKey(
        Startup, on_delete=models.PROTECT, related_name="awards", verbose_name=_("startup"), db_index=False
    )
    amount = MoneyField(_("amount granted"))
    released = MoneyField(_("released"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("awarded"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("approved by")
    )
    # The profit policy is applied once; the beat task's watermark of reports already seen.
    profit_applied_at = models.DateTimeField(_("profit policy applied"), null=True, blank=True)
    profit_checked_at = models.DateTimeField(_("profit last checked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        indexes = [
            models.Index(fields=["startup", "created_at"], name="award_startup_created"),
            models.Index(fields=["program", "status"], name="award_program_status"),
            models.Index(fields=["status", "profit_checked_at"], name="award_status_profit_check"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=Q(released__gte=0, released__lte=F("amount")), name="award_released_within_amount"
            ),
        ]

    def __str__(self):
        return f"{self.startup} / {self.program}: {self.amount}"

    @property
    def owed(self):
        """What the startup is to receive in all, after any release."""
        return self.amount - self.released


class Disbursement(models.Model):
    """One tranche of an award."""

    award = models.ForeignKey(  # indexed by the (award, number) unique constraint
        Award, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("award"), db_index=False
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"))
    status = models.CharField(
        _("status"), max_length=16, choices=DisbursementStatus.choices, default=DisbursementStatus.SCHEDULED
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["award", "number"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        indexes = [models.Index(fields=["status", "due_on"], name="disbursement_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="disbursement_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(
                condition=Q(status=DisbursementStatus.PAID, paid_at__isnull=False)
                | (~Q(status=DisbursementStatus.PAID) & Q(paid_at__isnull=True)),
                name="disbursement_paid_at_iff_paid",
            ),
        ]

    def __str__(self):
        return f"{self.award_id}#{self.number} {self.amount} {self.due_on}"

    def is_overdue_on(self, day) -> bool:
        return self.status == DisbursementStatus.SCHEDULED and self.due_on < day


class LedgerEntry(models.Model):
    """One append-only line of a program's budget ledger. Never updated, never deleted."""

    program = models.ForeignKey(  # indexed by ledger_program_at
        Program, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("program"), db_index=False
    )
    award = models.ForeignKey(
        Award, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("award")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LedgerKind.choices)
    amount = MoneyField(_("amount"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["program", "at"], name="ledger_program_at")]
        constraints = [
            # A budget may be set to zero; a movement of money is always positive.
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(kind=LedgerKind.BUDGET, amount__gte=0),
                name="ledger_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(kind=LedgerKind.BUDGET) | Q(award__isnull=False), name="ledger_movement_has_award"
            ),
        ]

    def __str__(self):
        return f"{self.program_id} {self.kind} {self.amount}"


class AwardEvent(models.Model):
    """One line of an award's timeline."""

    award = models.ForeignKey(  # indexed by award_event_award_at
        Award, on_delete=models.CASCADE, related_name="events", verbose_name=_("award"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AwardEventKind.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("award event")
        verbose_name_plural = _("award events")
        indexes = [models.Index(fields=["award", "at"], name="award_event_award_at")]

    def __str__(self):
        return f"{self.award_id} {self.kind} {self.at:%Y-%m-%d}"
