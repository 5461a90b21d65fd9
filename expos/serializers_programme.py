from django.utils.translation import gettext_lazy as _

from core import serializers
from core.fields import PrimaryKeyRelatedField
from core.money import MoneySerializerField

from .models import Hall, Release, ReleasedSlot, ScheduleRun, ShowcaseOutcome, ShowcaseSlot


class ScheduleResultSerializer(serializers.Serializer):
    placed = serializers.IntegerField()
    unplaced = serializers.ListField(child=serializers.IntegerField())
    objective = serializers.IntegerField()
    bound = serializers.IntegerField()


class SlotSerializer(serializers.ModelSerializer):
    """The contract: id, showcase, startup, hall, starts_at, ends_at, pinned."""

    startup = serializers.IntegerField(source="showcase.startup_id", read_only=True)

    class Meta:
        model = ShowcaseSlot
        fields = ["id", "showcase", "startup", "hall", "starts_at", "ends_at", "pinned"]
        read_only_fields = fields


class SlotMoveSerializer(serializers.Serializer):
    hall = PrimaryKeyRelatedField(queryset=Hall.objects.all(), required=False)
    starts_at = serializers.DateTimeField(required=False)
    pinned = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"detail": [_("Give a hall, a start or pinned.")]})
        return attrs


class ReleaseCreateSerializer(serializers.Serializer):
    comment = serializers.MultiLineCharField(max_length=2000, required=False, allow_blank=True, default="")


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["id", "version", "comment", "released_at", "changes"]
        read_only_fields = fields


class ProgrammeSlotSerializer(serializers.ModelSerializer):
    hall = serializers.CharField(source="hall_name", read_only=True)
    startup = serializers.CharField(source="startup_name", read_only=True)

    class Meta:
        model = ReleasedSlot
        fields = ["hall", "starts_at", "ends_at", "startup", "title"]
        read_only_fields = fields


class ProgrammeSerializer(serializers.Serializer):
    """The public programme: the expo, the release's version, every slot."""

    expo = serializers.IntegerField(source="release.expo_id")
    name = serializers.CharField(source="release.expo.name")
    city = serializers.CharField(source="release.expo.city")
    venue = serializers.CharField(source="release.expo.venue")
    version = serializers.IntegerField(source="release.version")
    released_at = serializers.DateTimeField(source="release.released_at")
    slot_value = MoneySerializerField(source="release.expo.slot_value")
    slots = ProgrammeSlotSerializer(many=True)


class OutcomeSerializer(serializers.ModelSerializer):
    visitors = serializers.IntegerField(min_value=0, max_value=10_000_000)
    meetings = serializers.IntegerField(min_value=0, max_value=10_000_000)
    leads = serializers.IntegerField(min_value=0, max_value=10_000_000)

    class Meta:
        model = ShowcaseOutcome
        fields = ["showcase", "visitors", "meetings", "leads", "recorded_at"]
        read_only_fields = ["showcase", "recorded_at"]


class ScheduleRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleRun
        fields = ["id", "status", "progress", "placed", "unplaced", "objective", "bound", "error"]
        read_only_fields = fields
