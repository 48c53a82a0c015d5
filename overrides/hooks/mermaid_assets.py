"""MkDocs hook: diagrams without a CDN.

Material renders ```mermaid blocks with `window.mermaid` and, when that is undefined, fetches
mermaid from unpkg.com. The site defines `window.mermaid` itself (docs/javascripts/
mermaid-loader.js, a stand-in that imports mermaid's ES module on the first diagram) and
serves that module from node_modules/mermaid (pinned in package-lock.json).

After the build this hook
- copies mermaid's ES module build into site/assets/mermaid/: the entry and the chunks it can
  import, without source maps and without the diagram types the guide does not draw. The entry
  loads each diagram type from its own chunk, behind a detector regex (`/^\\s*gantt/`); the hook
  reads the first line of every ```mermaid block in docs/, keeps the loaders whose detector
  matches one, and copies what the entry and those reach through their imports (3.4 MB instead
  of 5.5 MB; 1.6 MB of it is the elk layout engine, which mermaid 12 imports whenever it draws).
  A new diagram type on a page comes in at the next build by itself; and
- rewrites the CDN fallbacks in Material's bundle, so that no file of the site names a CDN to
  load from: the mermaid fallback points at the site's own loader, and the ResizeObserver
  polyfill fallback (only for browsers older than 2020) is dropped, which makes such a browser
  fail on its own instead of contacting unpkg.com. An unknown CDN address fails the build.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
MERMAID_DIST = ROOT / "node_modules" / "mermaid" / "dist"
ENTRY = "mermaid.esm.min.mjs"
CHUNKS = Path("chunks") / "mermaid.esm.min"
SITE_SUBDIR = Path("assets") / "mermaid"
LOADER = "javascripts/mermaid-loader.js"  # under docs/, listed in mkdocs.yml extra_javascript
CDN = re.compile(r"https?://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh)/[^\"'`\s)]*")


def _fail(message: str):
    from mkdocs.exceptions import PluginError

    raise PluginError(f"mermaid_assets: {message}")


STATIC_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*["'](\./[^"']+\.mjs)["']""")
DYNAMIC_IMPORT = re.compile(r"""\bimport\(\s*["'](\./[^"']+\.mjs)["']\s*\)""")
# A detector in the entry: a regex literal anchored at the diagram's first line, e.g. /^\s*gantt/i.
DETECTOR = re.compile(r"/(\^(?:[^/\\\n]|\\.)*)/([a-z]*)")
FENCE = re.compile(r"^```mermaid[^\n]*\n(.*?)^```", re.M | re.S)


def diagrams(docs_dir: Path) -> list[str]:
    """The text of every mermaid diagram in the docs."""
    return [block for page in docs_dir.rglob("*.md") for block in FENCE.findall(page.read_text("utf-8"))]


def diagram_headers(blocks: list[str]) -> set[str]:
    """The first line of each diagram (after front matter and comments): what mermaid detects."""
    headers = set()
    for block in blocks:
        lines = block.splitlines()
        if lines and lines[0].strip() == "---":  # front matter (config)
            end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
            lines = lines[end + 1:]
        lines = [line for line in lines if line.strip() and not line.strip().startswith("%%")]
        if lines:
            headers.add(lines[0])
    return headers


def diagram_loaders(entry_text: str) -> list[tuple[str, re.Pattern]]:
    """(chunk, detector) for each diagram type the entry can load, in the entry's order."""
    loaders, start = [], 0
    for match in DYNAMIC_IMPORT.finditer(entry_text):
        detectors = DETECTOR.findall(entry_text, start, match.start())
        start = match.end()
        if not detectors:
            _fail(f"no detector before the entry's import of {match.group(1)}: has mermaid's bundle changed?")
        source, flags = detectors[-1]
        loaders.append((match.group(1), re.compile(source, re.I if "i" in flags else 0)))
    return loaders


def needed_files(blocks: list[str]) -> set[Path]:
    """The entry, the loaders of the diagram types drawn, and what they import, as dist paths."""
    headers = diagram_headers(blocks)
    entry = (MERMAID_DIST / ENTRY).resolve()
    loaders = diagram_loaders(entry.read_text("utf-8"))
    # A chunk can serve several types (flowchart and flowchart-elk): kept when any of them is drawn.
    drawn = {chunk for chunk, detector in loaders if any(detector.match(h) for h in headers)}
    unused = {chunk for chunk, _ in loaders} - drawn
    needed, todo = set(), [entry]
    while todo:
        path = todo.pop()
        if path in needed:
            continue
        if not path.is_file():
            _fail(f"mermaid's {path.name} imports a file that is missing: {path}")
        needed.add(path)
        text = path.read_text("utf-8")
        imports = STATIC_IMPORT.findall(text) + DYNAMIC_IMPORT.findall(text)
        # Layout engines stay: mermaid 12 imports every registered one (elk too) when it draws.
        todo += [(path.parent / name).resolve() for name in imports if not (path == entry and name in unused)]
    return needed


def copy_mermaid(site_dir: Path, docs_dir: Path) -> int:
    """Copy what the guide's diagrams need of the ES module build; returns the number of files."""
    entry = MERMAID_DIST / ENTRY
    if not entry.is_file():
        _fail(f"{entry} is missing: run `make setup` (npm ci)")
    dest = site_dir / SITE_SUBDIR
    (dest / CHUNKS).mkdir(parents=True, exist_ok=True)
    files = needed_files(diagrams(docs_dir))
    for path in files:
        shutil.copyfile(path, dest / path.relative_to(MERMAID_DIST.resolve()))
    return len(files)


def fallback_map(site_url: str | None) -> dict[str, str]:
    """What each CDN address in Material's bundle becomes (an address on the site, or nothing)."""
    root = urlsplit(site_url or "/").path or "/"
    if not root.endswith("/"):
        root += "/"
    return {
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js": root + LOADER,
        "https://unpkg.com/resize-observer-polyfill": "",
    }


def rewrite_fallbacks(source: str, mapping: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        url = match.group(0)
        if url not in mapping:
            _fail(f"Material's bundle loads {url}: map it to a file the site serves")
        return mapping[url]

    return CDN.sub(replace, source)


def patch_bundles(site_dir: Path, site_url: str | None) -> None:
    bundles = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    if not bundles:
        _fail("Material's bundle.*.min.js was not found in the site")
    mapping = fallback_map(site_url)
    for bundle in bundles:
        source = bundle.read_text("utf-8")
        bundle.write_text(rewrite_fallbacks(source, mapping), "utf-8")


def on_post_build(config):
    site_dir = Path(config["site_dir"])
    copy_mermaid(site_dir, Path(config["docs_dir"]))
    patch_bundles(site_dir, config.get("site_url"))
