"""Margin notes in real Chromium: placement on a desk, tap-to-open on a phone, keyboard, deep links."""

import re

import pytest

from tests.conftest import screenshot

pytestmark = pytest.mark.browser

BOXES = """() => [...document.querySelectorAll('aside.note')].map(n => {
  const a = document.getElementById('ref-' + n.id.slice(5));
  const nb = n.getBoundingClientRect(), ab = a.getBoundingClientRect();
  return {id: n.id, top: nb.top + scrollY, bottom: nb.bottom + scrollY, left: nb.left, right: nb.right,
          anchorTop: ab.top + scrollY};
})"""


def test_wide_screen_notes_sit_in_the_margin_without_overlapping(open_page):
    page, problems = open_page(width=1440, height=900)
    page.wait_for_function("() => document.querySelector('aside.note').classList.contains('is-placed')")
    notes = page.evaluate(BOXES)
    assert len(notes) >= 20
    text_right = page.evaluate("() => Math.max(...[...document.querySelectorAll('.story-body > p.para')].map(p => p.getBoundingClientRect().right))")
    for note in notes:
        assert note["left"] >= text_right + 16, f"{note['id']} overlaps the text column"
        assert note["right"] <= 1440
        assert note["top"] >= note["anchorTop"] - 1, f"{note['id']} sits above its anchor"
        assert note["top"] - note["anchorTop"] < 400, f"{note['id']} is far from its anchor"
    ordered = sorted(notes, key=lambda n: n["top"])
    for upper, lower in zip(ordered, ordered[1:]):
        assert lower["top"] >= upper["bottom"], f"{upper['id']} overlaps {lower['id']}"
    level = [n for n in notes if abs(n["top"] - n["anchorTop"]) <= 2]
    assert level, "at least the first notes are level with their anchors"
    assert problems.errors == []
    screenshot(page, "desk-light")


def test_notes_follow_reflow_and_resize(open_page):
    page, _ = open_page(width=1440, height=900)
    before = page.evaluate(BOXES)
    page.evaluate("() => { document.documentElement.style.fontSize = '19px'; }")  # as a user's zoom or a late font would
    page.wait_for_timeout(300)
    after = page.evaluate(BOXES)
    assert after[-1]["anchorTop"] > before[-1]["anchorTop"] + 100  # the text reflowed
    page.set_viewport_size({"width": 1100, "height": 900})
    page.wait_for_timeout(300)
    final = page.evaluate(BOXES)
    for boxes in (after, final):
        for note in boxes:
            assert note["top"] >= note["anchorTop"] - 1
            assert note["top"] - note["anchorTop"] < 400
        ordered = sorted(boxes, key=lambda n: n["top"])
        assert all(b["top"] >= a["bottom"] for a, b in zip(ordered, ordered[1:]))
    assert max(n["right"] for n in final) <= 1100


def test_phone_tap_opens_the_note_inside_the_viewport_and_again_closes_it(open_page):
    page, problems = open_page(width=390, height=844, mobile=True)
    note = page.locator("aside.note").first
    anchor = page.locator(f"#ref-{note.get_attribute('id')[5:]}")
    assert not note.is_visible()
    assert anchor.get_attribute("aria-expanded") == "false"
    anchor.tap()
    assert note.is_visible()
    assert anchor.get_attribute("aria-expanded") == "true"
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(page, "phone-note-open")
    anchor.tap()
    assert not note.is_visible()
    assert problems.errors == []


def test_keyboard_tab_reaches_an_anchor_enter_opens_escape_closes(open_page):
    page, _ = open_page(width=390, height=844)
    first_ref = "ref-" + page.locator("aside.note").first.get_attribute("id")[5:]
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('anchor')"):
            break
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == first_ref
    page.keyboard.press("Enter")
    note = page.locator(f"#note-{focused[4:]}")
    assert note.is_visible()
    page.keyboard.press("Escape")
    assert not note.is_visible()
    assert page.evaluate("() => document.activeElement.id") == focused


