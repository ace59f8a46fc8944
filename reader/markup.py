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


@dataclass(frozen=True)
class Prose:
    """Markdown prose (a note's body) as paragraphs of inline pieces."""

    paragraphs: tuple[tuple[Piece, ...], ...]

    @property
    def text(self) -> str:
        """The text a reader sees: paragraphs one line apart, as the page's markup puts them."""
        return "\n".join(pieces_text(p) for p in self.paragraphs)


def parse_prose(md: MarkdownIt, source: str) -> tuple[Prose, list[str]]:
    """Parse Markdown made of paragraphs; return (prose, problems: bad links or other blocks)."""
    tokens = md.parse(source)
    problems = link_problems(tokens)
    paragraphs = []
    for i, token in enumerate(tokens):
        if token.level == 0 and token.nesting >= 0 and token.type != "paragraph_open" and token.type != "inline":
            what = token.type.removesuffix("_open").replace("_", " ")
            problems.append(f"holds a {what}; a note's body is made of plain paragraphs, so rewrite it as one")
        elif token.type == "inline" and tokens[i - 1].type == "paragraph_open" and token.level == 1:
            paragraphs.append(inline_pieces(token.children or []))
    return Prose(tuple(paragraphs)), sorted(set(problems), key=problems.index)


# A sentence ends at . ! or ? (and any closing quotes or brackets) before white space and a capital
# or a digit; not after an initial (U.S.) or a common abbreviation (Dr., e.g.).
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)\]]*(\s+)(?=[\"\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr no nos vs gen lt col sen rep gov prof inc ltd co corp mt ft "
                          "jan feb mar apr aug sep sept oct nov dec e.g i.e etc approx cf fig vol".split())


def first_sentence_end(text: str) -> int | None:
    """Return the offset where text's second sentence starts, or None when it is one sentence."""
    for match in _SENTENCE_END.finditer(text):
        before = _WORD_BEFORE.search(text, 0, match.start())
        word = before[1].lstrip("(\"\u201c\u2018") if before else ""
        if text[match.start()] == "." and (_INITIALS.fullmatch(word) or word.lower() in ABBREVIATIONS):
            continue
        return match.end()
    return None


def split_pieces(pieces: Sequence[Piece], at: int) -> tuple[tuple[Piece, ...], tuple[Piece, ...]] | None:
    """Split pieces at a text offset; None when the offset falls inside formatting or a link."""
    left: list[Piece] = []
    offset = depth = 0
    for i, piece in enumerate(pieces):
        if piece.tag:
            if offset >= at and depth == 0:
                return tuple(left), tuple(pieces[i:])
            depth += piece.nesting
            left.append(piece)
            continue
        if offset + len(piece.text) > at or (offset + len(piece.text) == at and depth == 0):
            if depth:
                return None
            cut = at - offset
            head, tail = piece.text[:cut], piece.text[cut:]
            rest = ((Piece(text=tail),) if tail else ()) + tuple(pieces[i + 1:])
            return tuple(left) + ((Piece(text=head),) if head else ()), rest
        offset += len(piece.text)
        left.append(piece)
    return None


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
    return f'<a href="{html.escape(href)}">'


def _walk(tokens: Iterable[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
