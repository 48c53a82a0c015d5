"""What one policy does to flows, judged through the setup model of checker/rollout.py.

policy -> setup -> findings: `to_setup` says in setup terms what the policy requires and where,
`checker.rollout.evaluate_setup` decides what that breaks (the same rules as the setup form and
`--setup` files), and this module adds what only a real policy knows: whether it is on, whom it
reaches, the conditions under which it applies, and the change that would spare flows.

A policy that cannot reach a flow's connection at all (workload identities only, legacy clients
only, admin portals, user actions, authentication context ...) is `none` with the reason.
"""
from __future__ import annotations

import functools

from ..knowledge import apps, roles, wording
from ..rollout import evaluate_setup, read_setup
from .model import GUID, LEGACY_CLIENTS, Policy

# Grant controls in setup terms (checker/rollout.py REQUIREMENTS).
_GRANTS = {
    "block": "block",
    "mfa": "mfa",
    "compliantdevice": "compliant-device",
    "domainjoineddevice": "compliant-device",
    "approvedapplication": "approved-app",
    "compliantapplication": "approved-app",
}
_TARGETS = {"All": "all-cloud-apps", "Office365": "office-365"}
_PLATFORM_NAMES = {"android": "Android", "ios": "iOS", "windows": "Windows", "windowsphone": "Windows Phone",
                   "macos": "macOS", "linux": "Linux"}
_LOCATION_NAMES = {"all": "any location", "alltrusted": "the trusted locations",
                   "allcompliantnetworklocations": "compliant networks",
                   "00000000-0000-0000-0000-000000000000": "the MFA trusted IPs"}
_CLIENT_NAMES = {"mobileappsanddesktopclients": "mobile apps and desktop clients",
                 "exchangeactivesync": "Exchange ActiveSync", "other": "other (legacy) clients"}
# The built-in "Phishing-resistant MFA" authentication strength (the same ID in every tenant).
PHISHING_RESISTANT = "00000000-0000-0000-0000-000000000004"
_USER_ACTIONS = {"urn:user:registersecurityinfo": "registering security info",
                 "urn:user:registerdevice": "registering or joining a device"}


# ---------------------------------------------------------------------------------------------
# Who and what the policy reaches, in words.

def _user(value: str) -> str:
    word = value.lower()
    if word == "all":
        return "all users"
    if word == "none":
        return "no user"
    if word == "guestsorexternalusers":
        return "guests and external users"
    return f"user {value}" if GUID.fullmatch(value) else f'user "{value}"'


def _role(value: str) -> str:
    name = roles().get(value.lower())
    return f"role {name}" if name else (f"role {value}" if GUID.fullmatch(value) else f'role "{value}"')


def _group(value: str) -> str:
    return f"group {value}" if GUID.fullmatch(value) else f'group "{value}"'


def who(p: Policy, names: dict[str, str] | None = None) -> dict:
    """The users, groups and roles the policy includes and excludes, named (with the display
    names the file itself gives, when it gives any)."""
    names = names or {}

    def named(label: str, ident: str) -> str:
        name = names.get(ident.lower())
        return f"{label} ({name})" if name else label

    def side(users, groups, role_ids, guests):
        out = [named(_user(u), u) for u in users] + [named(_group(g), g) for g in groups] \
            + [_role(r) for r in role_ids]
        if guests:
            out.append(f"guests and external users ({guests.replace(',', ', ')})")
        return out

    return {"include": side(p.include_users, p.include_groups, p.include_roles, p.include_guests),
            "exclude": side(p.exclude_users, p.exclude_groups, p.exclude_roles, p.exclude_guests)}


def _app_entry(value: str) -> dict:
    table = apps()
    if value in table.keywords:
        return {"id": value, "name": value, "what": table.keywords[value]}
    app = table.by_id.get(value)
    if app:
        return {"id": app.id, "name": app.name, "what": app.what}
    known = "an application the checker does not know" if GUID.fullmatch(value) else "a name or placeholder, not an application ID"
    return {"id": value, "name": value, "what": known}


def reaches(p: Policy) -> dict:
    """The applications the policy targets and excludes, with what each means for flows."""
    return {"include": [_app_entry(a) for a in p.include_apps],
            "exclude": [_app_entry(a) for a in p.exclude_apps]}


def connectors(setup: dict) -> list[str]:
    """What flows use that the policy covers: the services with a name in the setup model, as
    data/apps.toml describes them (their connectors)."""
    parsed = read_setup(setup)[0]
    return [app.what for app in apps().by_id.values()
            if app.target and parsed.covers(app.target) == 1.0]


