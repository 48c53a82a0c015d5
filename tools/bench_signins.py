"""Benchmark of the sign-in log reader: rows per second and peak memory.

    command line, 100,000 admin center CSV rows (~70 MB): time within 3x the time Python's csv
        module takes only to read the same file (both in a fresh interpreter)
    command line, a JSON download of 100,000 records: read record by record, so its peak memory
        stays far below the file's size (json.load of the same file is shown for scale)
    the page's path (the site's Pyodide and engine.mjs in Node, the file fed in 1 MB slices as
        the page feeds it): time within 3x the command line's, peak memory at most 3x the file

The files are generated on the fly (tests/fixtures/signins/generate.py's shapes; one in ten rows
are flow sign-ins, as in a tenant where most sign-ins are Office and Teams). Figures only:
timing never fails anything.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "signins"))
import generate as shapes  # noqa: E402

ROWS = 100_000
SITE = ROOT / "site"

BASELINE = r"""
import csv, sys
n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        n += 1
print(n - 1)
"""
JSON_LOAD = r"""
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    print(len(json.load(f)))
"""


FLOW_SHARE = 0.1  # a tenant's log is mostly Office, Teams and other sign-ins


def scenario_rows(n: int):
    """n sign-ins: one in ten drawn from the fixtures' 12 rows (mostly flow sign-ins), the rest
    other apps' sign-ins (rows 8 and 11: Outlook, Teams); times and users spread out."""
    rnd = random.Random(9)
    base = shapes.ROWS
    others = [base[7], base[10]]
    for i in range(n):
        pick = base[rnd.randrange(len(base))] if rnd.random() < FLOW_SHARE else others[rnd.randrange(2)]
        time_, user, app, res, code, reason, policies, interactive = pick
        day = 1 + i * 28 // n
        yield (f"2026-11-{day:02d}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z", f"{user}{i % 500}",
               app, res, code, reason, policies, interactive)


def write_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(shapes.HEADER_57)
        for i, r in enumerate(scenario_rows(n)):
            d = shapes.admin_row(i, r)
            w.writerow([d[h] for h in shapes.HEADER_57])


def write_json(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        for i, r in enumerate(scenario_rows(n)):
            f.write((",\n" if i else "") + json.dumps(shapes.graph_record(i, r, beta=True)))
        f.write("\n]\n")


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak resident MB, stdout) of a command, with GNU time's figure when present."""
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    t0 = time.perf_counter()
    if timer:
        run = subprocess.run([timer, "-f", "%M", *cmd], capture_output=True, text=True, cwd=ROOT)
        peak = float(run.stderr.strip().splitlines()[-1]) / 1024
    else:
        import resource

        run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    elapsed = time.perf_counter() - t0
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:4]} exited {run.returncode}: {run.stderr[-500:]}")
    return elapsed, peak, run.stdout


def _renderer_rss_mb() -> float:
    """Resident memory of the Chromium renderers this process started (the page and its worker
    live in one), from /proc; 0 where /proc is missing."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0.0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            if b"--type=renderer" in Path(f"/proc/{pid}/cmdline").read_bytes():
                rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
                total += int(rss.split()[1]) / 1024
        except (OSError, StopIteration):
            continue
    return total


def in_chromium(path: Path, expected: dict) -> tuple[float, float, float] | None:
    """Seconds from choosing the file on /signins/ to the answer (Python already ready), and the
    renderers' resident memory before and at its peak."""
    if not (SITE / "index.html").is_file():
        return None
    sys.path.insert(0, str(ROOT / "tools"))
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    from serve import serve_in_background

    server = serve_in_background(SITE)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/signins/")
            page.wait_for_selector("#signins[data-state=ready]", timeout=180_000)
            before = _renderer_rss_mb()
            peak = [before]
            stop = threading.Event()

            def sample():
                while not stop.wait(0.1):
                    peak[0] = max(peak[0], _renderer_rss_mb())

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            t0 = time.perf_counter()
            page.set_input_files("#signins-file", str(path))
            page.wait_for_selector("#signins[data-state=done], #signins[data-state=refused]", timeout=600_000)
            elapsed = time.perf_counter() - t0
            stop.set()
            sampler.join()
            got = page.evaluate("document.querySelector('#signins').signinsResult")
            browser.close()
    finally:
        server.shutdown()
    assert got == expected, "the page must give the command line's JSON"
    return elapsed, before, peak[0]


