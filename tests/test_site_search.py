"""The site search (Material's lunr worker, through its real search box) finds each problem's
page from words a user would type: not the page's title, but how people put it."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from checker import knowledge

TOP = 3  # the page must be among the first results a reader sees
PHRASES = {
    "failed-runs": "flow stopped working after MFA was enabled",
    "auto-connection": "template won't create connections",
    "create-connection": "can't create new connection",
    "people-picker": "office 365 groups missing when sharing flow",
    "embedded-host": "flow fails from power apps button",
    "sharepoint-sharing": "list id shown instead of list name",
    "sharepoint-oob-flows": "request sign-off not working",
    "remember-mfa": "connection expires every two weeks",
    "terms-of-use": "terms of use broke flows",
    "sign-in-frequency": "reauthenticate every day",
    "token-inactivity": "connection not used for months",
    "token-revoked": "password reset broke connections",
}


def search(page, base_url: str, query: str) -> list[str]:
    """Type `query` into the search box (cleared first); the pages of the results, best first."""
    box = page.locator(".md-search__input")
    box.click()
    box.fill("")
    page.locator(".md-search-result__item").first.wait_for(state="detached")  # no stale list
    box.press_sequentially(query)
    return result_pages(page, base_url)


def result_pages(page, base_url: str) -> list[str]:
    """Paths of the pages in the results list, best first, once the list stops changing."""
    read = """els => els.map(a => a.getAttribute("href"))"""
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    links.first.wait_for()
    previous = None
    for _ in range(20):  # results update as the worker answers each keystroke
        current = links.evaluate_all(read)
        if current == previous:
            break
        previous = current
        page.wait_for_timeout(250)
    pages: list[str] = []
    for href in previous or []:
        path = urlsplit(href).path.removeprefix(urlsplit(base_url).path)
        if path not in pages:
            pages.append(path)
    return pages


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url)
    yield page
    context.close()


def test_every_finding_has_a_phrase():
    assert set(PHRASES) == set(knowledge.load().findings)
    for fid, phrase in PHRASES.items():  # users' words, not the page's title
        assert phrase.lower() not in knowledge.load().findings[fid].title.lower()


@pytest.mark.parametrize("fid", list(PHRASES))
def test_search_box_finds_the_problem(search_page, base_url, fid):
    pages = search(search_page, base_url, PHRASES[fid])
    expected = knowledge.load().findings[fid].page
    assert expected in pages[:TOP], f"{PHRASES[fid]!r} -> {pages[:5]}"


@pytest.mark.parametrize("query", ["AADSTS530033", "530033"])
def test_search_box_finds_a_code_with_or_without_its_prefix(search_page, base_url, query):
    """The search splits AADSTS from the number (mkdocs.yml `separator`), so a bare number works."""
    pages = search(search_page, base_url, query)
    assert "reference/codes/" in pages and "problems/failed-runs/" in pages, pages


@pytest.mark.parametrize("code", [53003, 530032, 50076, 70043, 53000])
def test_a_code_finds_its_entry_in_the_code_reference_first(search_page, base_url, code):
    pages = search(search_page, base_url, f"AADSTS{code}")
    assert pages[0] == "reference/codes/", pages[:5]
    # Within that page's results, the code's own entry is among the first two sections listed
    # (Material searches every term as a prefix, so 53003 also finds the rarer 530032, which
    # can score higher; both show in the first result group).
    links = search_page.locator(".md-search-result__item").first.locator("a.md-search-result__link")
    sections = [h for h in links.evaluate_all("els => els.map(a => a.getAttribute('href'))") if "#" in h]
    assert any(s.endswith(f"#aadsts{code}") for s in sections[:2]), sections
