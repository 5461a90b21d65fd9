"""Fixtures shared by every test, and the rule for tests that need real services.

A test that needs PostgreSQL, Redis or a Celery worker calls `need_service(reason)` when the
service is missing: it is skipped (with the reason) on a developer's bare machine, and it fails
when REQUIRE_SERVICES=1, as in CI, so a missing service can never pass unnoticed.
"""
import os

import pytest
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from tests import factories
from tests.caches import clear_own_cache

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need_service(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True, scope="session")
def _in_memory_broker():
    """Messages that tests queue (on-commit callbacks they run) stay in this process; the
    routing tests that need a real broker and worker live in tests/reliability."""
    from incubator.celery import app

    app.conf.broker_url = "memory://"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No role requires a second factor, so that tests can sign staff in with a password (or
    # force_login) alone; the second factor's own tests (tests/accounts/test_second_factor.py)
    # turn the production default back on.
    settings.STAFF_OTP_ROLES = frozenset()
    settings.MEDIA_ROOT = tmp_path / "media"
    # A request in Korean leaves its thread in Korean (LocaleMiddleware activates, nothing
    # deactivates): each test starts in the default language.
    translation.activate(settings.LANGUAGE_CODE)
    # Each xdist worker has a database of its own but may share the cache (Redis, as in CI):
    # its keys are its own, or one worker's site 1 would be read for another's.
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", "")}}
    # The week calendars are kept, and sessions read from Redis, only in the tests of these
    # (tests/spaces/test_week_cache.py, tests/accounts/test_sessions.py), so that no other test
    # (and no query count) depends on whether the machine has Redis.
    settings.SPACES_WEEK_CACHE_SECONDS = 0
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # Likewise the nudges' coalescing (its flags, in Redis, would outlive the test that set them
    # and silence another's publish): tests/incubator/test_nudge.py turns it on.
    settings.NUDGE_COALESCE_SECONDS = 0
    # Throttle counters live in the cache; each test starts with none.
    clear_own_cache()


@pytest.fixture
def postgres(db):
    """Marks a test that needs PostgreSQL's guarantees (row locks, exclusion constraints)."""
    if connection.vendor != "postgresql":
        need_service("this test needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_url():
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        need_service("this test needs Redis: set REDIS_URL=redis://...")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        need_service(f"Redis at {url} cannot be reached: {exc}")
    return url


@pytest.fixture
def redis_cache(settings, redis_url):
    """The cache in Redis, as in production, with keys of this test's own, emptied."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-{os.environ.get('PYTEST_XDIST_WORKER', '')}",
        }
    }
    clear_own_cache()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def founder(db):
    return factories.UserFactory(roles=["founder"])


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(roles=["admin"], is_staff=True)


@pytest.fixture
def founder_api(api, founder):
    api.force_authenticate(founder)
    api.user = founder
    return api


@pytest.fixture
def admin_api(api, admin_user):
    api.force_authenticate(admin_user)
    api.user = admin_user
    return api
