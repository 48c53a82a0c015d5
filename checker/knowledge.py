"""The knowledge base: findings and sign-in error codes, read from `data/*.toml`.

Everything else (the engine, the command line, the guide's pages) reads facts through this
module, so a fact is written once. Loading is lazy and cached, and the records are namedtuples
(dataclasses and importlib.resources would double the import time of the whole package).
"""
from __future__ import annotations

import functools
import os
from collections import namedtuple

# Relative to the site root; the CLI prefixes SITE_URL, the browser resolves it against the site.
PAGE_PREFIX = "problems/"
SITE_URL = "https://flow-access-guide.github.io/"


def confidence_label(confidence: float) -> str:
    """Confidence in words, the same for diagnoses and setups: the one definition of the bands.
    A diagnosis's confidence comes from its lead over the runner-up (engine.CONFIDENCE_SCALE);
    `make bench` prints how often each band was right on the independent sets (aims: high right
    at least 90% of the time, medium 60%)."""
    return "high" if confidence >= 0.7 else "medium" if confidence >= 0.45 else "low"


class KnowledgeError(ValueError):
    """A data file says something the code cannot use; the message names the file and the entry."""


# every group must match; any alternative within a group
Signal = namedtuple("Signal", "groups weight")
# A facet value a text can meet (kind: cause, situation or timing): met when every group of one
# of its alternatives matches; `evidence`: meeting it alone shows a CA, MFA or token-lifetime cause;
# `hides`: the facets it stands for when both are met (keys like ("situation", "template"));
# `reach`: how many sentences in a row its groups may spread over (1: one sentence).
Facet = namedtuple("Facet", "kind id alternatives evidence hides reach", defaults=((), 1))


class Finding(
    namedtuple(
        "Finding",
        "id title summary sees messages cause fix_user fix_admin prevent_steps related ca signals examples codes "
        "sources facets",
    )
):
    """One finding; `codes` are derived from codes.toml (the codes whose condition points here);
    `sources` are keys of data/sources.toml (the pages its text rests on); `prevent_steps` are
    Steps, some shared with other findings."""

    __slots__ = ()

    @property
    def page(self) -> str:
        return f"{PAGE_PREFIX}{self.id}/"

    @property
    def prevent(self) -> tuple[str, ...]:
        """How to keep it from coming back, as text (shared steps included), for its page."""
        return tuple(step.text for step in self.prevent_steps)


# A step of a finding's `prevent`: `shared` is the id of the [shared_steps] entry it comes from
# (one text that several findings name, listed once in a setup's plan), None for a finding's own.
Step = namedtuple("Step", "text shared")


Code = namedtuple("Code", "code meaning condition example")
# alternatives: any of these phrases; findings: those it points to directly, beside its condition's
Message = namedtuple("Message", "alternatives condition findings")
# note: what to check before acting on such a code; sources: keys of data/sources.toml;
# fix: the steps all its findings share (led with when a bare code fits several)
# causes: the cause facets ([facets.cause] in findings.toml) such an error shows; a finding the
# condition does not list joins it when the text names the finding's situation and it lists one
Condition = namedtuple("Condition", "id label findings note sources fix causes", defaults=((), ()))
Option = namedtuple("Option", "id label finding")
# A clarifying question ([[questions]] in findings.toml): `tells` what an answer decides
# (QUESTION_TELLS); `differs` says how an alternative differs, from its option's label.
Question = namedtuple("Question", "id text tells differs options")
QUESTION_TELLS = ("situation", "cause")


# A Microsoft application by its appId (data/apps.toml): a flow's service, a connector's resource.
# target: what the rollout model (checker/rollout.py TARGETS) calls the service, when it has a name there
App = namedtuple("App", "id name what family flow office365 target", defaults=(None,))
Apps = namedtuple("Apps", "by_id keywords")

# questions: {id: Question}, in the data's order (the order in which ties are asked)
Knowledge = namedtuple("Knowledge", "findings codes conditions questions vocabulary messages facets shared_steps")


_DATA = os.path.join(os.path.dirname(__file__), "data")


def _read(name: str) -> dict:
    import tomllib  # only when the knowledge is first needed

    with open(os.path.join(_DATA, name), "rb") as f:
        return tomllib.load(f)


def _data_text(name: str) -> str:
    with open(os.path.join(_DATA, name), encoding="utf-8") as f:
        return f.read()


