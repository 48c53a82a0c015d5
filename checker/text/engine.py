"""Rank the findings that fit a pasted error or a description.

Evidence, strongest first:
  1. sign-in error codes (their condition points to findings, in the order codes.toml gives;
     a situation the text names lifts the findings of that situation),
  2. known messages without a code (Microsoft rewords messages, so they count a little less),
  3. facets the findings share, met within one sentence: the cause, the situation and the
     timing ([facets] in findings.toml); a cause or timing denied ("no password changes") is
     not met, nor are a signal's words,
  4. the words people use (each finding's `signals` in findings.toml).
Scores add up per finding; a finding is reported when its score clears REPORT_AT and something
shows its cause (a code, a message, an evidence facet, or a signal naming it in a text about
signing in). When the best two are close and both answers to a clarifying question ([[questions]]
in findings.toml), the question is asked (one at a time; see _question); an answer raises its
finding.
"""
from __future__ import annotations

import functools
import math
import re
from collections import defaultdict

from .extract import find_codes
from ..knowledge import SIGN_IN, SUBJECT, Condition, Knowledge, confidence_label, load, other_causes, real_words
from .normalize import prepare
from .words import ANY, Alternatives, Phrase, Speller, Words, candidates
from .words import compile_phrase as _compile_phrase

CODE_WEIGHT = 3.0  # the first code; later codes count LATER_CODE of it
LATER_CODE = 0.7
MESSAGE_WEIGHT = 2.4
RANK_DECAY = (1.0, 0.9, 0.7, 0.6, 0.5)  # by a finding's place in its condition's list
REPORT_AT = 1.3  # minimum score for a finding to be reported
KEEP_RATIO = 0.3  # ... and at least this share of the best score
MAX_FINDINGS = 4
QUESTION_GAP = 1.0  # ask when the best two are question options this close
ANSWER_BOOST = 3.0
STRONG_SIGNAL = 1.0  # a word signal this heavy names its finding outright ...
CORROBORATION = 1.0  # ... and adds this when a code or message points to the same finding
WEAK_CAP = 2.0  # weak word signals of one finding add up to at most this
NOT_CA_DAMPING = 0.3  # words count less when the only codes say "not conditional access"
ELSEWHERE_DAMPING = 0.5  # ... or when the text names another cause or asks how to build
FACET_WEIGHT = {"cause": 0.5, "situation": 0.5, "timing": 0.3}  # per kind of facet met
FACET_SPECIFIC = 2.0  # ... times this when the met value is specific:
SPECIFIC_SHARE = 2  # listed by at most this many findings
FACET_TOGETHER = 0.5  # ... and this when two kinds or more are met
# Confidence = 1 - exp(-(score - MARGIN_SHARE * best other score) / CONFIDENCE_SCALE): a finding
# is as certain as its lead over the others. It stays below the "high" band (knowledge.py) when
# the question is asked, or when no code or message points to it and no signal names it outright
# with its cause shown.
# `make bench` prints how often each band is right on the independent sets (tests/cases/).
CONFIDENCE_SCALE = 2.5
MARGIN_SHARE = 0.5
UNSURE_CAP = 0.69


