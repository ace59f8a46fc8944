"""The shelf in the browser (issue 24), in real Chromium on the shelf fixture (three short articles, served
at /lights/): a reader's progress kept across pages, tabs and reloads (where they stopped, resumed there, read,
marked unread), the shelf page's filter (with scripts, and the plain list without), progress the browser will
not keep said in one line, "Your notes" across the shelf with export and import of the whole, axe-core on the
shelf page, and what it weighs: the shelf page's first view with 100 articles, and the lazy bundles."""

import json
import random
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.test_quality import AXE, axe_violations
from tests.browser.test_quotes import plain_words
from tests.browser.test_reader_notes import FULL_STORAGE, NO_STORAGE, download, import_file, make
from tests.conftest import PREFIXES, SHELF, PageProblems, run_build

NOTES = "reader:my-notes"
# A screen low enough that the fixture's short articles scroll, and their last paragraph is not on it until the end.
SCREEN = {"width": 800, "height": 360}


# ---- Helpers: the kept progress, scrolling as a reader does ----

def progress_key(server: str) -> str:
    """The progress of the shelf served at /lights/: one localStorage value, named by the site's root."""
    return f"reader:shelf:{server}{PREFIXES['shelf']}"


def progress(page, key: str) -> dict:
    raw = page.evaluate("(k) => localStorage.getItem(k)", key)
    return json.loads(raw)["articles"] if raw else {}


def wait_progress(page, key: str, address: str, **fields):
    """Wait until the kept progress of an article has these fields (at, read)."""
    page.wait_for_function("""([k, a, fields]) => { let e; try { e = JSON.parse(localStorage.getItem(k)).articles[a]; } catch {}
        return !!e && Object.entries(fields).every(([name, value]) => e[name] === value); }""", arg=[key, address, fields])


def scroll_to(page, para: str):
    """Turn the mouse wheel until a paragraph's top is just below the toolbar (a reader reading it)."""
    page.mouse.move(400, 300)
    by = page.evaluate("""(id) => document.getElementById(id).getBoundingClientRect().top
        - document.getElementById('toolbar').getBoundingClientRect().bottom - 4""", para)
    page.mouse.wheel(0, by)
    page.wait_for_function("""(id) => Math.abs(document.getElementById(id).getBoundingClientRect().top
        - document.getElementById('toolbar').getBoundingClientRect().bottom - 4) < 2""", arg=para)


def open_article(page, title: str, address: str):
    page.locator(".shelf-item-title a", has_text=title).click()
    page.wait_for_url(re.compile(f"/{address}/index.html"))
    page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")


def state(page, address: str) -> str:
    return page.locator(f"#a-{address} .shelf-state").all_inner_texts()


# ---- Progress: read, leave, come back, continue ----

def test_a_readers_journey_across_pages_and_reloads(open_page, server):
    key = progress_key(server)
    page, problems = open_page(site="shelf", **SCREEN)
    expect(page.locator("#shelf-continue")).to_be_hidden()
    assert page.locator(".shelf-state, .shelf-unread").count() == 0
    open_article(page, "Fog Signals", "fog-signals")
    scroll_to(page, "p-3")  # the wheel alone wakes the page: a reader who only scrolls is counted
    wait_progress(page, key, "fog-signals", at="p-3", read=False)
    assert page.evaluate("() => [...document.querySelectorAll('.para')].pop().getBoundingClientRect().top > innerHeight")

    page.locator(".shelf-back").click()
    expect(page.locator("#shelf-continue")).to_have_text("Continue reading: Fog Signals")
    expect(page.locator("#a-fog-signals .shelf-state")).to_have_text("Stopped at ¶3")
    assert page.locator("#a-fog-signals .shelf-item-title a").get_attribute("href").endswith("/fog-signals/index.html#p-3")
    page.reload()
    expect(page.locator("#shelf-continue")).to_have_text("Continue reading: Fog Signals")

    page.locator("#shelf-continue a").click()
    page.wait_for_url(re.compile(r"/fog-signals/index.html#p-3$"))
    top, bar = page.evaluate("""() => [document.getElementById('p-3').getBoundingClientRect().top,
        Math.max(0, document.getElementById('toolbar').getBoundingClientRect().bottom)]""")
    assert bar <= top <= bar + 100, "back at the paragraph where the reader stopped, at the top of the screen"

    page.mouse.wheel(0, 5000)  # to the end: the last paragraph on screen
    wait_progress(page, key, "fog-signals", read=True)
    page.locator(".shelf-back").click()
    expect(page.locator("#a-fog-signals")).to_have_class(re.compile(r"\bis-read\b"))
    expect(page.locator("#a-fog-signals .shelf-state")).to_have_text("Read")
    assert page.locator("#a-fog-signals .shelf-item-title a").get_attribute("href").endswith("/fog-signals/index.html")
    expect(page.locator("#shelf-continue")).to_have_text("Next unread: The Lens Makers")  # the shelf's first, after the last
    assert state(page, "lens-makers") == [] and state(page, "keepers") == []

    page.locator("#a-fog-signals .shelf-unread").click()
    expect(page.locator("#a-fog-signals .shelf-item-title a")).to_be_focused()
    expect(page.locator("#a-fog-signals")).not_to_have_class(re.compile(r"\bis-read\b"))
    assert state(page, "fog-signals") == [] and "fog-signals" not in progress(page, key)
    expect(page.locator("#shelf-continue")).to_be_hidden()
    page.reload()
    expect(page.locator("#a-fog-signals .shelf-unread")).to_have_count(0)
    assert state(page, "fog-signals") == []
    assert problems.errors == [] and problems.offsite == []


