"""Markdown with raw HTML off, a strict link policy, and inline text that can carry anchors."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

SAFE_SCHEMES = ("http://", "https://", "mailto:")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Piece:
    """A run of plain text, or one safe tag (nesting +1 opens, -1 closes, 0 stands alone)."""

    text: str = ""
    tag: str = ""
    nesting: int = 0


@dataclass(frozen=True)
class Span:
    """Markup to wrap around the text between two offsets of a paragraph."""

    start: int
    end: int
    open_html: str
    close_html: str


def make_markdown() -> MarkdownIt:
    """Return the one Markdown parser: CommonMark, raw HTML off, no images or headings."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.use(front_matter_plugin)
    md.disable(["image", "heading", "lheading", "html_block", "html_inline"])
    # Accept every link at parse time so link_problems() can name the bad one,
    # instead of markdown-it silently leaving it as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.add_render_rule("link_open", _render_link_open)
    return md


def link_problem(href: str) -> str | None:
    """Return why a link may not be published, or None when it may."""
    if href.startswith(SAFE_SCHEMES) or re.fullmatch(r"#[A-Za-z][\w-]*", href):
        return None
    return f"link '{href}' is not allowed; use a full https:// address (or mailto:, or #p-N)"


def link_problems(tokens: Iterable[Token]) -> list[str]:
    """Return one message per disallowed link in a token stream."""
    found = []
    for token in _walk(tokens):
        if token.type == "link_open":
            problem = link_problem(str(token.attrGet("href") or ""))
            if problem:
                found.append(problem)
    return found


def render_block_markdown(md: MarkdownIt, source: str) -> tuple[str, str, list[str]]:
    """Render Markdown prose; return (html, plain text as the DOM will read it, link problems)."""
    tokens = md.parse(source)
    problems = link_problems(tokens)
    if problems:
        return "", "", problems
    rendered = md.renderer.render(tokens, md.options, {})
    return rendered, html.unescape(_TAG.sub("", rendered)), []


def render_inline_markdown(md: MarkdownIt, source: str) -> tuple[str, list[str]]:
    """Render one line of Markdown without the wrapping <p>; return (html, link problems)."""
    tokens = md.parseInline(source)
    problems = link_problems(tokens)
    return ("" if problems else md.renderer.render(tokens, md.options, {})), problems


def inline_pieces(children: Sequence[Token]) -> tuple[Piece, ...]:
    """Turn markdown-it inline tokens into text pieces and safe tags."""
    pieces: list[Piece] = []
    for token in children:
        if token.type == "text":
            pieces.append(Piece(text=token.content))
        elif token.type == "softbreak":
            pieces.append(Piece(text="\n"))
        elif token.type == "hardbreak":
            pieces.append(Piece(tag="<br>"))
        elif token.type == "code_inline":
            pieces += [Piece(tag="<code>", nesting=1), Piece(text=token.content), Piece(tag="</code>", nesting=-1)]
        elif token.type == "link_open":
            pieces.append(Piece(tag=_link_tag(str(token.attrGet("href") or "")), nesting=1))
        elif token.nesting == 1:
            pieces.append(Piece(tag=f"<{token.tag}>", nesting=1))
        elif token.nesting == -1:
            pieces.append(Piece(tag=f"</{token.tag}>", nesting=-1))
    return tuple(pieces)


def pieces_text(pieces: Iterable[Piece]) -> str:
    """Return the plain text a reader sees."""
    return "".join(p.text for p in pieces)


def span_problem(pieces: Sequence[Piece], start: int, end: int) -> str | None:
    """Say why [start, end) cannot be wrapped in an anchor link, or None when it can."""
    events = list(_events(pieces, [Span(start, end, "", "")]))
    edge_depths = [depth for kind, depth, _ in events if kind in ("open", "close")]
    inner = [(depth, tag) for kind, depth, tag in events if kind == "inside"]
    if any(tag.startswith("<a ") for _, tag in inner):
        return "contains a link, and a note's anchor cannot hold a link; shorten the quote to leave the link out"
    if edge_depths[0] != edge_depths[1] or min((d for d, _ in inner), default=edge_depths[0]) < edge_depths[0]:
        return "starts inside formatting (emphasis or a link) and ends outside it; widen or narrow it to whole formatted words"
    return None


def render_pieces(pieces: Sequence[Piece], spans: Sequence[Span] = ()) -> str:
    """Return the HTML of the pieces, with each span's markup wrapped around its text."""
    out = []
    for kind, _, value in _events(pieces, sorted(spans, key=lambda s: s.start)):
        out.append(value if kind != "text" else html.escape(value, quote=False))
    return "".join(out)


def _events(pieces: Sequence[Piece], spans: Sequence[Span]):
    """Yield (kind, depth, html-or-text) in document order, span marks slotted between tags.

    At one offset the order is: closing tags, span closes, span opens, opening tags; so a
    span wraps tags that start or end exactly at its edges instead of crossing them.
    """
    edges = sorted([(s.end, 0, s.close_html) for s in spans] + [(s.start, 1, s.open_html) for s in spans])
    offset = depth = i = 0
    open_spans = 0

    def flush(upto: int):
        nonlocal i, open_spans
        while i < len(edges) and edges[i][0] <= upto:
            at, is_open, markup = edges[i]
            open_spans += 1 if is_open else -1
            yield ("open" if is_open else "close"), depth, markup
            i += 1

    for piece in pieces:
        if piece.tag and piece.nesting >= 0:
            yield from flush(offset)
        if piece.tag:
            depth += piece.nesting
            yield ("inside" if open_spans else "piece"), depth, piece.tag
            continue
        text = piece.text
        while text:
            if i < len(edges) and edges[i][0] < offset + len(text):
                cut = max(edges[i][0] - offset, 0)
                if cut:
                    yield "text", depth, text[:cut]
                offset += cut
                text = text[cut:]
                yield from flush(offset)
            else:
                yield "text", depth, text
                offset += len(text)
                text = ""
    yield from flush(offset + 1)


def _render_link_open(renderer, tokens, idx, options, env) -> str:
    return _link_tag(str(tokens[idx].attrGet("href") or ""))


def _link_tag(href: str) -> str:
    external = href.startswith(("http://", "https://"))
    rel = ' rel="noopener"' if external else ""
    return f'<a href="{html.escape(href)}"{rel}>'


def _walk(tokens: Iterable[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
