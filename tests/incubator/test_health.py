"""GET /healthz: the state of the database and the broker."""
import pytest

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_database_and_broker_up_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_broker_unreachable_answers_503(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "status": "down"}


def test_healthz_real_redis_broker_answers_200(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_embedded_filesystem_broker_answers_200(client, settings, tmp_path):
    for sub in ("queue", "processed"):
        (tmp_path / sub).mkdir()
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "queue"),
        "data_folder_out": str(tmp_path / "queue"),
        "processed_folder": str(tmp_path / "processed"),
    }

    assert client.get("/healthz").status_code == 200


def test_healthz_post_answers_405(client):
    assert client.post("/healthz").status_code == 405
