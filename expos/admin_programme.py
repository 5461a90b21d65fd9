"""Django admin for the programme's models. Slots move through the pages or the API (the
service checks the grid); releases are history and read-only here."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Release, ReleasedSlot, ScheduleRun, ShowcaseOutcome, ShowcaseSlot


@admin.register(ShowcaseSlot)
class ShowcaseSlotAdmin(admin.ModelAdmin):
    list_display = ["showcase", "hall", "starts_at", "ends_at", "pinned"]
    list_filter = ["pinned", "hall__expo"]
    list_select_related = ["showcase", "hall"]
    raw_id_fields = ["showcase", "hall"]


class ReleasedSlotInline(admin.TabularInline):
    model = ReleasedSlot
    extra = 0
    can_delete = False
    fields = ["starts_at", "ends_at", "hall_name", "startup_name", "title"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["expo", "version", "released_at", "by"]
    list_filter = ["expo"]
    list_select_related = ["expo", "by"]
    inlines = [ReleasedSlotInline]


@admin.register(ReleasedSlot)
class ReleasedSlotAdmin(ReadOnlyAdmin):
    list_display = ["release", "starts_at", "hall_name", "startup_name", "title"]
    list_select_related = ["release"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = ["expo", "status", "progress", "placed", "objective", "bound", "created_at"]
    list_filter = ["status"]
    list_select_related = ["expo"]


@admin.register(ShowcaseOutcome)
class ShowcaseOutcomeAdmin(admin.ModelAdmin):
    list_display = ["showcase", "visitors", "meetings", "leads", "recorded_at"]
    list_select_related = ["showcase"]
    raw_id_fields = ["showcase"]
