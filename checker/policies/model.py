"""One policy model for every export shape: `normalise(raw)` turns a key-lowered policy dict
(from read.py) into a `Policy`, naming in notices whatever it did not understand.

Rules from ../shared/reference/policies.md: a condition counts only when it has a non-empty
include list or a filter with a rule (PowerShell writes unset objects with all-null members);
enum values are compared case-insensitively; flags enums are comma-separated strings;
`unknownFutureValue` and unknown values are named, never fatal.
"""
from __future__ import annotations

import re

from .read import dotnet_date

GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

STATES = {"enabled": "enabled", "disabled": "disabled",
          "enabledforreportingbutnotenforced": "report-only", "reportonly": "report-only"}
CLIENT_APP_TYPES = {"all", "browser", "mobileappsanddesktopclients", "exchangeactivesync",
                    "eassupported", "easunsupported", "other", "modern"}
LEGACY_CLIENTS = {"exchangeactivesync", "eassupported", "easunsupported", "other"}
GRANT_CONTROLS = {"block", "mfa", "compliantdevice", "domainjoineddevice", "approvedapplication",
                  "compliantapplication", "passwordchange", "riskremediation"}
PLATFORMS = {"android", "ios", "windows", "windowsphone", "macos", "linux", "all"}
RISK_LEVELS = {"low", "medium", "high", "hidden", "none"}
UNKNOWN_FUTURE = "unknownfuturevalue"
LOCATION_WORDS = {"all", "alltrusted", "allcompliantnetworklocations"}


class Policy:
    """A normalised policy. Lists are lists of strings (IDs keep their case; enum values are
    lower-cased); a condition that is not configured is an empty list or None."""

    def __init__(self):
        self.name = "(unnamed policy)"
        self.id = None
        self.state = "unknown"
        self.modified: str | None = None  # last change (or creation), ISO 8601 as exported
        self.include_users: list[str] = []
        self.exclude_users: list[str] = []
        self.include_groups: list[str] = []
        self.exclude_groups: list[str] = []
        self.include_roles: list[str] = []
        self.exclude_roles: list[str] = []
        self.include_guests: str | None = None  # guest types, when set as an object
        self.exclude_guests: str | None = None
        self.include_service_principals: list[str] = []
        self.include_apps: list[str] = []
        self.exclude_apps: list[str] = []
        self.user_actions: list[str] = []
        self.auth_contexts: list[str] = []
        self.app_filter: dict | None = None
        self.client_app_types: list[str] = []
        self.include_platforms: list[str] = []
        self.exclude_platforms: list[str] = []
        self.include_locations: list[str] = []
        self.exclude_locations: list[str] = []
        self.device_filter: dict | None = None
        self.sign_in_risk: list[str] = []
        self.user_risk: list[str] = []
        self.insider_risk: list[str] = []
        self.transfer_methods: list[str] = []
        self.times = False
        self.operator = "AND"
        self.controls: list[str] = []
        self.terms_of_use: list[str] = []
        self.custom_factors: list[str] = []
        self.auth_strength: dict | None = None
        self.sign_in_frequency: dict | None = None  # {"hours": float|None, "every_time": bool}
        self.persistent_browser: str | None = None
        self.app_enforced = False
        self.cloud_app_security: str | None = None
        self.token_protection = False
        self.cae: str | None = None
        self.notices: list[str] = []


def _obj(d, key) -> dict:
    value = d.get(key) if isinstance(d, dict) else None
    return value if isinstance(value, dict) else {}


def _strings(d, key) -> list[str]:
    """A list of strings; a flags string "a,b" is split; None, [], other types and odd members
    give nothing."""
    value = d.get(key) if isinstance(d, dict) else None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if isinstance(item, dict):  # {Id, DisplayName} pairs some tools write
            item = item.get("id") or item.get("displayname")
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            out.append(str(item).strip())
    return list(dict.fromkeys(out))


def _enums(values: list[str], known: set[str], what: str, notices: list[str]) -> list[str]:
    out, odd = [], []
    for v in values:
        low = v.lower().replace(" ", "")
        if low in known:
            out.append(low)
        else:
            odd.append(v)
            out.append(UNKNOWN_FUTURE if low == UNKNOWN_FUTURE else low)
    for v in odd:
        if v.lower() == UNKNOWN_FUTURE:
            notices.append(f'{what} holds "unknownFutureValue": the exporter did not ask for newer '
                           "values, so one setting is not known (export with the Graph header "
                           "Prefer: include-unknown-enum-members).")
        else:
            notices.append(f'{what} holds the unknown value "{v[:60]}"; it was read as an unknown setting.')
    return out


