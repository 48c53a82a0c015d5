"""The shape of an answer: what to lead with, what to offer as alternatives, and what else the
paste says (the services its IDs name, a cause that is not conditional access).

The engine ranks findings; this module decides how a person reads them, so the command line,
the page and a copied ticket all lead with the same thing. It adds four keys to the result of
`diagnose` and of `evaluate_setup` (see checker/__init__.py):

    answer       {"lead": "finding" | "code" | "none", "finding": id | None, "code": int | None,
                  "fix": [...], "alternatives": [{"id", "differs"}]}
                 lead "code": the evidence fits several findings equally (a bare AADSTS50076):
                 lead with the code, the fix they share ("fix") and the question; every finding
                 is an alternative. lead "finding": one finding leads, the rest are alternatives.
    services     [{"id", "name", "what"}]: Microsoft applications whose IDs appear in the text
    other_cause  {"id", "title", "says", "look"} | None: a failure that is not conditional access
    plan         for a setup only (else None): {"affected": [{"id", "who"}],
                  "before": [{"text", "findings": [id, ...]}], "checklist": page} - who each finding
                  reaches and what to do before turning on, each step once with the findings it covers
"""
from __future__ import annotations

import functools
import re

from .knowledge import _read, apps, load, other_causes
from .text.normalize import prepare

CHECKLIST_PAGE = "before-you-turn-on/"
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_WORD = re.compile(r"[a-z0-9]+")
MAX_SERVICES = 5


def _words(text: str) -> str:
    """The text as lower-case words between single spaces, padded: " too many requests "."""
    return " " + " ".join(_WORD.findall(text.lower())) + " "


def _phrase(phrase: str) -> str:
    """A `when` phrase in the same form; a trailing * leaves the last word open."""
    open_end = phrase.endswith("*")
    words = _words(phrase.rstrip("*"))
    return words[:-1] if open_end else words


@functools.cache
def _causes() -> tuple[tuple[tuple[str, ...], dict], ...]:
    out = []
    for c in other_causes():
        entry = {k: c[k] for k in ("id", "title", "says", "look")}
        out.append((tuple(_phrase(p) for p in c["when"]), entry))
    return tuple(out)


@functools.cache
def _affected() -> dict[str, str]:
    return dict(_read("plans.toml")["affected"])


def other_cause(text: str) -> dict | None:
    """The first cause (in file order) whose phrase appears in `text`, or None."""
    words = _words(text)
    for phrases, entry in _causes():
        if any(p in words for p in phrases):
            return dict(entry)
    return None


def services(text: str) -> list[dict]:
    """Known Microsoft applications named by ID in `text`, in order of appearance."""
    known = apps().by_id
    out: list[dict] = []
    seen: set[str] = set()
    for match in _GUID.finditer(text):
        app = known.get(match.group(0).lower())
        if app and app.id not in seen:
            seen.add(app.id)
            out.append({"id": app.id, "name": app.name, "what": app.what})
            if len(out) == MAX_SERVICES:
                break
    return out


def _telling(result: dict) -> list:
    """The questions, the one that tells the result's findings apart first: the one asked, else
    the one whose options hold most of them (after an answer: the one that was answered)."""
    kb = load()
    asked = (result.get("question") or {}).get("id")
    ids = {f["id"] for f in result["findings"]}
    return sorted(kb.questions.values(), key=lambda q: (q.id != asked, -len(ids.intersection(o.finding for o in q.options))))


def _differs(fid: str, questions: list) -> str:
    """How a finding differs from the others: the answer to the first of `questions` that points
    to it, or what its owner sees."""
    kb = load()
    for question in questions:
        for option in question.options:
            if option.finding == fid:
                return question.differs.format(label=option.label[0].lower() + option.label[1:])
    return kb.findings[fid].sees[0]


def _lead_code(result: dict) -> dict | None:
    """The code a question-asking answer leads with: the first known code whose condition's
    findings include the top finding and that has a shared fix."""
    kb = load()
    top = result["findings"][0]["id"]
    for c in result["codes"]:
        condition = kb.conditions.get(c["condition"])
        if c["known"] and condition and condition.fix and top in condition.findings:
            return {"code": c["code"], "fix": list(condition.fix)}
    return None


def answer(result: dict) -> dict:
    findings = result["findings"]
    if not findings:
        return {"lead": "none", "finding": None, "code": None, "fix": [], "alternatives": []}
    questions = _telling(result)
    lead_code = _lead_code(result) if result.get("question") else None
    if lead_code:
        return {"lead": "code", "finding": None, "code": lead_code["code"], "fix": lead_code["fix"],
                "alternatives": [{"id": f["id"], "differs": _differs(f["id"], questions)} for f in findings]}
    return {"lead": "finding", "finding": findings[0]["id"], "code": None, "fix": [],
            "alternatives": [{"id": f["id"], "differs": _differs(f["id"], questions)} for f in findings[1:]]}


def plan(result: dict) -> dict:
    """Who each finding reaches, and the findings' prevention steps in rank order. A step that
    several findings share ([shared_steps] in findings.toml, "@id" in their `prevent`) is listed
    once, at its first place, naming every finding of the result it covers."""
    kb = load()
    before: dict[str, dict] = {}  # by shared step id, or by text for a finding's own step
    for f in result["findings"]:
        for step in kb.findings[f["id"]].prevent_steps:
            key = "@" + step.shared if step.shared else step.text  # own texts never start with "@"
            entry = before.setdefault(key, {"text": step.text, "findings": []})
            if f["id"] not in entry["findings"]:
                entry["findings"].append(f["id"])
    return {"affected": [{"id": f["id"], "who": _affected()[f["id"]]} for f in result["findings"]],
            "before": list(before.values()), "checklist": CHECKLIST_PAGE}


def shape_diagnosis(result: dict, text) -> dict:
    """Adds the answer's shape to a `diagnose` result (in place) and returns it."""
    prepared = prepare(text if text is not None else "").text
    result["answer"] = answer(result)
    result["services"] = services(prepared)
    result["other_cause"] = other_cause(prepared)
    result["plan"] = None
    return result


def shape_setup(result: dict) -> dict:
    """Adds the answer's shape to an `evaluate_setup` result (in place) and returns it."""
    shaped = answer(result)
    who = _affected()
    shaped["alternatives"] = [dict(a, differs=who[a["id"]]) for a in shaped["alternatives"]]
    result["answer"] = shaped
    result["services"] = []
    result["other_cause"] = None
    result["plan"] = plan(result)
    return result