def test_links_to_the_articles_either_side_go_where_the_reader_stopped(open_page, server):
    key = progress_key(server)
    page, problems = open_page("keepers/index.html", site="shelf", **SCREEN)
    scroll_to(page, "p-2")
    wait_progress(page, key, "keepers", at="p-2")
    page.locator(".shelf-nav a[rel=prev]").click()  # The Lens Makers comes before it
    page.wait_for_url(re.compile("/lens-makers/index.html$"))
    page.mouse.move(400, 300)
    page.mouse.wheel(0, 10)
    for link in (".shelf-nav a[rel=next]", ".shelf-end a[rel=next]"):
        expect(page.locator(link)).to_have_attribute("href", re.compile(r"/keepers/index.html#p-2$"))
    page.locator(".shelf-nav a[rel=next]").click()
    page.wait_for_url(re.compile(r"/keepers/index.html#p-2$"))
    assert problems.errors == []


def test_two_tabs_keep_both_their_places_and_the_shelf_follows_them(open_page, server):
    key = progress_key(server)
    shelf, problems = open_page(site="shelf", **SCREEN)
    keepers = shelf.context.new_page()
    keepers.set_viewport_size(SCREEN)
    keepers.goto(server + PREFIXES["shelf"] + "keepers/index.html")
    scroll_to(keepers, "p-2")
    wait_progress(keepers, key, "keepers", at="p-2")
    expect(shelf.locator("#a-keepers .shelf-state")).to_have_text("Stopped at ¶2")  # the other tab, live

    lens = shelf.context.new_page()
    lens.set_viewport_size(SCREEN)
    lens.goto(server + PREFIXES["shelf"] + "lens-makers/index.html")
    scroll_to(lens, "p-3")
    wait_progress(lens, key, "lens-makers", at="p-3")
    scroll_to(keepers, "p-3")  # to its end: this tab read before it wrote, so the other's place stays
    wait_progress(keepers, key, "keepers", at="p-3", read=True)
    assert progress(shelf, key)["lens-makers"]["at"] == "p-3"
    expect(shelf.locator("#a-lens-makers .shelf-state")).to_have_text("Stopped at ¶3")
    expect(shelf.locator("#a-keepers .shelf-state")).to_have_text("Read")
    expect(shelf.locator("#shelf-continue")).to_have_text("Continue reading: The Lens Makers")
    assert problems.errors == []


# ---- The filter ----

