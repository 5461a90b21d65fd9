"""The subsidies pages' forms: they check the input's shape and hand it to the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.money import MoneyFormField
from startups.enums import Sector, Stage

from .models import Program
from .services.programs import PROGRAM_FIELDS

_program_fields = forms.fields_for_model(
    Program, fields=[f for f in PROGRAM_FIELDS if f not in ("eligible_stages", "eligible_sectors")]
)


class ProgramForm(BootstrapFormMixin, forms.Form):
    """For `services.program_create` and `services.program_update`."""

    name = _program_fields["name"]
    description = _program_fields["description"]
    budget = MoneyFormField(label=_("Budget"), min_value=0)
    max_award = MoneyFormField(
        label=_("Maximum award"), min_value=Decimal("0.01")
    )
    opens_on = forms.DateField(
        label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    eligible_stages = forms.MultipleChoiceField(
        label=_("Eligible stages"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any stage."),
    )
    eligible_sectors = forms.MultipleChoiceField(
        label=_("Eligible sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any sector."),
    )
    registered_only = _program_fields["registered_only"]
    tranches = _program_fields["tranches"]
    tranche_spacing_months = _program_fields["tranche_spacing_months"]
    profit_months = _program_fields["profit_months"]
    profit_policy = _program_fields["profit_policy"]
    taper_percent = _program_fields["taper_percent"]

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The program cannot close before it opens."))
        return cleaned


class AwardCancelForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


