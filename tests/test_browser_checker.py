"""The checker page in headless Chromium: the page gives what the command line gives.

Expected answers come from `python3 -m checker --json` at test time (tests/parity/expected.py),
so these tests follow the engine as it improves instead of pinning today's answers.
"""
from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest

from parity.expected import cli_json, cli_many, dev_cases
from parity.page import (click_and_wait, finding_ids, instant_context, run_check,
                         wait_ready, wait_until)

GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


@pytest.fixture(scope="module")
def shared(browser, base_url):
    """One ready checker page for the tests that only run checks (saves a Python start each)."""
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = ctx.new_page()
    page.dialogs = []  # any alert() a pasted payload manages to run lands here
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "checker/")
    wait_ready(page)
    yield page
    ctx.close()


def ids(result: dict) -> list[str]:
    return [f["id"] for f in result["findings"]]


def test_state_reaches_ready_and_every_request_stays_on_the_origin(page, context, base_url):
    page.goto(base_url + "checker/")
    assert page.get_attribute("#checker", "data-state") in ("loading", "ready")
    wait_ready(page)
    assert "Ready" in page.inner_text(".fc-status__text")
    run_check(page, "AADSTS50076")
    assert context.requests, "the context recorded no request"
    foreign = [u for u in context.requests if not u.startswith(base_url)]
    assert not foreign, f"requests left the site's origin: {foreign}"
    # The runtime and the checker come from the site itself, the wheel by its lock file.
    assert any(u.endswith("/pyodide/pyodide.asm.wasm") for u in context.requests)
    assert any(re.search(r"/pyodide/checker-[^/]+\.whl$", u) for u in context.requests)


def test_dev_cases_typed_into_the_page_match_the_command_line(shared):
    cases = dev_cases()
    expected = cli_many([c["text"] for c in cases])
    assert len(cases) >= 10
    wrong = {}
    for case, want in zip(cases, expected):
        got = run_check(shared, case["text"])
        if got != ids(want):
            wrong[case["id"]] = (got, ids(want))
    assert not wrong, f"page and command line disagree: {wrong}"


def test_a_check_pressed_before_python_is_ready_runs_once_it_is(page, base_url):
    page.goto(base_url + "checker/", wait_until="domcontentloaded")
    wait_until(page, "() => window.flowChecker && window.flowChecker.state !== 'idle'")
    state_at_click = page.get_attribute("#checker", "data-state")
    got = run_check(page, "AADSTS53003: Access has been blocked by Conditional Access policies.")
    assert state_at_click == "loading"  # the check really was queued, not run on a ready page
    assert got == ids(cli_json("AADSTS53003: Access has been blocked by Conditional Access policies."))
    assert got, "a blocked-by-policy error must find something"


def test_ctrl_enter_runs_the_check(shared):
    shared.fill("#checker-input", "")
    shared.fill("#checker-input", "AADSTS70043 refresh token expired sign-in frequency")
    got = click_and_wait(shared, "#checker-input", press="Control+Enter")
    assert got == ids(cli_json("AADSTS70043 refresh token expired sign-in frequency"))


@pytest.mark.parametrize("answers", [None, {"where": "host-app"}])
def test_a_deep_link_runs_on_load(page, base_url, answers):
    text = "AADSTS53003 my flow fails"
    hash_ = "#q=" + quote(text) + ("&where=" + answers["where"] if answers else "")
    page.goto(base_url + "checker/" + hash_)
    wait_ready(page)
    page.wait_for_selector("#checker-results[aria-busy=false] [data-finding]", timeout=30_000)
    assert page.input_value("#checker-input") == text
    assert finding_ids(page) == ids(cli_json(text, answers=answers))


def test_the_clarifying_question_reranks_at_once(shared):
    text = "AADSTS50076"
    plain = cli_json(text)
    assert plain["question"], "the command line asks where the error was seen for a bare code"
    run_check(shared, text)
    for option in plain["question"]["options"]:
        got = click_and_wait(shared, f"#checker-results button[data-option='{option['id']}']")
        want = cli_json(text, answers={"where": option["id"]})
        assert got == ids(want), option["id"]
        assert shared.get_attribute(f"button[data-option='{option['id']}']", "aria-pressed") == "true"
    # The answers really re-rank: not every option puts the same finding first.
    firsts = {ids(cli_json(text, answers={"where": o["id"]}))[0] for o in plain["question"]["options"]}
    assert len(firsts) > 1