def test_the_filter_finds_words_of_title_author_and_lead_whatever_their_case_and_accents(open_page):
    """And without scripts, the shelf is the plain list, the filter row hidden."""
    page, problems = open_page(site="shelf")
    box = page.get_by_label("Filter by title or author")
    expect(box).to_be_visible()

    def shown() -> list[str]:
        return [el.get_attribute("id")[2:] for el in page.locator(".shelf-item").all() if el.is_visible()]

    box.fill("QUÍLL")
    assert shown() == ["lens-makers", "fog-signals"]
    box.fill("keepers harrow")
    assert shown() == ["keepers"]
    assert page.locator("#a-keepers").evaluate("li => li.value") == 2, "it keeps its number on the shelf"
    expect(page.locator("section.shelf-part").nth(1)).to_be_hidden()  # a part with nothing left
    box.fill("twenty lighthouses")  # words of the lead, in any order
    assert shown() == ["lens-makers"]
    box.fill("zeppelin")
    assert shown() == []
    expect(page.locator("#shelf-filter-status")).to_have_text("No article matches “zeppelin”.")
    expect(page.locator(".shelf-paths")).to_be_hidden()
    box.fill("")
    assert shown() == ["lens-makers", "keepers", "fog-signals"]
    expect(page.locator("#shelf-filter-status")).to_have_text("")
    expect(page.locator(".shelf-paths")).to_be_visible()
    assert problems.errors == []

    page, _ = open_page(site="shelf", javascript=False)
    expect(page.locator("#shelf-filter-row")).to_be_hidden()
    expect(page.locator("#shelf-continue")).to_be_hidden()
    links = page.locator(".shelf-item-title a")
    assert links.all_inner_texts() == ["The Lens Makers", "The Keepers", "Fog Signals"]
    links.nth(1).click()
    page.wait_for_url(re.compile("/keepers/index.html$"))
    expect(page.locator("h1")).to_have_text("The Keepers")


# ---- A shelf of 103 articles: pages of 100, the first view's weight, the filter over every page ----

# The tests of the big shelf run on one pytest-xdist worker (--dist loadgroup), which builds it once.
ON_THE_BIG_SHELFS_WORKER = pytest.mark.xdist_group("big-shelf")


