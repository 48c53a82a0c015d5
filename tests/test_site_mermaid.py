"""The site ships only the part of mermaid its diagrams use (overrides/hooks/mermaid_assets.py):
every diagram type drawn in docs/ has its loader, every import of a shipped file resolves to a
shipped file, and the types nobody draws stay out. (tests/test_site_offline.py draws them.)"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import mermaid_assets as hook  # noqa: E402


def shipped(site_dir) -> Path:
    return site_dir / hook.SITE_SUBDIR


def test_every_drawn_type_has_its_loader_and_the_others_are_left_out(site_dir):
    blocks = hook.diagrams(ROOT / "docs")
    headers = hook.diagram_headers(blocks)
    assert {h.split()[0] for h in headers} >= {"flowchart", "gantt"}, headers
    loaders = hook.diagram_loaders((hook.MERMAID_DIST / hook.ENTRY).read_text("utf-8"))
    assert len(loaders) > 20  # the detectors were found, not skipped
    present = {name for name, _ in loaders if (shipped(site_dir) / name).is_file()}
    for header in headers:
        first = next(name for name, detector in loaders if detector.match(header))
        assert first in present, f"no loader shipped for the diagram starting {header!r}"
    assert not any("sequenceDiagram" in n or "mindmap" in n for n in present)


def test_every_import_of_a_shipped_file_is_shipped(site_dir):
    root = shipped(site_dir)
    entry = root / hook.ENTRY
    files = list(root.rglob("*.mjs"))
    assert entry in files
    dropped = []
    for path in files:
        text = path.read_text("utf-8")
        for name in hook.STATIC_IMPORT.findall(text) + hook.DYNAMIC_IMPORT.findall(text):
            if not (path.parent / name).is_file():
                dropped.append((path, name))
    # Only the entry's loaders of diagram types the guide does not draw are missing.
    assert all(path == entry for path, _ in dropped), [d for d in dropped if d[0] != entry][:3]
    assert dropped, "nothing was left out"
    full = sum(p.stat().st_size for p in hook.MERMAID_DIST.rglob("*.mjs") if "esm.min" in p.name or "esm.min" in str(p.parent))
    assert sum(p.stat().st_size for p in files) < 0.7 * full
