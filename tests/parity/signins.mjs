// Sign-in log parity runner: each case's files through Pyodide in Node, fed in slices exactly as
// the page feeds them (engine.mjs `signins`), in one process with the site's own files.
// usage: node tests/parity/signins.mjs SITE_DIR CHUNK < cases.jsonl > results.jsonl
// Each input line is {"id", "files": [paths]}; each output line {"id", "result"} or {"id", "error"}.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
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
      // Slice by slice from disk, as the page reads a File: the whole file is never in memory.
      const fd = openSync(file, "r");
      const buffer = new Uint8Array(chunk);
      signins({ op: "begin", name: path.basename(file) });
      try {
        for (let n; (n = readSync(fd, buffer, 0, chunk, null)) > 0;) signins({ op: "feed", bytes: buffer.subarray(0, n) });
      } finally {
        closeSync(fd);
      }
      signins({ op: "end" });
    }
    out = { id: c.id, result: signins({ op: "result" }) };
  } catch (err) {
    out = { id: c.id, error: pythonErrorLine(err) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
