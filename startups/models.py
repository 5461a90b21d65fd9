"""Startups, their members and invitations, their timeline and their monthly reports.

Trust: a `Membership` row exists only for someone who accepted an invitation, so every query
that reads memberships (here, in applications and in subsidies) counts accepted members alone;
an open invitation is an `Invitation`. The registration facts (`is_registered`,
`registration_number`) are set only by the staff's verification (`services.registration_confirm`);
founders write `proposed_registration_number`.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField

from .enums import EventKind, InvitationStatus, MemberRole, Sector, Stage


class Startup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.IDEA)
    description = models.TextField(_("description"), blank=True)
    stage_since = models.DateTimeField(_("at this stage since"), default=timezone.now)
    # Verified by the staff: several startups of one company may share a number, and the
    # subsidy cap counts them together (selectors.startups_sharing_registration).
    registration_number = models.CharField(
        _("verified registration number"), max_length=64, blank=True, db_index=True
    )
    is_registered = models.BooleanField(_("registered"), default=False)
    registered_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registration verified by"),
    )
    registered_verified_at = models.DateTimeField(_("registration verified"), null=True, blank=True)
    proposed_registration_number = models.CharField(
        _("proposed registration number"),
        max_length=64,
        blank=True,
        help_text=_("The incubator's staff check it before the startup counts as registered."),
    )
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
            models.CheckConstraint(
                condition=models.Q(is_registered=False)
                | (~models.Q(registration_number="") & models.Q(registered_verified_at__isnull=False)),
                name="startup_registered_means_verified",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def registration_pending(self) -> bool:
        return bool(self.proposed_registration_number)


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

    def clean(self):
        # The admin's forms: a member is never excluded from reviewing by being staff.
        if self.user_id and self.user.is_staff_member:
            raise ValidationError({"user": _("Staff accounts cannot be members of a startup.")})


class Invitation(models.Model):
    """An owner's invitation to join a startup; the membership exists once it is accepted."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="startup_invitations"
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["startup", "user"],
                condition=models.Q(status=InvitationStatus.INVITED),
                name="invitation_one_open_per_person",
            )
        ]
        indexes = [models.Index(fields=["user", "status"], name="invitation_user_status")]

    def __str__(self):
        return f"{self.user} -> {self.startup} ({self.status})"

    @property
    def role(self) -> str:
        return MemberRole.MEMBER


class StartupEvent(models.Model):
    """One line of a startup's timeline: who did what, when, and what changed from and to."""

    startup = models.ForeignKey(Startup, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
        help_text=_("The person a membership event is about."),
    )
    before = models.CharField(_("from"), max_length=200, blank=True)
    after = models.CharField(_("to"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("startup event")
        verbose_name_plural = _("startup events")
        indexes = [models.Index(fields=["startup", "-created_at"], name="startupevent_startup_time")]

    def __str__(self):
        return f"{self.startup} {self.kind}"

    def _label(self, value: str) -> str:
        choices = {
            EventKind.CREATED: Stage,
            EventKind.STAGE_CHANGED: Stage,
            EventKind.SECTOR_CHANGED: Sector,
        }.get(self.kind)
        if choices is not None and value in choices.values:
            return str(choices(value).label)
        return value

    @property
    def summary(self) -> str:
        """The event as a sentence for the timeline."""
        values = {
            "before": self._label(self.before),
            "after": self._label(self.after),
            "member": self.member.get_username() if self.member_id else "",
        }
        return str(_EVENT_SENTENCES[self.kind]) % values


_EVENT_SENTENCES = {
    EventKind.CREATED: _("Registered the startup on the platform at the %(after)s stage."),
    EventKind.STAGE_CHANGED: _("Stage changed from %(before)s to %(after)s."),
    EventKind.SECTOR_CHANGED: _("Sector changed from %(before)s to %(after)s."),
    EventKind.REGISTRATION_PROPOSED: _("Proposed the registration number %(after)s for verification."),
    EventKind.REGISTRATION_CONFIRMED: _("Verified the registration number %(after)s."),
    EventKind.REGISTRATION_REFUSED: _("Refused the proposed registration number %(before)s."),
    EventKind.REGISTRATION_REVOKED: _("Revoked the verified registration number %(before)s."),
    EventKind.MEMBER_INVITED: _("Invited %(member)s to join."),
    EventKind.INVITATION_WITHDRAWN: _("Withdrew the invitation of %(member)s."),
    EventKind.INVITATION_DECLINED: _("%(member)s declined the invitation."),
    EventKind.MEMBER_JOINED: _("%(member)s accepted the invitation and joined."),
    EventKind.MEMBER_REMOVED: _("Removed %(member)s from the members."),
}


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
