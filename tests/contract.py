"""The JSON contract of `checker.diagnose`, `checker.evaluate_setup` and `python -m checker
--json` (documented in checker/__init__.py), as one assertion the tests share."""
from __future__ import annotations

import json
import re

from checker.knowledge import load

FINDING_KEYS = {"id", "title", "summary", "confidence", "confidence_label", "why", "evidence",
                "fix", "fix_admin", "page"}
CODE_KEYS = {"code", "meaning", "condition", "condition_label", "known"}
EVIDENCE_KINDS = {"code", "message", "words", "setting"}
SHAPE_KEYS = {"answer", "services", "other_cause", "plan"}  # checker/shape.py


# Words that say nothing of what a step asks for.
_STOP = frozenset("a an the to of in on for and or as is it its be by with that this their they them your you "
                  "from at under so not any each every if when which where do does".split())


def step_overlap(a: str, b: str) -> float:
    """How much of the shorter of two steps the other says: their shared content words over the
    shorter's. The repeated sign-in steps this guards against scored 0.57 to 1.0; distinct steps
    of the knowledge base score 0.5 at most."""
    words_a, words_b = ({w for w in re.findall(r"[a-z0-9]+", t.lower()) if w not in _STOP} for t in (a, b))
    return len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))


SAME_STEP = 0.55  # a step overlap above this says the same thing twice


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(s, str) and s for s in value)


def assert_contract(result: dict, extra_finding_keys: frozenset = frozenset()) -> None:
    """Fails with the offending part when `result` breaks the contract."""
    assert isinstance(result, dict), type(result)
    assert set(result) == {"findings", "codes", "question", "notices", "looked_for"} | SHAPE_KEYS, set(result)
    assert isinstance(result["looked_for"], str) and result["looked_for"]
    assert _strings(result["notices"]), result["notices"]
    kb = load()
    ranked = []
    for f in result["findings"]:
        assert set(f) == FINDING_KEYS | extra_finding_keys, set(f)
        known = kb.findings[f["id"]]
        assert (f["title"], f["summary"], f["page"]) == (known.title, known.summary, known.page)
        assert f["fix"] == list(known.fix_user) and f["fix_admin"] == list(known.fix_admin)
        assert isinstance(f["confidence"], float | int) and 0 <= f["confidence"] <= 1, f["confidence"]
        assert f["confidence_label"] in ("high", "medium", "low")
        assert _strings(f["why"]), f["why"]
        for e in f["evidence"]:
            assert set(e) == {"kind", "text"} and e["kind"] in EVIDENCE_KINDS and isinstance(e["text"], str), e
        ranked.append(f["confidence"])
    assert ranked == sorted(ranked, reverse=True), ranked
    ids = [f["id"] for f in result["findings"]]
    assert len(ids) == len(set(ids)), ids
    for c in result["codes"]:
        assert set(c) == CODE_KEYS, set(c)
        assert isinstance(c["code"], int) and isinstance(c["known"], bool)
        assert all(isinstance(c[k], str) for k in ("meaning", "condition", "condition_label"))
        if c["known"]:
            assert c["condition"] == kb.codes[c["code"]].condition
    question = result["question"]
    if question is not None:
        assert set(question) == {"id", "text", "tells", "options"} and question["options"]
        assert question["tells"] in ("situation", "cause")
        for option in question["options"]:
            assert set(option) == {"id", "label", "finding"} and option["finding"] in kb.findings
    assert_shape(result)
    json.dumps(result, allow_nan=False)  # JSON-ready, no NaN


def assert_shape(result: dict) -> None:
    """The answer's shape (checker/shape.py) agrees with the ranking it shapes."""
    ids = [f["id"] for f in result["findings"]]
    answer = result["answer"]
    assert set(answer) == {"lead", "finding", "code", "fix", "alternatives"}, set(answer)
    alternatives = [a["id"] for a in answer["alternatives"]]
    assert all(set(a) == {"id", "differs"} and a["differs"] for a in answer["alternatives"])
    if not ids:
        assert answer["lead"] == "none" and not alternatives and answer["finding"] is None
    elif answer["lead"] == "code":  # every finding is an alternative, the question picks one
        assert result["question"] and alternatives == ids and answer["fix"]
        assert answer["code"] in [c["code"] for c in result["codes"]]
    else:
        assert answer["lead"] == "finding" and answer["finding"] == ids[0] and alternatives == ids[1:]
    apps = {s["id"] for s in result["services"]}
    assert all(set(s) == {"id", "name", "what"} for s in result["services"]) and len(apps) == len(result["services"])
    other = result["other_cause"]
    assert other is None or set(other) == {"id", "title", "says", "look"}
    plan = result["plan"]
    if plan is not None:
        assert [a["id"] for a in plan["affected"]] == ids or not ids
        for step in plan["before"]:  # each step once, naming the findings of this result it covers
            assert set(step) == {"text", "findings"} and isinstance(step["text"], str) and step["text"], step
            assert step["findings"] and set(step["findings"]) <= set(ids), step
        assert len({s["text"] for s in plan["before"]}) == len(plan["before"])
