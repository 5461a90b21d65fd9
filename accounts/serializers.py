from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core import serializers
from core.money import MoneySerializerField

from .enums import RoleCode
from .models import Department, User


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user.role_codes)


class StaffUserSerializer(UserSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "roles", "department", "approval_limit"]


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(
        r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={"invalid": _("Letters, digits and @/./+/-/_ only.")},
    )
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})


class StaffUserCreateSerializer(RegisterSerializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=RoleCode.choices), allow_empty=False)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), allow_null=True, required=False, default=None
    )
    approval_limit = MoneySerializerField(
        min_value=Decimal(0), allow_null=True, required=False, default=None
    )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=16,
        required=False,
        help_text=_("A code from the authenticator app (or a backup code), once the user has a confirmed device."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class OtpEnrolmentSerializer(serializers.Serializer):
    otpauth_uri = serializers.CharField(
        help_text=_("otpauth://totp/... for an authenticator app: 6 digits, 30 seconds, SHA-1.")
    )


class OtpConfirmSerializer(serializers.Serializer):
    otp = serializers.CharField(max_length=16)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "code", "email"]
