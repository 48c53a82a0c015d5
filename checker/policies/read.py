"""Reading exported conditional access policies: bytes or text in, raw policy dicts out.

Accepts what admins export (../shared/reference/policies.md, section 6): a Graph policy object,
an array of them, a Graph list response (one page or several pasted together), PowerShell
`ConvertTo-Json` output (PascalCase keys, `/Date(...)/` dates), and the tool wrappers seen in
real files (a row holding the policy as a JSON string, a `PolicyConfig` wrapper, a report with the
policies somewhere inside). Keys are lower-cased here so later steps need not care about case.

What cannot be read raises `Unreadable` with a message that says what to export instead.
"""
from __future__ import annotations

import json
import re

MAX_CHARS = 20_000_000  # far beyond any tenant's export; a cap keeps the worst case bounded
_DEPTH_LIMIT = 64  # policies sit a few levels deep; deeper nesting is not an export

EXPORT_HINT = ("Export the policies as JSON: Graph Explorer GET "
               "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies, or PowerShell "
               "Get-MgIdentityConditionalAccessPolicy -All | ConvertTo-Json -Depth 10.")


class Unreadable(ValueError):
    """An input that holds no policy the checker can read; the message says what to do."""


def decode(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark) or UTF-16 with one."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        return data.decode("utf-16-le", errors="replace")  # Out-File without its mark
    return data.decode("utf-8", errors="replace")


# Infrastructure-as-code files describe policies too, but not as the checker reads them.
_NOT_JSON = (
    (re.compile(r'resource\s+"azuread_conditional_access_policy"'),
     "This is a Terraform file (azuread_conditional_access_policy), not an exported policy."),
    (re.compile(r"\bAADConditionalAccessPolicy\s+[\x27\x22\w]"),
     "This is a Microsoft365DSC configuration (AADConditionalAccessPolicy), not an exported policy."),
)

# ConvertTo-Json without enough -Depth writes nested objects as their .NET type name.
TRUNCATED = re.compile(r"(?:Microsoft\.Graph\.PowerShell\.Models|Microsoft\.Open\.MSGraph\.Model"
                       r"|System\.Collections)\.[\w.`\[\]]{1,200}")
_DOTNET_DATE = re.compile(r"/Date\((-?\d{1,16})[^)]{0,10}\)/")


def parse(text: str) -> object:
    """The JSON value in `text`, or Unreadable naming what the text is instead."""
    if len(text) > MAX_CHARS:
        raise Unreadable(f"The input is larger than {MAX_CHARS:,} characters; export fewer policies per file.")
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise Unreadable("The input is empty. " + EXPORT_HINT)
    if text[0] not in "[{":
        for pattern, what in _NOT_JSON:
            if pattern.search(text):
                raise Unreadable(f"{what} {EXPORT_HINT}")
    try:
        return loads(text)
    except ValueError as exc:
        if isinstance(exc, Unreadable):
            raise
        pages = _pages(text)
        if pages is not None:
            return pages
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        what = "This is not valid JSON"
        for pattern, label in _NOT_JSON:
            if pattern.search(text):
                what = label.rstrip(".")
        raise Unreadable(f"{what}{where}: {getattr(exc, 'msg', exc)}. {EXPORT_HINT}") from None


_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKETS = {c: None for c in range(128) if chr(c) not in '[]{}"'}


def _too_deep(text: str, limit: int = _DEPTH_LIMIT) -> bool:
    """True when brackets outside strings nest deeper than `limit`. Checked before parsing:
    a parser's own limit depends on the stack (a browser worker overflows its stack long before
    CPython raises RecursionError), so both platforms must stop at the same, small depth."""
    if text.count("[") + text.count("{") <= limit:
        return False
    # Escaped backslashes, then escaped quotes, go first; then strings; then all but brackets.
    bare = _STRING.sub("", text.replace("\\\\", "").replace('\\"', "")).translate(_NOT_BRACKETS)
    depth = 0
    for ch in bare:
        if ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def loads(text: str):
    """json.loads, refusing nesting deeper than any export (same answer in CPython and Pyodide)."""
    if _too_deep(text):
        raise Unreadable("The JSON is nested too deeply to be an exported policy. " + EXPORT_HINT)
    try:
        return json.loads(text)
    except RecursionError:
        raise Unreadable("The JSON is nested too deeply to be an exported policy. " + EXPORT_HINT) from None


def _pages(text: str) -> list | None:
    """Several list responses pasted one after another (each page of `@odata.nextLink`)."""
    decoder = json.JSONDecoder()
    values, at = [], 0
    try:
        while at < len(text):
            value, at = decoder.raw_decode(text, at)
            values.append(value)
            while at < len(text) and text[at] in " \t\r\n,":
                at += 1
    except (ValueError, RecursionError):
        return None
    return values if len(values) > 1 else None


def lower_keys(value, depth: int = 0):
    """A copy with every object key lower-cased (Graph is camelCase, PowerShell PascalCase);
    `_Operator` (AzureAD module) loses its underscore. Type-name strings stay as they are."""
    if depth > _DEPTH_LIMIT:
        raise Unreadable("The JSON is nested too deeply to be an exported policy. " + EXPORT_HINT)
    if isinstance(value, dict):
        return {k.lstrip("_").lower(): lower_keys(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v, depth + 1) for v in value]
    return value


