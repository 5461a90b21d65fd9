"""Staff sign in with a second factor (TOTP and backup codes); staff sessions end when idle;
passwords are long and uncommon; reset links last an hour."""
import datetime
import time
from base64 import b32decode
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import User
from accounts.sign_in import LAST_SEEN_KEY
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
ENROL_URL = "/api/v1/me/otp/"
CONFIRM_URL = "/api/v1/me/otp/confirm/"
ME_URL = "/api/v1/me/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_otp_roles(settings):
    settings.STAFF_OTP_ROLES = frozenset({"admin", "approver"})


def code_from_secret(secret: str, *, ahead: int = 0) -> str:
    """What an authenticator app shows for this base32 secret (RFC 6238: 6 digits, 30 s, SHA-1);
    `ahead` time steps later, for a second code in the same half-minute."""
    totp = TOTP(b32decode(secret), step=30, digits=6)
    totp.time = time.time() + 30 * ahead
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice, *, ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + 30 * ahead
    return f"{totp.token():06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _login(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


# --- enrolment through the API ------------------------------------------------------------------


def test_otp_enrol_answers_201_with_an_rfc6238_uri(api):
    reviewer = UserFactory(roles=["reviewer"])
    api.force_authenticate(reviewer)

    response = api.post(ENROL_URL)

    assert response.status_code == 201
    uri = urlparse(response.data["otpauth_uri"])
    params = {key: values[0] for key, values in parse_qs(uri.query).items()}
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert reviewer.username in uri.path
    assert (params["digits"], params["period"], params["algorithm"]) == ("6", "30", "SHA1")
    assert len(b32decode(params["secret"])) >= 10
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()


def test_otp_enrol_by_a_founder_answers_403(founder_api, founder):
    response = founder_api.post(ENROL_URL)

    assert response.status_code == 403
    assert not TOTPDevice.objects.filter(user=founder).exists()


def test_otp_enrol_without_credentials_answers_401(api):
    assert api.post(ENROL_URL).status_code == 401


def test_otp_confirm_right_code_answers_200_and_confirms(api):
    approver = UserFactory(roles=["approver"])
    api.force_authenticate(approver)
    secret = parse_qs(urlparse(api.post(ENROL_URL).data["otpauth_uri"]).query)["secret"][0]

    response = api.post(CONFIRM_URL, {"otp": code_from_secret(secret)})

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=approver, confirmed=True).count() == 1


@pytest.mark.parametrize("otp", ["000000", "not-a-code", "", "1" * 17])
def test_otp_confirm_wrong_code_answers_400_and_confirms_nothing(api, otp):
    approver = UserFactory(roles=["approver"])
    api.force_authenticate(approver)
    api.post(ENROL_URL)
    device = TOTPDevice.objects.get(user=approver)
    if otp == "000000" and code_for(device) == "000000":
        otp = "111111"

    response = api.post(CONFIRM_URL, {"otp": otp})

    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=approver, confirmed=True).exists()


def test_otp_confirm_before_enrolling_answers_400(api):
    api.force_authenticate(UserFactory(roles=["reviewer"]))

    response = api.post(CONFIRM_URL, {"otp": "123456"})

    assert response.status_code == 400
    assert "otp" in response.data


