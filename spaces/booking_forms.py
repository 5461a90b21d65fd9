"""The founders' room-booking form: a room, the startup, a day and the hours."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from startups.selectors import startups_visible_to

from .enums import UnitKind
from .models import Unit


class BookingForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Room"), queryset=Unit.objects.none())
    startup = forms.ModelChoiceField(label=_("For the startup"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time", "step": 900}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time", "step": 900}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(kind=UnitKind.MEETING_ROOM).select_related("site")
        self.fields["startup"].queryset = startups_visible_to(user)

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            datetime.datetime.combine(day, self.cleaned_data["starts"], tzinfo=tz),
            datetime.datetime.combine(day, self.cleaned_data["ends"], tzinfo=tz),
        )
