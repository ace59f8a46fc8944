"""Render the pages: Jinja templates fed with small view objects, nothing else."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import jinja2
from markupsafe import Markup, escape

from reader.annotations import AnchoredNote
from reader.article import Article, Paragraph
from reader.markup import Span, render_pieces

WORDS_PER_MINUTE = 230
_COMPOUND = re.compile(r"[^\s&;<>-]+(?:-[^\s&;<>-]+)+")  # in escaped text: entities are not words
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Block:
    """One paragraph as HTML, followed by the notes anchored in it."""

    number: int
    html: Markup
    notes: tuple[AnchoredNote, ...]


@dataclass(frozen=True)
class Assets:
    """Relative URLs of the hashed static files a page links to."""

    stylesheet: str
    favicon: str
    notes_script: str
    search_script: str
    search_bundle: tuple[str, ...]


def make_environment(templates: Path) -> jinja2.Environment:
    """Return the Jinja environment: autoescape on, unknown names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        # Compiled templates are kept in a per-user temporary folder, keyed by a checksum of the
        # source, so an edited template is recompiled and an unchanged one is not (~25 ms a build).
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["unbroken_compounds"] = unbroken_compounds
    return env


def paragraph_blocks(article: Article, anchored: Sequence[AnchoredNote]) -> list[Block]:
    """Pair every paragraph with its rendered anchors and the notes that follow it."""
    by_paragraph: dict[int, list[AnchoredNote]] = {}
    for note in anchored:
        by_paragraph.setdefault(note.paragraph, []).append(note)
    return [Block(p.number, paragraph_html(p, by_paragraph.get(p.number, [])), tuple(by_paragraph.get(p.number, [])))
            for p in article.paragraphs]


def paragraph_html(paragraph: Paragraph, notes: Sequence[AnchoredNote]) -> Markup:
    """Return the paragraph's inner HTML: quotes wrapped as links to their notes."""
    spans = [Span(n.start, n.end, _anchor_open(n), _marker(n) + "</a>") for n in notes if n.start is not None]
    whole = "".join(f"{_anchor_open(n, whole=True)}{_marker(n, whole=True)}</a>" for n in notes if n.start is None)
    return Markup(render_pieces(paragraph.pieces, spans) + whole)


def _anchor_open(anchored: AnchoredNote, whole: bool = False) -> str:
    note_id = escape(anchored.note.id)
    css = "anchor anchor-whole" if whole else "anchor"
    return f'<a class="{css}" id="ref-{note_id}" href="#note-{note_id}">'


def _marker(anchored: AnchoredNote, whole: bool = False) -> str:
    """The numbered marker; screen readers hear "note N: Title" once, after the quoted words."""
    title = escape(anchored.note.title)
    lead = "Note " if whole else ", note "
    tail = " on this paragraph: " if whole else ": "
    return (f'<span class="marker" data-not-text><span class="vh">{lead}</span>{anchored.number}'
            f'<span class="vh">{tail}{title}</span></span>')


def reading_minutes(article: Article) -> int:
    """Minutes a reader needs for the body, rounded up."""
    return max(1, math.ceil(article.word_count / WORDS_PER_MINUTE))


def published_label(article: Article) -> str:
    """'September 2018' from '2018-09'."""
    year, month = article.published.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def long_date(iso_date: str) -> str:
    """'27 November 2026' from '2026-11-27'."""
    year, month, day = iso_date.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def unbroken_compounds(text: str) -> Markup:
    """Text as HTML with each hyphenated word (US-Japan) kept on one line."""
    return Markup(_COMPOUND.sub(lambda m: f'<span class="nobr">{m[0]}</span>', str(escape(text))))


def json_ld(article: Article, page_url: str | None) -> Markup:
    """Return schema.org Article data, safe to place inside a <script> data block."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.standfirst,
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "Organization", "name": article.publication},
        "datePublished": article.published,
        "isBasedOn": article.source_url,
        "inLanguage": article.lang,
    }
    if page_url:
        data["url"] = page_url
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_page(env: jinja2.Environment, template: str, **context) -> str:
    """Render one template with the given context."""
    return env.get_template(template).render(**context)


def site_url(base_url: str | None) -> Callable[[str], str | None]:
    """Return a function making absolute URLs under the base URL (None without one)."""
    def absolute(path: str) -> str | None:
        return None if base_url is None else base_url.rstrip("/") + "/" + path.lstrip("/")
    return absolute
