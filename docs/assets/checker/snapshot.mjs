// The memory snapshot of the started checker (made by the build: overrides/hooks/pyodide_snapshot.py),
// kept in the Cache Storage for return visits. Only the worker uses this module.
// - A first visit never waits for it: with nothing cached, `snapshotToRestore` answers null at
//   once (no request), and the worker starts Python the plain way. Once the checker is ready and
//   the page idle, `prefetchSnapshot` downloads it in the background (not under Save-Data).
// - A return visit restores it, after checking it against the site's current snapshot.json: the
//   Pyodide version, the checker wheel in the lock file and the sha256 of the bytes must all match.
// Anything wrong (no Cache Storage, offline, a stale or tampered copy) gives null or a rejected
// promise, and the worker quietly takes the plain path.

const CACHE = "flow-checker-snapshot";
const MANIFEST = "snapshot.json";

async function manifestOf(indexURL) {
  const response = await fetch(new URL(MANIFEST, indexURL), { cache: "no-cache" });
  if (!response.ok) throw new Error(`${MANIFEST}: HTTP ${response.status}`);
  return response.json();
}

// The cache key names the sha256, so a snapshot from another build can never be taken for this one.
function keyOf(indexURL, manifest) {
  return `${new URL(manifest.file, indexURL).href}?sha256=${manifest.sha256}`;
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function verified(buffer, manifest) {
  const bytes = new Uint8Array(buffer);
  if (bytes.length !== manifest.bytes || (await sha256(bytes)) !== manifest.sha256) {
    throw new Error("the snapshot does not match its sha256 in snapshot.json");
  }
  return bytes;
}

function cacheStorage() {
  return typeof caches === "object" && caches ? caches : null; // absent on plain-HTTP origins
}

// null: start the plain way. Otherwise `{ bytes }`, a promise of the verified bytes for
// loadPyodide's `_loadSnapshot`: it is read and checked while the runtime downloads, and rejects
// when it does not match. (Wrapped: an async function would wait for a promise it returns.)
export async function snapshotToRestore(indexURL, pyodideVersion) {
  const storage = cacheStorage();
  if (!storage || !(await storage.has(CACHE))) return null;
  const cache = await storage.open(CACHE);
  const [manifest, lock] = await Promise.all([
    manifestOf(indexURL),
    fetch(new URL("pyodide-lock.json", indexURL)).then((r) => r.json()),
  ]);
  if (manifest.pyodide !== pyodideVersion || lock.packages?.checker?.sha256 !== manifest.wheel?.sha256) {
    return null; // made for another Pyodide or another checker: the next prefetch replaces it
  }
  const response = await cache.match(keyOf(indexURL, manifest));
  if (!response) return null;
  const bytes = response.arrayBuffer().then((buffer) => verified(buffer, manifest));
  bytes.catch(() => {}); // a mismatch is loadPyodide's to report, not an unhandled rejection
  return { bytes };
}

// Downloads the site's current snapshot into the cache unless it is there already, then drops
// any other. Resolves to what it did, for the tests and the benchmark.
export async function prefetchSnapshot(indexURL) {
  const storage = cacheStorage();
  if (!storage) return "no-cache-storage";
  if (self.navigator?.connection?.saveData) return "save-data";
  const manifest = await manifestOf(indexURL);
  const cache = await storage.open(CACHE);
  const key = keyOf(indexURL, manifest);
  if (!(await cache.match(key))) {
    const response = await fetch(new URL(manifest.file, indexURL));
    if (!response.ok) throw new Error(`${manifest.file}: HTTP ${response.status}`);
    const bytes = await verified(await response.arrayBuffer(), manifest);
    await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
  }
  for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
  return "cached";
}

// After a failed restore: forget the copy, so the next visit starts the plain way (and refetches).
export async function forgetSnapshot() {
  const storage = cacheStorage();
  if (storage) await storage.delete(CACHE);
}
