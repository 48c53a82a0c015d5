"""The answer's shape (checker/shape.py): one lead, then alternatives; the services a paste's IDs
name; causes that are not conditional access; setups answered as plans."""
from __future__ import annotations

import pytest

from checker import diagnose, evaluate_setup
from checker.knowledge import _read, apps, load
from checker.rollout import REQUIREMENTS, checklist
from checker.shape import other_cause
from contract import SAME_STEP, assert_contract, step_overlap

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
    assert kb.findings[result["findings"][0]["id"]].prevent[0] in [s["text"] for s in plan["before"]]
    assert diagnose("AADSTS50076")["plan"] is None


# Broad setups: several requirements on everything, and the widest reach the model knows.
_EVERY_HOST = {"flows_started_from": ["portal", "sharepoint", "teams", "power-apps", "excel"],
               "shared_with_sharepoint_lists": True, "sharepoint_builtin_flows": True}
BROAD_SETUPS = [
    {"requirements": ["mfa", "location", "compliant-device"], "targets": ["all-cloud-apps"]},
    {"requirements": ["mfa", "location", "compliant-device"], "targets": ["sharepoint", "exchange-online", "microsoft-graph"],
     **_EVERY_HOST},
    {"requirements": list(REQUIREMENTS), "targets": ["sharepoint", "exchange-online", "microsoft-graph"], **_EVERY_HOST,
     "remember_mfa": True, "sign_in_frequency_hours": 24, "terms_of_use_per_device": True,
     "service_accounts_excluded": False},
    *(entry["setup"] for entry in checklist()),
]


@pytest.mark.parametrize("setup", BROAD_SETUPS, ids=lambda s: "+".join(s.get("requirements", ["remember-mfa"]))[:60])
def test_a_broad_plan_says_each_step_once_and_loses_none(setup):
    result = evaluate_setup(setup)
    assert_contract(result, frozenset({"when"}))
    steps = result["plan"]["before"]
    texts = [s["text"] for s in steps]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert step_overlap(a, b) <= SAME_STEP, f"two steps say the same thing:\n{a}\n{b}"
    # Nothing lost: every prevention step of every finding in the answer is there, and names it.
    kb = load()
    for f in result["findings"]:
        for step in kb.findings[f["id"]].prevent_steps:
            (entry,) = [s for s in steps if s["text"] == step.text]
            assert f["id"] in entry["findings"]
    # The plan keeps the answer's order: the top finding's steps come first.
    top = kb.findings[result["findings"][0]["id"]].prevent
    assert texts[:len(top)] == list(top)


def test_a_shared_step_is_listed_once_naming_every_finding_it_covers():
    result = evaluate_setup(BROAD_SETUPS[0])
    kb = load()
    sharing = [f["id"] for f in result["findings"]
               if any(s.shared == "same-sign-in" for s in kb.findings[f["id"]].prevent_steps)]
    assert len(sharing) >= 3, sharing  # failed runs, both connection problems, the picker
    (step,) = [s for s in result["plan"]["before"] if s["text"] == kb.shared_steps["same-sign-in"]]
    assert step["findings"] == sharing
    # Before the shared step, this plan said "sign in to Power Automate under ..." four ways.
    told = [s for s in result["plan"]["before"] if "sign in to power automate" in s["text"].lower()]
    assert told == [step]


def test_the_command_line_names_the_problems_a_shared_step_covers():
    from checker.answer import render

    result = evaluate_setup(BROAD_SETUPS[0])
    text = "\n" + render(result)
    order = [f["id"] for f in result["findings"]]
    (step,) = [s for s in result["plan"]["before"] if len(s["findings"]) > 1]
    numbers = [str(order.index(fid) + 1) for fid in step["findings"]]
    assert f"For problems {', '.join(numbers[:-1])} and {numbers[-1]}." in text
    for n, fid in zip(numbers, step["findings"]):  # the numbers are those the answer gives them
        assert f"\n{n}. {result['findings'][int(n) - 1]['title']} (" in text and result["findings"][int(n) - 1]["id"] == fid
