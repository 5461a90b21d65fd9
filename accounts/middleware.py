"""The sign-in's obligations on every page request (see accounts.sign_in)."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from .sign_in import ENROL, LAST_SEEN_KEY, VERIFY, pending_step

# The page that settles each step; a session owing a step reaches it, and these.
STEP_PAGES = {VERIFY: "otp-verify", ENROL: "otp-enrol"}
ALWAYS_OPEN = frozenset({"logout", "set_language"})
# The last-seen time is written at most this often (seconds), not on every request.
LAST_SEEN_RESOLUTION = 60


class StaffIdleTimeoutMiddleware:
    """A staff session that made no request for STAFF_SESSION_IDLE_MINUTES is signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        last_seen = request.session.get(LAST_SEEN_KEY)
        if last_seen is not None:
            now = int(time.time())
            if now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a while without activity: please log in again."))
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """Pages refuse a session that owes its second factor and send it to the step it owes.

    API views are left to their authentication (accounts.authentication), which treats such a
    session as no session; the Django admin is a page like any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = pending_step(request)
        if step is None or not request.user.is_authenticated:
            return None
        page = STEP_PAGES[step]
        if request.resolver_match.url_name in ALWAYS_OPEN | {page}:
            return None
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return redirect_to_login(request.get_full_path(), reverse(page))
