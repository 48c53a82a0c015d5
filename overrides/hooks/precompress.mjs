// Writes FILE.gz and FILE.br beside each FILE given, for hosts that serve precompressed files
// (README, "Deploying"); Node's zlib has brotli built in, so no dependency is added.
//   node precompress.mjs FILE... ; prints {"FILE": {"gz": bytes, "br": bytes}, ...}
import { readFileSync, writeFileSync } from "node:fs";
import zlib from "node:zlib";

// Brotli quality 11 saves another ~10% but takes over a minute for Pyodide's wasm on a busy machine.
const BROTLI = { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 };

const sizes = {};
for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const packed = { gz: zlib.gzipSync(bytes, { level: 9 }), br: zlib.brotliCompressSync(bytes, { params: BROTLI }) };
  for (const [ext, data] of Object.entries(packed)) writeFileSync(`${file}.${ext}`, data);
  sizes[file] = { gz: packed.gz.length, br: packed.br.length };
}
process.stdout.write(JSON.stringify(sizes) + "\n");
