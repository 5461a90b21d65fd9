from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import RulesPermission
from core.views import require_perm

from . import selectors, services
from .models import Startup
from .serializers import (
    InvitationSerializer,
    MemberAddSerializer,
    MembershipSerializer,
    MonthlyReportSerializer,
    ReasonSerializer,
    RegistrationConfirmSerializer,
    StartupEventSerializer,
    StartupSerializer,
    SupportSerializer,
)
from .support import support_of


class StartupViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Startups: a founder's own, or all of them for the incubator's staff.

    Members: `members/` (an owner's POST invites; the invitee answers at
    `invitations/{id}/accept/` or `decline/`), `members/{membership id}/` (an owner's DELETE
    removes), `pending-invitations/` (an owner's DELETE at `pending-invitations/{id}/`
    withdraws). Registration: founders propose `proposed_registration_number`; reviewers,
    approvers and administrators `registration/confirm/`, `refuse/` or `revoke/` it.
    """

    serializer_class = StartupSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "startups.add_startup",
        "retrieve": "startups.view_startup",
        "update": "startups.change_startup",
        "partial_update": "startups.change_startup",
        "members": "startups.view_startup",
        "member_remove": "startups.delete_membership",
        "pending_invitations": "startups.view_startup",
        "invitation_withdraw": "startups.delete_membership",
        "timeline": "startups.view_startup",
        "registration_confirm": "startups.verify_registration",
        "registration_refuse": "startups.verify_registration",
        "registration_revoke": "startups.verify_registration",
        "reports": "startups.view_startup",
        "support": "startups.view_startup",
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

    # --- members and invitations ------------------------------------------------------------

    @extend_schema(request=MemberAddSerializer, responses={200: MembershipSerializer(many=True), 201: InvitationSerializer})
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        """GET: the members. POST (an owner): invite a co-founder, who joins on accepting."""
        startup = self.get_object()
        if request.method == "GET":
            return Response(MembershipSerializer(selectors.memberships_of(startup), many=True).data)
        require_perm(request.user, "startups.add_membership", startup)
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_create(startup=startup, **serializer.validated_data, by=request.user)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<membership_id>\d+)")
    def member_remove(self, request, pk=None, membership_id=None):
        """An owner removes a member (never the last owner)."""
        startup = self.get_object()
        membership = get_object_or_404(selectors.memberships_of(startup), pk=membership_id)
        services.membership_remove(membership=membership, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: InvitationSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="pending-invitations")
    def pending_invitations(self, request, pk=None):
        """The invitations not answered yet, for the startup's members and the staff."""
        startup = self.get_object()
        return Response(InvitationSerializer(selectors.open_invitations_of(startup), many=True).data)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["delete"], url_path=r"pending-invitations/(?P<invitation_id>\d+)")
    def invitation_withdraw(self, request, pk=None, invitation_id=None):
        startup = self.get_object()
        invitation = get_object_or_404(selectors.open_invitations_of(startup), pk=invitation_id)
        services.invitation_withdraw(invitation=invitation, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: InvitationSerializer(many=True)})
    @action(detail=False, methods=["get"], url_path="invitations")
    def my_invitations(self, request):
        """The caller's own invitations waiting for an answer."""
        page = self.paginate_queryset(selectors.open_invitations_for(request.user))
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    def _my_invitation(self, request, invitation_id):
        return get_object_or_404(selectors.open_invitations_for(request.user), pk=invitation_id)

    @extend_schema(request=None, responses={201: MembershipSerializer})
    @action(detail=False, methods=["post"], url_path=r"invitations/(?P<invitation_id>\d+)/accept")
    def invitation_accept(self, request, invitation_id=None):
        """The invitee accepts: they are a member from now on."""
        invitation = self._my_invitation(request, invitation_id)
        membership = services.invitation_accept(invitation=invitation, by=request.user)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=False, methods=["post"], url_path=r"invitations/(?P<invitation_id>\d+)/decline")
    def invitation_decline(self, request, invitation_id=None):
        invitation = services.invitation_decline(
            invitation=self._my_invitation(request, invitation_id), by=request.user
        )
        return Response(InvitationSerializer(invitation).data)

    # --- timeline and registration -------------------------------------------------------------

    @extend_schema(responses={200: StartupEventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """Who changed the stage, the sector, the registration and the members, and when."""
        page = self.paginate_queryset(selectors.events_of(self.get_object()))
        return self.get_paginated_response(StartupEventSerializer(page, many=True).data)

    @extend_schema(request=RegistrationConfirmSerializer, responses={200: StartupSerializer})
    @action(detail=True, methods=["post"], url_path="registration/confirm")
    def registration_confirm(self, request, pk=None):
        serializer = RegistrationConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        startup = services.registration_confirm(
            startup=self.get_object(), **serializer.validated_data, by=request.user
        )
        return Response(StartupSerializer(startup).data)

    @extend_schema(request=ReasonSerializer, responses={200: StartupSerializer})
    @action(detail=True, methods=["post"], url_path="registration/refuse")
    def registration_refuse(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        startup = services.registration_refuse(startup=self.get_object(), **serializer.validated_data, by=request.user)
        return Response(StartupSerializer(startup).data)

    @extend_schema(request=ReasonSerializer, responses={200: StartupSerializer})
    @action(detail=True, methods=["post"], url_path="registration/revoke")
    def registration_revoke(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        startup = services.registration_revoke(startup=self.get_object(), **serializer.validated_data, by=request.user)
        return Response(StartupSerializer(startup).data)

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

    @extend_schema(responses={200: SupportSerializer})
    @action(detail=True, methods=["get"])
    def support(self, request, pk=None):
        """Every kind of public support the startup received, and the totals by kind
        (its members and the staff)."""
        return Response(SupportSerializer(support_of(self.get_object())).data)
