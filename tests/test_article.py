"""parse_article: front matter, paragraphs, ids, and errors with line numbers."""

import pytest

from reader.article import parse_article
from reader.errors import BuildError
from reader.markup import make_markdown

FRONT = """---
title: "T"
standfirst: "S"
column: "C"
author: "A"
author_note: "A writes. See [the original](https://example.org/a)."
publication: "P"
published: "2018-09"
source_url: "https://example.org/a"
---
"""


def parse(source: str):
    return parse_article(make_markdown(), "content/x.md", source)


def errors(source: str) -> list[str]:
    with pytest.raises(BuildError) as caught:
        parse(source)
    return [str(p) for p in caught.value.problems]


def test_paragraphs_are_numbered_with_exact_text_and_source_lines():
    article = parse(FRONT + "\nFirst “quoted” — dash’s.\n\nSecond *one*.\n")
    assert [(p.number, p.text, p.line) for p in article.paragraphs] == [
        (1, "First “quoted” — dash’s.", 12),
        (2, "Second one.", 14),
    ]
    assert article.slug == "x"
    assert article.word_count == 5


def test_front_matter_fields_and_author_note_markdown():
    article = parse(FRONT + "\nBody.\n")
    assert (article.title, article.standfirst, article.published, article.lang) == ("T", "S", "2018-09", "en")
    assert article.author_note_html == 'A writes. See <a href="https://example.org/a">the original</a>.'


def test_raw_html_in_the_body_stays_text():
    article = parse(FRONT + "\nA <script>alert(1)</script> b.\n")
    assert article.paragraphs[0].text == "A <script>alert(1)</script> b."
    assert [p.tag for p in article.paragraphs[0].pieces if p.tag] == []


def test_missing_front_matter_is_reported_at_line_1():
    assert errors("Just text.\n") == ["content/x.md:1: no front matter; start the file with a '---' block holding title, standfirst, author ..."]


def test_missing_and_unknown_fields_are_all_reported():
    source = FRONT.replace('standfirst: "S"\n', "").replace('column: "C"\n', 'colum: "C"\n') + "\nBody.\n"
    assert errors(source) == [
        "content/x.md:1: front matter lacks 'standfirst'; add the one-sentence summary under the headline",
        "content/x.md:1: front matter lacks 'column'; add the column name shown above the headline",
        "content/x.md:3: unknown front matter field 'colum'; use one of title, standfirst, column, author, author_note, publication, published, source_url, lang",
    ]


def test_bad_published_and_source_url_name_their_lines():
    source = FRONT.replace('"2018-09"', '"Sept 2018"').replace('source_url: "https://', 'source_url: "ftp://') + "\nBody.\n"
    assert errors(source) == [
        "content/x.md:8: 'published' must be YYYY-MM; write it like \"2018-09\"",
        "content/x.md:9: 'source_url' must be a web address; start it with https://",
    ]


def test_broken_front_matter_yaml_names_the_line():
    source = FRONT.replace('column: "C"', 'column: "C') + "\nBody.\n"
    (message,) = errors(source)
    assert message.startswith("content/x.md:") and "front matter is not valid YAML" in message


def test_empty_body_is_an_error():
    assert errors(FRONT) == ["content/x.md: the article has no paragraphs; write the body after the front matter"]


def test_lists_and_quotes_in_the_body_are_errors_with_lines():
    assert errors(FRONT + "\nText.\n\n- a list\n\n> a quote\n") == [
        "content/x.md:14: the body may hold only plain paragraphs, found a bullet list; rewrite it as a paragraph",
        "content/x.md:16: the body may hold only plain paragraphs, found a blockquote; rewrite it as a paragraph",
    ]


def test_unsafe_links_in_the_body_are_errors():
    assert errors(FRONT + "\nSee [this](javascript:alert(1)).\n") == [
        "content/x.md:12: link 'javascript:alert(1)' is not allowed; use a full https:// address (or mailto:, or #p-N)"
    ]
