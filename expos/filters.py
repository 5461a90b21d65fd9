"""The review page's filters and ordering (one FilterSet)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from startups.enums import Sector

from .enums import Decision, ShowcaseStatus
from .models import Showcase


class ShowcaseReviewFilter(FilterSet):
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices, empty_label=_("Any sector"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ShowcaseStatus.choices, empty_label=_("Any status")
    )
    decision = django_filters.ChoiceFilter(
        label=_("Decision"), choices=Decision.choices[1:], empty_label=_("Any decision")
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("mean_score", "score"), ("created_at", "submitted"), ("title", "title")),
        field_labels={"score": _("Mean score"), "submitted": _("Submitted"), "title": _("Title")},
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Showcase
        fields = ["sector", "status", "decision"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"
