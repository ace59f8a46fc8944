"""Search on the shipped article, with the queries readers tried on it (issue 10): what they
remembered is found, shown and marked; noise and misses they met are gone.

Publishing your own article? Replace these with queries your readers would try.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_search import RESULTS, labels, search

pytestmark = pytest.mark.browser


def snippet_marks(page) -> list[list[str]]:
    """For each result, the marked words of its label and snippet, lower-cased."""
    return [[m.lower() for m in item.locator("mark").all_text_contents()] for item in page.locator(RESULTS).all()]


@pytest.mark.parametrize(("query", "paragraph"), [("0.9 percent", "Paragraph 9"), ("shoulder to shoulder", "Paragraph 7")])
def test_a_remembered_run_shows_its_own_sentence_with_the_run_marked(view_page, query, paragraph):
    page, _ = view_page(site="article")
    search(page, query)
    assert labels(page)[0] == paragraph
    words = lambda text: re.sub(r"\W+", " ", text).strip()  # noqa: E731 (the article writes "shoulder-to-shoulder")
    assert words(query) in words(" ".join(snippet_marks(page)[0]))


@pytest.mark.parametrize(("query", "start"), [("abe", "abe"), ("counterstrike", "counterstrike"), ("policymakers", "policymaker")])
def test_a_short_or_long_word_brings_only_results_holding_it(view_page, query, start):
    page, _ = view_page(site="article")
    search(page, query)
    marks = snippet_marks(page)
    assert marks, f"{query!r} finds nothing"
    assert all(any(m.startswith(start) for m in item) for item in marks), marks


@pytest.mark.parametrize(("query", "label"), [("Diplomat", "Byline"), ("Richard Solomon", "Byline"),
                                              ("invest more energy", "Standfirst")])
def test_the_title_standfirst_byline_and_authors_note_are_found(view_page, query, label):
    page, _ = view_page(site="article")
    search(page, query)
    assert labels(page)[0] == label


def test_a_query_with_one_word_too_many_falls_back_to_most_of_its_words(view_page):
    page, _ = view_page(site="article")
    search(page, "shinzo abe assassination")
    expect(page.locator("#search-summary")).to_contain_text("most of them")
    assert any("assassinat" in " ".join(item) for item in snippet_marks(page))


@pytest.mark.parametrize(("typo", "word"), [("Kieo", "keio"), ("Japn", "japan")])
def test_a_typo_in_a_short_word_still_finds_it(view_page, typo, word):
    page, _ = view_page(site="article")
    search(page, typo)
    marks = snippet_marks(page)
    assert marks and any(re.match(word, m) for m in marks[0]), marks[:3]
