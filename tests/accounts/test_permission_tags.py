"""`{% rule_allows %}` asks the rules alone, never Django's model permissions."""
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from tests import factories

TEMPLATE = Template('{% load permissions %}{% rule_allows "subsidies.manage_awards" user as ok %}{{ ok }}')


def test_rule_allows_follows_the_rule(db):
    assert TEMPLATE.render(Context({"user": factories.UserFactory(roles=["approver"])})) == "True"
    assert TEMPLATE.render(Context({"user": factories.UserFactory(roles=["reviewer"])})) == "False"


def test_a_refusal_reads_no_model_permissions(db):
    reviewer = factories.UserFactory(roles=["reviewer"])
    with CaptureQueriesContext(connection) as queries:
        TEMPLATE.render(Context({"user": reviewer}))
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
