"""Schemathesis over the published schema: no input, however malformed, yields a 5xx, and every
documented response matches its schema.

One test per API operation, each with a few generated requests sent straight to the WSGI
application, authenticated as an admin (who may reach every operation). Examples are derived
deterministically, so a run is repeatable. The generated requests include malformed ones
(schemathesis' negative mode). For a longer hunt: SCHEMATHESIS_MAX_EXAMPLES=100, and
SCHEMATHESIS_COVERAGE=1 adds the coverage phase (every boundary and missing/wrong-typed value
the schema defines: about ten times the requests).
"""
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.services import api_token_create
from incubator.wsgi import application
from tests.factories import StartupFactory, UserFactory

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
COVERAGE_PHASE = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    application,
    config=SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE_PHASE}}}),
)


@pytest.fixture
def _keep_the_test_connection():
    """Requests go straight to the WSGI application, whose request signals would close the
    database connection that holds the test's transaction; Django's own test client
    disconnects them in the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db, _keep_the_test_connection):
    admin = UserFactory(roles=["admin"], is_staff=True)
    # A few rows, so that some generated ids find something.
    founder = UserFactory(roles=["founder"])
    StartupFactory.create_batch(2, owner=founder)
    return api_token_create(user=admin)


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_5xx_and_matches_its_schema(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
