"""Quality gates in Chromium: axe-core finds nothing in every state a reader meets (both sites,
light, dark and forced colours, desk and phone, a note open, search results, the quote tools,
the page of all notes, the 404); the CSP holds with nothing inline; nothing shifts on load."""

import pytest
from playwright.sync_api import expect

from tests.conftest import ALL_SITES, PREFIXES, ROOT, select_plain_text

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SITES = ALL_SITES


def axe_violations(page) -> list[str]:
    """Run axe-core (WCAG 2.x A/AA and best practices) on the page; return one line per violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("scheme, forced", [("light", False), ("dark", False), ("light", True)])
@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_axe_finds_nothing_with_a_note_open(view_page, site, scheme, forced, width, height):
    page, _ = view_page(site=site, width=width, height=height, scheme=scheme, forced=forced, bypass_csp=True, mobile=width < 600)
    assert axe_violations(page) == []
    anchor = page.locator("#article-body .anchor").nth(2)
    anchor.scroll_into_view_if_needed()
    anchor.tap() if width < 600 else anchor.click()
    expect(page.locator("#notes > .note.is-open")).to_have_count(1)
    assert axe_violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1440, 390])
def test_axe_with_search_results_and_the_quote_tools_showing(view_page, scheme, width):
    page, _ = view_page(width=width, height=900, scheme=scheme, bypass_csp=True, mobile=width < 600)
    page.locator("#search-input").click()
    page.keyboard.type("alliance")
    page.wait_for_selector("#search-results [role=option]")
    page.keyboard.press("ArrowDown")
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    select_plain_text(page, "p-2", 12)
    expect(page.locator(".quote-tools")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("site", SITES)
def test_axe_on_the_page_of_all_notes_and_the_404(view_page, server, site):
    page, _ = view_page("notes.html", site=site, bypass_csp=True)
    assert axe_violations(page) == []
    missing, _ = view_page(url=server + PREFIXES[site] + "a/b/missing", bypass_csp=True, wait=False)
    assert axe_violations(missing) == []


@pytest.mark.parametrize("path", ["", "notes.html"])
def test_the_content_security_policy_holds_and_nothing_inline_runs(view_page, path):
    page, problems = view_page(path)
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    inline = page.evaluate("() => [...document.scripts].filter(s => !s.src && s.type !== 'application/ld+json').length")
    assert inline == 0
    html = page.evaluate("() => fetch(location.href).then(r => r.text())")
    assert " style=" not in html and "<style" not in html
    assert problems.errors == [] and problems.offsite == []


# The page's layout shifts so far (not after input), all read at once from the browser's buffer of them.
SHIFT_SO_FAR = """() => { const observer = new PerformanceObserver(() => {});
  observer.observe({type: 'layout-shift', buffered: true});
  const shifts = observer.takeRecords().filter(e => !e.hadRecentInput);
  observer.disconnect();
  return shifts.reduce((sum, e) => sum + e.value, 0); }"""


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("width, height", [(1440, 900), (1024, 768), (390, 844)])
def test_nothing_shifts_while_the_page_loads(view_page, site, width, height):
    page, _ = view_page(site=site, width=width, height=height, motion="no-preference", wait=False)
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.evaluate(SHIFT_SO_FAR) == 0
