"""Render the pages: Jinja templates fed with small view objects and a few helpers, nothing else."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from reader.anchoring import AnchoredNote
from reader.article import Article
from reader.markup import (
    Figure,
    ListBlock,
    Node,
    Prose,
    QuoteBlock,
    Span,
    TextBlock,
    first_sentence_end,
    pieces_text,
    render_pieces,
    split_pieces,
)
from reader.notes import Annotation
from reader.ui_text import UiText

WORDS_PER_MINUTE = 230
# Han and kana read per minute: Japanese about 500 (kanji and kana mixed), Chinese about 300 (every
# character a syllable); another language's few CJK characters, in between.
CHARS_PER_MINUTE = {"ja": 500, "zh": 300}
CHARS_PER_MINUTE_ELSE = 400
SEPARATOR = "\u00a0\u00b7 "  # joined to the part before it, so a wrapped line never starts with the dot
_COMPOUND = re.compile(r"[^\s&;<>-]+(?:-[^\s&;<>-]+)+")  # in escaped text: entities are not words


@dataclass(frozen=True)
class Assets:
    """Relative URLs of the hashed static files a page links to."""

    stylesheet: str
    print_stylesheet: str  # linked with media="print": fetched last, not waited for
    shelf_stylesheet: str  # a shelf's pages only: the shelf, an article's place on it, the shared notes
    more_stylesheet: str
    favicon: str
    script_stylesheet: str  # fonts and line breaking for CJK and right-to-left scripts ("" when not needed)
    reader_script: str
    shelf_script: str  # the shelf's page's own first-view script, instead of reader_script (a shelf only)
    interact_bundle: tuple[str, ...]
    search_bundle: tuple[str, ...]
    quote_bundle: tuple[str, ...]
    notes_bundle: tuple[str, ...]  # readers' own notes (readernotes.js)
    shelf_list: str = ""  # every article of a shelf, for its scripts (the shelf's pages only; reader/pages.py)


@dataclass(frozen=True)
class Citation:
    """The article cited three ways: a line of text, BibTeX and CSL-JSON."""

    text: str
    parts: tuple[str, ...]  # the text's parts (author, title, publication, date, address), each shown isolated
    bibtex: str
    csl_json: str
    parts_json: str  # author, title, publication and date, for the quote tools' citations


@dataclass(frozen=True)
class KindGroup:
    """The notes of one kind, for the page listing every note."""

    kind: str
    notes: tuple[AnchoredNote, ...]


@dataclass(frozen=True)
class TimelineEntry:
    """One dated development, with the note that reports it."""

    date: str
    event: str
    note: AnchoredNote


def make_environment(templates: Path) -> jinja2.Environment:
    """Return the Jinja environment: autoescape on, unknown names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["unbroken_compounds"] = unbroken_compounds
    env.globals["node_type"] = node_type
    return env


def node_type(node: Node) -> str:
    """What a body node is, for the templates: text, list, quote or figure."""
    return {TextBlock: "text", ListBlock: "list", QuoteBlock: "quote", Figure: "figure"}[type(node)]


def notes_by_block(anchored: Sequence[AnchoredNote]) -> dict[int, list[AnchoredNote]]:
    """The notes anchored in each text block, by the block's index."""
    found: dict[int, list[AnchoredNote]] = {}
    for note in anchored:
        found.setdefault(note.block.index, []).append(note)
    return found


def block_html(block: TextBlock, notes: Sequence[AnchoredNote], t: UiText) -> Markup:
    """A block's inner HTML: its quoted words wrapped as links to their notes.

    The links hold only the quoted words, so the block's text is the article's text: the note's
    number is drawn by CSS, and its title reaches screen readers as the link's description.
    """
    spans = [Span(n.start, n.end, _anchor_open(n), "</a>") for n in notes if n.start is not None and n.end is not None]
    whole = "".join(_anchor_open(n, label=str(t("note_n", n=n.number))) + "</a>" for n in notes if n.start is None)
    return Markup(render_pieces(block.pieces, spans) + whole)


def _anchor_open(anchored: AnchoredNote, label: str | None = None) -> str:
    note_id = escape(anchored.note.id)
    css, named = ("anchor anchor-whole", f' aria-label="{escape(label)}"') if label else ("anchor", "")
    return (
        f'<a class="{css}" id="ref-{note_id}" href="#note-{note_id}" role="doc-noteref"{named} '
        f'aria-describedby="note-{note_id}-title">'
    )


def note_body(note: Annotation) -> Markup:
    """A note's body with its first sentence marked off, so a shortened note can hide the rest."""
    paragraphs = note.body.paragraphs
    if not paragraphs:
        return Markup("")
    first, later = paragraphs[0], [f"<p>{render_pieces(p)}</p>" for p in paragraphs[1:]]
    cut = first_sentence_end(pieces_text(first))
    split = split_pieces(first, cut) if cut else None
    if split:
        lead, cont = split
        rest = [f'<p class="note-cont">{render_pieces(cont)}</p>', *later]
        return Markup(
            f'<p class="note-lead">{render_pieces(lead)}</p><div class="note-rest note-joined">'
            + "\n".join(rest)
            + "</div>"
        )
    lead_html = f'<p class="note-lead">{render_pieces(first)}</p>'
    return Markup(lead_html + ('<div class="note-rest">\n' + "\n".join(later) + "</div>" if later else ""))


