"""Taking a quote away: select words, copy a link that finds them again (a text fragment and a W3C
TextQuoteSelector), or the words with a citation; permalinks copy too; the citation files."""

import json
import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import DENSE, run_build, select_plain_text


def drag_select(page, block_id: str, words: str):
    """Select words of a block with the mouse, as a reader does; return them as the page holds them."""
    box = page.evaluate("""([id, words]) => { const el = document.getElementById(id); el.scrollIntoView({block: 'center', behavior: 'instant'});
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT); let node, text = '', nodes = [];
        while ((node = walker.nextNode())) { nodes.push([node, text.length]); text += node.data; }
        const at = text.indexOf(words), end = at + words.length;
        const charRect = (offset) => { const [n, s] = nodes.filter(([node, start]) => start <= offset).pop(), r = document.createRange();
          r.setStart(n, offset - s); r.setEnd(n, offset - s + 1); return r.getBoundingClientRect(); };
        const first = charRect(at), last = charRect(end - 1);  // press on the first letter, let go on the last one
        return [first.left + 1, first.top + first.height / 2, last.left + last.width * 0.75, last.top + last.height / 2]; }""", [block_id, words])
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move(box[2], box[3], steps=8)
    page.mouse.up()
    expect(page.locator(".quote-tools")).to_be_visible()
    return page.evaluate("() => String(getSelection())")


def plain_words(page, block_id: str, count: int = 5) -> str:
    """A few words of a block that lie outside any note's anchor (a drag can start on them)."""
    return page.evaluate("""([id, count]) => { const el = document.getElementById(id).cloneNode(true);
        el.querySelectorAll('.anchor').forEach(a => a.replaceWith('\\u0000')); const runs = el.textContent.split('\\u0000');
        const run = runs.sort((a, b) => b.length - a.length)[0].trim().split(/\\s+/); return run.slice(1, 1 + count).join(' '); }""", [block_id, count])


def test_the_quote_tools_load_only_with_the_first_selection(open_page):
    page, _ = open_page(clipboard=True)
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.mouse.move(10, 400)
    assert not any("quote." in url for url in requested)
    drag_select(page, "p-2", plain_words(page, "p-2"))
    assert any("quote." in url for url in requested)


def test_copy_link_to_quote_gives_an_address_that_finds_and_marks_the_words(open_page, browser):
    page, problems = open_page(clipboard=True)
    words = plain_words(page, "p-7", 6)
    assert drag_select(page, "p-7", words) == words
    page.get_by_role("button", name="Copy link to quote").click()
    expect(page.locator("#toast")).to_have_text("Link to the quote copied")
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert "#selector(type=TextQuoteSelector,exact=" in link and ":~:text=" in link
    other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    other.goto(link)
    mark = other.locator("mark.quote-hit")
    expect(mark.first).to_be_visible()
    assert "".join(mark.all_text_contents()) == words
    box = mark.first.bounding_box()
    assert 0 <= box["y"] <= 900, "the page opens scrolled to the words"
    other.context.close()
    assert problems.errors == []


def test_copy_quote_gives_the_words_with_a_citation_as_text_and_as_markdown(view_page):
    page, _ = view_page(clipboard=True)
    words = plain_words(page, "p-4", 5)
    drag_select(page, "p-4", words)
    page.get_by_role("button", name="Copy quote").click()
    expect(page.locator("#toast")).to_have_text("Quote copied")
    plain = page.evaluate("() => navigator.clipboard.readText()")
    title = page.locator("h1").inner_text()
    assert plain.startswith(f"“{words}” — ") and f"“{title}”" in plain and "#selector(" in plain
    page.mouse.click(5, 5)
    drag_select(page, "p-4", words)
    page.get_by_role("button", name="Copy as Markdown").click()
    expect(page.locator("#toast")).to_have_text("Quote copied as Markdown")
    markdown = page.evaluate("() => navigator.clipboard.readText()")
    assert markdown.startswith(f"> {words}\n\n— ") and f"[“{title}”](<" in markdown and markdown.count("](<") == 1


def test_the_tools_are_reached_with_the_keyboard_and_closed_with_escape(view_page):
    page, _ = view_page(clipboard=True)
    select_plain_text(page, "p-3")
    expect(page.locator(".quote-tools")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Copy link to quote"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.textContent") == "Copy quote"
    page.keyboard.press("Escape")
    expect(page.locator(".quote-tools")).to_be_hidden()


