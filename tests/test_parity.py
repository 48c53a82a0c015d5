"""Parity: every dev case run through Pyodide in Node (the site's own Pyodide, lock file, checker
wheel and engine.mjs) gives exactly the JSON that CPython's `python3 -m checker --json` gives."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pytest

from parity.expected import ROOT, cli_many, dev_cases

RUNNER = ROOT / "tests" / "parity" / "run.mjs"


@pytest.fixture(scope="module")
def pyodide_answers(site_dir):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the parity test needs Node.js (see README)")
    cases = dev_cases()
    stdin = "".join(json.dumps(c) + "\n" for c in cases)
    run = subprocess.run([node, str(RUNNER), str(site_dir)], input=stdin, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    answers = {a["id"]: a for a in map(json.loads, run.stdout.splitlines())}
    assert list(answers) == [c["id"] for c in cases], "the runner must answer every case, in order"
    return cases, answers


def test_every_dev_case_gives_the_same_json_in_pyodide_and_cpython(pyodide_answers):
    cases, answers = pyodide_answers
    expected = cli_many([c["text"] for c in cases])
    differ = []
    for case, want in zip(cases, expected):
        got = answers[case["id"]]
        if got.get("error") or got["result"] != want:
            differ.append(case["id"])
    assert not differ, f"Pyodide and CPython disagree on {differ}: first {answers[differ[0]]}"
    assert len(cases) >= 50  # the whole shared set ran, not a handful


def test_the_wheel_pyodide_loads_is_the_one_the_lock_file_names(site_dir):
    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["checker"]
    wheel = site_dir / "pyodide" / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    # Only what the site serves is listed: no package the site cannot deliver.
    assert all((site_dir / "pyodide" / p["file_name"]).is_file() for p in lock["packages"].values())
