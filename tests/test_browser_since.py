"""The "When did it start?" question on the checker page, on a desktop and on a 390 px phone: it
appears for a message that names no cause, answering it narrows the answer (the chosen finding
leads, the others stay collapsed), the link keeps the answers, a link with both answers opens on
the same answer, and axe finds nothing in either colour scheme.

Expected answers come from `python3 -m checker --json` (tests/parity/expected.py).
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

from parity.expected import cli_json
from parity.page import click_and_wait, finding_ids, run_check, wait_ready, wait_until
from test_browser_answer import VIEWPORTS, heading_in_view_and_focused
from test_browser_axe import assert_no_violations

REFRESH = "Failed to refresh access token for service: office365. Correlation Id=1"
QUESTION = "#checker-results .fc-question[data-question=since]"


@pytest.fixture(params=list(VIEWPORTS), scope="module")
def ready(browser, base_url, request):
    ctx = browser.new_context(viewport=VIEWPORTS[request.param], is_mobile=request.param == "phone",
                              has_touch=request.param == "phone")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = ctx.new_page()
    page.goto(base_url + "checker/")
    wait_ready(page)
    page.device = request.param
    yield page
    ctx.close()


def alternatives(page) -> list[str]:
    return [a.get_attribute("data-finding") for a in page.query_selector_all("#checker-results details.fc-alt")]


def test_since_when_appears_and_answering_narrows(ready, artifacts):
    want = cli_json(REFRESH)
    assert want["question"]["id"] == "since"
    assert run_check(ready, REFRESH) == [f["id"] for f in want["findings"]]
    assert ready.is_visible(QUESTION)
    assert ready.inner_text(QUESTION).startswith(want["question"]["text"])
    options = [b.get_attribute("data-option") for b in ready.query_selector_all(QUESTION + " button")]
    assert options == [o["id"] for o in want["question"]["options"]]
    ready.screenshot(path=str(artifacts / f"since-asked-{ready.device}.png"))
    for option in ("unused", "password-reset"):
        got = click_and_wait(ready, f"{QUESTION} button[data-option={option}]")
        narrowed = cli_json(REFRESH, answers={"since": option})
        assert got == [f["id"] for f in narrowed["findings"]]
        assert narrowed["answer"]["finding"] == narrowed["findings"][0]["id"] != want["findings"][0]["id"]
        assert ready.get_attribute("#checker-results .fc-lead", "data-finding") == narrowed["answer"]["finding"]
        assert heading_in_view_and_focused(ready) == narrowed["findings"][0]["title"]
        assert alternatives(ready) == [a["id"] for a in narrowed["answer"]["alternatives"]]
        assert ready.get_attribute(f"{QUESTION} button[data-option={option}]", "aria-pressed") == "true"
    ready.screenshot(path=str(artifacts / f"since-answered-{ready.device}.png"))


def test_the_link_keeps_the_answer(ready):
    run_check(ready, REFRESH)
    click_and_wait(ready, f"{QUESTION} button[data-option=unused]")
    ready.click("[data-action=copy-link]")
    link = ready.evaluate("navigator.clipboard.readText()")
    assert "#q=" in link and link.endswith("&since=unused"), link
    ready.check("#checker-link-text")
    ready.click("[data-action=copy-link]")
    full = ready.evaluate("navigator.clipboard.readText()")
    assert full.endswith("#q=" + quote(REFRESH, safe="-_.!~*'()") + "&since=unused"), full
    ready.uncheck("#checker-link-text")


def test_a_link_with_both_answers_opens_on_their_answer(browser, base_url):
    answers = {"where": "flow-run", "since": "password-reset"}
    want = cli_json(REFRESH, answers=answers)
    assert want["question"] is None
    page = browser.new_page()
    page.goto(base_url + "checker/#q=" + quote(REFRESH) + "".join(f"&{k}={v}" for k, v in answers.items()))
    wait_ready(page)
    wait_until(page, """(want) => document.querySelector('#checker-results[aria-busy="false"] [data-finding]')
        ?.dataset.finding === want""", want["findings"][0]["id"])
    assert finding_ids(page) == [f["id"] for f in want["findings"]]
    page.close()


def test_after_where_the_page_asks_since_when(browser, base_url):
    # A link that answers only "where": the cause is still open, so "When did it start?" shows,
    # and its answer joins the first in the next link.
    want = cli_json(REFRESH, answers={"where": "flow-run"})
    assert want["question"]["id"] == "since"
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = ctx.new_page()
    page.goto(base_url + "checker/#q=" + quote(REFRESH) + "&where=flow-run")
    wait_ready(page)
    page.wait_for_selector(QUESTION, timeout=30_000)
    got = click_and_wait(page, f"{QUESTION} button[data-option=unused]")
    assert got == [f["id"] for f in cli_json(REFRESH, answers={"where": "flow-run", "since": "unused"})["findings"]]
    page.click("[data-action=copy-link]")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.endswith("&where=flow-run&since=unused"), link
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_since_when_states_are_axe_clean(browser, base_url, scheme):
    ctx = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = ctx.new_page()
    page.goto(base_url + "checker/")
    wait_ready(page)
    run_check(page, "AADSTS50078")  # the code leads, the question offers the two answers that fit it
    assert page.is_visible("#checker-results .fc-lead " + QUESTION.split(" ", 1)[1])
    assert_no_violations(page, "since asked")
    click_and_wait(page, f"{QUESTION} button[data-option=every-two-weeks]")
    page.click("#checker-results details.fc-alt summary")
    assert_no_violations(page, "since answered")
    ctx.close()
