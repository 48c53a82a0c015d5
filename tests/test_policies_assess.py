"""What each policy does to flows: hand-written labelled policies (tests/fixtures/policies,
expected.json) and the anchors of issue 8 on the real public files in ../shared/examples/policies."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.policies import check_bytes
from checker.rollout import evaluate_setup
from shared_dir import SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "policies"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
EXAMPLES = SHARED / "examples" / "policies"


def policies_of(path: Path) -> list[dict]:
    report = check_bytes([(path.name, path.read_bytes())])
    assert not any(f["error"] for f in report["files"]), report["files"]
    return report["policies"]


def ids(policy: dict) -> list[str]:
    return [f["id"] for f in policy["findings"]]


@pytest.mark.parametrize("name", [k for k in EXPECTED if not k.startswith("_")])
def test_labelled_policy_gets_its_effect_and_findings(name):
    got = policies_of(FIXTURES / name)
    want = EXPECTED[name]
    assert len(got) == len(want)
    for policy, label in zip(got, want):
        assert policy["effect"] == label["effect"], (policy["name"], policy["summary"])
        assert set(label["has"]) <= set(ids(policy)), ids(policy)
        assert not set(label.get("not", ())) & set(ids(policy)), ids(policy)
        if label["effect"] == "none":
            assert policy["findings"] == [] and policy["spare"] == []
        else:
            assert policy["spare"], "a policy that breaks flows says what would spare them"
            for f in policy["findings"]:
                assert f["why"] and f["settings"], f["id"]
        whys = " ".join(line for f in policy["findings"] for line in f["why"])
        if "why" in label:
            assert label["why"] in whys
        if "summary" in label:
            assert label["summary"] in policy["summary"]
        if "spare" in label:
            assert any(label["spare"] in s for s in policy["spare"])
        for person in label.get("who", ()):
            assert person in policy["who"]["include"]
        for person in label.get("excluded", ()):
            assert person in policy["who"]["exclude"]


def test_findings_come_from_the_setup_model():
    """policy -> setup -> findings: the same setup through evaluate_setup gives the same ids."""
    for name in EXPECTED:
        if name.startswith("_"):
            continue
        for policy in policies_of(FIXTURES / name):
            if policy["setup"] is not None:
                assert ids(policy) == [f["id"] for f in evaluate_setup(policy["setup"])["findings"]]


# The anchors of issue 8, on the real public files: (file, effect, findings that must be there).
ANCHORS = [
    ("jhope188-capolicies__ACME_-_WORKLOAD_-_BLOCK_-_EntraConnectIDSync_-_ExcludeEntraConnectIP.json", "none", []),
    ("goodworkaround-starterpack__All apps - Block legacy authentication.json", "none", []),
    ("sjkanon-capolicies__GLOBAL__1010__BLOCK__Legacy_Authentication.json", "none", []),
    ("jhope188-capolicies__ACME-_ZTCA_-_GLOBAL___BLOCK___Admin_Portal (1).json", "none", []),
    ("goodworkaround-starterpack__Azure management - Require MFA for all users.json", "none", []),
    ("jhope188-capolicies__ACME_-_P2_-_APP_-_SESSION_-_PIM_-_Reauthentication (1).json", "none", []),
    ("alexfilipin-ca__500 - RING - Data protection - All apps No persistent browser session When on untrusted device.json", "none", []),
    ("jhope188-capolicies__ACME_-_APP_-_SESSION_-_O365_-_Timeoutsettings (1).json", "none", []),
    ("sjkanon-capolicies__GLOBAL__3060__SESSION__Defender_for_Cloud_Apps.json", "none", []),
    ("jhope188-capolicies__IAC_-_GLOBAL_-_SESSION_-_Windows_-_TokenProtection.json", "none", []),
    ("alexfilipin-ca__402 - RING - Application protection - Specific apps Block access When on untrusted location.json", "none", []),
    ("jhope188-capolicies__ACME_-_GLOBAL_-_BLOCK_-_Device_Code_Auth_Flow (1).json", "none", []),
    ("clutch2view-nis2__CA014-require-terms-of-use.json", "would-break", ["terms-of-use"]),
    ("clutch2view-nis2__CA016-sign-in-frequency.json", "would-break", ["sign-in-frequency"]),
    ("jhope188-capolicies__ACME_-_GLOBAL___SESSION___Admin_Persistence__1_Hours_ (1).json", "breaks", ["sign-in-frequency"]),
    ("jhope188-capolicies__ACME_-_P2_-_GLOBAL___GRANT___High-Risk_Users (1).json", "breaks",
     ["sign-in-frequency", "failed-runs", "token-revoked"]),
    ("jhope188-capolicies__ACME_-_GLOBAL_-_GRANT_-_MFA_-_AllUsers (1).json", "breaks", ["failed-runs", "create-connection"]),
    ("jhope188-capolicies__ACME_-_INTUNE_-_GRANT_-_RequireCompliantDevice (1).json", "would-break", ["failed-runs", "sharepoint-oob-flows"]),
    ("jhope188-capolicies__ACME_-_APP_-_BLOCK_-_SharePoint-OneDrive-NonTrustedLocations (1).json", "would-break", ["failed-runs", "sharepoint-oob-flows"]),
    ("sjkanon-capolicies__GLOBAL__2050__GRANT__MFA_for_All_Users.json", "breaks", ["failed-runs"]),
    ("jhope188-capolicies__IAC - O365 - BLOCK - NonWorkingHours.json", "would-break", ["failed-runs"]),
    ("graph-docs__conditionalaccessroot-list-templates.md.example1-response.extracted.json", "would-break", ["failed-runs"]),
]


@pytest.mark.parametrize("name,effect,has", ANCHORS, ids=[a[0][:50] for a in ANCHORS])
def test_real_policy_anchor(name, effect, has):
    (policy,) = policies_of(EXAMPLES / name)
    assert policy["effect"] == effect, policy["summary"]
    assert set(has) <= set(ids(policy))


def test_conditions_are_said_as_conditions():
    (policy,) = policies_of(EXAMPLES / "jhope188-capolicies__ACME_-_P2_-_GLOBAL___GRANT___High-Risk_Users (1).json")
    assert "when the user risk is high" in policy["conditions"]
    assert all("This applies only when the user risk is high." in f["why"] for f in policy["findings"])
    (policy,) = policies_of(EXAMPLES / "jhope188-capolicies__ACME_-_APP_-_BLOCK_-_SharePoint-OneDrive-NonTrustedLocations (1).json")
    assert any(c.startswith("for sign-ins from outside") for c in policy["conditions"])


def test_the_matrix_and_the_accounts_excluded_everywhere():
    files = [FIXTURES / "graph-sif-24h-all-users.json", FIXTURES / "phishing-resistant-admins.json",
             FIXTURES / "session-only-harmless.json"]
    report = check_bytes([(f.name, f.read_bytes()) for f in files])
    rows = {r["name"]: r for r in report["matrix"]["rows"]}
    assert rows["Adatum - Admins - Phishing-resistant MFA"]["findings"] == ids(report["policies"][1])
    assert {f["id"] for f in report["matrix"]["findings"]} == {i for p in report["policies"] for i in ids(p)}
    assert report["counts"] == {"breaks": 2, "would-break": 0, "none": 1}
    # nobody is excluded from the admin policy, so nobody is spared by every breaking policy
    assert report["excluded_everywhere"] == []
    two = [FIXTURES / "graph-sif-24h-all-users.json"] * 2
    again = check_bytes([(f.name, f.read_bytes()) for f in two])
    assert again["excluded_everywhere"] == ["group 5d3c9a70-8e21-4c0b-b0a4-7f3e2d1c6b59", "role Global Administrator"]


def test_the_effect_follows_the_state():
    raw = json.loads((FIXTURES / "graph-sif-24h-all-users.json").read_text("utf-8"))
    for state, effect in (("enabled", "breaks"), ("disabled", "would-break"),
                          ("enabledForReportingButNotEnforced", "would-break"), ("ENABLED", "breaks")):
        raw["state"] = state
        (policy,) = check_bytes([("p.json", json.dumps(raw).encode())])["policies"]
        assert policy["effect"] == effect, state
        assert all(f["when"] == ("now" if effect == "breaks" else "if-enabled") for f in policy["findings"])


def test_a_country_block_whose_locations_were_stripped_is_named():
    (policy,) = policies_of(EXAMPLES / "jhope188-capolicies__ACME_-_GLOBAL___BLOCK___Countries_not_Allowed (1).json")
    assert policy["effect"] == "breaks" and any("blocks from every location" in n for n in policy["notices"])


def test_token_protection_with_browser_selected_is_flagged_but_not_judged():
    (policy,) = policies_of(EXAMPLES / "clutch2view-nis2__CA018-require-token-protection.json")
    assert policy["effect"] == "none" and any("Browser selected" in s for s in policy["other_settings"])


def test_the_connectors_a_policy_reaches_are_named():
    (policy,) = policies_of(FIXTURES / "mfa-sharepoint-only.json")
    assert policy["reaches"] == ["SharePoint Online: the SharePoint and OneDrive for Business connectors"]
    (everything,) = policies_of(FIXTURES / "graph-sif-24h-all-users.json")
    text = " ".join(everything["reaches"])
    assert all(word in text for word in ("Power Automate service", "Outlook", "Graph", "Dataverse connector"))
    (spared,) = policies_of(FIXTURES / "mfa-all-except-flow-service.json")
    assert "Power Automate service" not in " ".join(spared["reaches"]) and "Outlook" in " ".join(spared["reaches"])


def _spare_keys(policy: dict) -> list[str]:
    """Which sentence of plans.toml [spare] each of a policy's "To spare flows" lines is."""
    from checker.policies.assess import spare_sentences

    keys = []
    for line in policy["spare"]:
        for key, text in spare_sentences().items():
            head, _, tail = text.partition("{accounts}")
            if line == text or ("{accounts}" in text and line.startswith(head) and line.endswith(tail)):
                keys.append(key)
                break
        else:
            raise AssertionError(f"not a sentence of plans.toml [spare]: {line!r}")
    return keys


