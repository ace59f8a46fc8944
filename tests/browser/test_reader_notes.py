"""A reader's own highlights and notes (issue 14), in real Chromium: made, edited and deleted with
the mouse, on a touch screen and with the keyboard; kept in localStorage as W3C annotations keyed
by the article (so they survive a reload, file:// and a rebuilt site); re-anchored only on exact
words, else listed as detached; listed, hidden, exported and imported (hostile files refused);
shared by a link; and what it costs: no first-view bytes beyond a few, at most 12 KiB lazily; 200
notes are all placed, none over another (their layout time is printed: timing belongs to make bench)."""

import base64
import json
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.test_quality import axe_violations
from tests.browser.test_quotes import drag_select, plain_words
from tests.conftest import BOXES, DENSE, PREFIXES, assert_margin_layout, run_build, screenshot

MARKER = "reader:my-notes"
DENSE_SOURCE = "https://example.org/original"  # the crowded fixture's source_url: the key its notes are kept under


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

def test_the_notes_code_loads_only_with_the_quote_tools_and_keeps_its_budgets(open_page, site, show_figures):
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
    show_figures(report(weights))
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

    other = plain_words(page, "p-5", 4)
    drag_select(page, "p-5", other)
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
    sheet.locator(".sheet-bar").get_by_role("button", name="Close").tap()
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
    words = plain_words(page, "p-6", 4)
    select_words(page, "p-6", words)
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


# ---- A rebuilt site: exact re-anchoring, or detached; never a look-alike ----

EDITS = [  # (old, new) in the crowded fixture's Markdown
    ("The treaty between the two islands", "A new opening sentence, added after the notes were made. The treaty between the two islands"),
    ("when the harbour froze", "when the old harbour froze"),
    ("signed it in the same ink", "signed it in the same blue ink"),
    ("by the rule of alternate weeks", "by the strict rule of alternate weeks"),
]

@pytest.fixture
def two_sites(tmp_path):
    """The crowded fixture built twice: as it is, and with the EDITS; both opened from file://."""
    built = {}
    for name, edits in (("original", []), ("edited", EDITS)):
        content = tmp_path / name / "content"
        shutil.copytree(DENSE / "content", content)
        article_file = next(content.glob("*.md"))
        text = article_file.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        article_file.write_text(text, encoding="utf-8")
        done = run_build("--content", str(content), "--annotations", str(DENSE / "annotations.yaml"),
                         "--out", str(tmp_path / name / "_site"))
        assert done.returncode == 0, done.stderr
        built[name] = (tmp_path / name / "_site" / "index.html").as_uri()
    return built


def test_after_the_article_changes_notes_reanchor_on_their_exact_words_or_are_listed_as_detached(open_page, two_sites):
    page, problems = open_page(url=two_sites["original"])
    make(page, "p-7", "paid in either currency", "N1: same words, same context, another offset")
    make(page, "p-3", "the harbour")  # N2: one of many "the harbour"; its context changes
    make(page, "p-4", "signed it in the same ink", "N3: its words change")
    make(page, "p-6", "rule of alternate weeks", "N4: the only place these words are")
    assert len(marks(page)) == 4
    kept_before = page.evaluate("(k) => localStorage.getItem(k)", key(page))

    page.goto(two_sites["edited"])  # another folder: the notes follow the article, not the address
    page.wait_for_function("() => window.ReaderNotes && document.documentElement.classList.contains('notes-placed')")
    expect(page.locator("#rn-notice")).to_have_text(re.compile("2 of your notes no longer match the article"))
    placed = {m["words"]: m["blocks"] for m in marks(page)}
    assert placed == {"paid in either currency": ["p-7"], "rule of alternate weeks": ["p-6"]}
    body = page.evaluate("() => document.getElementById('article-body').textContent")
    assert "A new opening sentence" in body and body.count("the harbour") > 2, "the look-alikes are there, and unmarked"
    page.locator("#your-notes").click()
    detached = page.locator("#rn-panel .rn-detached-title + .rn-hint + ul li")
    expect(detached).to_have_count(2)
    assert sorted(detached.locator("q").all_inner_texts()) == ["signed it in the same ink", "the harbour"]
    expect(page.locator("#rn-panel")).to_contain_text("N3: its words change")
    assert page.evaluate("(k) => localStorage.getItem(k)", key(page)) == kept_before, "nothing is rewritten by reading"

    page.goto(two_sites["original"])
    page.wait_for_function("() => window.ReaderNotes && document.querySelectorAll('mark.reader-anchor').length")
    assert len(marks(page)) == 4 and page.locator("#rn-notice").count() == 0
    assert problems.errors == []


