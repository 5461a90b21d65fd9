"""The filters of booking and charge lists."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from core.filters import FilterSet

from .models import BookingStatus, RoomBooking, SpaceCharge


class RoomBookingFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices)

    class Meta:
        model = RoomBooking
        fields = ["startup", "unit", "status"]


class SpaceChargeFilter(FilterSet):
    month = django_filters.CharFilter(method="filter_month", label=_("Month (YYYY-MM)"))

    class Meta:
        model = SpaceCharge
        fields = ["startup", "site", "source", "month"]

    def filter_month(self, queryset, name, value):
        try:
            month = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise ValidationError({"month": [_("Enter a month as YYYY-MM.")]}) from None
        return queryset.filter(month=month)
