"""Diagnosis behaviour: the shapes codes arrive in, messages without codes, descriptions in
users' words, abstaining, the clarifying question, and the result's contract."""
from __future__ import annotations

import json

import pytest

from checker import diagnose
from checker.normalize import MAX_INPUT_CHARS


def ids(result):
    return [f["id"] for f in result["findings"]]


def codes(result):
    return [c["code"] for c in result["codes"]]


MFA = ("AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a "
       "new location, you must use multi-factor authentication to access 'https://graph.microsoft.com'.")


@pytest.mark.parametrize("text, expected", [
    ("AADSTS50076", [50076]),
    ("aadsts 50076 happened", [50076]),
    ('{"error":"invalid_grant","error_codes":[50076,50079],"trace_id":"x"}', [50076, 50079]),
    ("Error Code: 530033\nRequest Id: 3c2b", [530033]),
    ("https://contoso.example/cb?error=interaction_required&code=50078&state=1", [50078]),
    ("error_description=AADSTS50076%3A+Due+to+a+configuration+change", [50076]),
    ("error_description=AADSTS53003%253A%2BAccess%2Bhas%2Bbeen%2Bblocked", [53003]),
    ("AADSTS5OO76: Due to a configuration change", [50076]),
    ("failed: AADSTS530\n  003: Your device is required to be managed", [530003]),
    ("Fehler beim Anmelden: AADSTS53000 – Gerät ist nicht konform", [53000]),
    ("サインインエラー AADSTS70043 が発生しました", [70043]),
    ("AADSTS9002313: Invalid request", [9002313]),
    ("Code=-50002 UserInfo AADSTS50076: must use MFA", [50076]),
    ("AADSTS53003 then AADSTS50126 then AADSTS53003 again", [53003, 50126]),
])
def test_codes_in_every_shape(text, expected):
    assert codes(diagnose(text)) == expected


def test_codes_inside_json_escaped_several_times():
    text = MFA
    for _ in range(3):
        text = json.dumps({"message": text})
    result = diagnose(text)
    assert codes(result) == [50076]
    assert ids(result)[0] == "failed-runs"


def test_a_wrapped_code_does_not_swallow_the_next_line():
    assert codes(diagnose("AADSTS50076\n2024-01-01 Trace ID: 1")) == [50076]


def test_bare_numbers_are_codes_only_when_known():
    assert codes(diagnose("Error code: 12345 while saving")) == []
    assert codes(diagnose("the proxy listens on port 16000")) == []


def test_unknown_prefixed_code_is_reported_as_unknown():
    result = diagnose("AADSTS99999: something new")
    assert result["codes"] == [{**result["codes"][0], "code": 99999, "condition": "unknown", "known": False}]
    assert result["findings"] == []


@pytest.mark.parametrize("text, expected", [
    ("Failed to refresh access token for service: office365. Correlation Id=1, UTC TimeStamp=2, Error: x", "failed-runs"),
    ("Device is not in required device state: compliant.", "failed-runs"),
    ("Access has been blocked by Conditional Access policies.", "failed-runs"),
    ("External security challenge not satisfied.", "terms-of-use"),
    ("The refresh token has expired due to inactivity.", "token-inactivity"),
])
def test_messages_without_a_code(text, expected):
    assert ids(diagnose(text))[0] == expected


@pytest.mark.parametrize("text, expected", [
    ("ever since 2FA became mandatory my scheduled flows keep failing", "failed-runs"),
    ("connections need a new login every two weeks", "remember-mfa"),
    ("The flow owner tile shows a GUID instead of the list name", "sharepoint-sharing"),
    ("the button in our Power App fails with a two-factor error but the flow works fine in Power Automate", "embedded-host"),
    ("Request sign-off is greyed out since we blocked unmanaged devices in SharePoint", "sharepoint-oob-flows"),
    ("we reset my password and now all my flows' connections are broken", "token-revoked"),
    ("connections must be re-authenticated every 12 hours because of the sign-in frequency policy", "sign-in-frequency"),
    ("the terms of use policy now blocks our service account's connections", "terms-of-use"),
])
def test_descriptions_in_users_words(text, expected):
    assert ids(diagnose(text))[0] == expected