def test_the_setup_form_answers_like_evaluate_setup(shared):
    setup = {"requirements": ["mfa", "location"], "targets": ["office-365"],
             "enabled_after_connections": True, "flows_started_from": ["teams"],
             "remember_mfa": True, "remember_mfa_days": 14}
    form = "#checker-setup-form"
    for key in ("requirements", "targets", "flows_started_from"):
        for value in setup[key]:
            shared.check(f"{form} input[name={key}][value={value}]")
    shared.check(f"{form} input[name=enabled_after_connections][value=yes]")  # "Yes, it is on"
    shared.check(f"{form} input[name=remember_mfa]")
    shared.fill(f"{form} input[name=remember_mfa_days]", "14")
    described = "flows started from a Teams button fail with AADSTS50076"
    shared.fill("#checker-setup-text", described)
    click_and_wait(shared, "#checker-setup-run", box="#checker-setup-results")
    want = ids(cli_json(setup=setup))
    assert want, "this setup must break something"
    boxes = shared.query_selector_all("#checker-setup-results .fc-setup-answer")
    assert len(boxes) == 2  # the settings, then the free text through diagnose
    assert [e.get_attribute("data-finding") for e in boxes[0].query_selector_all("[data-finding]")] == want
    assert ([e.get_attribute("data-finding") for e in boxes[1].query_selector_all("[data-finding]")]
            == ids(cli_json(described)))
    why = shared.text_content("#checker-setup-results [data-finding]")
    assert cli_json(setup=setup)["findings"][0]["why"][0] in why


def test_setup_questions_that_would_not_change_the_answer_are_not_asked(shared):
    form = "#checker-setup-form"
    shared.uncheck(f"{form} input[name=remember_mfa]")
    for key in ("service_accounts_excluded", "terms_of_use_per_device", "sign_in_frequency_hours", "remember_mfa_days"):
        assert not shared.is_visible(f"{form} [name={key}]"), key
    shared.check(f"{form} input[name=requirements][value=terms-of-use]")
    assert shared.is_visible(f"{form} [name=service_accounts_excluded]")
    assert shared.is_visible(f"{form} [name=terms_of_use_per_device]")
    shared.uncheck(f"{form} input[name=requirements][value=terms-of-use]")
    assert not shared.is_visible(f"{form} [name=service_accounts_excluded]")


@pytest.mark.parametrize("payload", [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script> AADSTS50076",
    "AADSTS50076 <svg onload=alert(1)> mfa flow <iframe src=javascript:alert(1)>",
])
def test_pasted_markup_is_shown_as_text_and_runs_nothing(shared, payload):
    run_check(shared, payload)
    shared.wait_for_timeout(300)  # give a would-be onerror handler time to fire
    assert shared.dialogs == []
    created = shared.evaluate("""() => [...document.querySelectorAll(
        '#checker img, #checker script, #checker svg[onload], #checker iframe, #checker [onerror]')]
        .map(e => e.outerHTML)""")
    assert created == []


@pytest.fixture()
def instant_page(browser, base_url):
    ctx = instant_context(browser, base_url)
    yield ctx.new_page()
    ctx.close()


def test_instant_navigation_keeps_one_worker_and_back_still_works(instant_page, base_url):
    # On the test server's own port, as on `make serve` (tools/serve.py keeps instant navigation).
    page, requests = instant_page, instant_page.context.requests
    page.goto(base_url)
    # The worker starts on any page once it is idle, before the checker page is opened.
    wait_until(page, "() => window.flowChecker && window.flowChecker.state !== 'idle'")
    page.evaluate("window.__sameWindow = true")
    page.click(".md-nav a[href$='checker/']")
    page.wait_for_url(re.compile(r"/checker/(#[^/]*)?$"))
    wait_ready(page)
    assert page.evaluate("window.__sameWindow") is True, "navigation reloaded the page"
    assert run_check(page, "AADSTS50076") == ids(cli_json("AADSTS50076"))
    page.click(".md-nav a[href$='problems/']")  # away (instantly) ...
    page.wait_for_url(re.compile(r"/problems/(#[^/]*)?$"))
    page.wait_for_selector("#checker", state="detached")
    page.go_back()  # ... and back: a fresh #checker must mount on the same worker
    page.wait_for_url(re.compile(r"/checker/(#[^/]*)?$"))
    wait_ready(page)
    assert run_check(page, "AADSTS53003") == ids(cli_json("AADSTS53003"))
    assert page.evaluate("window.__sameWindow") is True
    workers = [u for u in requests if u.endswith("/assets/checker/worker.mjs")]
    wasm = [u for u in requests if u.endswith("/pyodide.asm.wasm")]
    assert len(workers) == 1 and len(wasm) == 1, (workers, wasm)


