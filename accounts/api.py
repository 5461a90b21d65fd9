from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.exceptions import InvalidInput
from core.permissions import RulesPermission

from . import selectors, services
from .models import Department, User
from .serializers import (
    DepartmentSerializer,
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
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Axes counts the failures (LOGIN_FAILURE_LIMIT) and then refuses every attempt, right
        # or wrong, for a while; it marks the request, which this API answers with 429.
        user = authenticate(request=request, **serializer.validated_data)
        if getattr(request, "axes_locked_out", False):
            raise Throttled(detail=_("Too many failed logins: try again later."))
        if user is None or not user.is_active:
            raise InvalidInput(_("Unable to log in with these credentials."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
