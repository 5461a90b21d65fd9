"""The programme pages' forms: they check the input's shape and hand it to the services."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class SlotMoveForm(BootstrapFormMixin, forms.Form):
    """Move a slot: a hall of the expo and a cell of its grid (choices built per expo)."""

    hall = forms.TypedChoiceField(label=_("Hall"), coerce=int)
    starts_at = forms.ChoiceField(label=_("Time"))
    pinned = forms.BooleanField(label=_("Pinned (a re-run keeps it)"), required=False)

    def __init__(self, *args, halls=(), cells=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].choices = [(h.pk, h.name) for h in halls]
        self._cells = {c.starts_at.isoformat(): c for c in cells}
        self.fields["starts_at"].choices = [
            (key, timezone.localtime(c.starts_at).strftime("%Y-%m-%d %H:%M")) for key, c in self._cells.items()
        ]

    def clean_starts_at(self):
        return self._cells[self.cleaned_data["starts_at"]].starts_at


class ReleaseForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("What changed (shown with the release)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OutcomeForm(BootstrapFormMixin, forms.Form):
    visitors = forms.IntegerField(label=_("Visitors"), min_value=0, max_value=10_000_000)
    meetings = forms.IntegerField(label=_("Meetings"), min_value=0, max_value=10_000_000)
    leads = forms.IntegerField(label=_("Leads"), min_value=0, max_value=10_000_000)
