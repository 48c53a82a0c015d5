"""Each shape's names for the same facts, turned into `SignIn` records.

A converter returns None for a sign-in that is not a flow sign-in, after looking only at its
application and resource (the cheap test that lets a 100,000-row file pass quickly); only flow
sign-ins are read in full.
"""
from __future__ import annotations

from .records import SignIn, as_dict, error_code, flag, lower_id, policies, text, utc_time

# Categories / table names that say a sign-in was not interactive.
NON_INTERACTIVE = {"noninteractiveusersigninlogs", "aadnoninteractiveusersigninlogs",
                   "serviceprincipalsigninlogs", "aadserviceprincipalsigninlogs",
                   "managedidentitysigninlogs", "aadmanagedidentitysigninlogs",
                   "microsoftserviceprincipalsigninlogs"}
INTERACTIVE = {"signinlogs"}


def _table_interactive(name) -> bool | None:
    name = text(name).lower()
    return False if name in NON_INTERACTIVE else True if name in INTERACTIVE else None


def record_kind(item) -> str | None:
    """camel (Graph, admin center JSON), diagnostic (category + properties), pascal (Log
    Analytics JSON, PowerShell), or None: not a sign-in record."""
    if not isinstance(item, dict):
        return None
    if "category" in item and isinstance(item.get("properties"), (dict, str)):
        return "diagnostic"
    if "appId" in item or "createdDateTime" in item or "appDisplayName" in item:
        return "camel"
    if "ResultType" in item or "AppId" in item or "AppDisplayName" in item:
        return "pascal"
    return None


def from_camel(p: dict, is_flow, interactive=None, fallback_code=None, fallback_time=None):
    app_id, app_name = lower_id(p.get("appId")), text(p.get("appDisplayName"))
    res_id, res_name = lower_id(p.get("resourceId")), text(p.get("resourceDisplayName"))
    if not is_flow(app_id, app_name, res_id, res_name):
        return None
    status = as_dict(p.get("status"))
    code = error_code(status.get("errorCode"))
    if code is None:
        code = error_code(fallback_code)
    pol = p.get("appliedConditionalAccessPolicies", p.get("appliedConditionalAccessPolicy"))
    if interactive is None:
        interactive = flag(p.get("isInteractive"))
    if interactive is None and isinstance(p.get("signInEventTypes"), list):
        interactive = "interactiveUser" in p["signInEventTypes"]
    user = text(p.get("userPrincipalName")) or text(p.get("userDisplayName")) or text(p.get("userId")) \
        or text(p.get("servicePrincipalName"))
    return SignIn(utc_time(p.get("createdDateTime") or fallback_time), user, app_id, app_name, res_id,
                  res_name, code, policies(pol), interactive)


def from_diagnostic(item: dict, is_flow):
    return from_camel(as_dict(item.get("properties")), is_flow, _table_interactive(item.get("category")),
                      item.get("resultType"), item.get("time"))


def _get(item: dict, *names):
    for name in names:
        value = item.get(name)
        if value not in (None, ""):
            return value
    return None


def from_pascal(item: dict, is_flow):
    app_id, app_name = lower_id(item.get("AppId")), text(item.get("AppDisplayName"))
    res_id = lower_id(_get(item, "ResourceIdentity", "ResourceId"))
    res_name = text(item.get("ResourceDisplayName"))
    if not is_flow(app_id, app_name, res_id, res_name):
        return None
    code = error_code(item.get("ResultType"))
    if code is None:
        status = as_dict(item.get("Status"))
        code = error_code(status.get("ErrorCode", status.get("errorCode")))
    interactive = flag(item.get("IsInteractive"))
    if interactive is None:
        interactive = _table_interactive(_get(item, "Type", "Category"))
    user = text(_get(item, "UserPrincipalName", "UserDisplayName", "UserId", "ServicePrincipalName"))
    pol = _get(item, "ConditionalAccessPolicies", "ConditionalAccessPolicies_dynamic",
               "ConditionalAccessPolicies_string", "AppliedConditionalAccessPolicies")
    time = _get(item, "TimeGenerated", "TimeGenerated [UTC]", "CreatedDateTime", "CreatedDateTime [UTC]")
    return SignIn(utc_time(time), user, app_id, app_name, res_id, res_name, code, policies(pol), interactive)


