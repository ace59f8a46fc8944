"""The notes as a W3C Web Annotation collection, for other annotation tools to import."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from reader.anchoring import AnchoredNote
from reader.article import Article
from reader.notes import Source
from reader.render import prose_html

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class AnnotatedPage:
    """One article's notes for the collection: the article, its notes, where its page is, and what its
    notes' ids start with ('' on a one-article site; '<address>/' on a shelf, where ids repeat across articles)."""

    article: Article
    anchored: Sequence[AnchoredNote]
    page: str
    id_prefix: str


ITEMS = "@items@"  # where the annotations go in the collection's text (any string in it is escaped: no other match)


def annotation_lines(page: AnnotatedPage, collection_url: str | None) -> tuple[str, ...]:
    """Return one page's notes as annotations, one JSON text a line (stable key order): made per article,
    so a shelf's build makes them with the article's pages and keeps them in its cache."""
    base = collection_url or "annotations.jsonld"
    return tuple(json.dumps(_annotation(page.article, a, f"{base}#{page.id_prefix}{a.note.id}", page.page),
                            ensure_ascii=False, sort_keys=True) for a in page.anchored)


def annotation_collection(lines: Sequence[str], title: str, collection_url: str | None) -> str:
    """Return the annotations (annotation_lines of every page, in order) as one AnnotationCollection, JSON-LD
    text: one annotation a line, so diffs stay readable (and json's fast encoder runs: it does not indent)."""
    base = collection_url or "annotations.jsonld"
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": base,
        "type": "AnnotationCollection",
        "label": f"Editor’s notes on “{title}”",
        "total": len(lines),
        "first": {"id": f"{base}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": ITEMS},
    }
    items = "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
    return json.dumps(collection, ensure_ascii=False, sort_keys=True).replace(json.dumps(ITEMS), items, 1) + "\n"


def _annotation(article: Article, anchored: AnchoredNote, annotation_id: str, page: str) -> dict:
    note = anchored.note
    text = anchored.block.text
    start, end = (
        (anchored.start, anchored.end) if anchored.start is not None and anchored.end is not None else (0, len(text))
    )
    selector = {"type": "TextQuoteSelector", "exact": text[start:end]}
    if start:
        selector["prefix"] = text[max(0, start - CONTEXT_CHARS) : start]
    if end < len(text):
        selector["suffix"] = text[end : end + CONTEXT_CHARS]
    bodies = [
        {
            "type": "TextualBody",
            "purpose": "commenting",
            "format": "text/html",
            "language": article.lang,
            "value": str(prose_html(note.body)),
        },
        {"type": "TextualBody", "purpose": "tagging", "value": note.kind},
        {"type": "TextualBody", "purpose": "describing", "value": note.title},
        *(_source(s) for s in note.sources),
    ]
    annotation = {
        "id": annotation_id,
        "type": "Annotation",
        "motivation": "commenting",
        "body": bodies,
        "target": {"source": article.source_url or page, "selector": selector},
    }
    if note.updated:
        annotation["modified"] = f"{note.updated}T00:00:00Z"
    if note.editor:
        annotation["creator"] = {"type": "Person", "name": note.editor}
    return annotation


def _source(source: Source) -> dict:
    """A cited source; an archived copy and the date it was read go in a W3C TimeState."""
    resource: dict = {"type": "SpecificResource", "purpose": "linking", "source": source.url}
    state = {
        "type": "TimeState",
        **({"cached": source.archived} if source.archived else {}),
        **({"sourceDate": f"{source.accessed}T00:00:00Z"} if source.accessed else {}),
    }
    if len(state) > 1:
        resource["state"] = state
    return resource
