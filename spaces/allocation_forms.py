"""The space managers' forms: start an allocation run, record an allocation, end one early.
They turn input into the services' arguments; the services check the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from startups.models import Startup

from . import selectors
from .models import Unit


class RunStartForm(BootstrapFormMixin, forms.Form):
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=None,
        required=False,
        empty_label=_("Every site I manage"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = selectors.sites_managed_by(user)


class AllocationForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    startup = forms.ModelChoiceField(label=_("Startup"), queryset=Startup.objects.order_by("name", "id"))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until (exclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.allocatable_units(sites=selectors.sites_managed_by(user)).select_related(
            "site"
        )
        self.fields["unit"].label_from_instance = Unit.__str__


class AllocationEndForm(BootstrapFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("Ends on (exclusive)"), widget=forms.DateInput(attrs={"type": "date"}))