def _is_policy(obj: dict) -> bool:
    """A policy (or a Graph template, whose policy sits under `details`) has conditions and
    something that names or rules it."""
    body = obj.get("details") if isinstance(obj.get("details"), dict) else obj
    has_conditions = "conditions" in body
    return has_conditions and any(k in obj for k in ("displayname", "name", "state", "grantcontrols",
                                                     "sessioncontrols", "details"))


def find_policies(value, notices: list[str], depth: int = 0) -> list[dict]:
    """Every policy in a parsed (key-lowered) JSON value, whatever wraps it, in order."""
    if depth > _DEPTH_LIMIT:
        return []
    if isinstance(value, list):
        return [p for item in value for p in find_policies(item, notices, depth + 1)]
    if not isinstance(value, dict):
        return []
    if _is_policy(value):
        return [value]
    if "@odata.nextlink" in value:
        notices.append("The list response has more pages (@odata.nextLink): only the policies on "
                       "this page were read. Export every page (Get-MgIdentityConditionalAccessPolicy "
                       "-All, or follow @odata.nextLink in Graph Explorer) and add them.")
    found = []
    for key, inner in value.items():
        if isinstance(inner, str) and key == "json" and inner.lstrip()[:1] in ("{", "["):
            try:  # a tool's row holding the policy as a JSON string (CIPP templates)
                inner = lower_keys(loads(inner))
            except ValueError:
                continue
        found += find_policies(inner, notices, depth + 1)
    return found


def _fragment(value) -> str | None:
    """When a JSON object holds only part of a policy, say which part."""
    if isinstance(value, dict) and len(value) <= 3:
        parts = [k for k in value if k in ("conditions", "sessioncontrols", "grantcontrols")]
        if parts:
            return ", ".join(parts)
    return None


def truncated(policy: dict, depth: int = 0) -> str | None:
    """The first .NET type name standing where an object belongs, if the export was cut short."""
    if depth > _DEPTH_LIMIT:
        return None
    for value in policy.values() if isinstance(policy, dict) else policy:
        if isinstance(value, str) and TRUNCATED.fullmatch(value.strip()):
            return value.strip()
        if isinstance(value, (dict, list)):
            found = truncated(value, depth + 1)
            if found:
                return found
    return None


def names_in(value, names: dict[str, str], depth: int = 0) -> None:
    """Display names a wrapper gives for IDs ({"Id": ..., "DisplayName": ...} pairs, as in the
    AssignmentDetails some backup tools write), collected into `names` by lower-cased ID."""
    if depth > _DEPTH_LIMIT:
        return
    if isinstance(value, list):
        for item in value:
            names_in(item, names, depth + 1)
    elif isinstance(value, dict) and not _is_policy(value):
        ident, name = value.get("id"), value.get("displayname")
        if isinstance(ident, str) and isinstance(name, str) and name.strip() and len(value) <= 4:
            names[ident.lower()] = name.strip()[:100]
        for inner in value.values():
            if isinstance(inner, (dict, list)):
                names_in(inner, names, depth + 1)


def read_policies(text: str, notices: list[str], names: dict[str, str] | None = None) -> list[dict]:
    """The raw (key-lowered) policies in `text`; Unreadable when there are none. `names`, when
    given, receives the display names the file gives for IDs."""
    value = lower_keys(parse(text))
    policies = find_policies(value, notices)
    if names is not None:
        names_in(value, names)
    pages = value if isinstance(value, list) and all(isinstance(v, dict) and "value" in v for v in value) else []
    if len(pages) > 1 and "@odata.nextlink" not in pages[-1]:  # every page is here
        notices[:] = [n for n in notices if "@odata.nextLink" not in n]
    if not policies:
        part = _fragment(value)
        if part:
            raise Unreadable(f"This holds only part of a policy ({part}), not a whole policy. {EXPORT_HINT}")
        if TRUNCATED.search(text):
            raise Unreadable(truncated_message(TRUNCATED.search(text).group(0)))
        raise Unreadable("This JSON holds no conditional access policy (no object with \"conditions\" "
                         "and a name or state). " + EXPORT_HINT)
    return policies


def truncated_message(type_name: str) -> str:
    return (f"ConvertTo-Json cut this export short: objects arrive as type names ({type_name[:80]}), "
            "so the policy's settings are lost. Export again with enough depth: "
            "Get-MgIdentityConditionalAccessPolicy -All | ConvertTo-Json -Depth 10")


def dotnet_date(value) -> str | None:
    """`/Date(1668112094045)/` (Windows PowerShell) as an ISO date; other text unchanged (cut)."""
    if not isinstance(value, str):
        return None
    value = value[:40]
    m = _DOTNET_DATE.fullmatch(value.strip())
    if not m:
        return value
    import datetime

    try:
        when = datetime.datetime.fromtimestamp(int(m.group(1)) / 1000, tz=datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return value
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
