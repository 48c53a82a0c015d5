// Sign-in log parity runner: each case's files through Pyodide in Node, fed in slices exactly as
// the page feeds them (engine.mjs `signins`), in one process with the site's own files.
// usage: node tests/parity/signins.mjs SITE_DIR CHUNK < cases.jsonl > results.jsonl
// Each input line is {"id", "files": [paths]}; each output line {"id", "result"} or {"id", "error"}.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const site = path.resolve(process.argv[2] || "site");
const chunk = Number(process.argv[3] || 1 << 20);
const indexURL = path.join(site, "pyodide") + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { startChecker, pythonErrorLine } = await import(
  pathToFileURL(path.join(site, "assets", "checker", "engine.mjs")).href);

const { signins } = await startChecker(loadPyodide, indexURL);
const lines = readFileSync(0, "utf-8").split("\n").filter((line) => line.trim());
for (const line of lines) {
  const c = JSON.parse(line);
  let out;
  try {
    signins({ op: "start" });
    for (const file of c.files) {
      const data = new Uint8Array(readFileSync(file));
      signins({ op: "begin", name: path.basename(file) });
      for (let at = 0; at < data.length; at += chunk) signins({ op: "feed", bytes: data.subarray(at, at + chunk) });
      signins({ op: "end" });
    }
    out = { id: c.id, result: signins({ op: "result" }) };
  } catch (err) {
    out = { id: c.id, error: pythonErrorLine(err) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