def _enabled(d: dict) -> bool:
    """A session control is on when isEnabled is true, or (request bodies) when it is absent but
    the control carries settings."""
    flag = d.get("isenabled")
    if flag is None:
        return any(v not in (None, "", [], {}) for k, v in d.items() if k not in ("isenabled", "additionalproperties"))
    return flag is True or (isinstance(flag, str) and flag.lower() == "true")


def _filter(d: dict) -> dict | None:
    rule = d.get("rule") if isinstance(d, dict) else None
    if isinstance(rule, str) and rule.strip():
        mode = d.get("mode")
        return {"mode": mode.lower() if isinstance(mode, str) else "include", "rule": rule.strip()[:500]}
    return None


def normalise(raw: dict) -> Policy:
    """A Policy from a raw (key-lowered) policy or Graph template."""
    p = Policy()
    n = p.notices
    body = raw.get("details") if isinstance(raw.get("details"), dict) else raw
    name = raw.get("displayname") or raw.get("name")
    if isinstance(name, str) and name.strip():
        p.name = name.strip()[:200]
    if isinstance(raw.get("id"), str):
        p.id = raw["id"][:100]
    p.modified = dotnet_date(raw.get("modifieddatetime") or raw.get("createddatetime"))
    state = raw.get("state")
    if body is not raw:
        p.state = "template"
    elif isinstance(state, str) and state.lower() in STATES:
        p.state = STATES[state.lower()]
    else:
        n.append(f'The state {str(state)[:40]!r} is not one of enabled, disabled or '
                 "enabledForReportingButNotEnforced; the policy is judged as if it were turned on later.")

    cond = _obj(body, "conditions")
    users = _obj(cond, "users")
    for key in ("include_users", "exclude_users", "include_groups", "exclude_groups", "include_roles", "exclude_roles"):
        setattr(p, key, _strings(users, key.replace("_", "")))
    for key, attr in (("includeguestsorexternalusers", "include_guests"), ("excludeguestsorexternalusers", "exclude_guests")):
        guests = _obj(users, key)
        kinds = guests.get("guestorexternalusertypes")
        if isinstance(kinds, str) and kinds.strip() and kinds.lower() != "none":
            setattr(p, attr, kinds)
    p.include_service_principals = _strings(_obj(cond, "clientapplications"), "includeserviceprincipals")
    if _filter(_obj(_obj(cond, "clientapplications"), "serviceprincipalfilter")):
        p.include_service_principals = p.include_service_principals or ["(a filter)"]

    apps = _obj(cond, "applications")
    p.include_apps = [_app(a) for a in _strings(apps, "includeapplications")]
    p.exclude_apps = [_app(a) for a in _strings(apps, "excludeapplications")]
    p.user_actions = [a.lower() for a in _strings(apps, "includeuseractions")]
    p.auth_contexts = _strings(apps, "includeauthenticationcontextclassreferences")
    p.app_filter = _filter(_obj(apps, "applicationfilter"))

    p.client_app_types = _enums(_strings(cond, "clientapptypes"), CLIENT_APP_TYPES, "clientAppTypes", n)
    platforms = _obj(cond, "platforms")
    p.include_platforms = _enums(_strings(platforms, "includeplatforms"), PLATFORMS, "includePlatforms", n)
    p.exclude_platforms = _enums(_strings(platforms, "excludeplatforms"), PLATFORMS, "excludePlatforms", n)
    locations = _obj(cond, "locations")
    p.include_locations = _strings(locations, "includelocations")
    p.exclude_locations = _strings(locations, "excludelocations")
    devices = _obj(cond, "devices")
    p.device_filter = _filter(_obj(devices, "devicefilter"))
    p.sign_in_risk = _enums(_strings(cond, "signinrisklevels"), RISK_LEVELS, "signInRiskLevels", n)
    p.user_risk = _enums(_strings(cond, "userrisklevels"), RISK_LEVELS, "userRiskLevels", n)
    p.insider_risk = [v.lower() for v in _strings(cond, "insiderrisklevels")]
    p.transfer_methods = [v.lower() for v in _strings(_obj(cond, "authenticationflows"), "transfermethods")
                          if v.lower() != "none"]
    p.times = bool(_obj(cond, "times"))

    grant = _obj(body, "grantcontrols")
    operator = grant.get("operator")
    if isinstance(operator, str) and operator.upper() in ("AND", "OR"):
        p.operator = operator.upper()
    p.controls = _enums(_strings(grant, "builtincontrols"), GRANT_CONTROLS, "builtInControls", n)
    p.terms_of_use = _strings(grant, "termsofuse")
    p.custom_factors = _strings(grant, "customauthenticationfactors")
    strength = grant.get("authenticationstrength")
    if isinstance(strength, dict) and (strength.get("id") or strength.get("displayname")):
        p.auth_strength = {"id": str(strength.get("id") or ""), "name": str(strength.get("displayname") or ""),
                           "satisfies": str(strength.get("requirementssatisfied") or "")}
    elif isinstance(strength, str) and strength.strip():
        p.auth_strength = {"id": strength.strip(), "name": "", "satisfies": ""}

    _session(p, _obj(body, "sessioncontrols"))
    _name_unknowns(p)
    return p


