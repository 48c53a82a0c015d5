"""The site loads nothing from other hosts: checked in the files and in a real browser."""
from __future__ import annotations

import html.parser
import re
import sys
from pathlib import Path

import pytest

from checker import knowledge

TEXT_SUFFIXES = {".html", ".css", ".js", ".mjs"}
# <link rel=...> values that make the browser fetch the href (canonical/alternate only name it).
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "preload",
                "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest", "prerender"}
SRC_ATTRS = {"src", "srcset", "poster", "data", "background"}
OUTSIDE = r"(?:https?:)?//[^\s'\"`)]+"
CSS_LOADS = re.compile(rf"""url\(\s*['"]?({OUTSIDE})|@import\s+(?:url\()?\s*['"]?({OUTSIDE})""", re.I)
JS_LOADS = re.compile(
    rf"""(?:\bimport\s*\(\s*|\bimportScripts\s*\(\s*|\bfetch\s*\(\s*|\bnew\s+(?:Shared)?Worker\s*\(\s*"""
    rf"""|\bfrom\s*|\bimport\s+|\.src\s*=\s*)['"`]({OUTSIDE})""")
# Hosts that exist to serve code, styles and fonts: naming one anywhere in a script is suspect.
ASSET_HOSTS = re.compile(
    r"(?:https?:)?//(?:[\w-]+\.)*(?:unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|googleapis\.com"
    r"|gstatic\.com|esm\.sh|skypack\.dev|bootstrapcdn\.com|polyfill\.io|jspm\.io|fontawesome\.com/[\w/.-]+\.(?:js|css))"
    r"[^\s'\"`)]*")
# (file, address): why it is not a load.
ALLOWED = {
    ("pyodide/pyodide.mjs", "https://cdn.jsdelivr.net/pyodide/v${U}/full/"):
        "Pyodide's default `cdnUrl`, used only when Node.js downloads packages into a cache; in a "
        "browser packages come from the site's own pyodide-lock.json",
}


class _Loads(html.parser.HTMLParser):
    """Outside addresses an HTML page makes the browser fetch."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        refs = [v for k, v in attrs.items() if k in SRC_ATTRS]
        if tag == "link" and LOADING_RELS & set(attrs.get("rel", "").lower().split()):
            refs.append(attrs.get("href", ""))
        if tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            refs.append(attrs.get("content", "").partition("url=")[2])
        for ref in refs:
            for part in ref.split(","):  # srcset lists several
                if re.match(OUTSIDE, part.strip()):
                    self.found.append(part.strip().split()[0])
        self.found += [m.group(1) or m.group(2) for m in CSS_LOADS.finditer(attrs.get("style", ""))]
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.found += [m.group(1) or m.group(2) for m in CSS_LOADS.finditer(data)]

    def handle_endtag(self, tag):
        self._in_style = False


def outside_loads(path: Path, text: str) -> list[str]:
    """Absolute addresses of other hosts that `text` (the content of `path`) would load."""
    if path.suffix == ".html":
        parser = _Loads()
        parser.feed(text)
        return parser.found
    if path.suffix == ".css":
        return [m.group(1) or m.group(2) for m in CSS_LOADS.finditer(text)]
    return sorted({m.group(1) for m in JS_LOADS.finditer(text)} | {m.group(0) for m in ASSET_HOSTS.finditer(text)})


def test_built_files_load_nothing_from_other_hosts(site_dir):
    found = []
    scanned = 0
    for path in sorted(site_dir.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        scanned += 1
        rel = path.relative_to(site_dir).as_posix()
        for url in outside_loads(path, path.read_text("utf-8", errors="replace")):
            if (rel, url) not in ALLOWED:
                found.append(f"{rel}: {url}")
    assert scanned > 50  # HTML pages, Material's assets, mermaid's chunks, the checker's scripts
    assert not found, "files that load from other hosts:\n" + "\n".join(found)


@pytest.mark.parametrize("name, text, expected", [
    ("a.html", '<script src="https://cdn.example.org/x.js"></script>', ["https://cdn.example.org/x.js"]),
    ("a.html", '<link rel="stylesheet" href="//fonts.example.org/f.css">', ["//fonts.example.org/f.css"]),
    ("a.html", '<img srcset="a.png 1x, https://img.example.org/b.png 2x">', ["https://img.example.org/b.png"]),
    ("a.html", '<div style="background: url(https://x.example.org/a.png)"></div>', ["https://x.example.org/a.png"]),
    ("a.html", '<link rel="canonical" href="https://flow-access-guide.github.io/"><a href="https://example.org">x</a>', []),
    ("a.css", '@import "https://fonts.googleapis.com/css?family=Roboto"; b{background:url("data:image/svg+xml,x")}',
     ["https://fonts.googleapis.com/css?family=Roboto"]),
    ("a.js", 'const m = await import("https://esm.example.org/m.mjs")', ["https://esm.example.org/m.mjs"]),
    ("a.js", 'return load("https://unpkg.com/mermaid@11/dist/mermaid.min.js")',
     ["https://unpkg.com/mermaid@11/dist/mermaid.min.js"]),
    ("a.js", 'throw new Error("see https://github.com/org/repo/issues")', []),
])
def test_scanner_tells_loads_from_mentions(name, text, expected):
    assert outside_loads(Path(name), text) == expected


def _visit(page, url: str, settle: bool = False) -> None:
    page.goto(url, wait_until="load")
    if settle:  # until the network is quiet: the checker's runtime starts when a page is idle
        page.wait_for_load_state("networkidle")
    else:
        page.wait_for_timeout(300)


def _foreign(requests: list[str], base_url: str) -> list[str]:
    return [u for u in requests if not u.startswith((base_url, "data:", "blob:"))]


def test_browser_requests_stay_on_the_site(base_url, context, page):
    """Home, every finding page, the reference and a search: every request goes to the site."""
    paths = [*(f.page for f in knowledge.load().findings.values()), "reference/codes/"]
    _visit(page, base_url, settle=True)
    for path in paths:
        _visit(page, base_url + path)
        assert page.locator("h1").count() == 1
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("AADSTS50076")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert any("search_index.json" in u for u in context.requests)  # the search really ran
    assert len(context.requests) > len(paths)
    assert not _foreign(context.requests, base_url)


def test_diagrams_render_from_the_site_copy_of_mermaid(base_url, context, page):
    """Material draws the diagrams with the site's mermaid (no CDN fallback was needed)."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "problems/")
    page.locator("div.mermaid").nth(1).wait_for(state="attached", timeout=20000)
    assert page.locator("pre.mermaid").count() == 0  # Material replaced both code blocks
    assert any("/assets/mermaid/mermaid.esm.min.mjs" in u for u in context.requests)
    assert not any("unpkg" in u for u in context.requests)
    assert not errors, errors


def test_material_bundle_falls_back_to_the_site_not_a_cdn(site_dir):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "overrides" / "hooks"))
    import mermaid_assets

    bundle = next((site_dir / "assets" / "javascripts").glob("bundle.*.min.js")).read_text("utf-8")
    assert "unpkg.com" not in bundle
    assert f'"/{mermaid_assets.LOADER}"' in bundle  # site_url is the domain root
    mapping = mermaid_assets.fallback_map("https://example.org/docs")
    assert mapping["https://unpkg.com/mermaid@11/dist/mermaid.min.js"] == "/docs/javascripts/mermaid-loader.js"
    with pytest.raises(Exception, match="cdn.jsdelivr.net"):  # an unknown CDN fails the build
        mermaid_assets.rewrite_fallbacks('load("https://cdn.jsdelivr.net/npm/x.js")', mapping)
