"""What a sign-in owes after the password: the second factor, and the staff idle timeout.

At login (any login: the login page, the admin's, a test client's) the session records what is
still owed, so that later requests read the session and never the database:
- SECOND_FACTOR_KEY: "verify" (the user has a confirmed device: a code is needed) or "enrol"
  (the user's role is in STAFF_OTP_ROLES and they have no device yet); absent when nothing is
  owed. It goes once a code from a confirmed device has been accepted (`pass_second_factor`).
- LAST_SEEN_KEY: for staff, when the session last made a request (StaffIdleTimeoutMiddleware).
"""
import time

import django_otp
from django.conf import settings
from django.contrib.auth.signals import user_logged_in

SECOND_FACTOR_KEY = "second_factor"
VERIFY, ENROL = "verify", "enrol"
LAST_SEEN_KEY = "staff_last_seen"


def otp_required(user) -> bool:
    """The user's roles oblige them to have a confirmed device (STAFF_OTP_ROLES)."""
    return bool(user.role_codes & settings.STAFF_OTP_ROLES)


def second_factor_step(user) -> str | None:
    """What signing in as `user` needs after the password: VERIFY, ENROL or nothing."""
    if django_otp.user_has_device(user, confirmed=True):
        return VERIFY
    if otp_required(user):
        return ENROL
    return None


def pending_step(request) -> str | None:
    return request.session.get(SECOND_FACTOR_KEY)


def pass_second_factor(request, device) -> None:
    """The session's user gave a code `device` accepted: the session is verified (under a new
    session key, as at any change of privilege)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(SECOND_FACTOR_KEY, None)


def _on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    step = second_factor_step(user)
    if step:
        request.session[SECOND_FACTOR_KEY] = step
    if user.is_staff_member:
        request.session[LAST_SEEN_KEY] = int(time.time())


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="accounts.sign_in")
