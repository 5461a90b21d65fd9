"""The programme's API: the scheduler, the slots, releases, the public programme, outcomes.

Expo-level routes sit beside the expo viewset (incubator/api_urls.py). An expo another
department organises is a 404 to its organisers, as to everyone else.
"""
from django.core.cache import cache
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.fields import parse_id

from . import programme, selectors_programme
from .models import Showcase, ShowcaseSlot
from .serializers_programme import (
    OutcomeSerializer,
    ProgrammeSerializer,
    ReleaseCreateSerializer,
    ReleaseSerializer,
    ScheduleResultSerializer,
    SlotMoveSerializer,
    SlotSerializer,
)

PROGRAMME_CACHE_SECONDS = 24 * 3600


def _managed_expo(request, pk):
    expo = selectors_programme.managed_expo(request.user, parse_id(pk))
    if expo is None:
        raise Http404
    return expo


class ScheduleView(APIView):
    """POST: place every accepted showcase that can be placed (pinned slots stay)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ScheduleResultSerializer})
    def post(self, request, pk):
        expo = _managed_expo(request, pk)
        result = programme.schedule_run(expo=expo, by=request.user)
        return Response(ScheduleResultSerializer(result).data)


class SlotListView(generics.ListAPIView):
    """GET: the expo's working schedule (organisers)."""

    serializer_class = SlotSerializer
    permission_classes = [IsAuthenticated]
    queryset = ShowcaseSlot.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ShowcaseSlot.objects.none()
        return selectors_programme.slots_of(_managed_expo(self.request, self.kwargs["pk"]))


class SlotDetailView(APIView):
    """GET one slot; PATCH {"hall", "starts_at", "pinned"} moves and/or pins it."""

    permission_classes = [IsAuthenticated]

    def _slot(self, request, pk):
        slot = selectors_programme.slots_managed_by(request.user).filter(pk=parse_id(pk)).first()
        if slot is None:
            raise Http404
        return slot

    @extend_schema(responses={200: SlotSerializer})
    def get(self, request, pk):
        return Response(SlotSerializer(self._slot(request, pk)).data)

    @extend_schema(request=SlotMoveSerializer, responses={200: SlotSerializer})
    def patch(self, request, pk):
        slot = self._slot(request, pk)
        serializer = SlotMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = programme.slot_move(slot=slot, **serializer.validated_data, by=request.user)
        return Response(SlotSerializer(slot).data)


class ReleaseListView(APIView):
    """GET the expo's releases, newest first; POST {"comment"} releases the schedule."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ReleaseSerializer(many=True)})
    def get(self, request, pk):
        expo = _managed_expo(request, pk)
        return Response(ReleaseSerializer(selectors_programme.releases_of(expo), many=True).data)

    @extend_schema(request=ReleaseCreateSerializer, responses={201: ReleaseSerializer})
    def post(self, request, pk):
        expo = _managed_expo(request, pk)
        serializer = ReleaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        release = programme.release_create(expo=expo, comment=serializer.validated_data["comment"], by=request.user)
        return Response(ReleaseSerializer(release).data, status=status.HTTP_201_CREATED)


class ProgrammeView(APIView):
    """The public programme, no login: the expo's last release (404 before the first)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: ProgrammeSerializer})
    def get(self, request, pk):
        release = selectors_programme.latest_release(parse_id(pk))
        if release is None:
            raise Http404
        # A release never changes: its programme is built once and kept in the cache.
        key = f"expos:programme-json:{release.pk}"
        data = cache.get(key)
        if data is None:
            slots = list(selectors_programme.released_slots(release))
            data = ProgrammeSerializer({"release": release, "slots": slots}).data
            cache.set(key, data, timeout=PROGRAMME_CACHE_SECONDS)
        return Response(data)


class OutcomeView(APIView):
    """POST {"visitors", "meetings", "leads"} (a member of the startup, after the expo)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=OutcomeSerializer, responses={200: OutcomeSerializer})
    def post(self, request, pk):
        showcase = (
            Showcase.objects.filter(pk=parse_id(pk), startup__memberships__user=request.user)
            .select_related("expo")
            .first()
        )
        if showcase is None:
            raise Http404
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = programme.outcome_record(showcase=showcase, **serializer.validated_data, by=request.user)
        return Response(OutcomeSerializer(outcome).data)
