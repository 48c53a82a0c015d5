"""The command line: its JSON contract, exit status and one-line errors."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MFA = "AADSTS50076: you must use multi-factor authentication to access 'x'"


def run(*args, stdin: bytes | None = None, python: str = sys.executable):
    return subprocess.run([python, "-m", "checker", *args], input=stdin, capture_output=True, cwd=ROOT, timeout=60)


def test_json_on_stdin():
    p = run("--json", stdin=MFA.encode())
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert out["findings"][0]["id"] == "failed-runs"
    assert out["codes"][0] == {**out["codes"][0], "code": 50076, "condition": "mfa"}
    assert out["question"]["id"] == "where"


def test_text_argument_prints_a_readable_answer():
    p = run("connections expire every 14 days")
    assert p.returncode == 0
    text = p.stdout.decode()
    from checker.knowledge import load

    assert f"1. {load().findings['remember-mfa'].title} (" in text  # the title from the knowledge base
    assert "https://flow-access-guide.github.io/problems/remember-mfa/" in text


def test_answer_reranks():
    p = run("--json", "--answer", "where=new-connection", MFA)
    out = json.loads(p.stdout)
    assert out["findings"][0]["id"] == "create-connection" and out["question"] is None


def test_both_questions_answered_together():
    refresh = "Failed to refresh access token for service: office365."
    out = json.loads(run("--json", refresh).stdout)
    assert out["question"]["id"] == "since"
    p = run("--json", "--answer", "where=flow-run", "--answer", "since=password-reset", refresh)
    out = json.loads(p.stdout)
    assert p.returncode == 0 and out["findings"][0]["id"] == "token-revoked" and out["question"] is None
    text = run(refresh).stdout.decode()
    assert "When did it start? Run again with --answer since=<answer>" in text and "password-reset" in text


def test_nothing_matched_exits_1_and_says_so():
    p = run("what licence do I need for premium connectors?")
    assert p.returncode == 1
    assert b"No known conditional access or MFA problem matches this." in p.stdout


@pytest.mark.parametrize("args, stdin", [
    (["--answer", "where"], MFA.encode()),
    (["--answer", "since=no-such-answer"], MFA.encode()),
    (["--answer", "when=unused"], MFA.encode()),
    (["--no-such-option"], b"x"),
    ([], b""),
    ([], b" \n\t"),
    (["--setup", "/nonexistent/setup.json"], None),
])
def test_bad_usage_exits_2_with_one_line(args, stdin):
    p = run(*args, stdin=stdin)
    assert p.returncode == 2
    assert p.stdout == b""
    assert len(p.stderr.decode().strip().splitlines()) == 1


def test_setup_file_that_is_not_json(tmp_path):
    bad = tmp_path / "setup.json"
    bad.write_text("{not json")
    p = run("--setup", str(bad))
    assert p.returncode == 2 and b"not valid JSON" in p.stderr


def test_invalid_utf8_is_checked_with_a_notice():
    p = run("--json", stdin=b"\xc3\x28 AADSTS53003 \xff")
    out = json.loads(p.stdout)
    assert p.returncode == 0 and out["codes"][0]["code"] == 53003
    assert any("UTF-8" in n for n in out["notices"])


def test_runs_on_python_311_with_nothing_installed():
    py311 = shutil.which("python3.11") or "/usr/bin/python3.11"
    if not Path(py311).exists():
        pytest.fail("Python 3.11 is needed to check the oldest supported version")
    p = run("--json", stdin=MFA.encode(), python=py311)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["findings"]


def test_alternatives_under_a_code_are_titled_by_what_the_question_decides():
    """A bare code asks where it was seen (situations) or what started it (causes)."""
    assert "Which situation is it?" in run("AADSTS50076").stdout.decode()
    assert "Which cause is it?" in run("AADSTS50078").stdout.decode()
