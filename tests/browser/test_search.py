"""Search in real Chromium, as a reader uses it: the words remembered, found and shown together;
results that are links (a new tab, a copied link), the keyboard, the address, the marks; on both sites."""

import re

import pytest
from playwright.sync_api import expect

RESULTS = "#search-results a[role=option]"


def search(page, query: str):
    """Type a query into the box as a reader does; wait for the list to show it."""
    box = page.locator("#search-input")
    box.click()
    box.fill("")
    box.type(query)
    expect(page.locator("#search-summary")).to_contain_text(query.strip()[:20])
    return page.locator(RESULTS)


def labels(page) -> list[str]:
    return page.locator(f"{RESULTS} .result-label").all_inner_texts()


def test_without_javascript_the_search_box_is_not_shown(view_page):
    page, _ = view_page(javascript=False)
    assert page.locator("#search-input").is_hidden()


def test_the_bundle_loads_on_first_focus_and_says_so_while_it_loads(open_page):
    page, problems = open_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.route(re.compile(r"query\.[0-9a-f]+\.js"), lambda route: (page.wait_for_timeout(400), route.continue_()))
    assert not any("lunr." in url for url in requested)
    page.locator("#search-input").click()
    expect(page.locator("#search-input")).to_have_attribute("placeholder", "Loading search…")
    assert page.locator("#search-status").text_content() == "Loading search…"
    expect(page.locator("#search-input")).to_have_attribute("placeholder", "Search")
    assert any("lunr." in url for url in requested) and any("search-index." in url for url in requested)
    assert problems.errors == []


def test_a_run_of_remembered_words_finds_its_paragraph_first_shown_and_marked_whole(view_page):
    page, _ = view_page()
    words = page.evaluate("() => document.getElementById('p-7').textContent.split(/\\s+/).slice(9, 14).join(' ')")
    results = search(page, words)
    assert labels(page)[0] == "Paragraph 7"
    marks = results.first.locator(".result-snippet mark").all_text_contents()
    assert any(re.sub(r"\W", "", words) in re.sub(r"\W", "", mark) for mark in marks), (words, marks)
    results.first.click()
    page_marks = page.locator("#p-7 mark.search-hit").all_text_contents()
    assert re.sub(r"\W", "", words) in re.sub(r"\W", "", " ".join(page_marks)), "the page marks the whole run"
    assert page.evaluate("() => location.hash") == "#p-7"


def test_a_quoted_phrase_must_stand_together(view_page):
    page, _ = view_page()
    search(page, '"security treaty"')
    found = labels(page)
    search(page, '"treaty security"')
    assert found and page.locator(RESULTS).count() == 0
    assert "No results" in page.locator("#search-summary").text_content()


def test_when_no_result_has_every_word_the_ones_with_most_are_shown_and_labelled(view_page):
    page, _ = view_page()
    results = search(page, "treaty archivist zeppelin")
    assert results.count() >= 1
    assert page.locator("#search-summary").text_content().startswith("No result has every word")


@pytest.mark.parametrize("typo, meant", [("Kieo", "Keio"), ("Japn", "Japan"), ("alliense", "alliance")])
def test_close_spellings_from_four_letters(view_page, typo, meant):
    page, _ = view_page()
    results = search(page, typo)
    assert results.count() >= 1
    assert page.locator("#search-summary").text_content().startswith("No exact matches; showing close spellings.")
    assert meant.lower() in " ".join(results.first.locator("mark").all_text_contents()).lower()


def test_a_short_word_finds_itself_not_every_word_it_begins(view_page):
    page, _ = view_page()
    results = search(page, "abe")
    for i in range(results.count()):
        marks = [m.lower() for m in results.nth(i).locator("mark").all_text_contents()]
        assert marks and all(m.startswith("abe") for m in marks), marks


def test_the_title_standfirst_byline_and_authors_note_are_found(view_page):
    page, _ = view_page()
    for query, label in [("Diplomat", "Byline"), ("Ada Writer", "Byline"), ("shorten some of them", "Standfirst"),
                         ("test suite", "Author’s note"), ("Crowded Margin", "Title")]:
        search(page, query)
        assert label in labels(page), (query, labels(page))


def test_us_finds_u_s_and_apostrophes_fold(view_page):
    page, _ = view_page()
    search(page, "US")
    assert "U.S." in page.locator(f"{RESULTS} mark").all_text_contents()
    search(page, "Japans")
    assert page.locator(RESULTS).count() >= 1


def test_odd_input_never_throws(view_page):
    page, problems = view_page()
    for query in ['"', "***", "a:b", "~1", "+-", "\\", "[", "'", "“unclosed", "日本"]:
        search(page, query)
    assert problems.errors == []


