"""MkDocs hook: serve Pyodide and the `checker` wheel from the site itself.

After the build, copies Pyodide's core files (npm `pyodide`, pinned in package-lock.json) into
`site/pyodide/`, builds the `checker` wheel and registers it in the site's copy of
`pyodide-lock.json` with `pyodide lockfile add-wheels`, so the browser loads it with
`loadPackage("checker")` and Pyodide checks its sha256.

The npm package lists ~350 packages in its lock file but ships none of their wheels; the site's
lock file keeps only the packages whose files the site serves (the checker), which makes it
~100 KB lighter and turns a stray `loadPackage` of anything else into a clear error.

The big core files get `.gz` and `.br` copies (precompressed.py) for hosts that serve them: the
wasm goes from 9.6 MB to 3.0 MB. (python_stdlib.zip is deflated already: a copy would save 2%.)
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from precompressed import precompress  # beside this hook (MkDocs puts its folder on sys.path)

ROOT = Path(__file__).resolve().parents[2]
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
PRECOMPRESSED = ("pyodide.asm.mjs", "pyodide.asm.wasm")
LOCK = "pyodide-lock.json"
SITE_SUBDIR = "pyodide"
# What the wheel is built from; copied to a scratch dir so the build never sees a stale build/.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "checker")


def _fail(message: str):
    from mkdocs.exceptions import PluginError

    raise PluginError(f"pyodide_assets: {message}")


def copy_core(dest: Path) -> None:
    missing = [name for name in CORE + (LOCK,) if not (NPM_PYODIDE / name).is_file()]
    if missing:
        _fail(f"node_modules/pyodide lacks {', '.join(missing)}: run `make setup` (npm ci)")
    dest.mkdir(parents=True, exist_ok=True)
    for name in CORE:
        shutil.copyfile(NPM_PYODIDE / name, dest / name)
    precompress([dest / name for name in PRECOMPRESSED])


def build_wheel(dest: Path) -> Path:
    """Build the checker wheel into `dest` with pip (setuptools from .venv, no network)."""
    with tempfile.TemporaryDirectory(prefix="checker-wheel-") as tmp:
        src = Path(tmp, "src")
        src.mkdir()
        for name in WHEEL_SOURCES:
            path = ROOT / name
            if path.is_dir():
                shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copyfile(path, src / name)
        out = Path(tmp, "dist")
        cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
               "--no-deps", "--no-build-isolation", "-w", str(out), str(src)]
        # Fixed timestamps make the wheel reproducible: the same sources give the same sha256,
        # so a rebuild does not invalidate caches or race a lock file fetched a moment before.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
        result = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            _fail(f"building the checker wheel failed:\n{result.stdout}{result.stderr}")
        wheels = list(out.glob("checker-*.whl"))
        if len(wheels) != 1:
            _fail(f"expected one checker wheel, got {[w.name for w in wheels]}")
        for old in dest.glob("checker-*.whl"):
            old.unlink()
        return Path(shutil.copy2(wheels[0], dest / wheels[0].name))


def register_wheel(dest: Path, wheel: Path) -> None:
    """Add the wheel to the site's lock file (pyodide-build), then drop entries the site lacks."""
    cli = Path(sys.executable).with_name("pyodide")
    cmd = [str(cli), "lockfile", "add-wheels", "--input", str(NPM_PYODIDE / LOCK),
           "--output", str(dest / LOCK), "--base-path", str(dest), str(wheel)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        _fail(f"`pyodide lockfile add-wheels` failed:\n{result.stdout}{result.stderr}")
    lock = json.loads((dest / LOCK).read_text("utf-8"))
    lock["packages"] = {
        name: pkg for name, pkg in lock["packages"].items() if (dest / pkg["file_name"]).is_file()
    }
    if "checker" not in lock["packages"]:
        _fail(f"the lock file does not list the checker wheel {wheel.name}")
    (dest / LOCK).write_text(json.dumps(lock, separators=(",", ":")), "utf-8")


def on_post_build(config, **kwargs) -> None:
    dest = Path(config["site_dir"]) / SITE_SUBDIR
    copy_core(dest)
    register_wheel(dest, build_wheel(dest))
