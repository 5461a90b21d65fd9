from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.exceptions import InvalidInput
from core.permissions import RulesPermission

from . import selectors, services
from .models import Expo, Hall, Showcase
from .serializers import (
    ExpoSerializer,
    HallSerializer,
    ReleaseOutSerializer,
    ShowcaseDecideSerializer,
    ShowcaseReviewInSerializer,
    ShowcaseReviewOutSerializer,
    ShowcaseSerializer,
)

_WRITE = (mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin)


class ExpoViewSet(*_WRITE, viewsets.GenericViewSet):
    """Expos: everyone signed in reads them; their department's organisers and admins write."""

    serializer_class = ExpoSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "list": "expos.view_expo",
        "retrieve": "expos.view_expo",
        "create": "expos.add_expo",
        "update": "expos.change_expo",
        "partial_update": "expos.change_expo",
        "release_decisions": "expos.release_decisions",
    }
    search_fields = ["name", "city", "venue"]
    filterset_fields = ["department", "city"]
    ordering_fields = ["name", "starts_on", "applications_close_on"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Expo.objects.none()
        return selectors.expos_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.expo_create(**serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.expo_update(
            expo=serializer.instance, **serializer.validated_data, by=self.request.user
        )

    @extend_schema(request=None, responses={200: ReleaseOutSerializer})
    @action(detail=True, methods=["post"], url_path="release-decisions")
    def release_decisions(self, request, pk=None):
        expo = self.get_object()
        released = services.expo_release_decisions(expo=expo, by=request.user)
        return Response({"released": released}, status=status.HTTP_200_OK)


class HallViewSet(*_WRITE, viewsets.GenericViewSet):
    """An expo's halls: read by everyone signed in; written by the expo's organisers."""

    serializer_class = HallSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "expos.add_hall",
        "update": "expos.change_hall",
        "partial_update": "expos.change_hall",
    }
    filterset_fields = ["expo"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Hall.objects.none()
        return selectors.halls_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        expo = data.pop("expo")
        if not selectors.expos_managed_by(self.request.user).filter(pk=expo.pk).exists():
            raise InvalidInput(_("You do not organise this expo."), field="expo")
        serializer.instance = services.hall_create(expo=expo, **data, by=self.request.user)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("expo", None)
        serializer.instance = services.hall_update(hall=serializer.instance, **data, by=self.request.user)


class ShowcaseViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Showcase applications: founders apply and see their startups'; organisers review and
    decide on their expos'."""

    serializer_class = ShowcaseSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "expos.add_showcase",
        "retrieve": "expos.view_showcase",
        "review": "expos.review_showcase",
        "decide": "expos.decide_showcase",
    }
    filterset_fields = ["expo", "status", "startup"]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Showcase.objects.none()
        return selectors.showcases_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.showcase_create(**serializer.validated_data, by=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShowcaseReviewInSerializer, responses={200: ShowcaseReviewOutSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        showcase = self.get_object()
        serializer = ShowcaseReviewInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.showcase_review(showcase=showcase, **serializer.validated_data, by=request.user)
        return Response(ShowcaseReviewOutSerializer(review).data)

    @extend_schema(request=ShowcaseDecideSerializer, responses={200: ShowcaseSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        showcase = self.get_object()
        serializer = ShowcaseDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.showcase_decide(showcase=showcase, decision=serializer.validated_data["decision"], by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=showcase.pk)).data)
