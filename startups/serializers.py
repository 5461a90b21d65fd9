import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core import serializers
from core.money import MoneySerializerField

from .models import Membership, MonthlyReport, Startup


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-01"})
class MonthField(serializers.Field):
    """A calendar month as `YYYY-MM`, stored as the month's first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_internal_value(self, data):
        try:
            return datetime.datetime.strptime(str(data), "%Y-%m").date()
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value):
        return value.strftime("%Y-%m")


class StartupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Startup
        fields = [
            "id",
            "name",
            "sector",
            "stage",
            "description",
            "registration_number",
            "is_registered",
            "special_economic_zone",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        # Uniqueness is the service's to check, with a clear message.
        extra_kwargs = {"registration_number": {"validators": []}}


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "joined_at"]


class MemberAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class MonthlyReportSerializer(serializers.ModelSerializer):
    period = MonthField()
    revenue = MoneySerializerField(min_value=Decimal(0))
    expenses = MoneySerializerField(min_value=Decimal(0))
    profit = serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)

    class Meta:
        model = MonthlyReport
        fields = ["id", "period", "revenue", "expenses", "profit", "filed_at"]
        read_only_fields = ["id", "filed_at"]
        validators: list = []