@functools.cache
def _compiled():
    """The knowledge base's phrases, compiled once (load() is cached too)."""
    kb = load()
    # Word lists recur in many signals: compile each distinct phrase once.
    compile_phrase = functools.cache(_compile_phrase)
    # ... and index each distinct group of alternatives once (the same word list recurs).
    alternatives = functools.cache(lambda group: Alternatives(compile_phrase(a) for a in group))
    signals = {
        fid: [([alternatives(tuple(group)) for group in s.groups], s.weight) for s in f.signals]
        for fid, f in kb.findings.items()
    }
    messages = [(alternatives(tuple(m.alternatives)), m) for m in kb.messages]
    facets = [
        (key, tuple(tuple(alternatives(tuple(group)) for group in alt) for alt in facet.alternatives))
        for key, facet in kb.facets.items()
    ]
    # Sentences of the quoted messages: boilerplate whose words say nothing about the user's case
    # ("...a changed password or a policy..." is in every re-sign-in alert).
    boilerplate = {
        compile_phrase(part)
        for f in kb.findings.values()
        for message in f.messages
        for part in re.split(r"<[^<>]*>|\.\.\.|[.:](?:\s|$)", message)
        if len(part.split()) >= 4
    }
    vocabulary = _vocabulary(signals, messages, facets)
    # Word lists the engine itself reads (see _damping).
    lists = {
        name: alternatives(tuple(kb.vocabulary[name]))
        for name in ("elsewhere", "gone", "restored", "build", "broken", "connector_names", "not_idle")
    }
    # The causes the answer names as "not conditional access" (other_causes.toml) are other
    # causes for the words too: a phrase added there damps them without being written twice.
    lists["elsewhere"] = Alternatives(
        (*lists["elsewhere"], *(compile_phrase(p) for c in other_causes() for p in c["when"]))
    )
    # A conditional access block of what no flow uses (a legacy mail client) outranks the code.
    lists["outranks_codes"] = Alternatives(
        compile_phrase(p) for c in other_causes() if c.get("outranks_codes") for p in c["when"]
    )
    # A known message naming another provider's service is that provider's ("...for service: salesforce").
    lists["other_services"] = tuple(
        compile_phrase(f"refresh access token for service {name}") for name in kb.vocabulary["other_services"]
    )
    return signals, messages, facets, tuple(boilerplate), Speller(vocabulary, real_words()), lists


def _vocabulary(signals, messages, facets) -> set[str]:
    """Every whole word of the knowledge base's phrases: what the speller corrects towards."""
    return {
        w
        for phrases in [
            *(g for sig in signals.values() for groups, _ in sig for g in groups),
            *(m for m, _ in messages),
            *(g for _, alts in facets for alt in alts for g in alt),
        ]
        for phrase in phrases
        for w in phrase.words
        if not w.endswith("*") and w != ANY
    }


def _decay(rank: int) -> float:
    return RANK_DECAY[min(rank, len(RANK_DECAY) - 1)]


def _first(words: Words, phrases: tuple[Phrase, ...], affirmed: bool = False) -> str | None:
    for p in candidates(phrases, words):
        hit = words.find(p, affirmed)
        if hit:
            return hit
    return None


def looked_for(kb: Knowledge) -> str:
    return (
        f"Microsoft Entra sign-in error codes (AADSTS..., {len(kb.codes)} known), the Power Automate and "
        f"sign-in messages they come with, and the ways people describe the {len(kb.findings)} known "
        "conditional access and MFA problems."
    )


class _Tally:
    def __init__(self) -> None:
        self.score: dict[str, float] = defaultdict(float)
        self.why: dict[str, list[str]] = defaultdict(list)
        self.evidence: dict[str, list[dict]] = defaultdict(list)
        self.words: dict[str, list[str]] = defaultdict(list)
        self.weak: dict[str, float] = defaultdict(float)  # sum of weak word signals so far
        self.strong: set[str] = set()  # findings a strong word signal names
        self.pointed: set[str] = set()  # findings a code or a message points to
        self.conditions: set[str] = set()  # conditions named by codes and messages so far
        self.ca_evidence = False  # whether one of them says conditional access (or tokens) is the cause
        self.evidenced: set[str] = set()  # findings an evidence facet names

    def name_condition(self, condition: Condition) -> None:
        """A code or message names `condition`; one that points to findings (every condition
        but "not conditional access" and "unknown", see codes.toml) names a cause we explain."""
        self.conditions.add(condition.id)
        self.ca_evidence |= bool(condition.findings)

    def add(self, fid: str, weight: float, why: str | None = None, evidence: dict | None = None) -> None:
        self.score[fid] += weight
        if why and why not in self.why[fid]:
            self.why[fid].append(why)
        if evidence and evidence not in self.evidence[fid]:
            self.evidence[fid].append(evidence)


