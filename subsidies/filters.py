"""The filters of award lists, one set for the API and the pages."""
import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .enums import AwardStatus
from .models import Award, Program


class AwardFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=AwardStatus.choices)

    class Meta:
        model = Award
        fields = ["program", "startup", "status", "letter"]


class AwardPageFilter(AwardFilter):
    """The award list page's filter bar: the program and the status."""

    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=Program.objects.order_by("name"), empty_label=_("Any program")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AwardStatus.choices, empty_label=_("Any status"))

    class Meta(AwardFilter.Meta):
        fields = ["program", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"
