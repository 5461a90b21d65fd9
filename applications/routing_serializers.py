"""Input and output of the routing API: review queues, rule sets, rules, preview, holidays."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from core import serializers
from core.money import MoneySerializerField
from startups.enums import Sector

from .enums import Category
from .models import Holiday, ReviewQueue, RoutingRule, RuleSet


class QueueSerializer(serializers.ModelSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    reviewers = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    supervisors = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    sla_hours = serializers.IntegerField(min_value=1, max_value=10000)
    reviewer_capacity = serializers.IntegerField(min_value=1, max_value=10000, required=False)
    is_default = serializers.BooleanField(required=False)

    class Meta:
        model = ReviewQueue
        fields = [
            "id",
            "name",
            "department",
            "sla_hours",
            "reviewer_capacity",
            "reviewers",
            "supervisors",
            "is_default",
        ]
        # The one-default rule is the service's to keep (it swaps defaults in one transaction).
        validators: list = []


class RoutingRuleSerializer(serializers.ModelSerializer):
    ruleset = serializers.PrimaryKeyRelatedField(
        queryset=RuleSet.objects.all(), required=False, allow_null=True
    )
    order = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    queue = serializers.PrimaryKeyRelatedField(queryset=ReviewQueue.objects.all())
    category = serializers.ChoiceField(choices=Category.choices, allow_blank=True, required=False, default="")
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, required=False, default="")
    min_amount = MoneySerializerField(
        min_value=0, allow_null=True, required=False, default=None
    )
    max_amount = MoneySerializerField(
        min_value=0, allow_null=True, required=False, default=None
    )
    keywords = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)
    version = serializers.IntegerField(source="ruleset.version", read_only=True)

    class Meta:
        model = RoutingRule
        fields = [
            "id",
            "ruleset",
            "version",
            "order",
            "queue",
            "category",
            "min_amount",
            "max_amount",
            "sector",
            "keywords",
        ]
        validators: list = []


class RuleInRuleSetSerializer(RoutingRuleSerializer):
    class Meta(RoutingRuleSerializer.Meta):
        fields = ["id", "order", "queue", "category", "min_amount", "max_amount", "sector", "keywords"]


class RuleSetSerializer(serializers.ModelSerializer):
    rules = RuleInRuleSetSerializer(many=True, read_only=True)
    copy_active = serializers.BooleanField(
        write_only=True,
        required=False,
        default=True,
        help_text=_("Start from a copy of the active rule set's rules."),
    )

    class Meta:
        model = RuleSet
        fields = [
            "id",
            "version",
            "status",
            "note",
            "created_by",
            "created_at",
            "activated_at",
            "rules",
            "copy_active",
        ]
        read_only_fields = ["id", "version", "status", "created_by", "created_at", "activated_at", "rules"]


class DryRunRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=366, required=False, default=30)


class QueueRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RuleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    version = serializers.IntegerField()
    description = serializers.CharField(source="describe")


class DryRunMoveSerializer(serializers.Serializer):
    letter = serializers.IntegerField(source="letter_id")
    subject = serializers.CharField()
    status = serializers.CharField()
    queue = serializers.IntegerField(source="queue_id", allow_null=True)
    active_queue = serializers.IntegerField(source="active_queue_id", allow_null=True)
    draft_queue = serializers.IntegerField(source="draft_queue_id", allow_null=True)
    active_rule = RuleRefSerializer(allow_null=True)
    draft_rule = RuleRefSerializer(allow_null=True)


class DryRunSerializer(serializers.Serializer):
    ruleset = serializers.IntegerField(source="ruleset.pk")
    version = serializers.IntegerField(source="ruleset.version")
    since = serializers.DateTimeField()
    checked = serializers.IntegerField()
    moved = DryRunMoveSerializer(source="moves", many=True)


class PreviewRequestSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, allow_blank=True, required=False, default="")
    requested_amount = MoneySerializerField(
        min_value=0, allow_null=True, required=False, default=None
    )
    sector = serializers.ChoiceField(choices=Sector.choices, allow_blank=True, required=False, default="")
    subject = serializers.CharField(allow_blank=True, required=False, default="", max_length=200)
    body = serializers.MultiLineCharField(allow_blank=True, required=False, default="", max_length=100_000)
    ruleset = serializers.PrimaryKeyRelatedField(
        queryset=RuleSet.objects.all(), required=False, allow_null=True, default=None
    )


class PreviewSerializer(serializers.Serializer):
    queue = QueueRefSerializer(allow_null=True)
    rule = RuleRefSerializer(allow_null=True)
    is_default = serializers.SerializerMethodField()

    def get_is_default(self, preview) -> bool:
        return preview.rule is None and preview.queue is not None


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["id", "date", "name"]
        validators: list = []
        extra_kwargs = {"date": {"validators": []}}
