"""The plain-text report of `python -m checker signins` (the JSON is the contract; this reads it)."""
from __future__ import annotations

from .. import knowledge


def _names(values, limit: int = 6) -> str:
    values = list(values)
    shown = ", ".join(str(v) for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "") if values else "none named"


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render(result: dict) -> str:
    kb = knowledge.load()
    lines = []
    for f in result["files"]:
        lines.append(f"{f['name']}: {f['format']}, {f['rows']} sign-ins")
    lines.append("")
    lines.append(f"{result['signins']} sign-ins read, {result['flow_signins']} of them flow sign-ins: "
                 f"{result['flow_failures']} flow failures ({result['users']} users), "
                 f"{result['would_fail']} would fail once report-only policies are on.")
    for i, g in enumerate(result["groups"], 1):
        f = kb.findings[g["finding"]]
        lines.append("")
        when = f"{g['first']} to {g['last']}" if g['first'] else 'no times in these files'
        lines.append(f"{i}. {f.title}: {_n(g['count'], 'failure')}, {_n(g['users'], 'user')}, {when}")
        lines.append(f"   codes: {', '.join(f'AADSTS{c}' for c in g['codes'])}")
        lines.append(f"   policies: {_names(g['policies'])}")
        lines.append(f"   apps: {_names(g['apps'])}; resources: {_names(g['resources'])}")
        lines.append(f"   fix: {(f.fix_admin or f.fix_user)[0].replace('**', '')}")
        lines.append(f"   more: {knowledge.SITE_URL}{f.page}")
    if result["busiest_users"]:
        lines.append("")
        lines.append("Busiest users: " + ", ".join(f"{u['user']} ({u['count']})" for u in result["busiest_users"]))
    if result["per_day"]:
        lines.append("Failures per day: " + ", ".join(
            f"{d['day']} {sum(d['findings'].values())}" for d in result["per_day"]))
    if result["would_fail_policies"]:
        lines.append("Report-only policies that would fail flow sign-ins: " + ", ".join(
            f"{p['policy']} ({p['count']})" for p in result["would_fail_policies"]))
    for notice in result["notices"]:
        lines.append(f"Note: {notice}")
    lines.append("")
    lines.append("The same search in Log Analytics / Microsoft Sentinel (KQL):")
    lines.append(result["kql"])
    return "\n".join(lines)
