"""A synthetic shelf in the build's own input format, from bench/shelf_synthetic.py's generator.

The shelf: content/shelf.yaml (a title, a description, the articles in sections of SECTION_SIZE); per
article: content/<address>.md (front matter: title, author, published, standfirst; 16 paragraphs,
some 2,300 words) and content/<address>.notes.yaml (10 notes: the generator's note titles and bodies,
each anchored to five consecutive words found once in its article, one note a paragraph); and an empty
annotations.yaml. The same number of articles gives the same files, byte for byte.

The edits of an incremental rebuild change one article's words in place: its first note's body, or its
last paragraph, each ending in " Revised N." (N, the edit's number, makes every edit a change).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.shelf_synthetic import Doc, ShelfArticle, make_shelf
from bench.synthetic import dump_notes
from reader.anchoring import plain

NOTES = 10  # an article's notes
QUOTE_WORDS = 5
SECTION_SIZE = 50  # articles in a part of the shelf
TITLE_MOST = 80  # characters of a note's title, as the build allows
REVISED = re.compile(r" Revised \d+\.$")


@dataclass(frozen=True)
class ShelfInputs:
    """A written shelf: what build.py reads, and the same text by article (for MkDocs and the remembered runs)."""

    content: Path
    annotations: Path
    articles: tuple[ShelfArticle, ...]  # addresses as built: <address>/index.html

    @property
    def edited(self) -> str:
        """The address of the article the incremental rebuilds edit: the middle one."""
        return self.articles[len(self.articles) // 2].address

    @property
    def notes_file(self) -> Path:
        """The notes file of the article the rebuilds edit."""
        return self.content / f"{self.edited}.notes.yaml"


def write_shelf(folder: Path, articles: int) -> ShelfInputs:
    """Write a shelf of `articles` articles into folder/content and folder/annotations.yaml."""
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    written = []
    for n, article in enumerate(make_shelf(articles, notes=NOTES), 1):
        address = f"essay-{n:04d}"
        paragraphs = [doc.text for doc in article.docs if doc.ref.startswith("p-")]
        notes = [doc for doc in article.docs if not doc.ref.startswith("p-")]
        (content / f"{address}.md").write_text(article_markdown(article.title, n, paragraphs), encoding="utf-8")
        anchored = anchored_notes(notes, paragraphs, address, random.Random(n))
        (content / f"{address}.notes.yaml").write_text(dump_notes(anchored), encoding="utf-8")
        written.append(ShelfArticle(address, article.title, article.docs))
    (content / "shelf.yaml").write_text(shelf_yaml([article.address for article in written]), encoding="utf-8")
    annotations = folder / "annotations.yaml"
    annotations.write_text("[]\n", encoding="utf-8")
    return ShelfInputs(content, annotations, tuple(written))


def shelf_yaml(addresses: list[str]) -> str:
    """The shelf's title and description, and its articles in parts of SECTION_SIZE, in order."""
    sections = [{"title": f"Part {n + 1}", "articles": addresses[at : at + SECTION_SIZE]}
                for n, at in enumerate(range(0, len(addresses), SECTION_SIZE))]
    config = {"title": f"A synthetic shelf of {len(addresses)}", "description": "Essays of made-up words, for the bench.",
              "sections": sections}
    return yaml.safe_dump(config, sort_keys=False)


def article_markdown(title: str, n: int, paragraphs: list[str]) -> str:
    """An article's Markdown: front matter (strings as JSON, which YAML reads as they are), then its paragraphs."""
    standfirst = " ".join(paragraphs[0].split()[:12]).rstrip(".,;?") + "."
    front = {"title": title, "author": f"Writer {n % 37}", "published": f"{1990 + n % 30}-{1 + n % 12:02d}",
             "standfirst": standfirst}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + "\n\n".join(paragraphs) + "\n"


def anchored_notes(notes: list[Doc], paragraphs: list[str], address: str, rng: random.Random) -> list[dict]:
    """The article's notes, each anchored to a quote of its own paragraph that occurs once in the article."""
    text = "\0".join(plain(p) for p in paragraphs)
    anchored = []
    for i, (note, at) in enumerate(zip(notes, rng.sample(range(len(paragraphs)), len(notes)), strict=True), 1):
        quote = unique_quote(paragraphs[at].split(), text, rng)
        if quote is None:
            continue
        anchored.append({"id": f"n{i}", "quote": quote, "kind": "term", "title": shortened(note.title), "body": note.text,
                         "sources": [{"title": f"Fixture: source {i} (2020)", "url": f"https://example.org/{address}/{i}"}]})
    return anchored


def shortened(title: str) -> str:
    """The title, its last words dropped while it is longer than the build allows."""
    while len(title) > TITLE_MOST:
        title = title.rsplit(" ", 1)[0]
    return title


def unique_quote(words: list[str], text: str, rng: random.Random, tries: int = 40) -> str | None:
    """QUOTE_WORDS consecutive words of a paragraph that the article holds once (None if no try finds one)."""
    for _ in range(tries):
        start = rng.randrange(max(1, len(words) - QUOTE_WORDS + 1))
        quote = " ".join(words[start : start + QUOTE_WORDS])
        if text.count(plain(quote)) == 1:
            return quote
    return None


def edit_note(inputs: ShelfInputs, edit: int) -> None:
    """Change the body of the edited article's first note (edit: a number the body then ends with)."""
    edit_notes_file(inputs.notes_file, edit)


def edit_notes_file(path: Path, edit: int) -> None:
    """Change the body of the first note in a notes file (edit: a number the body then ends with)."""
    notes = yaml.safe_load(path.read_text(encoding="utf-8"))
    notes[0]["body"] = revised(notes[0]["body"], edit)
    path.write_text(dump_notes(notes), encoding="utf-8")


def edit_paragraph(inputs: ShelfInputs, edit: int) -> None:
    """Change the last paragraph of the edited article (edit: a number the paragraph then ends with)."""
    path = inputs.content / f"{inputs.edited}.md"
    front, *paragraphs = path.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    paragraphs[-1] = revised(paragraphs[-1], edit)
    path.write_text("\n\n".join([front, *paragraphs]) + "\n", encoding="utf-8")


def revised(text: str, edit: int) -> str:
    """The text ending in ' Revised <edit>.' (instead of an earlier edit's ending)."""
    return REVISED.sub("", text) + f" Revised {edit}."
