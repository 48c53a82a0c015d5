"""The guide's "Check" links open the checker with the text filled in, and it answers."""
from __future__ import annotations

from checker import knowledge

KB = knowledge.load()


def _answer(page) -> list[str]:
    # The box is idle (aria-busy false) before the page's script queues the link's check too:
    # wait for an answer, not just for an idle box.
    page.locator('#checker-results[aria-busy="false"] [data-finding]').first.wait_for(timeout=60000)
    return page.locator("#checker-results [data-finding]").evaluate_all("els => els.map(e => e.dataset.finding)")


def test_check_links_run_the_checker(base_url, page):
    # a quoted message on a problem page: the checker names that problem first
    fid = "token-revoked"
    page.goto(base_url + KB.findings[fid].page)
    page.get_by_role("link", name="Check this message").first.click()
    # Instant navigation (tools/serve.py keeps it on any port) changes the URL without a load
    # event, and Material's navigation.tracking may soon rewrite the hash to a heading in view:
    # wait for the page, then for the link's answer.
    page.wait_for_url("**/checker/**", wait_until="commit")
    assert _answer(page)[0] == fid

    # a code in the reference: the checker names the first problem of the code's condition
    code = 70043
    page.goto(base_url + "reference/codes/")
    page.get_by_role("link", name=f"Check AADSTS{code}").click()
    page.wait_for_url("**/checker/**", wait_until="commit")
    assert _answer(page)[0] == KB.conditions[KB.codes[code].condition].findings[0]
