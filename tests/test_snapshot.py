"""The checker's memory snapshot (overrides/hooks/pyodide_snapshot.py): it is the one the site's
manifest names, it was made from the wheel the site serves, its compressed copies hold the same
bytes, it holds every checker module (a restored interpreter has no files to import from), and
starting from it gives exactly the answers the plain start gives, in Node, on every dev case."""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import zipfile

from parity.expected import ROOT, dev_cases
from test_parity import run_in_node
from test_policies_parity import policy_files

from checker.rollout import EXAMPLE, REQUIREMENTS


def manifest(site_dir) -> dict:
    return json.loads((site_dir / "pyodide" / "snapshot.json").read_text("utf-8"))


def node_eval(script: str, *args: str) -> str:
    run = subprocess.run([shutil.which("node"), "--input-type=module", "-e", script, *args],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def test_the_manifest_names_the_snapshot_its_sha256_and_the_served_wheel(site_dir):
    m = manifest(site_dir)
    snapshot = (site_dir / "pyodide" / m["file"]).read_bytes()
    assert len(snapshot) == m["bytes"]
    assert hashlib.sha256(snapshot).hexdigest() == m["sha256"]
    lock = json.loads((site_dir / "pyodide" / "pyodide-lock.json").read_text("utf-8"))
    assert m["wheel"] == {"file": lock["packages"]["checker"]["file_name"],
                          "sha256": lock["packages"]["checker"]["sha256"]}
    version = json.loads((ROOT / "node_modules" / "pyodide" / "package.json").read_text())["version"]
    assert m["pyodide"] == version
    # One snapshot only: a stale one left beside it could be served by mistake.
    assert sorted(p.name for p in (site_dir / "pyodide").glob("checker-*.snapshot*")) == \
        [m["file"], m["file"] + ".br", m["file"] + ".gz"]


def test_the_compressed_copies_hold_the_same_bytes(site_dir):
    m = manifest(site_dir)
    digests = node_eval("""
        import { readFileSync } from "node:fs";
        import zlib from "node:zlib";
        import { createHash } from "node:crypto";
        const file = process.argv[1];
        const sha = (b) => createHash("sha256").update(b).digest("hex");
        console.log(JSON.stringify({ gz: sha(zlib.gunzipSync(readFileSync(file + ".gz"))),
                                     br: sha(zlib.brotliDecompressSync(readFileSync(file + ".br"))) }));
    """, str(site_dir / "pyodide" / m["file"]))
    assert json.loads(digests) == {"gz": m["sha256"], "br": m["sha256"]}
    assert (site_dir / "pyodide" / (m["file"] + ".br")).stat().st_size < m["bytes"] / 4


# Node: restores the site's snapshot as the page's worker does (engine.mjs's snapshotRoom), into `py`.
RESTORE = """
        import { readFileSync } from "node:fs";
        import path from "node:path";
        const indexURL = path.join(process.argv[1], "pyodide") + path.sep;
        const m = JSON.parse(readFileSync(indexURL + "snapshot.json", "utf-8"));
        const { loadPyodide } = await import(indexURL + "pyodide.mjs");
        const { snapshotRoom } = await import(path.join(process.argv[1], "assets", "checker", "engine.mjs"));
        const bytes = readFileSync(indexURL + m.file);
        const py = await loadPyodide({ indexURL, _loadSnapshot: bytes, ...(await snapshotRoom(indexURL, bytes)) });
"""


def test_the_snapshot_holds_every_module_of_the_served_wheel(site_dir):
    wheel = site_dir / "pyodide" / manifest(site_dir)["wheel"]["file"]
    with zipfile.ZipFile(wheel) as archive:
        names = {n[:-3].replace("/", ".").removesuffix(".__init__") for n in archive.namelist()
                 if n.startswith("checker/") and n.endswith(".py")}
    names.discard("checker.__main__")  # running it would exit
    loaded = node_eval(RESTORE + """
        console.log(py.runPython("import sys, json; json.dumps(sorted(n for n in sys.modules if n.split('.')[0] == 'checker'))"));
    """, str(site_dir))
    assert names <= set(json.loads(loaded)), "the snapshot lacks checker modules"


def test_the_snapshot_path_gives_the_plain_paths_answers(site_dir):
    # Every dev case, setups and every exported policy file: each request kind the bridge has.
    cases = dev_cases()
    assert len(cases) >= 50
    cases += [{"id": f"setup-{r}", "setup": {"requirements": [r], "targets": ["all-cloud-apps"]}} for r in REQUIREMENTS]
    cases += [{"id": "setup-example", "setup": EXAMPLE},
              {"id": "setup-bad", "setup": {"requirements": ["no-such-requirement"], "colour": "blue"}}]
    cases += [{"id": f.name, "files": [{"name": f.name, "base64": base64.b64encode(f.read_bytes()).decode()}]}
              for f in policy_files()]
    plain, restored = run_in_node(site_dir, cases), run_in_node(site_dir, cases, "--snapshot")
    assert not [a for a in restored.values() if "error" in a], "a case failed after the restore"
    differ = [c["id"] for c in cases if plain[c["id"]] != restored[c["id"]]]
    assert not differ, f"the snapshot answers differently on {differ}"



LAZY = """
import base64, json, sys
from pathlib import Path
before = set(sys.modules)
import checker, checker.policies
from checker.rollout import EXAMPLE
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        checker.diagnose(json.loads(line)["text"])
checker.evaluate_setup(EXAMPLE)
for f in sys.argv[2:]:
    checker.policies.check([{"name": Path(f).name, "base64": base64.b64encode(Path(f).read_bytes()).decode()}])
json.dumps(sorted(set(sys.modules) - before))
"""


def test_what_the_plain_start_imports_on_the_way_is_in_the_snapshot(site_dir):
    # The plain start (wheel installed, files there) runs every dev case, a setup and every policy
    # file; each module that brought in, the standard library's lazy imports included, must be in
    # the restored interpreter already.
    from parity.expected import DEV

    files = [str(DEV), *map(str, policy_files())]
    imported = json.loads(node_eval("""
        import { readFileSync } from "node:fs";
        import path from "node:path";
        const [site, lazy, ...files] = process.argv.slice(1);
        const indexURL = path.join(site, "pyodide") + path.sep;
        const { loadPyodide } = await import(indexURL + "pyodide.mjs");
        const py = await loadPyodide({ indexURL, packages: ["checker"], stdout: () => {} });
        py.FS.mkdirTree("/cases");
        const inFs = files.map((f, i) => { const p = `/cases/${i}-${path.basename(f)}`; py.FS.writeFile(p, readFileSync(f)); return p; });
        py.runPython(`import sys; sys.argv = ${JSON.stringify(["lazy", ...inFs])}`);
        console.log(py.runPython(lazy));
    """, str(site_dir), LAZY, *files))
    assert "checker.text.engine" in imported and "checker.policies.read" in imported and len(imported) >= 15
    restored = json.loads(node_eval(RESTORE + """
        console.log(py.runPython("import sys, json; json.dumps(sorted(sys.modules))"));
    """, str(site_dir)))
    assert sorted(set(imported) - set(restored)) == [], "modules imported on the way that the snapshot lacks"
