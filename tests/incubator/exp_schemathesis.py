"""Schemathesis over the published schema: no input, however malformed, yields a 5xx, and every
documented response matches its schema.

One test per API operation, each with a few generated requests sent straight to the WSGI
application, authenticated as an admin (who may reach every operation). Examples are derived
deterministically, so a run is repeatable; SCHEMATHESIS_MAX_EXAMPLES raises the count for a
longer hunt.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from incubator.wsgi import application
from tests.factories import StartupFactory, UserFactory

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))

import json
CFG = schemathesis.config.SchemathesisConfig.from_dict(json.loads(os.environ.get("ST_CFG", "{}")))
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CFG).include(path_regex=os.environ.get("ST_PATHS", "."))
CALLS = []
import atexit
atexit.register(lambda: print("CALLS", len(CALLS)))


@pytest.fixture
def admin_token(db):
    admin = UserFactory(roles=["admin"], is_staff=True)
    # A few rows, so that some generated ids find something.
    founder = UserFactory(roles=["founder"])
    StartupFactory.create_batch(2, owner=founder)
    return Token.objects.create(user=admin).key


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_answers_5xx_and_matches_its_schema(case, admin_token):
    CALLS.append(1)
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
