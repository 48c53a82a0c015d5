"""MkDocs hook: the guide's facts come from the checker's knowledge base at build time.

A page asks for generated content with a marker comment on a line of its own:

    <!-- kb:finding failed-runs -->   the whole page of a finding (title to related findings);
                                      handwritten Markdown after it lands under the summary
    <!-- kb:problem-list -->          every finding, linked, with its summary
    <!-- kb:code-reference -->        every sign-in error code, grouped by condition
    <!-- kb:rollout-checklist -->     per policy requirement, the findings it triggers

A finding's page and the code reference end with a "Sources" part: the Microsoft pages their
facts come from (`sources` in findings.toml and in codes.toml's conditions, titles from
data/sources.toml). Handwritten pages write their own "## Sources" list (tests check both).

The render_* functions are plain (no MkDocs objects) so the tests call them too. Every link
they write is relative to the page that holds the marker (`src`, its path under docs/).
The build fails when a marker names an unknown finding or a finding has no page.
"""
from __future__ import annotations

import html
import posixpath
import re
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path; the checker package sits at the root
    sys.path.insert(0, str(ROOT))

from checker import knowledge  # noqa: E402

MARKER = re.compile(r"^<!--\s*kb:([a-z-]+)(?:\s+([a-z0-9-]+))?\s*-->\s*$", re.MULTILINE)
PROBLEMS_DIR = knowledge.PAGE_PREFIX  # a finding's page is problems/<id>.md, served at problems/<id>/
CODES_PAGE = "reference/codes.md"
CHECKER_URL = "checker/"  # the checker page's URL under the site root (docs/checker.md)
TAB_USER = "You (flow owner)"
TAB_ADMIN = "Admin"
SEARCH_BOOST = 2  # Material's per-page search weight for finding pages
SOURCES_HEADING = "## Sources"
SOURCES_INTRO = "Microsoft's documentation behind this page (UI paths and numbers come from these):"


class UnknownReference(ValueError):
    """A marker or a link names something the knowledge base does not have."""


# -- links -----------------------------------------------------------------------------------

def finding_src(fid: str) -> str:
    return f"{PROBLEMS_DIR}{fid}.md"


def md_link(src: str, target: str) -> str:
    """A Markdown link target from page `src` to page `target` (both paths under docs/)."""
    return posixpath.relpath(target, posixpath.dirname(src) or ".")


def page_url_dir(src: str) -> str:
    """The URL directory a page is served from (use_directory_urls): a/b.md -> a/b/."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def site_link(src: str, url: str) -> str:
    """A plain URL from page `src` to `url` (relative to the site root), for raw HTML links."""
    depth = page_url_dir(src).count("/")
    return "../" * depth + url


def checker_link(src: str, query: str | None = None) -> str:
    """Link into the checker page; `#q=` runs that check on load."""
    url = site_link(src, CHECKER_URL)
    return f"{url}#q={quote(query, safe='')}" if query else url


def code_anchor(code: int) -> str:
    return f"aadsts{code}"


def code_name(code: int) -> str:
    return f"AADSTS{code}"


# -- text ------------------------------------------------------------------------------------

def text(value: str) -> str:
    """Knowledge-base prose as Markdown: HTML-escaped so `<placeholders>` stay visible; **bold** kept."""
    return html.escape(value, quote=False)


def plain(value: str) -> str:
    """Prose without Markdown, for meta descriptions and comparisons."""
    return value.replace("**", "")


def _finding(kb, fid: str):
    try:
        return kb.findings[fid]
    except KeyError:
        raise UnknownReference(f"unknown finding {fid!r} (known: {', '.join(kb.findings)})") from None


def _bullets(items) -> list[str]:
    return [f"- {text(item)}" for item in items]


def _steps(items, indent: str = "") -> list[str]:
    return [f"{indent}{n}. {text(item)}" for n, item in enumerate(items, 1)]


# -- a finding's page ------------------------------------------------------------------------

def render_finding(fid: str, src: str | None = None, kb=None, described: str = "") -> str:
    """A finding's page. `described` is the page's handwritten Markdown (how people put the
    problem in their own words), shown under the summary: readers recognise their problem
    there, and the site search matches their words to the page's top."""
    kb = kb or knowledge.load()
    f = _finding(kb, fid)
    src = src or finding_src(fid)
    out = [f"# {text(f.title)}", "", f'<p class="kb-summary">{text(f.summary)}</p>', ""]
    if not f.ca:
        out += ['!!! note "Not conditional access"', "",
                "    Nothing in your policies causes this; it happens with or without them.", ""]
    if described.strip():
        out += ['!!! quote "How people describe it"', ""]
        out += [f"    {line}".rstrip() for line in described.strip().splitlines()] + [""]
    out += ["## What you see", "", *_bullets(f.sees), ""]
    if f.messages:
        out += ["The message reads, word for word (parts in angle brackets vary):", ""]
        for message in f.messages:  # raw HTML: the exact text, never read as Markdown
            check = html.escape(checker_link(src, message))
            out += [f'<blockquote class="kb-message"><p><code>{html.escape(message)}</code></p>'
                    f'<p class="kb-check"><a href="{check}">Check this message</a></p></blockquote>', ""]
    out += [f'<a class="md-button md-button--primary" href="{checker_link(src)}">Check your error</a>',
            "", "## Why it happens", "", text(f.cause), "", "## How to fix it", ""]
    out += [f'=== "{TAB_USER}"', "", *_steps(f.fix_user, "    "), ""]
    if f.fix_admin:
        out += [f'=== "{TAB_ADMIN}"', "", *_steps(f.fix_admin, "    "), ""]
    if f.prevent:
        out += ["## How to prevent it", "", *_bullets(f.prevent), ""]
    if f.codes:
        out += ["## Error codes that point here", "", *_codes_by_condition(kb, f.codes, src), ""]
    if f.related:
        out += ["## Related problems", ""]
        out += [_finding_item(kb, rid, src) for rid in f.related]
        out += [""]
    out += render_sources(f.sources)
    return "\n".join(out)


