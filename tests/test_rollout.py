"""checker.rollout: "what breaks if we enable this policy?" — each rule, ranking, bad input."""
from __future__ import annotations

import math

import pytest

from checker import evaluate_setup
from contract import assert_contract
from checker.rollout import EXAMPLE, REQUIREMENTS, TARGETS, checklist, schema

# A policy on the services connections call, with Power Automate and the host apps left out.
SERVICES = ["sharepoint", "exchange-online", "microsoft-graph"]


def ids(result):
    return [f["id"] for f in result["findings"]]


def by_id(result):
    return {f["id"]: f for f in result["findings"]}


def why(result, fid):
    return " ".join(by_id(result)[fid]["why"])


# --- the output contract ----------------------------------------------------------------------

def assert_shape(result):
    assert_contract(result, frozenset({"when"}))
    assert result["codes"] == [] and result["question"] is None
    for f in result["findings"]:
        assert f["confidence_label"] == ("high" if f["confidence"] >= 0.7 else
                                         "medium" if f["confidence"] >= 0.45 else "low")
        assert f["when"] in ("now", "on-rollout")
        assert all(e["kind"] == "setting" for e in f["evidence"])


def test_example_is_valid_and_breaks_things():
    result = evaluate_setup(EXAMPLE)
    assert_shape(result)
    assert result["notices"] == []
    assert {"failed-runs", "embedded-host", "sharepoint-sharing", "sharepoint-oob-flows",
            "remember-mfa"} <= set(ids(result))


def test_empty_setup_finds_nothing_and_says_what_was_evaluated():
    result = evaluate_setup({})
    assert_shape(result)
    assert result["findings"] == [] and result["notices"] == []
    assert "no policy requirement" in result["looked_for"]


# --- each rule --------------------------------------------------------------------------------

def test_policy_turned_on_after_connections_fails_runs_now_and_certainly():
    result = evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"],
                             "enabled_after_connections": True})
    assert_shape(result)
    runs = by_id(result)["failed-runs"]
    assert (runs["confidence"], runs["when"], ids(result)[0]) == (1.0, "now", "failed-runs")
    assert "MFA" in why(result, "failed-runs") and "SharePoint" in why(result, "failed-runs")
    assert {"kind": "setting", "text": "enabled_after_connections"} in runs["evidence"]


def test_planned_policy_fails_runs_on_rollout():
    result = evaluate_setup({"requirements": ["location"], "targets": ["exchange-online"]})
    runs = by_id(result)["failed-runs"]
    assert runs["when"] == "on-rollout" and runs["confidence_label"] == "high"
    assert "trusted network location" in why(result, "failed-runs")


def test_policy_on_before_connections_is_less_certain():
    before = by_id(evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"],
                                   "enabled_after_connections": False}))["failed-runs"]
    after = by_id(evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"],
                                  "enabled_after_connections": True}))["failed-runs"]
    assert before["confidence"] < after["confidence"]


@pytest.mark.parametrize("grant", ["mfa", "location", "compliant-device", "approved-app"])
def test_every_grant_on_services_breaks_connections(grant):
    found = set(ids(evaluate_setup({"requirements": [grant], "targets": SERVICES})))
    assert {"failed-runs", "create-connection", "auto-connection", "people-picker"} <= found


def test_policy_only_on_power_automate_breaks_no_connection():
    found = ids(evaluate_setup({"requirements": ["mfa"], "targets": ["power-automate"],
                                "flows_started_from": ["portal"]}))
    assert not {"failed-runs", "create-connection", "auto-connection", "people-picker"} & set(found)


