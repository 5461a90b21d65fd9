"""The account pages, the per-role landing page, the base layout (CSP, local assets) and the
language switch."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _login(client, user):
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def _register(client, **overrides):
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        **overrides,
    }
    return client.post(reverse("register"), data)


def _field_error(response, field):
    """The text shown under a form field (forms/form.html renders it with this id)."""
    match = re.search(
        rf'<div class="invalid-feedback d-block" id="id_{field}_error">(.*?)</div>', response.text, re.DOTALL
    )
    return match.group(1).strip() if match else None


# --- Registration -----------------------------------------------------------------------------


def test_register_page_renders_the_form(client):
    response = client.get(reverse("register"))

    assert response.status_code == 200
    assert 'name="username"' in response.text
    assert 'name="password_confirm"' in response.text


def test_register_creates_a_founder_and_sends_to_login(client):
    response = _register(client)

    assert response.status_code == 302
    assert response.url == reverse("login")
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.com"
    assert user.role_codes == frozenset({"founder"})
    assert user.check_password(PASSWORD)


def test_register_taken_username_shows_error_on_the_field(client):
    factories.UserFactory(username="ada")

    response = _register(client, email="other@example.com")

    assert response.status_code == 200
    assert _field_error(response, "username") == "This username is already taken."
    assert User.objects.filter(username__iexact="ada").count() == 1


def test_register_taken_email_shows_error_on_the_field(client):
    factories.UserFactory(username="someone", email="ada@example.com")

    response = _register(client)

    assert _field_error(response, "email") == "An account with this e-mail address already exists."
    assert not User.objects.filter(username="ada").exists()


def test_register_weak_password_shows_error_on_the_field(client):
    response = _register(client, password="12345678", password_confirm="12345678")

    assert response.status_code == 200
    assert "This password is too common." in _field_error(response, "password")
    assert 'class="form-control is-invalid"' in response.text
    assert not User.objects.filter(username="ada").exists()


def test_register_different_passwords_show_error_on_the_confirmation(client):
    response = _register(client, password_confirm=PASSWORD + "x")

    assert _field_error(response, "password_confirm") == "The two passwords differ."
    assert not User.objects.filter(username="ada").exists()


def test_register_signed_in_user_is_sent_home(client, founder):
    response = _login(client, founder).get(reverse("register"))

    assert response.status_code == 302
    assert response.url == reverse("home")


# --- Log in, log out, lock-out ----------------------------------------------------------------


def test_login_right_password_lands_founder_on_startups(client, founder):
    response = client.post(
        reverse("login"), {"username": founder.username, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain == [(reverse("home"), 302), (reverse("startups:list"), 302)]
    assert response.context["user"] == founder


def test_login_wrong_password_shows_an_error(client, founder):
    response = client.post(reverse("login"), {"username": founder.username, "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.text
    assert "_auth_user_id" not in client.session


def test_login_locked_out_after_failure_limit(client, founder, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": founder.username, "password": "wrong"})

    response = client.post(reverse("login"), {"username": founder.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert 'id="locked-out"' in response.text
    assert "_auth_user_id" not in client.session


def test_login_before_failure_limit_still_works(client, founder, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("login"), {"username": founder.username, "password": "wrong"})

    response = client.post(reverse("login"), {"username": founder.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(founder.pk)


def test_logout_post_signs_out(client, founder):
    _login(client, founder)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_logout_get_is_refused(client, founder):
    response = _login(client, founder).get(reverse("logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(founder.pk)


# --- Passwords ----------------------------------------------------------------------------------


def test_password_change_sets_the_new_password(client, founder):
    new = "another-long-passphrase-42"
    response = _login(client, founder).post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    founder.refresh_from_db()
    assert founder.check_password(new)


def test_password_change_wrong_old_password_shows_error_on_the_field(client, founder):
    new = "another-long-passphrase-42"
    response = _login(client, founder).post(
        reverse("password_change"), {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 200
    assert _field_error(response, "old_password") == (
        "Your old password was entered incorrectly. Please enter it again."
    )


def test_password_change_needs_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_reset_mails_a_link_that_sets_a_new_password(client, founder, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": founder.email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [founder.email]
    assert mailoutbox[0].subject == "A new password for the startup incubator"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    new = "another-long-passphrase-42"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    founder.refresh_from_db()
    assert founder.check_password(new)


def test_password_reset_unknown_email_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mailoutbox == []


# --- Landing page per role ------------------------------------------------------------------


def test_home_anonymous_sees_welcome_with_login_and_register(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Welcome to the startup incubator" in response.text
    assert f'href="{reverse("login")}"' in response.text
    assert f'href="{reverse("register")}"' in response.text


def test_home_founder_lands_on_my_startups(client, founder):
    response = _login(client, founder).get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("startups:list")


def test_home_founder_of_a_startup_lands_on_their_letters(client, founder):
    factories.StartupFactory(owner=founder)

    response = _login(client, founder).get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse("letters:mine")


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("reviewer", "letters:my-work"),
        ("approver", "letters:awaiting"),
        ("space_manager", "dashboard"),
        ("expo_organiser", "dashboard"),
        ("admin", "dashboard"),
    ],
)
def test_home_staff_role_lands_on_their_queue_or_dashboard(client, role, landing):
    user = factories.UserFactory(roles=[role])

    response = _login(client, user).get(reverse("home"))

    assert response.status_code == 302
    assert response.url == reverse(landing)


def test_home_superuser_lands_on_dashboard(client):
    user = factories.UserFactory(is_superuser=True, is_staff=True)

    response = _login(client, user).get(reverse("home"))

    assert response.url == reverse("dashboard")


def test_dashboard_staff_sees_startup_count_and_newest(client):
    reviewer = factories.UserFactory(roles=["reviewer"])
    factories.StartupFactory(name="Alpha")
    factories.StartupFactory(name="Beta")

    response = _login(client, reviewer).get(reverse("dashboard"))

    assert response.status_code == 200
    assert re.search(r'id="startup-count">\s*2\s*<', response.text)
    assert "Alpha" in response.text
    assert "Beta" in response.text
    assert "Reviewer" in response.text


def test_dashboard_admin_sees_letters_by_status_linked_to_the_admin(client, admin_user):
    factories.letter_in_state("submitted")
    factories.letter_in_state("submitted")
    factories.letter_in_state("in_review", is_overdue=True)

    response = _login(client, admin_user).get(reverse("dashboard"))

    panel = response.text.split('id="letter-counts"')[1].split('<div class="row g-4">')[0]
    assert "1 overdue" in panel
    assert re.search(r'status__exact=submitted">2<', panel)
    assert re.search(r'status__exact=in_review">1<', panel)


def test_dashboard_founder_is_refused(client, founder):
    response = _login(client, founder).get(reverse("dashboard"))

    assert response.status_code == 403


def test_dashboard_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_navigation_founder_sees_my_startups_not_dashboard(client, founder):
    response = _login(client, founder).get(reverse("startups:list"))

    assert ">My startups</a>" in response.text
    assert f'href="{reverse("dashboard")}"' not in response.text


def test_navigation_staff_sees_dashboard_and_startups(client):
    reviewer = factories.UserFactory(roles=["reviewer"])

    response = _login(client, reviewer).get(reverse("dashboard"))

    assert f'href="{reverse("dashboard")}"' in response.text
    assert ">Startups</a>" in response.text


# --- The base layout: CSP, local assets, language switch --------------------------------------


def test_base_page_has_csp_header(client):
    response = client.get(reverse("home"))

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp


def test_base_page_references_no_outside_url(client, founder):
    for page in (client.get(reverse("home")), _login(client, founder).get(reverse("startups:list"))):
        assert "http://" not in page.text
        assert "https://" not in page.text


def test_base_page_has_no_inline_script_or_style(client):
    html = client.get(reverse("home")).text

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert " style=" not in html


def test_base_page_assets_are_installed_locally(client):
    html = client.get(reverse("home")).text

    for asset in (
        "js-lib-bootstrap5/css/bootstrap.min.css",
        "js-lib-bootstrap5/js/bootstrap.bundle.min.js",
        "htmx/htmx.min.js",
        "css/app.css",
        "js/app.js",
    ):
        assert f"/static/{asset}" in html
        assert finders.find(asset) is not None


def test_base_page_sends_csrf_token_to_htmx(client):
    client.get(reverse("home"))  # sets the CSRF cookie
    html = client.get(reverse("home")).text

    assert re.search(r"""hx-headers='\{"X-CSRFToken": "[A-Za-z0-9]{32,}"\}'""", html)


def test_language_switch_renders_korean(client):
    response = client.post(reverse("set_language"), {"language": "ko", "next": reverse("home")}, follow=True)

    assert response.status_code == 200
    assert '<html lang="ko">' in response.text
    assert "스타트업 인큐베이터에 오신 것을 환영합니다" in response.text
    assert "Welcome to the startup incubator" not in response.text


def test_language_switch_back_to_english(client):
    client.post(reverse("set_language"), {"language": "ko", "next": reverse("home")})

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)

    assert '<html lang="en">' in response.text
    assert "Welcome to the startup incubator" in response.text


def test_korean_form_errors_are_translated(client):
    factories.UserFactory(username="ada")
    client.post(reverse("set_language"), {"language": "ko", "next": reverse("home")})

    response = _register(client, email="other@example.com")

    assert _field_error(response, "username") == "이미 사용 중인 사용자 이름입니다."
