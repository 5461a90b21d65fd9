from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import ActivityEntry

from .models import User


def users_visible_to(user):
    """Admins see every account (roles prefetched for the list); others none."""
    if not user.has_role("admin"):
        return User.objects.none()
    return User.objects.prefetch_related("roles").order_by("id")


def totp_device_being_enrolled(user) -> TOTPDevice | None:
    """The user's newest unconfirmed authenticator, if they started enrolling one."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def activity_log():
    """The configuration changes, newest first, with who made them (one query a page)."""
    return ActivityEntry.objects.select_related("actor", "target_type").order_by("-at", "-id")