@pytest.fixture(scope="module")
def big_shelf(tmp_path_factory):
    """The fixture's three articles and 100 more, with titles, authors and standfirsts of varied words (their
    weight as a real shelf's would be, not as a hundred copies, which gzip squeezes to nothing)."""
    folder = tmp_path_factory.mktemp("big-shelf")
    content = folder / "content"
    shutil.copytree(SHELF / "content", content)
    texts = [p.read_text(encoding="utf-8").lower().split("---\n", 2) for p in (SHELF / "content").rglob("*.md")]
    fronts = set(re.findall(r"[a-z]+", " ".join(front for _, front, _ in texts)))
    # Words of the bodies, none of the fixture's titles, authors or leads: a filter for those finds only them.
    words = sorted(set(re.findall(r"[a-z]{4,}", " ".join(body for _, _, body in texts))) - fronts)
    body = (SHELF / "content" / "keepers.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    pick = random.Random(24)
    for n in range(1, 101):
        title = " ".join(pick.sample(words, 4)).capitalize() + f" {n}"
        author = " ".join(w.capitalize() for w in pick.sample(words, 2))
        lead = " ".join(pick.sample(words, 16)).capitalize() + "."
        (content / f"more-{n}.md").write_text(f'---\ntitle: "{title}"\nstandfirst: "{lead}"\nauthor: "{author}"\n'
                                              f'published: "2023-{1 + n % 12:02d}-{1 + n % 28:02d}"\n---\n{body}',
                                              encoding="utf-8")
    done = run_build("--content", str(content), "--annotations", str(SHELF / "annotations.yaml"), "--out",
                     str(folder / "site"))
    assert done.returncode == 0, done.stderr
    return folder / "site"


@ON_THE_BIG_SHELFS_WORKER
def test_the_shelf_pages_first_view_is_within_budget_with_100_articles(big_shelf, sites, show_figures):
    from bench.weights import BUDGETS, page_weights, report
    listed = (big_shelf / "index.html").read_text(encoding="utf-8").count('class="shelf-item"')
    assert listed == 100 and (big_shelf / "page-2.html").is_file()
    big, small = page_weights(big_shelf), page_weights(sites["shelf"])
    show_figures(f"shelf page, 3 articles: {small['first_view_gz']} B; 100 articles: {big['first_view_gz']} B\n{report(big)}")
    assert big["first_view_gz"] <= BUDGETS["first_view"]
    assert not any("reader." in url for url, _, _ in big["first_view"]), "the shelf page has its own script"


@ON_THE_BIG_SHELFS_WORKER
def test_an_articles_first_view_is_the_same_whatever_the_shelfs_size(big_shelf, sites, show_figures):
    from bench.weights import page_weights
    small, big = (page_weights(site, "keepers/index.html") for site in (sites["shelf"], big_shelf))
    show_figures(f"the keepers' page, first view: {small['first_view_gz']} B on 3 articles, {big['first_view_gz']} B on 103")
    assert [gz for _, _, gz in small["first_view"][1:]] == [gz for _, _, gz in big["first_view"][1:]]
    assert abs(small["first_view_gz"] - big["first_view_gz"]) <= 40, "its page: only its number of how many differs"


@ON_THE_BIG_SHELFS_WORKER
def test_on_a_big_shelf_search_shows_the_best_twenty_and_more_articles_on_request(open_page, big_shelf):
    from tests.browser.test_search import RESULTS, search
    page, problems = open_page(url=(big_shelf / "keepers" / "index.html").as_uri())
    results = search(page, "lens")
    total = int(re.match(r"(\d+) results", page.locator("#search-summary").inner_text())[1])
    assert total > 100 and results.count() == 20, "every article holds the word: the best twenty first"
    groups = page.locator(".search-group-title").count()
    page.locator(".search-more").click()
    expect(page.locator(RESULTS)).to_have_count(40)
    assert page.locator(".search-group-title").count() > groups
    expect(page.locator("#search-input")).to_be_focused()
    assert problems.errors == []


@ON_THE_BIG_SHELFS_WORKER
def test_on_a_paged_shelf_the_filter_finds_articles_of_every_page(open_page, big_shelf):
    page, problems = open_page(url=(big_shelf / "index.html").as_uri())
    second = (big_shelf / "page-2.html").read_text(encoding="utf-8")
    (address, title), *_ = re.findall(r'id="a-([^"]+)">\n<h3 class="shelf-item-title"><a [^>]*>([^<]+)</a>', second)
    page.get_by_label("Filter by title or author").fill(title.upper())
    others = page.locator("#shelf-others")
    expect(others.locator(".shelf-item-title a")).to_have_text([title])
    expect(others.get_by_role("heading", level=2)).to_have_text("On the shelf’s other pages")
    assert others.locator("li").evaluate("li => li.value") > 100, "numbered in shelf order"
    assert others.locator("a").get_attribute("href").endswith(f"/{address}/index.html")
    assert [el for el in page.locator("main > .shelf-part:not(#shelf-others)").all() if el.is_visible()] == []

    other, more = open_page(url=(big_shelf / "page-2.html").as_uri())
    other.get_by_label("Filter by title or author").fill("keepers HARROW")
    expect(other.locator("#shelf-others .shelf-item-title a")).to_have_text(["The Keepers"])
    assert problems.errors == [] and more.errors == []


@ON_THE_BIG_SHELFS_WORKER
def test_on_a_paged_shelf_continue_reading_names_an_article_of_another_page(open_page, big_shelf):
    page, problems = open_page(url=(big_shelf / "index.html").as_uri())
    second = (big_shelf / "page-2.html").read_text(encoding="utf-8")
    (address, title), *_ = re.findall(r'id="a-([^"]+)">\n<h3 class="shelf-item-title"><a [^>]*>([^<]+)</a>', second)
    root = (big_shelf / "index.html").as_uri().removesuffix("index.html")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                  [f"reader:shelf:{root}", json.dumps({"v": 1, "articles": {address: {"at": "p-2", "read": False, "time": 1}}})])
    page.reload()
    expect(page.locator("#shelf-continue")).to_have_text(f"Continue reading: {title}")
    assert page.locator("#shelf-continue a").get_attribute("href") == f"{root}{address}/index.html#p-2"
    assert problems.errors == []


# ---- When the browser will not keep progress: one line on the shelf, never an error ----

def shelf_with(browser, server: str, script: str, path: str = ""):
    """A fresh page of the shelf whose scripts meet a changed browser (an init script), its problems watched."""
    context = browser.new_context(viewport=SCREEN)
    context.add_init_script(script)
    page = context.new_page()
    problems = PageProblems()
    problems.watch(page, server)
    page.goto(server + PREFIXES["shelf"] + path)
    return page, problems


