"""What breaks, or will break, for Power Automate under a described conditional access setup.

An admin asks "what breaks if we enable this policy?": `evaluate_setup(setup)` answers with the
findings that apply (`when`: "now") or will apply once the policy is on (`when`: "on-rollout"),
each with the exact settings that cause it. Output has the shape of `checker.diagnose`; titles,
summaries and fixes come from the knowledge base, never from this module.

The setup is a JSON object; every key is optional (see SCHEMA and EXAMPLE):

    requirements                 list of "mfa", "location", "compliant-device", "approved-app",
                                 "terms-of-use", "sign-in-frequency": what the policy requires
    terms_of_use_per_device      bool: Terms of Use must be accepted on every device
    sign_in_frequency_hours      number of hours, above 0 and at most 8760: the sign-in frequency period
    targets                      list of "all-cloud-apps", "office-365", "power-automate",
                                 "exchange-online", "sharepoint", "microsoft-graph"
    enabled_after_connections    bool: true when the policy was turned on after connections existed
    remember_mfa                 bool: "remember MFA on trusted devices" is on
    remember_mfa_days            integer 1..365: its period
    flows_started_from           list of "portal", "sharepoint", "teams", "power-apps", "excel"
    shared_with_sharepoint_lists bool: flows are shared with SharePoint lists or libraries
    sharepoint_builtin_flows     bool: sites use Request sign-off or Page approval
    service_accounts_excluded    bool: accounts that own connections are outside the policy

Bad input is reported in "notices", never raised: unknown keys and values are named and ignored.
A missing key means "not known": findings that depend on it are kept at a lower confidence,
and their "why" says what it depends on. Standard library only (runs in Pyodide).
"""
from __future__ import annotations

import math

from .knowledge import confidence_label, load

GRANTS = ("mfa", "location", "compliant-device", "approved-app", "authentication-strength", "block")
# What is a property of the sign-in itself, carried by a host app's token (see _embedded_host).
MFA_LIKE = ("mfa", "authentication-strength")
REQUIREMENTS = (*GRANTS, "terms-of-use", "sign-in-frequency", "password-change")
TARGETS = ("all-cloud-apps", "office-365", "power-automate", "exchange-online", "sharepoint", "microsoft-graph",
           "dataverse")
HOSTS = ("sharepoint", "teams", "power-apps", "excel")
STARTS = ("portal", *HOSTS)

REQUIREMENT_LABELS = {
    "mfa": "Multifactor authentication (MFA)",
    "location": "Network location",
    "compliant-device": "Compliant device",
    "approved-app": "Approved client app or app protection policy (iOS and Android only)",
    "authentication-strength": "Authentication strength",
    "block": "Block access",
    "terms-of-use": "Terms of Use",
    "sign-in-frequency": "Sign-in frequency",
    "password-change": "Require password change",
    "remember-mfa": "Remember MFA on trusted devices",
}
# How a requirement reads in "The policy requires ...".
_REQUIRES = {
    "mfa": "MFA",
    "location": "a trusted network location",
    "compliant-device": "a compliant device",
    "approved-app": "an approved client app or an app protection policy",
    "authentication-strength": "an authentication strength (a set of allowed sign-in methods)",
    "block": "nothing it can meet: it blocks access",
    "terms-of-use": "accepting Terms of Use",
    "sign-in-frequency": "a periodic sign-in (sign-in frequency)",
    "password-change": "a password change",
}
TARGET_LABELS = {
    "all-cloud-apps": "All resources (formerly all cloud apps)",
    "office-365": "the Office 365 app group",
    "power-automate": "Power Automate",
    "exchange-online": "Exchange Online",
    "sharepoint": "SharePoint",
    "microsoft-graph": "Microsoft Graph",
    "dataverse": "Dataverse",
}
START_LABELS = {"portal": "the Power Automate site", "sharepoint": "SharePoint", "teams": "Teams",
                "power-apps": "Power Apps", "excel": "Excel"}

