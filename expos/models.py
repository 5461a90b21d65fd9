"""Expos, their halls, the showcase applications and their reviews.

An organiser's decision on a showcase is held (`Showcase.decision`) until the expo's decisions
are released (`Expo.decisions_released_at`); only then does the showcase's `status` become
`accepted` or `rejected`, the status founders see.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from applications.models import Letter
from core.money import MoneyField
from startups.enums import Sector, Stage
from startups.models import Startup

from .enums import Decision, ShowcaseStatus


class Expo(models.Model):
    """A domestic expo held by a department: its days, application window and slot grid."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="expos", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    venue = models.CharField(_("venue"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    applications_open_on = models.DateField(_("applications open on"))
    applications_close_on = models.DateField(_("applications close on"))
    day_starts_at = models.TimeField(_("daily opening time"))
    day_ends_at = models.TimeField(_("daily closing time"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    slot_value = MoneyField(
        _("value of one slot"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("What one showcase slot is worth as public support in kind."),
    )
    registered_only = models.BooleanField(_("registered startups only"), default=False)
    min_stage = models.CharField(_("minimum stage"), max_length=16, choices=Stage.choices, blank=True)
    decisions_released_at = models.DateTimeField(_("decisions released"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("expo")
        verbose_name_plural = _("expos")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="expo_days_in_order"),
            models.CheckConstraint(
                condition=Q(applications_close_on__gte=F("applications_open_on")),
                name="expo_window_in_order",
            ),
            models.CheckConstraint(condition=Q(day_ends_at__gt=F("day_starts_at")), name="expo_hours_in_order"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="expo_slot_minutes_positive"),
            models.CheckConstraint(condition=Q(slot_value__gte=0), name="expo_slot_value_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("expos:expo_detail", args=[self.pk])

    def is_open_on(self, day) -> bool:
        return self.applications_open_on <= day <= self.applications_close_on

    @property
    def is_open(self) -> bool:
        return self.is_open_on(timezone.localdate())

    @property
    def days(self) -> list:
        """Every day of the expo, in order."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=n) for n in range(count)]


class Hall(models.Model):
    """A hall of an expo: how many showcases it holds at once and what it offers."""

    expo = models.ForeignKey(Expo, on_delete=models.CASCADE, related_name="halls", verbose_name=_("expo"))
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity"), default=1, validators=[MinValueValidator(1)])
    # Strings such as "power", "water", "large_screen".
    features = models.JSONField(_("features"), default=list, blank=True)

    class Meta:
        ordering = ["expo", "name"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        constraints = [
            models.UniqueConstraint(fields=["expo", "name"], name="hall_name_unique_per_expo"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="hall_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.expo} / {self.name}"


class Showcase(models.Model):
    """A startup's application to show its work at an expo."""

    expo = models.ForeignKey(Expo, on_delete=models.PROTECT, related_name="showcases", verbose_name=_("expo"))
    startup = models.ForeignKey(
        Startup, on_delete=models.PROTECT, related_name="showcases", verbose_name=_("startup")
    )
    letter = models.OneToOneField(
        Letter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="showcase",
        verbose_name=_("letter"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    needs = models.JSONField(_("needs"), default=list, blank=True)
    # ISO dates; empty means every day of the expo.
    available_days = models.JSONField(_("available days"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ShowcaseStatus.choices, default=ShowcaseStatus.SUBMITTED
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("showcase")
        verbose_name_plural = _("showcases")
        indexes = [models.Index(fields=["expo", "status"], name="showcase_expo_status")]
        constraints = [
            models.UniqueConstraint(fields=["expo", "startup"], name="showcase_one_per_startup_and_expo"),
        ]

    def __str__(self):
        return f"{self.startup} / {self.expo}: {self.title}"


class ShowcaseReview(models.Model):
    """One organiser's score of a showcase (one per reviewer; a second review replaces it)."""

    showcase = models.ForeignKey(
        Showcase, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("showcase")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewer")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("showcase review")
        verbose_name_plural = _("showcase reviews")
        constraints = [
            models.UniqueConstraint(fields=["showcase", "reviewer"], name="showcase_review_one_per_reviewer"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="showcase_review_score_range"),
        ]

    def __str__(self):
        return f"{self.showcase_id}: {self.score}"


class ExpoRequest(models.Model):
    """What an `expo` letter asks for: a showcase at an expo (created when it is approved)."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, primary_key=True, related_name="expo_request")
    expo = models.ForeignKey(Expo, on_delete=models.PROTECT, related_name="requests", verbose_name=_("expo"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("expo request")
        verbose_name_plural = _("expo requests")

    def __str__(self):
        return f"{self.letter_id}: {self.expo_id}"


# --- The programme: slots, scheduler runs, releases, outcomes ------------------------------------


class ShowcaseSlot(models.Model):
    """Where an accepted showcase stands in the working schedule (organisers only; the public
    sees releases). One showcase, one slot; no hall holds two showcases at one time."""

    showcase = models.OneToOneField(Showcase, on_delete=models.CASCADE, related_name="slot")
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("A re-run of the scheduler keeps it."))

    class Meta:
        ordering = ["starts_at", "hall_id", "id"]
        verbose_name = _("showcase slot")
        verbose_name_plural = _("showcase slots")
        constraints = [
            models.UniqueConstraint(fields=["hall", "starts_at"], name="showcase_slot_hall_time_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="showcase_slot_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.showcase_id} @ {self.hall_id} {self.starts_at:%Y-%m-%d %H:%M}"


class ScheduleRun(models.Model):
    """One run of the scheduler in the background, with its progress for the page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    expo = models.ForeignKey(Expo, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    placed = models.PositiveIntegerField(_("placed"), null=True, blank=True)
    unplaced = models.JSONField(_("unplaced showcases"), default=list, blank=True)
    objective = models.BigIntegerField(_("objective"), null=True, blank=True)
    bound = models.BigIntegerField(_("bound"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")

    def __str__(self):
        return f"{self.expo_id} #{self.pk} {self.status}"


class Release(models.Model):
    """A version of the public programme: the slots as they stood, frozen, and what changed."""

    expo = models.ForeignKey(Expo, on_delete=models.CASCADE, related_name="releases")
    version = models.PositiveIntegerField(_("version"))
    comment = models.TextField(_("comment"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    released_at = models.DateTimeField(_("released"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["expo_id", "-version"]
        verbose_name = _("programme release")
        verbose_name_plural = _("programme releases")
        constraints = [models.UniqueConstraint(fields=["expo", "version"], name="release_expo_version_unique")]

    def __str__(self):
        return f"{self.expo_id} v{self.version}"


class ReleasedSlot(models.Model):
    """One slot of a release, copied as it was released (later edits do not change it)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="slots")
    showcase = models.ForeignKey(Showcase, null=True, on_delete=models.SET_NULL, related_name="released_slots")
    startup = models.ForeignKey(Startup, null=True, on_delete=models.SET_NULL, related_name="released_showcase_slots")
    hall_name = models.CharField(_("hall"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=300)
    startup_name = models.CharField(_("startup"), max_length=300)

    class Meta:
        ordering = ["release_id", "starts_at", "hall_name", "id"]
        verbose_name = _("released slot")
        verbose_name_plural = _("released slots")
        indexes = [models.Index(fields=["startup", "release"], name="released_slot_startup_idx")]

    def __str__(self):
        return f"{self.release_id}: {self.startup_name} {self.starts_at:%Y-%m-%d %H:%M}"


class ShowcaseOutcome(models.Model):
    """What a showcase brought, recorded by its founders after the expo."""

    showcase = models.OneToOneField(Showcase, on_delete=models.CASCADE, related_name="outcome")
    visitors = models.PositiveIntegerField(_("visitors"))
    meetings = models.PositiveIntegerField(_("meetings"))
    leads = models.PositiveIntegerField(_("leads"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("showcase outcome")
        verbose_name_plural = _("showcase outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(visitors__gte=0, meetings__gte=0, leads__gte=0), name="showcase_outcome_not_negative"
            )
        ]

    def __str__(self):
        return f"{self.showcase_id}: {self.visitors}/{self.meetings}/{self.leads}"
