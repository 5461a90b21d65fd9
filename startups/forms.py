"""The startup pages' forms: they check the input's shape and hand it to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.money import MoneyFormField

from .models import Startup
from .services import EDITABLE_FIELDS

# Fields, labels and choices as the model declares them. Plain forms rather than ModelForms:
# the services hold the rules (the registration is the staff's to verify, not a field here).
_startup_fields = forms.fields_for_model(Startup, fields=EDITABLE_FIELDS)


class StartupCreateForm(BootstrapFormMixin, forms.Form):
    """For `services.startup_create`."""

    name = _startup_fields["name"]
    sector = _startup_fields["sector"]
    stage = _startup_fields["stage"]
    description = _startup_fields["description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget.attrs["rows"] = 4


class StartupEditForm(StartupCreateForm):
    """For `services.startup_update`: every field a member may change."""

    proposed_registration_number = _startup_fields["proposed_registration_number"]
    special_economic_zone = _startup_fields["special_economic_zone"]


class MemberAddForm(BootstrapFormMixin, forms.Form):
    """For `services.invitation_create`."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The co-founder must already have an account; they join once they accept."),
    )


class RegistrationConfirmForm(BootstrapFormMixin, forms.Form):
    """For `services.registration_confirm`: the number the verifier saw, sent back."""

    registration_number = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ReasonForm(BootstrapFormMixin, forms.Form):
    """For `services.registration_refuse` and `registration_revoke`."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The founders read it."),
    )


class ReportForm(BootstrapFormMixin, forms.Form):
    """For `services.report_file`: a month and its revenue and expenses."""

    period = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
    )
    revenue = MoneyFormField(label=_("Revenue"), min_value=0)
    expenses = MoneyFormField(label=_("Expenses"), min_value=0)
