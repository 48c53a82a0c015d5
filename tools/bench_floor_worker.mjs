// The floor's worker: Pyodide from the site, started with no package, then "ready".
const indexURL = new URL("/pyodide/", self.location.origin).href;
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
await loadPyodide({ indexURL });
postMessage("ready");
