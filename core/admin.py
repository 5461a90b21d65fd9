"""The activity log in the Django admin: read-only (written by `core.activity` alone); and what
every app's admin shares."""

from django.contrib import admin

from .activity import record_activity
from .models import ActivityEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that only a service writes: they are shown, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityEntry)
class ActivityEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type", "at"]
    search_fields = ["target_repr", "actor__username"]
    list_select_related = ["actor", "target_type"]
    readonly_fields = ["at", "actor", "action", "target_type", "target_id", "target_repr", "changes"]
    date_hierarchy = "at"


def form_changes(form, *, change: bool) -> dict:
    """An admin form's changed fields as `{field: [old, new]}` (old is None on a creation)."""
    return {
        field: [form.initial.get(field) if change else None, form.cleaned_data.get(field)]
        for field in form.changed_data
        if field != "DELETE"
    }


class LogActivityMixin:
    """For a ModelAdmin that saves without a service: log the form's changed fields (old and
    new), the creation or the deletion in the activity log."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = form_changes(form, change=change)
        if changes or not change:
            record_activity(obj, "updated" if change else "created", by=request.user, changes=changes)

    def delete_model(self, request, obj):
        record_activity(obj, "deleted", by=request.user)
        super().delete_model(request, obj)