# What each target puts under the policy. The Office 365 group and all cloud apps cover Power
# Automate and the host apps alike, which is why targeting them avoids the embedded-host problem.
_SERVICES = ("exchange-online", "sharepoint", "microsoft-graph", "dataverse")  # what connections call
_COVERS = {
    "all-cloud-apps": {*_SERVICES, "power-automate", *(f"host:{h}" for h in HOSTS)},
    "office-365": {"exchange-online", "sharepoint", "power-automate", *(f"host:{h}" for h in HOSTS)},
    "power-automate": {"power-automate"},
    "exchange-online": {"exchange-online"},
    "sharepoint": {"sharepoint", "host:sharepoint"},
    "microsoft-graph": {"microsoft-graph"},
    "dataverse": {"dataverse"},
}

_LISTS = {"requirements": REQUIREMENTS, "targets": TARGETS, "flows_started_from": STARTS}
_BOOLS = ("terms_of_use_per_device", "enabled_after_connections", "remember_mfa",
          "shared_with_sharepoint_lists", "sharepoint_builtin_flows", "service_accounts_excluded",
          "sign_in_frequency_every_time")
_APP_LISTS = ("target_apps", "excluded_apps")  # application IDs, as a policy lists them
_NUMBERS = ("sign_in_frequency_hours", "remember_mfa_days")
MAX_FREQUENCY_HOURS = 365 * 24  # the longest period conditional access offers

SCHEMA = (
    {"key": "requirements", "type": "list", "values": REQUIREMENTS,
     "meaning": "What the policy requires."},
    {"key": "terms_of_use_per_device", "type": "bool", "values": (),
     "meaning": "Terms of Use must be accepted on every device."},
    {"key": "sign_in_frequency_hours", "type": "number", "values": (),
     "meaning": "The sign-in frequency period, in hours (above 0, at most 8760 = 365 days)."},
    {"key": "targets", "type": "list", "values": TARGETS,
     "meaning": "The resources (cloud apps) the policy targets."},
    {"key": "enabled_after_connections", "type": "bool", "values": (),
     "meaning": "The policy was turned on after flows' connections already existed."},
    {"key": "remember_mfa", "type": "bool", "values": (),
     "meaning": "Remember MFA on trusted devices is turned on."},
    {"key": "remember_mfa_days", "type": "integer", "values": (),
     "meaning": "The remember MFA period, 1 to 365 days."},
    {"key": "flows_started_from", "type": "list", "values": STARTS,
     "meaning": "Where people start or build flows."},
    {"key": "shared_with_sharepoint_lists", "type": "bool", "values": (),
     "meaning": "Flows are shared with SharePoint lists or libraries."},
    {"key": "sharepoint_builtin_flows", "type": "bool", "values": (),
     "meaning": "SharePoint sites use the built-in Request sign-off or Page approval flows."},
    {"key": "service_accounts_excluded", "type": "bool", "values": (),
     "meaning": "Accounts that own connections are excluded from the policy."},
    {"key": "sign_in_frequency_every_time", "type": "bool", "values": (),
     "meaning": "The sign-in frequency is 'every time' (a new sign-in at each token request)."},
    {"key": "target_apps", "type": "list", "values": (),
     "meaning": "Application IDs (appId) the policy targets, beside or instead of `targets`."},
    {"key": "excluded_apps", "type": "list", "values": (),
     "meaning": "Application IDs (appId) the policy excludes from what it targets."},
)

EXAMPLE = {
    "requirements": ["mfa", "location"],
    "targets": ["sharepoint", "exchange-online", "microsoft-graph"],
    "enabled_after_connections": False,
    "flows_started_from": ["portal", "teams", "power-apps"],
    "shared_with_sharepoint_lists": True,
    "sharepoint_builtin_flows": True,
    "remember_mfa": True,
    "remember_mfa_days": 14,
}

# Confidence factors. A known fact keeps 1.0; an unknown key (not in the setup) lowers it.
_UNKNOWN = 0.6


def schema() -> list[dict]:
    """The setup keys, their types, allowed values and meaning (for the guide and --help)."""
    return [dict(entry, values=list(entry["values"])) for entry in SCHEMA]


