"""parse_article: front matter (only title and author required), every kind of block, and errors with lines."""

import pytest

from reader.article import find_content_file, parse_article
from reader.errors import BuildError
from reader.markup import Figure, ListBlock, QuoteBlock, TextBlock, make_markdown
from reader.ui_text import available_languages

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
MINIMAL = '---\ntitle: "T"\nauthor: "A"\n---\n'


def parse(source: str):
    return parse_article(make_markdown(), "content/x.md", source)


def errors(source: str) -> list[str]:
    with pytest.raises(BuildError) as caught:
        parse(source)
    return [str(p) for p in caught.value.problems]


def test_paragraphs_are_numbered_with_exact_text_and_source_lines():
    article = parse(FRONT + "\nFirst “quoted” — dash’s.\n\nSecond *one*.\n")
    assert [(b.index, b.ref, b.text, b.line) for b in article.blocks] == [
        (1, "p-1", "First “quoted” — dash’s.", 12),
        (2, "p-2", "Second one.", 14),
    ]
    assert article.slug == "x"
    assert article.word_count == 5


def test_front_matter_fields_and_author_note_markdown():
    article = parse(FRONT + "\nBody.\n")
    assert (article.title, article.standfirst, article.published, article.lang) == ("T", "S", "2018-09", "en")
    assert article.author_note_html == 'A writes. See <a href="https://example.org/a">the original</a>.'


def test_only_title_and_author_are_required_and_absent_fields_are_none():
    article = parse(MINIMAL + "\nBody.\n")
    assert (article.title, article.author) == ("T", "A")
    assert (article.standfirst, article.column, article.publication, article.published, article.source_url) == (None,) * 5
    assert article.author_note == ()


@pytest.mark.parametrize("published", ['"2018"', "2018", '"2018-09"', '"2018-09-14"', "2018-09-14"])
def test_published_takes_a_year_a_month_or_a_day(published):
    article = parse(MINIMAL.replace("---\n\n", "").replace('author: "A"\n', f'author: "A"\npublished: {published}\n') + "\nB.\n")
    assert article.published == published.strip('"')


@pytest.mark.parametrize(("published", "why", "todo"), [
    ('"2024-02-30"', "February 2024 has 29 days", "correct the day (the last is 2024-02-29)"),
    ("2023-02-29", "February 2023 has 28 days", "correct the day (the last is 2023-02-28)"),
    ('"2024-04-31"', "April 2024 has 30 days", "correct the day (the last is 2024-04-30)"),
    ('"0000"', "there is no year 0", "correct the year"),
])
def test_a_published_date_that_does_not_exist_is_refused(published, why, todo):
    source = MINIMAL.replace('author: "A"\n', f'author: "A"\npublished: {published}\n') + "\nB.\n"
    assert errors(source) == [f"content/x.md:4: 'published' {published.strip(chr(34))} is not a date ({why}); {todo}"]


def with_lang(lang: str) -> str:
    return MINIMAL.replace('author: "A"\n', f'author: "A"\nlang: {lang}\n') + "\nB.\n"


def test_a_language_without_an_interface_file_is_refused_naming_those_there_are():
    with pytest.raises(BuildError) as caught:
        parse_article(make_markdown(), "content/x.md", with_lang("de"), languages=("en", "fr"))
    assert [str(p) for p in caught.value.problems] == [
        "content/x.md:4: lang 'de' has no interface file; available: en, fr (add locales/de.yaml to add one)"
    ]


def test_a_long_list_of_languages_is_cut_short():
    languages = tuple(f"l{n:02}" for n in range(12))
    with pytest.raises(BuildError) as caught:
        parse_article(make_markdown(), "content/x.md", with_lang("de-AT"), languages=languages)
    assert [str(p) for p in caught.value.problems] == [
        f"content/x.md:4: lang 'de-AT' has no interface file; available: {', '.join(languages[:10])} and 2 more "
        "(add locales/de.yaml to add one)"
    ]


def test_a_tag_with_a_region_takes_its_language_file():
    assert parse_article(make_markdown(), "content/x.md", with_lang("fr-CA"), languages=("en", "fr")).lang == "fr-CA"


