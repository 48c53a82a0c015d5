"""The knowledge base is checked like rustc's error index: every finding and every code has a
tested example, everything facts.md lists is present with the same meaning class, and every
cross-reference resolves. Adding a finding or a code without an example fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker import diagnose
from checker.knowledge import load
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
    assert {o.finding for o in KB.question.options} <= set(KB.findings)


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