def prose_html(prose: Prose) -> Markup:
    """Prose as plain paragraphs, one line apart (the text the search indexes)."""
    return Markup("\n".join(f"<p>{render_pieces(p)}</p>" for p in prose.paragraphs))


def headings(article: Article) -> list[TextBlock]:
    """The article's section headings, for its table of contents."""
    return [block for block in article.blocks if block.kind == "heading"]


def reading_minutes(article: Article) -> int:
    """Minutes a reader needs for the body, rounded up: its words, and its Han and kana by the character."""
    per_minute = CHARS_PER_MINUTE.get(article.lang.split("-")[0].lower(), CHARS_PER_MINUTE_ELSE)
    return max(1, math.ceil(article.word_count / WORDS_PER_MINUTE + article.char_count / per_minute))


def publication_parts(article: Article, t: UiText) -> list[str]:
    """['The Diplomat', 'September 2018'], or whichever half is known."""
    return [part for part in (article.publication, t.date(article.published) if article.published else None) if part]


def publication_line(article: Article, t: UiText) -> str:
    """'The Diplomat, September 2018', or whichever half is known, or ''."""
    return t.plain("comma").join(publication_parts(article, t))


def bdi(text: str) -> Markup:
    """Text isolated from the words around it (<bdi>): a Latin name or a date in an Arabic line, or the
    reverse, keeps its own order, and the line's punctuation stays where it belongs."""
    return Markup("<bdi>{}</bdi>").format(text)


def byline_text(article: Article, t: UiText) -> str:
    """The byline as the page shows it (and search indexes it)."""
    line = publication_line(article, t)
    return str(t("by", author=article.author)) + (f"{SEPARATOR}{line}" if line else "")


def byline_html(article: Article, t: UiText) -> Markup:
    """The byline with the author's name marked; its text is byline_text's."""
    author = Markup('<bdi class="author">{}</bdi>').format(article.author)
    line = t("comma").join(bdi(part) for part in publication_parts(article, t))
    return t("by", author=author) + (Markup(SEPARATOR) + line if line else "")


def credit_line(article: Article, t: UiText, editors: list[str]) -> Markup:
    """The footer: who wrote the text and where it first appeared, and who made the notes."""
    parts = [t("text_by", author=bdi(article.author))]
    if article.publication:
        where = article.publication + (f" ({article.column})" if article.column else "")
        parts.append(t("first_published", publication=bdi(where)))
    if article.published:
        parts.append(bdi(t.date(article.published)))
    line = Markup(", ").join(parts) + Markup(".")
    if article.source_url:
        line += Markup(' <a href="{}">{}</a>.').format(article.source_url, t("original_article"))
    if editors:
        line += Markup(" ") + t("notes_credit", editors=t("comma").join(bdi(editor) for editor in editors))
    return line