# ---------------------------------------------------------------------------------------------
# Whether the policy can reach a flow's connection at all.

def out_of_reach(p: Policy) -> str | None:
    """Why the policy cannot touch a connection signed in by a user, or None when it can."""
    people = p.include_users or p.include_groups or p.include_roles or p.include_guests
    only_none = [u.lower() for u in p.include_users] == ["none"]
    if not people or only_none and not (p.include_groups or p.include_roles or p.include_guests):
        if p.include_service_principals:
            return ("It applies to workload identities only (users: None, clientApplications: "
                    "service principals), so connections signed in by users are not touched.")
        return "It includes no user (includeUsers is None or empty), so it applies to no one."
    if not p.include_apps or p.include_apps == ["None"]:
        if p.app_filter:
            return None  # apps chosen by a filter: which ones is not knowable offline
        if p.user_actions:
            acts = ", ".join(_USER_ACTIONS.get(a, a) for a in p.user_actions)
            return (f"It targets only the user action{'s' if len(p.user_actions) > 1 else ''} {acts} "
                    "(includeUserActions), not the apps flows use.")
        if p.auth_contexts:
            return (f"It targets only the authentication context {', '.join(p.auth_contexts)} "
                    "(includeAuthenticationContextClassReferences), which applies only where an app "
                    "asks for it; connectors do not.")
        return "It targets no application (includeApplications is None or empty)."
    types = set(p.client_app_types)
    if types and "all" not in types and not types & {"browser", "modern", "unknownfuturevalue"}:
        if types <= LEGACY_CLIENTS:
            return ("It applies only to legacy authentication clients (clientAppTypes: "
                    f"{', '.join(p.client_app_types)}), which connectors never use.")
        if "mobileappsanddesktopclients" in types and not types - LEGACY_CLIENTS - {"mobileappsanddesktopclients", "unknownfuturevalue"}:
            return ("It applies only to mobile apps and desktop clients (clientAppTypes), while "
                    "connections are made in a browser and renewed by the connector service, which "
                    "sign-ins count as browser.")
    if p.transfer_methods:
        return (f"It applies only to sign-ins that use {', '.join(p.transfer_methods)} "
                "(authenticationFlows.transferMethods), which connections do not use.")
    return None


# ---------------------------------------------------------------------------------------------
# Policy -> setup.

def _location_names(ids: list[str]) -> str:
    return ", ".join(_LOCATION_NAMES.get(i.lower(), f"location {i}" if GUID.fullmatch(i) else f'"{i}"')
                     for i in ids)


def conditions(p: Policy) -> list[str]:
    """The conditions under which the policy applies, as "for sign-ins ..." phrases."""
    out = []
    if p.include_platforms and "all" not in p.include_platforms:
        out.append("for sign-ins from " + ", ".join(_PLATFORM_NAMES.get(x, x) for x in p.include_platforms))
    if p.exclude_platforms:
        out.append("except from " + ", ".join(_PLATFORM_NAMES.get(x, x) for x in p.exclude_platforms))
    inc = [x for x in p.include_locations if x.lower() != "all"]
    if inc:
        out.append(f"for sign-ins from {_location_names(inc)}")
    if p.exclude_locations:
        out.append(f"for sign-ins from outside {_location_names(p.exclude_locations)}")
    if p.device_filter:
        verb = "except from" if p.device_filter["mode"] == "exclude" else "from"
        out.append(f"{verb} devices matching the filter {p.device_filter['rule']}")
    if p.sign_in_risk:
        out.append(f"when the sign-in risk is {' or '.join(p.sign_in_risk)}")
    if p.user_risk:
        out.append(f"when the user risk is {' or '.join(p.user_risk)}")
    if p.insider_risk:
        out.append(f"when the insider risk is {' or '.join(p.insider_risk)}")
    if p.times:
        out.append("at the times the policy sets")
    if p.app_filter:
        out.append(f"for the applications matching the filter {p.app_filter['rule']}")
    if p.client_app_types and "all" not in p.client_app_types and "browser" not in p.client_app_types:
        out.append("for client apps of type " + ", ".join(_CLIENT_NAMES.get(c, c) for c in p.client_app_types))
    return out


def _block_is_location_rule(p: Policy) -> bool:
    """Block everywhere but some locations is what the setup model calls requiring a location."""
    return bool(p.exclude_locations) and all(x.lower() == "all" for x in p.include_locations or ["all"])


