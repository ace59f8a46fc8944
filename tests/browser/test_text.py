"""The text as a reader takes it: the page's words are the article's words, whatever the reader
does with them (select, copy, read aloud, reader mode, print), on both sites."""

import json
import re

import pytest

from reader.article import parse_article
from reader.markup import make_markdown
from tests.conftest import ALL_SITES, DENSE, ROOT, SCRIPTS, SECOND, TINY_FRONT_MATTER, node_script, run_build

SITES = ALL_SITES
CONTENT = {"article": ROOT / "content", "second": SECOND / "content", "dense": DENSE / "content",
           **{name: folder / "content" for name, folder in SCRIPTS.items()}}


def article_of(site: str):
    path = next(CONTENT[site].glob("*.md"))
    return parse_article(make_markdown(), str(path), path.read_text(encoding="utf-8"))


BLOCK_TEXTS = "() => [...document.querySelectorAll('#article-body .para')].map(el => [el.id, el.textContent])"


@pytest.mark.parametrize("site", SITES)
def test_every_block_on_the_page_holds_exactly_its_words(view_page, site):
    page, problems = view_page(site=site)
    expected = [[block.ref, block.text] for block in article_of(site).blocks]
    assert page.evaluate(BLOCK_TEXTS) == expected
    assert problems.errors == [] and problems.offsite == []


def select_and_copy(page, script: str) -> str:
    page.evaluate(script)
    page.keyboard.press("Control+C")
    return page.evaluate("() => navigator.clipboard.readText()")


@pytest.mark.parametrize("site", SITES)
def test_copying_the_whole_text_gives_the_words_as_published(view_page, site):
    page, _ = view_page(site=site, clipboard=True)
    copied = select_and_copy(page, """() => { const body = document.getElementById('article-body'), r = document.createRange();
        r.selectNodeContents(body); getSelection().removeAllRanges(); getSelection().addRange(r); }""")
    article = article_of(site)
    # Chromium puts line breaks between blocks, and an image's alt text where it stands; the words are the article's, in order.
    alts = {figure.alt for figure in article.figures}
    lines = [line for line in copied.splitlines() if line.strip() and line not in alts]
    assert lines == [block.text for block in article.blocks]


def test_triple_click_selects_a_whole_annotated_paragraph_and_copies_it_clean(view_page):
    page, _ = view_page(clipboard=True)
    annotated = page.evaluate("() => [...document.querySelectorAll('#article-body p.para')].find(p => p.querySelectorAll('.anchor').length >= 2).id")
    paragraph = page.locator(f"#{annotated}")
    paragraph.scroll_into_view_if_needed()
    box = paragraph.bounding_box()
    page.mouse.click(box["x"] + 5, box["y"] + 8, click_count=3)
    page.keyboard.press("Control+C")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == paragraph.text_content()
    assert not re.search(r"\bnote\d|Paragraph \d", copied)


def test_a_sentence_dragged_over_copies_as_its_words(view_page):
    page, _ = view_page(clipboard=True)
    words = page.evaluate("""() => { const a = document.querySelector('#article-body .anchor');
        a.scrollIntoView({block: 'center', behavior: 'instant'});
        const text = a.closest('.para').textContent, at = text.indexOf(a.textContent);
        return [a.textContent, text.slice(at, at + a.textContent.length + 12)]; }""")
    anchor = page.locator("#article-body .anchor").first
    box = anchor.bounding_box()
    page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] + 40, box["y"] + box["height"] / 2, steps=6)
    page.mouse.up()
    page.keyboard.press("Control+C")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert words[1].startswith(copied) and copied.startswith(words[0]), (copied, words)


def ax_nodes(page) -> list[dict]:
    return page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]


@pytest.mark.parametrize("site", SITES)
def test_screen_readers_hear_each_note_once_and_its_title_as_a_description(view_page, site):
    page, _ = view_page(site=site)
    nodes = ax_nodes(page)
    refs = [n for n in nodes if n.get("role", {}).get("value") == "doc-noteref"]
    notes = page.evaluate("""() => [...document.querySelectorAll('#notes > .note')].map(n => ({
        id: n.id, title: n.querySelector('.note-title').textContent,
        words: document.getElementById('ref-' + n.id.slice(5)).textContent}))""")
    assert len(refs) == len(notes) > 0
    described = sorted((n.get("name", {}).get("value"), n.get("description", {}).get("value")) for n in refs)
    expected = sorted((note["words"] or f"Note {i}", note["title"]) for i, note in enumerate(notes, 1))
    assert [d for _, d in described] == [d for _, d in expected]  # every anchor describes its note by the title
    regions = {n.get("name", {}).get("value") for n in nodes if n.get("role", {}).get("value") == "region"}
    assert {note["title"] for note in notes} <= regions  # each note is a region named by its title
    # Nothing is spliced into the sentences: a paragraph's accessible text is its words.
    texts = page.evaluate("() => [...document.querySelectorAll('#article-body p.para')].map(p => p.innerText)")
    assert not any(re.search(r"Paragraph \d|, note \d", t) for t in texts)


