"""API tokens: stored hashed, expiring, and ended by logging out or by a new password."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts import services
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"
NEW_PASSWORD = "another-long-passphrase-42"

pytestmark = pytest.mark.django_db


def _token(api, user, password=PASSWORD):
    response = api.post(TOKEN_URL, {"username": user.username, "password": password})
    assert response.status_code == 200, response.data
    return response.data["token"]


def _me_status(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = api.get(ME_URL).status_code
    api.credentials()
    return status


def test_token_answer_is_only_the_token(api, founder):
    response = api.post(TOKEN_URL, {"username": founder.username, "password": PASSWORD})

    assert response.status_code == 200
    assert list(response.data) == ["token"]


def test_token_is_stored_hashed_not_in_plain_text(api, founder):
    token = _token(api, founder)

    row = AuthToken.objects.get(user=founder)
    assert token not in (row.digest, row.token_key)
    assert not AuthToken.objects.filter(digest__contains=token).exists()


def test_token_expires(api, founder):
    token = _token(api, founder)
    AuthToken.objects.filter(user=founder).update(expiry=timezone.now() - datetime.timedelta(seconds=1))

    assert _me_status(api, token) == 401


def test_token_expiry_follows_the_setting(api, founder, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(hours=2)}
    _token(api, founder)

    row = AuthToken.objects.get(user=founder)
    assert row.expiry - row.created <= datetime.timedelta(hours=2)
    assert row.expiry - row.created > datetime.timedelta(hours=1)


def test_token_each_login_gets_its_own(api, founder):
    first, second = _token(api, founder), _token(api, founder)

    assert first != second
    assert _me_status(api, first) == 200
    assert _me_status(api, second) == 200


def test_token_login_ignores_a_stale_authorization_header(api, founder):
    api.credentials(HTTP_AUTHORIZATION="Token expired-or-made-up")

    response = api.post(TOKEN_URL, {"username": founder.username, "password": PASSWORD})

    assert response.status_code == 200


def test_token_delete_logs_out_that_token_only(api, founder):
    kept, ended = _token(api, founder), _token(api, founder)
    api.credentials(HTTP_AUTHORIZATION=f"Token {ended}")

    response = api.delete(TOKEN_URL)

    assert response.status_code == 204
    assert _me_status(api, ended) == 401
    assert _me_status(api, kept) == 200


def test_token_delete_without_a_token_answers_401(api):
    assert api.delete(TOKEN_URL).status_code == 401


def test_token_delete_with_a_session_only_answers_401(client, founder):
    client.force_login(founder)

    assert client.delete(TOKEN_URL).status_code == 401


def test_token_password_change_page_ends_every_token(api, client, founder):
    token = _token(api, founder)
    client.force_login(founder)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert _me_status(api, token) == 401
    assert not AuthToken.objects.filter(user=founder).exists()


def test_token_password_reset_ends_every_token(api, client, founder, mailoutbox):
    token = _token(api, founder)
    client.post(reverse("password_reset"), {"email": founder.email})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)

    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert _me_status(api, token) == 401


def test_token_admin_setting_a_password_ends_every_token(api, client, founder):
    token = _token(api, founder)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[founder.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )

    assert response.status_code == 302
    founder.refresh_from_db()
    assert founder.check_password(NEW_PASSWORD)
    assert _me_status(api, token) == 401


def test_user_set_password_keeps_other_users_tokens(api, founder):
    other = UserFactory(roles=["founder"])
    token = _token(api, other)

    services.user_set_password(user=founder, password=NEW_PASSWORD, by=founder)

    assert _me_status(api, token) == 200
