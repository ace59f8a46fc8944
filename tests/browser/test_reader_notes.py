"""A reader's own highlights and notes (issue 14), in real Chromium: made, edited and deleted with
the mouse, on a touch screen and with the keyboard; kept in localStorage as W3C annotations keyed
by the article (so they survive a reload, file:// and a rebuilt site); re-anchored only on exact
words, else listed as detached; listed, hidden, exported and imported (hostile files refused);
shared by a link; and what it costs: no first-view bytes beyond a few, at most 12 KiB lazily, and
at most 50 ms more layout with 200 notes."""

import base64
import json
import re
import shutil
import statistics

import pytest
from playwright.sync_api import expect

from tests.browser.test_quotes import drag_select, plain_words
from tests.conftest import PREFIXES, ROOT, run_build, screenshot
from tests.test_quality import axe_violations

MARKER = "reader:my-notes"


# ---- Helpers: select words as a reader does, read what the page and the storage hold ----

def select_words(page, block_id: str, words: str, nth: int = 0):
    """Select the nth occurrence of words in a block by script (as the keyboard or a screen reader can); wait for the tools."""
    page.evaluate("""([id, words, nth]) => { const el = document.getElementById(id); el.scrollIntoView({block: 'center', behavior: 'instant'});
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let node, text = '', nodes = [];
        while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
        let at = -1; for (let i = 0; i <= nth; i++) { at = text.indexOf(words, at + 1); if (at < 0) throw new Error('not found: ' + words); }
        const point = (offset, end) => { const [n, s] = nodes.filter(([, start]) => end ? start < offset : start <= offset).pop(); return [n, offset - s]; };
        const r = document.createRange(); r.setStart(...point(at, false)); r.setEnd(...point(at + words.length, true));
        getSelection().removeAllRanges(); getSelection().addRange(r); }""", [block_id, words, nth])
    expect(page.locator(".quote-tools")).to_be_visible()


def make(page, block_id: str, words: str, text: str | None = None, nth: int = 0):
    """Highlight words (text None) or add a note on them, with the mouse on the tools' buttons."""
    select_words(page, block_id, words, nth)
    before = page.locator("#notes > .reader-note").count()
    page.locator(".quote-tools [data-act=%s]" % ("note" if text is not None else "highlight")).click()
    expect(page.locator("#notes > .reader-note")).to_have_count(before + 1)
    if text is not None:
        page.locator("textarea.rn-input").fill(text)
        page.locator(".reader-note [data-rn=save]").click()
        expect(page.locator(".reader-note.rn-editing")).to_have_count(0)


def marks(page) -> list[dict]:
    """Every reader's note in the text: its id, the words its pieces hold, the block they are in."""
    return page.evaluate("""() => { const by = {};
        document.querySelectorAll('#article-body mark.reader-anchor').forEach(m => { const id = m.getAttribute('data-ref');
          (by[id] = by[id] || {id, words: '', blocks: [], pieces: 0}); by[id].words += m.textContent; by[id].pieces++;
          const b = m.closest('.para').id; if (!by[id].blocks.includes(b)) by[id].blocks.push(b); });
        return Object.values(by); }""")


def article(page) -> dict:
    return page.evaluate("() => JSON.parse(document.getElementById('article-data').textContent)")


def key(page) -> str:
    return f"{MARKER}:{article(page)['isBasedOn']}"


def stored(page) -> dict | None:
    raw = page.evaluate("(k) => localStorage.getItem(k)", key(page))
    return None if raw is None else json.loads(raw)


def items(page) -> list[dict]:
    kept = stored(page)
    return kept["first"]["items"] if kept else []


def wait_ready(page):
    page.wait_for_function("() => window.ReaderNotes && document.querySelectorAll('#notes > .note').length")


def note_text(page, index: int = 0) -> str:
    return page.locator("#notes > .reader-note").nth(index).inner_text()


# ---- Weight: nothing in the first view but a few bytes; the bundle with the quote tools ----

def test_the_notes_code_loads_only_with_the_quote_tools_and_keeps_its_budgets(open_page, site, capsys):
    from bench.weights import BUDGETS, page_weights, report
    page, problems = open_page(clipboard=True)
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.mouse.click(5, 400)  # the interaction layer comes; the notes code does not
    page.wait_for_function("() => window.ReaderInteract")
    assert not any("readernotes." in url for url in requested), "no stored notes: the bundle waits for a selection"
    drag_select(page, "p-2", plain_words(page, "p-2"))
    page.wait_for_function("() => window.ReaderNotes")
    assert any("readernotes." in url and url.endswith(".js") for url in requested)
    weights = page_weights(site)
    with capsys.disabled():
        print("\n" + report(weights))
    assert weights["first_view_gz"] <= BUDGETS["first_view"]
    assert weights["notes_gz"] <= 12 * 1024
    first_view_text = (site / "index.html").read_text(encoding="utf-8")
    assert "readernotes" not in "".join(re.findall(r'<script src="[^"]*"', first_view_text)), "not a first-view script"
    assert problems.errors == [] and problems.offsite == []


