"""The checker page gets a stranger to the fix (issue 12), on a desktop and on a 390 px phone:
the answer is brought into view and focused, a Check pressed before the page's script loads is
kept (no reload), one lead answer comes before collapsed alternatives, the service behind a
resource ID is named, a non-CA failure gets a way out, and a setup reads as a plan.

Expected answers come from `python3 -m checker --json` (tests/parity/expected.py). Screenshots
of every state go to tests/artifacts/ for a human look (never compared).
"""
from __future__ import annotations

import pytest

from parity.expected import cli_json
from parity.page import click_and_wait, finding_ids, run_check, wait_ready, wait_until

SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS), scope="module")
def device(request):
    return request.param


@pytest.fixture(scope="module")
def ready(browser, base_url, device):
    """One ready checker page per viewport, clipboard allowed."""
    ctx = browser.new_context(viewport=VIEWPORTS[device], is_mobile=device == "phone", has_touch=device == "phone")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = ctx.new_page()
    page.goto(base_url + "checker/")
    wait_ready(page)
    page.device = device
    yield page
    ctx.close()


def shot(page, artifacts, state):
    page.screenshot(path=str(artifacts / f"answer-{state}-{page.device}.png"))


def heading_in_view_and_focused(page, box="#checker-results") -> str:
    """The answer's heading holds the focus and sits inside the viewport, below the header."""
    info = page.evaluate("""(box) => {
        const h = document.querySelector(box + ' .fc-lead__title');
        const r = h.getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
        return {focused: document.activeElement === h, top: r.top, bottom: r.bottom,
                header, height: innerHeight, text: h.textContent};
    }""", box)
    assert info["focused"], info
    assert info["header"] <= info["top"] and info["bottom"] <= info["height"], info
    return info["text"]


def test_after_check_the_answer_heading_is_in_view_and_focused(ready, artifacts):
    ready.evaluate("window.scrollTo(0, 0)")
    run_check(ready, "Connections expire every 14 days since we turned on remember MFA")
    title = heading_in_view_and_focused(ready)
    assert title == cli_json("Connections expire every 14 days since we turned on remember MFA")["findings"][0]["title"]
    shot(ready, artifacts, "lead-finding")


def test_a_bare_code_gives_one_lead_and_collapsed_alternatives_and_the_question_narrows_it(ready, artifacts):
    want = cli_json("AADSTS50076")
    assert want["answer"]["lead"] == "code"
    ready.evaluate("window.scrollTo(0, 0)")
    got = run_check(ready, "AADSTS50076")
    assert got == [f["id"] for f in want["findings"]]
    assert heading_in_view_and_focused(ready).startswith("AADSTS50076")
    # The shared fix leads; every situation is a closed <details> saying how it differs.
    lead = ready.inner_text("#checker-results .fc-lead")
    assert all(step.replace("**", "") in lead for step in want["answer"]["fix"])
    assert ready.is_visible("#checker-results .fc-lead .fc-question")
    alts = ready.query_selector_all("#checker-results details.fc-alt")
    assert len(alts) == len(want["findings"]) and not any(a.get_attribute("open") is not None for a in alts)
    assert [a.inner_text().strip() for a in alts][0].startswith(want["findings"][0]["title"])
    shot(ready, artifacts, "bare-code")
    # "Copy answer" is ticket-sized.
    ready.click("[data-action=copy-answer]")
    copied = ready.evaluate("navigator.clipboard.readText()")
    assert len(copied) < 1200 and "AADSTS50076" in copied, len(copied)
    # Answering the question: the chosen situation becomes the lead, the focus moves to it,
    # the other situations stay collapsed below.
    option = want["question"]["options"][1]
    click_and_wait(ready, f"#checker-results button[data-option='{option['id']}']")
    narrowed = cli_json("AADSTS50076", answers={"where": option["id"]})
    assert narrowed["answer"]["finding"] == option["finding"]
    assert heading_in_view_and_focused(ready) == narrowed["findings"][0]["title"]
    assert ready.get_attribute("#checker-results .fc-lead", "data-finding") == option["finding"]
    alts = [a.get_attribute("data-finding") for a in ready.query_selector_all("#checker-results details.fc-alt")]
    assert alts == [a["id"] for a in narrowed["answer"]["alternatives"]] and option["finding"] not in alts
    assert ready.get_attribute(f"button[data-option='{option['id']}']", "aria-pressed") == "true"
    shot(ready, artifacts, "answered")
    # A clear answer offers its problem page, which opens at once, as the link to send.
    ready.click("[data-action=copy-page]")
    link = ready.evaluate("navigator.clipboard.readText()")
    assert link.endswith("/" + narrowed["findings"][0]["page"])


