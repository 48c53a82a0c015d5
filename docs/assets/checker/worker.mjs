// Module worker: runs the checker in Pyodide, served by this site (../../pyodide/).
// Requests that arrive before Python is ready wait for it, so an early Check is never lost.
// Static imports: the browser fetches both modules at once, before any of this runs.
import { loadPyodide } from "../../pyodide/pyodide.mjs";
import { startChecker, pythonErrorLine } from "./engine.mjs";

const indexURL = new URL("../../pyodide/", import.meta.url).href;

// Pyodide reports a failed download or compile of its wasm only on the console, then waits
// forever: watch the console while it starts and turn those reports into a failure.
const FATAL = /wasm instantiation failed|Aborted\(/;
const fatalLog = new Promise((_, reject) => {
  for (const level of ["warn", "error"]) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      original(...args);
      const text = args.map(String).join(" ");
      if (FATAL.test(text)) reject(new Error(`the Python runtime could not start (${text.slice(0, 200)})`));
    };
  }
});

const ready = Promise.race([fatalLog, (async () => {
  const engine = await startChecker(loadPyodide, indexURL, (step, stage) =>
    postMessage({ type: "progress", step, of: 3, stage }));
  postMessage({ type: "ready", version: engine.version });
  return engine;
})()]);

ready.catch((err) => postMessage({ type: "fatal", message: pythonErrorLine(err) }));

self.onmessage = async ({ data }) => {
  let engine;
  try {
    engine = await ready;
  } catch {
    return; // already reported as fatal
  }
  try {
    const result = data.kind === "signins" ? engine.signins(data.args) : engine.call(data.kind, data.args);
    postMessage({ type: "result", id: data.id, result });
  } catch (err) {
    postMessage({ type: "failed", id: data.id, message: pythonErrorLine(err) });
  }
};