def report(label: str, rows: int, seconds: float, peak: float, size_mb: float) -> None:
    memory = f"peak {peak:6.0f} MB ({peak / size_mb:.1f}x the file)" if peak == peak else ""
    print(f"  {label:<44} {seconds:6.2f} s  {rows / seconds:9,.0f} rows/s  {memory}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-signins-") as tmp:
        big_csv = Path(tmp) / "InteractiveSignIns_bench.csv"
        big_json = Path(tmp) / "InteractiveSignIns_bench.json"
        write_csv(big_csv, ROWS)
        csv_mb = big_csv.stat().st_size / 1e6
        print(f"  {ROWS:,} admin center CSV rows, {csv_mb:.0f} MB")
        base_s, base_peak, out = measure([sys.executable, "-c", BASELINE, str(big_csv)])
        assert int(out) == ROWS
        report("Python csv module, reading only", ROWS, base_s, base_peak, csv_mb)
        cli_s, cli_peak, out = measure([sys.executable, "-m", "checker", "signins", "--json", str(big_csv)])
        result = json.loads(out)
        assert result["signins"] == ROWS
        report("python -m checker signins", ROWS, cli_s, cli_peak, csv_mb)
        print(f"    ratio to csv {cli_s / base_s:.2f}x (aim <= 3x); {result['flow_failures']:,} flow failures, "
              f"{result['would_fail']:,} would fail")

        node = shutil.which("node")
        runner = ROOT / "tests" / "parity" / "signins.mjs"
        page_s = None
        if node and (SITE / "pyodide" / "pyodide.mjs").is_file():
            case = json.dumps({"id": "bench", "files": [str(big_csv)]}) + "\n"
            (Path(tmp) / "case.jsonl").write_text(case)
            cmd = ["sh", "-c", f'"{node}" "{runner}" "{SITE}" 1048576 < "{Path(tmp) / "case.jsonl"}"']
            page_s, page_peak, out = measure(cmd)
            got = json.loads(out)
            assert got.get("result") == result, "the page's path must give the command line's JSON"
            report("page path (Pyodide in Node, 1 MB slices)", ROWS, page_s, page_peak, csv_mb)
            # Python's start-up, measured alone on an empty run, is not part of reading the file.
            (Path(tmp) / "empty.jsonl").write_text(json.dumps({"id": "start", "files": []}) + "\n")
            start_s, _, _ = measure(["sh", "-c", f'"{node}" "{runner}" "{SITE}" 1048576 < "{Path(tmp) / "empty.jsonl"}"'])
            read_s = max(page_s - start_s, 1e-3)
            print(f"    without Pyodide's start-up ({start_s:.1f} s): {read_s:.2f} s, {read_s / cli_s:.2f}x the command "
                  f"line (aim <= 3x); peak {page_peak / csv_mb:.1f}x the file (aim <= 3x)")
        else:
            print("  page path: skipped (no node or no built site: run `make build`)")
        chromium = in_chromium(big_csv, result)
        if chromium is not None:
            chromium_s, before, peak = chromium
            report("the page in Chromium (file chosen to done)", ROWS, chromium_s, peak, csv_mb)
            print(f"    ratio to the command line {chromium_s / cli_s:.2f}x (aim <= 3x; Python already started); "
                  f"renderer {before:.0f} MB before the file, so the file added {peak - before:.0f} MB "
                  f"({(peak - before) / csv_mb:.1f}x the file; aim: peak <= 3x)")

        write_json(big_json, ROWS)
        json_mb = big_json.stat().st_size / 1e6
        print(f"  {ROWS:,} admin center JSON records, {json_mb:.0f} MB")
        load_s, load_peak, _ = measure([sys.executable, "-c", JSON_LOAD, str(big_json)])
        report("json.load of the whole file (for scale)", ROWS, load_s, load_peak, json_mb)
        js_s, js_peak, out = measure([sys.executable, "-m", "checker", "signins", "--json", str(big_json)])
        json_result = json.loads(out)
        assert json_result["signins"] == ROWS
        report("python -m checker signins (streamed)", ROWS, js_s, js_peak, json_mb)
        if page_s is not None:
            (Path(tmp) / "json.jsonl").write_text(json.dumps({"id": "json", "files": [str(big_json)]}) + "\n")
            pj_s, pj_peak, out = measure(["sh", "-c", f'"{node}" "{runner}" "{SITE}" 1048576 < "{Path(tmp) / "json.jsonl"}"'])
            assert json.loads(out).get("result") == json_result
            report("page path (Pyodide in Node, 1 MB slices)", ROWS, pj_s, pj_peak, json_mb)
            print(f"    without Pyodide's start-up: {max(pj_s - start_s, 1e-3) / js_s:.2f}x the command line; "
                  f"peak {pj_peak / json_mb:.1f}x the file (aim <= 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