def _session(p: Policy, session: dict) -> None:
    sif = _obj(session, "signinfrequency")
    if sif and _enabled(sif):
        interval = str(sif.get("frequencyinterval") or "timeBased").lower()
        hours = None
        value, unit = sif.get("value"), str(sif.get("type") or "").lower()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e6:
            hours = float(value) * (24 if unit == "days" else 1)
        if interval == "everytime":
            p.sign_in_frequency = {"hours": None, "every_time": True}
        else:
            if interval != "timebased":
                p.notices.append(f'signInFrequency.frequencyInterval "{interval}" is not known; read as time-based.')
            p.sign_in_frequency = {"hours": hours, "every_time": False}
    browser = _obj(session, "persistentbrowser")
    if browser and _enabled(browser):
        p.persistent_browser = str(browser.get("mode") or "set").lower()
    p.app_enforced = _enabled(_obj(session, "applicationenforcedrestrictions")) if _obj(session, "applicationenforcedrestrictions") else False
    cas = _obj(session, "cloudappsecurity")
    if cas and _enabled(cas):
        p.cloud_app_security = str(cas.get("cloudappsecuritytype") or "mcasConfigured")
    token = _obj(session, "securesigninsession")
    p.token_protection = bool(token) and _enabled(token)
    cae = _obj(session, "continuousaccessevaluation")
    if isinstance(cae.get("mode"), str):
        p.cae = cae["mode"].lower()


_USER_WORDS = {"all", "none", "guestsorexternalusers"}
APP_KEYWORDS = {"all": "All", "none": "None", "office365": "Office365",
                "microsoftadminportals": "MicrosoftAdminPortals", "allagentidresources": "AllAgentIdResources"}


def _app(value: str) -> str:
    """An application entry as an ID or a keyword: IDs lower-cased; keywords and the display
    names some tools write ("Office 365", "Office 365 Exchange Online") mapped to them."""
    word = value.lower().replace(" ", "")
    if word in APP_KEYWORDS:
        return APP_KEYWORDS[word]
    if GUID.fullmatch(value):
        return value.lower()
    from ..knowledge import apps

    for app in apps().by_id.values():
        if app.name.lower() == value.lower():
            return app.id
    return value


def _name_unknowns(p: Policy) -> None:
    """Placeholders and display names where an ID belongs are named once: they cannot be matched."""
    odd = []
    for values, words in ((p.include_users + p.exclude_users, _USER_WORDS),
                          (p.include_groups + p.exclude_groups + p.include_roles + p.exclude_roles, set()),
                          (p.include_apps + p.exclude_apps, {k.lower() for k in APP_KEYWORDS})):
        odd += [v for v in values if not GUID.fullmatch(v) and v.lower() not in words]
    odd += [v for v in p.include_locations + p.exclude_locations
            if not GUID.fullmatch(v) and v.lower() not in LOCATION_WORDS]
    if odd:
        shown = ", ".join(f'"{v[:50]}"' for v in list(dict.fromkeys(odd))[:5])
        more = f" and {len(set(odd)) - 5} more" if len(set(odd)) > 5 else ""
        p.notices.append(f"Some entries are names or placeholders, not IDs ({shown}{more}); they are "
                         "shown as written and cannot be matched to Microsoft's applications.")