def _alternatives(group: str, vocabulary: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for alt in group.split("|"):
        alt = alt.strip()
        if alt.startswith("@"):
            out.extend(vocabulary[alt[1:]])  # KeyError names the unknown word list
        elif alt:
            out.append(alt)
    return tuple(out)


FACET_KINDS = ("cause", "situation", "timing")
SUBJECT = ("subject", "subject")
SIGN_IN = ("subject", "sign-in")


def _facets(raw: dict, vocabulary: dict[str, tuple[str, ...]]) -> dict[tuple[str, str], Facet]:
    evidence = set(raw.get("evidence", ()))
    out = {}
    for kind in FACET_KINDS:
        for facet_id, alternatives in raw[kind].items():
            groups = tuple(tuple(_alternatives(g, vocabulary) for g in alt) for alt in alternatives)
            hides = tuple(tuple(h.split(".", 1)) for h in raw.get("hides", {}).get(f"{kind}.{facet_id}", ()))
            reach = int(raw.get("reach", {}).get(f"{kind}.{facet_id}", 1))
            out[(kind, facet_id)] = Facet(kind, facet_id, groups, kind in evidence or f"{kind}.{facet_id}" in evidence, hides, reach)
    for name, hidden in [*raw.get("hides", {}).items(), *((n, ()) for n in raw.get("reach", {}))]:
        for key in (name, *hidden):
            if tuple(key.split(".", 1)) not in out:
                raise ValueError(f"findings.toml [facets] hides/reach: unknown facet {key!r} (write kind.id, e.g. situation.template)")
    # Whether the text is about flows or connections at all, and about signing in (findings.toml).
    for key in (SUBJECT, SIGN_IN):
        out[key] = Facet(*key, tuple(tuple(_alternatives(g, vocabulary) for g in alt) for alt in raw[key[1]]), False)
    return out


def _questions(raw, findings: dict) -> dict[str, Question]:
    """The clarifying questions, checked: a mistake in the data names itself, not a KeyError deep
    in the engine."""
    def fail(where: str, problem: str):
        raise KnowledgeError(f"findings.toml: {where}: {problem}")

    if not isinstance(raw, list) or not raw:
        fail("[[questions]]", "at least one question is needed, each a [[questions]] table")
    out: dict[str, Question] = {}
    for n, q in enumerate(raw, 1):
        qid = q.get("id") if isinstance(q, dict) else None
        where = f"question {qid!r}" if isinstance(qid, str) else f"question {n}"
        if not isinstance(q, dict):
            fail(where, "must be a table")
        for key in ("id", "text", "tells", "differs"):
            if not isinstance(q.get(key), str) or not q[key].strip():
                fail(where, f"needs `{key}` (text)")
        if qid in out:
            fail(where, "the id is used twice")
        if q["tells"] not in QUESTION_TELLS:
            fail(where, f"`tells` is {q['tells']!r}; it must be one of {', '.join(QUESTION_TELLS)}")
        if "{label}" not in q["differs"]:
            fail(where, "`differs` must hold {label}, where the option's label goes")
        options = q.get("options")
        if not isinstance(options, list) or len(options) < 2:
            fail(where, "needs at least two [[questions.options]]")
        seen: set[str] = set()
        for o in options:
            if not isinstance(o, dict) or not all(isinstance(o.get(k), str) and o[k] for k in ("id", "label", "finding")):
                fail(where, f"option {o!r} needs `id`, `label` and `finding` (text)")
            if o["id"] in seen:
                fail(where, f"option {o['id']!r} is used twice")
            if o["finding"] not in findings:
                fail(where, f"option {o['id']!r} points to {o['finding']!r}, which is not a finding")
            seen.add(o["id"])
        out[qid] = Question(qid, q["text"], q["tells"], q["differs"],
                            tuple(Option(o["id"], o["label"], o["finding"]) for o in options))
    return out


def _prevent_steps(fid: str, entries, shared: dict[str, str]) -> tuple[Step, ...]:
    """A finding's `prevent`: its own texts, and "@id" for a shared step."""
    out = []
    for entry in entries:
        if not isinstance(entry, str) or not entry.strip():
            raise KnowledgeError(f"findings.toml: finding {fid!r}: every `prevent` entry must be a non-empty "
                                 f"text or \"@id\" of [shared_steps], not {entry!r}")
        if entry.startswith("@"):
            if entry[1:] not in shared:
                raise KnowledgeError(f"findings.toml: finding {fid!r}: `prevent` names {entry!r}, which is not in "
                                     f"[shared_steps] (known: {', '.join(sorted(shared)) or 'none'})")
            out.append(Step(shared[entry[1:]], entry[1:]))
        else:
            out.append(Step(entry, None))
    return tuple(out)


def _shared_steps(raw: dict) -> dict[str, str]:
    shared = raw.get("shared_steps", {})
    for sid, text in shared.items():
        if not isinstance(text, str) or not text.strip():
            raise KnowledgeError(f"findings.toml: [shared_steps] {sid!r} must be a non-empty text")
    return dict(shared)


@functools.cache
def load() -> Knowledge:
    raw_findings = _read("findings.toml")
    raw_codes = _read("codes.toml")
    vocabulary: dict[str, tuple[str, ...]] = {}
    for name, text in raw_findings["vocabulary"].items():
        vocabulary[name] = _alternatives(text, vocabulary)
    conditions = {
        cid: Condition(cid, c["label"], tuple(c["findings"]), c.get("note", ""), tuple(c.get("sources", ())),
                       tuple(c.get("fix", ())), tuple(c.get("causes", ())))
        for cid, c in raw_codes["conditions"].items()
    }
    codes = {
        int(k): Code(int(k), c["meaning"], c["condition"], c["example"])
        for k, c in raw_codes["codes"].items()
    }
    facets = _facets(raw_findings["facets"], vocabulary)
    for condition in conditions.values():
        for cause in condition.causes:
            if ("cause", cause) not in facets:
                raise ValueError(f"codes.toml [conditions.{condition.id}] causes: {cause!r} is no [facets.cause] in findings.toml")
    shared_steps = _shared_steps(raw_findings)
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
            prevent_steps=_prevent_steps(fid, f.get("prevent", ()), shared_steps),
            related=tuple(f.get("related", ())),
            ca=bool(f.get("ca", True)),
            signals=signals,
            examples=tuple(f.get("examples", ())),
            codes=tuple(c for c, code in codes.items() if fid in conditions[code.condition].findings),
            sources=tuple(f.get("sources", ())),
            facets={kind: tuple(f.get("facets", {}).get(kind, ())) for kind in FACET_KINDS},
        )
        for kind, ids in findings[fid].facets.items():
            for facet_id in ids:
                facets[(kind, facet_id)]  # KeyError names the unknown facet
    questions = _questions(raw_findings.get("questions"), findings)
    messages = tuple(
        Message(_alternatives(m["text"], vocabulary), m["condition"], tuple(m.get("findings", ())))
        for m in raw_codes.get("messages", ())
    )
    return Knowledge(findings, codes, conditions, questions, vocabulary, messages, facets, shared_steps)


