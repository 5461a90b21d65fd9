"""Failed-login lock-outs: axes' database handler with one limit per lock-out parameter.

settings.AXES_LOCKOUT_PARAMETERS counts failures as (username and address), (address) and
(username); the first is limited by AXES_FAILURE_LIMIT (the contract's LOGIN_FAILURE_LIMIT), the
others by LOGIN_ADDRESS_FAILURE_LIMIT and LOGIN_USERNAME_FAILURE_LIMIT. Axes itself compares the
largest count with one limit, which would let five failures spread over five usernames lock a
whole address out; and it clears every count on a success, which would let a sprayer holding one
real account reset the address's count at will.
"""
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def _limits() -> list[int]:
    return [settings.AXES_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT, settings.LOGIN_USERNAME_FAILURE_LIMIT]


class LockoutHandler(AxesDatabaseHandler):
    def _failures(self, request, credentials) -> list[int]:
        return [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]

    def get_failures(self, request, credentials=None) -> int:
        """The username-and-address count: what axes compares with AXES_FAILURE_LIMIT."""
        return self._failures(request, credentials)[0]

    def is_locked(self, request, credentials=None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        return any(failures >= limit for failures, limit in zip(self._failures(request, credentials), _limits()))

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes marked the lock-out of the username-and-address count; the other two are ours.
        if request is not None and not request.axes_locked_out and self.is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A success clears its own username-and-address count only."""
        count, _deleted = self.filter_user_attempts(request, credentials)[0].delete()
        return count
