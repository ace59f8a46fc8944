"""Searching the whole shelf from any of its pages (issue 25), in real Chromium on the shelf fixture (three short
articles) served at /lights/ and opened from file://: the shelf page's box loads the search only when used; an
article's page lists its own results first, then the other articles', each under its title; a result in another
article opens that page at the passage with the words marked, and Back comes back to the list; the keyboard goes
through the groups; a site rebuilt under an open page, or a part of its index gone, still answers."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.test_search import RESULTS, labels, search
from tests.conftest import SHELF, run_build

GROUPS = "#search-results .search-group-title"


def result_articles(page) -> list[str]:
    """The article each listed result is in, by its link: '' for this page's."""
    return [re.sub(r"^.*/([^/]+)/index\.html\?.*$", r"\1", href) if "/index.html?" in href else ""
            for href in (link.get_attribute("href") for link in page.locator(RESULTS).all())]


def test_the_shelf_page_loads_the_search_on_first_use_and_lists_every_article_under_its_title(open_page):
    page, problems = open_page(site="shelf")
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    expect(page.get_by_role("search").get_by_label("Search every article on the shelf")).to_be_visible()
    page.mouse.click(5, 400)
    page.wait_for_timeout(200)
    assert not any("reader." in url or "/search/" in url for url in requested), "nothing loads before the box is used"
    page.keyboard.press("/")
    expect(page.locator("#search-input")).to_be_focused()
    page.keyboard.type("lens")
    expect(page.locator("#search-summary")).to_contain_text("“lens”")
    groups = page.locator(GROUPS).all_inner_texts()
    assert set(groups) == {"The Lens Makers", "The Keepers", "Fog Signals"}, groups
    assert not any("In other articles" in title for title in groups), "on the shelf page no article is this one"
    articles = result_articles(page)
    assert "" not in articles and articles == sorted(articles, key=articles.index), "each article's results together"
    assert articles[0] == "lens-makers", "the article with the title's word first"
    assert any("/search/" in url for url in requested)
    assert problems.errors == []


def test_an_article_page_lists_its_own_results_first_then_the_other_articles(view_page):
    page, problems = view_page("keepers/index.html", site="shelf")
    search(page, "lens")
    articles = result_articles(page)
    mine = [a for a in articles if a == ""]
    assert mine and articles[:len(mine)] == mine, articles
    groups = page.locator(GROUPS).all_inner_texts()
    assert groups[0] == "In other articles · The Lens Makers" and "Fog Signals" in groups[1:], groups
    assert all(a in ("lens-makers", "fog-signals") for a in articles[len(mine):])
    assert page.locator(f"{RESULTS} .result-snippet mark").count() >= len(articles)
    group = page.get_by_role("listbox").get_by_role("group", name="In other articles · The Lens Makers")
    expect(group.get_by_role("option")).not_to_have_count(0)
    assert problems.errors == []


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_a_result_in_another_article_opens_it_at_the_passage_marked_and_back_returns(open_page, sites, scheme):
    url = (sites["shelf"] / "keepers" / "index.html").as_uri() if scheme == "file" else None
    page, problems = open_page("keepers/index.html", site="shelf", url=url)
    search(page, "Cordouan lighthouse")
    other = page.locator(RESULTS).filter(has_text="Paragraph").and_(page.locator("[href*='lens-makers/']")).first
    href = other.get_attribute("href")
    assert "?q=Cordouan%20lighthouse#p-" in href
    other.click()
    page.wait_for_url(re.compile(r"/lens-makers/index\.html\?q=Cordouan"))
    ref = href.split("#")[1]
    marks = page.locator(f"#{ref} mark.search-hit")
    expect(marks.first).to_be_visible()
    assert "Cordouan" in " ".join(marks.all_text_contents())
    assert page.locator("#search-panel").is_hidden(), "the passage shows, not the list over it"
    top = page.locator(f"#{ref}").bounding_box()["y"]
    assert 0 <= top < page.viewport_size["height"] - 40, "the passage is on the screen"

    page.go_back()
    page.wait_for_url(re.compile(r"/keepers/index\.html\?q=Cordouan"))
    expect(page.locator(RESULTS).first).to_be_visible()
    assert page.locator("#search-input").input_value() == "Cordouan lighthouse"
    assert problems.errors == [] and problems.offsite == []


