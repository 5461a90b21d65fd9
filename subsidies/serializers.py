from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core import serializers
from core.money import MoneySerializerField
from startups.enums import Sector, Stage

from .enums import ProfitPolicy
from .models import Award, AwardEvent, Disbursement, Program


class ProgramSerializer(serializers.ModelSerializer):
    """Read and write a program; the service checks what spans fields (dates, names)."""

    budget = MoneySerializerField(min_value=0)
    max_award = MoneySerializerField(min_value=Decimal("0.01"))
    committed = MoneySerializerField(read_only=True)
    disbursed = MoneySerializerField(read_only=True)
    available = MoneySerializerField(read_only=True)
    eligible_stages = serializers.ListField(
        child=serializers.ChoiceField(choices=Stage.choices), required=False, allow_empty=True, max_length=10
    )
    eligible_sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=Sector.choices), required=False, allow_empty=True, max_length=20
    )
    tranches = serializers.IntegerField(min_value=1, max_value=120, required=False)
    tranche_spacing_months = serializers.IntegerField(min_value=1, max_value=60, required=False)
    profit_months = serializers.IntegerField(min_value=1, max_value=60, required=False)
    profit_policy = serializers.ChoiceField(choices=ProfitPolicy.choices, required=False)
    taper_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "description",
            "budget",
            "max_award",
            "committed",
            "disbursed",
            "available",
            "opens_on",
            "closes_on",
            "is_open",
            "eligible_stages",
            "eligible_sectors",
            "registered_only",
            "tranches",
            "tranche_spacing_months",
            "profit_months",
            "profit_policy",
            "taper_percent",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        # Uniqueness of the name is the service's to check, with a clear message.
        extra_kwargs = {"name": {"validators": []}, "description": {"required": False}}

    def validate(self, attrs):
        opens_on = attrs.get("opens_on", getattr(self.instance, "opens_on", None))
        closes_on = attrs.get("closes_on", getattr(self.instance, "closes_on", None))
        if opens_on and closes_on and closes_on < opens_on:
            raise serializers.ValidationError({"closes_on": [_("The program cannot close before it opens.")]})
        return attrs


class DisbursementSerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(read_only=True)

    class Meta:
        model = Disbursement
        fields = ["id", "number", "due_on", "amount", "status", "paid_at"]
        read_only_fields = fields


class DisbursementDetailSerializer(DisbursementSerializer):
    class Meta(DisbursementSerializer.Meta):
        fields = ["id", "award", "number", "due_on", "amount", "status", "paid_at"]
        read_only_fields = fields


class AwardSerializer(serializers.ModelSerializer):
    """The contract: id, letter, program, startup, amount, status, disbursements [...]. Flat,
    fed by the list's one query and one prefetch."""

    amount = MoneySerializerField(read_only=True)
    released = MoneySerializerField(read_only=True)
    disbursements = DisbursementSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "letter",
            "program",
            "startup",
            "amount",
            "released",
            "status",
            "created_at",
            "disbursements",
        ]
        read_only_fields = fields


class AwardEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = AwardEvent
        fields = ["at", "actor", "kind", "note"]
        read_only_fields = fields


class AwardCancelSerializer(serializers.Serializer):
    note = serializers.MultiLineCharField(max_length=1000, required=False, allow_blank=True, default="")


class RegisterEntrySerializer(serializers.ModelSerializer):
    """One line of the public register of awards (open data)."""

    startup = serializers.CharField(source="startup.name", read_only=True)
    program = serializers.CharField(source="program.name", read_only=True)
    amount = MoneySerializerField(read_only=True)
    date = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = ["id", "startup", "program", "amount", "date"]
        read_only_fields = fields

    def get_date(self, award) -> str:
        from django.utils import timezone

        return timezone.localdate(award.created_at).isoformat()