def render_sources(keys) -> list[str]:
    """The "Sources" part: each documentation page once, in the order first named."""
    catalogue = knowledge.sources()
    unique = list(dict.fromkeys(keys))
    unknown = [k for k in unique if k not in catalogue]
    if unknown:
        raise UnknownReference(f"unknown source(s) {', '.join(unknown)} (see checker/data/sources.toml)")
    if not unique:
        raise UnknownReference("a generated page needs at least one source")
    out = [SOURCES_HEADING, "", SOURCES_INTRO, ""]
    out += [f"- [{text(catalogue[k].title)}]({catalogue[k].url})" for k in unique]
    return out + [""]


def _codes_by_condition(kb, codes, src: str) -> list[str]:
    groups: dict[str, list[int]] = {}
    for code in codes:
        groups.setdefault(kb.codes[code].condition, []).append(code)
    ref = md_link(src, CODES_PAGE)
    lines = []
    for condition, members in groups.items():
        links = ", ".join(f"[{code_name(c)}]({ref}#{code_anchor(c)})" for c in members)
        lines.append(f"- **{text(kb.conditions[condition].label)}**: {links}")
    return lines


def _finding_item(kb, fid: str, src: str) -> str:
    f = _finding(kb, fid)
    return f"- [{text(f.title)}]({md_link(src, finding_src(fid))}): {text(f.summary)}"


# -- lists and reference ---------------------------------------------------------------------

def render_problem_list(src: str, kb=None) -> str:
    kb = kb or knowledge.load()
    return "\n".join(_finding_item(kb, fid, src) for fid in kb.findings) + "\n"


def render_code_table(src: str = CODES_PAGE, kb=None) -> str:
    """Every code, grouped by condition (conditions in knowledge-base order), each with its anchor."""
    kb = kb or knowledge.load()
    out = []
    for cid, condition in kb.conditions.items():
        codes = [c for c in kb.codes.values() if c.condition == cid]
        if not codes:
            continue
        out += [f"## {text(condition.label)} {{#{cid}}}", ""]
        if condition.findings:
            links = ", ".join(
                f"[{text(_finding(kb, fid).title)}]({md_link(src, finding_src(fid))})"
                for fid in condition.findings
            )
            out += [f"Points to, most likely first: {links}.", ""]
        else:
            out += ["No problem in this guide follows from these codes alone: the checker explains them "
                    "and looks at the rest of what you paste.", ""]
        if condition.note:
            out += ['!!! info "Before you act on these codes"', "", f"    {text(condition.note)}", ""]
        # One heading per code, not a table row: the site search indexes headings as sections,
        # so a code typed into it finds its own entry here first (title boost, mkdocs.yml).
        for c in codes:
            name = code_name(c.code)
            check = f'<a href="{checker_link(src, name)}" aria-label="Check {name}">Check {name}</a>'
            out += [f"### {name} {{#{code_anchor(c.code)}}}", "", f"{text(c.meaning)} {check}", ""]
    used = [cid for cid in kb.conditions if any(c.condition == cid for c in kb.codes.values())]
    out += render_sources(k for cid in used for k in kb.conditions[cid].sources)
    return "\n".join(out)


