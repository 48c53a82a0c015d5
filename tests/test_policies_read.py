"""Reading exported policies: every real file in ../shared/examples/policies is read or clearly
refused, every shape and encoding, and bad input never ends in a traceback (command line and
the Python function the browser calls)."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.policies import check, check_bytes
from checker.policies.report import exit_status
from shared_dir import SHARED

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "policies"
EXAMPLES = SHARED / "examples" / "policies"
EXAMPLE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.name != "SOURCES.md")

# The files that must be refused, and a word the refusal must say.
REFUSED = {
    "jhope188-capolicies__ACME-_ZTCA_-_GLOBAL_-_BLOCK_-_AllApps_-Exclude_CA-Global (1).json": "line 50, column 11",
    "m365dsc__1-Create.ps1": "Microsoft365DSC",
    "ms-zt-caresources__M365TenantConfig.ps1": "Microsoft365DSC",
    "ms-zt-caresources__azuread_conditional_access_policy.tf": "Terraform",
    "olanak-calibrary__02-require-mfa-all.tf": "Terraform",
    "scubagear__Conditions.json": "only part of a policy",
    "scubagear__SessionControls.json": "only part of a policy",
}


def report_for(path: Path) -> dict:
    return check_bytes([(path.name, path.read_bytes())])


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name[:60] for p in EXAMPLE_FILES])
def test_every_real_file_is_read_or_clearly_refused(path):
    report = report_for(path)
    (entry,) = report["files"]
    if path.name in REFUSED:
        assert entry["error"] and REFUSED[path.name] in entry["error"]
        assert "Export" in entry["error"]  # says what to export instead
        assert exit_status(report) == 2
    else:
        assert entry["error"] is None and entry["policies"] >= 1
        for p in report["policies"]:
            assert p["name"] and p["state"] in ("enabled", "disabled", "report-only", "template")
            assert p["effect"] in ("breaks", "would-break", "none")
        assert exit_status(report) in (0, 1)


def test_the_shapes_in_the_examples():
    def names(file):
        return [p["name"] for p in report_for(EXAMPLES / file)["policies"]]
    # a bare array of PascalCase SDK objects with /Date()/ dates
    assert len(names("scubagear__ProviderSettingsExport.json.conditional_access_policies.extracted.json")) == 7
    scuba = report_for(EXAMPLES / "scubagear__ProviderSettingsExport.json.conditional_access_policies.extracted.json")
    assert scuba["policies"][0]["modified"] == "2026-01-30T15:57:07Z"  # from /Date(1769788627239)/
    # a CIPP row holding the policy as a JSON string
    assert names("sjkanon-capolicies__GLOBAL__2050__GRANT__MFA_for_All_Users.json") == ["GLOBAL - 2050 - GRANT - MFA for All Users"]
    # the PolicyConfig wrapper
    assert names("jhope188-capolicies__IAC - O365 - BLOCK - NonWorkingHours.json") == ["IAC - O365 - BLOCK - NonWorkingHours"]
    # a Graph list of templates; UTF-16 LE with BOM and display names for apps
    assert names("graph-docs__conditionalaccessroot-list-templates.md.example1-response.extracted.json")
    (fortigi,) = report_for(EXAMPLES / "fortigi-ca__Temp-CA-01- All Apps - All Admins - Require MFA.json")["policies"]
    assert "Office365" in [a["id"] for a in fortigi["applications"]["include"]]  # "Office 365" by name
    assert any("names or placeholders" in n for n in fortigi["notices"])


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                          ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")])
def test_encodings_read_the_same(tmp_path, encoding, bom):
    text = (FIXTURES / "graph-sif-24h-all-users.json").read_text("utf-8")
    plain = check_bytes([("p.json", text.encode("utf-8"))])
    path = tmp_path / f"p-{encoding}.json"
    path.write_bytes(bom + text.encode(encoding))
    assert report_for(path)["policies"] == [dict(p, file=path.name) for p in plain["policies"]]


def test_pages_pasted_together_are_all_read_and_a_missing_page_is_named():
    report = report_for(FIXTURES / "graph-list-two-pages.json")
    assert len(report["policies"]) == 2 and not any("nextLink" in n for n in report["notices"])
    first_page = (FIXTURES / "graph-list-two-pages.json").read_text("utf-8").split("\n{")[0]
    alone = check([{"name": "page1.json", "text": first_page}])
    assert len(alone["policies"]) == 1 and any("@odata.nextLink" in n for n in alone["notices"])


def test_depth_truncated_powershell_export_says_how_to_export_again():
    report = report_for(FIXTURES / "pwsh-depth-truncated.json")
    assert "-Depth" in report["files"][0]["error"] and exit_status(report) == 2


def test_a_policy_cut_short_among_whole_ones_is_skipped_and_named():
    good = json.loads((FIXTURES / "graph-sif-24h-all-users.json").read_text("utf-8"))
    cut = json.loads(json.dumps(good))
    cut["displayName"] = "cut"
    cut["conditions"]["users"] = "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers"
    report = check([{"name": "two.json", "text": json.dumps([cut, good])}])
    assert [p["name"] for p in report["policies"]] == [good["displayName"]]
    assert any("-Depth 10" in n for n in report["notices"]) and exit_status(report) == 0


def test_unknown_values_are_notices_not_failures():
    raw = json.loads((FIXTURES / "graph-sif-24h-all-users.json").read_text("utf-8"))
    raw["conditions"]["clientAppTypes"] = ["all", "unknownFutureValue"]
    raw["grantControls"] = {"operator": "OR", "builtInControls": ["mfa", "compliantNetwork"]}
    raw["conditions"]["somethingNew"] = {"x": 1}
    (policy,) = check([{"name": "p", "text": json.dumps(raw)}])["policies"]
    assert any("unknownFutureValue" in n for n in policy["notices"])
    assert any("compliantnetwork" in s for s in policy["other_settings"])
    assert policy["effect"] == "breaks"


BAD = {
    "empty": b"",
    "spaces": b"  \n\t ",
    "binary": bytes(range(256)) * 4,
    "nul": b"\x00" * 100,
    "number": b"42",
    "string": b'"hello"',
    "null": b"null",
    "not a policy": b'{"displayName": "x", "members": []}',
    "deep": b"[" * 100000 + b"]" * 100000,
    "deep object": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "truncated json": b'{"displayName": "x", "conditions": {',
    "setup file": json.dumps({"requirements": ["mfa"], "targets": ["sharepoint"]}).encode(),
    "odd members": json.dumps({"displayName": 5, "state": [], "conditions": {"users": "x", "applications": [1, None],
                               "clientAppTypes": {"a": 1}}, "grantControls": "mfa", "sessionControls": 7}).encode(),
    "utf16 odd": b"\xff\xfe\x00\xd8",
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_gets_an_answer_in_python(name):
    report = check_bytes([(name, BAD[name])])
    assert exit_status(report) in (1, 2)
    assert report["notices"] or report["policies"]
    json.dumps(report)  # always JSON-ready
    same = check([{"name": name, "base64": base64.b64encode(BAD[name]).decode()}])
    assert same == report


@pytest.mark.parametrize("arg", [None, 5, "text", [None], [{"name": 3}], [{"text": 5}], [{"base64": "%%%"}], []])
def test_the_browser_function_never_raises(arg):
    report = check(arg)
    assert exit_status(report) == 2 or report["policies"] == []
    json.dumps(report)


def run_cli(*args, stdin: bytes = b""):
    return subprocess.run([sys.executable, "-m", "checker", "policies", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("name", ["empty", "binary", "deep", "not a policy", "odd members"])
def test_bad_input_on_the_command_line(tmp_path, name):
    path = tmp_path / "bad.json"
    path.write_bytes(BAD[name])
    for args in ((str(path),), (str(path), "--json")):
        run = run_cli(*args)
        assert b"Traceback" not in run.stderr and run.returncode in (1, 2), run.stderr
    if name != "odd members":
        assert run.returncode == 2 and b"bad.json" in run.stderr


def test_command_line_exit_status_and_json(tmp_path):
    breaking = FIXTURES / "graph-sif-24h-all-users.json"
    harmless = FIXTURES / "session-only-harmless.json"
    run = run_cli(str(breaking), str(harmless), "--json")
    assert run.returncode == 0
    report = json.loads(run.stdout)
    assert [p["effect"] for p in report["policies"]] == ["breaks", "none"]
    assert {"policies", "matrix", "excluded_everywhere", "notices"} <= set(report)
    assert {"name", "state", "effect", "findings"} <= set(report["policies"][0])
    assert {"id", "title", "why"} <= set(report["policies"][0]["findings"][0])
    assert run_cli(str(harmless)).returncode == 1
    assert run_cli(str(harmless), str(tmp_path / "missing.json")).returncode == 2
    assert run_cli("-", stdin=breaking.read_bytes()).returncode == 0
    text = run_cli(str(breaking)).stdout.decode()
    assert "Contoso - Session - 24h sign-in frequency" in text and "sign-in-frequency" in text
    assert run_cli().returncode == 2 and run_cli("--nope", str(breaking)).returncode == 2
