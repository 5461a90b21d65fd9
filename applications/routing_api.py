"""The routing API (admins write, the incubator's staff read):

/api/v1/queues/           review queues of departments
/api/v1/routing-rules/    routing rules (a rule without a rule set joins the active one)
/api/v1/rulesets/         versioned rule sets: draft (a copy of the active one), activate, dry-run
/api/v1/routing-preview/  which queue and rule a sample letter would get
/api/v1/holidays/         the SLA clock's holiday calendar
"""

import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import RulesPermission

from . import (
    routing_rules,  # noqa: F401  (registers the perms used below)
    routing_selectors,
)
from .models import Holiday, ReviewQueue, RoutingRule, RuleSet
from .routing_serializers import (
    DryRunRequestSerializer,
    DryRunSerializer,
    HolidaySerializer,
    PreviewRequestSerializer,
    PreviewSerializer,
    QueueSerializer,
    RoutingRuleSerializer,
    RuleSetSerializer,
)
from .services import queues, rulesets, sla


def _perms(model: str, **extra) -> dict:
    """The usual action-to-permission map: staff read, admins write."""
    return {
        "list": f"applications.view_{model}",
        "retrieve": f"applications.view_{model}",
        "create": f"applications.add_{model}",
        "update": f"applications.change_{model}",
        "partial_update": f"applications.change_{model}",
        "destroy": f"applications.delete_{model}",
        **extra,
    }


class QueueViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Departments' review queues. Exactly one is the default: it takes what no rule matches."""

    serializer_class = QueueSerializer
    permission_classes = [RulesPermission]
    rules_permissions = _perms("reviewqueue")
    queryset = ReviewQueue.objects.prefetch_related("reviewers", "supervisors").order_by("id")
    filterset_fields = ["department", "is_default"]
    search_fields = ["name"]

    def perform_create(self, serializer):
        serializer.instance = queues.queue_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        queues.queue_update(queue=serializer.instance, **serializer.validated_data, by=self.request.user)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


class RoutingRuleViewSet(viewsets.ModelViewSet):
    """Routing rules; the lowest `order` that matches wins. `?ruleset=` filters."""

    serializer_class = RoutingRuleSerializer
    permission_classes = [RulesPermission]
    rules_permissions = _perms("routingrule")
    queryset = RoutingRule.objects.select_related("ruleset").order_by("-ruleset__version", "order", "id")
    filterset_fields = ["ruleset", "queue"]

    def perform_create(self, serializer):
        serializer.instance = rulesets.rule_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("ruleset", None)  # a rule stays in its rule set
        serializer.instance = rulesets.rule_update(rule=serializer.instance, **data, by=self.request.user)

    def perform_destroy(self, instance):
        rulesets.rule_delete(rule=instance, by=self.request.user)


class RuleSetViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Versions of the routing rules: draft one (a copy of the active set), try it with a dry run
    over the last 30 days of letters, then activate it (the previous one is retired)."""

    serializer_class = RuleSetSerializer
    permission_classes = [RulesPermission]
    rules_permissions = _perms(
        "ruleset", activate="applications.change_ruleset", dry_run="applications.preview_routing"
    )
    queryset = RuleSet.objects.prefetch_related("rules").order_by("-version")
    filterset_fields = ["status"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = rulesets.ruleset_create(
            note=data.get("note", ""), copy_active=data.get("copy_active", True), by=self.request.user
        )

    @extend_schema(request=None, responses={200: RuleSetSerializer})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        ruleset = rulesets.ruleset_activate(ruleset=self.get_object(), by=request.user)
        return Response(RuleSetSerializer(self.get_queryset().get(pk=ruleset.pk)).data)

    @extend_schema(request=DryRunRequestSerializer, responses={200: DryRunSerializer})
    @action(detail=True, methods=["post"], url_path="dry-run")
    def dry_run(self, request, pk=None):
        ruleset = self.get_object()
        params = DryRunRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        since = timezone.now() - datetime.timedelta(days=params.validated_data["days"])
        return Response(DryRunSerializer(routing_selectors.dry_run(ruleset=ruleset, since=since)).data)


class RoutingPreviewViewSet(viewsets.GenericViewSet):
    """POST the fields of a sample letter: which queue, and by which rule, it would be routed to."""

    serializer_class = PreviewRequestSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {"create": "applications.preview_routing"}

    @extend_schema(request=PreviewRequestSerializer, responses={200: PreviewSerializer})
    def create(self, request):
        params = PreviewRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        return Response(
            PreviewSerializer(routing_selectors.preview_queue(**params.validated_data)).data, status=status.HTTP_200_OK
        )


class HolidayViewSet(viewsets.ModelViewSet):
    """The holiday calendar: the SLA clock does not run on these days."""

    serializer_class = HolidaySerializer
    permission_classes = [RulesPermission]
    rules_permissions = _perms("holiday")
    queryset = Holiday.objects.order_by("date")

    def perform_create(self, serializer):
        serializer.instance = sla.holiday_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = sla.holiday_update(
            holiday=serializer.instance, **serializer.validated_data, by=self.request.user
        )

    def perform_destroy(self, instance):
        sla.holiday_delete(holiday=instance, by=self.request.user)
