"""Settings from the environment: production mode's refusals and `check --deploy`.

Each case runs in a fresh interpreter, since settings are read once at start-up.
"""
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from incubator.settings import DEVELOPMENT_SECRET_KEY

PRODUCTION = {"DJANGO_DEBUG": "false", "ALLOWED_HOSTS": "example.org"}


def run(code_or_args, tmp_path, **env):
    # A fresh process, as a deployment starts: none of this test run's own switches (the browser
    # tests' DJANGO_ALLOW_ASYNC_UNSAFE among them).
    skipped = ("SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in skipped}
    environment.update(DJANGO_SETTINGS_MODULE="incubator.settings", VAR_DIR=str(tmp_path / "var"), **env)
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = "import django; django.setup(); from django.conf import settings; "


@pytest.mark.parametrize("secret_key", [None, DEVELOPMENT_SECRET_KEY, "", "   "])
def test_production_mode_refuses_missing_or_default_secret_key(tmp_path, secret_key):
    env = dict(PRODUCTION)
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = run(SETUP + "print('started')", tmp_path, **env)

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "SECRET_KEY" in result.stderr


def test_production_mode_starts_with_a_real_secret_key(tmp_path):
    result = run(SETUP + "print(settings.DEBUG)", tmp_path, **PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_no_debug_variable_means_production_mode(tmp_path):
    result = run(SETUP + "print(settings.DEBUG)", tmp_path, SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_no_environment_at_all_refuses_to_start(tmp_path):
    result = run(SETUP + "print('started')", tmp_path)

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "DJANGO_DEBUG" in result.stderr


def test_development_mode_starts_with_only_the_debug_variable(tmp_path):
    result = run(SETUP + "print(settings.DEBUG, settings.CELERY_BROKER_URL)", tmp_path, DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"]


def test_check_deploy_passes_with_no_warning(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **PRODUCTION,
        SECRET_KEY=secrets.token_urlsafe(50),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_abuse_limits_come_from_the_environment(tmp_path):
    result = run(
        SETUP + "print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['auth'], settings.AXES_FAILURE_LIMIT)",
        tmp_path,
        DJANGO_DEBUG="true",
        AUTH_THROTTLE_RATE="7/hour",
        LOGIN_FAILURE_LIMIT="3",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7/hour", "3"]


def test_database_url_selects_the_database(tmp_path):
    result = run(
        SETUP + "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['CONN_MAX_AGE'])",
        tmp_path,
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://someone@db.example:5432/incubator",
        CONN_MAX_AGE="30",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "incubator", "db.example", "30"]


def test_reading_the_settings_creates_no_folder(tmp_path):
    result = run(SETUP + "print(settings.VAR_DIR)", tmp_path, DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "var").exists()


def test_manage_py_makes_the_embedded_folders(tmp_path):
    embedded = {"DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}", "CELERY_BROKER_URL": "filesystem://"}

    result = run(["manage.py", "check"], tmp_path, DJANGO_DEBUG="true", **embedded)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "celery-broker" / "queue").is_dir()
