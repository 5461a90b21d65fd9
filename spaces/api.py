from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import RulesPermission

from . import selectors
from .filters import AllocationFilter, SpaceRequestFilter, UnitFilter
from .models import Allocation, AllocationRun, Site, SpaceRequest, Unit
from .serializers import (
    AllocationEndSerializer,
    AllocationRunCreateSerializer,
    AllocationRunSerializer,
    AllocationSerializer,
    SiteSerializer,
    SpaceRequestSerializer,
    UnitSerializer,
)
from .services import allocations, requests, runs, sites


class SiteViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Coworking sites: everyone signed in reads them; the department's space managers and
    admins write."""

    serializer_class = SiteSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "spaces.view_site",
        "retrieve": "spaces.view_site",
        "create": "spaces.add_site",
        "update": "spaces.change_site",
        "partial_update": "spaces.change_site",
    }
    filterset_fields = ["department", "funding"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Site.objects.none()
        return selectors.sites_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = sites.site_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = sites.site_update(site=serializer.instance, **serializer.validated_data, by=self.request.user)


class UnitViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Desks, offices and meeting rooms: everyone signed in reads them (`?site=&kind=`)."""

    serializer_class = UnitSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "spaces.view_unit",
        "retrieve": "spaces.view_unit",
        "create": "spaces.add_unit",
        "update": "spaces.change_unit",
        "partial_update": "spaces.change_unit",
    }
    filterset_class = UnitFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Unit.objects.none()
        return selectors.units_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = sites.unit_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = sites.unit_update(unit=serializer.instance, **serializer.validated_data, by=self.request.user)


class SpaceRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Space requests (`?startup=&status=`): a founder's startups' ones, or the whole waiting
    list for space managers and admins; a member accepts or declines an offer."""

    serializer_class = SpaceRequestSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "spaces.view_spacerequest",
        "retrieve": "spaces.view_spacerequest",
        "accept": "spaces.answer_offer",
        "decline": "spaces.answer_offer",
    }
    filterset_class = SpaceRequestFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SpaceRequest.objects.none()
        return selectors.requests_visible_to(self.request.user)

    def _answered(self, space_request):
        return Response(SpaceRequestSerializer(self.get_queryset().get(pk=space_request.pk)).data)

    @extend_schema(request=None, responses={200: SpaceRequestSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answered(requests.offer_accept(space_request=self.get_object(), by=request.user))

    @extend_schema(request=None, responses={200: SpaceRequestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answered(requests.offer_decline(space_request=self.get_object(), by=request.user))


class AllocationRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Optimiser runs (space managers): propose, then confirm into offers."""

    serializer_class = AllocationRunSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "spaces.manage_spaces",
        "retrieve": "spaces.view_allocationrun",
        "create": "spaces.add_allocationrun",
        "confirm": "spaces.confirm_allocationrun",
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AllocationRun.objects.none()
        return selectors.runs_visible_to(self.request.user)

    @extend_schema(request=AllocationRunCreateSerializer, responses={201: AllocationRunSerializer})
    def create(self, request):
        serializer = AllocationRunCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = runs.run_create(site=serializer.validated_data.get("site"), by=request.user)
        return Response(AllocationRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AllocationRunSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        run = runs.run_confirm(run=self.get_object(), by=request.user)
        return Response(AllocationRunSerializer(run).data)


class AllocationViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Allocations (`?startup=&site=&unit=`): a space manager records one; never two
    overlapping on a unit (409, naming the period taken)."""

    serializer_class = AllocationSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "spaces.view_allocation",
        "retrieve": "spaces.view_allocation",
        "create": "spaces.add_allocation",
        "end": "spaces.end_allocation",
    }
    filterset_class = AllocationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Allocation.objects.none()
        return selectors.allocations_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = allocations.allocation_create(**serializer.validated_data, by=self.request.user)

    @extend_schema(request=AllocationEndSerializer, responses={200: AllocationSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        allocation = self.get_object()
        serializer = AllocationEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        allocation = allocations.allocation_end(
            allocation=allocation, ends_on=serializer.validated_data["ends_on"], by=request.user
        )
        return Response(AllocationSerializer(self.get_queryset().get(pk=allocation.pk)).data)