class Setup:
    """A validated setup. None means the key was not given (unknown), never "no".
    (A plain class, not a dataclass: nothing to generate at import time.)"""

    requirements: tuple[str, ...] | None = None
    targets: tuple[str, ...] | None = None
    flows_started_from: tuple[str, ...] | None = None
    terms_of_use_per_device: bool | None = None
    enabled_after_connections: bool | None = None
    remember_mfa: bool | None = None
    shared_with_sharepoint_lists: bool | None = None
    sharepoint_builtin_flows: bool | None = None
    service_accounts_excluded: bool | None = None
    sign_in_frequency_hours: float | None = None
    sign_in_frequency_every_time: bool | None = None
    remember_mfa_days: int | None = None
    target_apps: tuple[str, ...] | None = None
    excluded_apps: tuple[str, ...] | None = None

    def requires(self, *names: str) -> list[str]:
        return [r for r in (self.requirements or ()) if r in names]

    def covers(self, *services: str) -> float:
        """1.0 when a target puts any of `services` under the policy, 0.0 when none does,
        _UNKNOWN when the setup does not say what the policy targets."""
        if self.targets is None and self.target_apps is None:
            return _UNKNOWN
        covered = set().union(*(_COVERS[t] for t in self.targets or ()))
        covered |= _app_targets(self.target_apps)
        covered -= _app_targets(self.excluded_apps)
        return 1.0 if covered.intersection(services) else 0.0

    @property
    def policy_on(self) -> bool:
        return self.enabled_after_connections is True


def _app_targets(app_ids) -> set[str]:
    """What the applications with these IDs put under a policy, from data/apps.toml `target`."""
    if not app_ids:
        return set()
    from .knowledge import apps

    table = apps().by_id
    out: set[str] = set()
    for app_id in app_ids:
        app = table.get(app_id)
        if app and app.target:
            out |= _COVERS[app.target]
    return out


# ---------------------------------------------------------------------------------------------
# Reading the setup: every problem becomes a notice.

def _token(value: str) -> str:
    return value.strip().lower().replace("_", "-").replace(" ", "-")


def _read_list(key: str, value, notices: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):  # a lone value is read as a one-item list
        value = [value]
    if not isinstance(value, (list, tuple)):
        notices.append(f'"{key}" must be a list of {_choices(_LISTS[key])}; it was ignored.')
        return None
    out: list[str] = []
    unknown: list[str] = []
    for item in value:
        name = _token(item) if isinstance(item, str) else None
        if name in _LISTS[key]:
            if name not in out:
                out.append(name)
        else:
            unknown.append(_show(item))
    unknown = list(dict.fromkeys(unknown))
    if unknown:
        notices.append(f'"{key}" has unknown value{"s" if len(unknown) > 1 else ""} {_some(unknown)}, '
                       f"ignored; known values: {_choices(_LISTS[key])}.")
    return tuple(out)


def _read_bool(key: str, value, notices: list[str]) -> bool | None:
    if isinstance(value, bool):
        return value
    notices.append(f'"{key}" must be true or false, not {_show(value)}; it was ignored.')
    return None


def _read_number(key: str, value, notices: list[str]):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 1e300 \
        and math.isfinite(value)
    if key == "remember_mfa_days":
        if ok and value == int(value) and 1 <= value <= 365:
            return int(value)
        notices.append(f'"remember_mfa_days" must be a whole number from 1 to 365, not {_show(value)}; it was ignored.')
        return None
    if ok and 0 < value <= MAX_FREQUENCY_HOURS:
        return float(value)
    notices.append(f'"{key}" must be a number of hours above 0 and at most {MAX_FREQUENCY_HOURS} '
                   f"(365 days), not {_show(value)}; it was ignored.")
    return None


