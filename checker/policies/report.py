"""All the policies together: the report the command line prints and the browser shows.

`check_bytes([(name, bytes)])` is what the command line runs; `check([{name, text|base64}])`
is what the browser calls: files arrive as base64 so both decode the same bytes the same way.
"""
from __future__ import annotations

import base64
import binascii

from .assess import assess
from .model import normalise
from .read import TRUNCATED, Unreadable, decode, read_policies, truncated, truncated_message

EFFECTS = ("breaks", "would-break", "none")


def _read_file(name: str, text: str) -> tuple[list[dict], list[str]]:
    """The assessed policies of one file and its notices; Unreadable when it holds none."""
    notices: list[str] = []
    names: dict[str, str] = {}
    raws = read_policies(text, notices, names)
    # a type name anywhere in the text is rare: only then look for where it stands
    cut = [truncated(r) for r in raws] if TRUNCATED.search(text) else [None] * len(raws)
    if all(cut):
        raise Unreadable(truncated_message(cut[0]))
    policies = []
    for raw, cut_at in zip(raws, cut):
        if cut_at:
            notices.append(f"A policy was skipped: {truncated_message(cut_at)}")
            continue
        entry = assess(normalise(raw), names)
        entry["file"] = name
        policies.append(entry)
    return policies, notices


def check_bytes(files: list[tuple[str, bytes | str]]) -> dict:
    """The report for files given as (name, bytes); text in place of bytes says why the file
    could not be opened."""
    return _report([(name, lambda data=data: decode(data) if isinstance(data, bytes) else _fail(data))
                    for name, data in files])


def _fail(message: str):
    raise Unreadable(message)


def check(files) -> dict:
    """The report for [{"name", "text"}] or [{"name", "base64"}] (the browser's call)."""
    items = []
    for i, f in enumerate(files if isinstance(files, list) else []):
        f = f if isinstance(f, dict) else {}
        name = str(f.get("name") or f"input {i + 1}")[:200]
        if isinstance(f.get("base64"), str):
            items.append((name, lambda b=f["base64"]: decode(_unbase64(b))))
        else:
            items.append((name, lambda t=f.get("text"): t if isinstance(t, str) else ""))
    return _report(items)


def _unbase64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        raise Unreadable("The file could not be read.") from None


def _report(items) -> dict:
    policies, notices, files = [], [], []
    for name, read_text in items:
        try:
            found, file_notices = _read_file(name, read_text())
        except Unreadable as exc:
            files.append({"name": name, "policies": 0, "error": str(exc)})
            notices.append(f"{name}: {exc}")
            continue
        files.append({"name": name, "policies": len(found), "error": None})
        notices += [f"{name}: {n}" for n in file_notices]
        policies += found
    if not items:
        notices.append("No file or text was given.")
    return {
        "policies": policies,
        "matrix": matrix(policies),
        "excluded_everywhere": excluded_everywhere(policies),
        "counts": {e: sum(p["effect"] == e for p in policies) for e in EFFECTS},
        "files": files,
        "notices": notices,
    }


def matrix(policies: list[dict]) -> dict:
    """Policies by findings: the columns are the findings any policy causes, in first-seen order."""
    columns: dict[str, str] = {}
    for p in policies:
        for f in p["findings"]:
            columns.setdefault(f["id"], f["title"])
    return {
        "findings": [{"id": k, "title": v} for k, v in columns.items()],
        "rows": [{"name": p["name"], "file": p["file"], "effect": p["effect"],
                  "findings": [f["id"] for f in p["findings"]]} for p in policies],
    }


def excluded_everywhere(policies: list[dict]) -> list[str]:
    """Users, groups and roles excluded from every policy that breaks or would break flows:
    flows they own survive all of them (often how service accounts are kept running)."""
    breaking = [p for p in policies if p["effect"] != "none"]
    if not breaking:
        return []
    common = set(breaking[0]["who"]["exclude"])
    for p in breaking[1:]:
        common &= set(p["who"]["exclude"])
    return [x for x in breaking[0]["who"]["exclude"] if x in common]


def exit_status(report: dict) -> int:
    """0 a policy breaks or would break flows, 1 none does, 2 an input could not be read."""
    if any(f["error"] for f in report["files"]) or not report["files"]:
        return 2
    return 0 if report["counts"]["breaks"] or report["counts"]["would-break"] else 1
