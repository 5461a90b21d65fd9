from django.contrib import admin

from .models import Allocation, AllocationRun, Site, SpaceAsk, SpaceRequest, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "kind", "seats", "monthly_price", "hourly_price", "floor", "x", "y", "width", "height"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "funding", "state_share", "special_economic_zone"]
    list_filter = ["funding", "special_economic_zone", "department"]
    search_fields = ["name", "address"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "site", "kind", "seats", "monthly_price", "hourly_price", "floor"]
    list_filter = ["kind", "site"]
    list_select_related = ["site"]
    search_fields = ["name", "site__name"]


@admin.register(SpaceAsk)
class SpaceAskAdmin(admin.ModelAdmin):
    list_display = ["letter", "kind", "seats", "starts_on", "ends_on", "site"]
    list_filter = ["kind"]
    raw_id_fields = ["letter"]


@admin.register(SpaceRequest)
class SpaceRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "startup", "kind", "seats", "starts_on", "ends_on", "status", "offer_unit", "offer_expires_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["startup", "offer_unit", "offer_unit__site"]
    raw_id_fields = ["letter", "startup", "offer_unit"]
    search_fields = ["startup__name"]


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ["id", "site", "status", "objective", "bound", "baseline_objective", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["assignments", "unassigned", "objective", "bound", "baseline_objective", "seconds"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["unit", "startup", "starts_on", "ends_on", "ended_early"]
    list_filter = ["ended_early", "unit__site"]
    list_select_related = ["unit", "unit__site", "startup"]
    raw_id_fields = ["unit", "startup", "request"]
    search_fields = ["startup__name", "unit__name"]
