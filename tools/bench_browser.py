"""Benchmark of the checker in Chromium, against the built site served by tools/serve.py.

Prints figures beside the project's aims and never fails on timing (machines are noisy):
    navigation to ready, cold     <= 1.15 x the floor   (the floor: tools/bench_floor.html, a
                                                          bare page that only starts the same
                                                          Pyodide in a module worker)
    navigation to ready, warm     (HTTP cache; printed beside the warm floor)
    Check to answer, once ready   <= 50 ms              (every dev case, typed into the page)
    bytes beyond Pyodide's core   <= 200 KB             (what /checker/ transfers besides the
                                                          core files under /pyodide/)
Cold runs use a fresh browser each (empty HTTP and code caches); warm runs reload in the same one.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
SITE = ROOT / "site"
from shared_dir import DEV_CASES as CASES  # noqa: E402
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (the browser the tests use)
from serve import SiteHandler  # noqa: E402

RUNS = 3
CORE = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
AIM_RATIO, AIM_ANSWER_MS, AIM_EXTRA_KB = 1.15, 50.0, 200.0

# Time from Check to the answer being in the page (aria-busy back to "false"), in the page's clock.
ANSWER_JS = """async (text) => {
  const box = document.querySelector('#checker-results');
  document.querySelector('#checker-input').value = text;
  const done = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      if (box.getAttribute('aria-busy') === 'false') { seen.disconnect(); resolve(performance.now()); }
    });
    seen.observe(box, { attributes: true, attributeFilter: ['aria-busy'] });
  });
  const start = performance.now();
  document.querySelector('#checker-run').click();
  return (await done) - start;
}"""


class BenchHandler(SiteHandler):
    """The site, plus the floor page under /bench-floor/ (served from tools/, same origin)."""

    def translate_path(self, path):
        if path.startswith("/bench-floor/"):
            return str(TOOLS / path.split("?")[0].removeprefix("/bench-floor/"))
        return super().translate_path(path)


def serve(directory: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(BenchHandler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ready_ms(page, url: str, floor: bool) -> float:
    page.goto(url)
    if floor:
        page.wait_for_selector("body[data-state=ready]", state="attached", timeout=120_000)
        return float(page.get_attribute("body", "data-ready-at"))
    page.wait_for_selector("#checker[data-state=ready]", timeout=120_000)
    return page.evaluate("() => window.flowChecker.readyAt")


def cold_and_warm(pw, urls: dict[str, str]) -> dict[str, tuple[list[float], list[float]]]:
    """{name: (cold runs, warm runs)}; the pages take turns, so load on the machine hits both."""
    out = {name: ([], []) for name in urls}
    for _ in range(RUNS):
        for name, url in urls.items():
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            out[name][0].append(ready_ms(page, url, floor=name == "floor"))
            page.goto("about:blank")
            out[name][1].append(ready_ms(page, url, floor=name == "floor"))  # HTTP cache is warm
            browser.close()
    return out


def transfer(pw, url: str) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzip bytes) of every response while /checker/ loads and answers."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url)
    page.wait_for_selector("#checker[data-state=ready]", timeout=120_000)
    page.evaluate(ANSWER_JS, "AADSTS50076")
    out = []
    for response in responses:
        body = response.body() if response.status == 200 else b""
        out.append((response.url.split("/", 3)[-1], len(body), len(gzip.compress(body, 6))))
    browser.close()
    return out


def answers(pw, url: str) -> list[float]:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("#checker[data-state=ready]", timeout=120_000)
    texts = [json.loads(line)["text"] for line in CASES.read_text("utf-8").splitlines() if line.strip()]
    times = [page.evaluate(ANSWER_JS, text) for text in texts]
    browser.close()
    return times


def _line(label: str, value: str, aim: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else ("  ok" if met else "  MISSED")
    print(f"  {label:<38} {value:>22}   {aim}{verdict}")


def main() -> int:
    if not (SITE / "checker" / "index.html").is_file():
        print("  site/ is not built: run `make bench` (it builds first)")
        return 1
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        # A snapshot: a rebuild of site/ during the run cannot pull files from under it.
        snapshot = Path(shutil.copytree(SITE, Path(tmp, "site")))
        server = serve(snapshot)
        base = f"http://127.0.0.1:{server.server_port}/"
        with sync_playwright() as pw:
            runs = cold_and_warm(pw, {"floor": base + "bench-floor/bench_floor.html", "checker": base + "checker/"})
            (floor_cold, floor_warm), (page_cold, page_warm) = runs["floor"], runs["checker"]
            times = answers(pw, base + "checker/")
            files = transfer(pw, base + "checker/")
        server.shutdown()

    med = statistics.median
    ratio = med(page_cold) / med(floor_cold)
    print(f"  median of {RUNS} runs, ms since navigation start; cold = fresh browser")
    _line("floor ready, cold", f"{med(floor_cold):8.0f} ms", f"(runs {', '.join(f'{t:.0f}' for t in floor_cold)})")
    _line("checker ready, cold", f"{med(page_cold):8.0f} ms", f"(runs {', '.join(f'{t:.0f}' for t in page_cold)})")
    _line("cold ratio checker / floor", f"{ratio:8.2f} x", f"aim <= {AIM_RATIO} x", ratio <= AIM_RATIO)
    _line("floor ready, warm", f"{med(floor_warm):8.0f} ms")
    _line("checker ready, warm", f"{med(page_warm):8.0f} ms")
    _line("warm ratio checker / floor", f"{med(page_warm) / med(floor_warm):8.2f} x")
    p95 = statistics.quantiles(times, n=20)[-1]
    _line(f"Check to answer, median ({len(times)} cases)", f"{med(times):8.1f} ms")
    _line("Check to answer, p95", f"{p95:8.1f} ms", f"aim <= {AIM_ANSWER_MS:.0f} ms", p95 <= AIM_ANSWER_MS)
    _line("Check to answer, max", f"{max(times):8.1f} ms")
    core = [f for f in files if f[0].startswith("pyodide/") and f[0].rsplit("/", 1)[-1] in CORE]
    extra = [f for f in files if f not in core]
    raw, packed = sum(f[1] for f in extra) / 1024, sum(f[2] for f in extra) / 1024
    _line("Pyodide core transferred", f"{sum(f[1] for f in core) / 1024:8.0f} KB", f"({len(core)} files)")
    _line("beyond the core, raw", f"{raw:8.1f} KB", f"aim <= {AIM_EXTRA_KB:.0f} KB", raw <= AIM_EXTRA_KB)
    _line("beyond the core, gzip (as hosts send)", f"{packed:8.1f} KB", f"aim <= {AIM_EXTRA_KB:.0f} KB", packed <= AIM_EXTRA_KB)
    for path, size, zipped in sorted(extra, key=lambda f: -f[1])[:8]:
        _line(f"    {path[:36]}", f"{size / 1024:7.1f} KB raw", f"{zipped / 1024:.1f} KB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