# ---- Making, editing, deleting: mouse, touch, keyboard ----

def test_with_the_mouse_a_highlight_and_a_note_are_made_edited_deleted_and_kept_over_a_reload(open_page):
    page, problems = open_page(clipboard=True)
    words = plain_words(page, "p-7", 5)
    drag_select(page, "p-7", words)
    page.get_by_role("button", name="Highlight", exact=True).click()
    expect(page.locator("mark.reader-anchor")).to_have_count(1)
    assert marks(page)[0]["words"] == words and marks(page)[0]["blocks"] == ["p-7"]
    assert note_text(page).startswith("YOUR HIGHLIGHT") or "Your highlight" in note_text(page)
    (kept,) = items(page)
    quote, position = kept["target"]["selector"]
    assert kept["motivation"] == "highlighting" and "body" not in kept and kept["id"].startswith("urn:uuid:")
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == words and quote["prefix"] and quote["suffix"]
    body_text = page.evaluate("() => document.getElementById('article-body').textContent")
    assert position["type"] == "TextPositionSelector" and body_text[position["start"]:position["end"]] == words
    assert kept["created"] == kept["modified"] and re.match(r"\d{4}-\d\d-\d\dT", kept["created"])

    other = plain_words(page, "p-9", 4)
    drag_select(page, "p-9", other)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("textarea.rn-input")).to_be_focused()
    page.keyboard.type("Worth checking: <b>not bold</b>\nSecond line.")
    page.locator(".reader-note [data-rn=save]").click()
    card = page.locator(".reader-note", has_text="Worth checking")
    expect(card).to_contain_text("Your note", ignore_case=True)
    assert card.locator(".rn-text").inner_text() == "Worth checking: <b>not bold</b>\nSecond line."
    assert card.locator("b").count() == 0, "the reader's text is text, never markup"

    page.reload()
    wait_ready(page)
    expect(page.locator("#notes > .reader-note")).to_have_count(2)
    assert sorted(m["words"] for m in marks(page)) == sorted([words, other])

    card = page.locator(".reader-note", has_text="Worth checking")
    page.locator(f"#ref-{card.get_attribute('id')[5:]}").click()
    card.locator("[data-rn=edit]").click()
    page.locator("textarea.rn-input").fill("Checked: it holds.")
    page.locator(".reader-note [data-rn=save]").click()
    expect(page.locator(".reader-note", has_text="Checked: it holds.")).to_have_count(1)
    note = next(i for i in items(page) if i.get("body"))
    assert note["body"][0]["value"] == "Checked: it holds." and note["modified"] > note["created"]

    card = page.locator(".reader-note", has_text="Checked: it holds.")
    card.locator("[data-rn=delete]").click()
    expect(card).to_contain_text("Delete this note?")
    card.locator("[data-rn=really]").click()
    expect(page.locator("#notes > .reader-note")).to_have_count(1)
    page.locator(".reader-note.rn-highlight").evaluate("n => document.getElementById('ref-' + n.id.slice(5)).click()")
    page.locator(".reader-note.rn-highlight [data-rn=delete]").click()
    expect(page.locator("#notes > .reader-note")).to_have_count(0)
    assert page.locator("mark.reader-anchor").count() == 0
    assert page.evaluate("(k) => [localStorage.getItem(k), localStorage.getItem('reader:my-notes')]", key(page)) == [None, None]
    assert page.evaluate("() => document.getElementById('article-body').textContent") == body_text, "the text is as it was"
    assert problems.errors == []


