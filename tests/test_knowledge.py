"""The knowledge base is checked like rustc's error index: every finding and every code has a
tested example, everything facts.md lists is present with the same meaning class, and every
cross-reference resolves. Adding a finding or a code without an example fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker import diagnose
from checker.knowledge import load
from contract import SAME_STEP, step_overlap
from shared_dir import FACTS

KB = load()


def facts_table(heading: str) -> list[list[str]]:
    """Rows of the first markdown table after `heading` in facts.md."""
    text = FACTS.read_text("utf-8")
    section = text[text.index(heading):]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows[1:]  # drop the header row


def test_every_finding_in_facts_is_in_the_knowledge_base_and_no_other():
    ids = {row[0].strip("`") for row in facts_table("## The findings")}
    assert ids == set(KB.findings)


def test_every_code_in_facts_has_the_same_condition():
    expected = {}
    for row in facts_table("## Sign-in error codes"):
        for code in re.findall(r"\d+", row[0]):
            expected[int(code)] = row[2]
    assert expected, "facts.md's code table was not found"
    assert {c: KB.codes[c].condition for c in expected if c in KB.codes} == expected
    assert set(expected) <= set(KB.codes)


def test_cross_references_resolve():
    conditions = set(KB.conditions)
    for finding in KB.findings.values():
        assert set(finding.related) <= set(KB.findings), finding.id
        assert finding.id not in finding.related
        assert finding.fix_user and finding.sees and finding.cause and finding.summary
    for code in KB.codes.values():
        assert code.condition in conditions
    for condition in KB.conditions.values():
        assert set(condition.findings) <= set(KB.findings), condition.id
    for message in KB.messages:
        assert message.condition in conditions
        assert set(message.findings) <= set(KB.findings)
    for question in KB.questions.values():
        assert {o.finding for o in question.options} <= set(KB.findings), question.id


def test_a_prevention_step_is_written_once():
    """A step several findings need is a [shared_steps] entry they name ("@id"), named by at
    least two; no two steps of different findings say the same thing in other words (the
    setup's plan would list both)."""
    named = {sid: [f.id for f in KB.findings.values() if any(s.shared == sid for s in f.prevent_steps)]
             for sid in KB.shared_steps}
    assert all(len(ids) >= 2 for ids in named.values()), named
    steps = {}
    for f in KB.findings.values():
        for step in f.prevent_steps:
            steps.setdefault(step.text, set()).add(f.id)
    texts = list(steps)
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert step_overlap(a, b) <= SAME_STEP, (
                f"{sorted(steps[a])} and {sorted(steps[b])} say the same thing; write it once in "
                f"[shared_steps] and name it with @id:\n{a}\n{b}")
    own = [t for t, fids in steps.items() if len(fids) > 1 and t not in KB.shared_steps.values()]
    assert not own, f"the same text in several findings' prevent; make it a shared step: {own}"


def test_a_wrong_shared_step_is_a_clear_error():
    from checker.knowledge import KnowledgeError, _prevent_steps

    shared = {"same-sign-in": "Sign in under the same conditions."}
    assert _prevent_steps("x", ["Own step.", "@same-sign-in"], shared)[1].shared == "same-sign-in"
    with pytest.raises(KnowledgeError, match=r"finding 'x'.*'@same-signin'.*known: same-sign-in"):
        _prevent_steps("x", ["@same-signin"], shared)
    with pytest.raises(KnowledgeError, match=r"finding 'x'.*non-empty"):
        _prevent_steps("x", ["  "], shared)


@pytest.mark.parametrize("fid", sorted(KB.findings))
def test_every_finding_has_examples_that_diagnose_to_it(fid):
    examples = KB.findings[fid].examples
    assert len(examples) >= 2, f"{fid} needs at least two examples in findings.toml"
    for example in examples:
        found = [f["id"] for f in diagnose(example)["findings"]]
        assert found and found[0] == fid, f"{example!r} gave {found}"


@pytest.mark.parametrize("code", sorted(KB.codes))
def test_every_code_has_an_example_recognised_as_that_code(code):
    entry = KB.codes[code]
    assert entry.example, f"code {code} needs an example in codes.toml"
    result = diagnose(entry.example)
    assert result["codes"] and result["codes"][0]["code"] == code
    assert result["codes"][0]["condition"] == entry.condition
    pointed = KB.conditions[entry.condition].findings
    found = [f["id"] for f in result["findings"]]
    if pointed:
        assert found and found[0] in pointed
    elif entry.condition == "not-ca":
        assert found == [], f"a not-CA code must not produce a finding: {found}"


@pytest.mark.parametrize("fid", sorted(f for f in KB.findings if KB.findings[f].messages))
def test_every_quoted_message_points_to_its_finding(fid):
    for message in KB.findings[fid].messages:
        text = re.sub(r"<[^<>]*>", "x", message)
        found = [f["id"] for f in diagnose(text)["findings"]]
        assert fid in found[:4], f"{message!r} gave {found}"


def test_app_table_matches_the_reference_and_is_well_formed():
    """Every app ID in apps.toml is a lower-case GUID, listed once, with a known family; every
    app of the shared reference is in it with the same Office 365 group membership."""
    import json

    from checker.knowledge import apps
    from shared_dir import SHARED

    table = apps()
    guid = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    families = {"power-automate", "power-apps", "power-platform", "connectors", "microsoft-365", "azure"}
    for app in table.by_id.values():
        assert guid.match(app.id), app
        assert app.family in families, app
        assert app.name and app.what, app
    reference = json.loads((SHARED / "reference" / "apps.json").read_text("utf-8"))
    for ref in reference["apps"]:
        app = table.by_id[ref["appId"].lower()]
        assert app.office365 == ref["inOffice365Group"], ref["name"]
    assert {"All", "Office365"} <= set(table.keywords)


# -- sources and the content audit (../shared/reference/content-audit.md) --------------------

def test_every_finding_and_condition_names_known_sources():
    """Each finding, and each condition that has codes, names the Microsoft pages its text rests
    on; every key resolves to a page with a title and a Microsoft Learn address."""
    from checker.knowledge import sources

    catalogue = sources()
    assert catalogue
    for source in catalogue.values():
        assert source.title.strip(), source
        assert source.url.startswith("https://learn.microsoft.com/"), source
    for finding in KB.findings.values():
        assert finding.sources, f"{finding.id} names no source"
        assert set(finding.sources) <= set(catalogue), finding.id
    used = {code.condition for code in KB.codes.values()}
    for condition in KB.conditions.values():
        assert set(condition.sources) <= set(catalogue), condition.id
        if condition.id in used:
            assert condition.sources, f"condition {condition.id} names no source"


def _diagnosed(code: int) -> list[str]:
    return [f["id"] for f in diagnose(f"AADSTS{code}")["findings"]]


def test_audited_codes_point_where_the_error_reference_says():
    # 16000 is an account-selection interrupt, not a revoked session (audit W1)
    assert KB.codes[16000].condition == "unknown"
    assert 16000 not in KB.findings["token-revoked"].codes
    # 50078 is the age of the MFA claim: remember MFA first, then sign-in frequency (W2, M8)
    assert KB.conditions["mfa-expired"].findings[:2] == ("remember-mfa", "sign-in-frequency")
    assert _diagnosed(50078)[:2] == ["remember-mfa", "sign-in-frequency"]
    assert 50078 in KB.findings["remember-mfa"].codes
    assert any("AADSTS50078" in m for m in KB.findings["remember-mfa"].messages)
    # 70043/70044 name sign-in frequency in their own text: no second guess at remember MFA (M8)
    assert KB.conditions["sign-in-frequency"].findings == ("sign-in-frequency",)
    # 530033 is a device-code sign-in, 530001 a browser that cannot show the device (W3, W4)
    assert "device-code" in KB.codes[530033].meaning
    assert "browser" in KB.codes[530001].meaning
    # codes a helpdesk meets that the checker did not know (I2, I4, I7, I8)
    for code in (530035, 53009, 135011, 500121, 50072, 50131, 50058, 50055, 50057, 50034, 500014):
        assert code in KB.codes, code
    for code in (50057, 50034, 500014, 50055):  # account or app problems, not conditional access
        assert KB.codes[code].condition == "not-ca" and _diagnosed(code) == [], code


def test_the_full_50078_message_points_first_to_remember_mfa():
    message = next(m for m in KB.findings["remember-mfa"].messages if "AADSTS50078" in m)
    found = [f["id"] for f in diagnose(re.sub(r"<[^<>]*>", "https://graph.microsoft.com", message))["findings"]]
    assert found[:2] == ["remember-mfa", "sign-in-frequency"], found


def _all_text() -> list[tuple[str, str]]:
    """(where, text) for every prose field of the knowledge base and every docs page."""
    out = []
    for f in KB.findings.values():
        for field in ("title", "summary", "cause"):
            out.append((f"{f.id}.{field}", getattr(f, field)))
        for field in ("sees", "fix_user", "fix_admin", "prevent"):
            out += [(f"{f.id}.{field}", t) for t in getattr(f, field)]
    out += [(f"code {c.code}", c.meaning) for c in KB.codes.values()]
    out += [(f"condition {c.id}", c.note) for c in KB.conditions.values()]
    out += [(f"condition {c.id}.fix", t) for c in KB.conditions.values() for t in c.fix]
    data = Path(__file__).resolve().parent.parent / "checker" / "data"
    out += [(f"data/{name}", (data / name).read_text("utf-8")) for name in ("other_causes.toml", "plans.toml")]
    docs = Path(__file__).resolve().parent.parent / "docs"
    out += [(str(p.relative_to(docs)), p.read_text("utf-8")) for p in docs.rglob("*.md")]
    return out


def test_no_outdated_ui_paths():
    """Power Automate's connections are in the left pane, no longer under Data (audit M3); the
    target "All cloud apps" is now "All resources" and may only be named as the former name (M6)."""
    for where, text in _all_text():
        assert "Data > Connections" not in text.replace("**", ""), where
        for match in re.finditer(r"all cloud apps", text.replace("**", ""), re.I):
            before = text.replace("**", "")[max(0, match.start() - 30): match.start()]
            assert "formerly" in before or "called" in before, f"{where}: {before!r}"


SHINGLE = 10  # this many words in a row, shared with the reference material, is a copied sentence


# identifiers and addresses are not sentences
GUID = re.compile(r"https?://\S+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _words(text: str) -> list[str]:
    prose = re.sub(r"\*\*[^*]+\*\*", " ", GUID.sub(" ", text))  # UI labels, in bold, are named exactly
    prose = re.sub(r'"[^"\n]*"', " ", prose)  # so are quoted messages and settings
    return re.findall(r"[a-z0-9']+", re.sub(r"[`*_>|\[\]()]", " ", prose).lower())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def test_no_sentence_copied_from_the_reference_material():
    """Pages and knowledge are written in the project's own words: no run of ten words from
    facts.md, the source article or the audit. Error messages are quoted exactly (findings'
    `messages` and the codes' examples are not checked), and so are UI labels (in bold) and
    quoted text. The audit's "Guide:" lines and its record of the checker's answers quote this
    project's own text, so they are left out."""
    from shared_dir import SHARED

    reference = set()
    for name in ("facts.md", "guidance-source.md", "content-audit.md"):
        text = (SHARED / "reference" / name).read_text("utf-8")
        text = re.sub(r"(?m)^- (?:Guide\b|\d+(?: and \d+)? →).*$", " ", text)
        reference |= _shingles(re.findall(r"[a-z0-9']+", re.sub(r"[`*_>|\[\]()]", " ", GUID.sub(" ", text)).lower()))
    assert _shingles(_words("Before: the refresh tokens renew themselves on use; an inactive one expires after 90 days.")) & reference
    for where, text in _all_text():
        copied = _shingles(_words(text)) & reference
        assert not copied, f"{where} copies {sorted(' '.join(c) for c in copied)[:3]}"


def _question(**changes):
    q = {"id": "since", "text": "When did it start?", "tells": "cause", "differs": "If it {label}.",
         "options": [{"id": "a", "label": "A", "finding": "failed-runs"}, {"id": "b", "label": "B", "finding": "token-revoked"}]}
    return {**q, **changes}


@pytest.mark.parametrize("raw, says", [
    (None, "at least one question"),
    ([_question(), _question()], "used twice"),
    ([_question(tells="colour")], "`tells`"),
    ([_question(differs="If it started.")], "{label}"),
    ([_question(text="")], "`text`"),
    ([_question(options=[{"id": "a", "label": "A", "finding": "failed-runs"}])], "at least two"),
    ([_question(options=[{"id": "a", "label": "A", "finding": "no-such"}, {"id": "b", "label": "B", "finding": "failed-runs"}])], "'no-such', which is not a finding"),
    ([_question(options=[{"id": "a", "label": "A", "finding": "failed-runs"}, {"id": "a", "label": "B", "finding": "token-revoked"}])], "option 'a' is used twice"),
    ([_question(options=[{"id": "a"}, {"id": "b", "label": "B", "finding": "failed-runs"}])], "needs `id`, `label` and `finding`"),
])
def test_a_mistake_in_the_questions_is_named(raw, says):
    from checker.knowledge import _questions

    with pytest.raises(ValueError, match="findings.toml") as caught:
        _questions(raw, KB.findings)
    assert says in str(caught.value)


def test_the_questions_tell_apart_what_the_guide_s_diagrams_do():
    # "Where did you see this?" for the situations, "When did it start?" for the lifetimes.
    where, since = KB.questions["where"], KB.questions["since"]
    assert (where.tells, since.tells) == ("situation", "cause")
    assert {o.finding for o in since.options} == {"failed-runs", "terms-of-use", "token-revoked", "token-inactivity",
                                                   "remember-mfa", "sign-in-frequency"}


def test_no_word_list_holds_a_phrase_twice():
    """Phrases that read the same once folded ("échec", "echec") are written once per list."""
    import tomllib

    from checker.knowledge import _DATA
    from checker.text.words import compile_phrase

    with open(Path(_DATA) / "findings.toml", "rb") as f:
        vocabulary = tomllib.load(f)["vocabulary"]
    for name, text in vocabulary.items():
        words = [compile_phrase(a.strip()).words for a in text.split("|")]
        twice = {" ".join(w) for w in words if words.count(w) > 1}
        assert not twice, f"{name}: {sorted(twice)}"


def test_elsewhere_does_not_repeat_other_causes():
    """other_causes.toml's phrases already damp the words: `elsewhere` holds only the others."""
    import tomllib

    from checker.knowledge import _DATA, other_causes
    from checker.text.words import compile_phrase

    with open(Path(_DATA) / "findings.toml", "rb") as f:
        elsewhere = tomllib.load(f)["vocabulary"]["elsewhere"]
    causes = {compile_phrase(p).words for c in other_causes() for p in c["when"]}
    assert not [a.strip() for a in elsewhere.split("|") if compile_phrase(a.strip()).words in causes]
