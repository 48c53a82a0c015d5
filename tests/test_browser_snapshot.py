"""Return visits start from the memory snapshot the worker keeps in the Cache Storage
(assets/checker/snapshot.mjs), and anything wrong with it ends, without a visible error, in the
plain start: a tampered copy, a manifest naming another snapshot, Pyodide version or wheel, and a
snapshot that fails while it is restored."""
from __future__ import annotations

import json

import pytest

from parity.expected import cli_many, dev_cases
from parity.page import run_check, wait_ready, wait_until

CACHED_MS = 90_000
CACHE = "flow-checker-snapshot"


def visit(page, base_url) -> bool:
    """Opens the checker, waits until ready; True when it started from the snapshot."""
    page.goto(base_url + "checker/")
    wait_ready(page)
    assert not page.is_visible(".fc-error"), "no error may show, whatever happened to the snapshot"
    return page.evaluate("() => window.flowChecker.restored")


def wait_cached(page) -> None:
    wait_until(page, "() => window.flowChecker.snapshotState !== undefined", timeout=CACHED_MS)
    assert page.evaluate("() => window.flowChecker.snapshotState") in ("cached", "restored")


def cached_keys(page) -> list[str]:
    return page.evaluate(f"async () => (await (await caches.open('{CACHE}')).keys()).map(r => r.url)")


@pytest.fixture()
def primed(browser, base_url):
    """A context whose Cache Storage holds the snapshot, fetched by a first visit."""
    ctx = browser.new_context()
    ctx.requests = []
    ctx.on("request", lambda req: ctx.requests.append(req.url))
    page = ctx.new_page()
    assert visit(page, base_url) is False, "a first visit has nothing cached to start from"
    wait_cached(page)
    yield ctx, page
    ctx.close()


def manifest(site_dir) -> dict:
    return json.loads((site_dir / "pyodide" / "snapshot.json").read_text("utf-8"))


def test_a_second_visit_starts_from_the_snapshot_and_answers_the_same(primed, base_url, site_dir):
    ctx, page = primed
    assert cached_keys(page) == [f"{base_url}pyodide/{manifest(site_dir)['file']}?sha256={manifest(site_dir)['sha256']}"]
    ctx.requests.clear()
    assert visit(page, base_url) is True
    assert not [u for u in ctx.requests if u.endswith(".whl")], "a restore installs no wheel"
    cases = dev_cases()[:12]
    expected = cli_many([c["text"] for c in cases])
    for case, want in zip(cases, expected):
        assert run_check(page, case["text"]) == [f["id"] for f in want["findings"]], case["id"]


def test_a_tampered_cached_snapshot_gives_the_plain_start(primed, base_url):
    ctx, page = primed
    page.evaluate(f"""async () => {{
        const cache = await caches.open('{CACHE}');
        const [key] = await cache.keys();
        const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
        bytes[bytes.length >> 1] ^= 1;
        await cache.put(key, new Response(bytes));
    }}""")
    assert visit(page, base_url) is False
    assert run_check(page, "AADSTS50076"), "the plain start answers"
    wait_cached(page)  # the bad copy was dropped and a good one fetched again
    assert visit(page, base_url) is True


@pytest.mark.parametrize("change", ["sha256", "pyodide", "wheel"])
def test_a_snapshot_the_manifest_does_not_name_is_not_used(primed, base_url, site_dir, change):
    ctx, page = primed
    wrong = manifest(site_dir)
    wrong[change] = {"sha256": "0" * 64, "pyodide": "0.0.0", "wheel": {"file": "x.whl", "sha256": "0" * 64}}[change]
    ctx.route("**/pyodide/snapshot.json", lambda route: route.fulfill(json=wrong))
    assert visit(page, base_url) is False
    ctx.unroute("**/pyodide/snapshot.json")
    assert visit(page, base_url) is True, "the good copy is still there for the next visit"


def test_a_snapshot_that_fails_to_restore_gives_the_plain_start(primed, base_url, site_dir):
    # A copy that passes every check but is made for another build of Pyodide (its build id, in
    # the header, differs): Pyodide throws while restoring, and the worker starts the plain way.
    ctx, page = primed
    sha = page.evaluate(f"""async () => {{
        const cache = await caches.open('{CACHE}');
        const [key] = await cache.keys();
        const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
        bytes[20] ^= 1;
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        const sha = Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
        await cache.put(key.url.replace(/sha256=.*/, 'sha256=' + sha), new Response(bytes));
        return sha;
    }}""")
    forged = {**manifest(site_dir), "sha256": sha}
    ctx.route("**/pyodide/snapshot.json", lambda route: route.fulfill(json=forged))
    assert visit(page, base_url) is False
    assert run_check(page, "AADSTS50076"), "the plain start answers"
    assert page.evaluate(f"() => caches.has('{CACHE}')") is False or sha not in " ".join(cached_keys(page)), \
        "the copy that failed is forgotten"


def test_save_data_fetches_no_snapshot(browser, base_url):
    ctx = browser.new_context()
    ctx.requests = []
    ctx.on("request", lambda req: ctx.requests.append(req.url))
    page = ctx.new_page()
    ctx.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    assert visit(page, base_url) is False
    wait_until(page, "() => window.flowChecker.snapshotState !== undefined", timeout=CACHED_MS)
    assert page.evaluate("() => window.flowChecker.snapshotState") == "save-data"
    assert not [u for u in ctx.requests if u.endswith(".snapshot")]
    ctx.close()
