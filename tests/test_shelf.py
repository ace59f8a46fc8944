"""A shelf of several articles (issue 24), through the real command line: where each page goes, the
order (shelf.yaml, else date then name), an article's place on the shelf, notes from both files,
shared notes and their pages, links between articles, the feed, the sitemap, the JSON-LD, paging."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import SHELF, run_build, tree_bytes

ATOM = "{http://www.w3.org/2005/Atom}"


def article(title: str, text: str, published: str | None = None, **fields: str) -> str:
    """A tiny article file."""
    front = {"title": title, "author": "A. Writer", **({"published": published} if published else {}), **fields}
    return "---\n" + "".join(f'{key}: "{value}"\n' for key, value in front.items()) + "---\n\n" + text + "\n"


def build(tmp_path: Path, files: dict[str, str], notes: str = "[]\n", *extra: str):
    """Write the content files and notes into tmp_path and build them; return (process, site folder)."""
    for name, text in files.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    (tmp_path / "annotations.yaml").write_text(notes, encoding="utf-8")
    out = tmp_path / "site"
    done = run_build("--content", str(tmp_path / "content"), "--annotations", str(tmp_path / "annotations.yaml"),
                     "--out", str(out), *extra)
    return done, out


def fixture(tmp_path: Path, *extra: str) -> Path:
    done = run_build("--content", str(SHELF / "content"), "--annotations", str(SHELF / "annotations.yaml"),
                     "--out", str(tmp_path / "site"), *extra)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"built {tmp_path / 'site'}/ (3 articles, ")
    return tmp_path / "site"


def listed(site: Path, page: str = "index.html") -> list[str]:
    """The articles a page of the shelf lists, in order."""
    return re.findall(r'<li class="shelf-item" id="a-([a-z0-9-]+)"', (site / page).read_text(encoding="utf-8"))


def test_each_article_has_its_folder_and_the_shelf_is_the_sites_front_page(tmp_path):
    site = fixture(tmp_path)
    for address in ("lens-makers", "keepers", "fog-signals"):
        for name in ("index.html", "notes.html", "cite.bib", "cite.json"):
            assert (site / address / name).is_file(), f"{address}/{name}"
    assert {"index.html", "feed.xml", "annotations.jsonld", "404.html", "robots.txt"} <= {p.name for p in site.iterdir()}
    assert (site / "notes" / "index.html").is_file() and (site / "notes" / "fresnel.html").is_file()
    shelf = (site / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"title\">Lights on the Coast</h1>" in shelf
    assert listed(site) == ["lens-makers", "keepers", "fog-signals"], "shelf.yaml's sections, in order"
    assert re.findall(r"<h2 id=\"part-\d\">([^<]+)</h2>", shelf) == ["The lights", "When the light fails"]
    assert 'href="keepers/index.html"' in shelf and "Ben Harrow · 2 November 2020 · 1 min read · 3 notes" in shelf


def test_an_article_names_its_place_and_links_the_articles_either_side(tmp_path):
    site = fixture(tmp_path)
    page = (site / "keepers" / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('<nav class="shelf-nav"'):page.index("</nav>")]
    assert 'href="../index.html">Lights on the Coast</a>' in nav and "2 of 3" in nav
    assert 'rel="prev" href="../lens-makers/index.html"' in nav and 'rel="next" href="../fog-signals/index.html"' in nav
    assert 'href="../assets/site.' in page and 'src="../assets/reader.' in page, "assets from the site's root"
    first = (site / "lens-makers" / "index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' not in first and "1 of 3" in first
    crumbs = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)]
    assert [item["name"] for item in crumbs[0]["itemListElement"]] == ["Lights on the Coast", "The Keepers"]


def test_an_articles_own_notes_and_the_shared_files_are_numbered_together_in_reading_order(tmp_path):
    site = fixture(tmp_path)
    page = (site / "keepers" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<section class="note" id="note-([a-z0-9-]+)"', page)
    # keepers.notes.yaml's two notes and the shared Trinity House, at its first mention (paragraph 3)
    assert ids == ["logbook", "trinity-house", "automated"]
    assert re.findall(r'<span class="note-num">(\d+)</span>', page) == ["1", "2", "3"]


def test_a_shared_note_sits_at_its_first_mention_and_its_page_lists_every_mention_by_article(tmp_path):
    site = fixture(tmp_path)
    lens = (site / "lens-makers" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="anchor" id="ref-fresnel" href="#note-fresnel"[^>]*>Augustin Fresnel</a>', lens)
    assert "Mentioned in 2 articles." in lens and 'href="../notes/fresnel.html">Every mention</a>' in lens
    fog = (site / "fog-signals" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="ref-fresnel"[^>]*>Fresnel</a> had studied', fog), "the first mention in that article"
    shared = (site / "notes" / "fresnel.html").read_text(encoding="utf-8")
    articles = re.findall(r'<h3 id="in-([a-z-]+)">', shared)
    assert articles == ["lens-makers", "fog-signals"], "grouped by article, in shelf order"
    mentions = re.findall(r"<li><a href=\"\.\./([a-z-]+)/index\.html#(p-\d+)\">[^<]*</a> (.*?)</li>", shared)
    assert [(a, p) for a, p, _ in mentions] == [("lens-makers", "p-1"), ("lens-makers", "p-2"), ("lens-makers", "p-3"),
                                               ("fog-signals", "p-4")]
    assert mentions[0][2].startswith("Before 1822") is False and "<mark>Augustin Fresnel</mark>, an engineer" in mentions[0][2]
    index = (site / "notes" / "index.html").read_text(encoding="utf-8")
    assert '<a href="fresnel.html">Augustin Fresnel</a> <span class="shared-count">Mentioned in 2 articles.</span>' in index
    assert '<a href="trinity-house.html">Trinity House</a> <span class="shared-count">Mentioned in 3 articles.</span>' in index


def test_a_shared_note_never_takes_words_another_note_has(tmp_path):
    text = "Babbage built the engine. Babbage died poor."
    notes = """- id: engine
  article: a
  quote: "Babbage built"
  kind: term
  title: Engine
  body: B.
  sources: [{title: "S: s (2020)", url: "https://example.org/s"}]
