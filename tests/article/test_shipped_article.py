"""Checks about the article this repository ships, not the reader: its exact text, its front
matter and its notes, and the weight and layout promises made for it.

Publishing your own article? Replace this folder's checks with your own (see README, "Publish
your own article"); every other test runs on its own fixtures and passes with any valid article.
"""

import re

import pytest

from bench.weights import BUDGETS, page_weights, report
from reader.article import parse_article
from reader.markup import make_markdown
from reader.notes import load_annotations, load_schema
from tests.conftest import ROOT

SEED = ROOT / "tests" / "fixtures" / "source-article.txt"  # the scraped source page, as received
ARTICLE_FILE = ROOT / "content" / "japan-must-do-more.md"


def source_paragraphs() -> list[str]:
    """The 12 body paragraphs of the scraped source, furniture dropped (a no-break space may become a space)."""
    blocks = SEED.read_text(encoding="utf-8").split("\n\n")
    start = next(i for i, b in enumerate(blocks) if b.startswith("The U.S.-Japan security alliance"))
    return [b.replace("\u00a0", " ") for b in blocks[start:start + 12]]


def test_all_twelve_paragraphs_match_the_source_exactly():
    article = parse_article(make_markdown(), str(ARTICLE_FILE), ARTICLE_FILE.read_text(encoding="utf-8"))
    assert [block.text for block in article.blocks] == source_paragraphs()
    assert [block.ref for block in article.blocks] == [f"p-{n}" for n in range(1, 13)]


def test_the_front_matter_carries_the_articles_facts():
    article = parse_article(make_markdown(), str(ARTICLE_FILE), ARTICLE_FILE.read_text(encoding="utf-8"))
    assert (article.title, article.author, article.column, article.publication, article.published) == (
        "Japan Must Do More to Support the US-Japan Alliance", "Richard Solomon", "Tokyo Report", "The Diplomat", "2018-09")
    assert article.standfirst == "In uncertain times, Japan will have to invest more energy in a long-standing partnership."
    assert article.source_url == "https://thediplomat.com/2018/09/japan-must-do-more-to-support-the-us-japan-alliance/"
    assert article.author_note_text.startswith("Richard Solomon is an author, publisher and spokesman on contemporary Japan.")


def test_every_note_names_its_sources_by_publisher_and_date_and_says_when_it_was_checked():
    notes = load_annotations("annotations.yaml", (ROOT / "annotations.yaml").read_bytes(), make_markdown(), load_schema())
    assert len(notes) == 23
    for note in notes:
        assert note.updated and note.editor, note.id
        for source in note.sources:
            # "Publisher: title (date)"; a copy that carries no date says so ("undated").
            assert re.match(r"^[^:]+: .+", source.title), (note.id, source.title)
            assert re.search(r"\b(19|20)\d\d\b|undated", source.title), (note.id, source.title)
            assert source.url.startswith("https://") or source.url.startswith("http://"), source.url


def test_the_page_keeps_its_weight_budgets(site):
    weights = page_weights(site)
    print("\n" + report(weights))
    for part, budget in BUDGETS.items():
        assert weights[f"{part}_gz"] <= budget, f"{part}: {weights[part + '_gz']} bytes gzipped, budget {budget}"


BOXES = """() => [...document.querySelectorAll('#notes > .note')].map(n => ({
  short: n.classList.contains('is-short'),
  shift: n.getBoundingClientRect().top - document.getElementById('ref-' + n.id.slice(5)).getBoundingClientRect().top}))"""


# Notes shortened on wide screens, as measured: the first half of the article holds 16 of its 23 notes,
# and in Liberation's narrower letters (Times metrics) its text is shorter, so at 1440 px one note
# keeps only its first sentence (bench/layout.py prints every width under both font sets).
SHORTENED = {("liberation", 1440): 1, ("dejavu", 1440): 0, ("liberation", 1920): 0, ("dejavu", 1920): 0}


@pytest.mark.browser
@pytest.mark.parametrize("fonts, width", list(SHORTENED))
def test_on_wide_screens_notes_show_whole_within_300_px_of_their_words(view_page, fonts, width):
    page, _ = view_page(width=width, site="article", fonts=fonts)
    boxes = page.evaluate(BOXES)
    assert len(boxes) == 23
    assert len([b for b in boxes if b["short"]]) <= SHORTENED[fonts, width]
    assert max(b["shift"] for b in boxes) <= 300


def test_annotations_yaml_points_editors_at_the_schema():
    first_line = (ROOT / "annotations.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./annotations.schema.json"