def test_on_a_touch_screen_notes_open_edit_and_delete_in_the_phone_sheet(open_page):
    page, problems = open_page(width=390, height=844, mobile=True)
    words = plain_words(page, "p-8", 4)
    select_words(page, "p-8", words)
    page.locator(".quote-tools [data-act=note]").tap()
    sheet = page.locator("#notes > .reader-note.is-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator("textarea")).to_be_focused()
    page.keyboard.type("Typed on a phone")
    sheet.locator("[data-rn=save]").tap()
    expect(sheet.locator(".rn-text")).to_have_text("Typed on a phone")
    sheet.locator(".sheet-bar button", has_text="Close").tap()
    expect(page.locator("#notes > .reader-note.is-sheet")).to_have_count(0)
    assert page.locator("#notes > .reader-note").get_attribute("hidden") == "until-found"

    mark = page.locator("mark.reader-anchor").first
    mark.tap()
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Your note", ignore_case=True)
    sheet.locator("[data-rn=edit]").tap()
    sheet.locator("textarea").fill("Edited on a phone")
    sheet.locator("[data-rn=save]").tap()
    expect(sheet.locator(".rn-text")).to_have_text("Edited on a phone")
    assert items(page)[0]["body"][0]["value"] == "Edited on a phone"
    sheet.locator("[data-rn=delete]").tap()
    sheet.locator("[data-rn=really]").tap()
    expect(page.locator("#notes > .reader-note")).to_have_count(0)

    select_words(page, "p-8", words)
    page.locator(".quote-tools [data-act=highlight]").tap()
    expect(page.locator("mark.reader-anchor")).to_have_count(1)
    page.locator("mark.reader-anchor").first.tap()
    expect(sheet).to_contain_text("Your highlight", ignore_case=True)
    sheet.locator("[data-rn=delete]").tap()
    expect(page.locator("mark.reader-anchor")).to_have_count(0)
    assert items(page) == []
    assert problems.errors == []


def test_with_the_keyboard_alone_a_note_is_made_edited_and_deleted(open_page):
    page, problems = open_page()
    words = plain_words(page, "p-10", 4)
    select_words(page, "p-10", words)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Copy link to quote"
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("() => document.activeElement.textContent") == "Add note"
    page.keyboard.press("Enter")
    expect(page.locator("textarea.rn-input")).to_be_focused()
    page.keyboard.type("By keyboard")
    page.keyboard.press("Control+Enter")
    card = page.locator("#notes > .reader-note")
    expect(card.locator(".rn-text")).to_have_text("By keyboard")
    expect(card).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Edit"
    page.keyboard.press("Enter")
    expect(page.locator("textarea.rn-input")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Changed by keyboard")
    page.keyboard.press("Escape")  # Escape cancels the edit
    expect(card.locator(".rn-text")).to_have_text("By keyboard")
    page.keyboard.press("Escape")  # and then closes the note, back to its words
    assert page.evaluate("() => document.activeElement.classList.contains('reader-anchor')")
    page.keyboard.press("Enter")  # the words open the note, focus goes into it
    expect(card).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Delete"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.getAttribute('data-rn')") == "really"
    page.keyboard.press("Enter")
    expect(page.locator("#notes > .reader-note")).to_have_count(0)
    assert items(page) == [] and problems.errors == []


def test_a_highlight_over_an_editors_words_is_one_note_in_pieces_and_numbers_stay_the_editors(open_page):
    page, problems = open_page()
    editor = page.evaluate("""() => { const a = document.querySelector('#p-4 a.anchor'); return [a.id, a.textContent]; }""")
    numbers = page.evaluate("() => [...document.querySelectorAll('#notes > .note .note-num')].map(n => n.textContent)")
    text = page.locator("#p-4").evaluate("p => p.textContent")
    start = text.index(editor[1])
    words = text[start + len(editor[1]) - 11:start + len(editor[1]) + 14].strip()  # the end of the editor’s words and a few after
    make(page, "p-4", words)
    (mark,) = marks(page)
    assert mark["words"] == words and mark["pieces"] == 2
    pieces = page.locator("mark.reader-anchor")
    assert pieces.nth(0).evaluate("m => m.closest('a.anchor') !== null") and pieces.nth(1).evaluate("m => m.closest('a.anchor') === null")
    assert page.evaluate("() => [...document.querySelectorAll('mark.reader-anchor')].every(m => getComputedStyle(m).counterIncrement === 'none')")
    assert page.evaluate("() => getComputedStyle(document.querySelector('mark.reader-anchor'), '::after').content") == "none"
    pieces.nth(1).hover()
    expect(pieces.nth(0)).to_have_class(re.compile("is-active"))
    expect(pieces.nth(1)).to_have_class(re.compile("is-active"))
    pieces.nth(1).click()
    expect(page.locator("#notes > .reader-note.is-open")).to_have_count(1)
    editor_anchor = page.locator(f"#{editor[0]}")
    box = editor_anchor.bounding_box()
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)  # the editor's own words still open the editor's note
    expect(page.locator(f"#note-{editor[0][4:]}")).to_have_class(re.compile("is-open"))
    assert page.evaluate("() => [...document.querySelectorAll('#notes > .note:not(.reader-note) .note-num')].map(n => n.textContent)") == numbers
    colours = page.evaluate("""() => [getComputedStyle(document.querySelector('mark.reader-anchor')).backgroundColor,
        getComputedStyle(document.querySelector('a.anchor:not(.is-active)')).backgroundColor]""")
    assert colours[0] != colours[1], "a second colour, not the editor's"
    assert problems.errors == []
