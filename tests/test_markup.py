"""Markdown policy and inline rendering with anchors."""

import pytest

from reader.markup import Span, inline_pieces, link_problem, make_markdown, pieces_text, render_pieces, span_problem

MD = make_markdown()


def pieces(source: str):
    return inline_pieces(MD.parseInline(source)[0].children)


def test_text_and_tags_split_cleanly():
    p = pieces("A *b* [c](https://x.org) `d`")
    assert pieces_text(p) == "A b c d"
    assert render_pieces(p) == 'A <em>b</em> <a href="https://x.org">c</a> <code>d</code>'


def test_spans_wrap_text_and_escape_it():
    p = pieces("x < y & z")
    assert render_pieces(p, [Span(0, 1, "<i>", "</i>"), Span(4, 5, "<b>", "</b>")]) == "<i>x</i> &lt; <b>y</b> &amp; z"


def test_a_span_wraps_whole_formatting_at_its_edges():
    p = pieces("one *two* three")
    assert render_pieces(p, [Span(4, 7, "[", "]")]) == "one [<em>two</em>] three"
    assert render_pieces(p, [Span(0, 7, "[", "]")]) == "[one <em>two</em>] three"


@pytest.mark.parametrize("start, end, fits", [(4, 7, True), (0, 13, True), (5, 13, False), (0, 5, False), (8, 13, True)])
def test_span_fits_only_when_nesting_stays_valid(start, end, fits):
    assert (span_problem(pieces("one *two* three"), start, end) is None) is fits


def test_a_span_may_not_hold_a_link():
    assert span_problem(pieces("see [the link](https://x.org) here"), 0, 17).startswith("contains a link")
    assert span_problem(pieces("see [the link](https://x.org) here"), 4, 12).startswith("contains a link")


@pytest.mark.parametrize("href, allowed", [
    ("https://x.org", True), ("http://x.org", True), ("mailto:a@b.org", True), ("#p-3", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,x", False),
    ("//evil.org", False), ("relative/page.html", False), ("vbscript:x", False), ("#", False),
])
def test_link_policy(href, allowed):
    assert (link_problem(href) is None) is allowed
