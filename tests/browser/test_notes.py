"""Margin notes in real Chromium, on both sites: placed beside their words on wide screens (whole,
or shortened to whole sentences where room runs out), one at a time in a sheet on phones, found
by the browser's find, reached by keys, hidden by the switch; the page of all notes; the 404."""

import re

import pytest
from playwright.sync_api import expect

from reader.ui_text import load_ui_text
from tests.conftest import ALL_SITES, BOXES, PREFIXES, PagesServer, assert_margin_layout, overlapping, screenshot

SITES = ALL_SITES


def close_label(page) -> str:
    """The Close button's name in the page's language."""
    return load_ui_text(page.evaluate("() => document.documentElement.lang")).script["close"]

@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("width", [1024, 1280, 1440, 1920])
def test_wide_screens_put_every_note_beside_its_words_without_overlaps(view_page, site, width):
    page, problems = view_page(site=site, width=width)
    boxes = page.evaluate(BOXES)
    assert_margin_layout(boxes, width)
    for note in boxes:
        if note["short"]:  # shortened to whole sentences: its title and its first sentence, no fragment
            assert note["lead"].rstrip()[-1] in ".!?…”\"’)", note["lead"]
            assert note["lead"].strip() in note["shownText"]
    assert problems.errors == []
    screenshot(page, f"{site}-{width}")


def test_a_note_opened_near_the_bottom_scrolls_wholly_into_view(view_page):
    page, _ = view_page(width=1024, height=700)
    short = page.locator("#notes > .note.is-short").last
    note_id = short.get_attribute("id")
    anchor = page.locator(f"#ref-{note_id[5:]}")
    page.evaluate("(id) => { const a = document.getElementById(id); scrollTo(0, a.getBoundingClientRect().top + scrollY - innerHeight + 60); }", f"ref-{note_id[5:]}")
    anchor.click()
    page.wait_for_function("(id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.bottom <= innerHeight && r.top >= 0; }", arg=note_id)
    assert not short.locator(".note-rest, .note-meta").first.evaluate("el => el.hidden")
    assert anchor.bounding_box()["y"] >= 0, "its words stay in view"
    page.mouse.click(5, 5)
    assert short.evaluate("el => el.classList.contains('is-open')") is False


def test_tabbing_to_a_shortened_notes_words_shows_it_whole_over_the_notes_below(view_page):
    page, _ = view_page(width=1024, height=800)
    short_id = page.locator("#notes > .note.is-short").first.get_attribute("id")
    page.locator(f"#ref-{short_id[5:]}").focus()
    note = page.locator(f"#{short_id}")
    page.wait_for_function("(id) => document.getElementById(id).querySelector('.note-meta').hidden === false", arg=short_id)
    below = page.evaluate(BOXES)
    z = note.evaluate("el => getComputedStyle(el).zIndex")
    assert int(z) >= 2
    page.keyboard.press("Escape")
    page.wait_for_function("(id) => document.getElementById(id).querySelector('.note-meta').hidden !== false", arg=short_id)
    assert len(below) > 1


def test_hovering_a_shortened_note_shows_it_whole_and_leaving_shortens_it_again(view_page):
    page, _ = view_page(width=1024)
    note = page.locator("#notes > .note.is-short").first
    note.scroll_into_view_if_needed()
    note.hover()
    expect(note.locator(".note-meta").first).to_be_visible()
    page.mouse.move(2, 2)
    page.wait_for_function("(id) => document.getElementById(id).querySelector('.note-meta').hidden !== false", arg=note.get_attribute("id"))


def test_resizing_with_a_note_open_never_leaves_notes_overlapping(view_page):
    page, _ = view_page(width=1000)
    page.locator("#notes > .note.is-short").first.evaluate("n => document.getElementById('ref-' + n.id.slice(5)).click()")
    page.set_viewport_size({"width": 1300, "height": 900})
    page.wait_for_function("() => document.querySelector('#notes > .note').style.top !== ''")
    page.wait_for_timeout(100)
    assert_margin_layout(page.evaluate(BOXES), 1300)
    page.set_viewport_size({"width": 600, "height": 900})
    page.wait_for_function("() => [...document.querySelectorAll('#notes > .note')].every(n => n.getAttribute('hidden') === 'until-found')")


# ---- Phones: the tapped words stay put; one note at a time in a sheet ----

