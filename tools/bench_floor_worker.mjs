// The floor's worker: Pyodide from the site, started with no package, then "ready".
import { loadPyodide } from "/pyodide/pyodide.mjs";

await loadPyodide({ indexURL: new URL("/pyodide/", self.location.origin).href });
postMessage("ready");
