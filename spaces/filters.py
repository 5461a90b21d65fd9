"""The filters of the coworking-spaces lists (the API's query parameters)."""

import django_filters

from core.fields import IdFilter
from core.filters import FilterSet

from .enums import RequestStatus, UnitKind
from .models import Allocation, SpaceRequest, Unit


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
