"""Meeting-room bookings and space charges in the API (contract: "Coworking spaces").

`room-bookings/`: create, `weekly/` (every occurrence or none), list `?startup=&unit=`, retrieve,
`cancel/`, `check-in/`. `space-charges/`: list `?startup=&month=YYYY-MM`, `issue/` (space
managers and administrators), `export/?site=&month=` (CSV). Whatever the caller may not see is
a 404 (the selectors scope every read).
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.fields import parse_id
from core.permissions import RulesPermission

from . import booking_rules, bookings, charges
from . import booking_selectors as selectors
from .booking_filters import RoomBookingFilter, SpaceChargeFilter
from .booking_serializers import (
    ChargesIssuedSerializer,
    ChargesIssueSerializer,
    MonthField,
    RoomBookingSerializer,
    SpaceChargeSerializer,
    WeeklyBookingSerializer,
    WeeklyBookingsSerializer,
)
from .models import RoomBooking, Site, SpaceCharge


class RoomBookingViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Meeting-room bookings: a founder's startups' ones; a space manager's sites' ones."""

    serializer_class = RoomBookingSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "spaces.add_roombooking",
        "weekly": "spaces.add_roombooking",
        "retrieve": "spaces.view_roombooking",
        "cancel": "spaces.cancel_roombooking",
        "check_in": "spaces.check_in_roombooking",
    }
    filterset_class = RoomBookingFilter
    ordering_fields = ["starts_at", "created_at"]
    ordering = ["starts_at", "id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoomBooking.objects.none()
        return selectors.bookings_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        created = bookings.booking_create(
            unit=data["unit"],
            startup=data["startup"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            by=request.user,
        )
        # The input's serializer shows the booking, as DRF's own `save()` leaves it: a second
        # one would build its fields again, in a write request of a few statements.
        serializer.instance = created[0]
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WeeklyBookingSerializer, responses={201: WeeklyBookingsSerializer})
    @action(detail=False, methods=["post"])
    def weekly(self, request):
        """Book a room weekly: every occurrence or none (409 listing the ones taken)."""
        serializer = WeeklyBookingSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        created = bookings.booking_create(**serializer.validated_data, by=request.user)
        return Response(WeeklyBookingsSerializer({"bookings": created}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RoomBookingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = bookings.booking_cancel(booking=self.get_object(), by=request.user)
        return Response(self.get_serializer(booking).data)

    @extend_schema(request=None, responses={200: RoomBookingSerializer})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        booking = bookings.booking_check_in(booking=self.get_object(), by=request.user)
        return Response(self.get_serializer(booking).data)


class SpaceChargeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly space charges and who pays them: a founder's startups' ones; a space manager's
    sites' ones."""

    serializer_class = SpaceChargeSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "retrieve": "spaces.view_spacecharge",
        "issue": "spaces.issue_spacecharges",
        "export": "spaces.export_spacecharges",
    }
    filterset_class = SpaceChargeFilter
    ordering = ["-month", "startup__name", "source", "source_id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SpaceCharge.objects.none()
        return selectors.charges_visible_to(self.request.user)

    @extend_schema(request=ChargesIssueSerializer, responses={201: ChargesIssuedSerializer})
    @action(detail=False, methods=["post"])
    def issue(self, request):
        """Write a finished month's charges (once: issuing it again writes nothing)."""
        serializer = ChargesIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        month = serializer.validated_data["month"]
        written = charges.charges_issue(month=month, by=request.user)
        return Response(
            ChargesIssuedSerializer({"month": month, "issued": len(written)}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("site", int, required=True),
            OpenApiParameter("month", str, required=True, description="YYYY-MM"),
        ],
        responses={(200, "text/csv"): str},
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """A site's charges of one month as CSV, for the finance office."""
        site_id = parse_id(request.query_params.get("site", ""))
        if site_id is None:
            raise ValidationError({"site": [_("Enter a valid id.")]})
        month = MonthField().run_validation(request.query_params.get("month", ""))
        site = Site.objects.filter(pk=site_id).first()
        if site is None or not booking_rules.manages_site_of(request.user, site):
            raise Http404
        rows = selectors.site_month_charges(request.user, site, month)
        response = HttpResponse(charges.charges_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{charges.csv_filename(site, month)}"'
        return response