def test_with_storage_off_the_shelf_says_so_and_everything_else_works(browser, server):
    page, problems = shelf_with(browser, server, NO_STORAGE, "keepers/index.html")
    page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
    scroll_to(page, "p-3")
    page.wait_for_function("() => window.ReaderReading")
    page.locator(".shelf-back").click()
    expect(page.locator("#shelf-notice")).to_have_text(re.compile("does not let the page keep your reading progress"))
    assert page.locator(".shelf-state").count() == 0
    page.get_by_label("Filter by title or author").fill("fog")
    expect(page.locator(".shelf-item:visible")).to_have_count(1)
    assert problems.errors == []
    page.context.close()


def test_with_storage_full_a_change_is_said_not_kept_and_nothing_is_lost(browser, server):
    key = progress_key(server)
    seeded = json.dumps({"v": 1, "articles": {"keepers": {"at": "p-5", "read": True, "time": 1}}})
    script = f"""if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');
        localStorage.setItem({json.dumps(key)}, {json.dumps(seeded)}); }}
        {FULL_STORAGE.replace("'reader:my-notes'", "'reader:shelf:'")}"""
    page, problems = shelf_with(browser, server, script)
    expect(page.locator("#a-keepers .shelf-state")).to_have_text("Read")
    page.locator("#a-keepers .shelf-unread").click()
    expect(page.locator("#shelf-notice")).to_have_text("The browser’s storage is full: your reading progress is not kept.")
    expect(page.locator("#a-keepers .shelf-state")).to_have_text("Read")
    assert page.evaluate("(k) => localStorage.getItem(k)", key) == seeded

    page.reload()
    expect(page.locator("#shelf-notice")).to_have_count(0)
    open_article(page, "Fog Signals", "fog-signals")  # a place that cannot be kept: the shelf says so
    scroll_to(page, "p-3")
    page.wait_for_function("() => sessionStorage.getItem('reader:progress-unsaved')")
    page.locator(".shelf-back").click()
    expect(page.locator("#shelf-notice")).to_contain_text("storage is full")
    assert state(page, "fog-signals") == [] and page.evaluate("(k) => localStorage.getItem(k)", key) == seeded
    assert problems.errors == []
    page.context.close()


@pytest.mark.parametrize("first", ["shelf", "article"])
def test_unreadable_progress_is_set_aside_untouched_said_once_and_kept_anew(browser, server, first):
    key = progress_key(server)
    script = f"""if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');
        localStorage.setItem({json.dumps(key)}, '{{broken'); }}"""
    page, problems = shelf_with(browser, server, script, "" if first == "shelf" else "keepers/index.html")
    if first == "article":  # the article page finds it: it sets it aside and keeps the place anew
        page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
        scroll_to(page, "p-2")
        wait_progress(page, key, "keepers", at="p-2")
        page.locator(".shelf-back").click()
    expect(page.locator("#shelf-notice")).to_have_text(re.compile("could not be read; it was set aside untouched"))
    assert page.evaluate("(k) => localStorage.getItem(k + ':unreadable')", key) == "{broken"
    page.reload()
    expect(page.locator("#shelf-notice")).to_have_count(0)  # said once
    if first == "article":
        expect(page.locator("#a-keepers .shelf-state")).to_have_text("Stopped at ¶2")
    open_article(page, "The Lens Makers", "lens-makers")
    scroll_to(page, "p-2")
    wait_progress(page, key, "lens-makers", at="p-2")
    assert page.evaluate("(k) => localStorage.getItem(k + ':unreadable')", key) == "{broken", "never written over"
    assert problems.errors == []
    page.context.close()


# ---- Your notes across the shelf ----

