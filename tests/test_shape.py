"""The answer's shape (checker/shape.py): one lead, then alternatives; the services a paste's IDs
name; causes that are not conditional access; setups answered as plans."""
from __future__ import annotations

import pytest

from checker import diagnose, evaluate_setup
from checker.knowledge import _read, apps, load
from checker.shape import other_cause
from contract import assert_contract

SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000"


def test_a_bare_code_leads_with_the_code_its_shared_fix_and_the_question():
    result = diagnose("AADSTS50076")
    assert_contract(result)
    answer = result["answer"]
    assert answer["lead"] == "code" and answer["code"] == 50076
    assert list(answer["fix"]) == list(load().conditions["mfa"].fix)
    # Every situation is an alternative that says how it differs: where it is seen.
    assert [a["id"] for a in answer["alternatives"]] == [f["id"] for f in result["findings"]]
    assert all(a["differs"].startswith("If you saw it") for a in answer["alternatives"])


def test_answering_the_question_makes_the_chosen_situation_the_lead():
    for option in load().questions["where"].options:
        result = diagnose("AADSTS50076", {"where": option.id})
        assert_contract(result)
        assert result["answer"]["lead"] == "finding" and result["answer"]["finding"] == option.finding
        assert option.finding not in [a["id"] for a in result["answer"]["alternatives"]]


def test_a_clear_finding_leads_alone():
    result = diagnose("connections expire every 14 days")
    assert result["answer"]["lead"] == "finding" and result["answer"]["finding"] == result["findings"][0]["id"]


def test_every_condition_that_can_ask_has_a_shared_fix():
    kb = load()
    for question in kb.questions.values():
        asked = {o.finding for o in question.options}
        for cid, condition in kb.conditions.items():
            if len(asked.intersection(condition.findings)) > 1:
                assert condition.fix, f"condition {cid} fits several findings of {question.id!r} but has no shared fix"


def test_the_service_behind_a_resource_id_is_named():
    text = f"AADSTS50076: you must use multi-factor authentication to access '{SHAREPOINT}'."
    result = diagnose(text)
    assert [s["id"] for s in result["services"]] == [SHAREPOINT]
    assert result["services"][0]["name"] == apps().by_id[SHAREPOINT].name
    # Upper case and JSON-escaped pastes name it too; an unknown GUID names nothing.
    assert diagnose(text.upper())["services"][0]["id"] == SHAREPOINT
    assert diagnose('{"resource":"' + SHAREPOINT + '"}')["services"]
    assert diagnose("AADSTS50076 12345678-1234-1234-1234-123456789abc")["services"] == []


@pytest.mark.parametrize("cause", _read("other_causes.toml")["causes"], ids=lambda c: c["id"])
def test_each_other_cause_recognises_its_example(cause):
    result = diagnose(cause["example"])
    assert_contract(result)
    assert result["other_cause"] and result["other_cause"]["id"] == cause["id"]


def test_other_causes_match_whole_words_only():
    assert other_cause(f"request {SHAREPOINT} 14290 failed") is None  # 429 inside a number or id
    assert other_cause("HTTP 429")["id"] == "throttling"
    assert other_cause("AADSTS50076 multi-factor authentication required") is None


def test_every_finding_says_who_it_affects():
    assert set(_read("plans.toml")["affected"]) == set(load().findings)


def test_a_setup_is_answered_as_a_plan():
    result = evaluate_setup({"requirements": ["mfa"], "targets": ["all-cloud-apps"]})
    assert_contract(result, frozenset({"when"}))
    plan = result["plan"]
    assert plan["checklist"] == "before-you-turn-on/"
    assert [a["id"] for a in plan["affected"]] == [f["id"] for f in result["findings"]]
    kb = load()
    assert kb.findings[result["findings"][0]["id"]].prevent[0] in plan["before"]
    assert diagnose("AADSTS50076")["plan"] is None