def _code_entry(kb: Knowledge, code: int) -> dict:
    known = kb.codes.get(code)
    if known is None:
        return {
            "code": code,
            "meaning": "A sign-in error code this checker does not know; look it up in Microsoft's sign-in error reference.",
            "condition": "unknown",
            "condition_label": kb.conditions["unknown"].label,
            "known": False,
        }
    return {
        "code": code,
        "meaning": known.meaning,
        "condition": known.condition,
        "condition_label": kb.conditions[known.condition].label,
        "known": True,
    }


def diagnose(text: str | bytes | None, answers: dict | None = None) -> dict:
    """The JSON-ready answer for a paste or a description (see checker/__init__.py)."""
    kb = load()
    prepared = prepare(text if text is not None else "")
    result = {"findings": [], "codes": [], "question": None, "notices": prepared.notices, "looked_for": looked_for(kb)}
    if not prepared.text.strip():
        result["notices"].append("There is nothing to check: the input is empty.")
        return result
    signals, messages, facets, boilerplate, speller, lists = _compiled()
    answered = _answered(kb, answers)

    tally = _Tally()
    codes = find_codes(prepared.text, kb.codes.keys())
    result["codes"] = [_code_entry(kb, c.code) for c in codes]
    words = Words(prepared.text, speller)
    for phrase in lists["other_services"]:
        words.mask(phrase)
    found_messages = [(message, hit) for phrases, message in messages if (hit := _first(words, phrases))]
    # Words that say nothing about the user's case: boilerplate, connector names, time worked.
    for phrase in (*boilerplate, *lists["connector_names"], *lists["not_idle"]):
        words.mask(phrase)
    met = _facets_met(facets, words)
    order = _situation_order(kb, met)
    _score_codes(kb, codes, tally, order)
    _score_messages(kb, found_messages, tally, order)
    damping = _damping(lists, codes, words, tally)
    _score_words(signals, words, tally, damping)
    _score_facets(kb, met, _failing_situations(facets, met, words, lists["broken"]), tally, damping)
    _score_answer(kb, answered, tally)

    # "53003 for the scanner's SMTP AUTH": a block of something no flow uses, in a text that names
    # no flow, connection or automation.
    ranked = [] if _first(words, lists["outranks_codes"]) and not _about_flows(facets, met, words) else _rank(kb, tally)
    result["question"] = _question(kb, ranked, answered, tally, met)
    confidences = _confidences(ranked, tally, result["question"] is not None)
    result["findings"] = [_finding_entry(kb, fid, c, tally) for (_, fid), c in zip(ranked, confidences)]
    return result


def _about_flows(facets, met, words: Words) -> bool:
    """Whether the text speaks of flows or connections, and not to deny them ("I don't even use
    Power Automate")."""
    return SUBJECT in met and bool(words.find_together(next(alts[0] for key, alts in facets if key == SUBJECT), affirmed=True))


def _facets_met(facets, words: Words) -> dict[tuple[str, str], list[str]]:
    """The facets the text meets, each with the words that met it. A facet's groups must meet in
    one sentence (or the few its `reach` allows): "the connections were set up last year ... now
    runs fail" is no connection being made."""
    met = {}
    kb = load()
    for key, alternatives in facets:
        # A cause or a timing denied is not met: "no CA changes, no password changes".
        affirmed = key[0] in ("cause", "timing")
        reach = kb.facets[key].reach
        for groups in alternatives:
            hits = words.find_together(groups, affirmed, reach)
            if hits:
                met[key] = hits
                break
    # A facet that stands for another hides it: creating a flow from SharePoint's Automate menu
    # is the embedded experience, not a template.
    for key in list(met):
        for hidden in kb.facets[key].hides if key in kb.facets else ():
            met.pop(hidden, None)
    return met