def render_rollout_checklist(src: str, kb=None, checklist=None) -> str:
    """The admin checklist from checker.rollout.checklist(): each requirement, what it breaks."""
    kb = kb or knowledge.load()
    if checklist is None:
        from checker.rollout import checklist as make

        checklist = make()
    out = ["| Requirement | Problems it can cause |", "| --- | --- |"]
    for item in checklist:  # at a glance first, then why, requirement by requirement
        # One problem per line: a comma-joined run of titles cannot be read at a glance.
        links = "<br>".join(
            f"[{text(_finding(kb, hit['id']).title)}]({md_link(src, finding_src(hit['id']))})"
            for hit in item["findings"]
        ) or "None of the problems in this guide"
        out.append(f"| [{text(item['label'])}](#{item['requirement']}) | {links} |")
    out.append("")
    for item in checklist:
        out += [f"## {text(item['label'])} {{#{item['requirement']}}}", ""]
        if not item["findings"]:
            out += ["Nothing in this guide breaks from this requirement alone.", ""]
        for hit in item["findings"]:
            f = _finding(kb, hit["id"])
            why = hit["why"] if isinstance(hit["why"], str) else " ".join(hit["why"])
            out.append(f"- **[{text(f.title)}]({md_link(src, finding_src(f.id))})**: {text(why)}")
        out.append("")
    return "\n".join(out)


# -- markers ---------------------------------------------------------------------------------

def expand(markdown: str, src: str, kb=None) -> str:
    """Replace every kb: marker in a page's Markdown with its generated content."""
    kb = kb or knowledge.load()

    first = MARKER.search(markdown)
    if first and first.group(1) == "finding":
        # a finding's page: what follows the marker is handwritten prose for render_finding
        if not first.group(2):
            raise UnknownReference("kb:finding needs a finding id")
        rest = markdown[first.end():]
        if MARKER.search(rest):
            raise UnknownReference("a finding's page holds no other marker")
        return markdown[:first.start()] + render_finding(first.group(2), src, kb, described=rest)

    def replace(match: re.Match) -> str:
        name, arg = match.group(1), match.group(2)
        if name == "finding":
            raise UnknownReference("kb:finding must be the first marker of its page")
        renderers = {
            "problem-list": render_problem_list,
            "code-reference": render_code_table,
            "rollout-checklist": render_rollout_checklist,
        }
        if name not in renderers:
            raise UnknownReference(f"unknown marker kb:{name}")
        return renderers[name](src, kb)

    return MARKER.sub(replace, markdown)


def markers(markdown: str) -> list[tuple[str, str | None]]:
    return [(m.group(1), m.group(2)) for m in MARKER.finditer(markdown)]


def missing_pages(srcs, kb=None) -> list[str]:
    """Findings without a page among the page paths `srcs`."""
    kb = kb or knowledge.load()
    present = set(srcs)
    return [fid for fid in kb.findings if finding_src(fid) not in present]


# -- MkDocs events ---------------------------------------------------------------------------

def _fail(message: str):
    from mkdocs.exceptions import PluginError

    raise PluginError(f"knowledge_pages: {message}")


def on_files(files, config):
    missing = missing_pages(f.src_uri for f in files.documentation_pages())
    if missing:
        _fail(f"no page for finding(s) {', '.join(missing)}: add docs/problems/<id>.md "
              "holding <!-- kb:finding <id> -->")
    return files


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    try:
        expanded = expand(markdown, src)
    except UnknownReference as exc:
        _fail(f"{src}: {exc}")
    found = [arg for name, arg in markers(markdown) if name == "finding"]
    own = _page_finding(src)
    if own and found != [own]:
        _fail(f"{src} must hold exactly one marker <!-- kb:finding {own} --> (found {found})")
    if found:
        f = knowledge.load().findings[found[0]]
        page.meta.setdefault("description", plain(f.summary))
        # people search for their problem: its page should outrank pages that merely mention it
        page.meta.setdefault("search", {}).setdefault("boost", SEARCH_BOOST)
    return expanded


def _page_finding(src: str) -> str | None:
    """The finding a page under problems/ is for (its file name), None for other pages."""
    if src.startswith(PROBLEMS_DIR) and src != f"{PROBLEMS_DIR}index.md":
        return src[len(PROBLEMS_DIR):-3]
    return None
