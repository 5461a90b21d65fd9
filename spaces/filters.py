"""The filters of the coworking-spaces lists: the API's query parameters and the managers' pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.fields import IdFilter
from core.filters import FilterSet
from startups.models import Startup

from .enums import AskKind, RequestStatus, UnitKind
from .models import Allocation, Site, SpaceRequest, Unit


class UnitFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)

    class Meta:
        model = Unit
        fields = ["site", "kind"]


class SpaceRequestFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)

    class Meta:
        model = SpaceRequest
        fields = ["startup", "status"]


class AllocationFilter(FilterSet):
    site = IdFilter(field_name="unit__site_id")

    class Meta:
        model = Allocation
        fields = ["startup", "unit"]


class _ManagedSitesFilter(FilterSet):
    """A page's filters whose site (and unit) choices are the sites the user manages: set on
    the form's fields, as the form class is shared between requests (core/filters.py)."""

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["site"].queryset = sites
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"


class WaitingListFilter(_ManagedSitesFilter):
    """The waiting list page: a site's list holds the requests naming it or none, as the
    allocator reads it."""

    site = django_filters.ModelChoiceFilter(
        label=_("Site"), queryset=Site.objects.none(), method="filter_site", empty_label=_("Any site")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AskKind.choices, empty_label=_("Any kind"))

    class Meta:
        model = SpaceRequest
        fields = ["site", "kind"]

    def filter_site(self, queryset, name, value):
        return queryset.filter(Q(site=value) | Q(site__isnull=True))


class AllocationPageFilter(_ManagedSitesFilter):
    site = django_filters.ModelChoiceFilter(
        label=_("Site"), field_name="unit__site", queryset=Site.objects.none(), empty_label=_("Any site")
    )
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Any unit"))
    startup = django_filters.ModelChoiceFilter(
        label=_("Startup"), queryset=Startup.objects.order_by("name"), empty_label=_("Any startup")
    )

    class Meta:
        model = Allocation
        fields = ["site", "unit", "startup"]

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, sites=sites, **kwargs)
        self.form.fields["unit"].queryset = (
            Unit.objects.filter(site__in=sites).exclude(kind=UnitKind.MEETING_ROOM).select_related("site")
        )
