"""The client's address, the same for the lock-outs (axes) and the throttles (DRF).

DRF's reading of X-Forwarded-For with NUM_PROXIES (settings.TRUSTED_PROXY_COUNT): with no proxy
the header is ignored, since any client can send it; behind n proxies the address the nearest
untrusted hop was seen from is the n-th from the right.
"""
from rest_framework.throttling import BaseThrottle


def client_address(request) -> str:
    return BaseThrottle().get_ident(request)