def _situation_order(kb: Knowledge, met) -> dict[str, int]:
    """-1 for the findings whose own cause or timing the text names (one at most SPECIFIC_SHARE
    findings list: "terms of use" beside AADSTS53003, "every Monday" beside the re-sign-in
    alert), 0 for those whose situation it names, 1 for the
    others. (Not by how specific the situation is: "flows fail nightly ... must I re-create the
    connections?" names a remedy.)"""
    shared = _shared()
    order = {}
    for fid, f in kb.findings.items():
        if any((kind, v) in met and shared[(kind, v)] <= SPECIFIC_SHARE for kind in ("cause", "timing") for v in f.facets[kind]):
            order[fid] = -1
        else:
            order[fid] = 0 if any(("situation", v) in met for v in f.facets["situation"]) else 1
    return order


def _ranked_by_situation(kb: Knowledge, condition: Condition, order) -> list[tuple[int, str]]:
    """A condition's findings with their rank. One whose situation the text names is raised to
    the rank of the first finding sharing one of its causes: "the button in our Power App shows
    AADSTS50076" gives embedded-host the code's full weight (it shares MFA with failed-runs), but
    "AADSTS50158 while adding a connection" does not lift create-connection over terms-of-use."""
    # A finding the condition does not list joins when the text names its situation, one that
    # few findings share (a picker missing groups, SharePoint's Request sign-off), and it lists a
    # cause the condition shows: "AADSTS50076 from the picker's search call" is the picker's MFA
    # problem, "Request sign-off: AADSTS53003" SharePoint's built-in flow blocked, but a device
    # rule (AADSTS53000) in an add-in is no embedded MFA problem.
    shared = _shared()
    findings = list(condition.findings) + [
        fid
        for fid, f in kb.findings.items()
        if fid not in condition.findings and order[fid] == 0 and set(condition.causes).intersection(f.facets["cause"])
        and any(shared[("situation", v)] <= SPECIFIC_SHARE for v in f.facets["situation"])
    ]
    out = []
    for rank, fid in enumerate(findings):
        if order[fid] < 0:  # the condition's finding whose own cause the text names leads it
            rank = 0
        elif order[fid] == 0:
            causes = set(kb.findings[fid].facets["cause"])
            rank = next(r for r, other in enumerate(findings) if causes & set(kb.findings[other].facets["cause"]))
        out.append((rank, fid))
    return out


def _score_codes(kb: Knowledge, codes, tally: _Tally, order) -> None:
    """Each known code points to its condition's findings; the text's situation orders them."""
    weight = CODE_WEIGHT
    for found in codes:
        known = kb.codes.get(found.code)
        if known is None:
            continue
        tally.name_condition(kb.conditions[known.condition])
        label = kb.conditions[known.condition].label.lower()
        why = f"{found.text.strip()} is sign-in error {found.code} ({label}): {known.meaning}"
        for rank, fid in _ranked_by_situation(kb, kb.conditions[known.condition], order):
            tally.add(fid, weight * _decay(rank), why, {"kind": "code", "text": found.text.strip()})
            tally.pointed.add(fid)
        weight = CODE_WEIGHT * LATER_CODE


def _score_messages(kb: Knowledge, found_messages, tally: _Tally, order) -> None:
    """Known messages point to their condition's findings, and some to findings of their own."""
    for message, hit in found_messages:
        evidence = {"kind": "message", "text": hit}
        why = f'The text contains the message "{hit}".'
        # A Power Automate message says where it failed, a code says why: with a conditional
        # access code present, the message's own findings only confirm.
        direct = MESSAGE_WEIGHT * (0.3 if tally.ca_evidence else 1.0)
        for rank, fid in enumerate(message.findings):
            rank = 0 if order[fid] < 0 else rank  # the one whose own cause the text names leads
            tally.add(fid, direct * _decay(rank), why, evidence)
            tally.pointed.add(fid)
        # A message repeating what a code already said adds no weight, only evidence.
        strength = 0.0 if message.condition in tally.conditions else MESSAGE_WEIGHT
        for rank, fid in _ranked_by_situation(kb, kb.conditions[message.condition], order):
            tally.add(fid, strength * _decay(rank), why, evidence)
            tally.pointed.add(fid)
        tally.name_condition(kb.conditions[message.condition])


