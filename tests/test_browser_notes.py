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
    note.scroll_into_view_if_needed()
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
