import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core.money import MoneyField
from startups.enums import Sector, Stage
from startups.models import Startup
from startups.selectors import EligibilityFacts

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

    # Foreign keys indexed by a composite index that leads with them (Meta) have no index of
    # their own: it would only cost writes.
    startup = models.ForeignKey(Startup, on_delete=models.PROTECT, related_name="letters", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="letters_written")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    requested_amount = MoneyField(
        _("requested amount"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    queue = models.ForeignKey(
        ReviewQueue, null=True, blank=True, on_delete=models.PROTECT, related_name="letters", db_index=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters_assigned",
        verbose_name=_("assignee"),
        db_index=False,
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
    # Taken when the letter is submitted (`record_submission`), so nothing the founders do
    # afterwards changes how it is judged or by whom:
    # the conflict-of-interest set, the startup's members then. None of them reviews or decides
    # it, whatever the membership list says later (nor does anyone who is a member now);
    conflicted_ids = models.JSONField(_("members when submitted"), default=list, blank=True, editable=False)
    # and the startup's facts then (startups.selectors.EligibilityFacts), which routing and the
    # eligibility checks read. Empty (registered: None) while it is a draft.
    submitted_sector = models.CharField(
        _("sector when submitted"), max_length=32, choices=Sector.choices, blank=True, editable=False
    )
    submitted_stage = models.CharField(
        _("stage when submitted"), max_length=16, choices=Stage.choices, blank=True, editable=False
    )
    submitted_stage_since = models.DateTimeField(
        _("at that stage since"), null=True, blank=True, editable=False
    )
    submitted_is_registered = models.BooleanField(
        _("registered when submitted"), null=True, blank=True, editable=False
    )
    submitted_registration_number = models.CharField(
        _("verified registration number when submitted"), max_length=64, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_amount = MoneyField(
        _("decided amount"), null=True, blank=True
    )
    recommended_amount = MoneyField(
        _("recommended amount"), null=True, blank=True,
        help_text=_("The amount the reviewer recommended; the approver's decision starts from it."),
    )
    reply_due_at = models.DateTimeField(
        _("reply due"), null=True, blank=True, help_text=_("When the founders' answer to a question is due.")
    )
    sla_paused_at = models.DateTimeField(
        _("SLA clock paused"), null=True, blank=True,
        help_text=_("Set while the reviewer waits for the founders: the SLA clock does not run."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="letter_assignee_due"),
            # The API's "letters I hold" list: one status, newest first (the cursor orders by -id).
            models.Index(fields=["assignee", "status", "id"], name="letter_assignee_status_id"),
            # The "my work" page: the open letters one holds, the most urgent first
            # (selectors.my_work's ordering, so a page is read straight off the index).
            models.Index(
                fields=["assignee", "due_at", "-priority", "id"],
                name="letter_assignee_open_work",
                condition=models.Q(status__in=["in_review", "info_requested", "pending_approval"]),
            ),
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

    def get_absolute_url(self):
        return reverse("letters:detail", args=[self.pk])

    # The fields `record_submission` sets.
    SUBMISSION_RECORD = (
        "conflicted_ids",
        "submitted_sector",
        "submitted_stage",
        "submitted_stage_since",
        "submitted_is_registered",
        "submitted_registration_number",
    )

    def record_submission(self, facts: EligibilityFacts, member_ids: Iterable[int]) -> tuple[str, ...]:
        """Write down (unsaved) what the letter is judged on and who may not judge it, as the
        letter is submitted. Returns the fields to save."""
        self.conflicted_ids = sorted(member_ids)
        self.submitted_sector = facts.sector
        self.submitted_stage = facts.stage
        self.submitted_stage_since = facts.stage_since
        self.submitted_is_registered = facts.is_registered
        self.submitted_registration_number = facts.registration_number
        return self.SUBMISSION_RECORD

    @property
    def submitted_facts(self) -> EligibilityFacts | None:
        """The startup's facts when the letter was submitted; None for a draft."""
        if self.submitted_is_registered is None:
            return None
        return EligibilityFacts(
            sector=self.submitted_sector,
            stage=self.submitted_stage,
            stage_since=self.submitted_stage_since,
            is_registered=self.submitted_is_registered,
            registration_number=self.submitted_registration_number,
        )


class LetterEvent(models.Model):
    """One line of a letter's timeline: every change of status, routing pick, message..."""

    letter = models.ForeignKey(  # indexed by event_letter_at, which leads with it
        Letter, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    # What staff read instead of `note` when it is set: the full explanation of a routing pick,
    # naming the rule, the other candidates and who was excluded. Founders read `note` alone.
    staff_note = models.TextField(_("note for staff"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["letter", "at"], name="event_letter_at")]

    def __str__(self):
        return f"{self.letter_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def note_for(self, user) -> str:
        """The note this reader may see: staff read the full explanation, founders the outcome."""
        if self.staff_note and getattr(user, "is_staff_member", False):
            return self.staff_note
        return self.note


def attachment_upload_to(instance, filename: str) -> str:
    """A random name under attachments/: the uploader's file name never reaches the disk."""
    suffix = PurePath(filename).suffix.lower()
    if not suffix[1:].isalnum() or len(suffix) > 6:
        suffix = ""
    return f"attachments/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A document attached to a letter (PDF, image, ODT, DOCX), served only to who may see it."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Message(models.Model):
    """One message of the thread between the letter's reviewer and its founders."""

    letter = models.ForeignKey(  # indexed by message_letter_at, which leads with it
        Letter, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["letter", "at"], name="message_letter_at")]

    def __str__(self):
        return f"{self.letter_id} {self.author_id} {self.at:%Y-%m-%d %H:%M}"


class LetterRevision(models.Model):
    """The letter as it was before a founder revised it in answer to a question."""

    # The (letter, number) unique constraint's index serves it.
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="revisions", db_index=False)
    number = models.PositiveIntegerField(_("number"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    requested_amount = MoneyField(
        _("requested amount"), null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["letter", "number"]
        verbose_name = _("letter revision")
        verbose_name_plural = _("letter revisions")
        constraints = [models.UniqueConstraint(fields=["letter", "number"], name="one_revision_number_per_letter")]

    def __str__(self):
        return f"{self.letter_id} r{self.number}"


# --- Routing: rule sets, rules, the holiday calendar, reviewers' idle time ------------------


class RuleSet(models.Model):
    """A numbered version of the routing rules: drafted, switched on, later retired.

    Exactly one rule set is active at a time (`ruleset_activate` swaps them in one transaction).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("routing rule set")
        verbose_name_plural = _("routing rule sets")
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="active"), name="one_active_ruleset")
        ]

    def __str__(self):
        return f"v{self.version} ({self.get_status_display()})"


class RoutingRule(models.Model):
    """Letters matching every condition set here go to `queue`; the lowest `order` wins.

    An empty condition matches anything; `keywords` is a comma-separated list of words, any of
    which found in the subject or body (case-insensitively) matches.
    """

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules", verbose_name=_("rule set"))
    order = models.PositiveIntegerField(_("order"))
    queue = models.ForeignKey(ReviewQueue, on_delete=models.PROTECT, related_name="rules", verbose_name=_("queue"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    min_amount = MoneyField(
        _("minimum amount"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    max_amount = MoneyField(
        _("maximum amount"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Comma-separated; any one matches."))

    class Meta:
        ordering = ["ruleset", "order"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "order"], name="one_rule_per_order"),
            models.CheckConstraint(
                condition=models.Q(min_amount__isnull=True)
                | models.Q(max_amount__isnull=True)
                | models.Q(min_amount__lte=models.F("max_amount")),
                name="rule_amount_range_ordered",
            ),
        ]

    def __str__(self):
        return f"v{self.ruleset.version} #{self.order} → {self.queue.name}"

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]


class Holiday(models.Model):
    """A day off in the SLA calendar: the clock does not run on it."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class ReviewerLoad(models.Model):
    """Routing's book of one reviewer: when they last got a letter (ties go to the longest idle).

    The router also locks these rows for the reviewers it may assign, so two routers never
    both hand out a reviewer's last free place.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="routing_load"
    )
    last_assigned_at = models.DateTimeField(_("last assigned"), null=True, blank=True)

    class Meta:
        verbose_name = _("reviewer load")
        verbose_name_plural = _("reviewer loads")

    def __str__(self):
        return f"{self.user_id} {self.last_assigned_at}"
