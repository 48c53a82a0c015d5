"""tools/serve.py (`make serve` and the tests' server): a missing page gets the site's 404 page;
the sitemap follows the address it is asked at, so Material's instant navigation works on any
port; and a file with a precompressed copy is sent as that copy when the browser accepts it."""
from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request

import pytest


def get(url: str, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return response.headers, response.read()


def test_the_sitemap_names_the_address_it_is_served_at(base_url):
    _, body = get(base_url + "sitemap.xml")
    assert f"<loc>{base_url}checker/</loc>".encode() in body
    assert b"github.io" not in body
    _, forged = get(base_url + "sitemap.xml", Host="evil.example/<x>")
    assert b"evil" not in forged and b"<x>" not in forged


@pytest.mark.parametrize("name, kind", [("snapshot", "application/octet-stream"), ("pyodide.asm.wasm", "application/wasm")])
def test_a_precompressed_copy_is_sent_only_to_who_accepts_it(base_url, site_dir, name, kind):
    if name == "snapshot":
        name = json.loads((site_dir / "pyodide" / "snapshot.json").read_text())["file"]
    raw = (site_dir / "pyodide" / name).read_bytes()
    headers, body = get(base_url + f"pyodide/{name}", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert headers["Content-Type"] == kind  # the type of what the copy holds
    assert gzip.decompress(body) == raw
    headers, body = get(base_url + f"pyodide/{name}", **{"Accept-Encoding": "identity"})
    assert headers["Content-Encoding"] is None and body == raw


def test_a_missing_page_gets_the_sites_404_page(base_url, site_dir):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base_url + "no/such/page/")
    assert caught.value.code == 404
    assert caught.value.headers["Content-Type"].startswith("text/html")
    assert caught.value.read() == (site_dir / "404.html").read_bytes()