def note_keys(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('reader:my-notes:'))
        .map(k => [k, JSON.parse(localStorage.getItem(k)).first.items]))""")


def test_your_notes_lists_every_articles_notes_and_exports_and_imports_the_whole_shelf(open_page, server, tmp_path):
    page, problems = open_page("keepers/index.html", site="shelf", bypass_csp=True)  # axe
    make(page, "p-3", plain_words(page, "p-3", 4), "A fine for dust")
    page.goto(server + PREFIXES["shelf"] + "lens-makers/index.html")
    page.wait_for_function("() => window.ReaderNotes")
    make(page, "p-3", plain_words(page, "p-3", 3))
    kept = note_keys(page)
    assert sorted(kept) == [f"{NOTES}:The Keepers", f"{NOTES}:The Lens Makers"]

    page.locator("#your-notes").click()
    panel = page.locator("#rn-panel")
    expect(panel.locator("h3.rn-article")).to_have_text(["The Lens Makers", "The Keepers"])  # in shelf order
    expect(panel.locator(".rn-status")).to_have_text("2 highlights and notes.")
    away = panel.locator(".rn-go", has_text=kept[f"{NOTES}:The Keepers"][0]["target"]["selector"][0]["exact"])
    assert re.search(r"/keepers/index.html#note-rn-[0-9a-f]{12}$", away.get_attribute("href"))
    # The panel (the article page's two navs named alike, at its top and foot, are the build's: told to the lead).
    page.add_script_tag(path=str(AXE))
    assert page.evaluate("() => axe.run('#rn-panel', {resultTypes: ['violations']})")["violations"] == []

    name, text = download(page, "export-json")
    assert name == "notes-lights-on-the-coast.jsonld"
    exported = json.loads(text)
    assert exported["type"] == "AnnotationCollection" and exported["total"] == 2
    assert exported["label"] == "Your notes on “Lights on the Coast”"
    sources = [item["target"]["source"] for item in exported["first"]["items"]]
    assert [s.rsplit("/", 2)[1] for s in sources] == ["lens-makers", "keepers"], "each note on its own article"
    _, markdown = download(page, "export-md")
    assert "## The Lens Makers" in markdown and "## The Keepers" in markdown and "A fine for dust" in markdown

    away.click()  # the note opens on its own page
    page.wait_for_url(re.compile(r"/keepers/index.html#note-rn-"))
    opened = page.locator("#notes > .reader-note.is-open")
    expect(opened).to_contain_text("A fine for dust")
    expect(opened).to_be_in_viewport()

    file = tmp_path / "shelf.jsonld"
    file.write_text(text, encoding="utf-8")
    page.evaluate("() => localStorage.clear()")
    page.goto(server + PREFIXES["shelf"] + "fog-signals/index.html")  # an article with none of them
    page.wait_for_function("() => document.documentElement.classList.contains('notes-placed')")
    page.locator("#your-notes").click()
    expect(panel.locator(".rn-status")).to_have_text(re.compile("None yet"))
    import_file(page, file)
    expect(panel.locator(".rn-status")).to_have_text("2 notes imported; 0 already here.")
    assert note_keys(page) == kept, "each back under its own article, as it was"
    expect(panel.locator("h3.rn-article")).to_have_text(["The Lens Makers", "The Keepers"])
    import_file(page, file)
    expect(panel.locator(".rn-status")).to_have_text("0 notes imported; 2 already here.")
    assert note_keys(page) == kept
    page.goto(server + PREFIXES["shelf"] + "keepers/index.html")
    expect(page.locator("mark.reader-anchor")).to_have_count(1)
    assert problems.errors == []


def test_an_import_with_a_note_on_no_article_of_the_shelf_or_that_cannot_be_kept_changes_nothing(open_page, server,
                                                                                                tmp_path):
    page, problems = open_page("keepers/index.html", site="shelf")
    make(page, "p-3", plain_words(page, "p-3", 4), "Kept before")
    page.locator("#your-notes").click()
    expect(page.locator("#rn-panel h3.rn-article")).to_have_count(1)
    _, text = download(page, "export-json")
    data = json.loads(text)
    item = data["first"]["items"][0]
    lens = json.loads(json.dumps(item))
    lens["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    lens["target"]["source"] = server + PREFIXES["shelf"] + "lens-makers/"
    stray = json.loads(json.dumps(lens))
    stray["id"] = "urn:uuid:00000000-0000-4000-8000-000000000002"
    stray["target"]["source"] = "https://example.org/not-on-this-shelf"
    before = note_keys(page)

    (tmp_path / "stray.jsonld").write_text(json.dumps({**data, "first": {**data["first"], "items": [lens, stray]}}))
    import_file(page, tmp_path / "stray.jsonld")
    expect(page.locator("#rn-panel .rn-status")).to_have_text(re.compile("^Not imported: its notes are on another article"))
    assert note_keys(page) == before

    # The other article's notes cannot be kept (its key refused): nothing is kept, this article's neither.
    page.evaluate("""() => { const set = Storage.prototype.setItem; Storage.prototype.setItem = function (k, v) {
        if (k === 'reader:my-notes:The Lens Makers') throw new DOMException('full', 'QuotaExceededError');
        return set.call(this, k, v); }; }""")
    here = json.loads(json.dumps(item))
    here["id"] = "urn:uuid:00000000-0000-4000-8000-000000000003"
    here["target"]["selector"][0]["prefix"] = "other context"
    (tmp_path / "full.jsonld").write_text(json.dumps({**data, "first": {**data["first"], "items": [here, lens]}}))
    import_file(page, tmp_path / "full.jsonld")
    expect(page.locator("#rn-panel .rn-status")).to_have_text("Not imported: the browser’s storage is full. Nothing was changed.")
    assert note_keys(page) == before
    expect(page.locator("#notes > .reader-note")).to_have_count(1)
    assert problems.errors == []


# ---- Accessible; still; light; and nothing of it on a one-article site ----

@pytest.mark.parametrize("kept", [False, True])
@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_nothing_shifts_while_the_shelf_page_loads_and_marks_itself(browser, server, kept, width, height):
    key = progress_key(server)
    seed = json.dumps({"v": 1, "articles": {"keepers": {"at": "p-5", "read": True, "time": 1},
                                            "fog-signals": {"at": "p-3", "read": False, "time": 2}}})
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.add_init_script(f"""window.__shift = 0; new PerformanceObserver(list => {{ for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__shift += e.value; }}).observe({{type: 'layout-shift', buffered: true}});
        if ({json.dumps(kept)}) localStorage.setItem({json.dumps(key)}, {json.dumps(seed)});""")
    for _ in range(3):  # the page may be painted before or after its script marks it: no shift either way
        page.goto(server + PREFIXES["shelf"])
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        expect(page.locator("#shelf-filter-row")).to_be_visible()
        if kept:
            expect(page.locator("#shelf-continue")).to_be_visible()
        assert page.evaluate("() => window.__shift") == 0
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_shelf_page_with_progress_and_the_filter(open_page, server, scheme):
    key = progress_key(server)
    page, _ = open_page(site="shelf", scheme=scheme, bypass_csp=True)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, json.dumps({"v": 1, "articles": {
        "keepers": {"at": "p-5", "read": True, "time": 1}, "fog-signals": {"at": "p-3", "read": False, "time": 2}}})])
    page.reload()
    expect(page.locator("#shelf-continue")).to_be_visible()
    expect(page.locator(".shelf-unread")).to_have_count(1)
    assert axe_violations(page) == []
    page.get_by_label("Filter by title or author").fill("nothing like it")
    expect(page.locator("#shelf-filter-status")).not_to_be_empty()
    assert axe_violations(page) == []


def test_the_shelf_bundles_load_lazily_within_budget_and_not_on_a_one_article_site(open_page, sites):
    from bench.weights import BUDGETS, _rows, bundle_urls
    bundles = bundle_urls(sites["shelf"], "keepers/index.html")
    for name in ("reading", "shelfnotes", "notes"):
        assert 0 < sum(gz for _, _, gz in _rows(sites["shelf"], bundles[name])) <= BUDGETS[name], name
    page, problems = open_page("keepers/index.html", site="shelf")
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    assert not any("reading." in url for url in requested), "nothing before the reader does something"
    page.mouse.click(5, 300)
    page.wait_for_function("() => window.ReaderReading")
    assert any("reading." in url for url in requested)

    one, more = open_page()  # the crowded one-article fixture
    one.mouse.click(5, 400)
    one.wait_for_function("() => window.ReaderInteract")
    assert sorted(one.evaluate("() => Object.keys(ReaderBundles)")) == ["notes", "quote", "search"]
    assert one.evaluate("() => window.ReaderReading") is None
    assert problems.errors == [] and more.errors == []
