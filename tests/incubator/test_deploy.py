"""The container stack: gunicorn only behind nginx, whose limits are the application's."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from core.parsers import upload_request_max_bytes

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def test_gunicorn_publishes_no_port_and_nginx_is_the_only_way_in():
    services = COMPOSE["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"nginx"}
    assert services["web"]["expose"] == ["8000"]
    assert re.fullmatch(r"nginx:\d+\.\d+(\.\d+)?-alpine", services["nginx"]["image"])
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]


def test_nginx_body_limit_is_the_applications_multipart_limit():
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1))
    assert megabytes * 1024 * 1024 == upload_request_max_bytes()
    assert settings.ATTACHMENT_MAX_MB + 1 == megabytes


@pytest.mark.parametrize(
    "directive",
    [
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-Host $host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $forwarded_proto;",
        "proxy_read_timeout",
        "proxy_connect_timeout",
        "client_body_timeout",
        "proxy_pass http://incubator_web;",
    ],
)
def test_nginx_sets_the_forwarded_headers_and_timeouts(directive):
    assert directive in NGINX


def test_the_stack_tells_django_one_proxy_appends_the_client_address():
    assert COMPOSE["x-app"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


@pytest.mark.django_db
def test_the_auth_throttle_is_not_escaped_by_a_forged_forwarded_for(api):
    """Without a proxy in front (NUM_PROXIES=0), X-Forwarded-For is the client's own word: the
    throttle counts the connection's address."""
    rate = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"].split("/")[0])
    for n in range(rate):
        api.post(
            "/api/v1/auth/token/",
            {"username": f"nobody{n}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )

    response = api.post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )

    assert response.status_code == 429
