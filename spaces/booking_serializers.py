"""Meeting-room bookings and space charges in the API: input validated and turned into the
services' arguments, output flat (one query per list)."""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core import serializers
from core.fields import PrimaryKeyRelatedField
from core.money import MoneySerializerField
from startups.selectors import startups_visible_to

from .bookings import MAX_WEEKS
from .models import RoomBooking, SpaceCharge, Unit


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-01"})
class MonthField(serializers.Field):
    """A calendar month as `YYYY-MM`, held as its first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_internal_value(self, data):
        try:
            month = datetime.datetime.strptime(str(data), "%Y-%m").date()
        except ValueError:
            self.fail("invalid")
        if not 2000 <= month.year <= 2100:
            self.fail("invalid")
        return month

    def to_representation(self, value):
        return value.strftime("%Y-%m")


@extend_schema_field(OpenApiTypes.INT)
class _VisibleStartups(PrimaryKeyRelatedField):
    def get_queryset(self):
        # Only the id: a booking keeps the startup's id and shows it, and reads nothing else of
        # it (building the whole row cost a third of this query's Python).
        return startups_visible_to(self.context["request"].user).select_related(None).only("id")


class RoomBookingSerializer(serializers.ModelSerializer):
    unit = PrimaryKeyRelatedField(queryset=Unit.objects.select_related("site"))
    startup = _VisibleStartups()

    class Meta:
        model = RoomBooking
        fields = [
            "id",
            "unit",
            "startup",
            "starts_at",
            "ends_at",
            "status",
            "recurrence",
            "checked_in_at",
            "cancelled_at",
            "created_at",
        ]
        read_only_fields = ["status", "recurrence", "checked_in_at", "cancelled_at", "created_at"]


class WeeklyBookingSerializer(serializers.Serializer):
    """A booking repeated weekly: the first occurrence's times and how many weeks."""

    unit = PrimaryKeyRelatedField(queryset=Unit.objects.select_related("site"))
    startup = _VisibleStartups()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    weeks = serializers.IntegerField(
        min_value=1, max_value=MAX_WEEKS, help_text=_("Repeat weekly for this many weeks (all or none).")
    )


class WeeklyBookingsSerializer(serializers.Serializer):
    bookings = RoomBookingSerializer(many=True)


class SpaceChargeSerializer(serializers.ModelSerializer):
    month = MonthField()
    list_amount = MoneySerializerField()
    state_amount = MoneySerializerField()
    company_amount = MoneySerializerField()

    class Meta:
        model = SpaceCharge
        fields = [
            "id",
            "startup",
            "site",
            "unit",
            "month",
            "source",
            "source_id",
            "description",
            "funding",
            "state_share",
            "list_amount",
            "state_amount",
            "company_amount",
            "issued_at",
        ]
        read_only_fields = fields


class ChargesIssueSerializer(serializers.Serializer):
    month = MonthField()


class ChargesIssuedSerializer(serializers.Serializer):
    month = MonthField()
    issued = serializers.IntegerField()
