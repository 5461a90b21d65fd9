from django.utils.translation import gettext_lazy as _

from core import serializers
from core.money import MoneySerializerField
from startups.models import Startup

from .enums import Funding, UnitKind
from .models import Allocation, AllocationRun, Site, SpaceRequest, Unit


class SiteSerializer(serializers.ModelSerializer):
    """A site and who pays for it; the service checks what spans fields (the shared share)."""

    funding = serializers.ChoiceField(choices=Funding.choices)
    state_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )
    bookable_from = serializers.TimeField(format="%H:%M", required=False)
    bookable_until = serializers.TimeField(format="%H:%M", required=False)
    bookable_weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, min_length=1, max_length=7
    )
    max_advance_days = serializers.IntegerField(min_value=1, max_value=3660, required=False)

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "address",
            "department",
            "funding",
            "state_share",
            "special_economic_zone",
            "bookable_from",
            "bookable_until",
            "bookable_weekdays",
            "max_advance_days",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"address": {"required": False}, "special_economic_zone": {"required": False}}


class UnitSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    seats = serializers.IntegerField(min_value=1, max_value=500, required=False)
    monthly_price = MoneySerializerField(min_value=0, required=False, allow_null=True)
    hourly_price = MoneySerializerField(min_value=0, required=False, allow_null=True)
    features = serializers.ListField(
        child=serializers.CharField(max_length=50, allow_blank=False), required=False, max_length=30
    )
    floor = serializers.IntegerField(min_value=-10, max_value=200, required=False)
    x = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    y = serializers.IntegerField(min_value=0, max_value=10000, required=False)
    width = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    height = serializers.IntegerField(min_value=1, max_value=10000, required=False)

    class Meta:
        model = Unit
        fields = [
            "id",
            "site",
            "name",
            "kind",
            "seats",
            "monthly_price",
            "hourly_price",
            "features",
            "floor",
            "x",
            "y",
            "width",
            "height",
        ]
        read_only_fields = ["id"]
        # The name's uniqueness per site is the service's to check, with a clear message.
        validators = []


class OfferSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="offer_unit_id")
    expires_at = serializers.DateTimeField(source="offer_expires_at")


class SpaceRequestSerializer(serializers.ModelSerializer):
    """The contract's request, with its offer (null until a confirmed run offers a unit)."""

    offer = serializers.SerializerMethodField()

    class Meta:
        model = SpaceRequest
        fields = [
            "id",
            "letter",
            "startup",
            "kind",
            "seats",
            "starts_on",
            "ends_on",
            "site",
            "status",
            "waiting_since",
            "offer",
        ]
        read_only_fields = fields

    def get_offer(self, space_request) -> dict | None:
        if space_request.offer_unit_id is None:
            return None
        return OfferSerializer(space_request).data


class AllocationRunCreateSerializer(serializers.Serializer):
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("There is no such coworking site.")},
    )


class AssignmentSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    unit = serializers.IntegerField()


class AllocationRunSerializer(serializers.ModelSerializer):
    assignments = AssignmentSerializer(many=True, read_only=True)
    unassigned = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "site",
            "status",
            "progress",
            "assignments",
            "unassigned",
            "objective",
            "bound",
            "baseline_objective",
            "solver_status",
            "seconds",
            "created_at",
            "confirmed_at",
        ]
        read_only_fields = fields


class AllocationSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), error_messages={"does_not_exist": _("There is no such unit.")}
    )
    startup = serializers.PrimaryKeyRelatedField(
        queryset=Startup.objects.all(), error_messages={"does_not_exist": _("There is no such startup.")}
    )
    site = serializers.IntegerField(source="unit.site_id", read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "unit",
            "site",
            "startup",
            "request",
            "starts_on",
            "ends_on",
            "planned_ends_on",
            "ended_early",
            "created_at",
        ]
        read_only_fields = ["id", "site", "request", "planned_ends_on", "ended_early", "created_at"]

    def validate(self, attrs):
        if attrs["ends_on"] <= attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": [_("The period must end after it begins.")]})
        return attrs


class AllocationEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField()
