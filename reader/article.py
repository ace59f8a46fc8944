"""Read the article: YAML front matter (checked against content.schema.json) and a Markdown body."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

from reader.errors import BuildError, Problem, fail, listed
from reader.markup import (
    Figure,
    Node,
    Piece,
    TextBlock,
    figures,
    inline_pieces,
    link_problems,
    parse_body,
    pieces_text,
    render_pieces,
    text_blocks,
)
from reader.schema import SchemaError, describe, main_errors, validate
from reader.ui_text import available_languages, locale_code
from reader.yamlines import LocatedYaml, describe_yaml_error, load_located_yaml

CONTENT_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "content.schema.json"
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
# Han and kana: read by the character (a sentence has no spaces to count words by); Hangul is spaced.
_HAN_KANA = re.compile(
    "[\u3005-\u3007\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af]"
)


@dataclass(frozen=True)
class Article:
    """The article as parsed: its front matter (None where not given) and its body."""

    path: str
    slug: str
    title: str
    author: str
    standfirst: str | None
    column: str | None
    author_note: tuple[Piece, ...]
    publication: str | None
    published: str | None
    source_url: str | None
    lang: str
    body: tuple[Node, ...]
    # Counted once, as the article is parsed, and so kept with its check in the cache (the shelf's page needs them).
    word_count: int  # words in the body, as a reader would count them (Han and kana aside: see char_count)
    char_count: int  # Han and kana characters: Chinese and Japanese are read, and timed, by the character

    @property
    def blocks(self) -> list[TextBlock]:
        """Every block that holds text, in order: what notes anchor in and search indexes."""
        return text_blocks(self.body)

    @property
    def figures(self) -> list[Figure]:
        """Every image of the body, in order."""
        return figures(self.body)

    @property
    def author_note_html(self) -> str:
        """The note about the author as HTML."""
        return render_pieces(self.author_note)

    @property
    def author_note_text(self) -> str:
        """The note about the author as a reader sees it."""
        return pieces_text(self.author_note)



@lru_cache(maxsize=1)
def load_content_schema(path: Path = CONTENT_SCHEMA_PATH) -> dict:
    """Return the JSON Schema of the front matter."""
    return json.loads(path.read_text(encoding="utf-8"))


def find_content_file(content_dir: Path) -> Path:
    """Return the one `*.md` file in the content folder."""
    found = sorted(content_dir.glob("*.md"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise fail(str(content_dir), None, "no article found; add one Markdown file such as content/<slug>.md")
    names = listed(p.name for p in found)
    raise fail(
        str(content_dir), None, f"found {len(found)} articles ({names}); the site shows one, so keep one .md file here"
    )


@dataclass(frozen=True)
class CheckedArticle:
    """The article as checked: the Article when nothing is wrong, its text whenever the body itself is
    sound (so notes are placed in it even while the front matter is wrong), and every problem, by line."""

    article: Article | None
    blocks: list[TextBlock] | None
    figures: list[Figure]  # the images to read: all but those the body refused already
    problems: list[Problem]


def parse_article(
    md: MarkdownIt, path: str, source: str, schema: dict | None = None, languages: Sequence[str] | None = None
) -> Article:
    """Parse the content file's text into an Article, or raise BuildError with every problem."""
    checked = check_article(md, path, source, schema, languages)
    if checked.article is None:
        raise BuildError(checked.problems)
    return checked.article


def check_article(
    md: MarkdownIt, path: str, source: str, schema: dict | None = None, languages: Sequence[str] | None = None
) -> CheckedArticle:
    """Parse and check the content file's text: front matter, body and every problem with them.

    languages: those the interface is written in (default: the files in locales/)."""
    tokens = md.parse(source)
    if not tokens or tokens[0].type != "front_matter":
        front = "no front matter; start the file with a '---' block holding at least title: and author:"
        return CheckedArticle(None, None, [], [Problem(path, 1, front)])
    schema = schema or load_content_schema()
    fields, problems = front_matter(path, tokens[0], schema)
    problems += language_problems(path, fields, schema, available_languages() if languages is None else languages)
    nodes, body_problems = parse_body(tokens[1:], source)
    problems += [Problem(path, line, message) for line, message in body_problems]
    has_text = bool(text_blocks(nodes))
    if not has_text and not body_problems:
        problems.append(Problem(path, None, "the article has no text; write the body after the front matter"))
    author_note, note_problems = _author_note(md, path, fields)
    problems += note_problems
    blocks = text_blocks(nodes) if has_text and not body_problems else None
    refused = {line for line, _ in body_problems}
    if problems:
        sound_figures = [figure for figure in figures(nodes) if figure.line not in refused]
        return CheckedArticle(None, blocks, sound_figures, sorted(problems, key=lambda p: p.line or 0))
    article = _article(path, fields, author_note, tuple(nodes))
    return CheckedArticle(article, article.blocks, article.figures, [])


