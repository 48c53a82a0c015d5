"""tools/serve.py (`make serve` and the tests' server): a missing page gets the site's 404 page."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest


def test_a_missing_page_gets_the_sites_404_page(base_url, site_dir):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(base_url + "no/such/page/")
    assert caught.value.code == 404
    assert caught.value.headers["Content-Type"].startswith("text/html")
    assert caught.value.read() == (site_dir / "404.html").read_bytes()
