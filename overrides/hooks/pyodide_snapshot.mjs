// Makes the checker's memory snapshot in Node from the site's own files (run by
// pyodide_snapshot.py after each build):
//   node pyodide_snapshot.mjs SITE_DIR OUT_FILE < static-imports.json
// Starts Pyodide exactly as the browser does (the site's pyodide/, lock file, checker wheel and
// assets/checker/engine.mjs with its bridge), imports everything the checker may import
// (pyodide_snapshot_prepare.py), and writes `makeMemorySnapshot()` to OUT_FILE. Prints a JSON
// summary on stdout. Private Pyodide API (`_makeSnapshot`): re-check it at every Pyodide upgrade.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, out] = process.argv.slice(2).map((p) => path.resolve(p));
const indexURL = path.join(site, "pyodide") + path.sep;
const staticImports = JSON.parse(readFileSync(0, "utf-8"));
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { startChecker } = await import(pathToFileURL(path.join(site, "assets", "checker", "engine.mjs")).href);

const { pyodide } = await startChecker(loadPyodide, indexURL, () => {}, { _makeSnapshot: true, env: { PYTHONHASHSEED: "0" } });
const prepare = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "pyodide_snapshot_prepare.py"), "utf-8");
// The argument travels as JSON text inside the Python source: no JS object crosses into Python,
// since every live JS reference would have to be serialised into the snapshot.
const summary = JSON.parse(pyodide.runPython(
  `${prepare}\nimport json as _json\n_json.dumps(prepare(_json.loads(${JSON.stringify(JSON.stringify(staticImports))})))`));
pyodide.runPython("del prepare, _json");
// The package loader's record of installed packages holds JS values the snapshot cannot carry
// ("Unexpected hiwire entry"); after a restore nothing is installed anyway.
for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
const zeroed = zeroFreeMemory(pyodide._module);
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(out, snapshot);
process.stdout.write(JSON.stringify({ ...summary, zeroed, bytes: snapshot.length, pyodide: pyodide.version }) + "\n");

// The snapshot is the whole wasm memory, free parts included, and free memory still holds what
// the warm-up left there. Zeroing it (allocations that fit below the heap's break, then freed
// again; the dead stack below the stack pointer; everything above the break) takes nothing from
// the live state and makes the compressed snapshot ~15% smaller.
function zeroFreeMemory(M) {
  const brk = () => M.HEAPU32[M._emscripten_get_sbrk_ptr() >>> 2];
  const top = brk();
  const blocks = [];
  let zeroed = 0;
  for (let size = 1 << 20; size >= 16; size >>= 1) {
    for (;;) {
      const p = M._malloc(size);
      if (!p) break;
      if (p + size > top) { M._free(p); break; } // would grow the heap: next size
      M.HEAPU8.fill(0, p, p + size);
      blocks.push(p);
      zeroed += size;
    }
  }
  for (const p of blocks) M._free(p);
  const [stackEnd, stackNow] = [M._emscripten_stack_get_end(), M._emscripten_stack_get_current()];
  if (stackEnd < stackNow) M.HEAPU8.fill(0, stackEnd, stackNow - 4096); // the stack grows down
  M.HEAPU8.fill(0, brk(), M.HEAPU8.length);
  return zeroed;
}