# ---- Listed, found, hidden ----

def test_your_notes_lists_them_in_text_order_goes_to_each_and_hides_them_all(open_page):
    page, problems = open_page()
    make(page, "p-8", plain_words(page, "p-8", 3), "Later in the text, made first")
    make(page, "p-2", plain_words(page, "p-2", 3))
    page.locator("#your-notes").click()
    panel = page.locator("#rn-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#your-notes")).to_have_attribute("aria-expanded", "true")
    assert "this browser only" in panel.locator(".rn-help").inner_text() and "export" in panel.locator(".rn-help").inner_text()
    entries = panel.locator("ol.rn-list li")
    expect(entries).to_have_count(2)
    assert entries.nth(1).inner_text().endswith("Later in the text, made first")
    entries.nth(1).locator("a").click()
    expect(panel).to_be_hidden()
    card = page.locator(".reader-note", has_text="Later in the text")
    expect(card).to_have_class(re.compile("is-open"))
    expect(card).to_be_focused()
    box = card.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900, "it is brought into view"

    page.locator("#your-notes").click()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(page.locator("#your-notes")).to_be_focused()
    page.locator("#your-notes").click()
    panel.get_by_role("button", name="Hide your notes").click()
    expect(page.locator("mark.reader-anchor")).to_have_count(0)
    expect(page.locator("#notes > .reader-note")).to_have_count(0)
    expect(panel.get_by_role("button", name="Hide your notes")).to_have_attribute("aria-pressed", "true")
    page.reload()
    wait_ready(page)
    assert page.locator("mark.reader-anchor").count() == 0 and len(items(page)) == 2, "hidden, not deleted"
    page.locator("#your-notes").click()
    expect(panel.locator("li")).to_have_count(2)
    panel.get_by_role("button", name="Hide your notes").click()
    expect(page.locator("mark.reader-anchor")).to_have_count(2)
    assert problems.errors == []


# ---- Export and import ----

def download(page, action: str):
    with page.expect_download() as info:
        page.locator(f"#rn-panel [data-rn={action}]").click()
    return info.value.suggested_filename, open(info.value.path(), encoding="utf-8").read()


def import_file(page, path):
    with page.expect_file_chooser() as chooser:
        page.locator("#rn-panel [data-rn=import]").click()
    chooser.value.set_files(str(path))


def test_export_clear_import_gives_back_the_same_notes_and_importing_twice_adds_nothing(open_page, sites, tmp_path):
    site = sites["dense"]
    page, problems = open_page()
    make(page, "p-3", plain_words(page, "p-3", 4), "First note\nwith two lines")
    make(page, "p-6", plain_words(page, "p-6", 3))
    make(page, "p-5", plain_words(page, "p-5", 5), "Third")
    before = items(page)
    page.locator("#your-notes").click()
    name, text = download(page, "export-json")
    assert name.endswith(".jsonld")
    exported = json.loads(text)
    editors = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    assert set(exported) == set(editors) and set(exported["first"]) == set(editors["first"]), "the site's own shape"
    assert exported["type"] == "AnnotationCollection" and exported["total"] == 3 and exported["@context"] == "http://www.w3.org/ns/anno.jsonld"
    source = article(page)["isBasedOn"]
    assert {i["target"]["source"] for i in exported["first"]["items"]} == {source} == {i["target"]["source"] for i in editors["first"]["items"]}
    assert [i["id"] for i in exported["first"]["items"]] == [i["id"] for i in before]
    name, markdown = download(page, "export-md")
    assert name.endswith(".md")
    for item in before:
        quote = item["target"]["selector"][0]["exact"]
        assert f"> {quote}" in markdown
        if item.get("body"):
            assert item["body"][0]["value"] in markdown
    assert markdown.count("#selector(type=TextQuoteSelector,exact=") == 3 and markdown.startswith("# Your notes on “")

    file = tmp_path / "notes.jsonld"
    file.write_text(text, encoding="utf-8")
    page.evaluate("() => localStorage.clear()")
    page.reload()
    page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
    assert page.locator("mark.reader-anchor").count() == 0
    page.locator("#your-notes").click()
    expect(page.locator("#rn-panel")).to_contain_text("None yet")
    import_file(page, file)
    expect(page.locator("#rn-panel .rn-status")).to_have_text("3 notes imported; 0 already here.")
    expect(page.locator("mark.reader-anchor")).to_have_count(3)
    assert items(page) == before
    import_file(page, file)
    expect(page.locator("#rn-panel .rn-status")).to_have_text("0 notes imported; 3 already here.")
    assert items(page) == before and page.locator("#notes > .reader-note").count() == 3
    assert problems.errors == []


