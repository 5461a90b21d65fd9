"""Every page a role reaches, in every language, checked in the browser: axe-core finds no serious
or critical violation (WCAG 2.2 AA and axe's best practices), and no page names or asks for
anything outside the site.

The pages are not listed: each role walks from its landing page along the links (tests/e2e/
crawl.py), so a new page is checked as soon as a link leads to it. The API docs (Swagger UI) are
not a page of the site's own look and stay out of the axe walk, but not of the outside-URL check.
"""

import pytest

from tests.e2e import crawl
from tests.e2e.conftest import LANGUAGES, ROLES

# The live server reads the demo data the test commits: transactional tests.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VISITS = [pytest.param(role, language, id=f"{role}-{language}") for role in ROLES for language in LANGUAGES]


@pytest.mark.parametrize(("role", "language"), VISITS)
def test_every_reachable_page_passes_axe_and_names_no_outside_url(
    demo_site, browser, axe_source, role, language
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        demo_site.sign_in(context, ROLES[role])
        demo_site.choose_language(context, language)
        walk = crawl.walk(context, demo_site.url, axe_source)
    finally:
        context.close()
    print(f"{role}/{language}: {len(walk.pages)} pages checked")
    assert walk.pages, "the walk reached no page"
    report = []
    if walk.violations:
        report += [f"{len(walk.violations)} serious or critical axe violations:", *walk.violations]
    if walk.outside:
        report += ["outside URLs:", *sorted(set(walk.outside))]
    assert not report, "\n".join(report)


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_docs_name_and_call_no_outside_url(demo_site, browser, language):
    """Swagger UI with its online validator off: its page, its settings script and its styles name
    no outside host, and rendering the docs asks none."""
    context = browser.new_context()
    try:
        demo_site.sign_in(context, ROLES["admin"])
        demo_site.choose_language(context, language)
        outside = crawl.outside_requests(context, demo_site.host)
        page = context.new_page()
        response = page.goto(demo_site.url + "/api/docs/")
        page.locator(".swagger-ui .information-container").wait_for()
        page.wait_for_load_state("networkidle")
        outside += crawl.named_outside_urls(page, response, demo_site.host, set())
        # Swagger UI shows its validator's badge only off localhost, so ask its configuration.
        validator = page.evaluate("() => ui.getConfigs().validatorUrl")
    finally:
        context.close()
    assert validator is None
    assert not outside, "outside URLs:\n" + "\n".join(outside)
