"""When the checker cannot run, the page says so in place of the checker (data-state="error")
and the rest of the page stays usable: never a blank box or a spinner forever."""
from __future__ import annotations

import pytest

ERROR_MS = 30_000


def assert_clean_error(page, *words):
    page.wait_for_selector("#checker[data-state=error]", timeout=ERROR_MS)
    message = page.inner_text(".fc-error")
    for word in words:
        assert word.lower() in message.lower(), message
    assert not page.is_visible("#checker-input"), "the paste box must give way to the message"
    assert page.is_visible(".fc-error a[href$='problems/']"), "the message points to the guide"
    assert page.is_visible("nav.md-nav--primary, .md-header"), "the rest of the page stays"
    assert not page.is_visible(".fc-progress")


@pytest.mark.parametrize("blocked", ["pyodide.asm.wasm", "python_stdlib.zip"])
def test_a_runtime_file_that_cannot_load_ends_in_a_clear_error(page, base_url, blocked):
    page.route(f"**/pyodide/{blocked}", lambda route: route.abort())
    page.goto(base_url + "checker/")
    assert_clean_error(page, "could not")


def test_a_blocked_worker_ends_in_a_clear_error(page, base_url):
    page.route("**/assets/checker/worker.mjs", lambda route: route.abort())
    page.goto(base_url + "checker/")
    assert_clean_error(page, "worker")


def test_a_tampered_checker_wheel_is_refused(page, base_url):
    # loadPackage checks the wheel against the sha256 in the site's lock file.
    def tamper(route):
        body = route.fetch().body()
        route.fulfill(body=body[:-1] + bytes([body[-1] ^ 1]), content_type="application/zip")

    page.route("**/pyodide/checker-*.whl", tamper)
    page.goto(base_url + "checker/")
    assert_clean_error(page, "sha256")


def test_no_webassembly_ends_in_a_clear_error(page, base_url):
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto(base_url + "checker/")
    assert_clean_error(page, "WebAssembly")


def test_a_page_opened_from_disk_explains_file_urls(page, site_dir):
    page.goto((site_dir / "checker" / "index.html").as_uri())
    assert_clean_error(page, "file://")


def test_a_check_pressed_before_a_failure_gets_an_answer(page, base_url):
    # A check queued while Python loads must not wait forever when loading then fails: the
    # runtime's download is held until the check is queued, then made to fail.
    held = []
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(base_url + "checker/", wait_until="domcontentloaded")
    page.fill("#checker-input", "AADSTS50076")
    page.click("#checker-run")
    assert page.get_attribute("#checker-results", "aria-busy") == "true"
    while not held:
        page.wait_for_timeout(50)
    held[0].abort()
    page.wait_for_selector("#checker[data-state=error]", timeout=ERROR_MS)
    assert page.get_attribute("#checker-results", "aria-busy") == "false"


def test_a_runtime_that_never_arrives_times_out_with_a_message(page, base_url):
    # The runtime's download hangs (never answered); the load timeout, cut to 3 s for the
    # test, turns the wait into a clear error instead of a spinner forever.
    page.add_init_script("window.flowCheckerTimeoutMs = 3000")
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: None)
    page.goto(base_url + "checker/")
    assert_clean_error(page, "did not start within 3 seconds")


def test_without_javascript_only_the_explanation_shows(browser, base_url):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(base_url + "checker/")
    assert page.is_visible("#checker noscript a[href$='problems/']")
    assert not page.is_visible("#checker-input") and not page.is_visible(".fc-status")
    ctx.close()