def test_results_are_links_to_their_place_with_the_query(open_page, site_url):
    page, _ = open_page()
    results = search(page, "alliance")
    href = results.first.get_attribute("href")
    assert href.startswith("?q=alliance#") and results.first.get_attribute("tabindex") == "-1"
    with page.context.expect_page() as opened:
        results.first.click(modifiers=["Control"])  # a new tab, as a middle click would
    tab = opened.value
    tab.wait_for_load_state()
    ref = href.split("#")[1]
    assert tab.url.endswith(f"?q=alliance#{ref}")
    expect(tab.locator("mark.search-hit").first).to_be_visible()
    assert tab.locator("#search-panel").is_hidden(), "a shared result opens with the list out of the way"


def test_the_combobox_the_arrows_enter_and_tab(view_page):
    page, _ = view_page()
    box = page.locator("#search-input")
    search(page, "treaty")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first = page.locator(RESULTS).first
    assert first.get_attribute("aria-selected") == "true" and box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    page.keyboard.press("ArrowUp")
    assert page.locator(RESULTS).last.get_attribute("aria-selected") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "notes-toggle", "Tab leaves the list for the next control"
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    page.keyboard.press("End")
    page.keyboard.type("y")  # "treatyy": nothing; Enter right after typing searches for what was typed
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash.length > 1")
    assert page.locator("mark.search-hit").count() >= 1


def test_escape_closes_the_list_first_then_clears_and_goes_back(view_page):
    page, _ = view_page()
    page.locator("#p-2").click()
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "search-input"
    page.keyboard.type("treaty")
    expect(page.locator(RESULTS).first).to_be_visible()
    page.keyboard.press("Escape")
    assert page.locator("#search-panel").is_hidden() and page.locator("#search-input").input_value() == "treaty"
    page.keyboard.press("Escape")
    assert page.locator("#search-input").input_value() == ""
    assert page.evaluate("() => document.activeElement.id") != "search-input"


def test_the_chosen_result_shows_in_forced_colors(view_page):
    page, _ = view_page(forced=True)
    search(page, "treaty")
    page.keyboard.press("ArrowDown")
    outline = page.locator(RESULTS).first.evaluate("el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]")
    assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2


def test_a_snippet_can_be_selected_and_copied_without_opening_the_result(view_page):
    page, _ = view_page(clipboard=True)
    results = search(page, "treaty")
    snippet = results.first.locator(".result-snippet")
    box = snippet.bounding_box()
    page.mouse.move(box["x"] + 4, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + 6, steps=8)
    page.mouse.up()
    assert page.evaluate("() => location.hash") == "", "a drag over a snippet does not open it"
    page.keyboard.press("Control+C")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert len(copied) > 5 and copied in snippet.inner_text()


def test_a_long_list_shows_the_best_and_more_on_request(view_page):
    page, _ = view_page()
    results = search(page, "the")
    assert results.count() == 20
    more = page.locator(".search-more")
    assert re.fullmatch(r"Show more \(\d+\)", more.text_content())
    more.click()
    expect(results).not_to_have_count(20)


def test_the_address_keeps_the_query_and_a_shared_search_runs(open_page, site_url):
    page, _ = open_page()
    length = page.evaluate("() => history.length")
    search(page, "alliance")
    assert page.evaluate("() => location.search") == "?q=alliance" and page.evaluate("() => history.length") == length
    shared, _ = open_page("?q=treaty")
    expect(shared.locator(RESULTS).first).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.evaluate("() => location.search") == "" and page.locator("mark.search-hit").count() == 0


def test_on_a_phone_the_list_spans_the_toolbar_and_a_note_result_opens_its_sheet(view_page):
    page, _ = view_page(width=390, height=844, mobile=True)
    search(page, "Keio")
    panel = page.locator("#search-panel").bounding_box()
    assert panel["x"] <= 12 and panel["x"] + panel["width"] >= 378
    note_result = page.locator(f"{RESULTS}[href*='#note-']").first
    note_result.tap()
    expect(page.locator("#notes > .note.is-sheet")).to_have_count(1)


def test_letters_that_do_not_decompose_are_found_as_readers_type_them(view_page):
    page, _ = view_page(site="second")
    for typed, shown in [("dang", "Đặng"), ("lodz", "Łódź"), ("strasse", "Straße"), ("aero", "Ærø")]:
        results = search(page, typed)
        assert results.count() >= 1, typed
        assert any(shown in m for m in page.locator(f"{RESULTS} mark").all_text_contents()), (typed, shown)
    assert re.match(r"\d+ résultats? pour « aero »\.", page.locator("#search-summary").text_content())


def test_the_page_of_all_notes_searches_the_article(view_page):
    page, _ = view_page("notes.html")
    page.locator("#search-input").fill("treaty")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"index\.html\?q=treaty"))
    expect(page.locator(RESULTS).first).to_be_visible()