- id: babbage
  mentions: [Babbage]
  kind: person
  title: Babbage
  body: C.
  sources: [{title: "S: s (2020)", url: "https://example.org/s"}]
"""
    done, site = build(tmp_path, {"a.md": article("A", text), "b.md": article("B", "No one.")}, notes)
    assert done.returncode == 0, done.stderr
    page = (site / "a" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="ref-engine"[^>]*>Babbage built</a> the engine\. <a class="anchor" id="ref-babbage"', page), \
        "its first mention is the engine note's: the next one is taken"
    assert not (site / "b" / "index.html").read_text(encoding="utf-8").count('id="ref-babbage"'), "b mentions nobody"


def test_links_between_articles_lead_to_the_other_articles_page(tmp_path):
    site = fixture(tmp_path)
    lens = (site / "lens-makers" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../lens-makers/index.html#the-first-lens">the first lens</a>' in lens
    assert "<a href=\"../keepers/index.html#p-1\">keepers' watch</a>" in lens
    shared = (site / "notes" / "fresnel.html").read_text(encoding="utf-8")
    assert '<a href="../lens-makers/index.html#the-first-lens">' in shared
    assert 'id="the-first-lens"' in lens, "the heading the link leads to"


def test_without_shelf_yaml_articles_go_by_date_then_name(tmp_path):
    files = {"c.md": article("C", "Sea.", "2020-05"), "a.md": article("A", "Sand."), "b.md": article("B", "Salt.", "2019"),
             "d.md": article("D", "Stone.", "2020-05")}
    done, site = build(tmp_path, files)
    assert done.returncode == 0, done.stderr
    assert listed(site) == ["b", "c", "d", "a"], "dated first, oldest first; a date tie by name; undated last"
    assert "<h2" not in (site / "index.html").read_text(encoding="utf-8").split("<main")[1].split("</header>")[1], \
        "no parts without shelf.yaml"


def test_shelf_yaml_order_puts_the_unnamed_articles_after_the_named_ones(tmp_path):
    files = {"a.md": article("A", "One.", "2001"), "b.md": article("B", "Two.", "2002"), "c.md": article("C", "Three.", "2003"),
             "shelf.yaml": "title: Mine\norder: [c, a]\n"}
    done, site = build(tmp_path, files)
    assert done.returncode == 0, done.stderr
    assert listed(site) == ["c", "a", "b"]


def test_the_feed_lists_the_articles_newest_first_with_stable_ids(tmp_path):
    site = fixture(tmp_path)
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    assert feed.find(f"{ATOM}title").text == "Lights on the Coast"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Fog Signals", "The Lens Makers", "The Keepers"]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == ["fog-signals/", "lens-makers/", "keepers/"]
    assert entries[0].find(f"{ATOM}updated").text == "2022-06-30T00:00:00Z"
    again = ET.fromstring(fixture(tmp_path / "again").joinpath("feed.xml").read_bytes())
    assert [e.find(f"{ATOM}id").text for e in again.findall(f"{ATOM}entry")] == [e.find(f"{ATOM}id").text for e in entries]
    assert len({e.find(f"{ATOM}id").text for e in entries}) == 3


def test_with_a_base_url_the_sitemap_names_every_page_and_the_feed_links_are_absolute(tmp_path):
    site = fixture(tmp_path, "--base-url", "https://example.org/lights/")
    urls = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert "https://example.org/lights/" in urls and "https://example.org/lights/keepers/" in urls
    assert "https://example.org/lights/keepers/notes.html" in urls and "https://example.org/lights/notes/fresnel.html" in urls
    assert not any(url.endswith("404.html") for url in urls)
    assert len(urls) == len(set(urls)) == 3 * 2 + 1 + 3  # articles and their notes, the shelf, the shared notes' pages
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == "https://example.org/lights/fog-signals/"


def test_the_shelf_page_carries_an_item_list_and_every_note_is_one_annotation_collection(tmp_path):
    site = fixture(tmp_path)
    shelf = (site / "index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', shelf)[1])
    assert data["@type"] == "ItemList" and [i["name"] for i in data["itemListElement"]] == [
        "The Lens Makers", "The Keepers", "Fog Signals"]
    collection = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    ids = [item["id"].split("#")[1] for item in collection["first"]["items"]]
    assert collection["total"] == 8 and len(set(ids)) == 8
    assert "keepers/trinity-house" in ids and "lens-makers/trinity-house" in ids, "a shared note once per article"
    assert {item["target"]["source"] for item in collection["first"]["items"]} == {
        "lens-makers/index.html", "keepers/index.html", "fog-signals/index.html"}


def test_an_article_in_its_own_folder_shows_its_images(tmp_path):
    site = fixture(tmp_path)
    page = (site / "fog-signals" / "index.html").read_text(encoding="utf-8")
    src = re.search(r'<img src="(\.\./assets/horn\.[0-9a-f]+\.png)"', page)[1]
    assert (site / "fog-signals" / src).resolve().is_file()


def test_more_than_a_hundred_articles_make_pages_of_a_hundred(tmp_path):
    files = {f"a{n:03d}.md": article(f"Article {n}", f"Text {n}.", f"2000-01-{1 + n % 28:02d}") for n in range(205)}
    done, site = build(tmp_path, files)
    assert done.returncode == 0, done.stderr
    first, second, third = listed(site), listed(site, "page-2.html"), listed(site, "page-3.html")
    assert (len(first), len(second), len(third)) == (100, 100, 5)
    assert len(set(first + second + third)) == 205
    page2 = (site / "page-2.html").read_text(encoding="utf-8")
    assert '<ol class="shelf-list" start="101">' in page2 and 'aria-current="page">2</span>' in page2
    assert 'href="index.html">1</a>' in page2 and 'href="page-3.html">3</a>' in page2


def test_a_shelf_builds_the_same_bytes_every_time(tmp_path):
    assert tree_bytes(fixture(tmp_path / "one")) == tree_bytes(fixture(tmp_path / "two"))


def test_check_counts_the_notes_of_every_article(tmp_path):
    done = run_build("--content", str(SHELF / "content"), "--annotations", str(SHELF / "annotations.yaml"), "--check")
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"ok: 8 notes anchored in \d+ blocks of text of 3 articles\n", done.stdout)
