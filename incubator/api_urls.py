"""The JSON API under /api/v1/: one router for every app's viewsets."""
from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from applications import api as applications_api
from applications import routing_api
from expos import api as expos_api
from expos import api_programme
from notifications import api as notifications_api
from spaces import api as spaces_api
from spaces import api_bookings as spaces_bookings_api
from startups import api as startups_api
from subsidies import api as subsidies_api

router = DefaultRouter()
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("departments", accounts_api.DepartmentViewSet, basename="department")
router.register("startups", startups_api.StartupViewSet, basename="startup")
router.register("letters", applications_api.LetterViewSet, basename="letter")
router.register("queues", routing_api.QueueViewSet, basename="queue")
router.register("routing-rules", routing_api.RoutingRuleViewSet, basename="routing-rule")
router.register("rulesets", routing_api.RuleSetViewSet, basename="ruleset")
router.register("routing-preview", routing_api.RoutingPreviewViewSet, basename="routing-preview")
router.register("holidays", routing_api.HolidayViewSet, basename="holiday")
router.register("subsidy-programs", subsidies_api.ProgramViewSet, basename="subsidy-program")
router.register("subsidy-awards", subsidies_api.AwardViewSet, basename="subsidy-award")
router.register("disbursements", subsidies_api.DisbursementViewSet, basename="disbursement")
router.register("notifications", notifications_api.NotificationViewSet, basename="notification")
router.register("award-register", subsidies_api.AwardRegisterViewSet, basename="award-register")
router.register("space-sites", spaces_api.SiteViewSet, basename="space-site")
router.register("space-units", spaces_api.UnitViewSet, basename="space-unit")
router.register("space-requests", spaces_api.SpaceRequestViewSet, basename="space-request")
router.register("space-allocation-runs", spaces_api.AllocationRunViewSet, basename="space-allocation-run")
router.register("space-allocations", spaces_api.AllocationViewSet, basename="space-allocation")
router.register("room-bookings", spaces_bookings_api.RoomBookingViewSet, basename="room-booking")
router.register("space-charges", spaces_bookings_api.SpaceChargeViewSet, basename="space-charge")
router.register("expos", expos_api.ExpoViewSet, basename="expo")
router.register("expo-halls", expos_api.HallViewSet, basename="expo-hall")
router.register("showcases", expos_api.ShowcaseViewSet, basename="showcase")

urlpatterns = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="api-token"),
    path("auth/register/", accounts_api.RegisterView.as_view(), name="api-register"),
    path("me/", accounts_api.MeView.as_view(), name="api-me"),
    path("me/otp/", accounts_api.OtpEnrolView.as_view(), name="api-otp-enrol"),
    path("me/otp/confirm/", accounts_api.OtpConfirmView.as_view(), name="api-otp-confirm"),
    # The expo programme's routes, beside the expo and showcase viewsets of the router.
    path("expos/<int:pk>/schedule/", api_programme.ScheduleView.as_view(), name="api-expo-schedule"),
    path("expos/<int:pk>/slots/", api_programme.SlotListView.as_view(), name="api-expo-slots"),
    path("expos/<int:pk>/releases/", api_programme.ReleaseListView.as_view(), name="api-expo-releases"),
    path("expos/<int:pk>/programme/", api_programme.ProgrammeView.as_view(), name="api-expo-programme"),
    path("showcase-slots/<int:pk>/", api_programme.SlotDetailView.as_view(), name="api-showcase-slot"),
    path("showcases/<int:pk>/outcome/", api_programme.OutcomeView.as_view(), name="api-showcase-outcome"),
    *router.urls,
]