def test_copy_link_shares_only_what_was_found_unless_asked(shared):
    text = next(c["text"] for c in dev_cases() if c["id"] == "P2")
    run_check(shared, text)
    shared.click("[data-action=copy-link]")
    link = shared.evaluate("navigator.clipboard.readText()")
    assert "#q=" in link and "AADSTS50076" in link
    assert not GUID.search(link), "the default link must not carry ids from the paste"
    # The short link gives the same first finding as the paste did.
    shared.goto(link)
    # Same page, new hash: the old answer stays on screen until the link's check replaces it,
    # so wait for the box to hold the link's text and that check to finish.
    short = unquote(link.split("#q=", 1)[1].split("&where=", 1)[0])
    wait_until(shared, """(q) => document.querySelector('#checker-input').value === q
        && document.querySelector('#checker-results').getAttribute('aria-busy') === 'false'
        && !!document.querySelector('#checker-results [data-finding]')""", short)
    # With instant navigation on (any port now), Material may redraw the page for the new hash
    # and the link's check runs again: wait for the first finding rather than read it once.
    wait_until(shared, """(want) => document.querySelector('#checker-results[aria-busy="false"] [data-finding]')
        ?.dataset.finding === want""", ids(cli_json(text))[0])
    shared.fill("#checker-input", text)
    click_and_wait(shared, "#checker-run")
    shared.check("#checker-link-text")
    shared.click("[data-action=copy-link]")
    full = shared.evaluate("navigator.clipboard.readText()")
    assert full.endswith("#q=" + quote(text, safe="-_.!~*'()"))
    shared.uncheck("#checker-link-text")


def test_copy_redacted_paste_and_copy_answer(shared):
    text = next(c["text"] for c in dev_cases() if c["id"] == "P10")
    run_check(shared, text)
    shared.click("[data-action=copy-redacted]")
    redacted = shared.evaluate("navigator.clipboard.readText()")
    # Every GUID goes but the IDs of the Microsoft services the answer named.
    services = {s["id"] for s in cli_json(text)["services"]}
    assert GUID.search(text) and {m.lower() for m in GUID.findall(redacted)} == services
    assert "2021-10-13" in text and "2021-10-13" not in redacted
    assert "AADSTS50076" in redacted  # the code survives: the redacted paste still diagnoses
    shared.click("[data-action=copy-answer]")
    answer = shared.evaluate("navigator.clipboard.readText()")
    first = cli_json(text)["findings"][0]
    assert first["title"] in answer and "**" not in answer
    assert "<" not in answer.split(first["title"])[0]  # plain text, no markup


def test_no_match_says_what_was_looked_for_and_offers_the_search(shared):
    text = "the weather is lovely today and the coffee is hot"
    want = cli_json(text)
    assert want["findings"] == [], "this text must match nothing"
    assert run_check(shared, text) == []
    assert want["looked_for"] in shared.inner_text(".fc-nomatch")
    shared.click(".fc-nomatch button")
    assert shared.is_checked("#__search")  # Material's search opens, with the user's words
    assert shared.input_value("input[data-md-component=search-query]") == "the weather is lovely today and"
    shared.wait_for_selector(".md-search-result__meta:not(:has-text('Type to start searching'))")
    shared.keyboard.press("Escape")


def test_the_evidence_is_highlighted_in_the_users_own_text(shared):
    text = "Since IT turned on 2FA our scheduled flow fails with AADSTS50076 at the SharePoint step"
    run_check(shared, text)
    card = shared.locator("#checker-results [data-finding]").first
    marks = card.locator(".fc-excerpt mark").all_inner_texts()
    assert "AADSTS50076" in marks and "2FA" in marks, marks
    # Matches from one sentence share one excerpt, each marked once, in the user's spelling.
    assert card.locator(".fc-excerpt").count() == 1
    assert len(marks) == len(set(marks))
