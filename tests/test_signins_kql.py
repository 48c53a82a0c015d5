"""The KQL the sign-in checker gives for Log Analytics: validated by Microsoft's Kusto language
service (npm @kusto/language-service-next, pinned dev dependency) against the two sign-in tables'
schemas, offline, and built from the same knowledge as the checker."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker import knowledge
from checker.signins.analysis import failure_findings
from checker.signins.kql import query

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "tests" / "kql" / "check.mjs"


def diagnostics(*queries: str) -> list[list[dict]]:
    """Every query through the language service, in one Node process (start-up is ~2 s)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the KQL check needs Node.js (see README)")
    if not (ROOT / "node_modules" / "@kusto" / "language-service-next").is_dir():
        pytest.fail("@kusto/language-service-next is missing: run `make setup` (npm ci)")
    run = subprocess.run([node, str(CHECK)], input="".join(json.dumps(q) + "\n" for q in queries),
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return [json.loads(line) for line in run.stdout.splitlines()]


@pytest.fixture(scope="module")
def checked():
    q = query()
    # Controls: the same query with the non-interactive table's parse_json removed, and with a
    # misspelled column, must fail; otherwise a silent checker would pass anything.
    no_parse = q.replace("parse_json(ConditionalAccessPolicies)", "ConditionalAccessPolicies")
    assert no_parse != q
    misspelt = q.replace("ResourceIdentity", "ResourceIdentty")
    return dict(zip(("query", "no_parse", "misspelt"), diagnostics(q, no_parse, misspelt)))


def test_query_has_no_syntax_or_binding_diagnostic(checked):
    assert checked["query"] == []


def test_the_language_service_catches_what_it_must(checked):
    # Without parse_json the union holds Policies as string in one table and dynamic in the
    # other, so there is no single Policies column to expand.
    assert any(d["severity"] == "Error" and "Policies" in d["text"] for d in checked["no_parse"]), checked["no_parse"]
    assert any(d["severity"] == "Error" and "ResourceIdentty" in d["text"] for d in checked["misspelt"])


def test_result_type_is_compared_as_a_string():
    # The language service accepts `ResultType == 53003` (string vs long) without a word.
    q = query()
    assert not re.search(r"ResultType\s*(?:==|!=|in)\s*\(?\s*\d", q)
    assert "datatable(ResultType: string, Finding: string)" in q and "lookup kind=inner findings on ResultType" in q


def test_query_holds_exactly_the_knowledge_bases_codes_and_flow_apps():
    q = query()
    pairs = re.findall(r'"(\d+)", "([a-z-]+)"', q)
    assert {int(c): f for c, f in pairs} == failure_findings()
    flow = {a.id for a in knowledge.apps().by_id.values() if a.flow}
    apps_block = q.split("let flowApps = dynamic([", 1)[1].split("]);", 1)[0]
    assert set(re.findall(r'"([0-9a-f-]{36})"', apps_block)) == flow
    assert "SigninLogs" in q and "AADNonInteractiveUserSignInLogs" in q


def test_command_line_gives_the_query():
    from checker.signins import analyse_files

    out = analyse_files([ROOT / "tests" / "fixtures" / "signins" / "graph-beta-signins.json"])
    assert out["kql"] == query()


def test_command_line_prints_the_query_alone():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "checker", "signins", "--kql"], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert p.returncode == 0 and p.stdout == query()
