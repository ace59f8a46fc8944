"""Search in real Chromium: lazy loading, typing, results, keyboard, opening results, ?q=, file://."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import PageProblems, screenshot

pytestmark = pytest.mark.browser

BOX = "#search-input"
BUNDLE = "() => document.getElementById('search').dataset.bundle.split(' ').filter(Boolean)"
LOADED = "() => !!(window.lunr && window.ReaderText && window.ReaderQuery && window.READER_SEARCH_INDEX)"

# Each result as a reader sees it, with the ref it stands for (from its label: "Paragraph N", "Note N · ...").
RESULTS = """() => {
  const notes = {};
  document.querySelectorAll('aside.note').forEach(n => { notes[n.querySelector('.note-number').textContent] = n.id; });
  return [...document.querySelectorAll('#search-results > li')].map(li => {
    const label = li.querySelector('.result-label').textContent;
    const para = /^Paragraph (\\d+)$/.exec(label), note = /^Note (\\d+) \\u00b7 /.exec(label);
    return {
      id: li.id, role: li.getAttribute('role'), selected: li.getAttribute('aria-selected'), label,
      ref: para ? 'p-' + para[1] : note ? notes[note[1]] : null,
      snippet: li.querySelector('.result-snippet').textContent,
      marks: [...li.querySelectorAll('.result-snippet mark')].map(m => m.textContent),
      titleMarks: [...li.querySelectorAll('.result-label mark')].map(m => m.textContent),
    };
  });
}"""

# The text search indexes for a ref: a paragraph or a note's title and body, minus [data-not-text].
SOURCE_TEXT = """ref => {
  const el = document.getElementById(ref);
  const parts = el.classList.contains('note') ? [el.querySelector('.note-title'), el.querySelector('.note-body')] : [el];
  return parts.map(part => {
    const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    let text = '';
    while (walker.nextNode()) if (!walker.currentNode.parentElement.closest('[data-not-text]')) text += walker.currentNode.data;
    return text;
  }).join(' ');
}"""

STATE = """() => ({
  value: document.getElementById('search-input').value,
  expanded: document.getElementById('search-input').getAttribute('aria-expanded'),
  activedescendant: document.getElementById('search-input').getAttribute('aria-activedescendant'),
  panelHidden: document.getElementById('search-panel').hidden,
  status: document.getElementById('search-status').textContent,
  focused: document.activeElement === document.body ? 'BODY' : (document.activeElement.id || document.activeElement.tagName),
  selected: [...document.querySelectorAll('#search-results > li[aria-selected="true"]')].map(li => li.id),
})"""


def status(page) -> str:
    return page.locator("#search-status").text_content()


def results(page) -> list[dict]:
    return page.evaluate(RESULTS)


def refs(page) -> list[str]:
    return [r["ref"] for r in results(page)]


def focus_box(page):
    """Click into the search box, as a reader would, and wait for the bundle it loads."""
    page.locator(BOX).click()
    page.wait_for_function(LOADED)


def clear_box(page):
    """Empty the box with real keys, and wait until the list and the status are cleared."""
    page.locator(BOX).focus()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.wait_for_function("() => document.getElementById('search-status').textContent === ''")


def wait_for_query(page, query: str, timeout: float = 5000):
    """Wait until the status speaks of this query (the debounced search for it has rendered)."""
    page.wait_for_function("q => document.getElementById('search-status').textContent.includes('\\u201c' + q + '\\u201d')",
                           arg=query.strip(), timeout=timeout)


def search(page, query: str) -> list[dict]:
    """Type a query into an emptied box with real key presses; return the results it shows."""
    clear_box(page)
    page.keyboard.type(query)
    wait_for_query(page, query)
    return results(page)


def announced_count(page) -> int | None:
    found = re.match(r"(?:No exact matches; showing close spellings\. |No result has every word; showing those with most\. )?"
                     r"(\d+) results? for \u201c", status(page))
    return int(found.group(1)) if found else None


def in_viewport(page, selector: str) -> bool:
    return page.evaluate("""sel => {
      const r = document.querySelector(sel).getBoundingClientRect();
      const bar = document.querySelector('.toolbar').getBoundingClientRect().bottom;
      return r.height > 0 && r.bottom > bar && r.top < innerHeight;
    }""", selector)


def query_param(page) -> str | None:
    return parse_qs(urlsplit(page.url).query).get("q", [None])[0]


def assert_clean(problems):
    assert problems.errors == [], problems.errors
    assert problems.offsite == [], problems.offsite


# ---------------------------------------------------------------------------------------------
# Showing the box and loading the bundle


def test_without_javascript_the_search_box_is_not_shown(open_page):
    page, problems = open_page(javascript=False)
    form = page.locator("form#search")
    assert form.get_attribute("hidden") is not None
    assert not form.is_visible()
    assert not page.locator(BOX).is_visible()
    assert_clean(problems)


def test_bundle_is_not_requested_before_interaction_and_loads_on_first_focus(open_page, site_url):
    first, _ = open_page()
    # A second tab of the same context, watched from before it starts loading.
    page = first.context.new_page()
    problems = PageProblems(page, site_url.split("/user/")[0])
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    bundle = page.evaluate(BUNDLE)
    assert [u.split("/")[-1].split(".")[0] for u in bundle] == ["lunr", "textnorm", "query", "marks", "search-index"]
    base = page.url.split("#")[0].rsplit("/", 1)[0] + "/"
    wanted = [base + u for u in bundle]
    assert page.locator(BOX).is_visible()
    assert not [u for u in requested if u in wanted], "search bundle requested before any interaction"
    assert page.evaluate("() => !window.lunr && !window.READER_SEARCH_INDEX")
    # First focus, from the keyboard (Tab past the skip link), loads the whole bundle.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "search-input":
            break
    assert page.evaluate("() => document.activeElement.id") == "search-input"
    page.wait_for_function(LOADED)
    assert [u for u in requested if u in wanted] == wanted
    # Focusing again does not fetch it again.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    assert [u for u in requested if u in wanted] == wanted
    assert_clean(problems)


# ---------------------------------------------------------------------------------------------
# Typing


def test_results_update_after_a_short_debounce(open_page):
    page, problems = open_page()
    focus_box(page)
    page.evaluate("""() => {
      window.__inputs = []; window.__renders = [];
      document.getElementById('search-input').addEventListener('input', () => __inputs.push(performance.now()), true);
      new MutationObserver(() => __renders.push([performance.now(), document.getElementById('search-status').textContent]))
        .observe(document.getElementById('search-status'), {childList: true, characterData: true, subtree: true});
    }""")
    page.keyboard.type("Pyongyang", delay=15)
    wait_for_query(page, "Pyongyang")
    page.wait_for_timeout(300)
    timing = page.evaluate("() => ({inputs: __inputs, renders: __renders})")
    assert len(timing["inputs"]) == len("Pyongyang")
    final = [t for t, text in timing["renders"] if "\u201cPyongyang\u201d" in text]
    assert final, timing
    delay = final[0] - timing["inputs"][-1]
    assert 40 <= delay <= 1500, f"results came {delay:.0f} ms after the last key"
    # Debounced: not one search per key press.
    assert len(timing["renders"]) < len("Pyongyang"), timing["renders"]
    assert {r["ref"] for r in results(page)} >= {"p-5", "p-6"}
    assert_clean(problems)


def test_every_word_must_match(open_page):
    page, problems = open_page()
    focus_box(page)
    jimbo = {r["ref"] for r in search(page, "Jimbo")}
    both = search(page, "Jimbo Pyongyang")
    assert both and {r["ref"] for r in both} < jimbo
    for r in both:
        text = page.evaluate(SOURCE_TEXT, r["ref"]).lower()
        assert "jimbo" in text and "pyongyang" in text, r
    tokyo = search(page, "Jimbo Tokyo")
    assert "p-5" in {r["ref"] for r in tokyo}
    for r in tokyo:
        text = page.evaluate(SOURCE_TEXT, r["ref"]).lower()
        assert "jimbo" in text and "tokyo" in text, r
    # No paragraph or note has both: those with either come, said so.
    either = search(page, "Jimbo Hwasong")
    assert either and status(page).startswith("No result has every word; showing those with most.")
    for r in either:
        text = page.evaluate(SOURCE_TEXT, r["ref"]).lower()
        assert ("jimbo" in text) != ("hwasong" in text), r
    assert_clean(problems)


def test_last_word_also_matches_as_a_prefix_while_typing(open_page):
    page, problems = open_page()
    focus_box(page)
    found = search(page, "Jim")
    jimbo_paras = page.evaluate("""() => [...document.querySelectorAll('p.para')]
      .filter(p => /Jimbo/.test(p.textContent)).map(p => p.id)""")
    assert len(jimbo_paras) >= 4
    assert set(jimbo_paras) <= {r["ref"] for r in found}
    assert "note-ken-jimbo" in {r["ref"] for r in found}
    for r in found:
        assert r["marks"] and all(m.lower().startswith("jim") for m in r["marks"]), r
    # Only the last word is a prefix: "Jim Tokyo" wants the whole word "jim", which no doc has.
    tokyo = search(page, "Jim Tokyo")
    assert tokyo and status(page).startswith("No result has every word")
    assert all(r["marks"] and {m.lower() for m in r["marks"]} == {"tokyo"} for r in tokyo), tokyo
    assert "p-5" in {r["ref"] for r in search(page, "Tokyo Jim")}
    assert_clean(problems)


def test_quoted_phrase_finds_only_adjacent_words_in_order(open_page):
    page, problems = open_page()
    focus_box(page)
    loose = {r["ref"] for r in search(page, "double freeze")}
    phrase = search(page, '"double freeze"')
    assert {r["ref"] for r in phrase} == {"p-5", "note-double-freeze"}
    assert {r["ref"] for r in phrase} <= loose
    for r in phrase:
        assert re.search(r"double\W+freeze", page.evaluate(SOURCE_TEXT, r["ref"]), re.I), r
        # The phrase's words stand together: one mark.
        assert [m.lower() for m in r["marks"]][:1] == ["double freeze"], r
    # The words of p-5, but not side by side or not in that order: nothing.
    for absent in ('"freeze double"', '"Jimbo Pyongyang"', '"president thought missile"', '"double exercises"'):
        assert search(page, absent) == [], absent
        assert status(page) == f"No results for \u201c{absent}\u201d."
    # Curly quotes work as quotes too.
    assert {r["ref"] for r in search(page, "\u201cdouble freeze\u201d")} == {"p-5", "note-double-freeze"}
    assert_clean(problems)


@pytest.mark.parametrize("typo, meant", [("alliense", "allianc"), ("Pyongyng", "pyongyang")])
def test_a_typo_shows_close_spellings(open_page, typo, meant):
    page, problems = open_page()
    focus_box(page)
    found = search(page, typo)
    assert found, status(page)
    assert status(page).startswith("No exact matches; showing close spellings."), status(page)
    assert announced_count(page) == len(found)
    # The close spellings are marked, and the word meant is among them.
    marks = [m.lower() for r in found for m in r["marks"]]
    assert marks and any(m.startswith(meant) for m in marks), marks
    screenshot(page, f"search-typo-{typo}")
    assert_clean(problems)


ODD_INPUTS = [": + - * ~ ^ \" \\ [ ]", '"', "~", "^2", "*", "\\", "[]", "-", "+", "japan~2", "secur*", "title:japan",
              "\U0001f600", "Japan \U0001f1ef\U0001f1f5 \U0001f600", "\u200b", "'", "\u2019s", "\"\"", "\" \"",
              "\"double", "freeze\""]


def test_odd_input_never_throws_and_says_something_sensible(open_page):
    page, problems = open_page()
    focus_box(page)
    for query in ODD_INPUTS:
        found = search(page, query)
        text = status(page)
        assert text.endswith(f"for \u201c{query.strip()}\u201d."), (query, text)
        assert announced_count(page) == len(found) or (not found and text.startswith("No results")), (query, text)
        assert problems.errors == [], (query, problems.errors)
    # 500 characters typed key by key: still answers, and without hanging the page.
    long = ("alliance Japan " * 40)[:500]
    assert len(long) == 500
    found = search(page, long)
    assert status(page).endswith(f"for \u201c{long.strip()}\u201d.")
    assert isinstance(found, list)
    junk = ("zq" * 250)
    search(page, junk)
    assert status(page) == f"No results for \u201c{junk}\u201d."
    assert page.evaluate("() => 1 + 1") == 2
    assert_clean(problems)


def test_abbreviations_apostrophes_and_numbers(open_page):
    page, problems = open_page()
    focus_box(page)
    us = search(page, "US")
    us_paras = page.evaluate("""() => [...document.querySelectorAll('p.para')]
      .filter(p => p.textContent.includes('U.S.')).map(p => p.id)""")
    assert len(us_paras) >= 5
    assert set(us_paras) <= {r["ref"] for r in us}
    assert any("U.S." in r["marks"] for r in us)
    first = {}
    for query in ("Japan's", "Japan\u2019s", "Japan"):
        found = search(page, query)
        assert found, query
        first[query] = [r["ref"] for r in found]
    # The same docs; those with the very word typed first, so Japan's and Japan\u2019s rank alike.
    assert first["Japan's"] == first["Japan\u2019s"] and sorted(first["Japan's"]) == sorted(first["Japan"])
    assert search(page, "the US")
    sipri = search(page, "3.1")
    assert "p-9" in [r["ref"] for r in sipri]
    p9 = next(r for r in sipri if r["ref"] == "p-9")
    assert "3.1" in p9["marks"]
    assert_clean(problems)


# ---------------------------------------------------------------------------------------------
# Results


def test_results_are_options_with_labels_snippets_and_marks(open_page):
    page, problems = open_page()
    focus_box(page)
    found = search(page, "Jimbo")
    assert len(found) >= 5
    assert status(page) == f"{len(found)} results for \u201cJimbo\u201d."
    assert page.locator("#search-status").get_attribute("role") == "status"
    assert page.locator("#search-status").is_visible()
    kinds = set()
    for r in found:
        assert r["role"] == "option" and r["selected"] == "false"
        assert r["ref"] and page.locator(f"#{r['ref']}").count() == 1, r
        if r["ref"].startswith("note-"):
            kinds.add("note")
            note = page.locator(f"#{r['ref']}")
            number = note.locator(".note-number").text_content()
            kind = note.locator(".note-kind").text_content()
            title = note.locator(".note-title").text_content()
            assert r["label"] == f"Note {number} \u00b7 {kind} \u00b7 {title}"
        else:
            kinds.add("paragraph")
            assert r["label"] == f"Paragraph {r['ref'][2:]}"
        words = [w for w in r["snippet"].split() if w != "\u2026"]
        source_words = page.evaluate(SOURCE_TEXT, r["ref"]).split()
        assert len(words) <= 27, r
        assert len(words) >= min(20, len(source_words) - 1), r
        # Every occurrence of the word in the snippet is marked, and only it.
        assert r["marks"] and all(m.lower() == "jimbo" for m in r["marks"]), r
        assert len(r["marks"]) == len(re.findall(r"jimbo", r["snippet"], re.I)), r
    assert kinds == {"note", "paragraph"}
    # A note found by its title has the title words marked in its label.
    note = next(r for r in found if r["ref"] == "note-ken-jimbo")
    assert note["titleMarks"] == ["Jimbo"]
    one = search(page, "Hwasong")
    assert len(one) == 1 and status(page) == "1 result for \u201cHwasong\u201d."
    assert_clean(problems)


def test_combobox_semantics(open_page):
    page, problems = open_page()
    box = page.locator(BOX)
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-controls") == "search-results"
    assert page.locator("#search-results").get_attribute("role") == "listbox"
    assert page.locator("label[for='search-input']").count() == 1
    assert box.get_attribute("aria-activedescendant") is None
    focus_box(page)
    search(page, "Jimbo")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-activedescendant") is None  # nothing chosen until the arrows move
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "search-result-0"
    # Typing again starts a new list: the old choice goes.
    page.keyboard.type(" Tokyo")
    wait_for_query(page, "Jimbo Tokyo")
    state = page.evaluate(STATE)
    assert state["activedescendant"] is None and state["selected"] == []
    # Closing the list (a click elsewhere) drops the choice too, and re-opening starts afresh.
    page.keyboard.press("ArrowDown")
    page.mouse.click(5, 600)  # the page margin, outside the panel
    state = page.evaluate(STATE)
    assert state["expanded"] == "false" and state["panelHidden"] and state["activedescendant"] is None
    assert state["selected"] == []
    box.click()
    state = page.evaluate(STATE)
    assert state["expanded"] == "true" and not state["panelHidden"]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(STATE)["selected"] == ["search-result-0"]
    snapshot = page.locator("form#search").aria_snapshot()
    assert "combobox" in snapshot and "listbox" in snapshot and "option" in snapshot, snapshot
    assert_clean(problems)


# ---------------------------------------------------------------------------------------------
# Keyboard


def test_slash_focuses_the_box_from_anywhere_but_not_while_typing_elsewhere(open_page):
    page, problems = open_page()
    page.locator("h1").click()
    assert page.evaluate(STATE)["focused"] == "BODY"
    page.keyboard.press("/")
    state = page.evaluate(STATE)
    assert state["focused"] == "search-input" and state["value"] == ""
    page.wait_for_function(LOADED)
    # Esc with nothing typed gives focus back to where it was: nowhere in particular.
    page.keyboard.press("Escape")
    assert page.evaluate(STATE)["focused"] == "BODY"
    # From the notes switch.
    page.locator("#notes-toggle").focus()
    page.keyboard.press("/")
    assert page.evaluate(STATE)["focused"] == "search-input"
    page.keyboard.type("freeze")
    wait_for_query(page, "freeze")
    page.keyboard.press("Escape")
    state = page.evaluate(STATE)
    assert state["value"] == "" and state["panelHidden"] and state["expanded"] == "false"
    assert state["focused"] == "notes-toggle"
    assert query_param(page) is None
    # While typing in another field, "/" is just a character.
    page.evaluate("""() => { const t = document.createElement('textarea'); t.id = 'other-field';
                             document.querySelector('main').prepend(t); }""")
    page.locator("#other-field").click()
    page.keyboard.type("a/b")
    assert page.locator("#other-field").input_value() == "a/b"
    assert page.evaluate(STATE)["focused"] == "other-field"
    # And "/" typed into the search box is a character too.
    page.locator(BOX).click()
    page.keyboard.type("3/1")
    assert page.locator(BOX).input_value() == "3/1"
    assert_clean(problems)


def test_escape_in_the_box_does_not_also_close_the_note_focus_returns_to(open_page):
    page, problems = open_page(width=390, height=844, mobile=True)
    anchor = page.locator("#ref-double-freeze")
    anchor.focus()
    page.keyboard.press("Enter")
    note = page.locator("#note-double-freeze")
    assert note.is_visible()
    page.keyboard.press("/")
    page.keyboard.type("freeze")
    wait_for_query(page, "freeze")
    page.keyboard.press("Escape")
    assert page.evaluate(STATE)["focused"] == "ref-double-freeze"
    assert note.is_visible()  # the Escape was the search's
    page.keyboard.press("Escape")
    assert not note.is_visible()  # the next one is the note's
    assert_clean(problems)


def test_arrows_move_the_choice_enter_opens_it(open_page):
    page, problems = open_page()
    page.keyboard.press("/")
    page.wait_for_function(LOADED)
    page.keyboard.type("Jimbo")
    wait_for_query(page, "Jimbo")
    found = results(page)
    n = len(found)
    assert n >= 3
    for key, index in [("ArrowDown", 0), ("ArrowDown", 1), ("ArrowDown", 2), ("ArrowUp", 1), ("ArrowUp", 0),
                       ("ArrowUp", n - 1), ("ArrowDown", 0)]:
        page.keyboard.press(key)
        state = page.evaluate(STATE)
        assert state["selected"] == [f"search-result-{index}"], (key, index, state)
        assert state["activedescendant"] == f"search-result-{index}"
        assert state["focused"] == "search-input"  # DOM focus stays in the box
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = found[2]["ref"]
    page.keyboard.press("Enter")
    page.wait_for_function("ref => location.hash === '#' + ref", arg=chosen)
    assert page.locator("#search-panel").is_hidden()
    assert in_viewport(page, f"#{chosen}")
    assert page.locator(f"#{chosen} mark.search-hit").count() >= 1
    # Up from no choice goes to the last result (the list wraps both ways).
    page.locator(BOX).click()
    clear_box(page)
    page.keyboard.type("Jimbo")
    wait_for_query(page, "Jimbo")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(STATE)["selected"] == [f"search-result-{n - 1}"]
    assert_clean(problems)


def test_enter_without_a_choice_opens_the_first_result(open_page):
    page, problems = open_page()
    page.locator(BOX).click()
    page.keyboard.type("Hwasong")
    page.keyboard.press("Enter")  # perhaps before the debounce or even the bundle: still the first result
    page.wait_for_function("() => location.hash === '#note-north-korea-icbms'")
    assert page.locator("#note-north-korea-icbms").is_visible()
    marks = page.locator("#note-north-korea-icbms mark.search-hit").all_text_contents()
    assert marks == ["Hwasong"] * page.evaluate(SOURCE_TEXT, "note-north-korea-icbms").count("Hwasong")
    assert_clean(problems)


def test_enter_right_after_typing_searches_for_what_was_typed(open_page):
    page, problems = open_page()
    focus_box(page)
    search(page, "Jimbo")
    assert results(page)[0]["ref"] == "note-ken-jimbo"
    page.keyboard.type(" Tokyo")
    page.keyboard.press("Enter")  # inside the debounce: the list still shows "Jimbo"
    page.wait_for_function("() => location.hash.length > 1")
    ref = urlsplit(page.url).fragment
    text = page.evaluate(SOURCE_TEXT, ref)
    assert "Jimbo" in text and "Tokyo" in text, ref
    assert query_param(page) == "Jimbo Tokyo"
    assert_clean(problems)


def test_tab_out_of_the_search_closes_the_list(open_page):
    page, problems = open_page()
    focus_box(page)
    search(page, "Jimbo")
    page.keyboard.press("ArrowDown")
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("() => !document.getElementById('search').contains(document.activeElement)"):
            break
    state = page.evaluate(STATE)
    assert state["focused"] == "notes-toggle"
    assert state["panelHidden"] and state["expanded"] == "false" and state["activedescendant"] is None
    # Back in the box, the list for what it holds comes back, with no choice made.
    page.keyboard.press("Shift+Tab")
    for _ in range(2):
        if page.evaluate(STATE)["focused"] == "search-input":
            break
        page.keyboard.press("Shift+Tab")
    state = page.evaluate(STATE)
    assert state["focused"] == "search-input" and not state["panelHidden"] and state["selected"] == []
    assert_clean(problems)


def test_a_bundle_that_cannot_load_says_so(open_page):
    page, _ = open_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda e: page_errors.append(str(e)))
    page.route(re.compile(r".*/search-index\.[0-9a-f]+\.js$"), lambda route: route.abort())
    page.locator(BOX).click()
    page.keyboard.type("freeze")
    page.wait_for_function("() => document.getElementById('search-status').textContent.includes('could not load')")
    assert page.locator("#search-status").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page_errors == []  # no unhandled rejection


# ---------------------------------------------------------------------------------------------
# Opening results


def test_click_on_a_paragraph_result_scrolls_marks_and_addresses_it(open_page):
    page, problems = open_page(width=1440, height=900)
    focus_box(page)
    search(page, "Pyongyang missile")
    target = page.locator("#search-results > li", has_text="Paragraph 6")
    assert target.count() == 1
    assert not in_viewport(page, "#p-6")
    target.click()
    page.wait_for_function("() => location.hash === '#p-6'")
    assert query_param(page) == "Pyongyang missile"
    assert in_viewport(page, "#p-6")
    marks = [m.lower() for m in page.locator("#p-6 mark.search-hit").all_text_contents()]
    assert "pyongyang" in marks and any(m.startswith("missile") for m in marks), marks
    assert set(marks) <= {"pyongyang", "missile", "missiles"}, marks
    assert page.locator("mark.search-hit").count() == len(marks)  # only in the paragraph opened
    # The text itself is intact: marks wrap words, nothing is lost or doubled.
    assert page.evaluate(SOURCE_TEXT, "p-6").count("Pyongyang") == len([m for m in marks if m == "pyongyang"])
    # A second result replaces the marks of the first.
    page.locator(BOX).click()
    search(page, "Jimbo")
    page.locator("#search-results > li", has_text="Paragraph 12").click()
    page.wait_for_function("() => location.hash === '#p-12'")
    assert page.locator("#p-6 mark.search-hit").count() == 0
    assert page.locator("#p-12 mark.search-hit").all_text_contents() == ["Jimbo"]
    assert in_viewport(page, "#p-12")
    screenshot(page, "search-desk-opened")
    assert_clean(problems)


def test_opening_the_same_result_twice_scrolls_to_it_again(open_page):
    page, problems = open_page()
    focus_box(page)
    search(page, "Hwasong")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#note-north-korea-icbms'")
    page.mouse.wheel(0, -20000)
    page.wait_for_function("() => scrollY < 10")
    page.locator(BOX).click()
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert in_viewport(page, "#note-north-korea-icbms")
    assert set(page.locator("mark.search-hit").all_text_contents()) == {"Hwasong"}
    assert page.locator("mark.search-hit").count() == page.evaluate(SOURCE_TEXT, "note-north-korea-icbms").count("Hwasong")
    assert_clean(problems)


def test_phone_tap_on_a_note_result_opens_the_collapsed_note(open_page):
    page, problems = open_page(width=390, height=844, mobile=True)
    note = page.locator("#note-double-freeze")
    assert not note.is_visible()  # notes are collapsed on a phone
    page.locator(BOX).tap()
    page.wait_for_function(LOADED)
    page.keyboard.type("suspension")
    wait_for_query(page, "suspension")
    panel = page.locator("#search-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    screenshot(page, "search-phone")
    item = page.locator("#search-results > li", has_text="Double freeze, or suspension for suspension")
    assert item.count() == 1
    item.tap()
    page.wait_for_function("() => location.hash === '#note-double-freeze'")
    assert note.is_visible()
    assert "is-open" in note.get_attribute("class")
    assert page.locator("#ref-double-freeze").get_attribute("aria-expanded") == "true"
    assert in_viewport(page, "#note-double-freeze")
    marks = [m.lower() for m in page.locator("#note-double-freeze mark.search-hit").all_text_contents()]
    assert marks and set(marks) == {"suspension"}, marks
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    screenshot(page, "search-phone-note")
    assert_clean(problems)


# ---------------------------------------------------------------------------------------------
# The address


def test_typing_keeps_q_in_the_address_without_new_history(open_page):
    page, problems = open_page()
    length = page.evaluate("() => history.length")
    focus_box(page)
    page.keyboard.type("double freeze")
    wait_for_query(page, "double freeze")
    assert query_param(page) == "double freeze"
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    wait_for_query(page, "double free")
    assert query_param(page) == "double free"
    assert page.evaluate("() => history.length") == length
    assert urlsplit(page.url).path.endswith("/user/repo/")
    clear_box(page)
    page.wait_for_function("() => !new URL(location.href).searchParams.has('q')")
    assert page.evaluate(STATE)["panelHidden"]
    assert_clean(problems)


def test_loading_a_page_with_q_runs_the_search(open_page):
    page, problems = open_page("?q=freeze")
    wait_for_query(page, "freeze")
    found = results(page)
    assert {"p-5", "note-double-freeze"} <= {r["ref"] for r in found}
    assert page.locator("#search-panel").is_visible()
    assert page.locator(BOX).input_value() == "freeze"
    assert announced_count(page) == len(found)
    # With a phrase and a hash too.
    page2, problems2 = open_page("?q=%22double+freeze%22#p-2")
    wait_for_query(page2, '"double freeze"')
    assert {r["ref"] for r in results(page2)} == {"p-5", "note-double-freeze"}
    assert_clean(problems)
    assert_clean(problems2)


def test_escape_clears_the_marks_it_left_in_the_text(open_page):
    page, _ = open_page(width=1440, height=900)
    focus_box(page)
    search(page, "Jimbo")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('mark.search-hit').length > 0")
    page.locator(BOX).click()
    page.keyboard.press("Escape")
    assert page.locator(BOX).input_value() == ""
    assert page.locator("mark.search-hit").count() == 0
    assert "Jimbo" in page.evaluate(SOURCE_TEXT, "p-12")  # the words are back as plain text


def test_a_shared_result_address_marks_its_words_without_covering_them(open_page):
    page, problems = open_page("?q=Jimbo#p-12")
    page.wait_for_function("() => document.querySelectorAll('#p-12 mark.search-hit').length > 0")
    assert page.locator("#p-12 mark.search-hit").all_text_contents() == ["Jimbo"]
    assert not page.locator("#search-panel").is_visible()
    assert page.evaluate("() => document.activeElement.id") != "search-input"
    assert in_viewport(page, "#p-12")
    assert_clean(problems)


def test_search_works_from_file_urls(open_page, site):
    url = (site / "index.html").as_uri()
    page, problems = open_page(url=url + "?q=freeze")
    wait_for_query(page, "freeze")
    assert {"p-5", "note-double-freeze"} <= set(refs(page))
    page.keyboard.press("Escape")
    page.locator(BOX).click()
    page.keyboard.type("Jim")
    wait_for_query(page, "Jim")
    assert "note-ken-jimbo" in refs(page)
    page.keyboard.press("ArrowDown")
    chosen = results(page)[0]["ref"]
    page.keyboard.press("Enter")
    page.wait_for_function("ref => location.hash === '#' + ref", arg=chosen)
    assert page.locator(f"#{chosen} mark.search-hit").count() >= 1
    assert page.url.startswith("file:")
    assert_clean(problems)


# ---------------------------------------------------------------------------------------------
# How it looks


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_panel_on_a_desk(open_page, scheme):
    page, problems = open_page(width=1440, height=900, scheme=scheme)
    focus_box(page)
    search(page, "Jimbo")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    panel = page.locator("#search-panel").bounding_box()
    box = page.locator(BOX).bounding_box()
    assert panel["y"] >= box["y"] + box["height"]
    assert panel["y"] + panel["height"] <= 900
    assert abs(panel["x"] - box["x"]) < 2
    # Over the article, not under it: the panel is the topmost element where it is drawn.
    assert page.evaluate("""() => { const r = document.getElementById('search-panel').getBoundingClientRect();
      const el = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return document.getElementById('search-panel').contains(el); }""")
    colors = page.evaluate("""() => { const s = el => getComputedStyle(el);
      const mark = document.querySelector('#search-results mark');
      return { panel: s(document.getElementById('search-panel')).backgroundColor, mark: s(mark).backgroundColor }; }""")
    assert colors["mark"] != colors["panel"]
    screenshot(page, "search-desk" if scheme == "light" else "search-desk-dark")
    assert_clean(problems)


def test_results_panel_on_a_phone_in_the_dark(open_page):
    page, problems = open_page(width=390, height=844, scheme="dark", mobile=True)
    page.locator(BOX).tap()
    page.wait_for_function(LOADED)
    page.keyboard.type("alliance")
    wait_for_query(page, "alliance")
    panel = page.locator("#search-panel").bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= 390
    assert panel["width"] >= 390 - 40, "results squeezed into the width of the box"
    assert panel["y"] + panel["height"] <= 844
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 390
    screenshot(page, "search-phone-dark")
    assert_clean(problems)
