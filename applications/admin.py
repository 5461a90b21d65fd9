"""Admin for letters, their timeline, thread and attachments.

A letter's status and the fields the state machine keeps are read-only here: a status changes
only through the services (and so always with its timeline event). Routing's models have their
admin in routing_admin.py.
"""


from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Attachment, Letter, LetterEvent, LetterRevision, Message


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LetterEventInline(ReadOnlyInline):
    model = LetterEvent
    fields = ["at", "actor", "kind", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name_plural = _("timeline")


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["at", "author", "body"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class LetterRevisionInline(ReadOnlyInline):
    model = LetterRevision
    fields = ["number", "at", "created_by", "reason", "subject", "requested_amount"]
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "subject",
        "startup",
        "category",
        "status",
        "queue",
        "assignee",
        "due_at",
        "is_overdue",
    ]
    list_filter = ["status", "category", "is_overdue", "queue__department", "queue"]
    search_fields = ["subject", "body", "startup__name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["startup", "queue__department", "assignee"]
    # Only the priority is an administrator's to set; everything else moves through the services.
    readonly_fields = [
        "startup",
        "author",
        "category",
        "subject",
        "body",
        "requested_amount",
        "status",
        "queue",
        "assignee",
        "reviewed_by",
        "is_overdue",
        "due_at",
        "sla_paused_at",
        "reply_due_at",
        "submitted_at",
        "decided_at",
        "recommended_amount",
        "decided_amount",
        "created_at",
        "updated_at",
        *Letter.SUBMISSION_RECORD,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "startup",
                    "author",
                    "category",
                    "subject",
                    "body",
                    "requested_amount",
                ]
            },
        ),
        (_("Review"), {"fields": ["status", "queue", "assignee", "reviewed_by", "priority", "is_overdue"]}),
        (
            _("Dates and amounts"),
            {
                "fields": [
                    "submitted_at",
                    "due_at",
                    "sla_paused_at",
                    "reply_due_at",
                    "decided_at",
                    "recommended_amount",
                    "decided_amount",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (_("Judged on (recorded when submitted)"), {"fields": list(Letter.SUBMISSION_RECORD)}),
    ]
    inlines = [LetterEventInline, MessageInline, AttachmentInline, LetterRevisionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "letter", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "letter__subject"]
    raw_id_fields = ["letter", "uploaded_by"]
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["letter", "author", "at"]
    search_fields = ["body", "letter__subject", "author__username"]
    raw_id_fields = ["letter", "author"]
    readonly_fields = ["letter", "author", "body", "at"]

    def has_add_permission(self, request):
        return False


# Routing's models (queues, rule sets, rules, holidays) have their admin in routing_admin.py;
# Django only discovers admin.py, so it is loaded from here.
from . import routing_admin  # noqa: E402, F401