def hostile_files(valid: dict, source: str) -> dict[str, tuple[bytes, str]]:
    """name: (file bytes, the reason the refusal gives)."""
    def with_item(change) -> bytes:
        data = json.loads(json.dumps(valid))
        change(data["first"]["items"][0])
        return json.dumps(data).encode("utf-8")

    def body(text, fmt="text/plain"):
        return lambda item: item.__setitem__("body", [{"type": "TextualBody", "purpose": "commenting", "format": fmt, "value": text}])
    return {
        "not JSON": (b"{this is not json", "the file is not JSON"),
        "a plain list of words": (b'["a", "b"]', "not a W3C annotation collection"),
        "a collection without items": (b'{"type": "AnnotationCollection", "first": {"items": "none"}}', "not a W3C annotation collection"),
        "10 MB": (b'{"type": "AnnotationCollection", "first": {"items": []}, "x": "' + b"a" * (10 * 1024 * 1024) + b'"}', "larger than 1 MB"),
        "script in a note": (with_item(body("<script>window.pwned = 1</script>")), "holds a script"),
        "script tag split by spaces": (with_item(body("< script >window.pwned = 1</script>")), "holds a script"),
        "javascript: as an id": (with_item(lambda item: item.__setitem__("id", "javascript:window.pwned=1")), "javascript address"),
        "javascript: in a key": (with_item(lambda item: item.__setitem__("javascript:x", 1)), "javascript address"),
        "javascript: as the target": (with_item(lambda item: item["target"].__setitem__("source", "JavaScript:window.pwned=1")), "javascript address"),
        "HTML notes": (with_item(body("<p>Hi</p>", "text/html")), "plain-text notes"),
        "a note too long": (with_item(body("x" * 2001)), "longer than 2,000 characters"),
        "another article": (with_item(lambda item: item["target"].__setitem__("source", "https://example.org/other")), "another article"),
        "no quote": (with_item(lambda item: item["target"].__setitem__("selector", [])), "not a W3C annotation collection"),
        "too deep": (("[" * 5000 + "]" * 5000).encode(), "not a W3C annotation collection"),
    }


def test_malformed_hostile_or_huge_files_are_refused_and_change_nothing(open_page, tmp_path):
    page, problems = open_page()
    make(page, "p-5", plain_words(page, "p-5", 4), "Kept before any import")
    page.locator("#your-notes").click()
    _, valid = download(page, "export-json")
    kept = page.evaluate("(k) => localStorage.getItem(k)", key(page))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for name, (data, reason) in hostile_files(json.loads(valid), article(page)["isBasedOn"]).items():
        file = tmp_path / (re.sub(r"\W+", "-", name) + ".jsonld")
        file.write_bytes(data)
        page.locator("#rn-panel .rn-status").evaluate("s => s.textContent = ''")
        import_file(page, file)
        status = page.locator("#rn-panel .rn-status")
        expect(status).to_have_text(re.compile(r"^Not imported: .*\. Nothing was changed\.$"))
        assert reason in status.inner_text(), (name, status.inner_text())
        assert page.evaluate("(k) => localStorage.getItem(k)", key(page)) == kept, name
        assert page.locator("#notes > .reader-note").count() == 1, name
    assert page.evaluate("() => window.pwned") is None and dialogs == []
    assert problems.errors == []


# ---- One note shared by a link ----

