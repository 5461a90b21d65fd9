"""The organisers' forms for expos and their halls: they check each field's shape and hand the
values to expos/services.py (`expo_create`, `expo_update`, `hall_create`, `hall_update`),
which checks what spans fields (the days, the window, the hours against the slot length) and
names the field it refuses, shown next to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.money import MoneyFormField
from startups.enums import Stage

from .forms import CommaListField
from .models import Expo, Hall

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

_expo_fields = forms.fields_for_model(
    Expo,
    fields=[
        "name",
        "city",
        "venue",
        "starts_on",
        "ends_on",
        "applications_open_on",
        "applications_close_on",
        "day_starts_at",
        "day_ends_at",
        "registered_only",
    ],
    widgets={
        "starts_on": DATE,
        "ends_on": DATE,
        "applications_open_on": DATE,
        "applications_close_on": DATE,
        "day_starts_at": TIME,
        "day_ends_at": TIME,
    },
)
_hall_fields = forms.fields_for_model(Hall, fields=["name"])


class ExpoForm(BootstrapFormMixin, forms.Form):
    """An expo's fields. `departments` are those the user may choose (a new expo); without
    them the form has no department field (an expo stays with its department)."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=None)
    name = _expo_fields["name"]
    city = _expo_fields["city"]
    venue = _expo_fields["venue"]
    starts_on = _expo_fields["starts_on"]
    ends_on = _expo_fields["ends_on"]
    applications_open_on = _expo_fields["applications_open_on"]
    applications_close_on = _expo_fields["applications_close_on"]
    day_starts_at = _expo_fields["day_starts_at"]
    day_ends_at = _expo_fields["day_ends_at"]
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, max_value=480)
    slot_value = MoneyFormField(
        label=_("Value of one slot"),
        min_value=0,
        help_text=_("What one showcase slot is worth as public support in kind."),
    )
    registered_only = _expo_fields["registered_only"]
    min_stage = forms.ChoiceField(
        label=_("Minimum stage"), choices=[("", _("Any stage")), *Stage.choices], required=False
    )

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is None:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = departments


class HallForm(BootstrapFormMixin, forms.Form):
    name = _hall_fields["name"]
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000)
    features = CommaListField(
        label=_("Features"),
        required=False,
        max_length=1000,
        help_text=_("What the hall offers, separated by commas (e.g. power, water, large_screen)."),
    )
