"""Benchmark of the checker in Chromium, against the built site served by tools/serve.py.

Prints figures beside the project's aims and never fails on timing (machines are noisy). The
floor is tools/bench_floor.html, a bare page that only starts the same Pyodide in a module worker,
measured in the same run, the two taking turns:
    first visit, navigation to ready      <= 1.10 x the floor's   (fresh browser: empty caches)
    first visit on a 20 Mbit/s link        <= 1.15 x the floor's   (CDP network emulation)
    return visit, navigation to ready      <= 0.35 x the floor's return visit  (the checker
                                                starts from its cached memory snapshot; the floor
                                                from the HTTP cache)
    bytes a first visit transfers before ready (as sent: the server sends .br/.gz copies)
    Check to answer, once ready            <= 50 ms              (every dev case, typed in)
    bytes beyond Pyodide's core            <= 200 KB             (what /checker/ transfers besides
                                                the core files under /pyodide/ and the snapshot)
    the snapshot's size raw, gzip, brotli (site/pyodide/snapshot.json)
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
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

RUNS = int(os.environ.get("BENCH_RUNS", 3))  # a quick look: BENCH_RUNS=1
CORE = {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"}
AIM_FIRST, AIM_SLOW, AIM_RETURN = 1.10, 1.15, 0.35
AIM_ANSWER_MS, AIM_EXTRA_KB = 50.0, 200.0
SLOW_MBIT = 20
SNAPSHOT_MS = 120_000

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
    server.handle_error = lambda request, address: None  # a browser closed mid-download: expected
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ready_ms(page, url: str, floor: bool) -> float:
    page.goto(url)
    if floor:
        page.wait_for_selector("body[data-state=ready]", state="attached", timeout=120_000)
        return float(page.get_attribute("body", "data-ready-at"))
    page.wait_for_selector("#checker[data-state=ready]", timeout=120_000)
    return page.evaluate("() => window.flowChecker.readyAt")


def wait_snapshot_cached(page) -> str:
    """Waits until the worker has put the snapshot in the Cache Storage (after ready, when idle)."""
    for _ in range(SNAPSHOT_MS // 100):
        state = page.evaluate("() => window.flowChecker.snapshotState")
        if state:
            return state
        page.wait_for_timeout(100)
    return "timed out"


def throttle(page, mbit: float) -> None:
    """Every request of the page and its worker at `mbit` Mbit/s down, 20 ms latency (CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = mbit * 1e6 / 8
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 20, "downloadThroughput": rate, "uploadThroughput": rate})


def first_and_return(pw, urls: dict[str, str]) -> dict[str, dict[str, list[float]]]:
    """{name: {"first", "return", "slow", "bytes"}}; the pages take turns, so load hits both.
    first: a fresh browser; return: the same browser again (the checker once its snapshot is
    cached, the floor with its HTTP cache); slow: a fresh browser on a throttled link."""
    out = {name: {"first": [], "return": [], "slow": [], "bytes": [], "restored": []} for name in urls}
    for _ in range(RUNS):
        for name, url in urls.items():
            floor = name == "floor"
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            sizes = []
            page.on("requestfinished", lambda request: sizes.append(request))
            out[name]["first"].append(ready_ms(page, url, floor))
            out[name]["bytes"].append(sum(r.sizes()["responseBodySize"] for r in list(sizes)
                                          if not r.url.endswith(".snapshot")))
            if not floor:
                wait_snapshot_cached(page)
            page.goto("about:blank")
            out[name]["return"].append(ready_ms(page, url, floor))
            if not floor:
                out[name]["restored"].append(page.evaluate("() => window.flowChecker.restored"))
            browser.close()
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            throttle(page, SLOW_MBIT)
            out[name]["slow"].append(ready_ms(page, url, floor))
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
    for response in list(responses):
        if response.url.endswith(".snapshot"):
            continue  # fetched in the background for the next visit, printed on its own
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


def _runs(values: list[float]) -> str:
    return f"(runs {', '.join(f'{v:.0f}' for v in values)})"


def _ratio(label: str, page: list[float], floor: list[float], aim: float) -> None:
    ratio = statistics.median(page) / statistics.median(floor)
    spread = f"range {min(page) / max(floor):.2f}-{max(page) / min(floor):.2f}"
    _line(label, f"{ratio:8.2f} x", f"aim <= {aim} x ({spread})", ratio <= aim)


def main() -> int:
    if not (SITE / "checker" / "index.html").is_file():
        print("  site/ is not built: run `make bench` (it builds first)")
        return 1
    manifest = json.loads((SITE / "pyodide" / "snapshot.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        # A snapshot: a rebuild of site/ during the run cannot pull files from under it.
        snapshot = Path(shutil.copytree(SITE, Path(tmp, "site")))
        server = serve(snapshot)
        base = f"http://127.0.0.1:{server.server_port}/"
        with sync_playwright() as pw:
            runs = first_and_return(pw, {"floor": base + "bench-floor/bench_floor.html", "checker": base + "checker/"})
            times = answers(pw, base + "checker/")
            files = transfer(pw, base + "checker/")
        server.shutdown()

    med = statistics.median
    floor, page = runs["floor"], runs["checker"]
    print(f"  median of {RUNS} runs, ms since navigation start; first visit = fresh browser")
    for key, label in (("first", "first visit"), ("slow", f"first visit, {SLOW_MBIT} Mbit/s"), ("return", "return visit")):
        _line(f"floor ready, {label}", f"{med(floor[key]):8.0f} ms", _runs(floor[key]))
        _line(f"checker ready, {label}", f"{med(page[key]):8.0f} ms", _runs(page[key]))
    _ratio("first visit, checker / floor", page["first"], floor["first"], AIM_FIRST)
    _ratio(f"first visit {SLOW_MBIT} Mbit/s, checker/floor", page["slow"], floor["slow"], AIM_SLOW)
    _ratio("return visit, checker / floor", page["return"], floor["return"], AIM_RETURN)
    restored = sum(page["restored"])
    _line("return visits from the snapshot", f"{restored:8d} of {len(page['restored'])}", "",
          restored == len(page["restored"]))
    _line("first visit, bytes before ready", f"{med(page['bytes']) / 1024:8.0f} KB",
          f"floor {med(floor['bytes']) / 1024:.0f} KB (as the server sent them)")
    mb = 1024 * 1024
    _line("snapshot raw / gzip / brotli", f"{manifest['bytes'] / mb:.1f} / {manifest['gzip_bytes'] / mb:.1f} / "
          f"{manifest['brotli_bytes'] / mb:.1f} MB", "(fetched once ready and idle, for the next visit)")
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
