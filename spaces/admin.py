from django.contrib import admin
from django.db import transaction

from core.admin import ReadOnlyAdmin

from . import week_cache
from .models import Allocation, AllocationRun, RoomBooking, Site, SpaceAsk, SpaceCharge, SpaceRequest, Unit


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

    def save_related(self, request, form, formsets, change):
        """The site's units (the inline) are its week calendars' rooms: drawn afresh."""
        super().save_related(request, form, formsets, change)
        week_cache.forget_weeks([form.instance.pk])


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """A unit changed here is drawn afresh in its site's week calendars, as by the service."""

    list_display = ["name", "site", "kind", "seats", "monthly_price", "hourly_price", "floor"]
    list_filter = ["kind", "site"]
    list_select_related = ["site"]
    search_fields = ["name", "site__name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A unit moved to another site leaves the old one's calendars too.
        week_cache.forget_weeks({obj.site_id, form.initial.get("site", obj.site_id)})

    def delete_model(self, request, obj):
        week_cache.forget_weeks([obj.site_id])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The list's delete action runs outside a transaction: in one, the sites' calendars are
        # forgotten once the delete commits, not before it.
        with transaction.atomic():
            week_cache.forget_weeks(queryset.values_list("site_id", flat=True))
            super().delete_queryset(request, queryset)


@admin.register(SpaceAsk)
class SpaceAskAdmin(admin.ModelAdmin):
    list_display = ["letter", "kind", "seats", "starts_on", "ends_on", "site"]
    list_filter = ["kind"]
    list_select_related = ["letter", "site"]
    raw_id_fields = ["letter", "site"]
    search_fields = ["letter__subject"]


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
    list_filter = ["status", "site"]
    list_select_related = ["site"]
    raw_id_fields = ["site", "created_by"]
    readonly_fields = ["assignments", "unassigned", "objective", "bound", "baseline_objective", "seconds"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["unit", "startup", "starts_on", "ends_on", "ended_early"]
    list_filter = ["ended_early", "unit__site"]
    list_select_related = ["unit", "unit__site", "startup"]
    raw_id_fields = ["unit", "startup", "request", "created_by"]
    search_fields = ["startup__name", "unit__name"]


@admin.register(RoomBooking)
class RoomBookingAdmin(ReadOnlyAdmin):
    """Read-only: a booking changes through the booking service alone (spaces/bookings.py),
    which checks the site's hours and the overlaps and has the week calendars drawn afresh."""

    list_display = ["unit", "startup", "starts_at", "ends_at", "status", "recurrence"]
    list_filter = ["status", "unit__site"]
    list_select_related = ["unit", "unit__site", "startup"]
    search_fields = ["startup__name", "unit__name", "unit__site__name"]
    date_hierarchy = "starts_at"


@admin.register(SpaceCharge)
class SpaceChargeAdmin(ReadOnlyAdmin):
    """Read-only: a charge is issued once per source and month and never changed."""

    list_display = ["month", "startup", "site", "unit", "source", "list_amount", "state_amount", "company_amount"]
    list_filter = ["source", "funding", "site", "month"]
    list_select_related = ["startup", "site", "unit", "unit__site"]
    search_fields = ["startup__name", "unit__name", "description"]
