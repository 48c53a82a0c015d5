"""axe-core finds no accessibility violation on the checker page in any of its states.

axe is injected as a script, which the page's CSP (no inline script) would refuse, so only these
tests use a context with bypass_csp=True; the CSP itself is tested in test_browser_csp.py.
"""
from __future__ import annotations

import json

import pytest

from parity.expected import ROOT
from parity.page import click_and_wait, run_check, wait_ready

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(params=["light", "dark"])
def axe_page(browser, request):
    # The site follows the system's scheme until the reader picks one: both are checked.
    ctx = browser.new_context(bypass_csp=True, color_scheme=request.param)
    page = ctx.new_page()
    yield page
    ctx.close()


def violations(page) -> list[dict]:
    # Judge the page at rest: no button left hovered or focused by the clicks that got it here.
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(400)  # Material's buttons fade their colours (.25s): judge them settled
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document)).violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
    return found


def assert_no_violations(page, state):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # screenshots for a human look, never compared
    scheme = page.get_attribute("body", "data-md-color-scheme")
    page.screenshot(path=str(ARTIFACTS / f"checker-{state.replace(' ', '-')}-{scheme}.png"), full_page=True)
    found = violations(page)
    assert not found, f"axe violations in the {state} state:\n" + json.dumps(found, indent=1)


def test_loading_state(axe_page, base_url):
    # Hold the runtime's download so the page stays in its loading state while axe runs.
    held = []
    axe_page.route("**/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    axe_page.goto(base_url + "checker/")
    assert axe_page.get_attribute("#checker", "data-state") == "loading"
    assert_no_violations(axe_page, "loading")
    assert axe_page.get_attribute("#checker", "data-state") == "loading"


def test_results_state_with_question_and_codes(axe_page, base_url):
    axe_page.goto(base_url + "checker/")
    wait_ready(axe_page)
    assert run_check(axe_page, "AADSTS50076")
    assert axe_page.is_visible("#checker-results .fc-question")
    assert_no_violations(axe_page, "results")


def test_setup_answer_state(axe_page, base_url):
    axe_page.goto(base_url + "checker/")
    wait_ready(axe_page)
    axe_page.check("#checker-setup-form input[name=requirements][value=mfa]")
    axe_page.check("#checker-setup-form input[name=requirements][value=terms-of-use]")  # shows its questions
    axe_page.check("#checker-setup-form input[name=remember_mfa]")
    axe_page.click("#checker-setup-run")
    axe_page.wait_for_selector("#checker-setup-results[aria-busy=false] h3", timeout=30_000)
    assert_no_violations(axe_page, "setup answer")


def test_answered_state_with_an_alternative_open(axe_page, base_url):
    axe_page.goto(base_url + "checker/")
    wait_ready(axe_page)
    assert run_check(axe_page, "AADSTS50076")
    click_and_wait(axe_page, "#checker-results button[data-option='new-connection']")
    axe_page.click("#checker-results details.fc-alt summary")
    assert_no_violations(axe_page, "answered")


def test_service_and_other_cause_states(axe_page, base_url):
    axe_page.goto(base_url + "checker/")
    wait_ready(axe_page)
    run_check(axe_page, "AADSTS50076 must use multi-factor authentication to access "
                        "'00000003-0000-0ff1-ce00-000000000000' and then HTTP 429 too many requests")
    assert axe_page.is_visible("#checker-results .fc-services")
    assert_no_violations(axe_page, "service")
    assert run_check(axe_page, "Status code 429: Rate limit is exceeded.") == []
    assert axe_page.is_visible("#checker-results .fc-other")
    assert_no_violations(axe_page, "other cause")


def test_phone_results_state(browser, base_url, request):
    for scheme in ("light", "dark"):
        ctx = browser.new_context(bypass_csp=True, color_scheme=scheme, viewport={"width": 390, "height": 844})
        page = ctx.new_page()
        page.goto(base_url + "checker/")
        wait_ready(page)
        assert run_check(page, "AADSTS50076")
        assert_no_violations(page, "phone results")
        ctx.close()


def test_early_check_state(axe_page, base_url):
    # A Check pressed while the page's script is held back: the kept-check message.
    held = []
    axe_page.route("**/assets/checker/checker.js", lambda route: held.append(route))
    axe_page.goto(base_url + "checker/")
    axe_page.fill("#checker-input", "AADSTS50076")
    axe_page.click("#checker-run")
    assert "will run as soon" in axe_page.inner_text(".fc-status__text")
    assert_no_violations(axe_page, "early check")


def test_no_match_state(axe_page, base_url):
    axe_page.goto(base_url + "checker/")
    wait_ready(axe_page)
    assert run_check(axe_page, "the weather is lovely today") == []
    assert axe_page.is_visible(".fc-nomatch")
    assert_no_violations(axe_page, "no match")


def test_error_state(axe_page, base_url):
    axe_page.route("**/pyodide/pyodide.asm.wasm", lambda route: route.abort())
    axe_page.goto(base_url + "checker/")
    axe_page.wait_for_selector("#checker[data-state=error]", timeout=30_000)
    assert_no_violations(axe_page, "error")