def test_anchor_announces_a_note_and_its_title_once(open_page):
    page, _ = open_page()
    anchor = page.locator("a.anchor").first
    note = page.locator(anchor.get_attribute("href"))
    title = note.locator(".note-title").inner_text()
    number = note.locator(".note-number").inner_text()
    quote = anchor.evaluate("el => el.firstChild.textContent")
    snapshot = re.sub(r"\s+([,:])", r"\1", anchor.aria_snapshot()).replace("''", "'")
    assert f'link "{quote}, note {number}: {title}"' in snapshot, snapshot
    assert snapshot.count(f"note {number}") == 1
    assert anchor.get_attribute("aria-describedby") is None  # no second announcement


def test_without_javascript_every_note_is_visible(open_page):
    page, _ = open_page(width=390, height=844, javascript=False)
    notes = page.locator("aside.note")
    assert notes.count() >= 20
    assert all(notes.nth(i).is_visible() for i in range(notes.count()))
    assert not page.locator("#search").is_visible()
    assert not page.locator("#notes-toggle").is_visible()
    page2, _ = open_page(width=1440, height=900, javascript=False)
    boxes = page2.evaluate(BOXES)
    ordered = sorted(boxes, key=lambda n: n["top"])
    assert all(b["top"] >= a["bottom"] for a, b in zip(ordered, ordered[1:]))
    screenshot(page2, "desk-no-js")


def test_note_address_opens_and_highlights_the_note_on_a_phone(open_page):
    page, _ = open_page(width=390, height=844, mobile=True)
    note_id = page.locator("aside.note").nth(4).get_attribute("id")
    page.goto(page.url.split("#")[0] + "#" + note_id)
    note = page.locator(f"#{note_id}")
    page.wait_for_function(f"() => document.getElementById('{note_id}').classList.contains('is-open')")
    assert note.is_visible()
    assert "is-active" in note.get_attribute("class")
    anchor = page.locator(f"#ref-{note.get_attribute('id')[5:]}")
    assert "is-active" in anchor.get_attribute("class")
    box = note.bounding_box()
    assert box["y"] < 844 and box["y"] + min(box["height"], 400) > 0


def test_hover_on_an_anchor_highlights_its_note_and_back(open_page):
    page, _ = open_page(width=1440, height=900)
    anchor = page.locator("a.anchor").nth(2)
    note = page.locator(anchor.get_attribute("href"))
    anchor.hover()
    assert "is-active" in note.get_attribute("class")
    note.hover()
    assert "is-active" in anchor.get_attribute("class")


def test_notes_switch_hides_all_notes_and_is_remembered(open_page):
    page, _ = open_page(width=1440, height=900)
    toggle = page.locator("#notes-toggle")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator("aside.note:visible").count() == 0
    page.reload()
    assert page.locator("#notes-toggle").get_attribute("aria-pressed") == "false"
    assert page.locator("aside.note:visible").count() == 0
    page.locator("#notes-toggle").click()
    assert page.locator("aside.note:visible").count() >= 20


def test_print_keeps_the_notes(open_page):
    page, _ = open_page(width=1440, height=900)
    page.emulate_media(media="print")
    notes = page.locator("aside.note")
    assert all(notes.nth(i).is_visible() for i in range(notes.count()))
    assert not page.locator(".toolbar").is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


NOTE_TOPS = "() => [...document.querySelectorAll('aside.note')].map(n => n.getBoundingClientRect().top + scrollY)"


def view_box(page, selector: str) -> dict:
    """Where an element sits in the viewport, and the viewport's height below the toolbar."""
    return page.evaluate("""sel => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return {top: r.top, bottom: r.bottom, bar: document.querySelector('.toolbar').getBoundingClientRect().bottom, height: innerHeight};
    }""", selector)


