"""Sessions read from Redis (the production setting with REDIS_URL): a signed-in page reads no
session row, and a session that ended, by logging out or by its row going, ends everywhere."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.caches import clear_own_cache
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_sessions(settings, redis_cache):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def signed_in(user):
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def session_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_signed_in_page_reads_no_session_row(cached_sessions, founder):
    client = signed_in(founder)

    assert session_queries(client, reverse("notifications:list")) == []


def test_a_logged_out_session_is_refused_by_every_process(cached_sessions, founder):
    client = signed_in(founder)
    stolen = client.cookies["sessionid"].value
    assert client.post(reverse("logout")).status_code == 302

    other = Client()  # another browser (or process) with the old cookie
    other.cookies["sessionid"] = stolen

    assert other.get(reverse("notifications:list")).status_code == 302  # to the login page
    assert not Session.objects.filter(session_key=stolen).exists()


def test_a_session_written_through_survives_an_empty_cache(cached_sessions, founder):
    client = signed_in(founder)
    clear_own_cache()  # Redis restarted: the database still holds the session

    assert client.get(reverse("notifications:list")).status_code == 200
