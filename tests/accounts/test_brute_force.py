"""Guessing passwords: the throttle's and the lock-outs' client address, password spraying,
guesses spread over many addresses, and the password-reset page's limits."""
import pytest
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from accounts.throttles import PasswordResetAddressThrottle, PasswordResetEmailThrottle
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"

pytestmark = pytest.mark.django_db


def _limit(scope):
    allowed, _seconds = ScopedRateThrottle().parse_rate(ScopedRateThrottle.THROTTLE_RATES[scope])
    return allowed


def _token(api, username, password, **extra):
    return api.post(TOKEN_URL, {"username": username, "password": password}, **extra)


def _login_page(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# --- the client's address -----------------------------------------------------------------------


def test_throttle_ignores_a_forged_forwarded_for_without_proxies(api):
    limit = _limit("auth")
    for n in range(limit):
        # A new made-up X-Forwarded-For each time: without a trusted proxy it is not the address.
        _token(api, f"nobody{n}", "x", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = _token(api, "nobody", "x", HTTP_X_FORWARDED_FOR="10.0.1.1")

    assert response.status_code == 429


def test_lockout_ignores_a_forged_forwarded_for_without_proxies(api, founder, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _token(api, founder.username, "wrong-password", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = _token(api, founder.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.0.1.1")

    assert response.status_code in (403, 429)
    assert "token" not in response.data


def test_lockout_behind_a_proxy_does_not_lock_the_user_out_everywhere(api, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    approver = UserFactory(roles=["approver"])
    proxy = {"REMOTE_ADDR": "172.16.0.1"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _token(api, approver.username, "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)

    from_the_attacker = _token(api, approver.username, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    from_the_approver = _token(api, approver.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)

    assert from_the_attacker.status_code in (403, 429)
    assert from_the_approver.status_code == 200


def test_lockout_behind_a_proxy_reads_the_address_the_proxy_wrote(api, founder, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client forges what comes first; the proxy appends what it saw last.
        _token(api, founder.username, "wrong", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.9", REMOTE_ADDR="172.16.0.1")

    response = _token(api, founder.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.99, 203.0.113.9", REMOTE_ADDR="172.16.0.1")

    assert response.status_code in (403, 429)


# --- password spraying and spread guesses -------------------------------------------------------


def test_spraying_one_password_over_many_usernames_locks_the_address(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    victims = UserFactory.create_batch(settings.LOGIN_ADDRESS_FAILURE_LIMIT + 1, roles=["reviewer"])
    for victim in victims[:-1]:
        _login_page(client, victim.username, "Spring2026!")

    # Even the right password for a username never tried before is refused from this address.
    response = _login_page(client, victims[-1].username, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_spraying_leaves_other_addresses_alone(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        _login_page(client, f"someone{n}", "Spring2026!", REMOTE_ADDR="203.0.113.9")
    user = UserFactory(roles=["reviewer"])

    response = _login_page(client, user.username, PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302


def test_spraying_address_count_survives_a_success_with_another_account(client, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    own = UserFactory(roles=["founder"])
    target = UserFactory(roles=["reviewer"])
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        _login_page(client, f"someone{n}", "Spring2026!")
    assert _login_page(client, own.username, PASSWORD).status_code == 302
    client.logout()
    _login_page(client, "someone-else", "Spring2026!")

    response = _login_page(client, target.username, PASSWORD)

    assert response.status_code == 429


def test_guesses_spread_over_many_addresses_lock_the_username(api, founder, settings):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT):
        _token(api, founder.username, "wrong-password", REMOTE_ADDR=f"203.0.113.{n}")

    response = _token(api, founder.username, PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code in (403, 429)


def test_a_few_failures_from_one_address_do_not_lock_the_username_elsewhere(api, founder, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _token(api, founder.username, "wrong-password", REMOTE_ADDR="203.0.113.9")

    response = _token(api, founder.username, PASSWORD, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 200


# --- password reset -------------------------------------------------------------------------------


def test_password_reset_past_the_address_limit_answers_429_and_sends_nothing(client, founder, mailoutbox):
    for n in range(_limit(PasswordResetAddressThrottle.scope)):
        client.post(reverse("password_reset"), {"email": f"nobody{n}@example.com"})

    response = client.post(reverse("password_reset"), {"email": founder.email})

    assert response.status_code == 429
    assert "Too many password reset requests" in response.text
    assert mailoutbox == []


def test_password_reset_past_the_email_limit_answers_429_from_any_address(client, founder, mailoutbox):
    limit = _limit(PasswordResetEmailThrottle.scope)
    for n in range(limit):
        client.post(reverse("password_reset"), {"email": founder.email}, REMOTE_ADDR=f"203.0.113.{n}")

    response = client.post(reverse("password_reset"), {"email": founder.email.upper()}, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 429
    assert len(mailoutbox) == limit


def test_password_reset_ignores_a_forged_forwarded_for(client, mailoutbox):
    for n in range(_limit(PasswordResetAddressThrottle.scope)):
        client.post(reverse("password_reset"), {"email": f"nobody{n}@example.com"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = client.post(reverse("password_reset"), {"email": "late@example.com"}, HTTP_X_FORWARDED_FOR="10.0.1.1")

    assert response.status_code == 429