def to_setup(p: Policy) -> tuple[dict, dict[str, list[str]], list[str]]:
    """The setup that describes the policy, the policy settings behind each setup key, and what
    the policy sets that does not affect flows (said in the report, not evaluated)."""
    setup: dict = {}
    settings: dict[str, list[str]] = {}
    harmless: list[str] = []
    requirements: list[str] = []
    controls = []
    for c in p.controls:
        req = _GRANTS.get(c)
        if req == "block" and _block_is_location_rule(p):
            req = "location"
        if req:
            requirements.append(req)
            controls.append(c)
        elif c in ("passwordchange", "riskremediation"):  # both end in a reset that revokes sessions
            requirements.append("password-change")
            controls.append(c)
        else:
            harmless.append(f'The grant control "{c}" is not known; it was not evaluated.')
    if p.auth_strength:
        requirements.append("authentication-strength")
        controls.append(f"authenticationStrength {p.auth_strength['name'] or p.auth_strength['id']}")
    if p.terms_of_use:
        requirements.append("terms-of-use")
        controls.append("termsOfUse")
    for factor in p.custom_factors:
        harmless.append(f'The custom control "{factor}" cannot be judged offline; it was not evaluated.')
    if requirements:
        op = f" (operator {p.operator})" if len(controls) > 1 else ""
        settings["grant"] = [f"grantControls: {', '.join(controls)}{op}"]
    if p.terms_of_use:
        settings["terms-of-use"] = [f"grantControls.termsOfUse: {', '.join(p.terms_of_use)}"]
    sif = p.sign_in_frequency
    if sif:
        requirements.append("sign-in-frequency")
        if sif["every_time"]:
            setup["sign_in_frequency_every_time"] = True
            settings["sign-in-frequency"] = ["sessionControls.signInFrequency: every time"]
        else:
            if sif["hours"]:
                setup["sign_in_frequency_hours"] = min(sif["hours"], 8760.0)
            period = f"{sif['hours']:g} hours" if sif["hours"] else "a period"
            settings["sign-in-frequency"] = [f"sessionControls.signInFrequency: {period}"]
    if requirements:
        setup["requirements"] = list(dict.fromkeys(requirements))
    if p.persistent_browser:
        harmless.append(f"Persistent browser session ({p.persistent_browser}) only affects browser "
                        "cookies, not connections.")
    if p.app_enforced:
        harmless.append("App-enforced restrictions only limit Exchange and SharePoint browser sessions.")
    if p.cloud_app_security:
        harmless.append(f"Defender for Cloud Apps session control ({p.cloud_app_security}) routes browser "
                        "sessions, not connections.")
    if p.cae == "strictlocation":
        harmless.append("Continuous access evaluation with strict location enforcement checks the "
                        "IP address at the service on every call; connector calls from Microsoft's "
                        "data centers may then be refused (not documented for Power Automate).")
    if p.token_protection:
        harmless.append("Token protection (secureSignInSession) applies to desktop apps on Windows; "
                        "connections in the cloud are not bound to a device. Desktop flows on hosted "
                        "machines are not supported with it.")
        if not p.client_app_types or {"all", "browser"} & set(p.client_app_types):
            harmless.append("Microsoft advises token protection for mobile apps and desktop clients "
                            "only; with Browser selected it may also refuse tokens that cannot be bound "
                            "to a device, a connector's among them (not documented for Power Automate).")

    targets = [_TARGETS[a] for a in p.include_apps if a in _TARGETS]
    app_ids = [a for a in p.include_apps if GUID.fullmatch(a)]
    if "block" in p.controls and any(x.lower() == "all" for x in p.include_locations) and not p.exclude_locations:
        p.notices.append("It blocks from every location and excludes none. If the export dropped the "
                         "locations (sanitised files often do), export again with them: as written it "
                         "blocks everyone it targets.")
    if targets or app_ids or not p.app_filter:
        setup["targets"] = targets
        if app_ids:
            setup["target_apps"] = app_ids
    excluded = [a for a in p.exclude_apps if GUID.fullmatch(a)]
    if "Office365" in p.exclude_apps:  # the group, as far as the application table knows it
        excluded += [app.id for app in apps().by_id.values() if app.office365]
    if excluded:
        setup["excluded_apps"] = excluded
    settings["targets"] = [f"includeApplications: {', '.join(p.include_apps) or '(a filter)'}"
                           + (f"; excludeApplications: {', '.join(p.exclude_apps)}" if p.exclude_apps else "")]
    return setup, settings, harmless


