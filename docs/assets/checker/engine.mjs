// Starts Pyodide with the checker and returns `call(kind, args)`; shared by the browser worker
// and the Node parity test, so both run exactly the same code path.
// Every answer crosses the boundary as the JSON text Python's json.dumps makes, which is what
// `python -m checker --json` prints: no PyProxy conversion can make the two differ.

const BRIDGE = `
import json
import checker

# Bound once: should a submodule ever share a name with these functions, importing it would
# rebind the package attribute (this happened once with checker/diagnose.py).
_diagnose, _evaluate_setup = checker.diagnose, checker.evaluate_setup

def _flow_call(kind, payload):
    args = json.loads(payload)
    if kind == "diagnose":
        result = _diagnose(args["text"], args.get("answers"))
    elif kind == "setup":
        result = _evaluate_setup(args["setup"])
    elif kind == "policies":  # exported policy files: [{name, base64 | text}]
        from checker.policies import check

        result = check(args["files"])
    else:
        raise ValueError(f"unknown request {kind!r}")
    return json.dumps(result)

_flow_call
`;

// Sign-in logs arrive as file chunks (bytes), fed to an incremental reader one request at a time
// so a 100 MB file never sits in Python whole. op: "start" (a new analysis), "begin" (a file, by
// name), "feed" (a Uint8Array; returns the records read in this file so far), "end" (the file's
// summary), "result" (the JSON text `python -m checker signins --json` prints), "findings" (each
// finding's title, fix and page, for the group cards), "kql" (the query alone).
const SIGNINS_BRIDGE = `
import json
from checker.signins import Session as _SigninsSession

_signins = [None]

def _flow_signins(op, name=None, data=None):
    if op == "start":
        _signins[0] = _SigninsSession()
        return None
    session = _signins[0]
    if op == "begin":
        session.begin(name)
    elif op == "feed":
        return session.feed(data.to_bytes())
    elif op == "end":
        return json.dumps(session.end())
    elif op == "result":
        return json.dumps(session.result())
    elif op == "kql":  # the query alone, for tenants whose logs never leave Log Analytics
        from checker.signins.kql import query
        return json.dumps(query())
    elif op == "findings":  # titles, fixes and pages of the groups, from the knowledge base
        from checker import knowledge
        kb = knowledge.load()
        return json.dumps({f.id: {"title": f.title, "summary": f.summary, "fix": list(f.fix_admin or f.fix_user),
                                  "page": f.page} for f in kb.findings.values()})
    else:
        raise ValueError(f"unknown sign-in request {op!r}")

_flow_signins
`;

// A Python exception arrives as a whole traceback: its last "SomeError: message" line names the
// error. Any other error (a failed download) says what went wrong on its first line.
export function pythonErrorLine(err) {
  const lines = String((err && err.message) || err).trim().split("\n");
  if (!lines[0].startsWith("Traceback")) return lines[0];
  const named = lines.filter((line) => /^[A-Za-z_][\w.]*(: |$)/.test(line) && !line.startsWith("Traceback"));
  return named.length ? named[named.length - 1] : lines[lines.length - 1];
}

// Pyodide's wasm sets its own starting memory (loadPyodide's INITIAL_MEMORY for a snapshot is not
// honoured by this build), and a snapshot is the whole memory of the interpreter that made it: one
// larger than a fresh start's memory fails to restore ("offset is out of bounds"). This option
// for loadPyodide creates the runtime as it would, then grows its memory to the snapshot's size
// before the snapshot is copied in. `snapshot`: the bytes, or a promise of them.
export async function snapshotRoom(indexURL, snapshot) {
  const { default: createModule } = await import(`${indexURL}pyodide.asm.mjs`);
  return {
    createPyodideModule: async (settings) => {
      const module = await createModule(settings);
      const bytes = await snapshot;
      const need = bytes.byteLength;
      if (module.HEAPU8.length < need && !module._emscripten_resize_heap(need)) {
        throw new Error(`cannot grow the runtime's memory to the snapshot's ${need} bytes`);
      }
      return module;
    },
  };
}

// indexURL: the directory holding the site's copy of Pyodide (core files, lock file, wheel).
// onStage(step, name) reports 1 "download", 2 "start", 3 "checker".
// options go to loadPyodide as well: `_loadSnapshot` (bytes, or a promise of them) restores a
// memory snapshot of an interpreter that already holds the checker (see snapshot.mjs), so
// nothing is installed; `_makeSnapshot` prepares one (overrides/hooks/pyodide_snapshot.mjs).
export async function startChecker(loadPyodide, indexURL, onStage = () => {}, options = {}) {
  const restoring = Boolean(options._loadSnapshot);
  onStage(1, "download");
  if (restoring) options = { ...options, ...(await snapshotRoom(indexURL, options._loadSnapshot)) };
  const pyodide = await loadPyodide({
    indexURL,
    // Fetched while Python boots; loadPackage verifies the sha256 from the lock file.
    packages: restoring ? [] : ["checker"],
    // Called once the runtime is downloaded and instantiated, before the interpreter starts.
    fsInit: async () => onStage(2, "start"),
    stdout: () => {},
    stderr: () => {},
    ...options,
  });
  onStage(3, "checker");
  // A wheel that fails to download or to match its sha256 is only logged by loadPyodide.
  // (A restored snapshot holds the imported package without its files: the bridge's import fails
  // there instead, should the snapshot lack it.)
  if (!restoring && !pyodide.loadedPackages.checker) {
    throw new Error("the checker package did not load: its download failed or it does not match the sha256 in the site's pyodide-lock.json");
  }
  const fn = pyodide.runPython(BRIDGE);
  const call = (kind, args) => JSON.parse(fn(kind, JSON.stringify(args)));
  // Warm-up: imports the engine and reads the knowledge base now, so the first Check is quick.
  call("diagnose", { text: "AADSTS50076" });
  let signinsFn = null; // bound on first use: pages without sign-in logs never import the reader
  const signins = ({ op, name, bytes }) => {
    signinsFn = signinsFn || pyodide.runPython(SIGNINS_BRIDGE);
    const out = signinsFn(op, name ?? null, bytes ?? null);
    return typeof out === "string" ? JSON.parse(out) : out ?? null;
  };
  return { call, signins, version: pyodide.version, pyodide };
}
