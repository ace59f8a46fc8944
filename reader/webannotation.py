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


def annotation_collection(pages: Sequence[AnnotatedPage], title: str, collection_url: str | None) -> str:
    """Return every page's notes as one AnnotationCollection, JSON-LD text (stable key order)."""
    base = collection_url or "annotations.jsonld"
    items = [_annotation(p.article, a, f"{base}#{p.id_prefix}{a.note.id}", p.page) for p in pages for a in p.anchored]
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": base,
        "type": "AnnotationCollection",
        "label": f"Editor’s notes on “{title}”",
        "total": len(items),
        "first": {"id": f"{base}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": ITEMS},
    }
    # One annotation a line: diffs stay readable, and json's fast (C) encoder runs only without indent.
    lines = ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items)
    return json.dumps(collection, ensure_ascii=False, sort_keys=True).replace(
        json.dumps(ITEMS), f"[\n{lines}\n]" if items else "[]", 1) + "\n"


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