def test_a_shared_link_shows_the_note_as_plain_text_until_kept_or_dismissed(open_page):
    page, first = open_page(clipboard=True)
    words = plain_words(page, "p-6", 5)
    text = "Look: <img src=x onerror=\"window.pwned=1\"> & <b>this</b>"
    make(page, "p-6", words, text)
    page.locator(".reader-note [data-rn=link]").click()
    expect(page.locator("#toast")).to_have_text("Link to your note copied")
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert "#rn=" in link and ":~:text=" in link and len(link) < 2000
    assert "onerror" not in link and "img" not in link, "compressed, not readable in the address"

    other, problems = open_page(url=link)  # a fresh browser context: nothing kept there
    card = other.locator("#notes > .reader-note.rn-shared")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Shared note", ignore_case=True)
    assert card.locator(".rn-text").inner_text() == text and card.locator("img, b").count() == 0
    assert [m["words"] for m in marks(other)] == [words]
    expect(card).to_have_class(re.compile("is-open"))
    assert other.evaluate("(k) => localStorage.getItem(k)", key(other)) is None, "nothing kept until Keep"
    card.get_by_role("button", name="Keep").click()
    expect(other.locator("#notes > .reader-note:not(.rn-shared)")).to_have_count(1)
    (kept,) = items(other)
    assert kept["body"][0]["value"] == text and kept["target"]["selector"][0]["exact"] == words
    assert other.evaluate("() => location.hash") == ""
    other.reload()
    wait_ready(other)
    expect(other.locator("#notes > .reader-note")).to_contain_text("Your note", ignore_case=True)

    third, more = open_page(url=link)
    third.locator("#notes > .reader-note.rn-shared").get_by_role("button", name="Dismiss").click()
    expect(third.locator("#notes > .reader-note")).to_have_count(0)
    assert third.locator("mark.reader-anchor").count() == 0 and third.evaluate("() => location.hash") == ""
    assert third.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('reader:my-notes'))") == []
    for p in (page, other, third):
        assert p.evaluate("() => window.pwned") is None
    assert first.errors == [] and problems.errors == [] and more.errors == []
    assert first.offsite == [], "no request leaves the site"


def plain_link(data: dict) -> str:
    return "#rn=j" + base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize("fragment, notice", [
    ("#rn=zAAAAnot-deflate", "broken or too long"),
    ("#rn=j" + "A" * 20000, "broken or too long"),
    ("#rn=j!!!", "broken or too long"),
    (plain_link({"q": "x" * 6000, "p": "", "s": "", "t": ""}), "broken or too long"),
    (plain_link({"q": "Words nobody ever wrote here", "p": "", "s": "", "t": "Hi"}), "not in the article"),
])
def test_a_broken_or_overlong_shared_link_opens_the_page_normally_with_a_notice(open_page, site_url, fragment, notice):
    page, problems = open_page(url=site_url + fragment)
    expect(page.locator("#rn-notice")).to_contain_text(notice)
    assert page.locator("#notes > .reader-note").count() == 0
    assert page.locator("#notes > .note[style*=top]").count() > 0, "the editor's notes are placed as ever"
    assert problems.errors == []


def test_a_shared_note_holding_script_is_shown_as_text_and_cannot_be_kept(open_page, site_url):
    page, problems = open_page(url=site_url + plain_link({"q": "paid in either currency", "p": "", "s": "",
                                                          "t": "<script>window.pwned = 1</script>"}))
    card = page.locator("#notes > .reader-note.rn-shared")
    expect(card.locator(".rn-text")).to_have_text("<script>window.pwned = 1</script>")
    card.get_by_role("button", name="Keep").click()
    expect(page.locator("#rn-notice")).to_contain_text("cannot hold")
    assert items(page) == [] and page.evaluate("() => window.pwned") is None
    assert problems.errors == []


# ---- When the browser will not keep them ----

def page_with(browser, url: str, script: str, **options):
    """A fresh page whose scripts meet a changed browser (an init script), with its problems watched."""
    from tests.conftest import PageProblems
    context = browser.new_context(viewport={"width": 1440, "height": 900}, **options)
    context.add_init_script(script)
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page, url.split("/user/")[0])
    page.goto(url)
    page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
    return page, problems


NO_STORAGE = "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });"
FULL_STORAGE = """(() => { const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {
    if (String(k).startsWith('reader:my-notes')) throw new DOMException('full', 'QuotaExceededError'); return set.call(this, k, v); }; })();"""


def test_with_storage_disabled_notes_still_work_for_the_visit_and_a_line_says_so(browser, site_url):
    page, problems = page_with(browser, site_url, NO_STORAGE)
    make(page, "p-3", plain_words(page, "p-3", 4))
    expect(page.locator("#rn-notice")).to_have_text(re.compile("does not let the page keep your notes.*Export them", re.S))
    expect(page.locator("mark.reader-anchor")).to_have_count(1)
    page.locator("#your-notes").click()
    expect(page.locator("#rn-panel .rn-status")).to_contain_text("does not let the page keep")
    with page.expect_download() as info:
        page.locator("#rn-panel [data-rn=export-json]").click()
    assert json.load(open(info.value.path()))["total"] == 1, "what is shown can still be taken away"
    assert problems.errors == []
    page.context.close()


