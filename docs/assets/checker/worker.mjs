// Module worker: runs the checker in Pyodide, served by this site (../../pyodide/).
// Requests that arrive before Python is ready wait for it, so an early Check is never lost.
// Static imports: the browser fetches the modules at once, before any of this runs.
import { loadPyodide, version as pyodideVersion } from "../../pyodide/pyodide.mjs";
import { startChecker, pythonErrorLine } from "./engine.mjs";
import { forgetSnapshot, prefetchSnapshot, snapshotToRestore } from "./snapshot.mjs";

const indexURL = new URL("../../pyodide/", import.meta.url).href;
// A restore normally takes well under a second; one that hangs gives way to the plain start.
const RESTORE_TIMEOUT_MS = 20000;

// Pyodide reports a failed download or compile of its wasm only on the console, then waits
// forever: watch the console while it starts and turn those reports into a failure of the
// start in progress.
const FATAL = /wasm instantiation failed|Aborted\(/;
let failStart = () => {};
for (const level of ["warn", "error"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    original(...args);
    const text = args.map(String).join(" ");
    if (FATAL.test(text)) failStart(new Error(`the Python runtime could not start (${text.slice(0, 200)})`));
  };
}

function attempt(options, timeoutMs) {
  let timer;
  return new Promise((resolve, reject) => {
    failStart = reject;
    if (timeoutMs) timer = setTimeout(() => reject(new Error("the snapshot did not restore in time")), timeoutMs);
    startChecker(loadPyodide, indexURL, (step, stage) => postMessage({ type: "progress", step, of: 3, stage }),
      options).then(resolve, reject);
  }).finally(() => clearTimeout(timer));
}

// From the cached snapshot when there is a valid one (snapshot.mjs); any failure there, whatever
// it is, ends in the plain start, without a word to the page.
async function start() {
  const snapshot = await snapshotToRestore(indexURL, pyodideVersion).catch(() => null);
  if (snapshot) {
    try {
      return { ...(await attempt({ _loadSnapshot: snapshot.bytes }, RESTORE_TIMEOUT_MS)), restored: true };
    } catch {
      await forgetSnapshot().catch(() => {});
    }
  }
  return { ...(await attempt({})), restored: false };
}

const ready = start();
ready.then(
  (engine) => postMessage({ type: "ready", version: engine.version, snapshot: engine.restored }),
  (err) => postMessage({ type: "fatal", message: pythonErrorLine(err) }),
);

self.onmessage = async ({ data }) => {
  let engine;
  try {
    engine = await ready;
  } catch {
    return; // already reported as fatal
  }
  if (data.control === "prefetch-snapshot") {
    // The page is idle and the checker ready: fetch the snapshot for the next visit.
    const done = engine.restored ? "restored" : await prefetchSnapshot(indexURL).catch((err) => `failed: ${err.message}`);
    postMessage({ type: "snapshot", state: done });
    return;
  }
  try {
    postMessage({ type: "result", id: data.id, result: await answer(engine, data) });
  } catch (err) {
    postMessage({ type: "failed", id: data.id, message: pythonErrorLine(err) });
  }
};

// A restored snapshot holds every module and datum the build's warm-up touched, but no files.
// Should a request reach for one it did not (a module imported, or a data file first read, only
// on a rare path), install the wheel's files, once, and answer again: slower, never wrong.
const MISSING_FILE = /\b(ModuleNotFoundError|FileNotFoundError|ImportError)\b/;
let installed = null;
async function answer(engine, data) {
  // "signins" feeds file slices (bytes) to the sign-in log reader; every other kind is JSON.
  const run = () => (data.kind === "signins" ? engine.signins(data.args) : engine.call(data.kind, data.args));
  try {
    return run();
  } catch (err) {
    if (!engine.restored || !MISSING_FILE.test(String(err && err.message))) throw err;
    installed ??= engine.pyodide.loadPackage("checker", { messageCallback: () => {}, errorCallback: () => {} });
    await installed;
    return run();
  }
}