def test_the_changes_that_spare_flows_are_the_data_files_sentences():
    """Every "To spare flows" line is a sentence of plans.toml [spare] (the code only chooses),
    and every sentence there is chosen by some policy."""
    from checker.policies.assess import SPARE

    graph_mfa = {"displayName": "MFA for Microsoft Graph only", "state": "enabled",
                 "conditions": {"clientAppTypes": ["all"], "users": {"includeUsers": ["All"]},
                                "applications": {"includeApplications": ["00000003-0000-0000-c000-000000000000"]}},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}
    files = [(p.name, p.read_bytes()) for d in (FIXTURES, EXAMPLES) for p in sorted(d.glob("*.json"))
             if p.name != "expected.json"]
    files.append(("graph-mfa.json", json.dumps(graph_mfa).encode()))
    used = set()
    for name, data in files:
        for policy in check_bytes([(name, data)])["policies"]:
            keys = _spare_keys(policy)
            assert len(keys) == len(set(keys)) and (not keys or keys[0] in ("excluded", "nobody-excluded")), keys
            used.update(keys)
    assert used == set(SPARE)


def test_a_wrong_spare_table_is_a_clear_error(monkeypatch):
    from checker import knowledge
    from checker.knowledge import KnowledgeError, wording

    wanted = {"excluded": ("accounts",), "block": ()}

    def table(spare):
        monkeypatch.setattr(knowledge, "_read", lambda name: {"spare": spare})

    table({"excluded": "Accounts {accounts} are spared.", "block": "Narrow it."})
    assert wording("plans.toml", "spare", wanted)["block"] == "Narrow it."
    for spare, message in [
        ({"excluded": "Accounts {accounts}."}, r"plans.toml \[spare\]: missing block"),
        ({"excluded": "{accounts}", "block": "x", "blok": "y"}, r"unknown blok \(the code uses: excluded, block\)"),
        ({"excluded": "Accounts {acounts}.", "block": "x"}, r"'excluded' has \{acounts\}; it takes \{accounts\}"),
        ({"excluded": "Accounts {accounts}.", "block": "Narrow {it"}, r"'block': .*brace"),
        ({"excluded": "Accounts {accounts}.", "block": ""}, r"'block' must be a non-empty text"),
    ]:
        table(spare)
        with pytest.raises(KnowledgeError, match=message):
            wording("plans.toml", "spare", wanted)
    monkeypatch.setattr(knowledge, "_read", lambda name: {})
    with pytest.raises(KnowledgeError, match=r"the table \[spare\] is missing"):
        wording("plans.toml", "spare", wanted)
