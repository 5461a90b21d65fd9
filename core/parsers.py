"""DRF's parsers, bounded (DEFAULT_PARSER_CLASSES): no request body is read past its limit,
and no JSON is nested deeper than a person's data is.

JSON and form bodies are read up to DATA_UPLOAD_MAX_MEMORY_SIZE (Django's `request.body`),
multipart bodies up to one attachment and a megabyte (`upload_request_max_bytes`), each a
413 beyond it, before anything is read. JSON is at most MAX_JSON_DEPTH deep (a body nested
100,000 deep exhausted Python's recursion: a 500) and its numbers are finite (`1e400` is no
number a field holds).
"""
import json
import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

MAX_JSON_DEPTH = 32
MB = 1024 * 1024


def upload_request_max_bytes() -> int:
    """The largest multipart body: one attachment and a megabyte for the rest of the form."""
    return (settings.ATTACHMENT_MAX_MB + 1) * MB


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _declared_length(parser_context) -> int:
    request = (parser_context or {}).get("request")
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
    except ValueError:
        return 0


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:20]}")
    return value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _check_depth(data) -> None:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(_("JSON nested deeper than %(depth)d levels.") % {"depth": MAX_JSON_DEPTH})
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(stream.read().decode(encoding), parse_float=_finite, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(
                _("JSON nested deeper than %(depth)d levels.") % {"depth": MAX_JSON_DEPTH}
            ) from None
        except ValueError as exc:  # also UnicodeDecodeError, and integers of more than 4300 digits
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if isinstance(data, (dict, list)):
            _check_depth(data)
        return data


# DRF hands JSON and form parsers `request.body`, which Django reads only up to
# DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig: a 413 from core.exceptions' handler).
FormParser = parsers.FormParser


class MultiPartParser(parsers.MultiPartParser):
    """Django's multipart parser reads the body in chunks; files go through
    FILE_UPLOAD_HANDLERS (core.uploads.LimitedUploadHandler)."""

    def parse(self, stream, media_type=None, parser_context=None):
        if _declared_length(parser_context) > upload_request_max_bytes():
            raise RequestTooLarge()
        return super().parse(stream, media_type, parser_context)
