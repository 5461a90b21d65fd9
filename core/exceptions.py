"""The one family of domain errors, and how the API renders them.

Services raise `DomainError` subclasses; the DRF handler below turns them into `409` (the
object's state does not allow the action), `400` (the input breaks a rule), `403` (the caller
may not act) or `404` (the caller may not see the object), and HTML views show the same message
with `messages.error`.
"""
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A business rule refused an action. `message` is shown to people as it is."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message, *, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """The input breaks a rule of the domain (400)."""


class StateConflict(DomainError):
    """The object's current state does not allow the action (409)."""

    status_code = status.HTTP_409_CONFLICT


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does (404)."""

    status_code = status.HTTP_404_NOT_FOUND


class NotPermitted(DomainError):
    """The caller may see the object but not do this to it (403)."""

    status_code = status.HTTP_403_FORBIDDEN


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        if exc.field:
            return Response({exc.field: [str(exc.message)]}, status=exc.status_code)
        return Response({"detail": str(exc.message)}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(_validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": str(_("The request body is too large."))}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
        )
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        return Response({"detail": str(_("The request has too many fields."))}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # A database constraint caught what the services' checks should have: a conflict, not
        # a crash.
        return Response(
            {"detail": str(_("The change conflicts with the current data."))},
            status=status.HTTP_409_CONFLICT,
        )
    return exception_handler(exc, context)


def _validation_error_body(exc):
    if hasattr(exc, "message_dict"):
        return {
            ("detail" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {"detail": exc.messages}