def _failing_situations(facets, met, words: Words, broken) -> set[tuple[str, str]]:
    """The met situations said in one sentence with a failure ("the add-in stopped working"),
    not as history or a remedy ("the connections were made last year", "must I re-create them?")."""
    return {
        key
        for key, alternatives in facets
        if key[0] == "situation" and key in met and any(words.find_together((*groups, broken)) for groups in alternatives)
    }


def _score_facets(kb: Knowledge, met, failing, tally: _Tally, damping: float) -> None:
    """Each kind of facet (cause, situation, timing) the text meets adds its weight to every
    finding that lists a met value, more when few findings share it. A finding counts as having
    evidence when it meets a specific evidence facet, or a broad one with its situation or a
    second evidence kind (see [facets] in findings.toml), or when a signal naming it outright
    fires in a text about signing in. With another cause named (damping), neither counts."""
    if damping < 1.0:  # another cause named, or a build question: the words show no cause of ours
        return
    for fid in tally.strong:
        # A signal naming the finding outright, in a text about signing in to flows or connections
        # or naming the finding's own cause or situation ("we force password changes every 60 days"
        # is policy talk), or for a finding whose situation is evidence itself (a picker).
        finding = kb.findings[fid]
        about = SUBJECT in met or any((kind, v) in met for kind in ("cause", "situation") for v in finding.facets[kind])
        if (SIGN_IN in met and about) or any(kb.facets[("situation", v)].evidence for v in finding.facets["situation"]):
            tally.evidenced.add(fid)
    shared = _shared()
    # A specific situation that fails (a button in Power Apps) explains away the generic one (a
    # failing run) for the findings that share its cause: "the Word add-in that starts our flow
    # stopped working since MFA" is about the add-in.
    explained = {
        cause
        for f in kb.findings.values()
        if any(("situation", v) in failing and shared[("situation", v)] <= SPECIFIC_SHARE for v in f.facets["situation"])
        for cause in f.facets["cause"]
    }
    # Likewise a specific cause (terms of use, remembered MFA) explains away the broad ones said
    # with it ("the Terms of Use we added to conditional access"): those weigh nothing for the
    # findings it is not the cause of.
    specific_causes = {v for kind, v in met if kind == "cause" and shared[(kind, v)] <= SPECIFIC_SHARE}
    for fid, finding in kb.findings.items():
        kinds, evidence, alone, situated = set(), set(), False, False
        for kind, values in finding.facets.items():
            hit = [v for v in values if (kind, v) in met]
            if not hit:
                continue
            situated |= kind == "situation"
            specific = min(shared[(kind, v)] for v in hit) <= SPECIFIC_SHARE
            if kind == "situation" and not specific and explained.intersection(finding.facets["cause"]):
                continue  # still a situation for the evidence, but no weight
            if kind == "cause" and not specific and specific_causes:
                continue  # the broad cause is the specific one's, not this finding's
            kinds.add(kind)
            tally.add(fid, FACET_WEIGHT[kind] * (FACET_SPECIFIC if specific else 1.0))
            for v in hit:
                if kb.facets[(kind, v)].evidence:
                    evidence.add(kind)
                    alone |= shared[(kind, v)] <= SPECIFIC_SHARE and SUBJECT in met
                tally.words[fid].extend(w for w in met[(kind, v)] if w not in tally.words[fid])
        if len(kinds) >= 2:  # cause and situation (or timing) together tell the story
            tally.add(fid, FACET_TOGETHER)
        if evidence and (alone or situated or len(evidence) >= 2):
            tally.evidenced.add(fid)


@functools.cache
def _shared() -> dict[tuple[str, str], int]:
    """How many findings list each facet value."""
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for f in load().findings.values():
        for kind, values in f.facets.items():
            for v in values:
                shared[(kind, v)] += 1
    return shared


