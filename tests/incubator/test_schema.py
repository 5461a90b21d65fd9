"""The published OpenAPI schema and the interactive docs, both served with no internet."""
import re

import pytest
import schemathesis

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(document).validate()  # raises on a document that breaks OpenAPI 3


def test_schema_publishes_the_contract_paths(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    for path in [
        "/api/v1/auth/token/",
        "/api/v1/auth/register/",
        "/api/v1/me/",
        "/api/v1/users/",
        "/api/v1/departments/",
        "/api/v1/startups/",
        "/api/v1/startups/{id}/members/",
        "/api/v1/startups/{id}/reports/",
    ]:
        assert path in paths


def test_schema_documents_token_authentication(client):
    schemes = client.get("/api/schema/", {"format": "json"}).json()["components"]["securitySchemes"]

    assert any(s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values())


def test_docs_page_renders_with_local_assets_only(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not served by the platform itself"
        assert not asset.startswith("//")
    assert "swagger-ui" in html


def test_docs_page_script_and_assets_are_served(client):
    html = client.get("/api/docs/").content.decode()

    for asset in re.findall(r'(?:src|href)="([^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