def wording(name: str, table: str, wanted: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The sentences of `[table]` in data/<name>, for code that only chooses among them: one per
    key of `wanted`, each taking exactly the {placeholders} listed there (filled with
    str.format). A missing, unknown or malformed entry raises KnowledgeError naming it."""
    import string

    where = f"{name} [{table}]"
    raw = _read(name).get(table)
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{name}: the table [{table}] is missing")
    missing, unknown = [k for k in wanted if k not in raw], [k for k in raw if k not in wanted]
    if missing or unknown:
        raise KnowledgeError(f"{where}: " + "; ".join(
            part for part in (missing and f"missing {', '.join(missing)}",
                              unknown and f"unknown {', '.join(unknown)} (the code uses: {', '.join(wanted)})") if part))
    for key, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            raise KnowledgeError(f"{where}: {key!r} must be a non-empty text")
        try:
            fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as e:  # a lone brace
            raise KnowledgeError(f"{where}: {key!r}: {e} (write a literal brace as {{{{ or }}}})") from None
        if fields != set(wanted[key]):
            takes = ", ".join("{%s}" % f for f in wanted[key]) or "no placeholder"
            raise KnowledgeError(f"{where}: {key!r} has {', '.join(sorted('{%s}' % f for f in fields)) or 'no placeholder'}; "
                                 f"it takes {takes}")
    return dict(raw)


# A Microsoft documentation page the knowledge rests on (data/sources.toml), by its short key.
Source = namedtuple("Source", "key title url")


@functools.cache
def sources() -> dict[str, Source]:
    """The documentation pages, apart from `load()`: only the guide's pages list them."""
    return {key: Source(key, s["title"], s["url"]) for key, s in _read("sources.toml")["sources"].items()}


@functools.cache
def apps() -> Apps:
    """The application table, apart from `load()`: only IDs in pastes, logs and policies need it."""
    raw = _read("apps.toml")
    by_id = {
        a["id"].lower(): App(a["id"].lower(), a["name"], a["what"], a["family"], bool(a["flow"]), bool(a["office365"]),
               a.get("target"))
        for a in raw["apps"]
    }
    return Apps(by_id, dict(raw["keywords"]))


@functools.cache
def roles() -> dict[str, str]:
    """Directory role names by role template ID (data/roles.toml), for policy reports."""
    return {k.lower(): v for k, v in _read("roles.toml")["roles"].items()}


@functools.cache
def other_causes() -> tuple[dict, ...]:
    """The failures that are not conditional access (data/other_causes.toml), in file order: the
    answer names them (shape.py) and their phrases damp the engine's words."""
    return tuple(_read("other_causes.toml")["causes"])


@functools.cache
def real_words() -> frozenset[str]:
    """English words one letter away from a vocabulary word, never read as a typo of it ("content"
    is not "consent"). data/real_words.txt, made by tools/real_words.py from a dictionary."""
    lines = _data_text("real_words.txt").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))
