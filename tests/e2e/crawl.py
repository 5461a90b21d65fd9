"""Walk the site as a user would, from the landing page along its links, and check each page:
axe-core's serious and critical violations, and any outside URL the page names or the browser
asks for.

The walk is breadth-first in the links' document order, so the same data gives the same pages.
It is bounded (MAX_PAGES per walk, MAX_PER_VIEW pages of one URL pattern: the tenth letter's
page shows nothing the third did not) and leaves out what is not a page to read: the Django
admin, the API and its docs, the language switch, logging out, downloads.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve

MAX_PAGES = 60
MAX_PER_VIEW = 3

SKIPPED_PATHS = re.compile(
    r"^/(admin|api|i18n|static|media)/"  # the Django admin, the API and its docs, assets
    r"|/logout/"
    r"|\.(csv|ics|pdf|zip|xlsx?)$"  # downloads
    r"|/attachments/\d+/$"
)
FAILING_IMPACTS = ("serious", "critical")

# Each page is checked twice: with every rule at a desktop's width, then with the rules that
# depend on the layout at the narrowest width WCAG asks a page to work at (reflow, 320 px).
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}
LAYOUT_RULES = ["target-size", "scrollable-region-focusable", "meta-viewport"]

# axe.run answers only the violations (faster); `rules` (a list, or null for all) picks the rules.
RUN_AXE = """async (rules) => {
  // Let the page's resize handlers run first.
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  const options = {resultTypes: ["violations"]};
  if (rules) options.runOnly = {type: "rule", values: rules};
  const results = await axe.run(document, options);
  return results.violations.flatMap(v => v.nodes.map(n => ({
    rule: v.id, impact: n.impact || v.impact, help: v.help, target: n.target.join(" "),
  })));
}"""

# XML namespaces are names, never fetched: an SVG's xmlns (in HTML, or in a data: URI of a style).
NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
}
# An absolute URL, or a protocol-relative one ("//host.example/x").
URL = re.compile(r"(?:\b(?:https?|wss?):|(?<![\w:/]))//[\w-]+(?:\.[\w-]+)*(?::\d+)?[^\s\"'<>()\\`]*")
AS_NAMESPACE = re.compile(r"xmlns(?::\w+)?=\\?['\"]?$")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass
class Walk:
    """What one walk found."""

    pages: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # "page: rule (impact) at target"
    outside: list[str] = field(default_factory=list)  # "where: url"


def walk(context, base_url: str, axe_source: str, start: str = "/") -> Walk:
    """Visit what `context` (signed in and with its language chosen) reaches from `start`."""
    result = Walk()
    host = urlsplit(base_url).netloc
    context.add_init_script(script=axe_source)
    result.outside = outside_requests(context, host)
    page = context.new_page()
    page.set_default_timeout(15_000)
    checked_assets: set[str] = set()
    per_view: dict[str, int] = {}
    queue, seen = deque([urljoin(base_url, start)]), {urljoin(base_url, start)}
    while queue and len(result.pages) < MAX_PAGES:
        url = queue.popleft()
        page.set_viewport_size(WIDE)
        response = page.goto(url, wait_until="load")
        final = page.url
        if (
            urlsplit(final).netloc != host
            or response is None
            or "html" not in response.headers.get("content-type", "")
        ):
            continue
        result.pages.append(final)
        _check(page, None, final, result)
        page.set_viewport_size(NARROW)
        _check(page, LAYOUT_RULES, f"{final} ({NARROW['width']} px wide)", result)
        result.outside += named_outside_urls(page, response, host, checked_assets)
        for link in _links(page, base_url, host):
            if link in seen:
                continue
            seen.add(link)
            view = _view_name(link)
            if view is None or per_view.get(view, 0) >= MAX_PER_VIEW:
                continue
            per_view[view] = per_view.get(view, 0) + 1
            queue.append(link)
    page.close()
    return result


def _check(page, rules: list[str] | None, where: str, result: Walk) -> None:
    for finding in page.evaluate(RUN_AXE, rules):
        if finding["impact"] in FAILING_IMPACTS:
            result.violations.append(
                f"{where}: {finding['rule']} ({finding['impact']}) at {finding['target']} - {finding['help']}"
            )


def outside_urls(text: str, host: str) -> list[str]:
    """The URLs in `text` that name a host other than `host`, XML namespaces aside."""
    found = []
    for match in URL.finditer(text):
        url = match.group(0)
        if urlsplit(url if "://" in url else "http:" + url).netloc == host:
            continue
        if url in NAMESPACES and AS_NAMESPACE.search(text[max(0, match.start() - 16) : match.start()]):
            continue
        found.append(url)
    return found


def outside_requests(context, host: str) -> list[str]:
    """A list that fills with every request of `context`'s pages to another host."""
    requests: list[str] = []

    def note(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            requests.append(f"{request.frame.url} requested {request.url}")

    context.on("request", note)
    return requests


def named_outside_urls(page, response, host: str, checked_assets: set[str]) -> list[str]:
    """The outside URLs that a loaded page's HTML, styles and scripts name ("where: url"); the
    assets in `checked_assets` are not read again (and those read are added to it)."""
    found = [f"{page.url}: {url}" for url in outside_urls(response.text(), host)]
    assets = page.eval_on_selector_all(
        "script[src], link[rel~=stylesheet][href]", "els => els.map(e => e.src || e.href)"
    )
    for asset in assets:
        if asset not in checked_assets:
            checked_assets.add(asset)
            found += [f"{asset}: {url}" for url in _outside_urls_of_asset(page.context, asset, host)]
    return found


def _outside_urls_of_asset(context, url: str, host: str) -> list[str]:
    """A stylesheet's or a script's outside URLs, comments aside (licence headers).

    A script from an installed package (Bootstrap, htmx, Swagger UI) names URLs it never calls
    (its documentation, defaults the page overrides): what it really asks for shows up as a
    request, which `outside_requests` notes. The project's own scripts and every style are read
    whole.
    """
    path = urlsplit(url).path
    if path.endswith(".js") and _from_a_package(path):
        return []
    return outside_urls(COMMENT.sub("", context.request.get(url).text()), host)


def _from_a_package(path: str) -> bool:
    if not path.startswith(settings.STATIC_URL):
        return False
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    own = [Path(folder).resolve() for folder in settings.STATICFILES_DIRS]
    return bool(found) and not any(Path(found).resolve().is_relative_to(folder) for folder in own)


def _links(page, base_url: str, host: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
    links = []
    for href in hrefs:
        url = urldefrag(urljoin(base_url, href)).url
        parts = urlsplit(url)
        if (
            parts.scheme in ("http", "https")
            and parts.netloc == host
            and not SKIPPED_PATHS.search(parts.path)
        ):
            links.append(url)
    return links


def _view_name(url: str) -> str | None:
    """The URL pattern a link leads to (None if it leads nowhere the site knows)."""
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None
