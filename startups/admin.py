from django.contrib import admin

from .models import Membership, MonthlyReport, Startup


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Startup)
class StartupAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "stage", "is_registered", "created_at"]
    list_filter = ["sector", "stage", "is_registered"]
    search_fields = ["name", "registration_number"]
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
