"""Rates on the writes that cost storage (DEFAULT_THROTTLE_CLASSES).

A view names the scope of each action, `throttle_scopes = {"create": "drafts"}`; its writes
(not its reads) are counted per user, or per client address without one, against
DEFAULT_THROTTLE_RATES[scope]. Views without `throttle_scopes` are not throttled here.
"""
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ActionRateThrottle(ScopedRateThrottle):
    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        self.scope = getattr(view, "throttle_scopes", {}).get(getattr(view, "action", None))
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super(ScopedRateThrottle, self).allow_request(request, view)

    def get_rate(self):
        # Read at each request: the rates are settings, not fixed at import.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
