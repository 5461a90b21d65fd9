"""Schemathesis over the published schema: no input, however malformed, yields a 5xx, and every
documented response matches its schema.

Two tests per API operation, with generated requests sent straight to the WSGI application,
authenticated as an admin (who may reach every operation but a founder's own: those as a
founder of two startups): valid requests (positive mode),
whose responses must match the schema, and malformed ones (negative mode: wrong types, values
out of range, missing required fields, strings where ids go, in bodies, paths and query
strings), which must never be a 5xx. Examples are derived deterministically, so a run is
repeatable. For a longer hunt: SCHEMATHESIS_MAX_EXAMPLES=100 (both modes), and
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

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "0")) or None
COVERAGE_PHASE = os.environ.get("SCHEMATHESIS_COVERAGE") == "1"


def _schema(mode: str):
    config = {"generation": {"mode": mode}, "phases": {"coverage": {"enabled": COVERAGE_PHASE}}}
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, config=SchemathesisConfig.from_dict(config)
    )


def _takes_input(ctx) -> bool:
    definition = ctx.operation.definition.raw
    return bool(definition.get("parameters") or definition.get("requestBody"))


valid = _schema("positive")
# An operation that takes no input has nothing to malform.
malformed = _schema("negative").include(_takes_input)


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


# What founders do (register startups, write letters) their role alone may do: those
# operations are called as the founder, so that generated input reaches the services.
FOUNDER_PATHS = ("/api/v1/startups/", "/api/v1/letters/")


@pytest.fixture
def tokens(db, _keep_the_test_connection):
    admin = UserFactory(roles=["admin"], is_staff=True)
    # A few rows, so that some generated ids find something.
    founder = UserFactory(roles=["founder"])
    StartupFactory.create_batch(2, owner=founder)
    return {"admin": api_token_create(user=admin), "founder": api_token_create(user=founder)}


def _headers(case, tokens) -> dict:
    who = "founder" if case.operation.path.startswith(FOUNDER_PATHS) else "admin"
    return {"Authorization": f"Token {tokens[who]}"}


def _examples(default: int):
    return hypothesis_settings(
        max_examples=MAX_EXAMPLES or default,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@valid.parametrize()
@_examples(8)
def test_api_never_answers_5xx_and_matches_its_schema(case, tokens):
    case.call_and_validate(
        headers=_headers(case, tokens), checks=[not_a_server_error, response_schema_conformance]
    )


@malformed.parametrize()
@_examples(12)
def test_api_answers_malformed_input_without_5xx(case, tokens):
    case.call_and_validate(headers=_headers(case, tokens), checks=[not_a_server_error])
