"""MkDocs hook: a memory snapshot of the started checker, so a return visit skips Python's start.

Runs after pyodide_assets.py (listed after it in mkdocs.yml). In Node, from the site's own
Pyodide, lock file and checker wheel, `pyodide_snapshot.mjs` starts the checker the way the
browser worker does, imports everything it may import (`pyodide_snapshot_prepare.py`; the
restored interpreter has no files to import from) and writes the snapshot, with `.gz` and `.br`
copies (precompressed.py), into `site/pyodide/`. `snapshot.json` beside it names the file, its sha256 and size, the
Pyodide version and the wheel's sha256: the worker (assets/checker/snapshot.mjs) checks all of
them before it uses a snapshot, and uses the plain start whenever anything differs.

The modules the checker's source names in `import` statements (function-level ones included)
are read from the wheel itself with `ast`, so whatever other modules the engine grows come in
without a list kept by hand. Making a snapshot takes a few seconds; the result is kept in
build/snapshot-cache/ under a key of everything it is made from, so an unchanged build reuses it.
"""
from __future__ import annotations

import ast
import hashlib
import json
import logging
import shutil
import subprocess
import zipfile
from pathlib import Path

from precompressed import precompress  # beside this hook (MkDocs puts its folder on sys.path)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MAKER = HERE / "pyodide_snapshot.mjs"
PREPARE = HERE / "pyodide_snapshot_prepare.py"
CACHE = ROOT / "build" / "snapshot-cache"
MANIFEST = "snapshot.json"
log = logging.getLogger("mkdocs.hooks.pyodide_snapshot")


def _fail(message: str):
    from mkdocs.exceptions import PluginError

    raise PluginError(f"pyodide_snapshot: {message}")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def static_imports(wheel: Path) -> list[str]:
    """Every absolute module name an `import` in the wheel's Python files names."""
    names: set[str] = set()
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if not member.endswith(".py"):
                continue
            tree = ast.parse(archive.read(member), filename=member)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module)
                    # `from package import module` names a module too
                    names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(n for n in names if n != "__future__" and not n.startswith("__future__."))


def cache_key(pyodide_dir: Path, site_dir: Path, wheel_sha: str) -> str:
    """What the snapshot depends on: Pyodide's core, the wheel, the worker's engine, this code."""
    parts = [wheel_sha] + [sha256(p) for p in (
        pyodide_dir / "pyodide.asm.wasm", pyodide_dir / "python_stdlib.zip",
        site_dir / "assets" / "checker" / "engine.mjs", MAKER, PREPARE, Path(__file__))]
    return hashlib.sha256(" ".join(parts).encode()).hexdigest()[:32]


def make_snapshot(site_dir: Path, wheel: Path, out: Path) -> dict:
    node = shutil.which("node")
    if node is None:
        _fail("Node.js is needed to make the checker's memory snapshot (see README)")
    result = subprocess.run([node, str(MAKER), str(site_dir), str(out)], capture_output=True, text=True,
                            input=json.dumps(static_imports(wheel)), timeout=600)
    if result.returncode != 0:
        _fail(f"making the snapshot failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def on_post_build(config, **kwargs) -> None:
    site_dir = Path(config["site_dir"])
    dest = site_dir / "pyodide"
    lock = json.loads((dest / "pyodide-lock.json").read_text("utf-8"))
    entry = lock["packages"]["checker"]
    wheel = dest / entry["file_name"]
    key = cache_key(dest, site_dir, entry["sha256"])
    cached = CACHE / key
    if not (cached / MANIFEST).is_file():
        shutil.rmtree(CACHE, ignore_errors=True)  # one entry: the last build's
        work = CACHE / f"{key}.tmp"
        work.mkdir(parents=True)
        made = make_snapshot(site_dir, wheel, work / "checker.snapshot")
        if made["missing"]:  # only fatal where a request reaches them, as without a snapshot
            log.info("pyodide_snapshot: Pyodide lacks modules the checker names: %s", ", ".join(made["missing"]))
        digest = sha256(work / "checker.snapshot")
        name = f"checker-{digest[:16]}.snapshot"
        (work / "checker.snapshot").rename(work / name)
        packed = precompress([work / name])[name]
        manifest = {
            "file": name, "sha256": digest, "bytes": made["bytes"],
            "gzip_bytes": packed["gz"], "brotli_bytes": packed["br"],
            "pyodide": made["pyodide"], "wheel": {"file": entry["file_name"], "sha256": entry["sha256"]},
            "not_in_pyodide": made["missing"],
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1), "utf-8")
        work.rename(cached)
    for old in dest.glob("checker-*.snapshot*"):
        old.unlink()
    for path in cached.iterdir():
        shutil.copyfile(path, dest / path.name)
