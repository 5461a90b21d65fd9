"""Request bodies: read within a limit, JSON to a depth, on every JSON endpoint (the parsers
are DRF's defaults; the letters API names them itself)."""

import io

import pytest
from rest_framework.test import APIClient

from applications.models import Letter
from core.parsers import MAX_JSON_DEPTH
from tests.applications.letters_cast import make_cast

TOKEN_URL = "/api/v1/auth/token/"
LETTERS_URL = "/api/v1/letters/"


class EndlessBody(io.RawIOBase):
    """A request body that never ends; reading more than `allowed` bytes fails the test (the
    code as it was read it whole: a 2 GB body filled a worker's memory)."""

    def __init__(self, allowed):
        self.allowed = allowed
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.read_bytes += len(buffer)
        if self.read_bytes > self.allowed:
            raise AssertionError(f"read {self.read_bytes} bytes of the body")
        buffer[:] = b" " * len(buffer)
        return len(buffer)


def post_endless(client, url, *, declared, allowed, content_type="application/json"):
    body = EndlessBody(allowed)
    response = client.generic(
        "POST", url, b"x", content_type=content_type, CONTENT_LENGTH=str(declared), **{"wsgi.input": body}
    )
    return response, body


@pytest.mark.django_db
def test_a_two_gigabyte_body_on_the_open_token_endpoint_is_413_unread():
    response, body = post_endless(APIClient(), TOKEN_URL, declared=2 * 1024**3, allowed=0)
    assert response.status_code == 413
    assert body.read_bytes == 0


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_that_says_it_is_small_is_read_no_further_than_the_limit(settings, content_type):
    """Past DATA_UPLOAD_MAX_MEMORY_SIZE the body is refused after one more byte."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response, body = post_endless(
        APIClient(), TOKEN_URL, declared=1000, allowed=64 * 1024, content_type=content_type
    )
    assert response.status_code in (400, 413)  # 1000 spaces: empty JSON (400) or an empty form (400)
    assert body.read_bytes <= 64 * 1024


@pytest.mark.django_db
def test_a_json_body_larger_than_the_limit_is_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = APIClient().post(TOKEN_URL, {"username": "x" * 2000, "password": "y"}, format="json")
    assert response.status_code == 413


@pytest.mark.django_db
def test_a_multipart_body_larger_than_one_attachment_is_413(settings):
    settings.ATTACHMENT_MAX_MB = 1
    response, body = post_endless(
        APIClient(),
        TOKEN_URL,
        declared=3 * 1024 * 1024,
        allowed=0,
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 413
    assert body.read_bytes == 0


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_too_deep_is_400_on_the_open_token_endpoint(depth):
    response = APIClient().generic("POST", TOKEN_URL, nested(depth), content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_json_nested_100000_deep_is_400_on_an_endpoint_that_names_its_parsers():
    cast = make_cast()
    client = APIClient()
    client.force_authenticate(cast.founder)
    body = (
        b'{"startup": %d, "category": "space", "subject": "s", "body": ' % cast.startup.pk
        + nested(100_000)
        + b"}"
    )
    response = client.generic("POST", LETTERS_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert Letter.objects.count() == 0


@pytest.mark.django_db
def test_json_as_deep_as_allowed_is_parsed():
    response = APIClient().generic("POST", TOKEN_URL, nested(MAX_JSON_DEPTH), content_type="application/json")
    assert response.status_code == 400  # a list is no token request: the serializer says so
    assert "non_field_errors" in response.data or "detail" in response.data


@pytest.mark.django_db
@pytest.mark.parametrize("number", [b"1e400", b"-1e400", b"1" + b"0" * 5000, b"NaN", b"Infinity"])
def test_json_numbers_no_field_can_hold_are_400(number):
    cast = make_cast()
    client = APIClient()
    client.force_authenticate(cast.founder)
    body = b'{"startup": ' + number + b', "category": "space", "subject": "s", "body": "b"}'
    response = client.generic("POST", LETTERS_URL, body, content_type="application/json")
    assert response.status_code == 400
    assert Letter.objects.count() == 0
