"""The space managers' forms for sites and units: they check the input's shape and hand it to
`services.sites` (which checks what spans fields: a shared site's share, a unit's price for its
kind, a name taken on the site)."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.enums import RoleCode
from accounts.models import Department
from core.forms import BootstrapFormMixin
from core.money import MoneyFormField

from .enums import Funding, UnitKind
from .services.sites import FLOOR_RANGE, MAX_FEATURE_LENGTH, MAX_FEATURES, MAX_PLAN

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
TIME_WIDGET = {"attrs": {"type": "time"}, "format": "%H:%M"}


class SiteForm(BootstrapFormMixin, forms.Form):
    """For `site_create` (with the department) and `site_update` (without: a site stays in its
    department)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    funding = forms.ChoiceField(label=_("Who pays"), choices=Funding.choices)
    state_share = forms.DecimalField(
        label=_("The state's share (percent)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("For shared funding only: the percentage the state pays."),
    )
    special_economic_zone = forms.BooleanField(label=_("In a special economic zone"), required=False)
    bookable_from = forms.TimeField(label=_("Meeting rooms bookable from"), widget=forms.TimeInput(**TIME_WIDGET))
    bookable_until = forms.TimeField(label=_("Meeting rooms bookable until"), widget=forms.TimeInput(**TIME_WIDGET))
    bookable_weekdays = forms.TypedMultipleChoiceField(
        label=_("Days meeting rooms can be booked"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    max_advance_days = forms.IntegerField(
        label=_("Longest advance of a booking (days)"), min_value=1, max_value=3660
    )

    def __init__(self, *args, user, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            del self.fields["department"]
        elif user.has_role(RoleCode.ADMIN):
            self.fields["department"].queryset = Department.objects.order_by("name", "id")
        else:
            self.fields["department"].queryset = Department.objects.filter(pk=user.department_id)

    def clean(self):
        cleaned = super().clean()
        # A share left in the box after choosing another funding model means nothing: only a
        # shared site has one.
        if cleaned.get("funding") != Funding.SHARED:
            cleaned["state_share"] = None
        return cleaned


class FeaturesField(forms.CharField):
    """Features typed as one line, separated by commas: `projector, lab bench`."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        text = super().to_python(value)
        return [part.strip() for part in text.split(",") if part.strip()]

    def has_changed(self, initial, data):
        return self.prepare_value(initial or []) != ", ".join(self.to_python(data))


class UnitForm(BootstrapFormMixin, forms.Form):
    """For `unit_create` (the site comes from the page) and `unit_update`."""

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500, initial=1)
    monthly_price = MoneyFormField(
        label=_("Monthly price"), min_value=0, required=False, help_text=_("For desks and offices.")
    )
    hourly_price = MoneyFormField(
        label=_("Hourly price"), min_value=0, required=False, help_text=_("For meeting rooms.")
    )
    features = FeaturesField(
        label=_("Features"),
        required=False,
        max_length=MAX_FEATURES * (MAX_FEATURE_LENGTH + 2),
        help_text=_("Separated by commas, such as: projector, lab bench."),
    )
    floor = forms.IntegerField(label=_("Floor"), min_value=FLOOR_RANGE[0], max_value=FLOOR_RANGE[1], initial=0)
    x = forms.IntegerField(label=_("Left edge on the plan"), min_value=0, max_value=MAX_PLAN, initial=0)
    y = forms.IntegerField(label=_("Top edge on the plan"), min_value=0, max_value=MAX_PLAN, initial=0)
    width = forms.IntegerField(label=_("Width on the plan"), min_value=1, max_value=MAX_PLAN, initial=10)
    height = forms.IntegerField(label=_("Height on the plan"), min_value=1, max_value=MAX_PLAN, initial=10)


def iso_week(day: datetime.date) -> str:
    """The ISO week of `day` as `<input type="week">` writes it: `2027-W09`."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


class IsoWeekField(forms.CharField):
    """An ISO week (`2027-W09`), held as its Monday."""

    widget = forms.TextInput(attrs={"type": "week"})
    default_error_messages = {"invalid": _("Enter a week as YYYY-Www, such as 2027-W09.")}

    def prepare_value(self, value):
        return iso_week(value) if isinstance(value, datetime.date) else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        match = re.fullmatch(r"(\d{4})-W(\d{2})", text)
        try:
            monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else None
        except ValueError:
            monday = None
        if monday is None or not 2000 <= monday.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return monday


class WeekForm(BootstrapFormMixin, forms.Form):
    week = IsoWeekField(label=_("Week"), required=False)


class MonthField(forms.CharField):
    """A calendar month (`2027-03`, as `<input type="month">` writes it), held as its first day."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            month = datetime.datetime.strptime(text, "%Y-%m").date() if re.fullmatch(r"\d{4}-\d{2}", text) else None
        except ValueError:
            month = None
        if month is None or not 2000 <= month.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class ChargesExportForm(BootstrapFormMixin, forms.Form):
    """The finance office's CSV: a site one manages, and a month."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=None)
    month = MonthField(label=_("Month"))

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
