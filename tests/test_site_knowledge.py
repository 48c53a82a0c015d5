"""One source of truth: the guide's pages say what the checker's knowledge base says."""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

from checker import knowledge

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))

import knowledge_pages as kp  # noqa: E402

KB = knowledge.load()
PAGE_LINK = re.compile(r"\]\(((?:\.\./)*(?:problems/)?)([a-z0-9-]+)\.md(?:#[^)]*)?\)")


def built_text(site: Path, rel: str) -> str:
    """A built page as text: tags dropped, entities decoded, whitespace collapsed."""
    raw = (site / rel / "index.html").read_text("utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    raw = re.sub(r"</?(?:strong|em|code|a|span|kbd)\b[^>]*>", "", raw)  # inline: no word break
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def squash(value: str) -> str:
    return " ".join(kp.plain(value).split())


def test_every_finding_has_a_page_holding_its_marker():
    for fid in KB.findings:
        page = DOCS / kp.finding_src(fid)
        assert page.is_file(), f"no page for finding {fid}"
        assert kp.markers(page.read_text("utf-8")) == [("finding", fid)]


def test_no_page_names_an_unknown_finding():
    extra = {p.stem for p in (DOCS / "problems").glob("*.md")} - set(KB.findings) - {"index"}
    assert not extra, f"problem pages without a finding: {extra}"
    for page in DOCS.rglob("*.md"):
        source = page.read_text("utf-8")
        for name, arg in kp.markers(source):
            assert name != "finding" or arg in KB.findings, f"{page}: kb:finding {arg}"
        in_problems = page.parent == DOCS / "problems"
        for prefix, target in PAGE_LINK.findall(source):
            if in_problems and not prefix or "problems/" in prefix:
                assert target in KB.findings or target == "index", f"{page}: link to {target}.md"


def test_hook_rejects_unknown_findings_and_markers():
    with pytest.raises(kp.UnknownReference):
        kp.expand("<!-- kb:finding no-such-problem -->\n", "problems/x.md")
    with pytest.raises(kp.UnknownReference):
        kp.expand("<!-- kb:no-such-list -->\n", "index.md")
    assert kp.missing_pages(["problems/failed-runs.md"]) == [f for f in KB.findings if f != "failed-runs"]
    assert kp.missing_pages(kp.finding_src(f) for f in KB.findings) == []


def test_links_are_relative_to_the_page():
    assert kp.md_link("problems/failed-runs.md", "reference/codes.md") == "../reference/codes.md"
    assert kp.md_link("index.md", "problems/failed-runs.md") == "problems/failed-runs.md"
    assert kp.checker_link("problems/failed-runs.md") == "../../checker/"
    assert kp.checker_link("reference/codes.md", "AADSTS50076") == "../../checker/#q=AADSTS50076"
    assert kp.checker_link("problems/index.md", "a b") == "../checker/#q=a%20b"
    assert kp.checker_link("index.md") == "checker/"


def test_rendered_finding_holds_every_fact_of_the_knowledge_base():
    for fid, f in KB.findings.items():
        page = kp.render_finding(fid)
        assert page.startswith(f"# {html.escape(f.title, quote=False)}\n")
        for message in f.messages:  # verbatim, escaped as HTML
            assert f"<code>{html.escape(message)}</code>" in page
        for code in f.codes:
            assert f"#{kp.code_anchor(code)})" in page
        for rid in f.related:
            assert f"]({rid}.md)" in page


@pytest.mark.parametrize("fid", list(KB.findings))
def test_built_finding_page_says_what_the_knowledge_base_says(site_dir, fid):
    f = KB.findings[fid]
    text = built_text(site_dir, f"problems/{fid}")
    facts = [f.title, f.summary, f.cause, *f.sees, *f.messages, *f.fix_user, *f.fix_admin, *f.prevent]
    missing = [fact for fact in facts if squash(fact) not in text]
    assert not missing, f"{fid}: the page lacks {missing}"
    for rid in f.related:
        assert KB.findings[rid].title in text


def test_every_code_is_in_the_reference_with_its_anchor(site_dir):
    page = (site_dir / "reference" / "codes" / "index.html").read_text("utf-8")
    text = built_text(site_dir, "reference/codes")
    for code, c in KB.codes.items():
        assert f'id="{kp.code_anchor(code)}"' in page, code
        assert f'href="../../checker/#q=AADSTS{code}"' in page, code
        assert squash(c.meaning) in text, code
    for condition in KB.conditions.values():
        if any(c.condition == condition.id for c in KB.codes.values()):
            assert condition.label in text


def test_problem_lists_name_every_finding(site_dir):
    for rel in ("", "problems"):
        page = (site_dir / rel / "index.html").read_text("utf-8") if rel else (site_dir / "index.html").read_text("utf-8")
        for fid, f in KB.findings.items():
            assert f'problems/{fid}/"' in page or f'href="{fid}/"' in page, (rel, fid)
            assert html.escape(f.title, quote=False) in page


def test_rollout_checklist_page_follows_checker_rollout(site_dir):
    from checker.rollout import checklist

    page = (site_dir / "before-you-turn-on" / "index.html").read_text("utf-8")
    items = checklist()
    assert {i["requirement"] for i in items} >= {
        "mfa", "location", "compliant-device", "approved-app", "terms-of-use", "sign-in-frequency", "remember-mfa"}
    for item in items:
        start = page.index(f'id="{item["requirement"]}"')
        section = page[start: page.find("<h2", start + 1)]
        for hit in item["findings"]:
            assert f'href="../problems/{hit["id"]}/"' in section, (item["requirement"], hit["id"])


# -- sources ---------------------------------------------------------------------------------

def _sources_part(html_page: str) -> list[tuple[str, str]]:
    """(href, text) of every list item in the page's "Sources" part (its h2 to the next h2 or
    the end of the article); an item without a link gives ("", its text)."""
    start = html_page.find('<h2 id="sources"')
    if start < 0:
        return []
    ends = [i for i in (html_page.find("<h2", start + 1), html_page.find("</article>", start)) if i > 0]
    part = html_page[start: min(ends) if ends else None]
    out = []
    for item in re.findall(r"<li>(.*?)</li>", part, flags=re.S):
        link = re.search(r'<a href="([^"]+)"[^>]*>(.*?)</a>', item, flags=re.S)
        body = link.group(2) if link else item
        out.append((link.group(1) if link else "", " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())))
    return out


def test_every_page_has_a_sources_part_of_known_pages(site_dir):
    """Every page of the guide ends with a "Sources" part listing Microsoft pages by title; every
    entry is a page of checker/data/sources.toml, with its title and address, never empty."""
    catalogue = {s.title: s.url for s in knowledge.sources().values()}
    for page in sorted(DOCS.rglob("*.md")):
        rel = page.relative_to(DOCS).as_posix()
        built = (site_dir / kp.page_url_dir(rel) / "index.html").read_text("utf-8")
        entries = _sources_part(built)
        assert entries, f"{rel}: no Sources part"
        for href, title in entries:
            assert title, f"{rel}: an empty source"
            assert catalogue.get(title) == href, f"{rel}: {title!r} ({href}) is not in sources.toml"


def test_finding_pages_list_the_sources_the_knowledge_base_names(site_dir):
    catalogue = knowledge.sources()
    for fid, f in KB.findings.items():
        built = (site_dir / "problems" / fid / "index.html").read_text("utf-8")
        listed = [title for _, title in _sources_part(built)]
        assert listed == [catalogue[k].title for k in dict.fromkeys(f.sources)], fid


def test_code_reference_shows_notes_and_the_conditions_sources(site_dir):
    text = built_text(site_dir, "reference/codes")
    page = (site_dir / "reference" / "codes" / "index.html").read_text("utf-8")
    catalogue = knowledge.sources()
    listed = {title for _, title in _sources_part(page)}
    for condition in KB.conditions.values():
        if not any(c.condition == condition.id for c in KB.codes.values()):
            continue
        if condition.note:
            assert squash(condition.note) in text, condition.id
        assert {catalogue[k].title for k in condition.sources} <= listed, condition.id


def test_hook_rejects_unknown_or_missing_sources():
    with pytest.raises(kp.UnknownReference):
        kp.render_sources(["no-such-source"])
    with pytest.raises(kp.UnknownReference):
        kp.render_sources([])
    assert kp.render_sources(["kb", "kb"]).count(f"- [{knowledge.sources()['kb'].title}]"
                                                   f"({knowledge.sources()['kb'].url})") == 1
