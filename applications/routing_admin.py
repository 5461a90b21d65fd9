"""Admin for routing: review queues, rule sets with their rules, the holiday calendar.

Loaded from applications/admin.py. Saving goes through the routing services, so the admin
keeps the same rules as the API (exactly one default queue, reviewers must be reviewers, one
active rule set, a retired rule set is frozen).
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.activity import record_activity
from core.admin import LogActivityMixin, form_changes
from core.exceptions import DomainError

from . import routing_rules  # noqa: F401  (registers the perms)
from .models import Holiday, ReviewerLoad, ReviewQueue, RoutingRule, RuleSet
from .services import router, rulesets


@admin.register(ReviewQueue)
class ReviewQueueAdmin(LogActivityMixin, admin.ModelAdmin):
    list_display = ["name", "department", "sla_hours", "reviewer_capacity", "is_default"]
    list_filter = ["department", "is_default"]
    search_fields = ["name", "department__name"]
    filter_horizontal = ["reviewers", "supervisors"]
    list_select_related = ["department"]

    def save_model(self, request, obj, form, change):
        # Making this queue the default unsets the previous one in the same transaction.
        if obj.is_default:
            with transaction.atomic():
                ReviewQueue.objects.filter(is_default=True).exclude(pk=obj.pk).update(is_default=False)
                super().save_model(request, obj, form, change)
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # New reviewers or a larger capacity may free places for queued letters.
        router.nudge_router()


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 0
    fields = ["order", "queue", "category", "min_amount", "max_amount", "sector", "keywords"]
    ordering = ["order"]

    def _editable(self, obj):
        return obj is None or obj.status != RuleSet.State.RETIRED

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "status", "note", "created_by", "created_at", "activated_at"]
    list_filter = ["status"]
    readonly_fields = ["version", "status", "created_by", "created_at", "activated_at"]
    fields = ["version", "status", "note", "created_by", "created_at", "activated_at"]
    inlines = [RoutingRuleInline]
    actions = ["activate"]

    def save_model(self, request, obj, form, change):
        if not change:
            draft = rulesets.ruleset_create(note=obj.note, copy_active=False, by=request.user)
            obj.pk, obj.version, obj.status, obj.created_by = (
                draft.pk,
                draft.version,
                draft.status,
                draft.created_by,
            )
            obj.created_at = draft.created_at
            obj._state.adding = False
        else:
            changes = form_changes(form, change=True)
            obj.save(update_fields=["note"])
            if changes:
                record_activity(obj, "updated", by=request.user, changes=changes)

    def save_formset(self, request, form, formset, change):
        # Rules edited inline are logged as the API's rule services log them: each rule created,
        # changed or deleted, with its changed fields.
        deleted = [inline.instance for inline in formset.deleted_forms if inline.instance.pk]
        for rule in deleted:
            record_activity(rule, "deleted", by=request.user)
        edited = [
            (inline, inline.instance.pk is not None)
            for inline in formset.forms
            if inline.has_changed() and inline not in formset.deleted_forms
        ]
        super().save_formset(request, form, formset, change)
        for inline, existed in edited:
            action = "updated" if existed else "created"
            record_activity(inline.instance, action, by=request.user, changes=form_changes(inline, change=existed))

    @admin.action(description=_("Switch the selected draft on (retires the active rule set)"))
    def activate(self, request, queryset):
        done = 0
        for ruleset in queryset.order_by("version"):
            try:
                rulesets.ruleset_activate(ruleset=ruleset, by=request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"v{ruleset.version}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(
                request,
                ngettext("%(n)d rule set switched on.", "%(n)d rule sets switched on.", done) % {"n": done},
            )


@admin.register(Holiday)
class HolidayAdmin(LogActivityMixin, admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(ReviewerLoad)
class ReviewerLoadAdmin(admin.ModelAdmin):
    list_display = ["user", "last_assigned_at"]
    readonly_fields = ["user", "last_assigned_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False
