"""Sign-in logs (`python -m checker signins`): every shape read to the same known answers, read
the same whatever the chunk boundaries, bad input refused with exit 2, the real samples read.

The fixtures (tests/fixtures/signins/, written by generate.py) hold one scenario of 12 sign-ins;
the answers below were worked out by hand from its table, not from the checker's output:
flow failures = rows 1, 2, 3, 4, 5, 12 (53003, 50076, 70044, 700082, 53000, 53003);
row 6 succeeded under a report-only policy that failed (would fail); row 7 a flow success;
row 8 a CA failure of Outlook (not a flow); row 9 a flow sign-in with a wrong password (not CA);
row 10 a flow sign-in with 50058 (not in the knowledge base); row 11 Teams.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.signins import Session, SigninsError, analyse_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "signins"
from shared_dir import SHARED  # noqa: E402  (tools/, on the path from conftest)

SAMPLES = SHARED / "examples" / "signins"

WHOLE = {  # every shape that holds all 12 rows
    "InteractiveSignIns_2026-11-02_2026-11-04.csv": "admin-center-csv",
    "InteractiveSignIns_2024-10-23_older-54-columns.csv": "admin-center-csv",
    "InteractiveSignIns_2026-11-02_2026-11-04.json": "admin-center-json",
    "graph-v1.0-two-pages.json": "graph-v1.0",
    "graph-beta-signins.json": "graph-beta",
    "diagnostic-settings-signins.log": "diagnostic-settings",
}
LOG_ANALYTICS = {  # the two tables, one file each, in CSV and JSON
    "csv": ("SigninLogs_export.csv", "AADNonInteractiveUserSignInLogs_export.csv"),
    "json": ("SigninLogs_export.json", "AADNonInteractiveUserSignInLogs_export.json"),
}
BY_CODE = {"50076": 1, "53000": 1, "53003": 2, "70044": 1, "700082": 1}
POLICIES = ["Block access outside corporate network", "Require MFA for all users", "Require compliant device"]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "checker", "signins", *map(str, args)],
                          capture_output=True, cwd=ROOT, timeout=120)


def check_whole_scenario(out: dict, policies_known: bool) -> None:
    assert out["signins"] == 12
    assert out["flow_signins"] == 10
    assert out["flow_failures"] == 6
    assert out["users"] == 3  # alice, bob, carol
    assert out["by_code"] == BY_CODE
    assert out["would_fail"] == (1 if policies_known else 0)
    groups = {g["finding"]: g for g in out["groups"]}
    assert [g["finding"] for g in out["groups"]] == ["failed-runs", "sign-in-frequency", "token-inactivity"]
    assert sum(g["count"] for g in out["groups"]) == out["flow_failures"]  # each failure in one group
    runs = groups["failed-runs"]
    assert (runs["count"], runs["users"], runs["codes"]) == (4, 3, [50076, 53000, 53003])
    assert runs["apps"] == ["Azure API Connections", "Microsoft Flow Portal"]
    assert runs["resources"] == ["Microsoft Flow Service", "Microsoft Graph", "Office 365 SharePoint Online"]
    assert (runs["first"], runs["last"]) == ("2026-11-02T08:00:12Z", "2026-11-04T23:59:59Z")
    assert runs["policies"] == (POLICIES if policies_known else [])
    assert groups["sign-in-frequency"] == {
        "finding": "sign-in-frequency", "count": 1, "users": 1, "codes": [70044], "policies": [],
        "apps": ["Azure API Connections"], "resources": ["Microsoft Flow Service"],
        "first": "2026-11-03T10:00:05Z", "last": "2026-11-03T10:00:05Z"}
    assert groups["token-inactivity"]["codes"] == [700082]
    assert out["per_day"] == [
        {"day": "2026-11-02", "findings": {"failed-runs": 2}},
        {"day": "2026-11-03", "findings": {"sign-in-frequency": 1, "token-inactivity": 1}},
        {"day": "2026-11-04", "findings": {"failed-runs": 2}},
    ]
    assert out["busiest_users"] == [{"user": "alice@contoso.example", "count": 2},
                                    {"user": "bob@contoso.example", "count": 2},
                                    {"user": "carol@contoso.example", "count": 2}]
    # rows 9 and 10: flow sign-ins that failed for other reasons, said but not counted
    assert any("2 flow sign-ins failed with codes that are not conditional access" in n and "50058 (1)" in n
               and "50126 (1)" in n for n in out["notices"])
    if policies_known:
        assert out["would_fail_policies"] == [{"policy": "Pilot - compliant device for Power Platform", "count": 1}]


@pytest.mark.parametrize("name", sorted(WHOLE))
def test_every_shape_gives_the_known_answer(name):
    out = analyse_files([FIXTURES / name])
    assert out["files"] == [{"name": name, "format": WHOLE[name], "rows": 12}]
    check_whole_scenario(out, policies_known=not name.endswith(".csv"))


@pytest.mark.parametrize("kind", sorted(LOG_ANALYTICS))
def test_log_analytics_tables_together_give_the_whole_answer(kind):
    paths = [FIXTURES / n for n in LOG_ANALYTICS[kind]]
    out = analyse_files(paths)
    assert [f["rows"] for f in out["files"]] == [6, 6]
    assert {f["format"] for f in out["files"]} == {f"log-analytics-{kind}"}
    check_whole_scenario(out, policies_known=True)
    interactive = analyse_files(paths[:1])
    assert (interactive["flow_failures"], interactive["would_fail"], interactive["by_code"]) == (1, 1, {"50076": 1})


@pytest.mark.parametrize("name", sorted(WHOLE) + [n for pair in LOG_ANALYTICS.values() for n in pair])
@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_chunk_boundaries_do_not_matter(name, chunk):
    assert analyse_files([FIXTURES / name], chunk=chunk) == analyse_files([FIXTURES / name])


def test_command_line_json_and_exit_status():
    p = cli(FIXTURES / "graph-beta-signins.json", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert list(out)[:8] == ["files", "signins", "flow_failures", "would_fail", "users", "by_code", "groups", "kql"]
    for g in out["groups"]:
        assert list(g) == ["finding", "count", "users", "codes", "policies", "apps", "resources", "first", "last"]
    check_whole_scenario(out, policies_known=True)


def test_text_report_names_the_problem_the_fix_and_the_query():
    p = cli(FIXTURES / "InteractiveSignIns_2026-11-02_2026-11-04.csv")
    assert p.returncode == 0
    text = p.stdout.decode()
    assert "12 sign-ins read, 10 of them flow sign-ins: 6 flow failures (3 users)" in text
    assert "AADSTS53003" in text and "problems/failed-runs/" in text and "fix:" in text
    assert "no conditional access policy detail" in text  # the CSV has none: said, not hidden
    assert "AADNonInteractiveUserSignInLogs" in text


def test_nothing_found_exits_1():
    p = cli(SAMPLES / "la-export_sentinel-training-lab_disable_accounts.csv", "--json")
    assert p.returncode == 1
    out = json.loads(p.stdout)
    assert (out["signins"], out["flow_failures"], out["groups"]) == (4, 0, [])


def test_would_fail_alone_exits_0(tmp_path):
    rows = json.loads((FIXTURES / "InteractiveSignIns_2026-11-02_2026-11-04.json").read_text())
    only = tmp_path / "pilot.json"
    only.write_text(json.dumps([r for r in rows if r["userPrincipalName"].startswith("dave")]))
    p = cli(only, "--json")
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert (out["flow_failures"], out["would_fail"], out["groups"]) == (0, 1, [])


# -- the real samples: read (none holds a flow sign-in) --------------------------------------
@pytest.mark.parametrize("name, fmt, rows", [
    ("diag-eventhub_elastic_test-signinlogs-raw.log", "diagnostic-settings", 5),
    ("graph-v1_docs-example_signin-list-example2.response.json", "graph-v1.0", 1),
    ("la-export_sentinel-training-lab_disable_accounts.csv", "log-analytics-csv", 4),
    ("la-export_sentinel-training-lab_sign-in_adelete.first9.csv", "log-analytics-csv", 9),
])
def test_real_samples_are_read(name, fmt, rows):
    out = analyse_files([SAMPLES / name])
    assert out["files"] == [{"name": name, "format": fmt, "rows": rows}]
    assert (out["flow_signins"], out["flow_failures"], out["would_fail"]) == (0, 0, 0)


def test_docs_example_trailing_comma_is_tolerated_and_said():
    out = analyse_files([SAMPLES / "graph-v1_docs-example_signin-list-example2.response.json"])
    assert any("trailing comma" in n for n in out["notices"])


# -- bad input: exit 2, one clear line, nothing half-read ---------------------------------------
BAD = {
    "empty.csv": (b"", "empty"),
    "blank.json": (b"  \n\n ", "empty"),
    "notes.txt": (b"Some notes about our tenant\nnothing here\n", "not a sign-in log"),
    "other.csv": (b"Name,Email,Department\nAlice,a@x,IT\n", "not a sign-in log"),
    "legacy.csv": (b"CreatedDateTime,UserPrincipalName,AppDisplayName,Status\n3/12/2025 7:22:01 AM,a@x,App,Failure\n",
                   "not a sign-in log"),
    "object.json": (b'{"name": "not a sign-in", "size": 3}', "not a sign-in"),
    "numbers.json": (b"[1, 2, 3]", "not a sign-in"),
    "cut.json": (b'[{"appId": "7df0a125-d3be-4c96-aa54-591f83ff541c", "status": {"errorCode": 53003}}, {"appId": "7d',
                 "cut short"),
    "broken.json": (b'[{"appId": "x"} {"appId": "y"}]', "expected"),
    "garbage.bin": (bytes(range(256)) * 10, "binary file"),
    "download.zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "unzip it"),
    "download.csv.gz": (b"\x1f\x8b\x08\x00" + bytes(100), "compressed"),
    "unbalanced.csv": (b'"Date (UTC)","Request ID","Sign-in error code"\n"2026-11-02T08:00:12Z,"abc","0"\n',
                       "quoted cell"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_clearly(tmp_path, name):
    data, why = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SigninsError, match=why):
        analyse_files([path])
    p = cli(FIXTURES / "graph-beta-signins.json", path, "--json")  # one bad file spoils the run
    assert p.returncode == 2 and p.stdout == b""
    err = p.stderr.decode()
    assert err.startswith(f"checker signins: {name}:") and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_and_no_file(tmp_path):
    p = cli(tmp_path / "nope.csv")
    assert p.returncode == 2 and "cannot read" in p.stderr.decode()
    assert cli().returncode == 2


def test_utf16_and_bom_files_are_read(tmp_path):
    text = (FIXTURES / "InteractiveSignIns_2026-11-02_2026-11-04.csv").read_text(encoding="utf-8")
    for enc in ("utf-16", "utf-8-sig"):
        path = tmp_path / f"InteractiveSignIns_{enc}.csv"
        path.write_bytes(text.encode(enc))
        assert analyse_files([path])["flow_failures"] == 6


def test_session_reports_progress_by_records():
    session = Session()
    session.begin("graph-beta-signins.json")
    data = (FIXTURES / "graph-beta-signins.json").read_bytes()
    seen = [session.feed(data[i:i + 2000]) for i in range(0, len(data), 2000)]
    assert seen == sorted(seen) and 0 < seen[-1] <= 12
    assert session.end()["rows"] == 12


# -- more wrappers of the same records -------------------------------------------------------
def _records(name="InteractiveSignIns_2026-11-02_2026-11-04.json"):
    return json.loads((FIXTURES / name).read_text())


def test_event_hub_records_wrapper_and_pages_in_an_array(tmp_path):
    lines = (FIXTURES / "diagnostic-settings-signins.log").read_text().splitlines()
    hub = tmp_path / "eventhub.json"
    hub.write_text(json.dumps({"records": [json.loads(line) for line in lines]}))
    out = analyse_files([hub])
    assert out["files"][0]["format"] == "diagnostic-settings"
    check_whole_scenario(out, policies_known=True)
    recs = _records()
    context = "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns"
    pages = tmp_path / "pages.json"
    pages.write_text(json.dumps([{"@odata.context": context, "value": recs[:5]},
                                 {"@odata.context": context, "value": recs[5:]}]))
    out = analyse_files([pages])
    assert out["files"][0] == {"name": "pages.json", "format": "graph-beta", "rows": 12}
    check_whole_scenario(out, policies_known=True)


def test_powershell_json_with_pascal_case_names(tmp_path):
    def pascal(r):
        return {"CreatedDateTime": r["createdDateTime"], "UserPrincipalName": r["userPrincipalName"],
                "AppId": r["appId"], "AppDisplayName": r["appDisplayName"], "ResourceId": r["resourceId"],
                "ResourceDisplayName": r["resourceDisplayName"], "Status": {"ErrorCode": r["status"]["errorCode"]},
                "AppliedConditionalAccessPolicies": [{"DisplayName": p["displayName"], "Result": p["result"]}
                                                     for p in r["appliedConditionalAccessPolicies"]]}
    path = tmp_path / "Get-MgBetaAuditLogSignIn.json"
    path.write_text(json.dumps([pascal(r) for r in _records()], indent=2))
    check_whole_scenario(analyse_files([path]), policies_known=True)


def test_a_record_without_ids_is_told_by_its_app_name(tmp_path):
    recs = _records()
    for r in recs:
        r.pop("appId"), r.pop("resourceId")
    path = tmp_path / "names-only.json"
    path.write_text(json.dumps(recs))
    out = analyse_files([path])
    assert (out["flow_signins"], out["flow_failures"]) == (10, 6)


def test_policy_detail_missing_is_said_not_taken_for_no_policy(tmp_path):
    recs = _records()
    for r in recs:
        r.pop("appliedConditionalAccessPolicies")
    path = tmp_path / "no-ca-role.json"
    path.write_text(json.dumps(recs))
    out = analyse_files([path])
    assert out["would_fail"] == 0 and out["flow_failures"] == 6
    assert any("no conditional access policy detail" in n for n in out["notices"])


def test_log_analytics_query_api_response(tmp_path):
    recs = [r for name in LOG_ANALYTICS["json"] for r in json.loads((FIXTURES / name).read_text())]
    columns = sorted({k for r in recs for k in r})
    body = {"tables": [{"name": "PrimaryResult", "columns": [{"name": c, "type": "string"} for c in columns],
                        "rows": [[r.get(c) for c in columns] for r in recs]}]}
    path = tmp_path / "query-api.json"
    path.write_text(json.dumps(body))
    out = analyse_files([path])
    assert out["files"] == [{"name": "query-api.json", "format": "log-analytics-api", "rows": 12}]
    check_whole_scenario(out, policies_known=True)


# -- robustness: any cut or corruption is read or refused, never a crash or a hang ---------------
@pytest.mark.parametrize("name", ["graph-v1.0-two-pages.json", "SigninLogs_export.csv",
                                  "InteractiveSignIns_2026-11-02_2026-11-04.csv", "diagnostic-settings-signins.log"])
def test_cut_files_are_read_or_refused(tmp_path, name):
    data = (FIXTURES / name).read_bytes()
    path = tmp_path / name
    for cut in range(1, len(data), max(1, len(data) // 60)):
        path.write_bytes(data[:cut])
        try:
            out = analyse_files([path], chunk=997)
        except SigninsError:
            continue
        assert out["signins"] <= 12 and sum(g["count"] for g in out["groups"]) == out["flow_failures"]


def test_deep_nesting_and_huge_lines_are_refused(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(SigninsError, match="nested too deeply|not a sign-in"):
        analyse_files([deep])
    line = tmp_path / "line.csv"
    line.write_text("x" * 3_000_000)
    with pytest.raises(SigninsError, match="no line break"):
        analyse_files([line])


def test_a_csv_cut_inside_its_last_row_is_refused(tmp_path):
    text = (FIXTURES / "InteractiveSignIns_2026-11-02_2026-11-04.csv").read_text()
    path = tmp_path / "InteractiveSignIns_cut.csv"
    last_row = text.rstrip().rindex("\n") + 1
    cut = last_row
    for _ in range(5):  # just after the fifth cell of the last row
        cut = text.index('","', cut) + 2
    path.write_text(text[:cut])
    with pytest.raises(SigninsError, match="cut short"):
        analyse_files([path])


def test_which_codes_count_is_read_from_the_knowledge_base():
    # A code counts when its condition leads to findings; conditions added or changed in
    # codes.toml (e.g. mfa-expired) count without any change here.
    from checker import knowledge
    from checker.signins.analysis import failure_findings

    kb = knowledge.load()
    counted = failure_findings()
    for code, c in kb.codes.items():
        findings = kb.conditions[c.condition].findings
        assert counted.get(code) == (findings[0] if findings else None), code
    assert 53003 in counted and 50126 not in counted  # blocked by CA: yes; wrong password: no
