"""Django admin for the expos models. Decisions move only through the services (held, then
released), so a showcase's status and decision are read-only here."""

from django.contrib import admin

from .models import Expo, ExpoRequest, Hall, Showcase, ShowcaseReview


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0


@admin.register(Expo)
class ExpoAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "city", "starts_on", "ends_on", "applications_close_on"]
    list_filter = ["department", "city"]
    search_fields = ["name", "city", "venue"]
    readonly_fields = ["decisions_released_at", "created_at", "created_by"]
    inlines = [HallInline]


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["name", "expo", "capacity"]
    list_select_related = ["expo"]
    search_fields = ["name", "expo__name"]


class ReviewInline(admin.TabularInline):
    model = ShowcaseReview
    extra = 0
    readonly_fields = ["reviewer", "score", "comment", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Showcase)
class ShowcaseAdmin(admin.ModelAdmin):
    list_display = ["title", "startup", "expo", "sector", "status", "decision", "created_at"]
    list_filter = ["status", "decision", "sector", "expo"]
    list_select_related = ["startup", "expo"]
    search_fields = ["title", "startup__name"]
    raw_id_fields = ["startup", "letter"]
    readonly_fields = ["status", "decision", "decided_by", "decided_at", "created_at", "created_by"]
    inlines = [ReviewInline]


@admin.register(ShowcaseReview)
class ShowcaseReviewAdmin(admin.ModelAdmin):
    list_display = ["showcase", "reviewer", "score", "created_at"]
    list_select_related = ["showcase", "reviewer"]
    raw_id_fields = ["showcase", "reviewer"]


@admin.register(ExpoRequest)
class ExpoRequestAdmin(admin.ModelAdmin):
    list_display = ["letter", "expo", "title"]
    list_select_related = ["letter", "expo"]
    raw_id_fields = ["letter", "expo"]
