"""The "Check your policies" page in headless Chromium: files picked, dropped or pasted give
what `python -m checker policies FILE --json` gives, one [data-policy] card per policy with its
data-effect; markup in a policy is shown as text; Copy report gives Markdown."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from parity.expected import engine_dir
from parity.page import click_and_wait, wait_until
from shared_dir import SHARED

EXAMPLES = SHARED / "examples" / "policies"
FIXTURES = Path(__file__).parent / "fixtures" / "policies"
SOME = [EXAMPLES / "jhope188-capolicies__ACME_-_GLOBAL_-_GRANT_-_MFA_-_AllUsers (1).json",
        EXAMPLES / "fortigi-ca__Temp-CA-01- All Apps - All Admins - Require MFA.json",  # UTF-16 LE
        EXAMPLES / "scubagear__ProviderSettingsExport.json.conditional_access_policies.extracted.json",
        EXAMPLES / "goodworkaround-starterpack__All apps - Block legacy authentication.json",
        FIXTURES / "graph-sif-24h-all-users.json"]


def cli(paths: list[Path], stdin: bytes | None = None) -> dict:
    """The command line from the site's wheel, each file named by its base name (as the page names it)."""
    args = ["-"] if stdin is not None else [str(p) for p in paths]
    run = subprocess.run([sys.executable, "-m", "checker", "policies", *args, "--json"],
                         input=stdin, capture_output=True, timeout=60, cwd=engine_dir())
    report = json.loads(run.stdout)
    if stdin is None:  # name files as the page does
        text = json.dumps(report)
        for p in paths:
            text = text.replace(json.dumps(str(p))[1:-1], json.dumps(p.name)[1:-1])
        report = json.loads(text)
    return report


@pytest.fixture(scope="module")
def policies_page(browser, base_url):
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = ctx.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(base_url + "policies/")
    page.wait_for_selector("#policies[data-state=ready]", timeout=120_000)
    yield page
    ctx.close()


def cards(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all("#policies-results [data-policy]",
                                     "els => els.map(e => [e.querySelector('h3').textContent, e.dataset.effect])")


def watch_busy(page) -> None:
    """From now on, note when #policies-results goes busy (choosing or dropping files runs a check)."""
    page.eval_on_selector("#policies-results", """r => { window.__seen = false;
        new MutationObserver(() => { if (r.getAttribute('aria-busy') === 'true') window.__seen = true; })
          .observe(r, {attributes: true, attributeFilter: ['aria-busy']}); }""")


def until_answered(page) -> None:
    wait_until(page, "() => window.__seen && document.querySelector('#policies-results').getAttribute('aria-busy') === 'false'",
               timeout=60_000)


def pick(page, files) -> None:
    page.fill("#policies-input", "")
    watch_busy(page)
    page.set_input_files("#policies-file", [str(f) for f in files])
    until_answered(page)


def test_picked_files_give_the_command_lines_report(policies_page):
    pick(policies_page, SOME)
    want = cli(SOME)
    got = policies_page.eval_on_selector("#policies", "r => r.lastReport")
    assert got == want
    assert cards(policies_page) == [[p["name"], p["effect"]] for p in want["policies"]]
    assert len(want["policies"]) >= 10 and {"breaks", "none"} <= {p["effect"] for p in want["policies"]}
    # the matrix comes first, then the cards
    order = policies_page.eval_on_selector("#policies-results", """r => [...r.children].map(c =>
        c.classList.contains('fc-matrix') ? 'matrix' : c.dataset.policy !== undefined ? 'card' : '')
        .filter(Boolean)""")
    assert order[0] == "matrix" and set(order[1:]) == {"card"}
    assert policies_page.errors == []


def test_pasted_json_and_bad_input(policies_page):
    text = (FIXTURES / "phishing-resistant-admins.json").read_text("utf-8")
    policies_page.set_input_files("#policies-file", [])
    policies_page.fill("#policies-input", text)
    click_and_wait(policies_page, "#policies-run", box="#policies-results")
    want = cli([], stdin=text.encode())
    assert [e for _, e in cards(policies_page)] == [p["effect"] for p in want["policies"]] == ["breaks"]
    for bad in ("this is not JSON at all", '{"requirements": ["mfa"]}', "[" * 3000):
        policies_page.fill("#policies-input", bad)
        click_and_wait(policies_page, "#policies-run", box="#policies-results")
        assert cards(policies_page) == []
        assert "Export" in policies_page.inner_text("#policies-results")
    assert policies_page.errors == []


def test_markup_in_a_policy_is_text(policies_page):
    raw = json.loads((FIXTURES / "graph-sif-24h-all-users.json").read_text("utf-8"))
    raw["displayName"] = "<img src=x onerror=alert(1)>"
    raw["conditions"]["users"]["excludeGroups"] = ["<script>alert(2)</script>"]
    policies_page.fill("#policies-input", json.dumps(raw))
    click_and_wait(policies_page, "#policies-run", box="#policies-results")
    policies_page.wait_for_timeout(300)
    assert policies_page.dialogs == []
    assert cards(policies_page) == [["<img src=x onerror=alert(1)>", "breaks"]]
    assert policies_page.eval_on_selector_all("#policies-results img, #policies-results script", "e => e.length") == 0


def test_copy_report_gives_markdown(policies_page):
    policies_page.fill("#policies-input", (FIXTURES / "graph-sif-24h-all-users.json").read_text("utf-8"))
    click_and_wait(policies_page, "#policies-run", box="#policies-results")
    policies_page.click("[data-action=copy-report]")
    wait_until(policies_page, "() => document.querySelector('#policies .fc-share__status').textContent !== ''")
    copied = policies_page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("# Conditional access policies and Power Automate")
    assert "## Contoso - Session - 24h sign-in frequency" in copied and re.search(r"\| sign-in|frequency", copied)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_report_has_no_axe_violations(browser, base_url, scheme):
    from test_browser_axe import violations

    ctx = browser.new_context(bypass_csp=True, color_scheme=scheme)  # axe is injected as a script
    page = ctx.new_page()
    page.goto(base_url + "policies/")
    page.wait_for_selector("#policies[data-state=ready]", timeout=120_000)
    pick(page, SOME[:2] + [FIXTURES / "session-only-harmless.json"])
    assert page.eval_on_selector_all("#policies-results [data-policy]", "e => e.length") == 3
    found = violations(page)
    ctx.close()
    assert not found, json.dumps(found, indent=1)


def test_when_python_cannot_start_the_page_says_so(page, base_url):
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(base_url + "policies/")
    page.wait_for_selector("#policies[data-state=error]", timeout=60_000)
    assert "cannot run" in page.inner_text("#policies .fc-error")
    assert not page.is_visible("#policies-run")


def test_dropped_files_are_checked(policies_page):
    text = (FIXTURES / "session-only-harmless.json").read_text("utf-8")
    policies_page.fill("#policies-input", "")
    watch_busy(policies_page)
    policies_page.evaluate("""text => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], "dropped.json", {type: "application/json"}));
        document.querySelector('#policies .fc-drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", text)
    until_answered(policies_page)
    assert cards(policies_page) == [["Adatum - Unmanaged devices - No persistent browser, limited web access", "none"]]
    assert policies_page.eval_on_selector("#policies", "r => r.lastReport.files[0].name") == "dropped.json"
