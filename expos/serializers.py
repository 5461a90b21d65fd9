from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from core import serializers
from core.money import MoneySerializerField
from startups.enums import Sector, Stage

from .models import Expo, Hall, Showcase

FeatureList = lambda: serializers.ListField(  # noqa: E731
    child=serializers.CharField(max_length=50), required=False, allow_empty=True, max_length=20
)


class ExpoSerializer(serializers.ModelSerializer):
    """Read and write an expo; the service checks what spans fields (dates, hours)."""

    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    slot_value = MoneySerializerField(min_value=0, required=False)
    slot_minutes = serializers.IntegerField(min_value=5, max_value=480, required=False)
    min_stage = serializers.ChoiceField(choices=[("", "")] + list(Stage.choices), required=False)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Expo
        fields = [
            "id",
            "department",
            "name",
            "city",
            "venue",
            "starts_on",
            "ends_on",
            "applications_open_on",
            "applications_close_on",
            "is_open",
            "day_starts_at",
            "day_ends_at",
            "slot_minutes",
            "slot_value",
            "registered_only",
            "min_stage",
            "decisions_released_at",
            "created_at",
        ]
        read_only_fields = ["id", "decisions_released_at", "created_at"]


class HallSerializer(serializers.ModelSerializer):
    expo = serializers.PrimaryKeyRelatedField(queryset=Expo.objects.all())
    capacity = serializers.IntegerField(min_value=1, max_value=10000, required=False, default=1)
    features = FeatureList()

    class Meta:
        model = Hall
        fields = ["id", "expo", "name", "capacity", "features"]
        read_only_fields = ["id"]
        validators = []


class ShowcaseSerializer(serializers.ModelSerializer):
    """A showcase as its reader may see it: `status` is what founders see (held decisions are
    not in it); `decision` (the held one), `mean_score` and `review_count` are the organisers'."""

    expo = serializers.PrimaryKeyRelatedField(queryset=Expo.objects.all())
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    description = serializers.MultiLineCharField(max_length=5000, required=False, allow_blank=True, default="")
    needs = FeatureList()
    available_days = serializers.ListField(
        child=serializers.DateField(), required=False, allow_empty=True, max_length=60
    )
    mean_score = serializers.FloatField(read_only=True, default=None)
    review_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Showcase
        fields = [
            "id",
            "expo",
            "startup",
            "letter",
            "title",
            "description",
            "sector",
            "needs",
            "available_days",
            "status",
            "decision",
            "mean_score",
            "review_count",
            "created_at",
        ]
        read_only_fields = ["id", "letter", "status", "decision", "created_at"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not (user.has_role("admin") or user.has_role("expo_organiser")):
            for name in ("decision", "mean_score", "review_count"):
                data.pop(name, None)
        return data


class ShowcaseReviewInSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.MultiLineCharField(max_length=5000, required=False, allow_blank=True, default="")


class ShowcaseDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )


class ShowcaseReviewOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    showcase = serializers.IntegerField(source="showcase_id", read_only=True)
    score = serializers.IntegerField(read_only=True)
    comment = serializers.CharField(read_only=True)


class ReleaseOutSerializer(serializers.Serializer):
    released = serializers.IntegerField(read_only=True)