def test_with_storage_full_the_change_is_said_not_kept_and_an_import_changes_nothing(browser, site_url, tmp_path):
    page, problems = page_with(browser, site_url, FULL_STORAGE)
    make(page, "p-3", plain_words(page, "p-3", 4))
    expect(page.locator("#rn-notice")).to_contain_text("storage is full")
    expect(page.locator("mark.reader-anchor")).to_have_count(1)
    page.locator("#your-notes").click()
    _, text = download(page, "export-json")
    data = json.loads(text)
    data["first"]["items"][0]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    data["first"]["items"][0]["target"]["selector"][0]["prefix"] = "other context"
    (tmp_path / "more.jsonld").write_text(json.dumps(data), encoding="utf-8")
    import_file(page, tmp_path / "more.jsonld")
    expect(page.locator("#rn-panel .rn-status")).to_have_text("Not imported: the browser’s storage is full. Nothing was changed.")
    expect(page.locator("#notes > .reader-note")).to_have_count(1)
    assert problems.errors == []
    page.context.close()


def test_unreadable_kept_notes_are_set_aside_untouched_and_said(browser, site_url):
    source = DENSE_SOURCE
    script = f"""if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');
        localStorage.setItem('reader:my-notes', '1'); localStorage.setItem('reader:my-notes:{source}', '{{broken'); }}"""
    page, problems = page_with(browser, site_url, script)
    expect(page.locator("#rn-notice")).to_contain_text("could not be read")
    assert page.evaluate("(k) => localStorage.getItem(k + ':unreadable')", f"{MARKER}:{source}") == "{broken"
    make(page, "p-3", plain_words(page, "p-3", 4))
    assert len(items(page)) == 1
    assert problems.errors == []
    page.context.close()


# ---- Accessible, and cheap to lay out ----

@pytest.mark.parametrize("width, scheme", [(1440, "light"), (1440, "dark"), (390, "light"), (390, "dark")])
def test_axe_finds_nothing_with_reader_notes_shown_opened_and_listed(open_page, width, scheme):
    page, problems = open_page(width=width, height=844, scheme=scheme, mobile=width < 600, bypass_csp=True)
    assert axe_violations(page) == []
    make(page, "p-4", plain_words(page, "p-4", 3), "A note to check")
    make(page, "p-6", plain_words(page, "p-6", 3))
    page.locator("mark.reader-anchor").first.click()
    expect(page.locator("#notes > .reader-note.is-open")).to_have_count(1)
    shown = axe_violations(page)
    page.locator("#your-notes").click()
    listed = axe_violations(page)
    assert shown == [] and listed == []
    screenshot(page, f"reader-notes-{width}-{scheme}")
    assert problems.errors == []


MANY = """([count, source]) => {
    const text = document.getElementById('article-body').textContent, words = [...text.matchAll(/\\S+ \\S+/g)];
    const step = Math.floor(words.length / count), items = [];
    for (let i = 0; i < count; i++) {
      const m = words[i * step], start = m.index, end = start + m[0].length;
      items.push({id: 'urn:uuid:00000000-0000-4000-8000-' + String(i).padStart(12, '0'), type: 'Annotation', motivation: 'commenting',
        created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z',
        body: [{type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: 'Reader note ' + i + ': a line or two of the reader’s own words.'}],
        target: {source, selector: [{type: 'TextQuoteSelector', exact: m[0], prefix: text.slice(Math.max(0, start - 32), start), suffix: text.slice(end, end + 32)},
                                    {type: 'TextPositionSelector', start, end}]}});
    }
    localStorage.setItem('reader:my-notes:' + source, JSON.stringify({type: 'AnnotationCollection', first: {type: 'AnnotationPage', items}}));
    localStorage.setItem('reader:my-notes', '1');
  }"""

