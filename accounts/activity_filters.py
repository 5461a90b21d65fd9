"""The activity log page's filter bar: what was changed, by whom, since when."""
import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from core.models import ActivityEntry

# Only the kinds of configuration that appear in the log (a handful), not every model; a lazy
# queryset, read afresh by each form.
LOGGED_TYPES = ContentType.objects.filter(
    pk__in=ActivityEntry.objects.order_by().values("target_type").distinct()
).order_by("app_label", "model")


class ActivityFilter(FilterSet):
    target_type = django_filters.ModelChoiceFilter(
        label=_("What"), queryset=LOGGED_TYPES, empty_label=_("Anything")
    )
    actor = django_filters.CharFilter(label=_("Who (username)"), field_name="actor__username")
    since = django_filters.DateFilter(
        label=_("Since"), field_name="at", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ActivityEntry
        fields = ["target_type", "actor", "since"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "target_type" else "form-control"
