// Checks KQL queries with Microsoft's Kusto language service (npm @kusto/language-service-next,
// a dev dependency): parse and bind against the sign-in tables' schemas (schemas.json), offline.
// stdin: one JSON string (a query) per line; stdout: one JSON line per query, its diagnostics.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dir = dirname(require.resolve("@kusto/language-service-next/package.json"));
require(join(dir, "bridge.min.js"));
require(join(dir, "Kusto.Language.Bridge.min.js"));
const K = globalThis.Kusto.Language;

const schemas = JSON.parse(readFileSync(join(here, "schemas.json"), "utf8"));
const tables = Object.entries(schemas)
  .filter(([name]) => !name.startsWith("_"))
  .map(([name, columns]) => {
    const schema = "(" + Object.entries(columns).map(([c, t]) => `${c}:${t}`).join(", ") + ")";
    return new K.Symbols.TableSymbol.$ctor7(name, schema, null);
  });
const globals = K.GlobalState.Default.WithDatabase(new K.Symbols.DatabaseSymbol.ctor("workspace", tables));

const queries = readFileSync(0, "utf8").split("\n").filter((line) => line.trim()).map((line) => JSON.parse(line));
for (const query of queries) {
  const list = K.KustoCode.ParseAndAnalyze(query, globals).GetDiagnostics();
  const diagnostics = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({ code: d.Code, severity: d.Severity, message: d.Message, at: d.Start,
                       text: query.slice(d.Start, d.Start + d.Length) });
  }
  process.stdout.write(JSON.stringify(diagnostics) + "\n");
}