def test_a_focused_option_does_not_look_selected(ready):
    run_check(ready, "AADSTS50076")
    option = ready.locator("#checker-results button[data-option]").first
    plain = option.evaluate("b => getComputedStyle(b).backgroundColor")
    option.focus()
    focused = option.evaluate("b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).outlineStyle]")
    click_and_wait(ready, "#checker-results button[data-option]")
    selected = ready.locator("#checker-results button[aria-pressed=true]").evaluate(
        "b => getComputedStyle(b).backgroundColor")
    assert focused[0] == plain != selected, (plain, focused, selected)


def test_the_service_behind_a_resource_id_is_named_and_kept_in_the_redacted_copy(ready, artifacts):
    text = (f"AADSTS50076: Due to a configuration change made by your administrator, or because you moved "
            f"to a new location, you must use multi-factor authentication to access '{SHAREPOINT}'. "
            "Trace ID: 89ac6eb8-b824-48b7-8df9-c07037c00000")
    want = cli_json(text)["services"]
    assert [s["id"] for s in want] == [SHAREPOINT]
    run_check(ready, text)
    assert want[0]["name"] in ready.inner_text("#checker-results .fc-lead .fc-services")
    ready.click("[data-action=copy-redacted]")
    redacted = ready.evaluate("navigator.clipboard.readText()")
    assert SHAREPOINT in redacted and "89ac6eb8" not in redacted
    shot(ready, artifacts, "service")


def test_a_429_gets_the_non_ca_explanation_and_no_empty_link(ready, artifacts):
    text = "Status code 429: Rate limit is exceeded. Try again in 26 seconds."
    want = cli_json(text)
    assert want["findings"] == [] and want["other_cause"]["id"] == "throttling"
    run_check(ready, text)
    heading = heading_in_view_and_focused(ready)
    assert want["other_cause"]["title"] in heading
    assert want["other_cause"]["look"] in ready.inner_text("#checker-results")
    # Nothing was found to put in a link: no link with an empty query is offered.
    assert not ready.is_visible("[data-action=copy-link]")
    ready.check("#checker-link-text")
    assert ready.is_visible("[data-action=copy-link]")
    ready.uncheck("#checker-link-text")
    shot(ready, artifacts, "other-cause")


def test_the_setup_answer_reads_as_a_plan(ready, artifacts):
    setup = {"requirements": ["mfa"], "targets": ["all-cloud-apps"]}
    want = cli_json(setup=setup)
    form = "#checker-setup-form"
    ready.evaluate("f => document.querySelector(f).reset()", form)
    ready.dispatch_event(form, "change")
    ready.check(f"{form} input[name=requirements][value=mfa]")
    ready.check(f"{form} input[name=targets][value=all-cloud-apps]")
    ready.fill("#checker-setup-text", "")
    shot(ready, artifacts, "setup-form")
    got = click_and_wait(ready, "#checker-setup-run", box="#checker-setup-results")
    assert got == [f["id"] for f in want["findings"]]
    heading = heading_in_view_and_focused(ready, "#checker-setup-results")
    assert "will break when you turn it on" in heading
    lead = ready.inner_text("#checker-setup-results .fc-lead")
    assert "Before you turn it on" in lead and want["plan"]["before"][0]["text"] in lead
    assert all(a["who"] in lead for a in want["plan"]["affected"])
    # A step several problems share is shown once, with the numbers of the problems it covers.
    order = [f["id"] for f in want["findings"]]
    shared = [s for s in want["plan"]["before"] if len(s["findings"]) > 1]
    assert shared
    tags = []
    for step in shared:
        numbers = [str(order.index(fid) + 1) for fid in step["findings"]]
        tags.append(f"problems {', '.join(numbers[:-1])} and {numbers[-1]}")
        assert lead.count(step["text"]) == 1 and f"For {tags[-1]}." in lead
    assert "very likely your problem" not in ready.text_content("#checker-setup-results")
    assert ready.get_attribute("#checker-setup-results .fc-lead a[href$='before-you-turn-on/']", "href")
    shot(ready, artifacts, "setup-plan")
    ready.click("#checker-setup-results [data-action=copy-report]")
    report = ready.evaluate("navigator.clipboard.readText()")
    assert want["findings"][0]["title"] in report and "Before you turn it on" in report
    assert f"Problem 1: {want['findings'][0]['title']}" in report and f"(for {tags[0]})" in report


