"""The policy report as plain text for a terminal (Markdown, so it also pastes into a ticket)."""
from __future__ import annotations

EFFECT_WORDS = {"breaks": "BREAKS flows", "would-break": "WOULD BREAK flows once turned on",
                "none": "does not affect flows"}


def render(report: dict) -> str:
    out = ["# Conditional access policies and Power Automate", ""]
    c = report["counts"]
    out.append(f"{len(report['policies'])} policies: {c['breaks']} break flows, {c['would-break']} would "
               f"break them once turned on, {c['none']} do not affect them.")
    m = report["matrix"]
    if m["findings"]:
        out += ["", "## Policies by problem", ""]
        out.append("| policy | effect | " + " | ".join(f["id"] for f in m["findings"]) + " |")
        out.append("|---|---|" + "---|" * len(m["findings"]))
        for row in m["rows"]:
            cells = " | ".join("x" if f["id"] in row["findings"] else "" for f in m["findings"])
            out.append(f"| {_cell(row['name'])} | {row['effect']} | {cells} |")
    if report["excluded_everywhere"]:
        out += ["", "Excluded from every policy that breaks flows (flows they own are spared): "
                + ", ".join(report["excluded_everywhere"])]
    for p in report["policies"]:
        out += ["", f"## {p['name']}", "", f"State: {p['state']}. Effect: {EFFECT_WORDS[p['effect']]}.",
                p["summary"]]
        if p["who"]["include"]:
            out.append("Applies to: " + ", ".join(p["who"]["include"])
                       + (f"; excluded: {', '.join(p['who']['exclude'])}" if p["who"]["exclude"] else ""))
        if p["applications"]["include"]:
            out.append("Targets: " + ", ".join(a["name"] for a in p["applications"]["include"])
                       + (f"; except {', '.join(a['name'] for a in p['applications']['exclude'])}"
                          if p["applications"]["exclude"] else ""))
        if p["reaches"]:
            out.append("Reaches: " + "; ".join(p["reaches"]))
        if p["conditions"]:
            out.append("Only " + "; ".join(p["conditions"]) + ".")
        for f in p["findings"]:
            out += ["", f"- **{f['title']}** ({f['confidence_label']}, {f['id']})"]
            out += [f"  - {line}" for line in f["why"]]
            if f["settings"]:
                out.append("  - Settings: " + "; ".join(f["settings"]))
        if p["spare"]:
            out += ["", "To spare flows:"] + [f"- {s}" for s in p["spare"]]
        if p["other_settings"]:
            out += ["", "Also set:"] + [f"- {s}" for s in p["other_settings"]]
        if p["notices"]:
            out += ["", "Notes:"] + [f"- {n}" for n in p["notices"]]
    if report["notices"]:
        out += ["", "## Notes", ""] + [f"- {n}" for n in report["notices"]]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