# ---------------------------------------------------------------------------------------------
# The change that would spare flows. The sentences are [spare] in data/plans.toml; this code
# only chooses which apply.

# Each sentence's key and the placeholders it takes.
SPARE = {"excluded": ("accounts",), "nobody-excluded": (), "block": (), "location": (),
         "sign-in-frequency": (), "terms-of-use": (), "token-revoked": (), "meet-at-sign-in": (),
         "embedded-host": (), "phishing-resistant": ()}
_SPARED_BY_FINDING = ("sign-in-frequency", "terms-of-use", "token-revoked")  # in the report's order


@functools.cache
def spare_sentences() -> dict[str, str]:
    return wording("plans.toml", "spare", SPARE)


def _spare(p: Policy, setup: dict, found: set[str], people: dict) -> list[str]:
    said = spare_sentences()
    reqs = set(setup.get("requirements", ()))
    keys = ["excluded" if people["exclude"] else "nobody-excluded"]
    keys += [r for r in ("block", "location") if r in reqs]
    keys += [fid for fid in _SPARED_BY_FINDING if fid in found]
    grants = reqs & {"mfa", "authentication-strength", "compliant-device", "approved-app"}
    if grants and found & {"failed-runs", "create-connection", "auto-connection"}:
        keys.append("meet-at-sign-in")
    if "embedded-host" in found:
        keys.append("embedded-host")
    if p.auth_strength and ("phishing" in p.auth_strength["name"].lower()
                            or p.auth_strength["id"] == PHISHING_RESISTANT):
        keys.append("phishing-resistant")
    return [said[k].format(accounts=", ".join(people["exclude"][:5])) for k in keys]


# ---------------------------------------------------------------------------------------------

def assess(p: Policy, names: dict[str, str] | None = None) -> dict:
    """The report entry for one policy: effect, findings with why, who, apps, conditions, changes.
    `names`: display names for user and group IDs, when the exported file gives them."""
    people = who(p, names)
    reason = out_of_reach(p)
    setup, settings, harmless = to_setup(p)
    entry = {
        "name": p.name,
        "id": p.id,
        "state": p.state,
        "modified": p.modified,
        "effect": "none",
        "summary": "",
        "who": people,
        "applications": reaches(p),
        "conditions": conditions(p),
        "reaches": [],
        "findings": [],
        "other_settings": [],
        "spare": [],
        "setup": None,
        "notices": list(p.notices),
    }
    entry["other_settings"] = harmless
    if reason:
        entry["summary"] = "Does not affect flows. " + reason
        return entry
    entry["setup"] = setup
    entry["reaches"] = connectors(setup)
    result = evaluate_setup(setup)
    entry["notices"] += result["notices"]
    when = "now" if p.state == "enabled" else "if-enabled"
    cond = entry["conditions"]
    for f in result["findings"]:
        why = list(f["why"])
        if cond:
            why.append("This applies only " + "; ".join(cond) + ".")
        used = settings.get(f["id"]) or settings.get("grant", [])
        used = used + (settings["targets"] if "targets" in (e["text"] for e in f["evidence"]) else [])
        # The fixes are on the finding's page; a report of hundreds of policies need not repeat them.
        entry["findings"].append({
            "id": f["id"], "title": f["title"], "confidence": f["confidence"],
            "confidence_label": f["confidence_label"], "why": why, "settings": used, "when": when,
            "page": f["page"],
        })
    if not entry["findings"]:
        if setup.get("requirements"):
            names = ", ".join(a["name"] for a in entry["applications"]["include"])
            entry["summary"] = (f"Does not affect flows: what it targets ({names}) is not what flows' "
                                "connections call.")
        else:
            entry["summary"] = "Does not affect flows: " + (harmless[0] if harmless else
                                                            "it sets no control that connections must meet.")
        return entry
    entry["effect"] = "breaks" if p.state == "enabled" else "would-break"
    titles = "; ".join(f["title"] for f in entry["findings"][:3])
    if entry["effect"] == "breaks":
        entry["summary"] = f"Breaks flows: {titles}."
    else:
        state = {"disabled": "is off", "report-only": "is report-only", "template": "is a template"}.get(p.state, "is not on")
        entry["summary"] = f"Would break flows once turned on (it {state}): {titles}."
    entry["spare"] = _spare(p, setup, {f["id"] for f in entry["findings"]}, people)
    return entry
