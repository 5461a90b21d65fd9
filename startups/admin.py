from django.contrib import admin

from .models import Invitation, Membership, MonthlyReport, Startup, StartupEvent

# The registration is verified through the startup's page (services.registration_confirm), which
# writes the timeline; the admin shows it but does not change it behind the timeline's back.
REGISTRATION_FIELDS = ["registration_number", "is_registered", "registered_verified_by", "registered_verified_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Startup)
class StartupAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "stage", "is_registered", "proposed_registration_number", "created_at"]
    list_filter = ["sector", "stage", "is_registered"]
    search_fields = ["name", "registration_number", "proposed_registration_number"]
    readonly_fields = [*REGISTRATION_FIELDS, "stage_since"]
    inlines = [MembershipInline]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["startup", "period", "revenue", "expenses", "filed_by"]
    list_filter = ["period"]
    search_fields = ["startup__name"]
    autocomplete_fields = ["startup"]
    raw_id_fields = ["filed_by"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["startup", "user", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["startup__name", "user__username"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["startup", "user", "status", "invited_by", "created_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["startup__name", "user__username"]
    raw_id_fields = ["startup", "user", "invited_by"]


@admin.register(StartupEvent)
class StartupEventAdmin(admin.ModelAdmin):
    """The timeline is a record: read, never edited."""

    list_display = ["startup", "kind", "actor", "member", "before", "after", "created_at"]
    list_filter = ["kind"]
    search_fields = ["startup__name", "actor__username"]
    list_select_related = ["startup", "actor", "member"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
