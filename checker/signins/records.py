"""One small sign-in record from any shape, and the times and policies inside it.

Only what the analysis needs is kept: a 100,000-row file must not become 100,000 dicts.
"""
from __future__ import annotations

import json
import re
from collections import namedtuple
from datetime import datetime, timezone

# time: "YYYY-MM-DDTHH:MM:SSZ" (UTC) or "" when the shape has no time;
# code: the sign-in error code (0 success), None when the shape has none;
# policies: ((name, result), ...), None when the shape or the reader's role hides them;
# interactive: True / False, None when the shape does not say.
SignIn = namedtuple("SignIn", "time user app_id app_name resource_id resource_name code policies interactive")

_US_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}),? +(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})? *([AaPp][Mm])?")
_ISO_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def utc_time(text) -> str:
    """ISO 8601 with any offset, or Log Analytics' "4/28/2021, 2:08:45.221 PM" (UTC), as UTC."""
    if not isinstance(text, str) or not text.strip():
        return ""
    text = text.strip()
    if len(text) == 20 and text[10] == "T" and text[19] == "Z" and text[:4].isdigit():
        return text  # already "YYYY-MM-DDTHH:MM:SSZ", the admin center's form
    m = _US_TIME.fullmatch(text)
    if m:
        month, day, year, hour, minute, second, half = m.groups()
        hour = int(hour) % 12 + (12 if half and half.lower() == "pm" else 0) if half else int(hour)
        try:
            t = datetime(int(year), int(month), int(day), hour, int(minute), int(second or 0))
        except ValueError:
            return ""
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    iso = _ISO_FRACTION.sub(r"\1", text, count=1)
    try:
        t = datetime.fromisoformat(iso.replace(" ", "T", 1))
    except ValueError:
        return ""
    if t.tzinfo is not None:
        t = t.astimezone(timezone.utc).replace(tzinfo=None)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def error_code(value):
    """0 / 53003 from an int, "53003", "53003.0"; None when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        if value.isdigit():
            return int(value)
        if value.endswith(".0") and value[:-2].isdigit():
            return int(value[:-2])
    return None


def policies(value):
    """((name, result), ...) from a policy list, or from its JSON text (Log Analytics)."""
    if isinstance(value, str):
        value = value.strip()
        if not value or not value.startswith("["):
            return None
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, list):
        return None
    out = []
    for p in value:
        if isinstance(p, dict):
            name = p.get("displayName", p.get("DisplayName")) or p.get("id", p.get("Id")) or ""
            result = p.get("result", p.get("Result"))
            out.append((str(name), result if isinstance(result, str) else ""))
    return tuple(out)


def flag(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def as_dict(value) -> dict:
    """A nested object, or its JSON text (non-interactive table, CSV cells)."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}


def text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def lower_id(value) -> str:
    return value.strip().lower() if isinstance(value, str) else ""
