"""The "Check your sign-in logs" page in headless Chromium: files chosen in the page give the
command line's JSON, group cards and the per-day chart; a bad file is refused; the copied report
hides user names unless asked; no request leaves the site; axe finds nothing to fix."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from parity.expected import ROOT, engine_dir
from parity.page import wait_until

FIXTURES = ROOT / "tests" / "fixtures" / "signins"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DONE = "() => ['done', 'refused', 'cancelled', 'error'].includes(document.querySelector('#signins')?.dataset.state)"


def cli(*files) -> dict:
    run = subprocess.run([sys.executable, "-m", "checker", "signins", "--json", *map(str, files)],
                         capture_output=True, cwd=engine_dir(), timeout=120)
    return json.loads(run.stdout)


def choose(page, *files) -> str:
    page.set_input_files("#signins-file", [str(f) for f in files])
    wait_until(page, DONE, timeout=120_000)
    return page.get_attribute("#signins", "data-state")


@pytest.fixture(scope="module")
def signins_page(browser, base_url):
    ctx = browser.new_context()
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    ctx.requests = []
    ctx.on("request", lambda req: ctx.requests.append(req.url))
    page = ctx.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(base_url + "signins/")
    page.wait_for_selector("#signins[data-state=ready]", timeout=120_000)
    yield page
    ctx.close()


@pytest.mark.parametrize("names", [
    ["graph-beta-signins.json"],
    ["InteractiveSignIns_2026-11-02_2026-11-04.csv"],
    ["SigninLogs_export.csv", "AADNonInteractiveUserSignInLogs_export.csv"],
    ["diagnostic-settings-signins.log", "InteractiveSignIns_2024-10-23_older-54-columns.csv"],
])
def test_files_chosen_in_the_page_give_the_command_lines_answer(signins_page, names):
    page = signins_page
    files = [FIXTURES / n for n in names]
    assert choose(page, *files) == "done"
    want = cli(*files)
    assert page.evaluate("document.querySelector('#signins').signinsResult") == want
    assert page.get_attribute("#signins-results", "aria-busy") == "false"
    assert page.is_hidden(".fs-reading")  # the progress bar and Cancel go once it is done
    assert page.get_attribute("#signins-results [data-flow-failures]", "data-flow-failures") == str(want["flow_failures"])
    groups = page.eval_on_selector_all("#signins-results [data-group]", "els => els.map(e => e.dataset.group)")
    assert groups == [g["finding"] for g in want["groups"]]
    # The chart: one bar per (day, finding) with failures, and the same numbers in its table.
    bars = page.locator("#signins-results svg rect").count()
    assert bars == sum(len(d["findings"]) for d in want["per_day"])
    assert page.locator("#signins-results table tbody tr").count() == len(want["per_day"])
    assert "AADNonInteractiveUserSignInLogs" in page.inner_text("#signins-results .fs-kql")


def test_copy_report_pseudonymises_users_unless_asked(signins_page):
    page = signins_page
    choose(page, FIXTURES / "graph-beta-signins.json")
    page.click("text=Copy report")
    report = page.evaluate("navigator.clipboard.readText()")
    assert "6 flow failures" in report and "user 1 (2)" in report
    assert "contoso.example" not in report
    page.check("#signins-names")
    page.click("text=Copy report")
    assert "alice@contoso.example (2)" in page.evaluate("navigator.clipboard.readText()")
    page.click("text=Copy the query")
    assert page.evaluate("navigator.clipboard.readText()") == cli(FIXTURES / "graph-beta-signins.json")["kql"]


def test_a_file_that_is_not_a_sign_in_log_is_refused(signins_page, tmp_path):
    page = signins_page
    bad = tmp_path / "notes.csv"
    bad.write_text("Name,Email\n<img src=x onerror=alert(1)>,a@b\n")
    assert choose(page, FIXTURES / "graph-beta-signins.json", bad) == "refused"
    alert = page.inner_text("#signins-results [role=alert]")
    assert "notes.csv: not a sign-in log" in alert and "nothing was counted" in alert
    assert page.locator("#signins-results [data-group]").count() == 0
    assert page.locator("#signins-results img").count() == 0 and not page.dialogs


def test_large_file_shows_progress_and_can_be_cancelled(signins_page, tmp_path):
    page = signins_page
    lines = (FIXTURES / "diagnostic-settings-signins.log").read_text().splitlines(keepends=True)
    big = tmp_path / "big.log"
    big.write_text("".join(lines * 3000))  # ~7 MB, several slices
    page.set_input_files("#signins-file", str(big))
    wait_until(page, "() => /sign-ins so far/.test(document.querySelector('.fs-reading__text').textContent)", timeout=60_000)
    page.click("[data-action=cancel]")
    wait_until(page, DONE, timeout=60_000)
    assert page.get_attribute("#signins", "data-state") == "cancelled"
    # and it reads afterwards, to the end
    assert choose(page, FIXTURES / "graph-beta-signins.json") == "done"


def test_no_request_leaves_the_site(signins_page, base_url):
    foreign = [u for u in signins_page.context.requests if not u.startswith(base_url)]
    assert not foreign


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_results(browser, base_url, scheme):
    ctx = browser.new_context(bypass_csp=True, color_scheme=scheme)
    page = ctx.new_page()
    try:
        page.goto(base_url + "signins/")
        page.wait_for_selector("#signins[data-state=ready]", timeout=120_000)
        choose(page, FIXTURES / "graph-beta-signins.json")
        page.evaluate("document.querySelector('#signins-results details').open = true")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("""async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")
        assert not found, json.dumps(found, indent=1)
    finally:
        ctx.close()


