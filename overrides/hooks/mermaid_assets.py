"""MkDocs hook: diagrams without a CDN.

Material renders ```mermaid blocks with `window.mermaid` and, when that is undefined, fetches
mermaid from unpkg.com. The site defines `window.mermaid` itself (docs/javascripts/
mermaid-loader.js, a stand-in that imports mermaid's ES module on the first diagram) and
serves that module from node_modules/mermaid (pinned in package-lock.json).

After the build this hook
- copies mermaid's ES module build (entry plus its lazily imported chunks, no source maps) into
  site/assets/mermaid/, and
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


def copy_mermaid(site_dir: Path) -> int:
    """Copy the ES module build into the site; returns the number of files copied."""
    entry = MERMAID_DIST / ENTRY
    if not entry.is_file():
        _fail(f"{entry} is missing: run `make setup` (npm ci)")
    dest = site_dir / SITE_SUBDIR
    (dest / CHUNKS).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(entry, dest / ENTRY)
    count = 1
    for chunk in (MERMAID_DIST / CHUNKS).glob("*.mjs"):
        shutil.copyfile(chunk, dest / CHUNKS / chunk.name)
        count += 1
    return count


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
    copy_mermaid(site_dir)
    patch_bundles(site_dir, config.get("site_url"))
