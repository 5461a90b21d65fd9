"""A founder's first visit, in a real browser (Debian's Chromium driven by Playwright): register,
log in, register a startup and find it in the list, once in English and once in Korean.

Screenshots of the landing page and of the startup list go to $E2E_SHOTS_DIR (/tmp/shots).
"""

import os
from pathlib import Path

import pytest

from startups.models import Startup
from tests.factories import PASSWORD

# The live server needs a database the browser's requests can see: transactional tests.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("E2E_SHOTS_DIR", "/tmp/shots"))

# What each language shows: the switcher's label and the texts the journey looks for.
TEXTS = {
    "en": {
        "name": "English",
        "welcome": "Welcome to the startup incubator",
        "register": "Register as a founder",
        "account_ready": "Your founder account is ready",
        "login": "Log in",
        "my_startups": "My startups",
        "empty": "You do not belong to any startup yet.",
        "new_startup": "Register a startup",
        "registered": "is registered.",
    },
    "ko": {
        "name": "한국어",
        "welcome": "스타트업 인큐베이터에 오신 것을 환영합니다",
        "register": "창업자로 가입하기",
        "account_ready": "창업자 계정이 준비되었습니다",
        "login": "로그인",
        "my_startups": "내 스타트업",
        "empty": "아직 소속된 스타트업이 없습니다.",
        "new_startup": "스타트업 등록",
        "registered": "등록되었습니다.",
    },
}


def _switch_language(page, language):
    page.click("#language-menu")
    page.click(f"button[name=language][value={language}]")
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "ko"])
def test_founder_registers_logs_in_and_creates_a_startup(live_server, roles, page, language):
    text = TEXTS[language]
    SHOTS.mkdir(parents=True, exist_ok=True)
    username = f"founder_{language}"
    startup_name = {"en": "Nimbus Robotics", "ko": "한빛 로보틱스"}[language]

    page.goto(live_server.url + "/")
    if language != "en":
        _switch_language(page, language)
    assert page.locator("html").get_attribute("lang") == language
    assert text["welcome"] in page.locator("h1").inner_text()
    assert page.evaluate("getComputedStyle(document.querySelector('.btn-primary')).backgroundColor") != (
        "rgba(0, 0, 0, 0)"
    ), "Bootstrap's CSS did not load"
    page.screenshot(path=str(SHOTS / f"landing-{language}.png"), full_page=True)

    # Register.
    page.get_by_role("link", name=text["register"]).first.click()
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.com")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_confirm", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/")
    assert text["account_ready"] in page.locator("#messages").inner_text()

    # Log in: a founder lands on their (empty) list of startups.
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/startups/")
    assert page.locator("h1").inner_text() == text["my_startups"]
    assert text["empty"] in page.locator("#startup-list-empty").inner_text()

    # Register a startup.
    page.locator("main").get_by_role("link", name=text["new_startup"]).click()
    page.fill("#id_name", startup_name)
    page.select_option("#id_sector", "software")
    page.select_option("#id_stage", "prototype")
    page.fill("#id_description", "Small robots for big warehouses.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/startups/*/")
    assert text["registered"] in page.locator("#messages").inner_text()
    assert Startup.objects.filter(name=startup_name, memberships__user__username=username).exists()

    # ...and find it in the list.
    page.get_by_role("link", name=text["my_startups"]).first.click()
    page.wait_for_url("**/startups/")
    assert page.locator("#startup-list tbody tr").all_inner_texts()[0].startswith(startup_name)
    assert page.locator("html").get_attribute("lang") == language
    page.screenshot(path=str(SHOTS / f"startup-list-{language}.png"), full_page=True)
