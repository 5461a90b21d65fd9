"""The OpenAPI schema is generated once, not on every request."""
import pytest
from drf_spectacular.generators import SchemaGenerator

from incubator.schema import SchemaView

pytestmark = pytest.mark.django_db


@pytest.fixture
def generations(monkeypatch):
    """Counts the schema generator's runs (a wrapper around drf-spectacular's own)."""
    monkeypatch.setattr(SchemaView, "_generated", {})
    calls = []
    generate = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    return calls


def test_schema_second_request_does_not_generate_it_again(client, generations):
    first = client.get("/api/schema/", {"format": "json"})
    second = client.get("/api/schema/", {"format": "json"})

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert len(generations) == 1


def test_schema_other_format_is_the_same_document(client, generations):
    as_json = client.get("/api/schema/", {"format": "json"})
    as_yaml = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")

    assert as_yaml.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert as_json.json()["info"]["title"] in as_yaml.content.decode()
    assert len(generations) == 1


def test_schema_each_language_is_generated_once(client, generations):
    english = client.get("/api/schema/", {"format": "json"})
    korean = client.get("/api/schema/", {"format": "json", "lang": "ko"})
    client.get("/api/schema/", {"format": "json", "lang": "ko"})

    assert english.status_code == korean.status_code == 200
    assert len(generations) == 2