def editors(anchored: Sequence[AnchoredNote]) -> list[str]:
    """Who checked the notes, most notes first, for the credit line."""
    counts: dict[str, int] = {}
    for a in anchored:
        if a.note.editor:
            counts[a.note.editor] = counts.get(a.note.editor, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def notes_intro(anchored: Sequence[AnchoredNote], t: UiText) -> Markup:
    """The line over the notes; it promises what happened next only when a note tells it (an update)."""
    updates = any(a.note.kind == "update" or a.note.timeline for a in anchored)
    return t("notes_intro" if updates else "notes_intro_without_updates", n=len(anchored))


def checked_line(note: Annotation, t: UiText) -> Markup | None:
    """Who checked a note and when, or None when the note says neither."""
    if note.editor and note.updated:
        return t("checked_by", editor=bdi(note.editor), date=bdi(t.date(note.updated)))
    if note.updated:
        return t("checked", date=bdi(t.date(note.updated)))
    return t("edited_by", editor=bdi(note.editor)) if note.editor else None


def kind_groups(anchored: Sequence[AnchoredNote], kinds: Sequence[str]) -> list[KindGroup]:
    """The notes grouped by kind, in the schema's order of kinds, each group in text order."""
    return [
        KindGroup(kind, tuple(a for a in anchored if a.note.kind == kind))
        for kind in kinds
        if any(a.note.kind == kind for a in anchored)
    ]


def timeline(anchored: Sequence[AnchoredNote]) -> list[TimelineEntry]:
    """Every note's dated developments, oldest first."""
    entries = [TimelineEntry(e.date, e.event, a) for a in anchored for e in a.note.timeline]
    return sorted(entries, key=lambda e: (e.date, e.note.number))


def note_place(anchored: AnchoredNote, t: UiText) -> Markup:
    """Where a note sits, for the page of all notes: its words and block."""
    block = anchored.block
    where = t("in_heading", words=block.text) if block.kind == "heading" else t("in_paragraph", n=block.ref[2:])
    if anchored.start is None:
        return t("on_block", where=where)
    return t("on_words", words=block.text[anchored.start : anchored.end], where=where)


def citation(article: Article, t: UiText) -> Citation:
    """The article cited as text, BibTeX and CSL-JSON."""
    given, _, family = article.author.rpartition(" ")
    date = article.published.split("-") if article.published else []
    cited = tuple(
        part
        for part in (
            article.author,
            t.plain("cited_title", title=article.title),
            article.publication,
            t.date(article.published) if article.published else None,
            article.source_url,
        )
        if part
    )
    text = ", ".join(cited)
    first_word = re.sub(r"[^a-z0-9]", "", article.title.split()[0].lower()) if article.title.split() else ""
    key = re.sub(r"[^a-z0-9]", "", (family or given).lower()) + (date[0] if date else "") + first_word
    fields = [
        ("author", f"{family}, {given}" if given else family),
        ("title", article.title),
        ("journal" if article.publication else "howpublished", article.publication),
        ("year", date[0] if date else None),
        ("month", BIBTEX_MONTHS[int(date[1]) - 1] if len(date) > 1 else None),
        ("day", str(int(date[2])) if len(date) > 2 else None),
        ("url", article.source_url),
    ]
    entry = "article" if article.publication else "misc"
    bibtex = (
        f"@{entry}{{{key},\n"
        + ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{_bibtex_escape(value)}}}"
            for name, value in fields
            if value
        )
        + "\n}"
    )
    csl: dict[str, object] = {
        "id": key,
        "type": "article-newspaper" if article.publication else "article",
        "title": article.title,
        "author": [{"family": family, "given": given} if given else {"literal": family}],
        "language": article.lang,
    }
    if article.publication:
        csl["container-title"] = article.publication
    if date:
        csl["issued"] = {"date-parts": [[int(part) for part in date]]}
    if article.source_url:
        csl["URL"] = article.source_url
    parts = {
        "author": article.author,
        "title": article.title,
        "publication": article.publication or "",
        "date": t.date(article.published) if article.published else "",
    }
    return Citation(
        text,
        cited,
        bibtex,
        json.dumps([csl], ensure_ascii=False, indent=2),
        json.dumps(parts, ensure_ascii=False, sort_keys=True),
    )


BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bibtex_escape(value: str) -> str:
    """Escape BibTeX's special characters; keep capitals in words like US-Japan."""
    escaped = re.sub(r"([&%$#_{}])", r"\\\1", value)
    return re.sub(r"\b([A-Z]{2,})\b", r"{\1}", escaped)


def unbroken_compounds(text: str) -> Markup:
    """Text as HTML with each hyphenated word (US-Japan) kept on one line."""
    return Markup(_COMPOUND.sub(lambda m: f'<span class="nobr">{m[0]}</span>', str(escape(text))))


def json_ld(article: Article, page_url: str | None) -> Markup:
    """Return schema.org Article data, safe to place inside a <script> data block."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "author": {"@type": "Person", "name": article.author},
        "inLanguage": article.lang,
    }
    optional = {
        "description": article.standfirst,
        "datePublished": article.published,
        "isBasedOn": article.source_url,
        "url": page_url,
        "publisher": {"@type": "Organization", "name": article.publication} if article.publication else None,
    }
    data.update({key: value for key, value in optional.items() if value})
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def breadcrumb_ld(shelf_title: str, shelf_url: str | None, title: str, page_url: str | None) -> Markup:
    """schema.org BreadcrumbList: the shelf, then the article (urls when the site's address is known)."""
    items = [{"@type": "ListItem", "position": n, "name": name, **({"item": url} if url else {})}
             for n, (name, url) in enumerate(((shelf_title, shelf_url), (title, page_url)), 1)]
    return _ld({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items})


def item_list_ld(title: str, articles: Sequence[tuple[str, str | None]]) -> Markup:
    """schema.org ItemList of the shelf's articles, in shelf order."""
    items = [{"@type": "ListItem", "position": n, "name": name, **({"url": url} if url else {})}
             for n, (name, url) in enumerate(articles, 1)]
    return _ld({"@context": "https://schema.org", "@type": "ItemList", "name": title, "itemListElement": items})


def _ld(data: dict) -> Markup:
    """JSON-LD text, safe inside a <script> data block."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def lead_sentence(article: Article) -> str:
    """The article's first sentence (for the shelf, when it has no standfirst)."""
    first = next((block.text for block in article.blocks if block.kind == "paragraph"), "")
    cut = first_sentence_end(first)
    return (first[:cut] if cut else first).strip()


def style_hash(css: str) -> str:
    """The CSP source allowing one inline <style> block with exactly this text."""
    return "sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")


def render_page(env: jinja2.Environment, template: str, **context) -> str:
    """Render one template with the given context."""
    return env.get_template(template).render(**context)


def site_url(base_url: str | None) -> Callable[[str], str | None]:
    """Return a function making absolute URLs under the base URL (None without one)."""

    def absolute(path: str) -> str | None:
        return None if base_url is None else base_url.rstrip("/") + "/" + path.lstrip("/")

    return absolute
