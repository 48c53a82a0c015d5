"""Benchmark of the policy checker: 500 policies in one file.

Prints figures beside the aim and never fails on timing (machines are noisy):
    command line, 500 policies   < 1 s   (`python -m checker policies FILE --json`, a fresh
                                          interpreter: start-up, reading, judging, printing)
    in-process, 500 policies             (checker.policies.check_bytes, after warm-up)
    the page, 500 policies               (Check your policies in Chromium, from choosing the
                                          file to the report on the page; needs a built site/)
The 500 policies are the readable real examples and the labelled fixtures, repeated with
distinct names, in a Graph list response.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from shared_dir import SHARED  # noqa: E402

COUNT, RUNS, AIM_S = 500, 5, 1.0


def five_hundred() -> bytes:
    from checker.policies import read
    from checker.policies.read import Unreadable

    sources = sorted((SHARED / "examples" / "policies").glob("*.json")) + sorted((ROOT / "tests" / "fixtures" / "policies").glob("*.json"))
    pool = []
    for path in sources:
        try:
            found = read.find_policies(read.lower_keys(read.parse(read.decode(path.read_bytes()))), [])
            pool += [p for p in found if not read.truncated(p)]
        except Unreadable:
            continue
    policies = []
    for i in range(COUNT):
        p = dict(pool[i % len(pool)])
        p["displayname"] = f"{p.get('displayname') or p.get('name')} #{i}"
        policies.append(p)
    return json.dumps({"@odata.context": "bench", "value": policies}).encode()


def _line(label: str, value: str, aim: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else ("  ok" if met else "  MISSED")
    print(f"  {label:<38}{value:>12}   {aim}{verdict}", flush=True)


def page_ms(path: Path) -> list[float] | None:
    site = ROOT / "site"
    if not (site / "policies" / "index.html").is_file():
        return None
    from playwright.sync_api import sync_playwright

    from bench_browser import serve
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM, CHROMIUM_ARGS

    times = []
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        server = serve(Path(shutil.copytree(site, Path(tmp, "site"))))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/policies/")
            page.wait_for_selector("#policies[data-state=ready]", timeout=180_000)
            for _ in range(RUNS):
                page.evaluate("() => { document.querySelector('#policies').lastReport = null; }")
                started = time.perf_counter()
                page.set_input_files("#policies-file", [])
                page.set_input_files("#policies-file", str(path))
                _wait(page)
                times.append((time.perf_counter() - started) * 1000)
            browser.close()
        server.shutdown()
    return times


def _wait(page) -> None:
    # the site's CSP forbids wait_for_function's eval; poll instead
    while not page.evaluate("() => !!document.querySelector('#policies').lastReport"):
        page.wait_for_timeout(10)


def main() -> int:
    from checker.policies import check_bytes

    data = five_hundred()
    with tempfile.TemporaryDirectory(prefix="bench-policies-") as tmp:
        path = Path(tmp, "policies.json")
        path.write_bytes(data)
        report = check_bytes([("policies.json", data)])
        assert len(report["policies"]) == COUNT, len(report["policies"])
        inproc = []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            check_bytes([("policies.json", data)])
            inproc.append(time.perf_counter() - t0)
        cli = []
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for _ in range(RUNS):
            t0 = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "checker", "policies", str(path), "--json"],
                                 capture_output=True, env=env, cwd=tmp)
            cli.append(time.perf_counter() - t0)
            assert run.returncode == 0, run.stderr
        med = statistics.median(cli)
        print(f"  {COUNT} policies ({len(data) // 1024} KB), median of {RUNS} runs; "
              f"effects: {report['counts']}")
        _line("command line, 500 policies", f"{med * 1000:8.0f} ms", f"aim < {AIM_S:.0f} s", med < AIM_S)
        _line("in-process, 500 policies", f"{statistics.median(inproc) * 1000:8.0f} ms")
        times = page_ms(path)
        if times is None:
            _line("the page, 500 policies", "    no site", "(run `make bench`: it builds first)")
        else:
            _line("the page, 500 policies", f"{statistics.median(times):8.0f} ms",
                  f"(runs {', '.join(f'{t:.0f}' for t in times)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