def _author_note(md: MarkdownIt, path: str, fields: dict[str, Any]) -> tuple[tuple[Piece, ...], list[Problem]]:
    """The line about the author, parsed, and what is wrong with its links."""
    if not isinstance(fields.get("author_note"), str):
        return (), []
    inline = md.parseInline(fields["author_note"])
    line = fields.get("_lines", {}).get("author_note", 1)
    problems = [Problem(path, line, f"author_note: {msg}") for msg in link_problems(inline)]
    return (inline_pieces(inline[0].children or []) if inline else ()), problems


def _article(path: str, fields: dict[str, Any], author_note: tuple[Piece, ...], body: tuple[Node, ...]) -> Article:
    return Article(
        path=path,
        slug=Path(path).stem,
        title=fields["title"].strip(),
        author=fields["author"].strip(),
        standfirst=_optional(fields, "standfirst"),
        column=_optional(fields, "column"),
        author_note=author_note,
        publication=_optional(fields, "publication"),
        published=_optional(fields, "published"),
        source_url=_optional(fields, "source_url"),
        lang=fields.get("lang", "en"),
        body=body,
        word_count=sum(len(_WORD.findall(_HAN_KANA.sub(" ", b.text))) for b in text_blocks(body)),
        char_count=sum(len(_HAN_KANA.findall(b.text)) for b in text_blocks(body)),
    )


def _optional(fields: dict, key: str) -> str | None:
    value = fields.get(key)
    return value.strip() if isinstance(value, str) else None


def front_matter(path: str, token, schema: dict) -> tuple[dict[str, Any], list[Problem]]:
    """Return the front matter's fields (plus "_lines": key -> line) and every problem with them."""
    offset = 1  # the front matter starts on the line after the opening '---'
    try:
        located = load_located_yaml(token.content)
    except yaml.YAMLError as err:
        line, reason, hint = describe_yaml_error(err, token.content)
        return {}, [Problem(path, offset + line, f"front matter is not valid YAML ({reason}); {hint}")]
    data = {} if located.data is None else located.data
    if isinstance(data, dict) and isinstance(data.get("published"), int) and not isinstance(data["published"], bool):
        data = {**data, "published": str(data["published"])}  # published: 2018 is a year, not a number
    problems = [
        Problem(path, offset + line, f"'{key[-1]}' is given twice; keep one") for key, line in located.duplicate_keys
    ]
    problems += [_schema_problem(path, offset, located, error) for error in main_errors(validate(schema, data))]
    if not isinstance(data, dict):
        return {}, problems
    fields = dict(data)
    fields["_lines"] = {key: offset + located.line_of((key,)) for key in data}
    return fields, problems


def language_problems(path: str, fields: dict[str, Any], schema: dict, languages: Sequence[str]) -> list[Problem]:
    """A lang whose language has no interface file (a tag the schema refuses is reported already)."""
    lang = fields.get("lang")
    if not isinstance(lang, str) or validate(schema["properties"]["lang"], lang) or locale_code(lang) in languages:
        return []
    code = locale_code(lang)
    return [
        Problem(
            path,
            fields["_lines"]["lang"],
            f"lang '{lang}' has no interface file; available: {listed(languages)} (add locales/{code}.yaml to add one)",
        )
    ]


def _schema_problem(path: str, offset: int, located: LocatedYaml, error: SchemaError) -> Problem:
    what, todo = describe(error)
    if not error.path:
        if error.keyword == "type":
            return Problem(
                path, offset, "front matter must be 'key: value' lines; write title: ..., author: ... one per line"
            )
        if error.keyword == "required":
            return Problem(path, offset, f"front matter lacks '{error.params['key']}'; {todo}")
        return Problem(path, offset + located.line_of(()), f"front matter: {what}; {todo}")
    key = error.path[0]
    if error.keyword == "additionalProperties":
        return Problem(path, offset + located.line_of((key,)), f"unknown front matter field '{key}'; {todo}")
    return Problem(path, offset + located.line_of((key,)), f"'{key}' {what}; {todo}")
