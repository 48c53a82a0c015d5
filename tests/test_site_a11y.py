"""axe-core finds no accessibility violation on any page, light or dark; screenshots of the
main pages in both schemes land in tests/artifacts/ for a person to look at."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme
SCREENSHOTS = {"home": "", "finding": "problems/failed-runs/", "reference": "reference/codes/"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def site_pages(site: Path) -> list[str]:
    """Every page's path under the site root, from the built HTML."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.split("/")[0] in {"assets", "pyodide", "search"}:
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


@pytest.fixture(scope="module", params=list(SCHEMES))
def scheme_page(request, browser):
    # bypass_csp: axe is injected as an inline script, which the site's CSP rightly refuses
    context = browser.new_context(color_scheme=request.param, bypass_csp=True,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # The Python runtime starts in a worker on every idle page and changes no page's markup; its
    # CPU-heavy start would only slow this test (the checker's own tests run axe in every state).
    page.route("**/pyodide/**", lambda route: route.abort())
    yield request.param, page
    context.close()


def test_pages_are_found(site_dir):
    pages = site_pages(site_dir)
    assert {"", "problems/", "reference/codes/", "problems/failed-runs/", "about/"} <= set(pages)


def test_no_axe_violation_on_any_page(scheme_page, site_dir, base_url, artifacts):
    scheme, page = scheme_page
    assert AXE.is_file(), "node_modules/axe-core is missing: run `make setup`"
    problems = []
    for path in site_pages(site_dir):
        page.goto(base_url + path, wait_until="load")
        page.locator("h1").first.wait_for()
        if page.locator("pre.mermaid").count():  # let Material draw the diagrams first
            page.locator("pre.mermaid").last.wait_for(state="detached", timeout=20000)
        page.locator("body[data-md-color-scheme]").wait_for(state="attached")  # set by Material's script
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme], path
        page.add_script_tag(path=str(AXE))
        problems += [f"/{path} [{scheme}] {v}" for v in page.evaluate(RUN_AXE)]
        for name, shot in SCREENSHOTS.items():
            if shot == path:
                page.screenshot(path=str(artifacts / f"site-{name}-{scheme}.png"), full_page=True)
    assert not problems, "\n".join(problems)
    for name in SCREENSHOTS:
        assert (artifacts / f"site-{name}-{scheme}.png").stat().st_size > 10_000