def test_makers_portal_sign_in_decides_connection_creation():
    apart = by_id(evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"]}))
    together = by_id(evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint", "power-automate"]}))
    for fid in ("create-connection", "auto-connection", "people-picker"):
        assert apart[fid]["confidence_label"] == "high"
        assert together[fid]["confidence"] < apart[fid]["confidence"]
    assert "not targeted" in " ".join(apart["create-connection"]["why"])


def test_people_picker_needs_exchange_or_sharepoint():
    assert "people-picker" not in ids(evaluate_setup({"requirements": ["mfa"], "targets": ["microsoft-graph"]}))
    assert "people-picker" in ids(evaluate_setup({"requirements": ["mfa"], "targets": ["exchange-online"]}))
    assert "people-picker" in ids(evaluate_setup({"requirements": ["mfa"], "targets": ["office-365"]}))


def test_embedded_host_when_graph_needs_mfa_and_hosts_are_left_out():
    result = evaluate_setup({"requirements": ["mfa"], "targets": ["microsoft-graph"],
                             "flows_started_from": ["portal", "teams", "excel"]})
    assert by_id(result)["embedded-host"]["confidence_label"] == "high"
    assert "Teams and Excel" in why(result, "embedded-host")
    assert "the Power Automate site" not in why(result, "embedded-host")


@pytest.mark.parametrize("setup", [
    {"requirements": ["mfa"], "targets": ["microsoft-graph", "office-365"], "flows_started_from": ["teams"]},
    {"requirements": ["mfa"], "targets": ["all-cloud-apps"], "flows_started_from": ["power-apps"]},
    {"requirements": ["mfa"], "targets": ["power-automate"], "flows_started_from": ["portal"]},
    {"requirements": ["mfa"], "targets": ["power-automate", "sharepoint"], "flows_started_from": ["sharepoint"]},
    {"requirements": ["mfa"], "targets": ["sharepoint"], "flows_started_from": ["teams"]},
    {"requirements": ["location"], "targets": ["microsoft-graph"], "flows_started_from": ["teams"]},
])
def test_no_embedded_host_when_hosts_are_covered_or_not_used(setup):
    assert "embedded-host" not in ids(evaluate_setup(setup))


def test_embedded_host_depends_on_where_flows_start_when_unknown():
    result = evaluate_setup({"requirements": ["mfa"], "targets": ["power-automate"]})
    host = by_id(result)["embedded-host"]
    assert host["confidence_label"] != "high" and "does not say" in why(result, "embedded-host")


def test_sharing_with_lists_under_a_sharepoint_policy():
    shared = evaluate_setup({"requirements": ["compliant-device"], "targets": ["sharepoint"],
                             "shared_with_sharepoint_lists": True})
    assert by_id(shared)["sharepoint-sharing"]["confidence_label"] == "high"
    assert "sharepoint-sharing" not in ids(evaluate_setup(
        {"requirements": ["mfa"], "targets": ["sharepoint"], "shared_with_sharepoint_lists": False}))
    assert "sharepoint-sharing" not in ids(evaluate_setup(
        {"requirements": ["mfa"], "targets": ["exchange-online"], "shared_with_sharepoint_lists": True}))


@pytest.mark.parametrize("limit", ["location", "compliant-device"])
def test_builtin_flows_blocked_by_location_or_device_on_sharepoint(limit):
    result = evaluate_setup({"requirements": [limit], "targets": ["office-365"], "sharepoint_builtin_flows": True})
    assert by_id(result)["sharepoint-oob-flows"]["confidence_label"] == "high"


def test_builtin_flows_not_blocked_by_mfa_alone():
    result = evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"], "sharepoint_builtin_flows": True})
    assert "sharepoint-oob-flows" not in ids(result)


def test_terms_of_use_per_device_is_certain_and_names_service_accounts():
    result = evaluate_setup({"requirements": ["terms-of-use"], "terms_of_use_per_device": True,
                             "service_accounts_excluded": False})
    terms = by_id(result)["terms-of-use"]
    assert terms["confidence_label"] == "high" and ids(result)[0] == "terms-of-use"
    assert "every device" in why(result, "terms-of-use")
    assert "Service accounts are not excluded" in why(result, "terms-of-use")
    once = by_id(evaluate_setup({"requirements": ["terms-of-use"], "targets": ["all-cloud-apps"],
                                 "service_accounts_excluded": True}))["terms-of-use"]
    assert once["confidence"] < terms["confidence"]


@pytest.mark.parametrize("hours, period", [(24, "every 24 hours"), (1, "every hour"),
                                           (8, "every 8 hours"), (336, "every 14 days"), (1.5, "every 1.5 hours"),
                                           (8760, "every 365 days")])
def test_sign_in_frequency_states_the_period(hours, period):
    result = evaluate_setup({"requirements": ["sign-in-frequency"], "sign_in_frequency_hours": hours,
                             "targets": ["all-cloud-apps"]})
    assert ids(result) == ["sign-in-frequency"]
    assert period in why(result, "sign-in-frequency")


@pytest.mark.parametrize("days, text", [(14, "a fresh sign-in every 14 days"), (1, "every 1 day."),
                                        (365, "every 365 days")])
def test_remember_mfa_states_its_days(days, text):
    result = evaluate_setup({"remember_mfa": True, "remember_mfa_days": days})
    assert ids(result) == ["remember-mfa"] and by_id(result)["remember-mfa"]["when"] == "now"
    assert text in why(result, "remember-mfa")


def test_remember_mfa_off_finds_nothing():
    assert evaluate_setup({"remember_mfa": False, "remember_mfa_days": 14})["findings"] == []


def test_unknown_targets_lower_confidence_and_say_so():
    known = by_id(evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"]}))["failed-runs"]
    unknown = evaluate_setup({"requirements": ["mfa"]})
    assert by_id(unknown)["failed-runs"]["confidence"] < known["confidence"]
    assert "does not say which" in why(unknown, "failed-runs")


def test_empty_targets_breaks_nothing():
    assert evaluate_setup({"requirements": list(REQUIREMENTS), "targets": []})["findings"] == []


# --- ranking ----------------------------------------------------------------------------------

def test_certain_findings_rank_above_those_that_depend():
    result = evaluate_setup({"requirements": ["mfa", "location"], "targets": ["sharepoint", "power-automate"],
                             "enabled_after_connections": True, "sharepoint_builtin_flows": True})
    assert_shape(result)
    order = ids(result)
    assert order.index("failed-runs") < order.index("create-connection")
    assert order.index("sharepoint-oob-flows") < order.index("people-picker")
    assert all(f["when"] == "now" for f in result["findings"])


# --- bad input: notices, never exceptions ---------------------------------------------------

@pytest.mark.parametrize("setup, notice", [
    ([1, 2], "JSON object"),
    (None, "JSON object"),
    ("mfa", "JSON object"),
    ({"requirement": ["mfa"]}, "Unknown setting 'requirement'"),
    ({"requirements": ["mfa", "biometrics"]}, "'biometrics'"),
    ({"requirements": [3, None, ["x"]]}, "unknown value"),
    ({"requirements": {"mfa": True}}, "must be a list"),
    ({"targets": 5}, "must be a list"),
    ({"remember_mfa": "yes"}, "true or false"),
    ({"remember_mfa": True, "remember_mfa_days": 400}, "1 to 365"),
    ({"remember_mfa": True, "remember_mfa_days": 2.5}, "1 to 365"),
    ({"remember_mfa": True, "remember_mfa_days": True}, "1 to 365"),
    ({"requirements": ["sign-in-frequency"], "sign_in_frequency_hours": -3}, "above 0"),
    ({"requirements": ["sign-in-frequency"], "sign_in_frequency_hours": 9000}, "at most 8760"),
    ({"requirements": ["sign-in-frequency"], "sign_in_frequency_hours": math.nan}, "above 0"),
    ({"requirements": ["sign-in-frequency"], "sign_in_frequency_hours": "24"}, "above 0"),
    ({"sign_in_frequency_hours": 24}, "was not used"),
    ({"terms_of_use_per_device": True}, "was not used"),
    ({"remember_mfa_days": 14}, "read as remember MFA turned on"),
])
def test_bad_input_is_reported_not_raised(setup, notice):
    result = evaluate_setup(setup)
    assert_shape(result)
    assert any(notice in n for n in result["notices"]), result["notices"]


def test_bad_values_are_dropped_and_good_ones_kept():
    result = evaluate_setup({"requirements": ["MFA", "nonsense"], "targets": ["SharePoint"],
                             "enabled_after_connections": "true"})
    assert "failed-runs" in ids(result)
    assert by_id(result)["failed-runs"]["when"] == "on-rollout"  # the bad bool was not read as true
    assert len(result["notices"]) == 2


def test_lone_value_is_read_as_a_list():
    assert ids(evaluate_setup({"requirements": "mfa", "targets": "sharepoint"})) == \
        ids(evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"]}))


# --- checklist and schema ---------------------------------------------------------------------

def test_checklist_agrees_with_evaluate_setup():
    entries = checklist()
    assert [e["requirement"] for e in entries] == [*REQUIREMENTS, "remember-mfa"]
    for entry in entries:
        assert entry["label"] and entry["findings"], entry["requirement"]
        result = evaluate_setup(entry["setup"])
        assert entry["findings"] == [{"id": f["id"], "why": f["why"]} for f in result["findings"]]


def test_checklist_names_the_problem_each_requirement_is_known_for():
    found = {e["requirement"]: {f["id"] for f in e["findings"]} for e in checklist()}
    assert "embedded-host" in found["mfa"]
    assert "sharepoint-oob-flows" in found["location"] and "sharepoint-oob-flows" in found["compliant-device"]
    assert "sharepoint-oob-flows" not in found["mfa"]
    assert found["terms-of-use"] >= {"terms-of-use"} and found["sign-in-frequency"] == {"sign-in-frequency"}
    assert found["remember-mfa"] == {"remember-mfa"}
    for grant in ("mfa", "location", "compliant-device", "approved-app"):
        assert {"failed-runs", "create-connection", "auto-connection", "people-picker"} <= found[grant]


def test_schema_lists_every_key_the_reader_accepts():
    keys = [entry["key"] for entry in schema()]
    assert set(keys) == set(EXAMPLE) | {"terms_of_use_per_device", "sign_in_frequency_hours",
                                         "service_accounts_excluded", "sign_in_frequency_every_time",
                                         "target_apps", "excluded_apps"}
    everything = {key: True for key in keys}
    notices = evaluate_setup(everything)["notices"]
    assert not any("Unknown setting" in n for n in notices)
    values = {e["key"]: e["values"] for e in schema()}
    assert values["requirements"] == list(REQUIREMENTS) and values["targets"] == list(TARGETS)



# --- what real policies need (checker/policies): block, authentication strength, app IDs -------

FLOW_SERVICE = "7df0a125-d3be-4c96-aa54-591f83ff541c"
SHAREPOINT_APP = "00000003-0000-0ff1-ce00-000000000000"


def test_a_block_breaks_connections_and_says_it_blocks():
    result = evaluate_setup({"requirements": ["block"], "targets": ["sharepoint"]})
    assert {"failed-runs", "create-connection"} <= set(ids(result))
    assert "blocks access to SharePoint" in result["findings"][0]["why"][0]


def test_authentication_strength_counts_as_mfa_for_embedded_flows():
    found = ids(evaluate_setup({"requirements": ["authentication-strength"], "targets": ["sharepoint", "microsoft-graph"],
                                "flows_started_from": ["teams"]}))
    assert "embedded-host" in found and "failed-runs" in found


def test_target_apps_are_read_through_the_application_table():
    by_app = evaluate_setup({"requirements": ["mfa"], "target_apps": [SHAREPOINT_APP.upper()]})
    by_name = evaluate_setup({"requirements": ["mfa"], "targets": ["sharepoint"]})
    assert ids(by_app) == ids(by_name)
    assert "Office 365 SharePoint Online" in by_app["findings"][0]["why"][0]
    # an app the table does not know puts nothing under the policy
    assert ids(evaluate_setup({"requirements": ["mfa"], "target_apps": ["11111111-2222-3333-4444-555555555555"]})) == []


def test_excluding_the_flow_service_from_all_apps_uncovers_power_automate():
    spared = evaluate_setup({"requirements": ["mfa"], "targets": ["all-cloud-apps"], "excluded_apps": [FLOW_SERVICE]})
    assert "except Microsoft Flow Service" in spared["findings"][0]["why"][0]
    # makers can now sign in to Power Automate without MFA: connection problems become likely
    conf = {f["id"]: f["confidence"] for f in spared["findings"]}
    full = {f["id"]: f["confidence"] for f in evaluate_setup({"requirements": ["mfa"], "targets": ["all-cloud-apps"]})["findings"]}
    assert conf["create-connection"] > full["create-connection"]


def test_sign_in_frequency_every_time_is_named():
    result = evaluate_setup({"requirements": ["sign-in-frequency"], "sign_in_frequency_every_time": True,
                             "targets": ["all-cloud-apps"]})
    assert ids(result) == ["sign-in-frequency"] and "every time" in result["findings"][0]["why"][0]


def test_app_lists_must_hold_ids():
    assert "application IDs" in evaluate_setup({"target_apps": [1, 2]})["notices"][0]


def test_a_forced_password_change_revokes_connections():
    result = evaluate_setup({"requirements": ["password-change"], "targets": ["all-cloud-apps"]})
    assert ids(result) == ["token-revoked"] and "password" in result["findings"][0]["why"][0]


def test_a_policy_on_dataverse_reaches_dataverse_connections():
    result = evaluate_setup({"requirements": ["mfa"], "target_apps": ["00000007-0000-0000-c000-000000000000"]})
    assert "failed-runs" in ids(result) and "Dataverse" in result["findings"][0]["why"][0]
    assert ids(evaluate_setup({"requirements": ["mfa"], "targets": ["dataverse"]})) == ids(result)
