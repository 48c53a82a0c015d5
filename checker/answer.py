"""Render a result dict (from diagnose or evaluate_setup) as plain text for a terminal or a ticket.

It follows the answer's shape (checker/shape.py): the lead first (one finding in full, or, when
a bare code fits several, the code and the fix they share, with the question that tells them
apart), then the alternatives in one line each.
"""
from __future__ import annotations

import textwrap

from .knowledge import SITE_URL


def _plain(step: str) -> str:
    return step.replace("**", "")


def covers(step: dict, findings: list[dict]) -> str:
    """The problems a plan's step covers, by their numbers in the answer: "problems 1, 4 and 5"."""
    order = [f["id"] for f in findings]
    numbers = [str(order.index(fid) + 1) for fid in step["findings"]]
    if len(numbers) == 1:
        return f"problem {numbers[0]}"
    return "problems " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _wrap(text: str, indent: str, width: int = 96) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


_WHEN = {"now": ", applies now", "on-rollout": ", will break when you turn it on"}


def _finding(lines: list[str], n: int, f: dict) -> None:
    when = _WHEN.get(f.get("when"), "")
    lines.append(f"{n}. {f['title']} ({f['confidence_label']} confidence, {f['confidence']:.2f}{when})")
    lines.append(_wrap(f["summary"], "   "))
    for why in f["why"]:
        lines.append(_wrap("Why: " + why, "   "))
    if f["fix"]:
        lines.append("   Fix:")
        lines.extend(_wrap(f"- {_plain(s)}", "     ") for s in f["fix"])
    if f.get("fix_admin"):
        lines.append("   If you are an admin:")
        lines.extend(_wrap(f"- {_plain(s)}", "     ") for s in f["fix_admin"])
    lines.append(f"   More: {SITE_URL}{f['page']}")


def _question(lines: list[str], question: dict) -> None:
    lines.append("")
    lines.append(f"{question['text']} Run again with --answer {question['id']}=<answer>:")
    for o in question["options"]:
        lines.append(f"  {o['id']:<16} {o['label']}")


def render(result: dict) -> str:
    lines: list[str] = []
    for notice in result.get("notices", []):
        lines.append(f"Note: {notice}")
    other = result.get("other_cause")
    if other:
        lines.append(_wrap(f"Not conditional access? {other['title']}: {other['says']} Where to look: {other['look']}", ""))
    for s in result.get("services", []):
        lines.append(_wrap(f"Service named in the text: {s['name']} ({s['what']}), ID {s['id']}", ""))
    findings = result.get("findings", [])
    by_id = {f["id"]: f for f in findings}
    shape = result.get("answer") or {"lead": "finding" if findings else "none", "alternatives": [
        {"id": f["id"], "differs": ""} for f in findings[1:]]}
    if not findings:
        lines.append("No known conditional access or MFA problem matches this.")
        lines.append(_wrap("Looked for: " + result.get("looked_for", ""), ""))
    plan = result.get("plan")
    if shape["lead"] == "code":
        code = next(c for c in result["codes"] if c["code"] == shape["code"])
        if lines:
            lines.append("")
        lines.append(_wrap(f"AADSTS{code['code']}: {code['condition_label']}. {code['meaning']}", ""))
        lines.append("What to do, whichever situation it is:")
        lines.extend(_wrap(f"- {_plain(s)}", "  ") for s in shape["fix"])
    elif shape["lead"] == "finding":
        if lines:
            lines.append("")
        _finding(lines, 1, findings[0])
        if plan:
            lines.append(_wrap("Who is affected: " + plan["affected"][0]["who"], "   "))
    if result.get("question"):
        _question(lines, result["question"])
    alternatives = shape["alternatives"]
    if alternatives:
        lines.append("")
        question = result.get("question") or {}
        lines.append(("Which cause is it?" if question.get("tells") == "cause" else "Which situation is it?")
                     if shape["lead"] == "code" else
                     "Also affected:" if plan else "Other possibilities:")
        first = 1 if shape["lead"] == "code" else 2
        for n, alt in enumerate(alternatives, first):
            f = by_id[alt["id"]]
            when = _WHEN.get(f.get("when"), "")
            lines.append(f"{n}. {f['title']} ({f['confidence_label']} confidence{when})")
            if alt["differs"]:
                lines.append(_wrap(alt["differs"], "   "))
            lines.append(f"   More: {SITE_URL}{f['page']}")
    if plan and plan["before"]:
        lines.append("")
        lines.append("Before you turn it on:")
        for step in plan["before"]:
            lines.append(_wrap(f"- {_plain(step['text'])}", "  "))
            if len(step["findings"]) > 1:
                lines.append(_wrap(f"For {covers(step, findings)}.", "    "))
        lines.append(f"Checklist: {SITE_URL}{plan['checklist']}")
    if result.get("codes") and shape["lead"] != "code":
        lines.append("")
        lines.append("Sign-in error codes found:")
        for c in result["codes"]:
            lines.append(_wrap(f"AADSTS{c['code']} [{c['condition']}] {c['meaning']}", "  "))
    return "\n".join(lines)
