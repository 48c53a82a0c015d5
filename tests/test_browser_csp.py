"""Every page carries the Content-Security-Policy, has no inline script, and everything still
works under it: Material's search worker, palette toggle and instant navigation, and the checker."""
from __future__ import annotations

import re

from parity.expected import cli_json
from parity.page import instant_context, run_check, wait_ready, wait_until

POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'")
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def test_every_page_has_the_policy_and_no_inline_script(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        html = path.read_text("utf-8")
        name = path.relative_to(site_dir)
        policies = META.findall(html)
        assert policies == [POLICY], f"{name}: {policies}"
        head = html[: html.index("</head>")]
        assert head.index("Content-Security-Policy") < head.index("<script"), f"{name}: policy after a script"
        for attrs, body in SCRIPT.findall(html):
            if "application/json" in attrs:
                continue  # data (Material's __config), never executed
            assert "src=" in attrs and not body.strip(), f"{name}: inline script {body[:80]!r}"
        assert not HANDLER.search(html), f"{name}: inline event handler"


def test_material_and_the_checker_work_under_the_policy(browser, base_url):
    ctx = instant_context(browser, base_url)
    ctx.add_init_script(RECORD_VIOLATIONS)
    page = ctx.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(base_url)
    # Palette toggle (Material's palette script, now a file): auto -> light -> dark.
    for _ in range(2):
        page.click("form[data-md-component=palette] label:visible")
    wait_until(page, "() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert page.evaluate("__md_get('__palette').color.scheme") == "slate"  # stored by __md_set
    # Search runs in Material's worker.
    page.click("input[data-md-component=search-query]")
    page.keyboard.type("conditional access")  # Material searches on key events, not on fill()
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    page.keyboard.press("Escape")
    # Instant navigation to the checker, which starts Python and answers.
    page.evaluate("window.__sameWindow = true")
    page.click(".md-nav a[href$='checker/']")
    page.wait_for_url(re.compile(r"/checker/(#[^/]*)?$"))  # Material's tracking may add a heading's hash
    wait_ready(page)
    assert page.evaluate("window.__sameWindow") is True
    assert run_check(page, "AADSTS50076") == [f["id"] for f in cli_json("AADSTS50076")["findings"]]
    assert page.evaluate("window.__csp") == []
    assert not [e for e in errors if "Content Security Policy" in e], errors
    # And the policy is really enforced: an injected inline script does not run.
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__inline = 1'; document.body.append(s); }""")
    wait_until(page, "() => window.__csp.length > 0")
    assert page.evaluate("window.__inline") is None
    ctx.close()
