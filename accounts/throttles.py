"""Rate limits of the password-reset page (DRF's throttles, outside DRF).

Per client address (settings.REST_FRAMEWORK rate "password_reset", the address read as for
every throttle: accounts.client_address) and per e-mail address asked for
("password_reset_email"), so that neither one client nor many can flood a mailbox or probe for
accounts.
"""
import hashlib

from rest_framework.throttling import SimpleRateThrottle


class PasswordResetAddressThrottle(SimpleRateThrottle):
    scope = "password_reset"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PasswordResetEmailThrottle(SimpleRateThrottle):
    scope = "password_reset_email"

    def get_cache_key(self, request, view):
        email = request.POST.get("email", "").strip().lower()
        if not email:
            return None
        # Hashed: an e-mail address is no cache key (length, characters), nor is it kept.
        ident = hashlib.sha256(email.encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


def password_reset_allowed(request) -> bool:
    """Counts this request against both limits; False once either is used up."""
    # Both are asked (no short-circuit), so a flood of one address counts against the e-mail too.
    results = [throttle().allow_request(request, None) for throttle in (PasswordResetAddressThrottle, PasswordResetEmailThrottle)]
    return all(results)