def test_phone_tap_on_words_low_on_the_screen_brings_their_note_into_view(open_page):
    page, _ = open_page(width=390, height=844, mobile=True)
    anchor = page.locator("#ref-ken-jimbo")
    # Put the words near the bottom of the screen, where the note below the paragraph is out of sight.
    page.evaluate("() => { const a = document.getElementById('ref-ken-jimbo'); scrollTo(0, a.getBoundingClientRect().top + scrollY - innerHeight + 80); }")
    words = view_box(page, "#ref-ken-jimbo")
    assert words["height"] - 200 < words["bottom"] <= words["height"], "the words should sit low on the screen"
    anchor.tap()
    page.wait_for_function("""() => { const r = document.getElementById('note-ken-jimbo').getBoundingClientRect();
                                      return r.top >= 0 && r.bottom <= innerHeight + 1; }""")
    box = view_box(page, "#note-ken-jimbo")
    assert box["top"] >= box["bar"] - 1, "the note is hidden under the toolbar"


def test_desk_click_opens_one_note_in_place_and_a_second_click_closes_it(open_page):
    page, problems = open_page(width=1440, height=900)
    anchor = page.locator("#ref-shinzo-abe")
    anchor.scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(100)
    before_y, before_tops = page.evaluate("scrollY"), page.evaluate(NOTE_TOPS)
    anchor.click()
    note = page.locator("#note-shinzo-abe")
    assert "is-open" in note.get_attribute("class")
    assert page.evaluate("scrollY") == before_y, "the click scrolled the page away from the words"
    assert "#" not in page.url
    page.mouse.move(5, 5)  # away, so only the click keeps it open
    page.wait_for_timeout(300)
    inner = note.locator(".note-inner")
    assert inner.bounding_box()["height"] > note.bounding_box()["height"] + 40, "the open note shows all of itself"
    assert page.evaluate(NOTE_TOPS) == before_tops, "opening a note moved the others"
    page.locator("#ref-abe-resignation-and-death").click()  # another one: the first closes
    assert page.locator("aside.note.is-open").count() == 1
    assert "is-open" in page.locator("#note-abe-resignation-and-death").get_attribute("class")
    page.locator("#ref-abe-resignation-and-death").click()
    assert page.locator("aside.note.is-open").count() == 0
    assert problems.errors == []


@pytest.mark.parametrize("how", ["escape", "click elsewhere"])
def test_desk_escape_or_a_click_elsewhere_closes_the_open_note(open_page, how):
    page, _ = open_page(width=1440, height=900)
    page.locator("#ref-double-freeze").click()
    assert page.locator("aside.note.is-open").count() == 1
    if how == "escape":
        page.keyboard.press("Escape")
    else:
        page.locator("#p-1").click()
    assert page.locator("aside.note.is-open").count() == 0


def test_desk_hover_shows_a_whole_note_over_the_next_ones_without_moving_them(open_page):
    page, _ = open_page(width=1440, height=900)
    before = page.evaluate(NOTE_TOPS)
    anchor = page.locator("#ref-shinzo-abe")
    anchor.hover()
    note = page.locator("#note-shinzo-abe")
    assert "is-active" in note.get_attribute("class")
    assert note.locator(".note-sources").is_visible()
    assert page.evaluate(NOTE_TOPS) == before
    # The shown note covers the next one, which stays where it was.
    covering = page.evaluate("""() => { const r = document.getElementById('note-abe-resignation-and-death').getBoundingClientRect();
                                        const el = document.elementFromPoint(r.left + 20, r.top + 5);
                                        return el && el.closest('aside') && el.closest('aside').id; }""")
    assert covering == "note-shinzo-abe"
    screenshot(page, "desk-note-hovered")


def test_a_shortened_note_shows_whole_lines_and_never_stays_scrolled(open_page):
    page, _ = open_page(width=1440, height=900)
    note = page.locator("#note-david-pilling")
    lines = page.evaluate("""() => { const n = document.getElementById('note-david-pilling');
                                     return n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight); }""")
    assert lines == pytest.approx(round(lines), abs=0.02), "the preview cuts through a line"
    # Tab through the note's source links, then on past it, as a keyboard reader does.
    note.locator("a").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.mouse.move(5, 5)
    page.wait_for_function("() => !document.getElementById('note-david-pilling').classList.contains('is-active')")
    assert note.evaluate("n => n.scrollTop") == 0
    assert note.locator(".note-head").bounding_box()["y"] >= note.bounding_box()["y"] - 0.5


