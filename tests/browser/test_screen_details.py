"""The smaller things a reader meets on each screen (issue 20), each as the reader meets it: the
sheet's count with a highlight of one's own, the notes page's measure, printing with the notes
hidden or one open, forced colours, the quote tools and "Add note" on a phone, a shared note's link
in an open tab, "Your notes" closed by touch, the export's file name, the "more" arrow, the byline's
separators, the first tap's answer, a lit note below the screen's edge, a note opened from search."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_reader_notes import make, select_words
from tests.conftest import screenshot


def tap_words(page, anchor_id, at=0.5):
    """Bring a note's words to `at` of the screen's height and tap them; wait for the sheet."""
    page.evaluate("([id, at]) => { const a = document.getElementById(id); scrollTo(0, a.getBoundingClientRect().top + scrollY - innerHeight * at); }",
                  [anchor_id, at])
    page.locator(f"#{anchor_id}").tap()
    page.wait_for_selector("#notes > .note.is-sheet")


def test_the_sheet_counts_the_editors_notes_whatever_the_readers_own(view_page):
    page, _ = view_page(width=390, height=844, mobile=True)
    make(page, "p-1", page.evaluate("() => document.getElementById('p-1').textContent.split(' ').slice(0, 3).join(' ')"))
    anchor = page.evaluate("() => [...document.querySelectorAll('#article-body a.anchor')][3].id")
    number = page.locator(f"#note-{anchor[4:]} .note-num").text_content()
    editors = page.locator("#notes > .note:not(.reader-note)").count()
    page.keyboard.press("Escape")
    tap_words(page, anchor)
    assert page.locator(".sheet-count").inner_text() == f"Note {number} of {editors}"


@pytest.mark.parametrize("width", [1280, 1920])
def test_the_page_of_all_notes_keeps_a_readable_measure(view_page, width):
    page, _ = view_page("notes.html", width=width)
    # Characters a line: the body text's width over the width of an average letter of its font.
    per_line = page.evaluate("""() => { const p = document.querySelector('.entry .note-body p'), probe = document.createElement('span');
        probe.textContent = 'the quick brown fox jumps over the lazy dog'; p.appendChild(probe);
        const letter = probe.getBoundingClientRect().width / probe.textContent.length; probe.remove();
        return p.getBoundingClientRect().width / letter; }""")
    assert per_line <= 100, f"{per_line:.0f} characters a line"


def test_printing_with_the_notes_hidden_prints_the_text_alone(view_page):
    page, _ = view_page(width=1440)
    page.get_by_role("button", name="Hide notes").click()
    expect(page.get_by_role("button", name="Hide notes")).to_have_attribute("aria-pressed", "true")
    page.emulate_media(media="print")
    assert page.locator("#notes > .note:visible").count() == 0
    numbers = page.evaluate("() => [...document.querySelectorAll('#article-body .anchor')].map(a => getComputedStyle(a, '::after').content)")
    assert set(numbers) == {"none"}, "no numbers in the text when no notes are printed"


def test_a_note_open_while_printing_prints_its_number_like_the_others(view_page):
    page, _ = view_page(width=1440)
    anchor = page.locator("#article-body .anchor").nth(2)
    anchor.click()
    expect(page.locator("#notes > .note.is-open")).to_have_count(1)
    page.emulate_media(media="print")
    colours = page.evaluate("""() => [...document.querySelectorAll('#article-body .anchor')].slice(0, 4).map(a => {
        const s = getComputedStyle(a, '::after'); return s.color + ' on ' + s.backgroundColor; })""")
    assert len(set(colours)) == 1 and colours[0].startswith("rgb(0, 0, 0) on rgba(0, 0, 0, 0)"), colours


def test_in_forced_colours_the_open_notes_number_takes_the_systems_colours(view_page):
    page, _ = view_page(width=1440, forced=True)
    page.locator("#article-body .anchor").nth(2).click()
    expect(page.locator("#notes > .note.is-open")).to_have_count(1)
    fill = page.locator("#article-body .anchor").nth(2).evaluate("a => getComputedStyle(a, '::after').backgroundColor")
    brand = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
    highlight = page.evaluate("() => { const s = document.createElement('span'); s.style.forcedColorAdjust = 'none';"
                              " s.style.background = 'Highlight'; document.body.appendChild(s);"
                              " const c = getComputedStyle(s).backgroundColor; s.remove(); return c; }")
    assert fill == highlight and brand != fill


@pytest.mark.parametrize("width, height", [(390, 844), (844, 390)])
def test_on_a_phone_the_quote_tools_are_a_bar_at_the_foot_with_buttons_for_a_finger(view_page, width, height):
    page, _ = view_page(width=width, height=height, mobile=True)
    select_words(page, "p-2", page.evaluate("() => document.getElementById('p-2').textContent.split(' ').slice(2, 6).join(' ')"))
    buttons = page.evaluate("() => [...document.querySelectorAll('.quote-tools button')].map(b => b.getBoundingClientRect().toJSON())")
    assert min(b["height"] for b in buttons) >= 44
    bar = page.locator(".quote-tools").bounding_box()
    assert bar["y"] + bar["height"] <= height and bar["y"] + bar["height"] >= height - 24, "at the foot of the screen"
    words = page.evaluate("() => getSelection().getRangeAt(0).getBoundingClientRect().toJSON()")
    assert words["bottom"] + 24 <= bar["y"] or words["top"] >= bar["y"] + bar["height"], "clear of the selection and its handles"
    rows = sorted({round(b["y"]) for b in buttons})
    for row in rows:  # each row starts at the bar's left edge: no stray rule at the start of a row
        lefts = [b["x"] for b in buttons if round(b["y"]) == row]
        assert min(lefts) - bar["x"] < 12
    shadows = page.evaluate("() => [...document.querySelectorAll('.quote-tools button')].map(b => getComputedStyle(b).boxShadow)")
    assert set(shadows) == {"none"}
    screenshot(page, f"quote-tools-phone-{width}")


def test_add_note_on_a_phone_keeps_the_words_in_sight_above_the_keyboards_place(view_page):
    page, _ = view_page(width=390, height=844, mobile=True)
    words = page.evaluate("() => document.getElementById('p-4').textContent.split(' ').slice(3, 7).join(' ')")
    select_words(page, "p-4", words)
    page.locator(".quote-tools [data-act=note]").tap()
    editor = page.locator(".reader-note.rn-editing")
    expect(editor).to_have_count(1)
    box = editor.bounding_box()
    mark = page.evaluate("() => document.querySelector('mark.reader-anchor').getBoundingClientRect().toJSON()")
    assert mark["top"] >= box["y"] + box["height"], "the words are not under the editor"
    assert mark["bottom"] <= 844 * 0.6, "the words stay where a phone's keyboard will not cover them"
    assert page.evaluate("() => document.activeElement.tagName") == "TEXTAREA"


def test_a_shared_notes_link_opened_in_a_tab_showing_the_article_shows_it(open_page, browser, site_url):
    page, _ = open_page(width=1440, clipboard=True)
    make(page, "p-3", page.evaluate("() => document.getElementById('p-3').textContent.split(' ').slice(1, 5).join(' ')"), "Shared thought")
    page.locator(".reader-note").first.hover()
    page.locator(".reader-note [data-rn=link]").first.click()
    expect(page.locator("#toast")).to_have_text("Link to your note copied")
    link = page.evaluate("() => navigator.clipboard.readText()")
    other, _ = open_page(width=1440)
    other.evaluate("(hash) => { location.hash = hash; }", link[link.index("#"):])
    expect(other.locator(".reader-note", has_text="Shared thought")).to_have_count(1)


def test_your_notes_closes_with_a_tap_on_a_phone(view_page):
    page, _ = view_page(width=390, height=844, mobile=True)
    page.locator("#your-notes").tap()
    panel = page.locator("#rn-panel")
    expect(panel).to_be_visible()
    close = panel.get_by_role("button", name="Close")
    assert close.bounding_box()["height"] >= 44
    close.tap()
    expect(panel).to_be_hidden()
    assert page.locator("#your-notes").get_attribute("aria-expanded") == "false"


def test_the_exported_file_is_named_by_whole_words_of_the_title(open_page):
    page, _ = open_page(width=1440)
    make(page, "p-2", page.evaluate("() => document.getElementById('p-2').textContent.split(' ').slice(0, 3).join(' ')"))
    page.locator("#your-notes").click()
    with page.expect_download() as download:
        page.locator("#rn-panel [data-rn=export-md]").click()
    name = download.value.suggested_filename
    title_words = re.findall(r"\w+", page.evaluate("() => JSON.parse(document.getElementById('article-data').textContent).headline").lower())
    stem = name.removeprefix("notes-").removesuffix(".md").split("-")
    assert stem == title_words[:len(stem)], name
    assert len("-".join(stem)) <= 40


def test_the_more_arrow_shows_only_while_a_shortened_note_is_short(view_page):
    page, _ = view_page(width=1024, height=700)
    note = page.locator("#notes > .note.is-short").first
    arrow = "el => { const s = getComputedStyle(el.querySelector('.note-head'), '::after'); return s.visibility === 'visible' && s.content !== 'none'; }"
    assert note.evaluate(arrow)
    note.scroll_into_view_if_needed()
    note.hover()
    expect(note.locator(".note-meta").first).to_be_visible()
    assert not note.evaluate(arrow)


@pytest.mark.parametrize("site", ["article", "second", "dense"])
@pytest.mark.parametrize("width", [320, 360, 390, 768, 1024, 1440])
def test_no_line_of_the_byline_starts_with_a_separator(view_page, site, width):
    page, _ = view_page(site=site, width=width, mobile=width < 960)
    starts = page.evaluate("""() => { const byline = document.querySelector('.byline'), left = byline.getBoundingClientRect().left;
        const walker = document.createTreeWalker(byline, NodeFilter.SHOW_TEXT), out = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) for (let i = 0; i < n.data.length; i++) {
          if (n.data[i] !== '\u00b7') continue;
          const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
          const box = r.getClientRects()[0]; if (box && box.left - left < 2) out.push(box.top); }
        return out; }""")
    assert starts == []


def test_the_first_tap_on_a_notes_words_is_answered_at_once_while_the_rest_loads(open_page, server):
    page, _ = open_page(width=390, height=844, mobile=True, wait=False)
    release = []
    page.route(re.compile(r".*/assets/interact\.[0-9a-f]+\.js$"), lambda route: release.append(route))
    page.reload()
    page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
    anchor = page.locator("#article-body .anchor").nth(1)
    anchor.scroll_into_view_if_needed()
    plain = anchor.evaluate("a => getComputedStyle(a).backgroundColor")
    anchor.tap()
    lit = anchor.evaluate("a => getComputedStyle(a).backgroundColor")
    assert lit != plain and page.locator("#notes > .note.is-sheet").count() == 0
    page.wait_for_function("() => true")
    while not release:
        page.wait_for_timeout(20)
    release[0].continue_()
    page.wait_for_selector("#notes > .note.is-sheet")


@pytest.mark.parametrize("fonts", ["liberation", "dejavu"])
def test_a_note_lit_by_its_words_at_the_foot_of_the_screen_is_drawn_in_view(view_page, fonts):
    page, _ = view_page(width=1280, height=700, fonts=fonts)
    found = page.evaluate("""() => { for (const a of document.querySelectorAll('#article-body .anchor')) {
        const n = document.getElementById('note-' + a.id.slice(4)); scrollTo(0, a.getBoundingClientRect().top + scrollY - innerHeight + 60);
        if (n.getBoundingClientRect().bottom > innerHeight) return a.id; } return null; }""")
    assert found, "no note runs below the screen when its words are at the foot"
    page.locator(f"#{found}").hover()
    note = page.locator(f"#note-{found[4:]}")
    page.wait_for_function("(id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.bottom <= innerHeight; }",
                           arg=f"note-{found[4:]}")
    assert note.bounding_box()["y"] >= page.locator("#toolbar").bounding_box()["height"] - 1
    page.mouse.move(5, 5)
    page.wait_for_function("(id) => document.getElementById(id).style.translate === ''", arg=f"note-{found[4:]}")


@pytest.mark.parametrize("width, height", [(1024, 640), (1440, 900), (390, 844)])
def test_a_note_opened_from_search_shows_with_its_words_and_escape_returns_to_them_on_screen(view_page, width, height):
    page, _ = view_page(width=width, height=height, mobile=width < 960)
    note_id = page.evaluate("() => [...document.querySelectorAll('#notes > .note')].at(-3).id")
    title = page.locator(f"#{note_id} .note-title").text_content()
    page.locator("#search-input").click()
    page.keyboard.type(title)
    page.wait_for_selector(f"#search-results a[href$='#{note_id}']")
    page.locator(f"#search-results a[href$='#{note_id}']").click()
    page.wait_for_function("(id) => document.getElementById(id).classList.contains('is-open')", arg=note_id)
    words = page.locator(f"#ref-{note_id[5:]}").bounding_box()
    toolbar = page.evaluate("() => Math.max(0, document.getElementById('toolbar').getBoundingClientRect().bottom)")
    assert words["y"] >= toolbar - 1 and words["y"] + words["height"] <= height, "the note's words are on screen"
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == f"ref-{note_id[5:]}"
    focused = page.locator(f"#ref-{note_id[5:]}").bounding_box()
    assert 0 <= focused["y"] and focused["y"] + focused["height"] <= height