TIMING = """(runs) => { const median = (f) => { const t = []; for (let i = 0; i < runs; i++) {
      const s = performance.now(); f(); document.documentElement.getBoundingClientRect(); document.body.offsetHeight; t.push(performance.now() - s); }
    t.sort((a, b) => a - b); return t[Math.floor(runs / 2)]; };
  return {layout: median(() => Reader.layout()), rescan: median(() => Reader.rescanNotes()),
          render: window.ReaderNotes ? median(() => ReaderNotes.render()) : 0, pairs: Reader.notes.pairs.length}; }"""


def test_200_reader_notes_are_all_placed_in_the_margins_and_none_overlaps(open_page, show_figures):
    page, problems = open_page(width=1440)
    page.mouse.click(5, 400)
    page.wait_for_function("() => window.ReaderInteract")
    without = page.evaluate(TIMING, 15)
    page.evaluate(MANY, [200, article(page)["isBasedOn"]])
    page.reload()
    page.wait_for_function("() => window.ReaderNotes && document.querySelectorAll('#notes > .reader-note').length === 200")
    assert len(marks(page)) == 200
    with_notes = page.evaluate(TIMING, 15)
    show_figures(f"layout with {without['pairs']} notes (editor's): layout() {without['layout']:.1f} ms, rescanNotes() {without['rescan']:.1f} ms; "
                 f"with {with_notes['pairs']} (+200 reader's): layout() {with_notes['layout']:.1f} ms, rescanNotes() {with_notes['rescan']:.1f} ms; "
                 f"ReaderNotes.render() of 200 (unmark, anchor, mark, cards, rescan) {with_notes['render']:.1f} ms (medians of 15)")
    boxes = page.evaluate(BOXES)
    assert len(boxes) >= 200
    assert_margin_layout(boxes, 1440)
    assert problems.errors == []


def test_on_the_second_site_the_tools_and_cards_speak_its_language(open_page):
    page, problems = open_page(site="second")
    block = page.evaluate("() => document.querySelector('#article-body p.para').id")
    select_words(page, block, plain_words(page, block, 3))
    page.get_by_role("button", name="Annoter").click()
    page.locator("textarea.rn-input").fill("Une note à moi")
    page.get_by_role("button", name="Enregistrer").click()
    card = page.locator("#notes > .reader-note")
    expect(card).to_contain_text("Votre note", ignore_case=True)
    page.locator("#your-notes").click()
    expect(page.locator("#rn-panel h2")).to_have_text("Vos notes")
    expect(page.locator("#rn-panel .rn-help")).to_contain_text("dans ce navigateur seulement")
    assert page.url.startswith(page.url.split(PREFIXES["second"])[0] + PREFIXES["second"]), "under a sub-path, as on GitHub Pages"
    assert problems.errors == []


def test_the_kept_list_is_read_back_whatever_its_size_and_words(browser, site_url):
    """Import limits guard against others' files; the page's own list is only checked for its shape."""
    source = DENSE_SOURCE
    item = {"id": "urn:uuid:11111111-2222-4333-8444-555555555555", "type": "Annotation", "motivation": "commenting",
            "created": "2026-01-01T00:00:00Z", "modified": "2026-01-01T00:00:00Z",
            "body": [{"type": "TextualBody", "purpose": "commenting", "value": "About javascript: URLs, kept long ago"}],
            "target": {"source": "file:///somewhere/else/index.html",
                       "selector": [{"type": "TextQuoteSelector", "exact": "paid in either currency", "prefix": "", "suffix": ""}]}}
    kept = json.dumps({"type": "AnnotationCollection", "label": "x" * (1100 * 1024), "first": {"items": [item]}})
    script = f"""if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');
        localStorage.setItem('reader:my-notes', '1'); localStorage.setItem({json.dumps(MARKER + ':' + source)}, {json.dumps(kept)}); }}"""
    page, problems = page_with(browser, site_url, script)
    page.wait_for_function("() => document.querySelectorAll('#notes > .reader-note').length === 1")
    assert [m["words"] for m in marks(page)] == ["paid in either currency"]
    assert page.locator("#rn-notice").count() == 0
    assert problems.errors == []
    page.context.close()


def test_with_the_editors_notes_switched_off_a_new_highlight_still_shows(open_page):
    page, problems = open_page()
    page.locator("#notes-toggle").click()
    expect(page.locator("html")).to_have_class(re.compile("notes-off"))
    make(page, "p-3", plain_words(page, "p-3", 3))
    expect(page.locator("html")).not_to_have_class(re.compile("notes-off"))
    expect(page.locator("#notes > .reader-note.is-open")).to_be_visible()
    assert problems.errors == []