def test_instant_navigation_mounts_the_page_on_the_same_worker(browser, base_url):
    import re

    from parity.page import instant_context, wait_ready

    ctx = instant_context(browser, base_url)
    page = ctx.new_page()
    try:
        page.goto(base_url + "checker/")  # tools/serve.py keeps instant navigation on any port
        wait_ready(page)
        page.evaluate("window.__sameWindow = true")
        page.click(".md-nav a[href$='signins/']")
        page.wait_for_url(re.compile(r"/signins/(#[^/]*)?$"))
        page.wait_for_selector("#signins[data-state=ready]", timeout=60_000)
        assert choose(page, FIXTURES / "graph-beta-signins.json") == "done"
        assert page.evaluate("window.__sameWindow") is True, "navigation reloaded the page"
        workers = [u for u in ctx.requests if u.endswith("/assets/checker/worker.mjs")]
        assert len(workers) == 1, workers
    finally:
        ctx.close()


def test_without_javascript_only_the_explanation_shows(browser, base_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(base_url + "signins/")
        assert "python3 -m checker signins" in page.inner_text("#signins noscript")
        assert not page.is_visible("#signins-file") and not page.is_visible("#signins .fc-status")
    finally:
        ctx.close()


def test_runtime_failure_shows_an_error_not_a_spinner(browser, base_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        page.route("**/pyodide/pyodide.asm.wasm", lambda route: route.abort())
        page.goto(base_url + "signins/")
        page.wait_for_selector("#signins[data-state=error]", timeout=60_000)
        assert "cannot run" in page.inner_text("#signins .fc-error")
    finally:
        ctx.close()


def test_the_query_alone_without_a_file(signins_page):
    page = signins_page
    page.click("[data-action=show-kql]")
    page.wait_for_selector(".fs-query .fs-kql")
    want = subprocess.run([sys.executable, "-m", "checker", "signins", "--kql"], capture_output=True, text=True,
                          cwd=engine_dir(), timeout=60).stdout
    assert page.inner_text(".fs-query .fs-kql code").strip() == want.strip()
    page.click(".fs-query >> text=Copy the query")
    assert page.evaluate("navigator.clipboard.readText()") == want


def test_files_dropped_on_the_box_are_read(signins_page):
    page = signins_page
    name = "graph-v1.0-two-pages.json"
    content = (FIXTURES / name).read_text()
    transfer = page.evaluate_handle("""([text, name]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], name, { type: "application/json" }));
        return dt; }""", [content, name])
    page.dispatch_event("#signins-drop", "drop", {"dataTransfer": transfer})
    wait_until(page, DONE, timeout=120_000)
    assert page.get_attribute("#signins", "data-state") == "done"
    assert page.evaluate("document.querySelector('#signins').signinsResult") == cli(FIXTURES / name)