def convert_item(item, is_flow):
    """A record of any JSON shape; raises ValueError when it is not a sign-in."""
    kind = record_kind(item)
    if kind == "camel":
        return from_camel(item, is_flow)
    if kind == "diagnostic":
        return from_diagnostic(item, is_flow)
    if kind == "pascal":
        return from_pascal(item, is_flow)
    raise ValueError("holds a JSON record that is not a sign-in (no appId, ResultType or category)")


# -- CSV ----------------------------------------------------------------------------------

def column_name(raw: str) -> str:
    """Header names as written by people and exporters: trailing/double spaces, case, the
    ' [UTC]' Log Analytics adds to dates, the _dynamic/_string pairs of custom tables."""
    name = " ".join(raw.split()).lower()
    for suffix in (" [utc]", "_dynamic", "_string"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


# field -> header names, most specific first (normalised by column_name)
CSV_FIELDS = {
    "time": ("date (utc)", "timegenerated", "createddatetime", "date"),
    "user": ("username", "userprincipalname", "user", "userdisplayname", "user id", "userid",
             "service principal name", "serviceprincipalname"),
    "app_id": ("application id", "appid"),
    "app_name": ("appdisplayname", "application"),
    "resource_id": ("resource id", "resourceidentity"),
    "resource_name": ("resourcedisplayname", "resource"),  # Log Analytics' "Resource" is Microsoft.aadiam
    "code": ("sign-in error code", "resulttype"),
    "status": ("status",),
    "policies": ("conditionalaccesspolicies", "appliedconditionalaccesspolicies"),
    "interactive": ("isinteractive",),
    "table": ("type", "category"),
}


def csv_kind(header: list[str]) -> str | None:
    names = {column_name(h) for h in header}
    if "sign-in error code" in names and ("date (utc)" in names or "request id" in names):
        return "admin-center-csv"
    if "resulttype" in names and ({"appid", "appdisplayname"} & names):
        return "log-analytics-csv"
    return None


class CsvShape:
    """Column positions for one file's header (by name, never by position: columns come and go)."""

    def __init__(self, header: list[str], interactive_hint=None) -> None:
        where: dict[str, list[int]] = {}
        for i, raw in enumerate(header):
            where.setdefault(column_name(raw), []).append(i)  # a duplicated name keeps both
        self.cols = {field: [i for n in names for i in where.get(n, ())] for field, names in CSV_FIELDS.items()}
        self.width = len(header)
        self.interactive_hint = interactive_hint
        c = self.cols
        self._app_id, self._app_name = c["app_id"][:1], c["app_name"][:1]
        self._res_id, self._res_name = c["resource_id"][:1], c["resource_name"][:1]

    def _cell(self, row: list[str], field: str) -> str:
        for i in self.cols[field]:
            if i < len(row) and row[i].strip():
                return row[i].strip()
        return ""

    def convert(self, row: list[str], is_flow):
        n = len(row)
        app_id = row[self._app_id[0]].strip().lower() if self._app_id and self._app_id[0] < n else ""
        app_name = row[self._app_name[0]].strip() if self._app_name and self._app_name[0] < n else ""
        res_id = row[self._res_id[0]].strip().lower() if self._res_id and self._res_id[0] < n else ""
        res_name = row[self._res_name[0]].strip() if self._res_name and self._res_name[0] < n else ""
        if not is_flow(app_id, app_name, res_id, res_name):
            return None
        code = error_code(self._cell(row, "code"))
        if code is None:
            status = as_dict(self._cell(row, "status"))
            code = error_code(status.get("errorCode", status.get("ErrorCode")))
        interactive = flag(self._cell(row, "interactive"))
        if interactive is None:
            interactive = _table_interactive(self._cell(row, "table"))
        if interactive is None:
            interactive = self.interactive_hint
        pol = policies(self._cell(row, "policies")) if self.cols["policies"] else None
        return SignIn(utc_time(self._cell(row, "time")), self._cell(row, "user"), app_id, app_name,
                      res_id, res_name, code, pol, interactive)
