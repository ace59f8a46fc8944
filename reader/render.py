"""Render the pages: Jinja templates fed with small view objects, nothing else."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import jinja2
from markupsafe import Markup, escape

from reader.annotations import AnchoredNote, Annotation, Event
from reader.article import Article, Paragraph
from reader.markup import Prose, Span, first_sentence_end, pieces_text, render_pieces, split_pieces

WORDS_PER_MINUTE = 230
_COMPOUND = re.compile(r"[^\s&;<>-]+(?:-[^\s&;<>-]+)+")  # in escaped text: entities are not words
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Block:
    """One paragraph as HTML, its quoted words wrapped as links to their notes."""

    number: int
    html: Markup


@dataclass(frozen=True)
class Assets:
    """Relative URLs of the hashed static files a page links to."""

    stylesheet: str
    more_stylesheet: str
    favicon: str
    reader_script: str
    interact_bundle: tuple[str, ...]
    search_bundle: tuple[str, ...]
    quote_bundle: tuple[str, ...]


@dataclass(frozen=True)
class Citation:
    """The article cited three ways: a line of text, BibTeX and CSL-JSON."""

    text: str
    bibtex: str
    csl_json: str
    parts_json: str  # author, title, publication and date, for the quote tools' citations


@dataclass(frozen=True)
class KindGroup:
    """The notes of one kind, for the page listing every note."""

    kind: str
    label: str
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
    """Every paragraph as HTML with its anchors."""
    by_paragraph: dict[int, list[AnchoredNote]] = {}
    for note in anchored:
        by_paragraph.setdefault(note.paragraph, []).append(note)
    return [Block(p.number, paragraph_html(p, by_paragraph.get(p.number, []))) for p in article.paragraphs]


def paragraph_html(paragraph: Paragraph, notes: Sequence[AnchoredNote]) -> Markup:
    """Return the paragraph's inner HTML: quotes wrapped as links to their notes.

    The links hold only the quoted words, so the paragraph's text is the article's text: the
    note's number is drawn by CSS, and its title reaches screen readers as the link's description.
    """
    spans = [Span(n.start, n.end, _anchor_open(n), "</a>") for n in notes if n.start is not None]
    whole = "".join(_anchor_open(n, label=f"Note {n.number}") + "</a>" for n in notes if n.start is None)
    return Markup(render_pieces(paragraph.pieces, spans) + whole)


def _anchor_open(anchored: AnchoredNote, label: str | None = None) -> str:
    note_id = escape(anchored.note.id)
    css, named = ("anchor anchor-whole", f' aria-label="{escape(label)}"') if label else ("anchor", "")
    return (f'<a class="{css}" id="ref-{note_id}" href="#note-{note_id}" role="doc-noteref"{named} '
            f'aria-describedby="note-{note_id}-title">')


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
        return Markup(f'<p class="note-lead">{render_pieces(lead)}</p><div class="note-rest note-joined">'
                      + "\n".join(rest) + "</div>")
    lead_html = f'<p class="note-lead">{render_pieces(first)}</p>'
    return Markup(lead_html + ('<div class="note-rest">\n' + "\n".join(later) + "</div>" if later else ""))


def prose_html(prose: Prose) -> Markup:
    """Prose as plain paragraphs, one line apart (the text the search indexes)."""
    return Markup("\n".join(f"<p>{render_pieces(p)}</p>" for p in prose.paragraphs))


def reading_minutes(article: Article) -> int:
    """Minutes a reader needs for the body, rounded up."""
    return max(1, math.ceil(article.word_count / WORDS_PER_MINUTE))


def published_label(article: Article) -> str:
    """'September 2018' from '2018-09'."""
    year, month = article.published.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def long_date(iso_date: str) -> str:
    """'27 November 2026' from '2026-11-27', 'August 2020' from '2020-08', '2020' from '2020'."""
    parts = iso_date.split("-")
    words = [str(int(parts[2]))] if len(parts) > 2 else []
    words += [MONTHS[int(parts[1]) - 1]] if len(parts) > 1 else []
    return " ".join([*words, parts[0]])


KIND_GROUPS = (("person", "People"), ("organization", "Organizations"), ("event", "Events"),
               ("term", "Terms"), ("figure", "Figures"), ("update", "Updates since 2018"))


def kind_groups(anchored: Sequence[AnchoredNote]) -> list[KindGroup]:
    """The notes grouped by kind, in a fixed order of kinds, each group in text order."""
    return [KindGroup(kind, label, tuple(a for a in anchored if a.note.kind == kind))
            for kind, label in KIND_GROUPS if any(a.note.kind == kind for a in anchored)]


def timeline(anchored: Sequence[AnchoredNote]) -> list[TimelineEntry]:
    """Every note's dated developments, oldest first."""
    entries = [TimelineEntry(e.date, e.event, a) for a in anchored for e in a.note.timeline]
    return sorted(entries, key=lambda e: (e.date, e.note.number))


def quoted_words(article: Article, anchored: AnchoredNote) -> str | None:
    """The words a note explains, or None for a note on a whole paragraph."""
    if anchored.start is None:
        return None
    return article.paragraphs[anchored.paragraph - 1].text[anchored.start:anchored.end]


def citation(article: Article) -> Citation:
    """The original article cited as text, BibTeX and CSL-JSON."""
    given, _, family = article.author.rpartition(" ")
    year, month = article.published.split("-")
    text = f"{article.author}, \u201c{article.title}\u201d, {article.publication}, {published_label(article)}, {article.source_url}"
    key = re.sub(r"[^a-z0-9]", "", (family or given).lower()) + year + re.sub(r"[^a-z0-9]", "", article.title.split()[0].lower())
    fields = [("author", f"{family}, {given}" if given else family), ("title", article.title),
              ("journal", article.publication), ("year", year), ("month", MONTHS[int(month) - 1][:3].lower()),
              ("url", article.source_url)]
    bibtex = f"@article{{{key},\n" + ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{_bibtex_escape(value)}}}" for name, value in fields) + "\n}"
    csl = {"id": key, "type": "article-newspaper", "title": article.title,
           "author": [{"family": family, "given": given} if given else {"literal": family}],
           "container-title": article.publication, "issued": {"date-parts": [[int(year), int(month)]]},
           "URL": article.source_url, "language": article.lang}
    parts = {"author": article.author, "title": article.title, "publication": article.publication,
             "date": published_label(article)}
    return Citation(text, bibtex, json.dumps([csl], ensure_ascii=False, indent=2),
                    json.dumps(parts, ensure_ascii=False, sort_keys=True))


def _bibtex_escape(value: str) -> str:
    """Escape BibTeX's special characters; keep capitals in words like US-Japan."""
    escaped = re.sub(r"([&%$#_{}])", r"\\\1", value)
    return re.sub(r"\b([A-Z]{2,})\b", r"{\1}", escaped)


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


def byline_text(article: Article) -> str:
    """The byline as the page shows it (and search indexes it)."""
    return f"By {article.author} \u00b7 {article.publication}, {published_label(article)}"


def editors(anchored: Sequence[AnchoredNote]) -> list[str]:
    """Who checked the notes, most notes first, for the credit line."""
    counts: dict[str, int] = {}
    for a in anchored:
        if a.note.editor:
            counts[a.note.editor] = counts.get(a.note.editor, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


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
