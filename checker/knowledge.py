"""The knowledge base: findings and sign-in error codes, read from `data/*.toml`.

Everything else (the engine, the command line, the guide's pages) reads facts through this
module, so a fact is written once. Loading is lazy and cached: importing `checker` stays cheap.
"""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

# Relative to the site root; the CLI prefixes SITE_URL, the browser resolves it against the site.
PAGE_PREFIX = "problems/"
SITE_URL = "https://flow-access-guide.github.io/"


@dataclass(frozen=True)
class Signal:
    groups: tuple[tuple[str, ...], ...]  # every group must match; any alternative within a group
    weight: float


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    summary: str
    sees: tuple[str, ...]
    messages: tuple[str, ...]
    cause: str
    fix_user: tuple[str, ...]
    fix_admin: tuple[str, ...]
    prevent: tuple[str, ...]
    related: tuple[str, ...]
    ca: bool
    signals: tuple[Signal, ...]
    examples: tuple[str, ...]
    codes: tuple[int, ...] = field(default=())  # derived from codes.toml via conditions

    @property
    def page(self) -> str:
        return f"{PAGE_PREFIX}{self.id}/"


@dataclass(frozen=True)
class Code:
    code: int
    meaning: str
    condition: str
    example: str


@dataclass(frozen=True)
class Message:
    alternatives: tuple[str, ...]  # any of these phrases
    condition: str
    findings: tuple[str, ...]  # findings it points to directly, beside its condition's


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    finding: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Knowledge:
    findings: dict[str, Finding]
    codes: dict[int, Code]
    conditions: dict[str, Condition]
    question: Question
    vocabulary: dict[str, tuple[str, ...]]
    messages: tuple[Message, ...]

    def findings_for_code(self, code: int) -> tuple[str, ...]:
        known = self.codes.get(code)
        return self.conditions[known.condition].findings if known else ()


def _read(name: str) -> dict:
    return tomllib.loads(resources.files("checker").joinpath("data", name).read_text("utf-8"))


def _alternatives(group: str, vocabulary: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for alt in group.split("|"):
        alt = alt.strip()
        if alt.startswith("@"):
            out.extend(vocabulary[alt[1:]])  # KeyError names the unknown word list
        elif alt:
            out.append(alt)
    return tuple(out)


@functools.cache
def load() -> Knowledge:
    raw_findings = _read("findings.toml")
    raw_codes = _read("codes.toml")
    vocabulary: dict[str, tuple[str, ...]] = {}
    for name, text in raw_findings["vocabulary"].items():
        vocabulary[name] = _alternatives(text, vocabulary)
    conditions = {
        cid: Condition(cid, c["label"], tuple(c["findings"]))
        for cid, c in raw_codes["conditions"].items()
    }
    codes = {
        int(k): Code(int(k), c["meaning"], c["condition"], c["example"])
        for k, c in raw_codes["codes"].items()
    }
    findings: dict[str, Finding] = {}
    for fid, f in raw_findings["findings"].items():
        signals = tuple(
            Signal(tuple(_alternatives(g, vocabulary) for g in s["when"]), float(s["weight"]))
            for s in f.get("signals", ())
        )
        findings[fid] = Finding(
            id=fid,
            title=f["title"],
            summary=f["summary"],
            sees=tuple(f["sees"]),
            messages=tuple(f.get("messages", ())),
            cause=f["cause"],
            fix_user=tuple(f["fix_user"]),
            fix_admin=tuple(f.get("fix_admin", ())),
            prevent=tuple(f.get("prevent", ())),
            related=tuple(f.get("related", ())),
            ca=bool(f.get("ca", True)),
            signals=signals,
            examples=tuple(f.get("examples", ())),
            codes=tuple(c for c, code in codes.items() if fid in conditions[code.condition].findings),
        )
    q = raw_findings["question"]
    question = Question(q["id"], q["text"], tuple(Option(o["id"], o["label"], o["finding"]) for o in q["options"]))
    messages = tuple(
        Message(_alternatives(m["text"], vocabulary), m["condition"], tuple(m.get("findings", ())))
        for m in raw_codes.get("messages", ())
    )
    return Knowledge(findings, codes, conditions, question, vocabulary, messages)
