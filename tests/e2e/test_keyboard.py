"""The site by keyboard alone, in the browser: the skip link, the language switcher, the user
menu, a control driven by htmx, and a form's errors tied to their fields for screen readers.
"""

import pytest

from startups.demo import DEMO_STARTUP
from startups.models import Invitation, Startup
from tests import factories
from tests.e2e.conftest import ROLES

# The live server reads the demo data the test commits: transactional tests.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 40


def tab_to(page, selector: str) -> None:
    """Press Tab until the element `selector` has the focus (as a keyboard user would)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {selector}")


def focused(page, script: str):
    return page.evaluate(f"() => document.activeElement.{script}")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(demo_site, page):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    assert focused(page, "getAttribute('href')") == "#main"
    # It shows when focused (visually-hidden-focusable), with the focus ring around it.
    box = page.locator(".skip-link").bounding_box()
    assert box["width"] > 24 and box["height"] > 24
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert focused(page, "id") == "main"


def test_every_control_shows_a_focus_ring(demo_site, page):
    """Tab through a page full of controls (menus, tabs, a form, tables): each control focused
    draws the theme's solid outline."""
    startup = Startup.objects.get(name=DEMO_STARTUP)
    demo_site.sign_in(page.context, ROLES["founder"])
    page.goto(f"{demo_site.url}/startups/{startup.pk}/reports/")
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        control = page.evaluate(
            """() => {
              const e = document.activeElement, style = getComputedStyle(e);
              const again = e === document.body || e.dataset.tabbed === "1";
              e.dataset.tabbed = "1";
              return {name: e.tagName + (e.id ? "#" + e.id : "") + " " + (e.textContent || "").trim().slice(0, 30),
                      outline: style.outlineStyle, width: parseFloat(style.outlineWidth), again};
            }"""
        )
        if control["again"]:
            break  # round the page and back at the start
        seen.append(control["name"])
        assert control["outline"] == "solid" and control["width"] >= 2, f"no focus ring on {control['name']}"
    assert len(seen) >= 10  # the page's links, menus and the report form were all reached


def test_language_switcher_opens_and_switches_by_keyboard(demo_site, page):
    page.goto(demo_site.url + "/")
    tab_to(page, "#language-menu")
    page.keyboard.press("Enter")
    assert page.get_attribute("#language-menu", "aria-expanded") == "true"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        if focused(page, "value") == "ko":
            break
    assert focused(page, "value") == "ko"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "ko"


def test_user_menu_opens_and_leads_to_a_page_by_keyboard(demo_site, page):
    demo_site.sign_in(page.context, ROLES["founder"])
    page.goto(demo_site.url + "/")
    tab_to(page, "#user-menu")
    page.keyboard.press("Enter")
    assert page.get_attribute("#user-menu", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert focused(page, "id") == "nav-notifications"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/notifications/")
    # Escape closes a menu and gives the focus back to its button.
    tab_to(page, "#user-menu")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert page.get_attribute("#user-menu", "aria-expanded") == "false"
    assert focused(page, "id") == "user-menu"


def test_htmx_member_form_adds_a_member_by_keyboard(demo_site, page):
    factories.UserFactory(username="co-founder", roles=["founder"])
    startup = Startup.objects.get(name=DEMO_STARTUP)
    demo_site.sign_in(page.context, ROLES["founder"])
    url = f"{demo_site.url}/startups/{startup.pk}/members/"
    page.goto(url)
    tab_to(page, "#id_username")
    page.keyboard.type("co-founder")
    with page.expect_response(url) as answer:
        page.keyboard.press("Enter")
    assert answer.value.ok
    page.locator("#members-panel", has_text="co-founder").wait_for()
    assert page.url == url  # htmx swapped the panel; the page stayed
    # An owner invites; the co-founder is a member once they accept.
    assert Invitation.objects.filter(startup=startup, user__username="co-founder").exists()


def test_form_errors_are_tied_to_their_fields_and_announced(demo_site, page):
    page.goto(demo_site.url + "/accounts/register/")
    tab_to(page, "#id_username")
    page.keyboard.type("newcomer")
    tab_to(page, "#id_email")
    page.keyboard.type("newcomer@example.org")
    tab_to(page, "#id_password")
    page.keyboard.type(factories.PASSWORD)
    tab_to(page, "#id_password_confirm")
    page.keyboard.type(factories.PASSWORD + "-not")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    field = page.locator("#id_password_confirm")
    assert field.get_attribute("aria-invalid") == "true"
    described_by = field.get_attribute("aria-describedby").split()
    assert "id_password_confirm_error" in described_by
    error = page.locator("#id_password_confirm_error")
    assert error.is_visible() and error.inner_text().strip()
    # The alert above the form (a live region) names the field and links to it.
    summary = page.locator("main [role=alert]")
    assert error.inner_text().strip() in summary.inner_text()
    assert summary.locator("a[href='#id_password_confirm']").count() == 1
