"""`.gz` and `.br` copies of big files, for hosts that serve precompressed files (README,
"Deploying"). Used by the hooks pyodide_assets.py (Pyodide's core) and pyodide_snapshot.py (the
snapshot); the compressing is done by Node's zlib (precompress.mjs), which has brotli built in.
Copies are kept in build/precompress-cache/ by the content's sha256: Pyodide's files change only
with its version, and brotli takes seconds."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE.parents[1] / "build" / "precompress-cache"
SUFFIXES = (".gz", ".br")


def precompress(paths: list[Path]) -> dict[str, dict[str, int]]:
    """Writes PATH.gz and PATH.br beside each path; returns {name: {"gz": bytes, "br": bytes}}."""
    CACHE.mkdir(parents=True, exist_ok=True)
    tool = hashlib.sha256((HERE / "precompress.mjs").read_bytes()).hexdigest()[:16]  # its settings too
    keyed = {path: f"{hashlib.sha256(path.read_bytes()).hexdigest()}-{tool}" for path in paths}
    todo = [CACHE / key for key in keyed.values() if not all((CACHE / (key + s)).is_file() for s in SUFFIXES)]
    if todo:
        for path, key in keyed.items():
            if CACHE / key in todo:
                shutil.copyfile(path, CACHE / key)
        result = subprocess.run([shutil.which("node") or "node", str(HERE / "precompress.mjs"), *map(str, todo)],
                                capture_output=True, text=True, timeout=900)
        for raw in todo:
            raw.unlink(missing_ok=True)
        if result.returncode != 0:
            raise RuntimeError(f"precompress.mjs failed:\n{result.stderr[-2000:]}")
        json.loads(result.stdout)  # it reports what it wrote
    sizes = {}
    for path, key in keyed.items():
        for suffix in SUFFIXES:
            shutil.copyfile(CACHE / (key + suffix), path.with_name(path.name + suffix))
        sizes[path.name] = {s[1:]: (CACHE / (key + s)).stat().st_size for s in SUFFIXES}
    return sizes