@pytest.mark.parametrize("how", ["click", "ctrl-enter"])
def test_a_check_pressed_before_the_script_loads_is_answered_without_a_reload(browser, base_url, artifacts, device, how):
    ctx = browser.new_context(viewport=VIEWPORTS[device])
    page = ctx.new_page()
    held = []
    page.route("**/assets/checker/checker.js", lambda route: held.append(route))
    page.goto(base_url + "checker/", wait_until="domcontentloaded")
    wait_until(page, "() => !!window.flowChecker")
    page.evaluate("window.__sameWindow = true")
    text = "AADSTS53003: Access has been blocked by Conditional Access policies."
    page.fill("#checker-input", text)
    if how == "click":
        page.click("#checker-run")
    else:
        page.press("#checker-input", "Control+Enter")
    assert "will run as soon as the checker is ready" in page.inner_text(".fc-status__text")
    page.device = device
    shot(page, artifacts, f"early-{how}")
    wait_until(page, "() => window.flowChecker.state === 'ready'", timeout=90_000)
    assert held, "the page script was not held back"
    for route in held:
        route.continue_()
    page.wait_for_selector("#checker-results[aria-busy=false] [data-finding]", timeout=30_000)
    assert page.evaluate("window.__sameWindow") is True, "the early Check reloaded the page"
    assert page.input_value("#checker-input") == text
    assert finding_ids(page) == [f["id"] for f in cli_json(text)["findings"]]
    heading_in_view_and_focused(page)
    ctx.close()


def test_a_deep_link_says_it_is_checking_the_link(browser, base_url):
    ctx = browser.new_context()
    page = ctx.new_page()
    held = []
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(base_url + "checker/#q=AADSTS50076")
    wait_until(page, "() => document.querySelector('#checker-input').value === 'AADSTS50076'")
    assert page.inner_text(".fc-status__text").startswith("Checking your link")
    assert "paste" not in page.inner_text(".fc-status__text").lower()
    ctx.close()


def test_a_problem_pages_summary_sits_right_under_its_title(browser, base_url, device):
    ctx = browser.new_context(viewport=VIEWPORTS[device])
    page = ctx.new_page()
    page.route("**/pyodide/**", lambda route: route.abort())  # not needed here
    page.goto(base_url + "problems/failed-runs/")
    gap = page.evaluate("""() => document.querySelector('.kb-summary').getBoundingClientRect().top
        - document.querySelector('h1').getBoundingClientRect().bottom""")
    assert 0 <= gap < 30, gap
    ctx.close()


def test_the_status_line_keeps_its_height_while_loading(browser, base_url, device):
    ctx = browser.new_context(viewport=VIEWPORTS[device])
    page = ctx.new_page()
    page.goto(base_url + "checker/")
    heights = set()
    for _ in range(400):
        heights.add(page.evaluate("document.querySelector('.fc-status').getBoundingClientRect().height"))
        if page.get_attribute("#checker", "data-state") != "loading":
            break
        page.wait_for_timeout(50)
    heights.add(page.evaluate("document.querySelector('.fc-status').getBoundingClientRect().height"))
    assert len(heights) == 1, heights  # the Check button below never jumps
    ctx.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_number_inputs_have_a_visible_border(browser, base_url, scheme):
    ctx = browser.new_context(color_scheme=scheme)
    page = ctx.new_page()
    held = []  # the form is built without Python: hold the runtime back (loading state)
    page.route("**/pyodide/pyodide.asm.wasm", lambda route: held.append(route))
    page.goto(base_url + "checker/")
    page.wait_for_selector("#checker-setup-form input[name=remember_mfa]")
    page.check("#checker-setup-form input[name=remember_mfa]")
    style = page.eval_on_selector("#checker-setup-form input[name=remember_mfa_days]", """i => {
        const s = getComputedStyle(i);
        return [s.borderTopWidth, s.borderTopStyle, s.borderTopColor, s.backgroundColor]; }""")
    assert style[0] != "0px" and style[1] == "solid" and style[2] != style[3], style
    ctx.close()
