from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.permissions import RulesPermission

from . import selectors
from .filters import AwardFilter
from .models import Award, Disbursement, Program
from .serializers import (
    AwardCancelSerializer,
    AwardEventSerializer,
    AwardSerializer,
    DisbursementDetailSerializer,
    ProgramSerializer,
    RegisterEntrySerializer,
)
from .services import awards, programs


class ProgramViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Subsidy programs: everyone signed in reads them (founders pick one); admins write."""

    serializer_class = ProgramSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "subsidies.view_program",
        "retrieve": "subsidies.view_program",
        "create": "subsidies.add_program",
        "update": "subsidies.change_program",
        "partial_update": "subsidies.change_program",
    }
    search_fields = ["name", "description"]
    filterset_fields = ["profit_policy", "registered_only"]
    ordering_fields = ["name", "opens_on", "closes_on", "budget"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Program.objects.none()
        return selectors.programs_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = programs.program_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = programs.program_update(
            program=serializer.instance, **serializer.validated_data, by=self.request.user
        )


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awards: a founder's startups' ones, or all of them for the incubator's staff."""

    serializer_class = AwardSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "retrieve": "subsidies.view_award",
        "events": "subsidies.view_award",
        "cancel": "subsidies.cancel_award",
    }
    filterset_class = AwardFilter
    ordering_fields = ["created_at", "amount"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Award.objects.none()
        return selectors.awards_visible_to(self.request.user)

    @extend_schema(responses={200: AwardEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        award = self.get_object()
        return Response(AwardEventSerializer(selectors.award_events(award), many=True).data)

    @extend_schema(request=AwardCancelSerializer, responses={200: AwardSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        award = self.get_object()
        serializer = AwardCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        awards.award_cancel(award=award, note=serializer.validated_data["note"], by=request.user)
        return Response(AwardSerializer(self.get_queryset().get(pk=award.pk)).data)


class DisbursementViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tranches: read one; pay it once, when due, as `subsidies.pay_disbursement` allows (an
    approver of the department that decided the award, not the one who decided it; an admin)."""

    serializer_class = DisbursementDetailSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "retrieve": "subsidies.view_disbursement",
        "pay": "subsidies.pay_disbursement",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Disbursement.objects.none()
        return selectors.disbursements_visible_to(self.request.user)

    @extend_schema(request=None, responses={200: DisbursementDetailSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        disbursement = self.get_object()
        disbursement = awards.disbursement_pay(disbursement=disbursement, by=request.user)
        return Response(DisbursementDetailSerializer(disbursement).data, status=status.HTTP_200_OK)


class AwardRegisterViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public register of awards (open data): startup, program, amount, date. No sign-in."""

    serializer_class = RegisterEntrySerializer
    permission_classes = [AllowAny]
    filterset_fields = ["program"]
    queryset = Award.objects.none()

    def get_queryset(self):
        return selectors.register_awards()