def test_note_titles_are_headings_under_one_heading_for_the_notes(view_page):
    page, _ = view_page()
    levels = page.evaluate("() => [...document.querySelectorAll('h1, h2, h3')].map(h => [h.tagName, h.textContent])")
    assert levels[0][0] == "H1" and ["H2", "Editor’s notes"] in levels
    after = levels[levels.index(["H2", "Editor’s notes"]) + 1:]
    titles = page.evaluate("() => [...document.querySelectorAll('#notes .note-title')].map(h => h.textContent)")
    assert [text for tag, text in after if tag == "H3"][:len(titles)] == titles


@pytest.mark.parametrize("site", SITES)
def test_reader_mode_keeps_the_clean_text_and_the_notes_with_no_dead_links(sites, site):
    html = (sites[site] / "index.html").read_text(encoding="utf-8")
    extracted = json.loads(node_script("tests/js/readability.cjs", stdin=html))
    text = extracted["textContent"]
    for block in article_of(site).blocks:
        assert block.text in text, block.ref
    assert not re.search(r"Paragraph \d|, note \d", text)
    notes = re.findall(r'<section class="note" id="(note-[^"]+)"', html)
    content = extracted["content"]
    assert notes and all(f'id="{note_id}"' in content for note_id in notes), "reader mode dropped notes"
    targets = set(re.findall(r'href="#([^"]+)"', content))
    ids = set(re.findall(r' id="([^"]+)"', content))
    assert {t for t in targets if t.startswith("note-")} <= ids, "reader mode has #note- links to nothing"


def test_reader_mode_keeps_the_notes_of_a_long_article_of_any_shape(tmp_path):
    # A long text with headings (so a contents list), a list and a quote, and short notes: Readability scores
    # the text far above the notes, and keeps a sibling of the text it chose only when it shares its class.
    filler = "\n\n".join(f"Paragraph {i} of the filler, long enough to weigh, with commas, words and more words." for i in range(30))
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "long.md").write_text(TINY_FRONT_MATTER + "Short opening words.\n\n## One\n\n- a list item\n- another item\n\n"
                                                   "## Two\n\n> A quoted passage.\n\n## Three\n\n" + filler + "\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text(
        "- id: opening\n  quote: Short opening\n  kind: term\n  title: Opening\n  body: A short note.\n"
        "  sources: [{title: S, url: 'https://example.org/s'}]\n", encoding="utf-8")
    out = tmp_path / "site"
    assert run_build("--content", str(tmp_path / "content"), "--annotations", str(tmp_path / "notes.yaml"), "--out", str(out)).returncode == 0
    content = json.loads(node_script("tests/js/readability.cjs", stdin=(out / "index.html").read_text(encoding="utf-8")))["content"]
    assert 'id="p-33"' in content and 'id="note-opening"' in content, "reader mode dropped the note"


def test_printing_shows_every_note_whole_after_the_text(view_page):
    page, _ = view_page(width=1024)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('#notes > .note')].map(n =>
        getComputedStyle(n).display !== 'none' && [...n.querySelectorAll('.note-rest, .note-meta')].every(p => p.getBoundingClientRect().height > 0))""")
    assert shown and all(shown)
    assert page.locator("#toolbar").evaluate("el => getComputedStyle(el).display") == "none"
    first_note = page.locator("#notes > .note").first.bounding_box()["y"]
    last_block = page.locator("#article-body .para").last.bounding_box()
    assert first_note > last_block["y"], "notes print after the text"


def test_without_javascript_notes_are_endnotes_after_the_text(view_page):
    page, _ = view_page(javascript=False)
    assert page.locator("#toolbar").is_hidden()
    notes = page.locator("#notes > .note")
    assert notes.count() > 0 and all(notes.nth(i).is_visible() for i in range(notes.count()))
    assert notes.first.bounding_box()["y"] > page.locator("#article-body .para").last.bounding_box()["y"]


@pytest.mark.parametrize("site", SITES)
def test_works_opened_straight_from_disk(open_page, sites, site):
    page, problems = open_page(url=(sites[site] / "index.html").as_uri())
    assert page.locator("#search").is_visible()
    assert page.evaluate("() => document.documentElement.classList.contains('notes-placed')")
    page.locator("#search-input").click()
    title = article_of(site).title
    word = title.split()[1] if " " in title else title[2:5]  # a word of the title (of a CJK one, three chars)
    page.keyboard.type(word)
    page.wait_for_selector("#search-results [role=option]")
    assert problems.errors == [] and problems.offsite == []


def test_a_permalink_shows_on_focus_and_opening_a_paragraph_address_marks_it(view_page, site_url):
    page, problems = view_page()
    link = page.locator("#p-5 .permalink")
    assert link.evaluate("el => getComputedStyle(el).opacity") == "0"
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"
    page.goto(site_url + "#p-4")
    box = page.locator("#p-4").bounding_box()
    assert 0 <= box["y"] < 300
    assert page.evaluate("() => document.querySelector('#p-4').matches(':target')")
    assert problems.errors == []


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("width", [320, 390])
def test_no_horizontal_scroll_on_phones(view_page, site, width):
    page, _ = view_page(site=site, width=width, height=800, mobile=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_the_dark_scheme_changes_the_palette(view_page):
    page, _ = view_page(scheme="dark")
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(20, 21, 23)"
