"""What the browser tests share: Debian's Chromium driven by Playwright (one browser for the
session), and a live server over the demo data (`manage.py seed_demo`) that the accessibility
and keyboard tests visit as each role.
"""

import io
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from accounts.enums import RoleCode
from accounts.models import Role, User
from tests.conftest import need_service

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# Who visits, and as which demo login (accounts/demo.py); None is a visitor who is not signed in.
ROLES = {
    "anonymous": None,
    "founder": "demo-founder",
    "reviewer": "demo-reviewer",
    "approver": "demo-approver",
    "space_manager": "demo-space",
    "expo_organiser": "demo-expo",
    "admin": "demo-admin",
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(scope="session")
def _orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread, so Django would refuse the ORM
    calls made meanwhile (the tests' own, the database flush between tests); they are still
    synchronous and safe. Set only while the browser runs."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def roles():
    """A transactional test ends with every table emptied, the roles the migrations made too
    (serialized_rollback cannot bring them back: the connection it keeps them on is not the one
    a thread running Playwright's event loop gets)."""
    _make_roles()


def _make_roles():
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


@pytest.fixture(scope="session")
def browser(django_db_setup, _orm_beside_playwright):
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        need_service(f"the browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab; a script error or a CSP violation (both land in the console) fails
    the test that used it. A test that provokes a refusal on purpose names the console line it
    expects in `page.expected_console_errors` (Chromium logs every 4xx answer there)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.expected_console_errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert [e for e in errors if not any(expected in e for expected in page.expected_console_errors)] == []


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's script, from the npm package pinned in package.json (`npm ci`)."""
    if not AXE_SCRIPT.exists():
        need_service(f"the accessibility tests need axe-core at {AXE_SCRIPT} (run `npm ci`)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


class DemoSite:
    """The live server over the demo data, and a way in for each demo login."""

    def __init__(self, url: str):
        self.url = url
        self.host = urlsplit(url).netloc

    def sign_in(self, context, username: str | None) -> None:
        """Give a browser context the session of a demo login (none for a visitor): the same
        session the log-in form would make, without typing the password for every context."""
        if username is None:
            return
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.url}])

    def choose_language(self, context, language: str) -> None:
        """What the language switcher leaves behind: Django's language cookie."""
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": self.url}])


@pytest.fixture
def demo_site(live_server, roles):
    """The demo data, as `make run` seeds it, behind the live server (the test must be
    transactional: the server's thread reads what the test committed)."""
    call_command("seed_demo", stdout=io.StringIO())
    return DemoSite(live_server.url)
