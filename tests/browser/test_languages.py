"""Articles in Japanese, Chinese, Arabic and Hebrew (tests/fixtures/<lang>), read in Chromium: words found
inside sentences and across clitics, marked where they stand; pages that read right to left, notes in the
mirrored margin and in a sheet on a phone; the interface, plurals and dates in the article's language."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reader.ui_text import load_ui_text
from tests.browser.test_search import RESULTS, search
from tests.conftest import BOXES, assert_margin_layout

# Words a reader would type, each standing inside a sentence of the fixture (no space before or after it in
# Japanese and Chinese), with a paragraph that holds it.
INSIDE_SENTENCES = {
    "ja": [("防衛費", "p-1"), ("国内総生産", "p-1"), ("財源", "p-1"), ("高市", "p-2"), ("トランプ", "p-2"),
           ("自衛隊", "p-9"), ("駐留経費", "p-2")],
    "zh": [("装机容量", "p-1"), ("宜昌", "p-1"), ("特高压", "p-2"), ("数千万人口", "p-3"), ("洪水", "p-8"),
           ("补偿", "p-9")],
}


@pytest.mark.parametrize("site, query, ref", [(site, q, ref) for site, pairs in INSIDE_SENTENCES.items()
                                                for q, ref in pairs])
def test_a_word_inside_a_cjk_sentence_is_found_and_marked_whole(view_page, site, query, ref):
    page, problems = view_page(site=site)
    search(page, query)
    first = page.locator(f"{RESULTS}[href$='#{ref}']")
    # The word is marked as one run in the snippet and, once opened, in the page.
    assert query in first.locator(".result-snippet mark").all_text_contents()
    snippet = first.locator(".result-snippet").inner_text()
    assert len(snippet) <= 70, "a snippet of a CJK paragraph is cut to about 50 characters around the word"
    first.click()
    marks = page.locator(f"#{ref} mark.search-hit").all_text_contents()
    assert marks and set(marks) == {query}
    assert problems.errors == []


@pytest.mark.parametrize("query, found", [
    ("الكتاب", ["كتابه", "فالكتاب"]),  # the article finds the word with a pronoun, and with fa- and the article
    ("كتابه", ["كتابه", "فالكتاب"]),  # and the other way round
    ("المخطوطات", ["مخطوطاتها", "المخطوطات"]),
    ("مكتبة", ["المكتبة"]),
    ("الكِتَاب", ["كتابه"]),  # harakat typed or not
])
def test_arabic_words_are_found_across_the_article_and_attached_pronouns(view_page, query, found):
    page, problems = view_page(site="ar")
    results = search(page, query)
    assert results.count() >= 1
    marked = {mark for i in range(results.count()) for mark in results.nth(i).locator(".result-snippet mark").all_text_contents()}
    assert set(found) <= marked, marked
    assert problems.errors == []


@pytest.mark.parametrize("query, found", [("סופו", "סוֹפוֹ"), ("צהל", "צה״ל"), ("ים המלח", "ים המלח")])
def test_hebrew_is_found_without_its_points_and_with_its_gershayim(view_page, query, found):
    page, _ = view_page(site="he")
    results = search(page, query)
    assert found in {m for i in range(results.count()) for m in results.nth(i).locator(".result-snippet mark").all_text_contents()}


@pytest.mark.parametrize("site", ["ar", "he"])
def test_a_right_to_left_page_is_the_mirror_of_a_left_to_right_one(view_page, site):
    page, problems = view_page(site=site)
    assert page.evaluate("() => [document.documentElement.dir, getComputedStyle(document.body).direction]") == ["rtl", "rtl"]
    geometry = page.evaluate("""() => {
        const p = document.getElementById('p-1'), text = document.createRange();
        const words = [...p.childNodes].find((n) => n.nodeType === 3);
        text.selectNodeContents(words);  // the words alone, not the permalink beside them
        const lines = [...text.getClientRects()], box = p.getBoundingClientRect();
        const note = document.querySelector('#notes > .note:not(.is-left)').getBoundingClientRect();
        const bar = document.querySelector('#notes > .note:not(.is-left)');
        return {lineRight: Math.max(...lines.map(r => r.right)), boxRight: box.right, boxLeft: box.left,
                noteRight: note.right, border: getComputedStyle(bar).borderRightWidth,
                toggle: document.getElementById('notes-toggle').getBoundingClientRect().left,
                search: document.getElementById('search-input').getBoundingClientRect().left}; }""")
    assert abs(geometry["lineRight"] - geometry["boxRight"]) < 2, "lines start at the right edge"
    assert geometry["noteRight"] < geometry["boxLeft"], "the first column of notes sits left of the text, at the lines' end"
    assert geometry["border"] != "0px", "a note's rule stands on its start side, the right"
    assert geometry["toggle"] < geometry["search"], "the toolbar reads from the right"
    assert_margin_layout(page.evaluate(BOXES), 1440)
    assert problems.errors == []


@pytest.mark.parametrize("site", ["ar", "he", "ja"])
def test_on_a_phone_nothing_overflows_and_a_tapped_note_opens_in_a_sheet(view_page, site):
    page, problems = view_page(site=site, width=390, height=844, mobile=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    anchor = page.locator("#article-body .anchor").first
    anchor.tap()
    sheet = page.locator("#notes > .note.is-sheet")
    expect(sheet).to_be_visible()
    box = sheet.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.get_by_role("button", name=load_ui_text(site).script["close"]).tap()
    expect(sheet).to_be_hidden()
    assert problems.errors == []


@pytest.mark.parametrize("site", ["ja", "zh", "ar", "he"])
def test_the_interface_speaks_the_articles_language(view_page, site):
    page, problems = view_page(site=site)
    t = load_ui_text(site)
    assert page.locator("#notes-toggle").inner_text().strip() == t.page["hide_notes"]
    assert page.locator("#your-notes").inner_text().strip() == t.page["your_notes"]
    assert page.locator("#search-input").get_attribute("placeholder") == t.page["search_placeholder"]
    notes = page.locator("#notes > .note").count()
    assert page.locator(".notes-intro .if-notes-on").inner_text() == str(t("notes_intro_without_updates" if site in ("ja", "zh", "he") else "notes_intro", n=notes))
    # A script string, with its plural form as Intl.PluralRules chooses it in the page.
    search(page, t.page["search_placeholder"][:0] + {"ja": "同盟", "zh": "防洪", "ar": "المكتبة", "he": "הירדן"}[site])
    total = page.locator(RESULTS).count()
    assert page.locator("#search-summary").inner_text() == t.choose(t.script["results"], total).format(
        n=total, q={"ja": "同盟", "zh": "防洪", "ar": "المكتبة", "he": "הירדן"}[site])
    assert problems.errors == []


@pytest.mark.parametrize("site, date, minutes", [
    ("ja", "2025年4月1日", "1分で読めます"), ("zh", "2024年11月", "阅读约需1分钟"),
    ("ar", "5 أكتوبر 2023", "دقيقة واحدة للقراءة"), ("he", "יוני 2024", "דקת קריאה אחת"),
])
def test_the_byline_dates_and_reading_time_are_in_the_language_and_isolated(view_page, site, date, minutes):
    page, _ = view_page(site=site)
    byline = page.locator(".byline").inner_text()
    assert date in byline and minutes in byline
    isolated = page.evaluate("() => [...document.querySelectorAll('#byline bdi')].map(b => b.textContent)")
    assert date in isolated and any(page.locator("#byline .author").inner_text() == part for part in isolated)


def test_the_fonts_of_each_script_are_there_to_render_it(view_page):
    # The pinned font sets hold glyphs for every fixture's script (tests/fonts.py): no box, no fallback to nothing.
    for site, family in (("ja", "Droid Sans Fallback"), ("ar", "Amiri"), ("he", "DejaVu Sans")):
        page, _ = view_page(site=site)
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#p-1"})["nodeId"]
        fonts = [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
        assert family in fonts, (site, fonts)