@pytest.mark.parametrize("text", [
    "How do I add a condition to my flow?",
    "AADSTS50126: Error validating credentials due to invalid username or password.",
    "AADSTS65001: The user or administrator has not consented to use the application.",
    "Excel Online (Business) returns 404 when the file is moved",
    "",
    "   \n\t ",
])
def test_nothing_relevant_gives_no_finding(text):
    result = diagnose(text)
    assert result["findings"] == [] and result["question"] is None
    assert result["looked_for"]


def test_a_non_ca_code_is_still_explained():
    result = diagnose("AADSTS65001: The user or administrator has not consented")
    assert result["codes"][0]["condition"] == "not-ca"
    assert "consent" in result["codes"][0]["meaning"]


def test_ambiguous_code_asks_where_and_the_answer_reranks():
    result = diagnose(MFA)
    assert ids(result)[:2] == ["failed-runs", "create-connection"]
    question = result["question"]
    assert question and question["id"] == "where"
    by_finding = {o["finding"]: o["id"] for o in question["options"]}
    for finding, option in by_finding.items():
        answered = diagnose(MFA, {"where": option})
        assert ids(answered)[0] == finding
        assert answered["question"] is None


def test_result_contract():
    result = diagnose(MFA + " in a flow run")
    assert set(result) == {"findings", "codes", "question", "notices", "looked_for",
                           "answer", "services", "other_cause", "plan"}  # the last four: checker/shape.py
    for f in result["findings"]:
        assert set(f) >= {"id", "title", "summary", "confidence", "confidence_label", "why", "evidence", "fix", "fix_admin", "page"}
        assert 0 <= f["confidence"] <= 1 and f["confidence_label"] in {"high", "medium", "low"}
        assert f["page"] == f"problems/{f['id']}/"
        assert f["why"] and f["fix"]
    confidences = [f["confidence"] for f in result["findings"]]
    assert confidences == sorted(confidences, reverse=True)
    assert {"kind": "code", "text": "AADSTS50076"} in result["findings"][0]["evidence"]


def test_evidence_names_the_users_words():
    f = diagnose("my connections expire every two weeks")["findings"][0]
    assert any(e["kind"] == "words" and "two weeks" in e["text"] for e in f["evidence"])


def test_oversized_input_is_cut_with_a_notice():
    result = diagnose("x " * MAX_INPUT_CHARS + "AADSTS50076")
    assert any("only the first" in n for n in result["notices"])
    assert result["codes"] == []  # the code sat beyond the limit


def test_bytes_with_invalid_utf8_and_nul():
    result = diagnose(b"\xff\xfe\x00AADSTS53003\x00 blocked")
    assert codes(result) == [53003]
    assert any("UTF-8" in n for n in result["notices"])


def test_one_letter_typos_still_match():
    assert ids(diagnose("run failed, it says I must use multi-factor authentcation"))[0] == "failed-runs"
    assert ids(diagnose("connections expire every fortnigth since we enabled remember device"))[0] == "remember-mfa"


def test_url_host_names_are_not_words():
    # "service.powerapps.com" and "graph.microsoft.com" name endpoints, not what the user sees.
    text = "wrong audience 'https://graph.microsoft.com/', allowed 'https://service.flow.microsoft.com/','https://service.powerapps.com/'"
    assert diagnose(text)["findings"] == []


@pytest.mark.parametrize("text", [
    "Your flow was suspended: it uses connectors that violate the data loss prevention (DLP) policy; SharePoint and a blocked group",
    "I'd like a flow that emails staff 14 days before their password expires. Which connector gives me the date?",
])
def test_another_named_cause_or_a_build_question_gives_no_finding(text):
    assert diagnose(text)["findings"] == []


def test_a_code_at_the_end_of_a_sentence_counts():
    assert codes(diagnose("Sign-in logs for Microsoft Flow Service show error 50158.")) == [50158]
