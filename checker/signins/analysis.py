"""Which sign-ins are flow failures, and what they add up to; every fact from the knowledge base.

- flow sign-in: its application or resource is an app with `flow = true` in data/apps.toml (by ID,
  or by the display name when a shape has no IDs);
- flow failure: a flow sign-in whose error code (data/codes.toml) has a condition that leads to
  findings. A condition without findings ("not-ca", "unknown") is by the knowledge base's own
  definition not a conditional access or token lifetime problem, so this list is never restated;
- would fail: a flow sign-in that succeeded while a policy in report-only mode failed.

Each flow failure is grouped under the first finding of its code's condition (the conditions list
their findings in rank order), so it lands in exactly one group.
"""
from __future__ import annotations

from collections import Counter, defaultdict

from .. import knowledge

REPORT_ONLY_FAILURE = "reportOnlyFailure"
FAILURE = "failure"
BUSIEST = 10


def flow_apps():
    """(ids, names) of the flow apps: IDs lower-case, names lower-case -> ID."""
    table = knowledge.apps().by_id
    ids = frozenset(i for i, a in table.items() if a.flow)
    names = {table[i].name.lower(): i for i in ids}
    return ids, names


def failure_findings() -> dict[int, str]:
    """code -> the finding a flow failure with that code is grouped under."""
    kb = knowledge.load()
    out = {}
    for code, c in kb.codes.items():
        findings = kb.conditions[c.condition].findings
        if findings:
            out[code] = findings[0]
    return out


def make_is_flow():
    ids, names = flow_apps()

    def is_flow(app_id, app_name, res_id, res_name) -> bool:
        if app_id in ids or res_id in ids:
            return True
        if app_id and res_id:  # both IDs given: names add nothing
            return False
        return (not app_id and app_name.lower() in names) or (not res_id and res_name.lower() in names)

    return is_flow


class Tally:
    """Counts as records arrive; keeps only flow failures' facts, never the rows."""

    def __init__(self) -> None:
        self.findings = failure_findings()
        self.app_names = {i: a.name for i, a in knowledge.apps().by_id.items()}
        self.signins = 0
        self.flow_signins = 0
        self.without_policies = 0
        self.would_fail = 0
        self.would_fail_policies: Counter = Counter()
        self.by_code: Counter = Counter()
        self.users: Counter = Counter()
        self.groups: dict[str, dict] = {}
        self.per_day: dict[str, Counter] = defaultdict(Counter)
        self.notices: list[str] = []
        self.other_codes: Counter = Counter()  # flow sign-ins that failed for other reasons

    def _name(self, app_id: str, name: str) -> str:
        return name or self.app_names.get(app_id, "") or app_id or "(not named)"

    def add(self, s) -> None:
        """One flow sign-in (non-flow sign-ins are only counted in `signins`)."""
        self.flow_signins += 1
        if s.policies is None:
            self.without_policies += 1
        if s.code == 0:
            failing = [name for name, result in s.policies or () if result == REPORT_ONLY_FAILURE]
            if failing:
                self.would_fail += 1
                self.would_fail_policies.update(set(failing))
            return
        finding = self.findings.get(s.code)
        if finding is None:
            if s.code:
                self.other_codes[s.code] += 1
            return
        self.by_code[s.code] += 1
        user = s.user or "(unknown user)"
        self.users[user] += 1
        g = self.groups.get(finding)
        if g is None:
            g = self.groups[finding] = {"count": 0, "users": set(), "codes": set(), "policies": set(),
                                        "apps": set(), "resources": set(), "first": "", "last": ""}
        g["count"] += 1
        g["users"].add(user)
        g["codes"].add(s.code)
        g["policies"].update(name for name, result in s.policies or () if result == FAILURE)
        g["apps"].add(self._name(s.app_id, s.app_name))
        if s.resource_id or s.resource_name:
            g["resources"].add(self._name(s.resource_id, s.resource_name))
        if s.time:
            if not g["first"] or s.time < g["first"]:
                g["first"] = s.time
            if s.time > g["last"]:
                g["last"] = s.time
            self.per_day[s.time[:10]][finding] += 1

    def result(self, files: list[dict], kql: str) -> dict:
        groups = [
            {"finding": fid, "count": g["count"], "users": len(g["users"]), "codes": sorted(g["codes"]),
             "policies": sorted(g["policies"]), "apps": sorted(g["apps"]), "resources": sorted(g["resources"]),
             "first": g["first"] or None, "last": g["last"] or None}
            for fid, g in self.groups.items()
        ]
        groups.sort(key=lambda g: (-g["count"], g["finding"]))
        notices = list(self.notices)
        if self.flow_signins and self.without_policies:
            notices.append(f"{self.without_policies} flow sign-ins carry no conditional access policy detail "
                           "(the admin center CSV never has it; JSON has it only for readers allowed to see "
                           "policies): policies named and would-fail counts cover only the others.")
        if self.other_codes:
            codes = ", ".join(f"{c} ({n})" for c, n in sorted(self.other_codes.items(), key=lambda kv: (-kv[1], kv[0]))[:10])
            notices.append(f"{sum(self.other_codes.values())} flow sign-ins failed with codes that are not conditional "
                           f"access, MFA or a token lifetime, and are not counted: {codes}.")
        return {
            "files": files,
            "signins": self.signins,
            "flow_failures": sum(g["count"] for g in groups),
            "would_fail": self.would_fail,
            "users": len(self.users),
            "by_code": {str(c): n for c, n in sorted(self.by_code.items())},
            "groups": groups,
            "kql": kql,
            "flow_signins": self.flow_signins,
            "busiest_users": [{"user": u, "count": n}
                              for u, n in sorted(self.users.items(), key=lambda kv: (-kv[1], kv[0]))[:BUSIEST]],
            "per_day": [{"day": d, "findings": dict(sorted(c.items()))} for d, c in sorted(self.per_day.items())],
            "would_fail_policies": [{"policy": p, "count": n}
                                    for p, n in sorted(self.would_fail_policies.items(), key=lambda kv: (-kv[1], kv[0]))],
            "notices": notices,
        }
