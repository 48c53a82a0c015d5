"""Driving the checker page from Playwright: the hooks the page promises (#checker data-state,
#checker-input, #checker-run, #checker-results aria-busy, [data-finding])."""
from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError

READY_MS = 90_000


def wait_until(page, expression: str, arg=None, timeout: int = 30_000) -> None:
    """Polls a JS function (as text) until it returns true. Playwright's wait_for_function
    compiles its predicate with eval, which the site's CSP forbids; page.evaluate is not."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} ms waiting for {expression}")
        page.wait_for_timeout(50)


def wait_ready(page, timeout: int = READY_MS) -> None:
    try:
        # An error state ends the wait at once (and fails below) instead of running out the clock.
        page.wait_for_selector("#checker[data-state=ready], #checker[data-state=error]", timeout=timeout)
        if page.get_attribute("#checker", "data-state") != "ready":
            raise PlaywrightError("the checker reached its error state")
    except PlaywrightError as exc:
        state = page.evaluate("""() => { const c = document.querySelector('#checker');
            return c && [c.dataset.state, c.querySelector('.fc-status__text')?.textContent,
                         c.querySelector('.fc-error')?.textContent]; }""")
        raise AssertionError(f"the checker did not get ready: {state}") from exc


def run_check(page, text: str) -> list[str]:
    """Types `text` into the box, presses Check and returns the finding ids shown, in order."""
    page.fill("#checker-input", text)
    return click_and_wait(page, "#checker-run")


def click_and_wait(page, selector: str, box: str = "#checker-results", press: str | None = None) -> list[str]:
    """Clicks (or presses `press` in) something that starts a check and waits for its answer: `box` must go
    aria-busy="true" and then back to "false" (an observer sees the flip, however fast)."""
    page.eval_on_selector(box, """r => {
        window.__busySeen = false;
        if (window.__busyObserver) window.__busyObserver.disconnect();
        window.__busyObserver = new MutationObserver((records) => {
          if (r.getAttribute('aria-busy') === 'true' || records.some(m => m.oldValue === 'true'))
            window.__busySeen = true;
        });
        window.__busyObserver.observe(r, {attributes: true, attributeOldValue: true,
                                          attributeFilter: ['aria-busy']});
    }""")
    if press:
        page.press(selector, press)
    else:
        page.click(selector)
    wait_until(page, "b => window.__busySeen && document.querySelector(b).getAttribute('aria-busy') === 'false'",
               box)
    return finding_ids(page, box)


def finding_ids(page, box: str = "#checker-results") -> list[str]:
    return page.eval_on_selector_all(f"{box} [data-finding]", "els => els.map(e => e.dataset.finding)")


def instant_context(browser, base_url, **options):
    """A browser context that records every URL it asks for (`ctx.requests`). Material's instant
    navigation works on the test server's port: tools/serve.py answers sitemap.xml with its URLs
    on the address it is asked at (Material keeps the sitemap's port)."""
    ctx = browser.new_context(**options)
    ctx.requests = []
    ctx.on("request", lambda req: ctx.requests.append(req.url))
    return ctx
