"""Shared fixtures: the built site served on a free local port, and headless Chromium.

`make test` builds the site before pytest runs; these fixtures fail loudly (never skip) when the
site or the browser is missing, so a broken setup cannot pass as green.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run the tests with `make test` (it builds the site first)")
    return SITE


@pytest.fixture(scope="session")
def base_url(site_dir):
    from serve import serve_in_background

    server = serve_in_background(site_dir)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def context(browser):
    """A fresh browser context per test; `context.requests` lists every URL it asked for."""
    ctx = browser.new_context()
    ctx.requests = []
    ctx.on("request", lambda req: ctx.requests.append(req.url))
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
