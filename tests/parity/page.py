"""Driving the checker page from Playwright: the hooks the page promises (#checker data-state,
#checker-input, #checker-run, #checker-results aria-busy, [data-finding])."""
from __future__ import annotations

READY_MS = 90_000


def wait_ready(page, timeout: int = READY_MS) -> None:
    page.wait_for_selector("#checker[data-state=ready]", timeout=timeout)


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
    page.wait_for_function(
        "b => window.__busySeen && document.querySelector(b).getAttribute('aria-busy') === 'false'",
        arg=box, timeout=30_000)
    return finding_ids(page, box)


def finding_ids(page, box: str = "#checker-results") -> list[str]:
    return page.eval_on_selector_all(f"{box} [data-finding]", "els => els.map(e => e.dataset.finding)")
