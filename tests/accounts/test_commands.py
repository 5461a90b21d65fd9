"""manage.py seed_demo: demo data for every app, idempotent."""
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from startups.models import MonthlyReport, Startup

pytestmark = pytest.mark.django_db


def _row_counts():
    """Rows of every model of the project's own apps (installed packages' models aside)."""
    base = settings.BASE_DIR
    return {
        model._meta.label: model._default_manager.count()
        for config in apps.get_app_configs()
        if config.path.startswith(str(base)) and "/.venv/" not in config.path
        for model in config.get_models()
    }


def test_seed_demo_creates_one_login_per_role_and_a_startup():
    out = StringIO()

    call_command("seed_demo", stdout=out)

    for username, (role, _department, _limit) in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert user.has_role(role)
        assert user.check_password(DEMO_PASSWORD)
        assert username in out.getvalue()
    admin = User.objects.get(username="demo-admin")
    assert admin.is_superuser and admin.is_staff
    startup = Startup.objects.get(members__username="demo-founder")
    assert MonthlyReport.objects.filter(startup=startup).count() == 2
    assert DEMO_PASSWORD in out.getvalue()


def test_seed_demo_twice_creates_nothing_twice():
    call_command("seed_demo", stdout=StringIO())
    first = _row_counts()

    call_command("seed_demo", stdout=StringIO())

    assert _row_counts() == first
    assert first["accounts.User"] == len(DEMO_USERS)


def test_seed_demo_logins_only_creates_nothing():
    out = StringIO()

    call_command("seed_demo", "--logins", stdout=out)

    assert not User.objects.exists()
    assert "demo-founder" in out.getvalue()


def test_seed_demo_logins_work_on_the_token_endpoint(api):
    call_command("seed_demo", stdout=StringIO())

    response = api.post("/api/v1/auth/token/", {"username": "demo-approver", "password": DEMO_PASSWORD})

    assert response.status_code == 200