def _read_apps(key: str, value, notices: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        notices.append(f'"{key}" must be a list of application IDs; it was ignored.')
        return None
    return tuple(dict.fromkeys(v.strip().lower() for v in value))


def read_setup(raw) -> tuple[Setup, list[str]]:
    """Validate a setup dict into a Setup, and the notices about what was ignored."""
    notices: list[str] = []
    setup = Setup()
    if not isinstance(raw, dict):
        notices.append(f"The setup must be a JSON object of settings, not {_kind(raw)}; nothing was evaluated.")
        return setup, notices
    unknown = []
    for key, value in raw.items():
        if key in _LISTS:
            setattr(setup, key, _read_list(key, value, notices))
        elif key in _BOOLS:
            setattr(setup, key, _read_bool(key, value, notices))
        elif key in _NUMBERS:
            setattr(setup, key, _read_number(key, value, notices))
        elif key in _APP_LISTS:
            setattr(setup, key, _read_apps(key, value, notices))
        else:
            unknown.append(_show(key))
    if unknown:
        notices.append(f"Unknown setting{'s' if len(unknown) > 1 else ''} {_some(unknown)} ignored; "
                       f"known settings: {', '.join(e['key'] for e in SCHEMA)}.")
    if setup.remember_mfa_days is not None and setup.remember_mfa is None:
        setup.remember_mfa = True
        notices.append('"remember_mfa_days" is given without "remember_mfa"; read as remember MFA turned on.')
    if setup.sign_in_frequency_hours is not None and "sign-in-frequency" not in (setup.requirements or ()):
        notices.append('"sign_in_frequency_hours" is given but "requirements" does not list '
                       '"sign-in-frequency"; the period was not used.')
    if setup.terms_of_use_per_device and "terms-of-use" not in (setup.requirements or ()):
        notices.append('"terms_of_use_per_device" is true but "requirements" does not list '
                       '"terms-of-use"; it was not used.')
    return setup, notices


def _show(value) -> str:
    """A short, safe rendering of a value from the input, for a notice."""
    if isinstance(value, (list, tuple, dict)):  # repr of a huge or deeply nested value is costly
        return f"(a {type(value).__name__})"
    try:
        text = repr(value[:40] if isinstance(value, str) else value)
    except ValueError:  # an integer too long to print
        return "(a very large number)"
    return text if len(text) <= 40 else text[:37] + "..."


def _some(shown: list[str], most: int = 5) -> str:
    return ", ".join(shown[:most]) + (f" and {len(shown) - most} more" if len(shown) > most else "")


def _kind(value) -> str:
    names = {list: "a list", str: "a text", type(None): "null", bool: "true or false", int: "a number",
             float: "a number"}
    return names.get(type(value), f"a {type(value).__name__} value")


def _choices(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# ---------------------------------------------------------------------------------------------
# The rules: one function per finding. Each returns None, or (confidence, why, settings).

Hit = tuple[float, list[str], list[str]]


def _app_names(app_ids) -> list[str]:
    from .knowledge import apps

    table = apps().by_id
    return [table[a].name if a in table else f"the app {a}" for a in app_ids or ()]


def _targets_text(setup: Setup) -> str:
    """What the policy targets, in words: its targets, its applications, less its exclusions."""
    if setup.targets is None and setup.target_apps is None:
        return "the services it targets (the setup does not say which)"
    names = [TARGET_LABELS[t] for t in setup.targets or ()] + _app_names(setup.target_apps)
    where = _join(names) if names else "no listed service"
    if setup.excluded_apps:
        where += f" except {_join(_app_names(setup.excluded_apps))}"
    return where


def _policy(setup: Setup, grants: list[str]) -> str:
    where = _targets_text(setup)
    if "block" in grants:  # nothing to meet: say so plainly
        return f"The policy blocks access to {where}."
    return f"The policy requires {_join([_REQUIRES[g] for g in grants])} for {where}."


def _portal_factor(setup: Setup) -> tuple[float, str]:
    """Makers hit create/auto-connection and picker problems only when their Power Automate
    sign-in can skip the policy, that is when Power Automate itself is not under it."""
    portal = setup.covers("power-automate")
    if setup.requires("block"):
        return 0.85 * (portal or 1.0), "No sign-in can meet a block, wherever the maker signs in."
    if portal == 1.0:
        return 0.35, ("Power Automate is under the same policy, so a maker's portal sign-in "
                      "normally meets it; it bites only with a sign-in made before the policy applied.")
    if portal == 0.0:
        return 0.85, ("Power Automate itself is not targeted, so makers can sign in to it without "
                      "meeting the policy.")
    return _UNKNOWN, "This applies when makers can sign in to Power Automate without meeting the policy."


def _failed_runs(s: Setup) -> Hit | None:
    grants = s.requires(*GRANTS)
    reach = s.covers(*_SERVICES)
    if not grants or not reach:
        return None
    why = [_policy(s, grants) + " Connections call services it covers, and keep the sign-in they were made with."]
    if grants == ["block"]:  # nothing to meet: no connection it covers survives
        why.append("No sign-in meets a block: every connection it covers fails on its next run and "
                   "cannot be signed in again while the block applies.")
        return reach, why, ["requirements", "targets"]
    if s.enabled_after_connections is True:
        base = 1.0
        why.append("It was turned on after the connections existed: those whose sign-in lacked what "
                   "it asks for (no MFA, an unmanaged device) fail until each is signed in again under "
                   "its conditions; connections made with MFA or on a compliant device usually keep working.")
    elif s.enabled_after_connections is False:
        base = 0.5
        why.append("It was on before the connections were made, so only connections older than the "
                   "policy, or made by someone who did not meet it, will fail.")
    else:
        base = 0.9
        why.append("Connections that exist when it is turned on fail on their next runs if their "
                   "sign-in lacked what it asks for (no MFA, an unmanaged device), until they are signed "
                   "in again; report-only mode shows which ones beforehand.")
    return base * reach, why, ["requirements", "targets", "enabled_after_connections"]


def _maker_connections(s: Setup) -> Hit | None:
    grants = s.requires(*GRANTS)
    reach = s.covers(*_SERVICES)
    if not grants or not reach:
        return None
    factor, portal_why = _portal_factor(s)
    why = [_policy(s, grants), portal_why,
           "A maker whose sign-in does not meet it is refused the token when a connection is made."]
    return factor * reach, why, ["requirements", "targets"]


def _people_picker(s: Setup) -> Hit | None:
    grants = s.requires(*GRANTS)
    reach = s.covers("exchange-online", "sharepoint")
    if not grants or not reach:
        return None
    factor, portal_why = _portal_factor(s)
    why = [_policy(s, grants) + " The people and email pickers look up groups in Exchange Online "
           "and SharePoint.", portal_why]
    return factor * reach, why, ["requirements", "targets"]


def _embedded_host(s: Setup) -> Hit | None:
    # A host app passes on how the user signed in to it; only MFA is a property of that sign-in
    # (network and device are checked afresh on every request).
    if not s.requires(*MFA_LIKE):
        return None
    reach = s.covers("power-automate", "microsoft-graph")
    if not reach:
        return None
    why = [_policy(s, s.requires(*MFA_LIKE)) + " Flows used inside another app get their tokens from the sign-in "
           "to that app."]
    if s.flows_started_from is None:
        hosts, started = [h for h in HOSTS if s.covers(f"host:{h}") != 1.0], _UNKNOWN
        if not hosts:
            return None
        why.append(f"The setup does not say where flows are started; this applies if people use "
                   f"them from {_join([START_LABELS[h] for h in hosts])}.")
    else:
        hosts = [h for h in s.flows_started_from if h in HOSTS and s.covers(f"host:{h}") != 1.0]
        started = 1.0
        if not hosts:
            return None
        why.append(f"Flows are started from {_join([START_LABELS[h] for h in hosts])}, which "
                   "the policy does not cover, so a sign-in there without MFA cannot get the token.")
    return 0.95 * reach * started, why, ["requirements", "targets", "flows_started_from"]


def _sharepoint_sharing(s: Setup) -> Hit | None:
    # Any grant (access decision) is affected; a session control alone decides no access.
    if not s.requires(*GRANTS, "terms-of-use") or s.shared_with_sharepoint_lists is False:
        return None
    reach = s.covers("sharepoint")
    if not reach:
        return None
    why = ["The policy covers SharePoint, and Power Automate does not pass conditional access "
           "information to SharePoint."]
    if s.shared_with_sharepoint_lists:
        shared = 1.0
        why.append("Flows are shared with SharePoint lists or libraries: their tiles show the list's "
                   "ID, and people may not find or run them from SharePoint.")
    else:
        shared = 0.5
        why.append("This applies to flows shared with a SharePoint list or library (the setup does not say).")
    return 0.9 * reach * shared, why, ["requirements", "targets", "shared_with_sharepoint_lists"]


def _sharepoint_oob(s: Setup) -> Hit | None:
    limits = s.requires("location", "compliant-device")
    if not limits or s.sharepoint_builtin_flows is False:
        return None
    reach = s.covers("sharepoint")
    if not reach:
        return None
    why = [_policy(s, limits) + " SharePoint's network and device limits also stop the apps that "
           "cannot prove them, Power Automate among them."]
    if s.sharepoint_builtin_flows:
        used = 1.0
        why.append("Sites use the built-in Request sign-off or Page approval flows, which can then "
                   "not be created or run.")
    else:
        used = 0.5
        why.append("This applies to sites that use Request sign-off or Page approval (the setup does not say).")
    return 0.95 * reach * used, why, ["requirements", "targets", "sharepoint_builtin_flows"]


def _accounts(s: Setup, kept: float) -> tuple[float, str | None]:
    if s.service_accounts_excluded is False:
        return 1.0, ("Service accounts are not excluded, so flows running under them break too, "
                     "with nobody there to sign in.")
    if s.service_accounts_excluded:
        return kept, "Service accounts are excluded, so only connections owned by people are affected."
    return 1.0, None


def _session_reach(s: Setup, why: list[str]) -> float:
    """Terms of Use and sign-in frequency usually apply to all cloud apps, so an unknown scope
    lowers confidence less than for grants."""
    if s.targets is not None or s.target_apps is not None:
        return 1.0
    why.append("The setup does not say what the policy targets; this assumes it covers Power "
               "Automate or the services connections call.")
    return 0.8


def _terms_of_use(s: Setup) -> Hit | None:
    if not s.requires("terms-of-use"):
        return None
    reach = s.covers(*_SERVICES, "power-automate")
    if not reach:
        return None
    why = ["The policy requires accepting Terms of Use, which a connection renewing itself in the "
           "background cannot do."]
    if s.terms_of_use_per_device:
        base = 1.0
        why.append("Acceptance is required on every device, which flows running in the cloud can never give.")
    else:
        base = 0.8
        why.append("Existing connections break when the requirement is added and again when acceptance expires.")
    factor, accounts = _accounts(s, 0.85)
    if accounts:
        why.append(accounts)
    return base * factor * _session_reach(s, why), why, \
        ["requirements", "terms_of_use_per_device", "service_accounts_excluded"]


def _period(hours: float) -> str:
    if hours == 1:
        return "every hour"
    if hours % 24 == 0:
        days = int(hours // 24)
        return f"every {hours:g} hours" if days == 1 else f"every {days} days"
    return f"every {hours:g} hours"


def _sign_in_frequency(s: Setup) -> Hit | None:
    if not s.requires("sign-in-frequency"):
        return None
    reach = s.covers(*_SERVICES, "power-automate")
    if not reach:
        return None
    hours = s.sign_in_frequency_hours
    when = "each time a token is requested ('every time')" if s.sign_in_frequency_every_time else \
        _period(hours) if hours else "at the period the policy sets"
    why = [f"The policy's sign-in frequency forces a new sign-in {when}; connections covered by it "
           "cannot sign in by themselves, so they fail at that interval."]
    factor, accounts = _accounts(s, 0.8)
    if accounts:
        why.append(accounts)
    if s.remember_mfa:
        why.append("Remember MFA is also on; the two settings do not work together.")
    return factor * _session_reach(s, why), why, \
        ["requirements", "sign_in_frequency_hours", "service_accounts_excluded"]


def _remember_mfa(s: Setup) -> Hit | None:
    if not s.remember_mfa:
        return None
    days = s.remember_mfa_days
    every = f"a fresh sign-in every {days} day{'s' if days != 1 else ''}" if days else \
        "a fresh sign-in at the end of the remembered period (often 14 days)"
    return 1.0, [f"Remember MFA on trusted devices is on; it shortens token lifetimes, so connections "
                 f"need {every}."], ["remember_mfa", "remember_mfa_days"]


def _password_change(s: Setup) -> Hit | None:
    # Not conditional access failing a connection: the change it forces revokes them.
    reach = s.covers(*_SERVICES, "power-automate")
    if not s.requires("password-change") or not reach:
        return None
    return 0.9 * reach, ["The policy makes users change their password (usually when their risk is high); "
                 "the change cancels the sign-in every connection of that user holds, so each "
                 "connection must be signed in again."], ["requirements"]


# Finding id -> rule. Order breaks ties in ranking (most common first, as in the knowledge base).
RULES = {
    "failed-runs": _failed_runs,
    "create-connection": _maker_connections,
    "auto-connection": _maker_connections,
    "people-picker": _people_picker,
    "embedded-host": _embedded_host,
    "sharepoint-sharing": _sharepoint_sharing,
    "sharepoint-oob-flows": _sharepoint_oob,
    "remember-mfa": _remember_mfa,
    "terms-of-use": _terms_of_use,
    "sign-in-frequency": _sign_in_frequency,
    "token-revoked": _password_change,
}


def _finding(fid: str, hit: Hit, when: str, given: dict) -> dict:
    confidence, why, settings = hit
    f = load().findings[fid]
    confidence = round(min(1.0, max(0.0, confidence)), 3)
    return {
        "id": f.id,
        "title": f.title,
        "summary": f.summary,
        "confidence": confidence,
        "confidence_label": confidence_label(confidence),
        "why": why,
        "evidence": [{"kind": "setting", "text": k} for k in settings if k in given],
        "fix": list(f.fix_user),
        "fix_admin": list(f.fix_admin),
        "page": f.page,
        "when": when,
    }


def _looked_for(s: Setup) -> str:
    parts = []
    if s.requirements:
        parts.append(f"a policy requiring {_join([_REQUIRES[r] for r in s.requirements])}"
                     + (f" on {_targets_text(s)}" if s.targets or s.target_apps else ""))
    if s.remember_mfa:
        parts.append("remember MFA on trusted devices")
    if not parts:
        return ("Evaluated the setup, which names no policy requirement and no remember MFA "
                "setting, so nothing in it is known to break flows.")
    return "Evaluated " + _join(parts) + " against what is known to break Power Automate."


def evaluate_setup(setup: dict) -> dict:
    """Findings that apply (or will, once the policy is on) to `setup`, ranked by certainty."""
    parsed, notices = read_setup(setup)
    given = setup if isinstance(setup, dict) else {}
    findings = []
    for fid, rule in RULES.items():
        hit = rule(parsed)
        if hit and hit[0] > 0:
            when = "now" if fid == "remember-mfa" or parsed.policy_on else "on-rollout"
            findings.append(_finding(fid, hit, when, given))
    order = list(RULES)
    findings.sort(key=lambda f: (-f["confidence"], f["when"] != "now", order.index(f["id"])))
    return {"findings": findings, "codes": [], "question": None, "notices": notices,
            "looked_for": _looked_for(parsed)}


# A setup per requirement that exposes every finding the requirement can cause: the policy
# targets the services connections use but not Power Automate or the host apps, and everything
# else that could matter is switched on.
_WIDEST = {
    "targets": ["sharepoint", "exchange-online", "microsoft-graph"],
    "flows_started_from": list(STARTS),
    "shared_with_sharepoint_lists": True,
    "sharepoint_builtin_flows": True,
}


def checklist() -> list[dict]:
    """For the guide's "Before you turn on a policy" page: per requirement, what it can break.
    Derived by evaluating a representative setup per requirement, so the page and
    evaluate_setup cannot disagree."""
    entries = []
    for req in (*REQUIREMENTS, "remember-mfa"):
        if req == "remember-mfa":
            setup = {"remember_mfa": True, "remember_mfa_days": 14}
        else:
            setup = dict(_WIDEST, requirements=[req])
            if req == "terms-of-use":
                setup.update(terms_of_use_per_device=True, service_accounts_excluded=False)
            if req == "sign-in-frequency":
                setup.update(sign_in_frequency_hours=24)
        result = evaluate_setup(setup)
        entries.append({
            "requirement": req,
            "label": REQUIREMENT_LABELS[req],
            "setup": setup,
            "findings": [{"id": f["id"], "why": f["why"]} for f in result["findings"]],
        })
    return entries