def test_on_a_touch_screen_the_tools_sit_below_the_words(view_page):
    page, _ = view_page(width=390, height=844, mobile=True)
    page.locator("#p-2").evaluate("p => p.scrollIntoView({block: 'center', behavior: 'instant'})")
    select_plain_text(page, "p-2", 15)
    tools = page.locator(".quote-tools")
    expect(tools).to_be_visible()
    words = page.evaluate("() => getSelection().getRangeAt(0).getBoundingClientRect().bottom")
    assert tools.bounding_box()["y"] >= words
    assert tools.bounding_box()["x"] >= 0 and tools.bounding_box()["x"] + tools.bounding_box()["width"] <= 390


@pytest.fixture
def edited_site(tmp_path):
    """The fixture built again with its first paragraph changed (words elsewhere than the quote)."""
    content = tmp_path / "content"
    shutil.copytree(DENSE / "content", content)
    article = next(content.glob("*.md"))
    text = article.read_text(encoding="utf-8")
    body_start = text.index("\n---\n", 4) + 5
    first = text[body_start:].lstrip().split("\n\n")[0]
    article.write_text(text.replace(first, "A new opening sentence, added after the link was made. " + first, 1), encoding="utf-8")
    done = run_build("--content", str(content), "--annotations", str(DENSE / "annotations.yaml"), "--out", str(tmp_path / "_site"))
    assert done.returncode == 0, done.stderr
    return tmp_path / "_site"


def test_a_quote_link_survives_an_edit_elsewhere_and_says_when_the_words_are_gone(open_page, edited_site):
    page, _ = open_page(clipboard=True)
    words = plain_words(page, "p-7", 6)
    drag_select(page, "p-7", words)
    page.get_by_role("button", name="Copy link to quote").click()
    expect(page.locator("#toast")).to_have_text("Link to the quote copied")
    link = page.evaluate("() => navigator.clipboard.readText()")
    fragment = link[link.index("#"):]
    edited, problems = open_page(url=(edited_site / "index.html").as_uri() + fragment, wait=False)
    expect(edited.locator("mark.quote-hit").first).to_be_visible()
    assert "".join(edited.locator("mark.quote-hit").all_text_contents()) == words
    gone = fragment.replace("exact=", "exact=Words%20nobody%20wrote%20", 1)
    missing, _ = open_page(url=(edited_site / "index.html").as_uri() + gone, wait=False)
    expect(missing.locator("#quote-notice")).to_have_text(re.compile("not found in the article"))
    assert missing.locator("mark.quote-hit").count() == 0
    assert problems.errors == []


def test_paragraph_and_note_permalinks_copy_their_address_and_say_so(view_page):
    page, _ = view_page(clipboard=True)
    page.locator("#p-3").hover()
    page.locator("#p-3 .permalink").click()
    expect(page.locator("#toast")).to_have_text("Link to paragraph 3 copied")
    assert page.evaluate("() => navigator.clipboard.readText()").endswith("#p-3")
    title_link = page.locator("#notes > .note .note-title a").nth(2)
    title_link.scroll_into_view_if_needed()
    before = page.evaluate("() => scrollY")
    title_link.click()
    expect(page.locator("#toast")).to_have_text("Link to note 3 copied")
    assert page.evaluate("() => navigator.clipboard.readText()").endswith("#" + title_link.get_attribute("href")[1:])
    assert page.evaluate("() => scrollY") == before, "copying a note's link does not move the page"


def test_cite_this_article_offers_bibtex_and_csl_json(view_page, sites):
    page, _ = view_page()
    site = sites["dense"]
    page.get_by_text("Cite this article").click()
    citation = page.locator("#cite-text").inner_text()
    title = page.locator("h1").inner_text()
    assert f"“{title}”" in citation
    assert page.locator("#cite a[href='cite.bib']").is_visible() and page.locator("#cite a[href='cite.json']").is_visible()
    bibtex = (site / "cite.bib").read_text(encoding="utf-8")
    assert re.match(r"@(article|misc)\{\w+,\n  author = \{", bibtex) and bibtex.rstrip().endswith("}")
    (entry,) = json.loads((site / "cite.json").read_text(encoding="utf-8"))
    assert entry["title"] == title and entry["author"]
