"""API authentication by browser session, for sessions that owe nothing more."""
from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication

from .sign_in import pending_step


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, but a session still owing its second factor (it passed
    the password only) is no session: the caller is anonymous."""

    def authenticate(self, request):
        if pending_step(request._request):
            return None
        return super().authenticate(request)


class VerifiedSessionScheme(SessionScheme):
    """The OpenAPI schema's name for it: the session cookie, as for DRF's own."""

    target_class = VerifiedSessionAuthentication
