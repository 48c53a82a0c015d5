// Parity runner: every case through Pyodide in Node, in one process, with the site's own files.
// usage: node tests/parity/run.mjs SITE_DIR [--snapshot] < cases.jsonl > results.jsonl
// --snapshot: start from the site's memory snapshot (pyodide/snapshot.json names it and its sha256)
// instead of installing the wheel, as a return visit does in the browser.
// Each input line is {"id", "text", "answers"?} (diagnose), {"id", "setup"} (evaluate_setup) or
// {"id", "files": [{name, base64}]} (exported policies);
// each output line {"id", "result"} or {"id", "error"}. Uses the site's copy of Pyodide, its lock file and checker wheel, and the
// same engine.mjs the browser worker runs.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const site = path.resolve(process.argv[2] || "site");
const indexURL = path.join(site, "pyodide") + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { startChecker, pythonErrorLine } = await import(
  pathToFileURL(path.join(site, "assets", "checker", "engine.mjs")).href);

let options = {};
if (process.argv.includes("--snapshot")) {
  const manifest = JSON.parse(readFileSync(path.join(indexURL, "snapshot.json"), "utf-8"));
  const bytes = readFileSync(path.join(indexURL, manifest.file));
  if (createHash("sha256").update(bytes).digest("hex") !== manifest.sha256) throw new Error("snapshot sha256 mismatch");
  options = { _loadSnapshot: bytes };
}
const { call } = await startChecker(loadPyodide, indexURL, () => {}, options);
// Read stdin as a stream: readFileSync(0) fails with EAGAIN on a large piped input.
let input = "";
for await (const chunk of process.stdin) input += chunk;
const lines = input.split("\n").filter((line) => line.trim());
for (const line of lines) {
  const c = JSON.parse(line);
  let out;
  try {
    const result = c.setup ? call("setup", { setup: c.setup })
      : c.files ? call("policies", { files: c.files })
      : call("diagnose", { text: c.text, answers: c.answers ?? null });
    out = { id: c.id, result };
  } catch (err) {
    out = { id: c.id, error: pythonErrorLine(err) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
