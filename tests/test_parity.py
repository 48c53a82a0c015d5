"""Parity: every dev case run through Pyodide in Node (the site's own Pyodide, lock file, checker
wheel and engine.mjs) gives exactly the JSON that CPython's `python3 -m checker --json` gives;
so do the answers to the clarifying question, a set of described setups, and every case of every
set in tests/cases (against `checker.diagnose` in one fresh CPython, which --json prints)."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from checker.rollout import REQUIREMENTS
from parity.expected import ROOT, cli_json, cli_many, dev_cases, engine_dir

RUNNER = ROOT / "tests" / "parity" / "run.mjs"


def run_in_node(site_dir, cases: list[dict], *flags: str) -> dict[str, dict]:
    """Every case through Pyodide in one Node process; {id: {"result"} or {"error"}}.
    flags: "--snapshot" starts from the site's memory snapshot (tests/test_snapshot.py)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the parity test needs Node.js (see README)")
    stdin = "".join(json.dumps(c) + "\n" for c in cases)
    run = subprocess.run([node, str(RUNNER), str(site_dir), *flags], input=stdin, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    answers = {a["id"]: a for a in map(json.loads, run.stdout.splitlines())}
    assert list(answers) == [c["id"] for c in cases], "the runner must answer every case, in order"
    return answers


def assert_same(cases, expected, answers):
    differ = [c["id"] for c, want in zip(cases, expected)
              if answers[c["id"]].get("error") or answers[c["id"]]["result"] != want]
    assert not differ, f"Pyodide and CPython disagree on {differ}: first {answers[differ[0]]}"


def test_every_dev_case_gives_the_same_json_in_pyodide_and_cpython(site_dir):
    cases = dev_cases()
    assert len(cases) >= 50  # the whole shared set, not a handful
    assert_same(cases, cli_many([c["text"] for c in cases]), run_in_node(site_dir, cases))


def test_answers_to_the_question_and_setups_give_the_same_json(site_dir):
    # Every dev case the command line asks "where?" about, once per answer; and setups.
    asked = [(c, cli_json(c["text"])["question"]) for c in dev_cases()]
    cases = [{"id": f"{c['id']}/{o['id']}", "text": c["text"], "answers": {q["id"]: o["id"]}}
             for c, q in asked if q for o in q["options"]]
    assert len(cases) >= 8, "the dev set must hold cases the checker asks about"
    setups = [{"requirements": [r], "targets": ["all-cloud-apps"]} for r in REQUIREMENTS]
    setups.append({"requirements": ["mfa", "location"], "targets": ["sharepoint", "exchange-online"],
                   "enabled_after_connections": True, "remember_mfa": True, "remember_mfa_days": 14,
                   "flows_started_from": ["teams", "power-apps"], "shared_with_sharepoint_lists": True})
    setups.append({"requirements": ["no-such-requirement"], "colour": "blue"})  # bad input: notices
    cases += [{"id": f"setup-{i}", "setup": s} for i, s in enumerate(setups)]
    expected = cli_many([{k: c[k] for k in ("text", "answers", "setup") if k in c} for c in cases])
    assert_same(cases, expected, run_in_node(site_dir, cases))


def test_answers_to_both_questions_give_the_same_json(site_dir):
    # "When did it start?" alone, after "where", and both together; answers that name nothing.
    refresh = "Failed to refresh access token for service: office365. Correlation Id=1"
    since = cli_json(refresh)["question"]
    assert since and since["id"] == "since"
    answers = [{"since": o["id"]} for o in since["options"]]
    answers += [{"where": "flow-run"}, {"where": "flow-run", "since": "unused"},
                {"where": "new-connection", "since": "every-few-hours"}, {"since": "no-such-answer"}]
    cases = [{"id": f"refresh/{i}", "text": refresh, "answers": a} for i, a in enumerate(answers)]
    cases.append({"id": "50078", "text": "AADSTS50078", "answers": {"since": "every-two-weeks"}})
    expected = [cli_json(c["text"], answers=c["answers"]) if "no-such-answer" not in c["answers"].values()
                else cli_json(c["text"]) for c in cases]
    assert_same(cases, expected, run_in_node(site_dir, cases))


def test_the_wheel_pyodide_loads_is_the_one_the_lock_file_names(site_dir):
    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text())
    entry = lock["packages"]["checker"]
    wheel = site_dir / "pyodide" / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    # Only what the site serves is listed: no package the site cannot deliver.
    assert all((site_dir / "pyodide" / p["file_name"]).is_file() for p in lock["packages"].values())


# `checker.diagnose` over JSON lines in one fresh interpreter (what --json prints, without a process
# per case for two thousand cases).
BATCH = """
import json, sys
from checker import diagnose
for line in sys.stdin:
    print(json.dumps(diagnose(json.loads(line)), ensure_ascii=False))
"""


def test_every_case_of_every_set_gives_the_same_json(site_dir):
    cases = [
        {"id": f"{path.stem}/{case['id']}", "text": case["text"]}
        for path in sorted((ROOT / "tests" / "cases").glob("*.jsonl"))
        for case in map(json.loads, filter(str.strip, path.read_text("utf-8").splitlines()))
    ]
    assert len(cases) >= 1500, "every set, not a handful"
    run = subprocess.run([sys.executable, "-c", BATCH], input="".join(json.dumps(c["text"]) + "\n" for c in cases),
                         capture_output=True, text=True, cwd=engine_dir(), timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    expected = [json.loads(line) for line in run.stdout.splitlines()]
    assert_same(cases, expected, run_in_node(site_dir, cases))
