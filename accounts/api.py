import django_otp
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.exceptions import InvalidInput, NotPermitted
from core.permissions import RulesPermission

from . import selectors, services, sign_in
from .models import Department, User
from .serializers import (
    DepartmentSerializer,
    OtpConfirmSerializer,
    OtpEnrolmentSerializer,
    RegisterSerializer,
    StaffUserCreateSerializer,
    StaffUserSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)


class AuthThrottled:
    """Token and register endpoints are throttled per client address (AUTH_THROTTLE_RATE)."""

    throttle_scope = "auth"
    throttle_classes = [ScopedRateThrottle]


class TokenView(AuthThrottled, APIView):
    """POST: log in (a new expiring token); DELETE: log out (the token sent is deleted)."""

    def _logging_out(self) -> bool:
        # The schema generator asks before it has a request.
        return getattr(getattr(self, "request", None), "method", None) == "DELETE"

    def get_authenticators(self):
        # Logging in reads no Authorization header (a stale token must not stand in the way);
        # logging out needs the token it ends.
        return [TokenAuthentication()] if self._logging_out() else []

    def get_permissions(self):
        return [IsAuthenticated()] if self._logging_out() else [AllowAny()]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        otp = serializer.validated_data.pop("otp", "")
        # Axes counts the failures (LOGIN_FAILURE_LIMIT and the per-address and per-username
        # limits) and then refuses every attempt, right or wrong, for a while; it marks the
        # request, which this API answers with 429.
        user = authenticate(request=request, **serializer.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise Throttled(detail=_("Too many failed logins: try again later."))
        if user is None or not user.is_active:
            raise InvalidInput(_("Unable to log in with these credentials."))
        step = sign_in.second_factor_step(user)
        if step == sign_in.ENROL:
            raise NotPermitted(
                _("Your role signs in with a second factor: enrol an authenticator app first (log in on the web pages).")
            )
        if step == sign_in.VERIFY and not (otp and django_otp.match_token(user, otp)):
            raise InvalidInput(_("A valid code from your authenticator app is needed."), field="otp")
        return Response({"token": services.api_token_create(user=user)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_token_delete(token=request.auth, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OtpEnrolView(APIView):
    """A staff member starts enrolling an authenticator app."""

    @extend_schema(request=None, responses={201: OtpEnrolmentSerializer})
    def post(self, request):
        device = services.otp_device_start(by=request.user)
        return Response({"otpauth_uri": device.config_url}, status=status.HTTP_201_CREATED)


class OtpConfirmView(APIView):
    """The staff member confirms the new device with a code it shows."""

    @extend_schema(request=OtpConfirmSerializer, responses={200: None})
    def post(self, request):
        serializer = OtpConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.otp_device_confirm(otp=serializer.validated_data["otp"], by=request.user)
        return Response(status=status.HTTP_200_OK)


class RegisterView(AuthThrottled, APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register_founder(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class MeView(generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user


class UserViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff accounts, kept by admins."""

    serializer_class = StaffUserSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "accounts.add_user",
        "list": "accounts.view_user",
        "retrieve": "accounts.view_user",
    }
    search_fields = ["username", "email"]
    ordering = ["id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no real user
            return User.objects.none()
        return selectors.users_visible_to(self.request.user)

    @extend_schema(request=StaffUserCreateSerializer, responses={201: StaffUserSerializer})
    def create(self, request, *args, **kwargs):
        serializer = StaffUserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create_staff(**serializer.validated_data, by=request.user)
        return Response(StaffUserSerializer(user).data, status=status.HTTP_201_CREATED)


class DepartmentViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DepartmentSerializer
    permission_classes = [RulesPermission]
    rules_permissions = {
        "create": "accounts.add_department",
        "list": "accounts.view_department",
        "retrieve": "accounts.view_department",
    }
    queryset = Department.objects.order_by("name", "id")
    search_fields = ["name", "code"]

    def perform_create(self, serializer):
        serializer.instance = services.department_create(**serializer.validated_data, by=self.request.user)
