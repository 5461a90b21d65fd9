from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField

from .enums import MemberRole, Sector, Stage


class Startup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    description = models.TextField(_("description"), blank=True)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    is_registered = models.BooleanField(_("registered"), default=False)
    special_economic_zone = models.CharField(
        _("special economic zone"), max_length=200, blank=True, help_text=_("Empty when not in one.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="startups", verbose_name=_("members")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("startup")
        verbose_name_plural = _("startups")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~models.Q(registration_number=""),
                name="startup_registration_number_unique",
            )
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["startup", "user"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} @ {self.startup}"


class MonthlyReport(models.Model):
    """A startup's revenue and expenses for one month; `period` is the month's first day."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="reports")
    period = models.DateField(_("period"))
    revenue = MoneyField(_("revenue"), validators=[MinValueValidator(0)])
    expenses = MoneyField(_("expenses"), validators=[MinValueValidator(0)])
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed"), auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["startup", "period"], name="report_one_per_period"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="report_period_first_of_month"),
            models.CheckConstraint(
                condition=models.Q(revenue__gte=0, expenses__gte=0), name="report_amounts_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.startup} {self.period:%Y-%m}"

    @property
    def profit(self):
        return self.revenue - self.expenses

    @property
    def is_profitable(self) -> bool:
        return self.profit > 0
