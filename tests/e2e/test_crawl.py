"""The walk's reading of outside URLs (tests/e2e/crawl.py), without a browser."""

from tests.e2e.crawl import outside_urls

HOST = "localhost:8081"


def test_outside_urls_names_other_hosts_and_not_the_site_itself():
    text = (
        '<a href="http://localhost:8081/letters/">x</a> <img src="https://cdn.example.com/a.png">'
        " url(//fonts.example.org/f.woff2) // a comment, not a URL"
    )
    assert outside_urls(text, HOST) == ["https://cdn.example.com/a.png", "//fonts.example.org/f.woff2"]


def test_outside_urls_allow_an_xml_namespace_only_where_it_is_one():
    as_namespaces = (
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        " url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e\")"
    )
    assert outside_urls(as_namespaces, HOST) == []
    fetched = '<img src="http://www.w3.org/2000/svg">'
    assert outside_urls(fetched, HOST) == ["http://www.w3.org/2000/svg"]
