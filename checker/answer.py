"""Render a result dict (from diagnose or evaluate_setup) as plain text for a terminal or a ticket."""
from __future__ import annotations

import textwrap

from .knowledge import SITE_URL


def _plain(step: str) -> str:
    return step.replace("**", "")


def _wrap(text: str, indent: str, width: int = 96) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def render(result: dict) -> str:
    lines: list[str] = []
    for notice in result.get("notices", []):
        lines.append(f"Note: {notice}")
    findings = result.get("findings", [])
    if not findings:
        lines.append("No known conditional access or MFA problem matches this.")
        lines.append(_wrap("Looked for: " + result.get("looked_for", ""), ""))
    for n, f in enumerate(findings, 1):
        if lines:
            lines.append("")
        when = {"now": ", applies now", "on-rollout": ", once the policy is on"}.get(f.get("when"), "")
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
    if result.get("codes"):
        lines.append("")
        lines.append("Sign-in error codes found:")
        for c in result["codes"]:
            lines.append(_wrap(f"AADSTS{c['code']} [{c['condition']}] {c['meaning']}", "  "))
    question = result.get("question")
    if question:
        lines.append("")
        lines.append(f"{question['text']} Run again with --answer {question['id']}=<answer>:")
        for o in question["options"]:
            lines.append(f"  {o['id']:<16} {o['label']}")
    return "\n".join(lines)
