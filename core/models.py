"""The activity log: who changed which piece of configuration, when, from what to what.

Letters keep their own timeline (`applications.LetterEvent`); this log holds the admins' edits of
queues, rule sets, rules, holidays, programs, departments and users' roles, written by
`core.activity` and nothing else.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityEntry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("activity", "created")
        UPDATED = "updated", pgettext_lazy("activity", "updated")
        DELETED = "deleted", pgettext_lazy("activity", "deleted")
        ACTIVATED = "activated", pgettext_lazy("activity", "activated")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("target type")
    )
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=200)
    target = GenericForeignKey("target_type", "target_id")
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("activity entry")
        verbose_name_plural = _("activity log")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="core_activity_target"),
            models.Index(fields=["at"], name="core_activity_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_repr}"
