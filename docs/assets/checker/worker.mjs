// Module worker: runs the checker in Pyodide, served by this site (../../pyodide/).
// Requests that arrive before Python is ready wait for it, so an early Check is never lost.
import { startChecker, pythonErrorLine } from "./engine.mjs";

const indexURL = new URL("../../pyodide/", import.meta.url).href;

const ready = (async () => {
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const engine = await startChecker(loadPyodide, indexURL, (step, stage) =>
    postMessage({ type: "progress", step, of: 3, stage }));
  postMessage({ type: "ready", version: engine.version });
  return engine;
})();

ready.catch((err) => postMessage({ type: "fatal", message: pythonErrorLine(err) }));

self.onmessage = async ({ data }) => {
  let engine;
  try {
    engine = await ready;
  } catch {
    return; // already reported as fatal
  }
  try {
    postMessage({ type: "result", id: data.id, result: engine.call(data.kind, data.args) });
  } catch (err) {
    postMessage({ type: "failed", id: data.id, message: pythonErrorLine(err) });
  }
};
