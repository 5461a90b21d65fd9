from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from startups.models import Startup

from .enums import Category, EventKind, Status


class ReviewQueue(models.Model):
    """A department's review queue (a row, not a Celery queue)."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="queues")
    name = models.CharField(_("name"), max_length=200)
    sla_hours = models.PositiveIntegerField(_("SLA (working hours)"), validators=[MinValueValidator(1)])
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="review_queues", verbose_name=_("reviewers")
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_queues", verbose_name=_("supervisors")
    )
    reviewer_capacity = models.PositiveIntegerField(
        _("letters per reviewer"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("How many open letters one reviewer of this queue may hold at once."),
    )
    is_default = models.BooleanField(_("default queue"), default=False)

    class Meta:
        ordering = ["department__name", "name"]
        verbose_name = _("review queue")
        verbose_name_plural = _("review queues")
        constraints = [
            # At most one default queue; the services keep it at exactly one.
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="one_default_queue")
        ]

    def __str__(self):
        return f"{self.department.code}: {self.name}"


class Letter(models.Model):
    """A founder's petition letter to a department."""

    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="letters")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="letters_written")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    requested_amount = models.DecimalField(
        _("requested amount"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # The subsidy program asked for. A plain id on purpose: `applications` must not import the
    # apps that fulfil letters; the subsidy handler checks it.
    program_id = models.PositiveBigIntegerField(_("program"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    queue = models.ForeignKey(ReviewQueue, null=True, blank=True, on_delete=models.PROTECT, related_name="letters")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters_assigned",
        verbose_name=_("assignee"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters_reviewed",
        verbose_name=_("reviewed by"),
        help_text=_("The reviewer who recommended; never the one who decides."),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    is_overdue = models.BooleanField(_("overdue"), default=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_amount = models.DecimalField(
        _("decided amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="letter_assignee_due"),
            models.Index(fields=["queue", "status", "due_at"], name="letter_queue_due"),
            models.Index(fields=["status", "submitted_at"], name="letter_status_submitted"),
            models.Index(fields=["startup", "status"], name="letter_startup_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_amount__gte=0) | models.Q(requested_amount__isnull=True),
                name="letter_amount_not_negative",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject}"


class LetterEvent(models.Model):
    """One line of a letter's timeline: every change of status, routing pick, message..."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["letter", "at"], name="event_letter_at")]

    def __str__(self):
        return f"{self.letter_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
