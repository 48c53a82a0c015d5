"""The site builds cleanly and every link inside it lands somewhere real."""
from __future__ import annotations

import html.parser
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from checker import knowledge

ROOT = Path(__file__).resolve().parent.parent
# Runtime files other code owns and that hold no links of ours.
SKIP_DIRS = {"pyodide", "assets"}
# Fragments the checker page reads as parameters (checker/#q=...), not as element ids.
HASH_PARAMS = ("q=",)


class _Links(html.parser.HTMLParser):
    """Collects ids and the href/src of a page's elements."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.refs.append(attrs[key])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(
        p for p in site.rglob("*.html")
        if not SKIP_DIRS.intersection(p.relative_to(site).parts[:1]) and p.name != "404.html"
    )


def _target(site: Path, page: Path, ref: str) -> tuple[Path | None, str]:
    """The file an in-site reference points to (None for other sites), and its fragment."""
    if ref.startswith(knowledge.SITE_URL):
        ref = "/" + ref[len(knowledge.SITE_URL):]
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        return None, ""
    if not parts.path:
        return page, parts.fragment
    base = site if parts.path.startswith("/") else page.parent
    path = (base / unquote(parts.path.lstrip("/"))).resolve()
    if path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def test_strict_build_has_no_warning(tmp_path):
    """A fresh `mkdocs build --strict` succeeds and logs no WARNING (MkDocs' own checks of
    links and anchors included, see `validation:` in mkdocs.yml)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
    )
    log = run.stdout + run.stderr
    assert run.returncode == 0, log
    assert "WARNING" not in log, log
    assert (tmp_path / "site" / "index.html").is_file()


def test_site_url_matches_knowledge_base_and_no_repo_url():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config["site_url"] == knowledge.SITE_URL
    # repo_url makes Material call api.github.com from every page
    assert not config["repo_url"]
    assert config["theme"]["font"] is False  # no Google Fonts


def test_every_internal_link_and_anchor_resolves(site_dir):
    pages = html_pages(site_dir)
    assert len(pages) >= len(knowledge.load().findings) + 6
    ids = {}
    broken = []
    for page in pages:
        links = _parse(page)
        for ref in links.refs:
            target, fragment = _target(site_dir, page, ref)
            if target is None:
                continue
            name = f"{page.relative_to(site_dir)} -> {ref}"
            if not target.exists():
                broken.append(f"{name}: no such file")
                continue
            if not fragment or fragment.startswith(HASH_PARAMS) or target.suffix != ".html":
                continue
            if target not in ids:
                ids[target] = _parse(target).ids
            if unquote(fragment) not in ids[target]:
                broken.append(f"{name}: no element with id {fragment!r}")
    assert not broken, "\n".join(broken)


def test_link_checker_catches_a_broken_link(tmp_path):
    """The check above can fail: a missing page and a missing anchor are both reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<h1 id="top">A</h1>')
    page = tmp_path / "index.html"
    page.write_text('<a href="a/#top">ok</a><a href="a/#nope">bad anchor</a><a href="b/">bad page</a>')
    results = [_target(tmp_path, page, ref) for ref in _parse(page).refs]
    assert results[0][0].exists() and "top" in _parse(results[0][0]).ids
    assert "nope" not in _parse(results[1][0]).ids
    assert not results[2][0].exists()
    assert _target(tmp_path, page, "https://example.org/x")[0] is None
    assert _target(tmp_path, page, knowledge.SITE_URL + "a/")[0] == results[0][0]
