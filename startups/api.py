from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import RulesPermission
from core.views import require_perm

from . import selectors, services
from .models import Startup
from .serializers import MemberAddSerializer, MembershipSerializer, MonthlyReportSerializer, StartupSerializer


class StartupViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Startups: a founder's own, or all of them for the incubator's staff."""

    serializer_class = StartupSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "startups.add_startup",
        "retrieve": "startups.view_startup",
        "update": "startups.change_startup",
        "partial_update": "startups.change_startup",
        "members": "startups.view_startup",
        "reports": "startups.view_startup",
    }
    search_fields = ["name", "description"]
    filterset_fields = ["sector", "stage", "is_registered"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no real user
            return Startup.objects.none()
        return selectors.startups_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.startup_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.startup_update(
            startup=serializer.instance, **serializer.validated_data, by=self.request.user
        )

    @extend_schema(request=MemberAddSerializer, responses={200: MembershipSerializer(many=True), 201: MembershipSerializer})
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        startup = self.get_object()
        if request.method == "GET":
            return Response(MembershipSerializer(selectors.memberships_of(startup), many=True).data)
        require_perm(request.user, "startups.add_membership", startup)
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(startup=startup, **serializer.validated_data, by=request.user)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MonthlyReportSerializer, responses={200: MonthlyReportSerializer(many=True), 201: MonthlyReportSerializer})
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        startup = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.reports_of(startup))
            return self.get_paginated_response(MonthlyReportSerializer(page, many=True).data)
        require_perm(request.user, "startups.add_monthlyreport", startup)
        serializer = MonthlyReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_file(startup=startup, **serializer.validated_data, by=request.user)
        return Response(MonthlyReportSerializer(report).data, status=status.HTTP_201_CREATED)