def test_the_keyboard_goes_through_every_group_and_enter_opens_another_articles_result(view_page):
    page, _ = view_page("keepers/index.html", site="shelf")
    results = search(page, "lens")
    count = results.count()
    box = page.locator("#search-input")
    for i in range(count):
        page.keyboard.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == results.nth(i).get_attribute("id")
    chosen = results.nth(count - 1)
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(chosen).to_be_in_viewport()
    target = chosen.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target.split("?")[0].split("/lights/")[-1]) + r"\?q=lens"))
    expect(page.locator("mark.search-hit").first).to_be_visible()


def test_what_in_article_search_does_holds_across_the_shelf(view_page):
    page, _ = view_page("fog-signals/index.html", site="shelf")
    search(page, '"first Fresnel lens"')  # a phrase in another article
    assert result_articles(page)[0] == "lens-makers" and labels(page)[0] == "Paragraph 2"
    search(page, "lighthuose")  # a typo
    assert page.locator(RESULTS).count() >= 1 and "close spellings" in page.locator("#search-summary").inner_text()
    search(page, "LEONOR")  # folded: Léonor
    assert any("Léonor" in m for m in page.locator(f"{RESULTS} mark").all_text_contents())
    search(page, "<img src=x onerror=alert(1)>")
    assert page.locator("#search-results img").count() == 0


def test_the_shared_note_pages_search_the_shelf(view_page):
    page, problems = view_page("notes/fresnel.html", site="shelf")
    search(page, "keepers")
    assert set(result_articles(page)) >= {"keepers"} and "" not in result_articles(page)
    assert problems.errors == []


def not_about_missing_parts(errors: list[str]) -> list[str]:
    """The errors a page saw other than the index's parts that were not there (the browser says so itself)."""
    return [e for e in errors if not (e.startswith("request failed: ") and "/search/" in e)
            and e != "Failed to load resource: net::ERR_FILE_NOT_FOUND"]


def copy_shelf_content(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHELF / "content", content)
    return content


def build(content, out):
    done = run_build("--no-cache", "--content", str(content), "--annotations", str(SHELF / "annotations.yaml"),
                     "--out", str(out))
    assert done.returncode == 0, done.stderr


def test_a_site_rebuilt_under_an_open_page_still_answers_with_the_new_text(open_page, tmp_path):
    content, out = copy_shelf_content(tmp_path), tmp_path / "site"
    build(content, out)
    page, problems = open_page(url=(out / "keepers" / "index.html").as_uri())
    page.locator("#search-input").click()
    page.wait_for_function("() => window.ReaderSearch")
    keepers = content / "keepers.md"
    keepers.write_text(keepers.read_text(encoding="utf-8") + "\nThe lamplighters kept a spare wick.\n",
                       encoding="utf-8")
    build(content, out)  # every index part named in the page's manifest that changed is gone now
    search(page, "lamplighters")
    expect(page.locator(RESULTS)).to_have_count(1)
    assert "incomplete" not in page.locator("#search-summary").inner_text()
    assert not_about_missing_parts(problems.errors) == [], "only the old index's parts, gone; nothing thrown"


def test_a_part_of_the_index_gone_leaves_its_results_out_and_says_so_in_one_line(open_page, sites, tmp_path):
    out = tmp_path / "site"
    shutil.copytree(sites["shelf"], out)
    fragments = sorted(p for p in (out / "search").glob("f*.js"))
    assert fragments, "the index has its text in fragments"
    for part in fragments:
        part.unlink()  # a hand-edited site
    page, problems = open_page(url=(out / "index.html").as_uri())
    page.locator("#search-input").click()
    page.keyboard.type("lens")
    expect(page.locator("#search-summary")).to_contain_text("Part of the index could not load")
    assert page.locator("#search-summary").inner_text().count("\n") == 0
    assert not_about_missing_parts(problems.errors) == [], "only the missing parts; nothing thrown"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["keepers/index.html", "notes/fresnel.html"])
def test_axe_finds_nothing_on_a_shelfs_pages_with_the_shelfs_results_open(view_page, path, scheme):
    from tests.browser.test_quality import axe_violations
    page, _ = view_page(path, site="shelf", scheme=scheme, bypass_csp=True)
    assert axe_violations(page) == []
    search(page, "lens")
    expect(page.locator(GROUPS).first).to_be_visible()
    assert axe_violations(page) == []
