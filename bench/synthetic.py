"""The shipped article and its notes repeated k times, so that every copied note still anchors.

Copy c of each paragraph ends in " (copy c)" (copy 1 is the paragraph as published). Copy c of
each note gets the id `ID-cC` and the place of its words in copy c: `paragraph` moved on by c-1
articles, or `occurrence` counted over all copies before it. How often a note's quote occurs in
one article (with its prefix and suffix) is counted by the build's own anchoring.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FRONT_MATTER = re.compile(r"---\n.*?\n---\n", re.S)


@dataclass(frozen=True)
class Article:
    """One article's front matter (as written), its paragraphs and its notes (as loaded)."""

    front: str
    paragraphs: list[str]
    notes: list[dict]


@dataclass(frozen=True)
class Inputs:
    """A written synthetic article: its files, its paragraph count and its notes (as written)."""

    content: Path
    annotations: Path
    paragraphs: int
    notes: list[dict]


def article_file() -> Path:
    """The shipped article's Markdown file."""
    return sorted((ROOT / "content").glob("*.md"))[0]


def read_article() -> Article:
    """Read the shipped article and annotations.yaml."""
    text = article_file().read_text(encoding="utf-8")
    front = FRONT_MATTER.match(text)
    if not front:
        raise ValueError(f"{article_file()}: no front matter")
    body = text[front.end() :]
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    notes = yaml.safe_load((ROOT / "annotations.yaml").read_text(encoding="utf-8")) or []
    return Article(front[0], paragraphs, notes)


def write_inputs(folder: Path, article: Article, k: int) -> Inputs:
    """Write the article and its notes k times over into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = occurrence_counts(article) if k > 1 else {}
    n = len(article.paragraphs)
    notes = (
        article.notes
        if k == 1
        else [copy_note(note, c, n, counts.get(note["id"], 1)) for c in range(1, k + 1) for note in article.notes]
    )
    body = [p if c == 1 else f"{p} (copy {c})" for c in range(1, k + 1) for p in article.paragraphs]
    content, annotations = folder / "article.md", folder / "annotations.yaml"
    content.write_text(article.front + "\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    annotations.write_text(dump_notes(notes), encoding="utf-8")
    return Inputs(content, annotations, n * k, notes)


def copy_note(note: dict, copy: int, n_paragraphs: int, count: int) -> dict:
    """Copy `copy` of a note: its own id, its words' place in that copy of the article."""
    new = {**note, "id": note["id"] if copy == 1 else f"{note['id']}-c{copy}"}
    if "paragraph" in note:
        new["paragraph"] = note["paragraph"] + (copy - 1) * n_paragraphs
    else:
        new["occurrence"] = (copy - 1) * count + note.get("occurrence", 1)
    return new


def occurrence_counts(article: Article) -> dict[str, int]:
    """How often each note's quote occurs in one article with its prefix and suffix, as the build counts."""
    sys.path.insert(0, str(ROOT))
    import build
    from reader.anchoring import MatchText, plain

    shelf = build.check_inputs(build.load_inputs(build.parse_args(["--content", str(article_file())])))
    text = MatchText(shelf.articles[0].article.blocks)
    return {
        note["id"]: len(text.fitting(plain(note["quote"]), note.get("prefix"), note.get("suffix")))
        for note in article.notes
        if "quote" in note
    }


def dump_notes(notes: list[dict]) -> str:
    """The notes as YAML, each written out in full (no &anchors)."""

    class NoAliases(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml: x1000 is 26 MB
        def ignore_aliases(self, data: object) -> bool:
            return True

    return yaml.dump(notes, Dumper=NoAliases, sort_keys=False, allow_unicode=True, width=1000)


def write_excerpt(folder: Path, article: Article, n_paragraphs: int) -> Inputs:
    """Write the article's first n_paragraphs with no notes: what the build costs whatever the article."""
    folder.mkdir(parents=True, exist_ok=True)
    content, annotations = folder / "article.md", folder / "annotations.yaml"
    content.write_text(article.front + "\n" + "\n\n".join(article.paragraphs[:n_paragraphs]) + "\n", encoding="utf-8")
    annotations.write_text("[]\n", encoding="utf-8")
    return Inputs(content, annotations, n_paragraphs, [])
