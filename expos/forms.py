from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from startups.enums import Sector


class CommaListField(forms.CharField):
    """Words separated by commas, cleaned into a list ("power, water" -> ["power", "water"]);
    a list given as the initial value is shown the same way. The services check how many and
    how long."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, (list, tuple)) else value

    def clean(self, value):
        return [item.strip() for item in super().clean(value).split(",") if item.strip()]


class ShowcaseForm(BootstrapFormMixin, forms.Form):
    """A founder's application: the service checks the window, eligibility and duplicates."""

    startup = forms.ModelChoiceField(label=_("Startup"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    needs = CommaListField(
        label=_("Needs"),
        required=False,
        max_length=500,
        help_text=_("What your stand needs, separated by commas (e.g. power, water, large_screen)."),
    )
    available_days = forms.MultipleChoiceField(
        label=_("Days you can attend"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every day."),
    )

    def __init__(self, *args, startups, expo, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["startup"].queryset = startups
        self.fields["available_days"].choices = [(day.isoformat(), day.isoformat()) for day in expo.days]


class ReviewForm(BootstrapFormMixin, forms.Form):
    score = forms.TypedChoiceField(label=_("Score"), choices=[(n, n) for n in range(1, 6)], coerce=int)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
