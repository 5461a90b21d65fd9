import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core import serializers
from core.money import MoneySerializerField

from .enums import InvitationStatus
from .models import Invitation, Membership, MonthlyReport, Startup, StartupEvent

# Set only by the staff's verification (services.registration_confirm).
STAFF_VERIFIED_FIELDS = ("registration_number", "is_registered")


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
    """Founders write the details and may propose a registration number; the registration
    itself is read-only, and sending a different value for it is a 400 (not silently ignored)."""

    registered_verified_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Startup
        fields = [
            "id",
            "name",
            "sector",
            "stage",
            "stage_since",
            "description",
            "proposed_registration_number",
            "registration_number",
            "is_registered",
            "registered_verified_by",
            "registered_verified_at",
            "special_economic_zone",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "stage_since",
            *STAFF_VERIFIED_FIELDS,
            "registered_verified_at",
            "created_at",
        ]

    def to_internal_value(self, data):
        refused = {
            name: [_("The incubator's staff set this when they verify the registration; propose a number as proposed_registration_number.")]
            for name in STAFF_VERIFIED_FIELDS
            if name in data and not self._unchanged(name, data[name])
        }
        if refused:
            raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def _unchanged(self, name, value) -> bool:
        """A client may send back what it read (a PUT of the whole startup)."""
        field = Startup._meta.get_field(name)
        try:
            value = field.to_python(value)
        except DjangoValidationError:
            return False
        current = getattr(self.instance, name) if self.instance is not None else field.get_default()
        return value == current


class MembershipSerializer(serializers.ModelSerializer):
    """A member: someone who accepted the invitation (`status` is always "accepted")."""

    username = serializers.CharField(source="user.username", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "status", "joined_at"]

    def get_status(self, membership) -> str:
        return InvitationStatus.ACCEPTED


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation to join a startup, as its owners and its invitee see it."""

    username = serializers.CharField(source="user.username", read_only=True)
    role = serializers.CharField(read_only=True)
    startup = serializers.PrimaryKeyRelatedField(read_only=True)
    startup_name = serializers.CharField(source="startup.name", read_only=True)
    invited_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "startup", "startup_name", "username", "role", "status", "invited_by", "created_at", "answered_at"]
        read_only_fields = fields


class StartupEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    member = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    summary = serializers.CharField(read_only=True)

    class Meta:
        model = StartupEvent
        fields = ["id", "kind", "actor", "member", "before", "after", "note", "summary", "created_at"]
        read_only_fields = fields


class RegistrationConfirmSerializer(serializers.Serializer):
    registration_number = serializers.CharField(
        max_length=64, help_text=_("The proposed number you checked.")
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


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


class SupportEntrySerializer(serializers.Serializer):
    kind = serializers.CharField()
    date = serializers.DateField()
    amount = MoneySerializerField()
    description = serializers.CharField()


class SupportByKindSerializer(serializers.Serializer):
    subsidy = MoneySerializerField()
    space = MoneySerializerField()
    expo = MoneySerializerField()


class SupportSerializer(serializers.Serializer):
    """The startup's public support (startups.support.Support)."""

    total = MoneySerializerField()
    by_kind = SupportByKindSerializer()
    entries = SupportEntrySerializer(many=True)
