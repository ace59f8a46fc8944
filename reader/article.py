"""Read the article: YAML front matter plus a Markdown body of plain paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from reader.errors import BuildError, Problem, fail
from reader.markup import Piece, inline_pieces, link_problems, pieces_text, render_pieces
from reader.yamlines import describe_yaml_error, load_located_yaml

FRONT_MATTER_FIELDS = {
    "title": "the headline",
    "standfirst": "the one-sentence summary under the headline",
    "column": "the column name shown above the headline",
    "author": "the author's name",
    "author_note": "the note about the author shown in the footer (Markdown)",
    "publication": "where the article first appeared",
    "published": "year and month first published, as YYYY-MM",
    "source_url": "the address of the original article",
}
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
OPTIONAL_FIELDS = {"lang": "the article's language code (default en)"}


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph: its number (1-based), plain text, inline pieces and source line."""

    number: int
    text: str
    pieces: tuple[Piece, ...]
    line: int


@dataclass(frozen=True)
class Article:
    """The article as parsed: front matter fields and the body paragraphs."""

    path: str
    slug: str
    title: str
    standfirst: str
    column: str
    author: str
    author_note: tuple[Piece, ...]
    publication: str
    published: str
    source_url: str
    lang: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def author_note_html(self) -> str:
        """The note about the author as HTML."""
        return render_pieces(self.author_note)

    @property
    def author_note_text(self) -> str:
        """The note about the author as a reader sees it."""
        return pieces_text(self.author_note)

    @property
    def word_count(self) -> int:
        """Words in the body, as a reader would count them."""
        return sum(len(_WORD.findall(p.text)) for p in self.paragraphs)


def find_content_file(content_dir: Path) -> Path:
    """Return the one `*.md` file in the content folder."""
    found = sorted(content_dir.glob("*.md"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise fail(str(content_dir), None, "no article found; add one Markdown file such as content/<slug>.md")
    names = ", ".join(p.name for p in found)
    raise fail(str(content_dir), None, f"found {len(found)} articles ({names}); the site shows one, so keep one .md file here")


def parse_article(md: MarkdownIt, path: str, source: str) -> Article:
    """Parse the content file's text into an Article, or raise BuildError with every problem."""
    tokens = md.parse(source)
    if not tokens or tokens[0].type != "front_matter":
        raise fail(path, 1, "no front matter; start the file with a '---' block holding title, standfirst, author ...")
    fields, problems = _front_matter(path, tokens[0])
    paragraphs, body_problems = _paragraphs(path, tokens[1:])
    problems += body_problems
    author_note: tuple[Piece, ...] = ()
    if "author_note" in fields:
        tokens = md.parseInline(fields["author_note"])
        problems += [Problem(path, 1, f"author_note: {msg}") for msg in link_problems(tokens)]
        author_note = inline_pieces(tokens[0].children or []) if tokens else ()
    if problems:
        raise BuildError(problems)
    return Article(
        path=path,
        slug=Path(path).stem,
        author_note=author_note,
        lang=fields.get("lang", "en"),
        paragraphs=tuple(paragraphs),
        **{k: fields[k] for k in FRONT_MATTER_FIELDS if k != "author_note"},
    )


def _front_matter(path: str, token) -> tuple[dict[str, str], list[Problem]]:
    """Return the front matter fields and the problems with them (line numbers from the file)."""
    offset = 1  # the front matter starts on the line after the opening '---'
    try:
        located = load_located_yaml(token.content)
    except yaml.YAMLError as err:
        line, reason, hint = describe_yaml_error(err, token.content)
        return {}, [Problem(path, offset + line, f"front matter is not valid YAML ({reason}); {hint}")]
    data = {} if located.data is None else located.data
    if not isinstance(data, dict):
        return {}, [Problem(path, offset + located.line_of(()), "front matter must be 'key: value' lines; write title: ..., standfirst: ..., author: ... one per line")]
    line_of = lambda key: offset + located.line_of((key,))  # noqa: E731
    problems = [Problem(path, offset + line, f"'{key[-1]}' is given twice; keep one")
                for key, line in located.duplicate_keys]
    for key, what in FRONT_MATTER_FIELDS.items():
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems.append(Problem(path, line_of(key) if key in data else 1, f"front matter lacks '{key}'; add {what}"))
        elif not isinstance(value, str):
            problems.append(Problem(path, line_of(key), f"'{key}' must be text; put it in quotes"))
    for key in data:
        if key not in FRONT_MATTER_FIELDS and key not in OPTIONAL_FIELDS:
            known = ", ".join([*FRONT_MATTER_FIELDS, *OPTIONAL_FIELDS])
            problems.append(Problem(path, line_of(key), f"unknown front matter field '{key}'; use one of {known}"))
    if isinstance(data.get("published"), str) and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", data["published"]):
        problems.append(Problem(path, line_of("published"), "'published' must be YYYY-MM; write it like \"2018-09\""))
    if isinstance(data.get("source_url"), str) and not data["source_url"].startswith(("https://", "http://")):
        problems.append(Problem(path, line_of("source_url"), "'source_url' must be a web address; start it with https://"))
    fields = {k: v for k, v in data.items() if isinstance(v, str)}
    return fields, problems


def _paragraphs(path: str, tokens) -> tuple[list[Paragraph], list[Problem]]:
    """Return the body's paragraphs; anything but plain paragraphs is a problem."""
    paragraphs: list[Paragraph] = []
    problems: list[Problem] = []
    depth = 0
    for i, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if depth == 0 and token.nesting == 1 and token.type != "paragraph_open":
            what = token.type.removesuffix("_open").replace("_", " ")
            problems.append(Problem(path, line, f"the body may hold only plain paragraphs, found a {what}; rewrite it as a paragraph"))
        elif depth == 0 and token.nesting == 0 and token.type != "inline":
            problems.append(Problem(path, line, f"the body may hold only plain paragraphs, found a {token.type.replace('_', ' ')}; rewrite it as a paragraph"))
        if depth == 1 and token.type == "inline" and tokens[i - 1].type == "paragraph_open":
            problems += [Problem(path, line, msg) for msg in link_problems([token])]
            pieces = inline_pieces(token.children or [])
            paragraphs.append(Paragraph(len(paragraphs) + 1, pieces_text(pieces), pieces, line or 1))
        depth += token.nesting
    if not paragraphs and not problems:
        problems.append(Problem(path, None, "the article has no paragraphs; write the body after the front matter"))
    return paragraphs, problems
