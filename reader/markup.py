"""Markdown with raw HTML refused, a strict link policy, and text that can carry anchors.

The article's body becomes a small tree of blocks (paragraphs, headings, lists, block quotes,
figures); every block that holds text keeps its inline content as pieces, from which both its
HTML and its plain text (what search indexes and anchors point into) are made.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
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
    """Markup to wrap around the text between two offsets of a block."""

    start: int
    end: int
    open_html: str
    close_html: str


@dataclass(frozen=True)
class TextBlock:
    """A block that holds text: a paragraph, a heading, a list item, a quoted paragraph or a caption.

    `index` counts every text block from 1 (what anchoring refers to); `ref` is its element id:
    p-N for all but headings (N counts those), a slug of its words for headings.
    """

    index: int
    ref: str
    kind: str
    pieces: tuple[Piece, ...]
    line: int
    level: int = 0

    @property
    def text(self) -> str:
        """The text a reader sees (and can select, copy and search)."""
        return pieces_text(self.pieces)

    @property
    def label(self) -> str:
        """How messages name the block: ¶3, or the heading's words."""
        return f"\u00b6{self.ref[2:]}" if self.kind != "heading" else f"heading \u201c{self.text}\u201d"


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list of one-paragraph items."""

    ordered: bool
    start: int
    items: tuple[TextBlock, ...]


@dataclass(frozen=True)
class QuoteBlock:
    """A block quote: paragraphs and lists."""

    children: tuple[TextBlock | ListBlock, ...]


@dataclass(frozen=True)
class Figure:
    """An image standing alone in its paragraph, with its alt text and an optional caption."""

    src: str
    alt: str
    line: int
    caption: TextBlock | None


Node = TextBlock | ListBlock | QuoteBlock | Figure


@dataclass(frozen=True)
class Prose:
    """Markdown prose (a note's body) as paragraphs of inline pieces."""

    paragraphs: tuple[tuple[Piece, ...], ...]

    @property
    def text(self) -> str:
        """The text a reader sees: paragraphs one line apart, as the page's markup puts them."""
        return "\n".join(pieces_text(p) for p in self.paragraphs)


def make_markdown() -> MarkdownIt:
    """Return the one Markdown parser: CommonMark, plus the syntax we must recognise to refuse."""
    # Raw HTML, tables and footnotes are parsed only so that they can be refused by name and line.
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    # Accept every link at parse time so link_problems() can name the bad one,
    # instead of markdown-it silently leaving it as text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


# A link from a note to another article of the shelf: its address, and optionally #p-N or #note-id.
ARTICLE_LINK = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)(#[A-Za-z][\w-]*)?")
# ...as the page writes it: every page that shows a note sits one folder down, beside the articles'.
ARTICLE_HREF = re.compile(r'<a href="\.\./([a-z0-9-]+)/index\.html(#[A-Za-z][\w-]*)?">')


def link_problem(href: str, articles: bool = False) -> str | None:
    """Return why a link may not be published, or None when it may (articles: a note's link to another
    article of the shelf by its address may be)."""
    if href.startswith(SAFE_SCHEMES) or re.fullmatch(r"#[A-Za-z][\w-]*", href):
        return None
    if articles and ARTICLE_LINK.fullmatch(href):
        return None
    other = ", or an article's address such as other-article#p-3" if articles else ""
    return f"link '{href}' is not allowed; use a full https:// address (or mailto:, or #p-N{other})"


def link_problems(tokens: Iterable[Token], articles: bool = False) -> list[str]:
    """Return one message per disallowed link in a token stream."""
    return [
        problem
        for token in _walk(tokens)
        if token.type == "link_open"
        for problem in [link_problem(str(token.attrGet("href") or ""), articles)]
        if problem
    ]


def article_links(prose: Prose) -> list[tuple[str, str]]:
    """The other articles a note's body links to: (address, fragment such as '#p-3', or '')."""
    return [(m[1], m[2] or "") for paragraph in prose.paragraphs for piece in paragraph
            if piece.tag for m in [ARTICLE_HREF.fullmatch(piece.tag)] if m]


# ---- What the body may hold, and what it may not ----

_REFUSED = {
    "html_block": "raw HTML is not published; write it in Markdown, or delete it",
    "html_inline": "raw HTML is not published; write it in Markdown, or delete it",
    "table_open": "tables are not supported; give the figures in a list or in a paragraph",
    "footnote_ref": "footnote syntax ([^1]) is not supported; put the remark in a note in annotations.yaml",
    "footnote_block_open": "footnote syntax ([^1]: …) is not supported; put the remark in a note in annotations.yaml",
    "fence": "code blocks are not supported; write the text as a paragraph",
    "code_block": "indented text is read as a code block, which is not supported; remove the indentation",
    "hr": "a thematic break (---, ***) is not supported; start a new section with a heading (## …)",
}


_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:", re.MULTILINE)


def parse_body(tokens: Sequence[Token], source: str) -> tuple[list[Node], list[tuple[int, str]]]:
    """Turn the body's block tokens into nodes; return (nodes, [(line, problem)]), one problem per line and kind."""
    reader = _BodyReader(tokens, source)
    nodes = reader.nodes(0, len(tokens), inside=None)
    return _numbered(nodes), list(dict.fromkeys(reader.problems))


class _BodyReader:
    """Reads block tokens into nodes, collecting a problem for anything the page cannot show."""

    def __init__(self, tokens: Sequence[Token], source: str):
        self.tokens, self.source = tokens, source
        self.problems: list[tuple[int, str]] = []

    def line(self, token: Token) -> int:
        if token.map:
            return token.map[0] + 1
        found = _FOOTNOTE_DEFINITION.search(self.source) if token.type.startswith("footnote") else None
        return self.source.count("\n", 0, found.start()) + 1 if found else 1

    def refuse(self, token: Token, message: str) -> None:
        self.problems.append((self.line(token), message))

    def closing(self, i: int) -> int:
        """The index of the token that closes the one opened at i."""
        depth = 0
        for j in range(i, len(self.tokens)):
            depth += self.tokens[j].nesting
            if depth == 0:
                return j
        return len(self.tokens) - 1

    def nodes(self, start: int, stop: int, inside: str | None) -> list[Node]:
        found: list[Node] = []
        i = start
        while i < stop:
            token = self.tokens[i]
            end = self.closing(i) if token.nesting == 1 else i
            node = self.node(token, i, end, inside)
            if node is not None:
                found.append(node)
            i = end + 1
        return found

    def node(self, token: Token, i: int, end: int, inside: str | None) -> Node | None:
        kind = token.type
        if kind in _REFUSED:
            self.refuse(token, _REFUSED[kind])
        elif kind == "paragraph_open":
            return self.paragraph(self.tokens[i + 1], "quote" if inside == "quote" else "paragraph")
        elif kind == "heading_open":
            return self.heading(token, self.tokens[i + 1], inside)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            return self.list(token, i, end, inside)
        elif kind == "blockquote_open":
            if inside:
                self.refuse(
                    token, "a block quote inside a list or another quote is not supported; keep quotes one level deep"
                )
            else:
                return QuoteBlock(tuple(self.nodes(i + 1, end, inside="quote")))  # type: ignore[arg-type]
        elif token.nesting == 1:
            self.refuse(
                token, f"a {kind.removesuffix('_open').replace('_', ' ')} is not supported; rewrite it as paragraphs"
            )
        return None

    def inline(self, inline: Token) -> tuple[Piece, ...]:
        for child in _walk(inline.children or []):
            if child.type in _REFUSED:
                self.refuse(inline, _REFUSED[child.type])
            elif child.type == "image":
                self.refuse(inline, "an image must stand alone in its paragraph; put it on a line of its own")
        self.problems += [(self.line(inline), msg) for msg in link_problems([inline])]
        return inline_pieces(inline.children or [])

    def paragraph(self, inline: Token, kind: str) -> Node:
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            return self.figure(inline, children[0])
        return TextBlock(0, "", kind, self.inline(inline), self.line(inline))

    def heading(self, token: Token, inline: Token, inside: str | None) -> Node | None:
        level = int(token.tag[1])
        if inside:
            self.refuse(token, "a heading inside a list or quote is not supported; move it out")
        elif level == 1:
            self.refuse(
                token, "a level-1 heading (# …) is not allowed: the title is the page's only one; use ## for sections"
            )
        elif level > 3:
            self.refuse(token, f"a level-{level} heading is not supported; use ## or ### for sections")
        elif not pieces_text(pieces := self.inline(inline)).strip():
            self.refuse(token, "a heading without words; write its title after the ## or remove the line")
        else:
            return TextBlock(0, "", "heading", pieces, self.line(inline), level)
        return None

    def list(self, token: Token, i: int, end: int, inside: str | None) -> Node | None:
        if inside == "list":
            self.refuse(token, "a list inside a list is not supported; keep one level, or write the items as sentences")
            return None
        items = []
        j = i + 1
        while j < end:
            close = self.closing(j)
            inner = [t for t in self.tokens[j + 1 : close] if t.level == self.tokens[j].level + 1]
            if len(inner) != 2 or inner[0].type != "paragraph_open":
                if any(t.nesting == 1 and t.type.endswith("list_open") for t in inner):
                    self.refuse(
                        self.tokens[j],
                        "a list inside a list is not supported; keep one level, or write the items as sentences",
                    )
                else:
                    self.refuse(self.tokens[j], "a list item may hold one paragraph; split it into several items")
            else:
                items.append(TextBlock(0, "", "item", self.inline(self.tokens[j + 2]), self.line(self.tokens[j + 2])))
            j = close + 1
        start = int(token.attrGet("start") or 1)
        return ListBlock(token.type == "ordered_list_open", start, tuple(items))

    def figure(self, inline: Token, image: Token) -> Node:
        alt = pieces_text(inline_pieces(image.children or [])).strip()
        src, title = str(image.attrGet("src") or ""), str(image.attrGet("title") or "")
        problem = figure_problem(src, alt)
        if problem:
            self.refuse(inline, problem)
        caption = TextBlock(0, "", "caption", (Piece(text=title),), self.line(inline)) if title.strip() else None
        return Figure(src, alt, self.line(inline), caption)


IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")


def figure_problem(src: str, alt: str) -> str | None:
    """Why an image cannot be published as written, or None (whether the file is there is checked on reading)."""
    if not alt:
        return f"image '{src}' has no alt text; describe what it shows: ![a short description]({src})"
    if "://" in src or src.startswith(("//", "data:", "/")):
        return (f"image '{src}' is not a file beside the article; "
                "save it under content/ and write its path, e.g. ![…](images/photo.jpg)")
    if ".." in src.split("/"):
        return f"image '{src}' points outside content/; keep images inside the content folder"
    if not src.lower().endswith(IMAGE_TYPES):
        return f"image '{src}' is not a PNG, JPEG, GIF, WebP, AVIF or SVG file; convert it to one of those"
    return None


def _numbered(nodes: list[Node]) -> list[Node]:
    """Give every text block its index and element id, in document order."""
    counters = {"index": 0, "p": 0}
    slugs: set[str] = set()

    def number(block: TextBlock) -> TextBlock:
        counters["index"] += 1
        if block.kind == "heading":
            ref = unique_slug(block.text, slugs)
        else:
            counters["p"] += 1
            ref = f"p-{counters['p']}"
        return TextBlock(counters["index"], ref, block.kind, block.pieces, block.line, block.level)

    def walk(node: Node) -> Node:
        if isinstance(node, TextBlock):
            return number(node)
        if isinstance(node, ListBlock):
            return ListBlock(node.ordered, node.start, tuple(number(item) for item in node.items))
        if isinstance(node, QuoteBlock):
            return QuoteBlock(tuple(walk(child) for child in node.children))  # type: ignore[misc]
        return Figure(node.src, node.alt, node.line, number(node.caption) if node.caption else None)

    return [walk(node) for node in nodes]


RESERVED_IDS = frozenset(
    "main title standfirst byline author-note article-body story-main notes notes-title toc toc-title "
    "cite cite-text search search-input toolbar keys notes-toggle toast quote-notice".split()
)


def unique_slug(text: str, taken: set[str]) -> str:
    """An id made of a heading's words (a-competition-under-pressure), unique on the page."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    base = re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "section"
    if re.fullmatch(r"(p|ref|note|fig)-.*", base):
        base = "s-" + base
    slug, n = base, 1
    while slug in taken or slug in RESERVED_IDS:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def text_blocks(nodes: Iterable[Node]) -> list[TextBlock]:
    """Every text block of the body, in document order."""
    found: list[TextBlock] = []
    for node in nodes:
        if isinstance(node, TextBlock):
            found.append(node)
        elif isinstance(node, ListBlock):
            found += node.items
        elif isinstance(node, QuoteBlock):
            found += text_blocks(node.children)
        elif node.caption:
            found.append(node.caption)
    return found


def figures(nodes: Iterable[Node]) -> list[Figure]:
    """Every figure of the body, in document order."""
    return [node for node in nodes if isinstance(node, Figure)]


# ---- Notes' bodies: paragraphs only ----


def parse_prose(md: MarkdownIt, source: str) -> tuple[Prose, list[str]]:
    """Parse Markdown made of paragraphs (links to other articles of the shelf allowed); return (prose,
    problems: bad links or other blocks)."""
    tokens = md.parse(source)
    problems = link_problems(tokens, articles=True)
    paragraphs = []
    for i, token in enumerate(tokens):
        if token.type == "inline" and tokens[i - 1].type == "paragraph_open" and token.level == 1:
            refused = [c.type for c in _walk(token.children or []) if c.type in _REFUSED or c.type == "image"]
            problems += [
                _REFUSED.get(kind, "an image is not allowed in a note; describe it in words") for kind in refused
            ]
            paragraphs.append(inline_pieces(token.children or []))
        elif token.level == 0 and token.nesting >= 0 and token.type not in ("paragraph_open", "inline"):
            what = (
                _REFUSED.get(token.type)
                or f"a {token.type.removesuffix('_open').replace('_', ' ')} is not supported in a note"
            )
            problems.append(f"{what.split(';')[0]}; a note's body is made of plain paragraphs, so rewrite it as one")
    return Prose(tuple(paragraphs)), list(dict.fromkeys(problems))


# A sentence ends at . ! or ? (and any closing quotes or brackets) before white space and a capital
# or a digit; not after an initial (U.S.) or a common abbreviation (Dr., e.g.).
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)\]]*(\s+)(?=[\"\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr no nos vs gen lt col sen rep gov prof inc ltd co corp mt ft "
    "jan feb mar apr aug sep sept oct nov dec e.g i.e etc approx cf fig vol".split()
)


def first_sentence_end(text: str) -> int | None:
    """Return the offset where text's second sentence starts, or None when it is one sentence."""
    for match in _SENTENCE_END.finditer(text):
        before = _WORD_BEFORE.search(text, 0, match.start())
        word = before[1].lstrip('("\u201c\u2018') if before else ""
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
            rest = ((Piece(text=tail),) if tail else ()) + tuple(pieces[i + 1 :])
            return tuple(left) + ((Piece(text=head),) if head else ()), rest
        offset += len(piece.text)
        left.append(piece)
    return None


# ---- Inline pieces ----


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
            href = str(token.attrGet("href") or "")
            if article := ARTICLE_LINK.fullmatch(href):  # another article of the shelf, beside this page's folder
                href = f"../{article[1]}/index.html{article[2] or ''}"
            pieces.append(Piece(tag=f'<a href="{html.escape(href)}">', nesting=1))
        elif token.type in ("em_open", "strong_open", "link_close", "em_close", "strong_close"):
            pieces.append(Piece(tag=f"<{'/' if token.nesting < 0 else ''}{token.tag}>", nesting=token.nesting))
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
        return ("starts inside formatting (emphasis or a link) and ends outside it; "
                "widen or narrow it to whole formatted words")
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


def _walk(tokens: Iterable[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