def test_notes_sit_in_the_margin_on_a_landscape_tablet(open_page):
    page, _ = open_page(width=1024, height=768)
    page.wait_for_function("() => document.querySelector('aside.note').classList.contains('is-placed')")
    notes = page.evaluate(BOXES)
    assert max(n["right"] for n in notes) <= 1024
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1024


def test_a_note_address_shows_hidden_notes_but_keeps_the_saved_choice(open_page, site_url):
    page, _ = open_page(width=1440, height=900)
    page.locator("#notes-toggle").click()
    assert page.evaluate("() => localStorage.getItem('reader:notes-hidden')") == "1"
    page.goto(site_url + "#note-double-freeze")
    page.wait_for_function("() => document.getElementById('note-double-freeze').classList.contains('is-open')")
    assert page.locator("#note-double-freeze").is_visible()
    assert page.evaluate("() => localStorage.getItem('reader:notes-hidden')") == "1"
    page.goto(site_url)
    assert page.locator("aside.note:visible").count() == 0


def test_notes_switch_keeps_its_label_and_hidden_notes_leave_no_dead_links(open_page):
    page, _ = open_page(width=390, height=844)
    toggle = page.locator("#notes-toggle")
    label = toggle.inner_text()
    toggle.click()
    assert toggle.inner_text() == label, "a toggle button's name must not change with its state"
    assert toggle.get_attribute("aria-pressed") == "false"
    anchors = page.locator("a.anchor")
    assert anchors.count() == page.locator("aside.note").count()
    assert page.evaluate("() => [...document.querySelectorAll('.anchor')].every(a => !a.hasAttribute('href') && !a.hasAttribute('aria-expanded'))")
    for _ in range(60):  # Tab never lands on the words of a hidden note
        page.keyboard.press("Tab")
        assert not page.evaluate("() => document.activeElement.classList.contains('anchor')")
    toggle.click()
    assert page.evaluate("() => [...document.querySelectorAll('.anchor')].every(a => a.getAttribute('href') === '#note-' + a.id.slice(4))")


def test_printing_a_wide_page_prints_whole_notes_and_the_original_address(open_page):
    page, _ = open_page(width=1440, height=900)
    page.emulate_media(media="print")
    clipped = page.evaluate("""() => [...document.querySelectorAll('aside.note')]
        .filter(n => n.scrollHeight > n.clientHeight + 1 || getComputedStyle(n).position !== 'static').map(n => n.id)""")
    assert clipped == []
    after = page.evaluate("() => getComputedStyle(document.querySelector('.byline a'), '::after').content")
    assert "thediplomat.com" in after
    sizes = page.evaluate("""() => { const n = document.querySelector('aside.note');
        return [n, n.querySelector('.note-sources')].map(e => parseFloat(getComputedStyle(e).fontSize)); }""")
    assert sizes[1] <= sizes[0], "a note's sources print larger than its text"


def test_without_javascript_a_wide_screen_shows_each_note_after_its_paragraph(open_page):
    page, _ = open_page(width=1440, height=900, javascript=False)
    # Each note follows its paragraph (or the note before it) in the column, not in a far margin.
    gaps = page.evaluate("""() => [...document.querySelectorAll('aside.note')].map(n =>
      n.getBoundingClientRect().top - n.previousElementSibling.getBoundingClientRect().bottom)""")
    assert gaps and max(gaps) < 40, "notes drift away from their paragraphs"
    columns = page.evaluate("() => new Set([...document.querySelectorAll('aside.note, p.para')].map(e => Math.round(e.getBoundingClientRect().left))).size")
    assert columns == 1