def test_the_languages_available_are_the_files_in_the_locales_folder(tmp_path):
    for name in ("fr.yaml", "en.yaml", "ja.yaml", "notes.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert available_languages(tmp_path) == ("en", "fr", "ja")


def test_headings_lists_quotes_and_figures_become_blocks_with_ids():
    article = parse(MINIMAL + """
Intro.

## A Section Heading

- one
- *two*

> Quoted.
>
> 1. first

![A picture](images/a.png "The caption")

### Détails, à part
""")
    kinds = [type(node).__name__ for node in article.body]
    assert kinds == ["TextBlock", "TextBlock", "ListBlock", "QuoteBlock", "Figure", "TextBlock"]
    assert [(b.ref, b.kind, b.text) for b in article.blocks] == [
        ("p-1", "paragraph", "Intro."), ("a-section-heading", "heading", "A Section Heading"),
        ("p-2", "item", "one"), ("p-3", "item", "two"), ("p-4", "quote", "Quoted."), ("p-5", "item", "first"),
        ("p-6", "caption", "The caption"), ("details-a-part", "heading", "Détails, à part")]
    quote = article.body[3]
    assert isinstance(quote, QuoteBlock) and isinstance(quote.children[1], ListBlock) and quote.children[1].ordered
    figure = article.body[4]
    assert isinstance(figure, Figure) and (figure.src, figure.alt) == ("images/a.png", "A picture")
    assert isinstance(article.body[5], TextBlock) and article.body[5].level == 3


def test_heading_ids_are_unique_and_never_look_like_paragraph_ids():
    article = parse(MINIMAL + "\n## Notes\n\n## Notes\n\n## P-3 again\n")
    assert [b.ref for b in article.blocks] == ["notes-2", "notes-3", "s-p-3-again"]


def test_missing_front_matter_is_reported_at_line_1():
    assert errors("Just text.\n") == ["content/x.md:1: no front matter; start the file with a '---' block holding at least title: and author:"]


def test_missing_and_unknown_fields_are_all_reported():
    source = FRONT.replace('author: "A"\n', "").replace('column: "C"\n', 'colum: "C"\n') + "\nBody.\n"
    assert errors(source) == [
        "content/x.md:1: front matter lacks 'author'; add author: \"Author Name\"",
        "content/x.md:4: unknown front matter field 'colum'; did you mean 'column'?",
    ]


def test_bad_published_and_source_url_name_their_lines():
    source = FRONT.replace('"2018-09"', '"Sept 2018"').replace('source_url: "https://', 'source_url: "ftp://') + "\nBody.\n"
    assert errors(source) == [
        "content/x.md:8: 'published' must be a date written YYYY, YYYY-MM or YYYY-MM-DD; write it like \"2018-09\" or \"2018-09-14\"",
        "content/x.md:9: 'source_url' must be a web address; start it with https://",
    ]


def test_broken_front_matter_yaml_names_the_line():
    source = FRONT.replace('column: "C"', 'column: "C') + "\nBody.\n"
    (message,) = errors(source)
    assert message.startswith("content/x.md:5: front matter is not valid YAML (") and message.endswith("near this line")


def test_empty_body_is_an_error():
    assert errors(FRONT) == ["content/x.md: the article has no text; write the body after the front matter"]


def test_markdown_the_page_cannot_show_is_refused_with_lines():
    assert errors(MINIMAL + "\nText.\n\n# Title again\n\n| a |\n|---|\n| 1 |\n\n<div>x</div>\n\nA <b>b</b>.\n\n```\ncode\n```\n") == [
        "content/x.md:8: a level-1 heading (# …) is not allowed: the title is the page's only one; use ## for sections",
        "content/x.md:10: tables are not supported; give the figures in a list or in a paragraph",
        "content/x.md:14: raw HTML is not published; write it in Markdown, or delete it",
        "content/x.md:16: raw HTML is not published; write it in Markdown, or delete it",
        "content/x.md:18: code blocks are not supported; write the text as a paragraph",
    ]


def test_escaped_markup_is_text():
    article = parse(MINIMAL + "\nA \\<script>alert(1)\\</script> b.\n")
    assert article.blocks[0].text == "A <script>alert(1)</script> b."
    assert [p.tag for p in article.blocks[0].pieces if p.tag] == []


def test_images_need_alt_text_and_a_local_file():
    assert errors(MINIMAL + "\n![](a.png)\n\n![Remote](https://x.org/a.png)\n\nWords ![inline](a.png) here.\n") == [
        "content/x.md:6: image 'a.png' has no alt text; describe what it shows: ![a short description](a.png)",
        "content/x.md:8: image 'https://x.org/a.png' is not a file beside the article; save it under content/ and write its path, "
        "e.g. ![…](images/photo.jpg)",
        "content/x.md:10: an image must stand alone in its paragraph; put it on a line of its own",
    ]


def test_unsafe_links_in_the_body_are_errors():
    assert errors(FRONT + "\nSee [this](javascript:alert(1)).\n") == [
        "content/x.md:12: link 'javascript:alert(1)' is not allowed; use a full https:// address (or mailto:, or #p-N)"
    ]


def test_a_content_folder_of_a_thousand_articles_names_a_few_then_counts_the_rest(tmp_path):
    for n in range(1000):
        (tmp_path / f"a{n:04}.md").write_text("", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        find_content_file(tmp_path)
    named = ", ".join(f"a{n:04}.md" for n in range(10))
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}: found 1000 articles ({named} and 990 more); the site shows one, so keep one .md file here"
    ]