def _damping(lists: dict, codes, words: Words, tally: _Tally) -> float:
    """How much the words count: less when a code says "not conditional access", or when,
    with no code or message to go on, the text names another cause or asks how to build."""
    if tally.ca_evidence:
        return 1.0
    # A code classed "not conditional access" damps; one whose cause is unknown (an interrupt such
    # as AADSTS16000, or a code we do not know) leaves the words to tell.
    if tally.conditions - {"unknown"}:
        return NOT_CA_DAMPING
    if tally.conditions or codes:  # a known message (the re-sign-in alert), or a code
        return 1.0
    if _first(words, lists["elsewhere"]):
        return ELSEWHERE_DAMPING
    # An account that left names another cause; one disabled and enabled again had its sessions revoked.
    if _first(words, lists["gone"]) and not _first(words, lists["restored"], affirmed=True):
        return ELSEWHERE_DAMPING
    if _first(words, lists["build"]) and not _first(words, lists["broken"]):
        return ELSEWHERE_DAMPING
    return 1.0


def _score_words(signals, words: Words, tally: _Tally, damping: float) -> None:
    """Each finding's signals that fire add their weight (weak ones only up to WEAK_CAP)."""
    for fid, finding_signals in signals.items():
        for groups, weight in finding_signals:
            hits = []
            for group in groups:
                hit = _first(words, group, affirmed=weight > 0)  # "no password change" says none
                if hit is None:
                    break
                hits.append(hit)
            else:
                if 0 < weight < STRONG_SIGNAL:
                    # Generic words add up only so far: many of them never outweigh one
                    # signal that names a finding outright.
                    weight = min(weight, max(0.0, WEAK_CAP - tally.weak[fid]))
                    tally.weak[fid] += weight
                tally.add(fid, weight * (damping if weight > 0 else 1.0))
                if weight >= STRONG_SIGNAL:
                    tally.strong.add(fid)
                if weight > 0:
                    tally.words[fid].extend(h for h in hits if h not in tally.words[fid])
    # Words that name one finding outright, agreeing with a code or message that points to it,
    # decide between the findings that the code alone leaves tied.
    for fid in tally.strong & tally.pointed:
        tally.add(fid, CORROBORATION)


def _answered(kb: Knowledge, answers) -> dict[str, str]:
    """The answers given, by question id; keys that name no question, and values that name none
    of its options, are ignored (a link may carry anything)."""
    if not isinstance(answers, dict):
        return {}
    return {q.id: answers[q.id] for q in kb.questions.values() if answers.get(q.id) in [o.id for o in q.options]}


def _score_answer(kb: Knowledge, answered: dict[str, str], tally: _Tally) -> None:
    chosen = [(q, o) for q in kb.questions.values() for o in q.options if o.id == answered.get(q.id)]
    causes = [o.finding for q, o in chosen if q.tells == "cause"]
    for question, option in chosen:
        finding = option.finding
        if question.tells == "situation":
            finding = _same_situation(kb, finding, causes)
        tally.add(finding, ANSWER_BOOST, f'You answered "{question.text}": {option.label[0].lower()}{option.label[1:]}.')
        tally.evidenced.add(finding)


def _same_situation(kb: Knowledge, fid: str, causes: list[str]) -> str:
    """The finding an answer about the cause chose, when it is seen where the situation answer
    says (a failing run and "unused for months" is token-inactivity, not failed-runs); else `fid`."""
    seen = set(kb.findings[fid].facets["situation"])
    return next((c for c in causes if seen.intersection(kb.findings[c].facets["situation"])), fid)


