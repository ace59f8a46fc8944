"""The reader in real Chromium: the text, permalinks, layout at phone and desk sizes, file://."""

import re

import pytest

from tests.conftest import ROOT, screenshot

pytestmark = pytest.mark.browser
SEED = ROOT / "tests" / "fixtures" / "source-article.txt"  # the scraped source page, as received

# The page's text of a paragraph, leaving out markers and permalinks (marked data-not-text).
PARAGRAPH_TEXTS = """() => [...document.querySelectorAll('.story-body > p.para')].map(p => {
  const copy = p.cloneNode(true);
  copy.querySelectorAll('[data-not-text]').forEach(el => el.remove());
  return [p.id, copy.textContent];
})"""


def source_paragraphs() -> list[str]:
    """The 12 body paragraphs of the scraped source, furniture dropped (a no-break space may become a space)."""
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    start = next(i for i, b in enumerate(blocks) if b.startswith("The U.S.-Japan security alliance"))
    return [b.replace("\u00a0", " ") for b in blocks[start:start + 12]]


def test_all_twelve_paragraphs_match_the_source_exactly(open_page):
    page, problems = open_page()
    rendered = page.evaluate(PARAGRAPH_TEXTS)
    assert [pid for pid, _ in rendered] == [f"p-{n}" for n in range(1, 13)]
    assert [text for _, text in rendered] == source_paragraphs()
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == "Japan Must Do More to Support the US-Japan Alliance"
    assert problems.errors == [] and problems.offsite == []


def test_header_and_footer_carry_the_article_facts(open_page):
    page, _ = open_page()
    masthead = page.locator(".masthead").inner_text()
    for words in ["TOKYO REPORT", "In uncertain times, Japan will have to invest more energy in a long-standing partnership.",
                  "Richard Solomon", "The Diplomat, September 2018", "min read", "Read the original"]:
        assert words in masthead
    original = page.get_by_role("link", name="Read the original")
    assert original.get_attribute("href") == "https://thediplomat.com/2018/09/japan-must-do-more-to-support-the-us-japan-alliance/"
    assert original.get_attribute("rel") == "noopener"
    assert page.locator(".author-note").inner_text().startswith("Richard Solomon is an author, publisher and spokesman on contemporary Japan.")


def test_content_security_policy_is_set_and_nothing_inline_runs(open_page):
    page, _ = open_page()
    csp = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "unsafe-inline" not in csp
    inline = page.evaluate("""() => [...document.scripts].filter(s => !s.src && s.type !== 'application/ld+json').length""")
    assert inline == 0
    html = page.evaluate("() => fetch(location.href).then(r => r.text())")
    assert " style=" not in html and "<style" not in html


def test_permalink_shows_on_focus_and_opening_it_marks_the_paragraph(open_page):
    page, problems = open_page()
    link = page.locator("#p-5 .permalink")
    assert link.evaluate("el => getComputedStyle(el).opacity") == "0"
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#p-5'")
    assert page.evaluate("() => document.querySelector('#p-5').matches(':target')")
    top = page.locator("#p-5").bounding_box()["y"]
    assert 0 <= top < 300
    assert problems.errors == []


def test_opening_a_paragraph_address_scrolls_to_it(open_page, site_url):
    page, _ = open_page("#p-9")
    box = page.locator("#p-9").bounding_box()
    assert 0 <= box["y"] < 300
    assert page.evaluate("() => document.querySelector('#p-9').matches(':target')")


@pytest.mark.parametrize("width", [320, 390])
def test_no_horizontal_scroll_on_phones(open_page, width):
    page, _ = open_page(width=width, height=800, mobile=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    screenshot(page, f"phone-{width}")


def test_works_opened_straight_from_disk(open_page, site):
    page, problems = open_page(url=(site / "index.html").as_uri())
    assert page.locator(".story-body > p.para").count() == 12
    assert page.locator("#search").is_visible()
    assert problems.errors == [] and problems.offsite == []


def test_dark_scheme_changes_the_palette(open_page):
    page, _ = open_page(scheme="dark")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 21, 23)"
    screenshot(page, "desk-dark")


def test_the_404_page_links_home(open_page):
    page, problems = open_page("404.html")
    assert page.locator("h1").inner_text() == "Page not found"
    page.get_by_role("link", name=re.compile("Japan Must Do More")).click()
    page.wait_for_load_state("load")
    assert page.locator(".story-body > p.para").count() == 12