def tap_words(page, anchor_id):
    """Bring a note's words to the middle of the screen, tap them; return how far they moved (px)."""
    page.evaluate("(id) => { const a = document.getElementById(id); scrollTo(0, a.getBoundingClientRect().top + scrollY - innerHeight * 0.55); }", anchor_id)
    before = page.locator(f"#{anchor_id}").bounding_box()
    page.locator(f"#{anchor_id}").tap()
    page.wait_for_selector("#notes > .note.is-sheet")
    after = page.locator(f"#{anchor_id}").bounding_box()
    return abs(after["y"] - before["y"]) + abs(after["x"] - before["x"])


@pytest.mark.parametrize("site", SITES)
def test_a_tapped_note_opens_in_a_sheet_and_the_words_do_not_move(view_page, site):
    page, problems = view_page(site=site, width=390, height=844, mobile=True)
    anchors = page.evaluate("() => [...document.querySelectorAll('#article-body .anchor')].map(a => a.id)")
    for anchor_id in [anchors[0], anchors[len(anchors) // 2], anchors[-1]]:
        assert tap_words(page, anchor_id) == 0, anchor_id
        sheet = page.locator("#notes > .note.is-sheet")
        assert sheet.count() == 1 and sheet.get_attribute("id") == "note-" + anchor_id[4:]
        box, words = sheet.bounding_box(), page.locator(f"#{anchor_id}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] >= 0 and box["y"] + box["height"] <= 844
        assert words["y"] + words["height"] <= box["y"] or words["y"] >= box["y"] + box["height"], "the sheet covers the words"
        assert page.evaluate("() => document.activeElement.classList.contains('is-sheet')"), "the note takes focus"
        assert page.locator(f"#{anchor_id}").get_attribute("aria-expanded") == "true"
        screenshot(page, f"{site}-phone-sheet-{anchor_id}")
        page.get_by_role("button", name=close_label(page)).tap()
        assert page.locator("#notes > .note.is-sheet").count() == 0
        assert page.evaluate("() => document.activeElement.id") == anchor_id, "focus goes back to the words"
    assert problems.errors == []


def test_the_sheet_closes_with_escape_and_a_tap_outside_and_steps_to_the_next_note(view_page):
    page, _ = view_page(width=390, height=844, mobile=True)
    first, second = page.evaluate("() => [...document.querySelectorAll('#article-body .anchor')].slice(0, 2).map(a => a.id)")
    tap_words(page, first)
    page.keyboard.press("Escape")
    assert page.locator("#notes > .note.is-sheet").count() == 0 and page.evaluate("() => document.activeElement.id") == first
    tap_words(page, first)
    page.get_by_role("button", name="Next note").tap()
    sheet = page.locator("#notes > .note.is-sheet")
    assert sheet.count() == 1 and sheet.get_attribute("id") == "note-" + second[4:]
    assert "Note 2 of" in sheet.inner_text()
    page.get_by_role("button", name="Previous note").tap()
    assert page.locator("#notes > .note.is-sheet").get_attribute("id") == "note-" + first[4:]
    page.locator("#p-1").tap(position={"x": 10, "y": 10})
    assert page.locator("#notes > .note.is-sheet").count() == 0


# ---- Find in page and text fragments reach notes that are closed or shortened ----

def hidden_words(page, note_id, selector):
    """Four whole words of a part of a note found nowhere else on the page (text fragments match whole words only)."""
    return page.evaluate("""([id, selector]) => {
        const words = document.querySelector(`#${id} ${selector}`).textContent.split(/\\s+/).filter(Boolean);
        const page = document.body.textContent.replace(/\\s+/g, ' ');
        for (let i = 0; i + 4 <= words.length; i++) {
          const run = words.slice(i, i + 4).join(' ');
          if (page.indexOf(run) === page.lastIndexOf(run)) return run;
        }
        throw new Error('no words of ' + id + ' are unique on the page'); }""", [note_id, selector])


def test_a_text_fragment_reveals_a_closed_note_on_a_phone(view_page, site_url):
    page, _ = view_page(width=390, height=844, mobile=True)
    note_id = page.locator("#notes > .note").nth(3).get_attribute("id")
    words = hidden_words(page, note_id, ".note-lead")
    assert page.locator(f"#{note_id}").get_attribute("hidden") == "until-found"
    page.goto(f"{site_url}?#:~:text={words}")
    page.wait_for_function("(id) => !document.getElementById(id).hasAttribute('hidden')", arg=note_id)
    assert page.locator(f"#{note_id}").is_visible()


def test_a_text_fragment_opens_the_hidden_rest_of_a_shortened_note(view_page, site_url):
    page, _ = view_page(width=1024)
    # A source title found nowhere else on the page, so the fragment can only match inside the short note.
    note_id, words = page.evaluate("""() => { const text = document.body.textContent;
        for (const n of document.querySelectorAll('#notes > .note.is-short')) for (const a of n.querySelectorAll('.note-sources a')) {
          const words = a.textContent.split(/\\s+/).slice(0, 4).join(' ');
          if (text.indexOf(words) === text.lastIndexOf(words)) return [n.id, words]; } }""")
    page.goto(f"{site_url}?#:~:text={words}")
    page.wait_for_function("(id) => !document.getElementById(id).querySelector('.note-sources').hasAttribute('hidden')", arg=note_id)
    note = page.locator(f"#{note_id}")
    assert note.locator(".note-sources").is_visible()
    assert int(note.evaluate("el => getComputedStyle(el).zIndex")) >= 2, "shown over the notes below"


# ---- The keyboard: n and p move between notes, not while typing; the help lists them ----

def test_n_and_p_move_to_the_next_and_previous_note_and_its_words(view_page):
    page, _ = view_page(width=1440)
    order = page.evaluate("() => [...document.querySelectorAll('#article-body .anchor')].map(a => a.id)")
    page.locator("body").click(position={"x": 2, "y": 300})
    page.keyboard.press("n")
    page.wait_for_function("(id) => document.activeElement.id === id", arg=order[0])
    page.keyboard.press("n")
    page.keyboard.press("n")
    assert page.evaluate("() => document.activeElement.id") == order[2]
    page.keyboard.press("p")
    assert page.evaluate("() => document.activeElement.id") == order[1]
    assert page.locator(f"#note-{order[1][4:]}").evaluate("el => el.classList.contains('is-active')")
    page.locator("#search-input").focus()
    page.keyboard.type("np")
    assert page.locator("#search-input").input_value() == "np" and page.evaluate("() => document.activeElement.id") == "search-input"


def test_the_keyboard_help_in_the_toolbar_lists_the_keys(view_page):
    page, _ = view_page(width=1440)
    page.get_by_text("Keys", exact=True).click()
    help_text = page.locator("#keys").inner_text()
    page.wait_for_function("() => window.Reader.interactive")  # the layer that closes it arrives with the first click
    assert "/" in help_text and "n" in help_text and "next, previous note" in help_text
    page.keyboard.press("Escape")
    assert page.locator("#keys").evaluate("el => el.open") is False


# ---- The switch ----

@pytest.mark.parametrize("forced", [False, True])
def test_the_switch_hides_the_notes_says_so_and_centres_the_text(view_page, forced):
    page, _ = view_page(width=1440, forced=forced)
    switch = page.get_by_role("button", name="Hide notes")
    assert switch.get_attribute("aria-pressed") == "false"
    mark_before = switch.evaluate("el => getComputedStyle(el, '::before').content")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    assert switch.evaluate("el => getComputedStyle(el, '::before').content") != mark_before, "the pressed state shows"
    assert page.locator("#notes > .note:visible").count() == 0
    assert page.locator(".if-notes-off").is_visible() and page.locator(".if-notes-on").is_hidden()
    text = page.locator("#article-body").bounding_box()
    assert abs((text["x"] + text["width"] / 2) - 720) < 30, "the text is centred, no empty column"
    anchor = page.locator("#article-body .anchor").first
    assert anchor.get_attribute("href") is None and anchor.get_attribute("role") is None
    page.reload()
    assert page.get_by_role("button", name="Hide notes").get_attribute("aria-pressed") == "true", "the choice is remembered"


def test_a_deep_link_to_a_note_shows_it_for_that_visit_only(view_page, site_url):
    page, _ = view_page(width=1440)
    page.get_by_role("button", name="Hide notes").click()
    expect(page.get_by_role("button", name="Hide notes")).to_have_attribute("aria-pressed", "true")
    note_id = page.locator("#notes > .note").nth(4).get_attribute("id")
    page.goto(f"{site_url}#{note_id}")
    page.wait_for_function("(id) => document.getElementById(id).classList.contains('is-open')", arg=note_id)
    assert page.locator(f"#{note_id}").is_visible()
    assert page.evaluate("() => localStorage.getItem('reader:notes-hidden')") == "1"


# ---- The toolbar fits at every width and at a large default font ----

@pytest.mark.parametrize("width, font", [(320, None), (390, None), (640, None), (768, None), (1024, None), (2560, None), (390, 32), (1024, 32)])
def test_the_toolbar_never_overlaps_or_clips(view_page, width, font):
    page, _ = view_page(width=width, height=800, font_size=font, mobile=width < 700)
    boxes = page.evaluate("""() => [...document.querySelectorAll('#toolbar > *')].filter(el => el.offsetParent !== null)
        .map(el => { const r = el.getBoundingClientRect(); return {id: el.id, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })""")
    assert overlapping([{**b, "id": b["id"]} for b in boxes]) == []
    assert all(0 <= b["left"] and b["right"] <= width for b in boxes)
    key = page.locator(".search-key")
    if key.is_visible():  # the hint sits inside the box, clear of what is typed
        hint, field = key.bounding_box(), page.locator("#search-input").bounding_box()
        assert field["x"] <= hint["x"] and hint["x"] + hint["width"] <= field["x"] + field["width"]
    page.locator("#search-input").fill("alliance security")
    field = page.locator("#search-input")
    assert field.evaluate("el => el.clientWidth") >= 8 * (font or 16) * 0.5, "room for a few words"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_the_key_hint_is_not_shown_on_touch_screens(view_page):
    page, _ = view_page(width=1024, mobile=True)
    assert page.locator(".search-key").is_hidden() and page.locator("#keys").is_hidden()


# ---- The page of all notes ----

@pytest.mark.parametrize("site", SITES)
def test_the_page_of_all_notes_groups_them_by_kind_and_links_each_back(view_page, site):
    page, problems = view_page("notes.html", site=site)
    article, _ = view_page(site=site)
    notes = article.evaluate("() => [...document.querySelectorAll('#notes > .note')].map(n => [n.id, n.querySelector('.note-title').textContent])")
    entries = page.evaluate("() => [...document.querySelectorAll('.entry')].map(e => [e.id, e.querySelector('.note-title').textContent])")
    assert sorted(entries) == sorted(notes)
    for entry_id, _ in entries:
        back = page.locator(f"#{entry_id} .entry-place a").get_attribute("href")
        assert back == f"index.html#ref-{entry_id[5:]}"
        assert page.locator(f"#{entry_id} .note-sources a").count() >= 1
    dates = page.evaluate("() => [...document.querySelectorAll('.timeline-list time')].map(t => t.getAttribute('datetime'))")
    assert dates == sorted(dates)
    page.locator(".entry-place a").first.click()
    page.wait_for_url(re.compile(r"index\.html#ref-"))
    assert problems.errors == []


def test_the_article_links_to_the_page_of_all_notes(view_page):
    page, _ = view_page()
    page.locator(".notes-intro a[href='notes.html']").click()
    page.wait_for_url(re.compile(r"notes\.html$"))
    assert page.locator("h1").inner_text() == "Editor’s notes"


# ---- The 404, served for any missing path ----

def test_the_404_page_is_styled_and_links_to_the_article_at_any_depth(view_page, server):
    page, _ = view_page(url=server + PREFIXES["dense"] + "a/b/c/missing", wait=False)
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(252, 251, 248)"
    assert "serif" in page.evaluate("() => getComputedStyle(document.body).fontFamily")


@pytest.fixture
def root_server(site):
    """The site served at a host's root, answering every unknown path with its 404.html, as GitHub Pages does."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code, message=None, explain=None):
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):  # noqa: A002
            pass

    httpd = PagesServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_the_404_link_leads_to_the_article_from_any_depth_at_a_sites_root(open_page, root_server):
    page, problems = open_page(url=root_server + "/a/b/c/missing", wait=False)
    response = page.request.get(root_server + "/a/b/c/missing")
    assert response.status == 404
    page.get_by_role("link", name=re.compile(".")).last.click()
    page.wait_for_selector("#article-body")
    assert page.url == root_server + "/"
    assert problems.errors == [] or all("404" in e for e in problems.errors)