def _rank(kb: Knowledge, tally: _Tally) -> list[tuple[float, str]]:
    """Findings over REPORT_AT, best first (ties in knowledge-base order), near enough the best."""
    order = {fid: i for i, fid in enumerate(kb.findings)}
    # Only findings with evidence of their cause: a code, a known message, an evidence facet, or a
    # signal that names the finding outright in a text about signing in (see _score_facets).
    # Words the findings merely share are not enough.
    evidenced = tally.evidenced | tally.pointed
    ranked = sorted(((s, fid) for fid, s in tally.score.items() if s >= REPORT_AT and fid in evidenced), key=lambda sf: (-sf[0], order[sf[1]]))
    if not ranked:
        return []
    best = ranked[0][0]
    return [(s, fid) for s, fid in ranked if s >= best * KEEP_RATIO][:MAX_FINDINGS]


def _cause_unsaid(tally: _Tally, met) -> bool:
    """Whether nothing in the text names a cause: no code or message of a condition with findings,
    no cause or timing met, no signal naming a finding outright ("Failed to refresh access token"
    alone says a token could not be renewed, not why)."""
    return not tally.ca_evidence and not tally.strong and not any(kind in ("cause", "timing") for kind, _ in met)


def _question(kb: Knowledge, ranked: list[tuple[float, str]], answered, tally: _Tally, met) -> dict | None:
    """The unanswered question that tells the leading findings apart: when the best two are close
    and both its options, the one whose options hold most of the close findings (ties in the
    data's order); else, when nothing names a cause, one that tells the cause and has the lead.
    When a code or message names the cause, a question about the cause offers only the answers
    that fit it (AADSTS50078: remember MFA or sign-in frequency, not a password reset)."""
    open_questions = [q for q in kb.questions.values() if q.id not in answered]
    if not ranked or not open_questions:
        return None
    close = [fid for score, fid in ranked if ranked[0][0] - score < QUESTION_GAP]
    options = {q.id: {o.finding for o in q.options} for q in open_questions}
    fits = [q for q in open_questions if len(close) >= 2 and set(close[:2]) <= options[q.id]]
    asked = max(fits, key=lambda q: len(options[q.id].intersection(close)), default=None)
    if asked is None and _cause_unsaid(tally, met):
        asked = next((q for q in open_questions if q.tells == "cause" and ranked[0][1] in options[q.id]), None)
    if asked is None:
        return None
    offered = asked.options
    if asked.tells == "cause" and tally.ca_evidence:
        offered = [o for o in asked.options if o.finding in {fid for _, fid in ranked}]
    return {"id": asked.id, "text": asked.text, "tells": asked.tells,
            "options": [{"id": o.id, "label": o.label, "finding": o.finding} for o in offered]}


def _confidences(ranked: list[tuple[float, str]], tally: _Tally, asked: bool) -> list[float]:
    """The first finding's confidence (see CONFIDENCE_SCALE), then the others'."""
    if not ranked:
        return []
    best, fid = ranked[0]
    rival = ranked[1][0] if len(ranked) > 1 else 0.0
    top = 1 - math.exp(-max(0.0, best - MARGIN_SHARE * rival) / CONFIDENCE_SCALE)
    if asked or not (fid in tally.pointed or (fid in tally.strong and fid in tally.evidenced)):
        top = min(top, UNSURE_CAP)
    # The others in proportion to their share of the best score.
    return [round(top * score / best, 2) for score, _ in ranked]


def _finding_entry(kb: Knowledge, fid: str, confidence: float, tally: _Tally) -> dict:
    finding = kb.findings[fid]
    why = list(tally.why[fid])
    evidence = list(tally.evidence[fid])
    # A code already stands in the evidence as a code; repeating it as "words" adds nothing.
    picked = [w for w in tally.words[fid] if not w.startswith("aadsts")][:5]
    if picked:
        why.append("Your text mentions " + ", ".join(f'"{w}"' for w in picked) + ".")
        evidence.extend({"kind": "words", "text": w} for w in picked)
    return {
        "id": fid,
        "title": finding.title,
        "summary": finding.summary,
        "confidence": confidence,
        "confidence_label": confidence_label(confidence),
        "why": why,
        "evidence": evidence,
        "fix": list(finding.fix_user),
        "fix_admin": list(finding.fix_admin),
        "page": finding.page,
    }