def test_otp_reenrolling_replaces_the_old_device_once_confirmed(api):
    reviewer = UserFactory(roles=["reviewer"])
    old = confirmed_device(reviewer)
    api.force_authenticate(reviewer)
    api.post(ENROL_URL)
    new = TOTPDevice.objects.get(user=reviewer, confirmed=False)

    assert api.post(CONFIRM_URL, {"otp": code_for(new)}).status_code == 200

    assert list(TOTPDevice.objects.filter(user=reviewer)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


# --- the token endpoint ---------------------------------------------------------------------------


def test_token_with_a_device_and_no_otp_answers_400(api):
    reviewer = UserFactory(roles=["reviewer"])
    confirmed_device(reviewer)

    response = api.post(TOKEN_URL, {"username": reviewer.username, "password": PASSWORD})

    assert response.status_code == 400
    assert "otp" in response.data
    assert "token" not in response.data


def test_token_with_a_device_and_a_wrong_otp_answers_400(api):
    reviewer = UserFactory(roles=["reviewer"])
    device = confirmed_device(reviewer)
    wrong = "111111" if code_for(device) != "111111" else "222222"

    response = api.post(TOKEN_URL, {"username": reviewer.username, "password": PASSWORD, "otp": wrong})

    assert response.status_code == 400
    assert "token" not in response.data


def test_token_with_a_device_and_the_right_otp_answers_200(api):
    approver = UserFactory(roles=["approver"])
    device = confirmed_device(approver)

    response = api.post(TOKEN_URL, {"username": approver.username, "password": PASSWORD, "otp": code_for(device)})

    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert api.get(ME_URL).status_code == 200


def test_token_the_same_code_works_only_once(api):
    approver = UserFactory(roles=["approver"])
    device = confirmed_device(approver)
    body = {"username": approver.username, "password": PASSWORD, "otp": code_for(device)}

    assert api.post(TOKEN_URL, body).status_code == 200
    assert api.post(TOKEN_URL, body).status_code == 400


def test_token_wrong_password_with_a_device_answers_400_without_hinting_at_the_otp(api):
    approver = UserFactory(roles=["approver"])
    confirmed_device(approver)

    response = api.post(TOKEN_URL, {"username": approver.username, "password": "wrong-password"})

    assert response.status_code == 400
    assert "otp" not in response.data


@pytest.mark.parametrize("role", ["admin", "approver"])
def test_token_required_role_without_a_device_answers_403_saying_to_enrol(api, role):
    user = UserFactory(roles=[role])

    response = api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "enrol" in response.data["detail"]
    assert "token" not in response.data


def test_token_required_role_with_a_wrong_password_answers_400_not_403(api):
    user = UserFactory(roles=["admin"])

    assert api.post(TOKEN_URL, {"username": user.username, "password": "wrong-password"}).status_code == 400


@pytest.mark.parametrize("roles", [["founder"], ["reviewer"], ["space_manager"], ["expo_organiser"]])
def test_token_roles_not_required_without_a_device_answer_200(api, roles):
    user = UserFactory(roles=roles)

    assert api.post(TOKEN_URL, {"username": user.username, "password": PASSWORD}).status_code == 200


def test_token_otp_roles_from_the_setting(api, settings):
    settings.STAFF_OTP_ROLES = frozenset({"reviewer"})
    reviewer, approver = UserFactory(roles=["reviewer"]), UserFactory(roles=["approver"])

    assert api.post(TOKEN_URL, {"username": reviewer.username, "password": PASSWORD}).status_code == 403
    assert api.post(TOKEN_URL, {"username": approver.username, "password": PASSWORD}).status_code == 200


def test_token_empty_otp_roles_require_no_device(api, settings):
    settings.STAFF_OTP_ROLES = frozenset()
    admin = UserFactory(roles=["admin"])

    assert api.post(TOKEN_URL, {"username": admin.username, "password": PASSWORD}).status_code == 200


def test_token_a_backup_code_works_once(api):
    approver = UserFactory(roles=["approver"])
    confirmed_device(approver)
    code = services.otp_backup_codes_create(by=approver)[0]
    body = {"username": approver.username, "password": PASSWORD, "otp": code}

    assert api.post(TOKEN_URL, body).status_code == 200
    assert api.post(TOKEN_URL, body).status_code == 400


# --- the pages ------------------------------------------------------------------------------------


def test_login_with_a_device_asks_for_the_code_before_any_page(client):
    reviewer = UserFactory(roles=["reviewer"])
    confirmed_device(reviewer)

    response = _login(client, reviewer)
    page = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert client.get(response.url, follow=True).redirect_chain[-1][0].startswith(reverse("otp-verify"))
    assert page.status_code == 302
    assert page.url.startswith(reverse("otp-verify"))


def test_login_with_a_device_and_the_right_code_opens_the_pages(client):
    reviewer = UserFactory(roles=["reviewer"])
    device = confirmed_device(reviewer)
    _login(client, reviewer)

    response = client.post(
        reverse("otp-verify") + "?next=/dashboard/", {"otp": code_for(device), "next": reverse("dashboard")}
    )

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_login_with_a_device_and_a_wrong_code_stays_on_the_step(client):
    reviewer = UserFactory(roles=["reviewer"])
    device = confirmed_device(reviewer)
    _login(client, reviewer)
    wrong = "111111" if code_for(device) != "111111" else "222222"

    response = client.post(reverse("otp-verify"), {"otp": wrong})

    assert response.status_code == 200
    assert 'id="id_otp_error"' in response.text
    assert client.get(reverse("dashboard")).status_code == 302


def test_login_next_outside_the_site_is_ignored_after_the_code(client):
    reviewer = UserFactory(roles=["reviewer"])
    device = confirmed_device(reviewer)
    _login(client, reviewer)

    response = client.post(reverse("otp-verify"), {"otp": code_for(device), "next": "https://evil.example/"})

    assert response.url == reverse("home")


def test_login_a_backup_code_works_once_on_the_page(client):
    reviewer = UserFactory(roles=["reviewer"])
    confirmed_device(reviewer)
    code = services.otp_backup_codes_create(by=reviewer)[0]
    _login(client, reviewer)
    assert client.post(reverse("otp-verify"), {"otp": code}).status_code == 302
    client.logout()
    _login(client, reviewer)

    response = client.post(reverse("otp-verify"), {"otp": code})

    assert response.status_code == 200
    assert client.get(reverse("dashboard")).status_code == 302


def test_login_required_role_without_a_device_is_sent_to_enrol(client):
    approver = UserFactory(roles=["approver"])
    _login(client, approver)

    response = client.get(reverse("letters:awaiting"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("otp-enrol"))
    assert 'id="otp-required"' in client.get(response.url).text


def test_login_required_role_enrols_then_reaches_the_pages(client):
    approver = UserFactory(roles=["approver"])
    _login(client, approver)
    client.post(reverse("otp-enrol"), {"start": "1"})
    page = client.get(reverse("otp-enrol"))
    secret = page.context["secret"]
    assert secret in page.text

    response = client.post(reverse("otp-enrol"), {"otp": code_from_secret(secret)})

    assert response.status_code == 302
    assert response.url == reverse("otp-backup-codes")
    assert TOTPDevice.objects.filter(user=approver, confirmed=True).count() == 1
    assert client.get(reverse("letters:awaiting")).status_code == 200


def test_login_owing_the_code_cannot_enrol_a_new_device(client):
    reviewer = UserFactory(roles=["reviewer"])
    confirmed_device(reviewer)
    _login(client, reviewer)

    response = client.post(reverse("otp-enrol"), {"start": "1"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("otp-verify"))
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=False).exists()


def test_login_owing_the_code_is_anonymous_to_the_api(client):
    reviewer = UserFactory(roles=["reviewer"])
    confirmed_device(reviewer)
    _login(client, reviewer)

    assert client.get(ME_URL).status_code in (401, 403)
    assert client.post(ENROL_URL).status_code in (401, 403)


def test_login_founder_is_not_asked_for_a_code(client, founder):
    response = _login(client, founder)

    assert client.get(response.url, follow=True).redirect_chain[-1][0] == reverse("startups:list")


def test_enrol_page_refuses_founders(client, founder):
    client.force_login(founder)

    assert client.get(reverse("otp-enrol")).status_code == 403


def test_backup_codes_page_shows_new_codes_once(client):
    reviewer = UserFactory(roles=["reviewer"])
    client.force_login(reviewer)
    confirmed_device(reviewer)  # enrolled in this session: it owes no code

    made = client.post(reverse("otp-backup-codes"))
    shown_later = client.get(reverse("otp-backup-codes"))

    codes = made.context["codes"]
    assert len(codes) == 10
    assert all(code in made.text for code in codes)
    assert not any(code in shown_later.text for code in codes)
    assert 'id="backup-codes-left"' in shown_later.text


def test_backup_codes_need_an_authenticator_first(client):
    reviewer = UserFactory(roles=["reviewer"])
    client.force_login(reviewer)

    response = client.post(reverse("otp-backup-codes"))

    assert response.status_code == 302
    assert response.url == reverse("otp-enrol")


# --- the Django admin -----------------------------------------------------------------------------


def test_admin_needs_the_second_factor(client):
    admin = UserFactory(roles=["admin"], is_staff=True, is_superuser=True)
    device = confirmed_device(admin)
    client.force_login(admin)

    refused = client.get(reverse("admin:index"))
    client.post(reverse("otp-verify"), {"otp": code_for(device)})
    allowed = client.get(reverse("admin:index"))

    assert refused.status_code == 302
    assert refused.url.startswith(reverse("otp-verify"))
    assert allowed.status_code == 200


def test_admin_without_a_device_is_sent_to_enrol(client):
    admin = UserFactory(roles=["admin"], is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("otp-enrol"))


def test_admin_login_page_is_the_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/admin/"


# --- idle staff sessions --------------------------------------------------------------------------


def _idle(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_idle_staff_session_ends(client, settings):
    reviewer = UserFactory(roles=["reviewer"])
    client.force_login(reviewer)
    _idle(client, settings.STAFF_SESSION_IDLE_MINUTES + 1)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_active_staff_session_goes_on(client, settings):
    reviewer = UserFactory(roles=["reviewer"])
    client.force_login(reviewer)
    _idle(client, settings.STAFF_SESSION_IDLE_MINUTES - 1)

    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[LAST_SEEN_KEY] > int(time.time()) - 60


def test_founder_session_has_no_idle_clock(client, founder):
    client.force_login(founder)

    assert client.get(reverse("startups:list")).status_code == 200
    assert LAST_SEEN_KEY not in client.session


# --- passwords ------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["kx7#Qm2!vZ9", "password1234", "123456789012"])
def test_register_short_or_common_password_answers_400(api, password):
    response = api.post("/api/v1/auth/register/", {"username": "minji", "email": "m@example.com", "password": password})

    assert response.status_code == 400
    assert not User.objects.filter(username="minji").exists()


def test_register_twelve_characters_are_enough(api):
    response = api.post("/api/v1/auth/register/", {"username": "minji", "email": "m@example.com", "password": "kx7#Qm2!vZ9w"})

    assert response.status_code == 201


class _AnHourAgo(PasswordResetTokenGenerator):
    """Makes the links Django made an hour and a second ago."""

    def _now(self):
        return super()._now() - datetime.timedelta(hours=1, seconds=1)


def test_password_reset_link_older_than_an_hour_is_refused(client, founder):
    uid = urlsafe_base64_encode(force_bytes(founder.pk))
    token = _AnHourAgo().make_token(founder)

    response = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)

    assert response.context["validlink"] is False


def test_verify_page_speaks_korean(client):
    reviewer = UserFactory(roles=["reviewer"])
    confirmed_device(reviewer)
    client.post(reverse("set_language"), {"language": "ko", "next": reverse("home")})
    _login(client, reviewer)

    response = client.get(reverse("otp-verify"))

    assert "코드 입력" in response.text
    assert "Enter your code" not in response.text
