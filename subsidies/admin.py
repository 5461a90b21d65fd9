"""Django admin for the subsidies models. Money moves only through the services: the ledger is
read-only, a program's committed and disbursed are never typed in, and a program saved here
goes through `program_create` / `program_update` (so its budget lands in the ledger)."""

from django import forms
from django.contrib import admin

from core.admin import ReadOnlyAdmin
from core.exceptions import DomainError

from .models import Award, AwardEvent, Disbursement, LedgerEntry, Program, SubsidyRequest
from .services import programs


class ProgramAdminForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = list(programs.PROGRAM_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            programs.check_program_values(
                {field: cleaned.get(field) for field in programs.PROGRAM_FIELDS},
                program=self.instance if self.instance.pk else None,
            )
        except DomainError as exc:
            raise forms.ValidationError(
                {exc.field if exc.field in self.fields else None: exc.message}
            ) from exc
        return cleaned


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = ["name", "opens_on", "closes_on", "budget", "committed", "disbursed", "profit_policy"]
    list_filter = ["profit_policy", "registered_only"]
    search_fields = ["name"]
    readonly_fields = ["committed", "disbursed", "created_at", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in programs.PROGRAM_FIELDS}
        if change:
            changed = {field: values[field] for field in form.changed_data if field in values}
            saved = programs.program_update(
                program=Program.objects.get(pk=obj.pk), **changed, by=request.user
            )
        else:
            saved = programs.program_create(**values, by=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    extra = 0
    can_delete = False
    readonly_fields = ["number", "due_on", "amount", "status", "paid_at", "paid_by"]

    def has_add_permission(self, request, obj=None):
        return False


class AwardEventInline(admin.TabularInline):
    model = AwardEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "note", "actor"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SubsidyRequest)
class SubsidyRequestAdmin(ReadOnlyAdmin):
    """The program each subsidy letter applies to (written by the letter's draft)."""

    list_display = ["letter", "program"]
    list_filter = ["program"]
    search_fields = ["letter__subject", "letter__startup__name"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["id", "startup", "program", "amount", "released", "status", "created_at"]
    list_filter = ["status", "program"]
    search_fields = ["startup__name", "program__name"]
    inlines = [DisbursementInline, AwardEventInline]

    def has_change_permission(self, request, obj=None):
        # Viewable (with its inlines); changes go through the pages and the API.
        return False


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["award", "number", "due_on", "amount", "status", "paid_at"]
    list_filter = ["status"]
    search_fields = ["award__startup__name"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Append-only: no add, no change, no delete."""

    list_display = ["at", "program", "kind", "amount", "award", "by", "note"]
    list_filter = ["kind", "program"]
    search_fields = ["program__name", "note"]


@admin.register(AwardEvent)
class AwardEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "award", "kind", "actor", "note"]
    list_filter = ["kind"]
