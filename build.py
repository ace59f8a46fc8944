#!/usr/bin/env python3
"""Build the annotated reader into a static folder.

    python build.py [--out DIR] [--base-url URL] [--check] [--serve [--port N]]

The pipeline, top to bottom: load the inputs, parse the article and the notes, anchor every
note to its quote, index the text for search, render the pages, write the folder. Nothing is
written until every check has passed, and then the new folder replaces the old one in one step.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.assets import STATIC_FILES, add_assets, minify_static
from reader.check import ArticleInput, Parsed, Shelf, check_shelf
from reader.errors import BuildError, Problem, plural
from reader.output import SiteFiles, write_site
from reader.pages import render_site
from reader.render import byline_text, make_environment
from reader.search import SearchDoc, build_search_index, serialize_index_script, stemmer_for
from reader.shelf import SHELF_FILE, find_article_files

ROOT = Path(__file__).resolve().parent
TEMPLATES = (
    "base.html",
    "article.html",
    "notes.html",
    "shelf.html",
    "shared_note.html",
    "shared_notes.html",
    "404.html",
    "_body.html",
    "_note.html",
    "_note_meta.html",
    "_toolbar.html",
    "_footer.html",
    "_cite.html",
    "_shelf_nav.html",
    "_shelf_next.html",
)
LUNR_JS = Path("node_modules/lunr/lunr.min.js")
LUNR_VERSION = "2.3.9"


@dataclass(frozen=True)
class Inputs:
    """Everything the build reads before it checks, read once, up front: every article (with its own
    notes file), the shared notes file, shelf.yaml, the static files, lunr.js and the templates."""

    articles: tuple[ArticleInput, ...]
    annotations_path: str
    annotations_raw: bytes
    shelf_path: str
    shelf_text: str | None
    static: dict[str, bytes]
    lunr_js: bytes
    templates: Path
    found_problems: tuple[Problem, ...]  # files in content/ that cannot be articles: reported with the rest


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 bad input, 2 bad usage)."""
    args = parse_args(argv)
    if args.serve:
        from reader.serve import serve

        return serve(lambda quiet: build_once(args, quiet=quiet), Path(args.out), args.port, watched_paths(args))
    return 1 if build_once(args) else 0


def build_once(args: argparse.Namespace, quiet: bool = False) -> list[str]:
    """Build (or only check) once; print problems one per line and return those lines (none: done)."""
    try:
        done = run_once(args, quiet)
    except BuildError as err:
        failed = [f"error: {problem}" for problem in err.problems]
    except Exception as err:  # a bug of ours, not the user's input: one line, old site untouched
        if args.debug:
            raise
        failed = [
            f"error: internal error ({type(err).__name__}: {err}); the previous site is untouched; "
            "run again with --debug and report the traceback"
        ]
    else:
        if done:
            print(done)
        return []
    for line in failed:
        print(line, file=sys.stderr)
    return failed


def run_once(args: argparse.Namespace, quiet: bool) -> str:
    """Build (or only check) once; return what to tell the user ('' when quiet); raise BuildError."""
    started = time.perf_counter()
    inputs = load_inputs(args)
    shelf = check_inputs(inputs)
    notes = sum(len(parsed.anchored) for parsed in shelf.articles)
    if args.check:
        return f"ok: {plural(notes, 'note')} anchored in {plural(blocks(shelf), 'block')} of text" + (
            f" of {plural(len(shelf.articles), 'article')}" if shelf.several else "")
    files = render_files(inputs, shelf, args.base_url)
    write_site(Path(args.out), files)
    elapsed = (time.perf_counter() - started) * 1000
    what = f"{plural(len(shelf.articles), 'article')}, " if shelf.several else ""
    return "" if quiet else (
        f"built {args.out}/ ({what}{plural(len(files), 'file')}, {plural(notes, 'note')}) in {elapsed:.0f} ms"
    )


def check_inputs(inputs: Inputs) -> Shelf:
    """Check every article and its notes, then the shelf (reader/check.py); raise BuildError with every problem."""
    return check_shelf(inputs.articles, inputs.annotations_path, inputs.annotations_raw, inputs.shelf_path,
                       inputs.shelf_text, inputs.found_problems)


def render_files(inputs: Inputs, shelf: Shelf, base_url: str | None, index: Callable[[Parsed], str] | None = None
                 ) -> SiteFiles:
    """Every file of the site, in memory: the assets once, each article's index and pages, the shelf's pages.
    index: an article's search index script (default: search_index)."""
    files = SiteFiles()
    static = minify_static(inputs.static, {name: shown(ROOT / "static" / name) for name in STATIC_FILES},
                           shown(ROOT / "node_modules" / "terser"))
    index = index or search_index
    assets = {p.address: add_assets(files, static, inputs.lunr_js, index(p), p.text, shelf.several)
              for p in shelf.articles}
    return render_site(make_environment(inputs.templates), files, shelf, lambda parsed: assets[parsed.address],
                       inputs.static, base_url)


def blocks(shelf: Shelf) -> int:
    """Blocks of text on the whole shelf."""
    return sum(len(parsed.article.blocks) for parsed in shelf.articles)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line; argparse exits with status 2 on bad usage."""
    parser = argparse.ArgumentParser(description="Build the annotated reader into a static folder.")
    parser.add_argument("--out", default="_site", help="output folder (default: _site)")
    parser.add_argument(
        "--base-url",
        help="public address of the site, e.g. https://user.github.io/repo/; "
        "fills the canonical link, Open Graph URL and sitemap.xml (links stay relative)",
    )
    parser.add_argument("--check", action="store_true", help="only check the article and notes; write nothing")
    parser.add_argument("--serve", action="store_true", help="build, serve on 127.0.0.1 and rebuild on changes")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve (default: 8000)")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an internal error")
    parser.add_argument(
        "--content", default=str(ROOT / "content"), help="the article: a .md file or a folder holding one"
    )
    parser.add_argument("--annotations", default=str(ROOT / "annotations.yaml"), help="the notes file")
    args = parser.parse_args(argv)
    if args.base_url is not None and not args.base_url.startswith(("https://", "http://")):
        parser.error("--base-url must start with https:// or http://")
    if args.port and not 0 < args.port < 65536:
        parser.error("--port must be between 1 and 65535")
    return args


def watched_paths(args: argparse.Namespace) -> list[Path]:
    """The files and folders whose changes trigger a rebuild in --serve."""
    return [
        Path(args.content),
        Path(args.annotations),
        ROOT / "templates",
        ROOT / "static",
        ROOT / "locales",
        ROOT / "annotations.schema.json",
        ROOT / "content.schema.json",
        ROOT / "shelf.schema.json",
    ]


# ---- Load: read every input, report every missing or unreadable one ----


def load_inputs(args: argparse.Namespace) -> Inputs:
    """Read every input file; raise BuildError naming each one that is missing or unreadable."""
    content = Path(args.content)
    found, found_problems = find_article_files(content, shown(content))
    problems: list[Problem] = []
    articles = []
    for file in found:
        text = _read(file.path, problems, "an article", text=True)
        notes_raw = _read(file.notes_path, problems, "the article's own notes") if file.notes_path.is_file() else None
        articles.append(ArticleInput(file, text, shown(file.notes_path), notes_raw))
    annotations_raw = _read(Path(args.annotations), problems, "the notes file (an empty list [] is fine)")
    shelf_file = (content if content.is_dir() else content.parent) / SHELF_FILE
    shelf_text = _read(shelf_file, problems, "the shelf's order", text=True) if shelf_file.is_file() else None
    static = {
        name: _read(ROOT / "static" / name, problems, "a static file; restore it with git checkout -- static")
        for name in STATIC_FILES
    }
    problems += [Problem(shown(ROOT / "templates" / name), None, "template missing; restore it with git checkout -- "
                         "templates") for name in TEMPLATES if not (ROOT / "templates" / name).is_file()]
    lunr_js = _read_lunr(problems)
    if problems:
        raise BuildError(problems)
    return Inputs(tuple(articles), shown(Path(args.annotations)), annotations_raw, shown(shelf_file), shelf_text,
                  static, lunr_js, ROOT / "templates", tuple(found_problems))


# ---- Index: one document per block of text and per note, with the text the page shows ----


def search_index(parsed: Parsed) -> str:
    """An article's search index, as the script its page loads."""
    stemmer = stemmer_for(parsed.article.lang)
    return serialize_index_script(build_search_index(search_docs(parsed), stemmer=stemmer), from_page=True,
                                  stemmer=stemmer)


def search_docs(parsed: Parsed) -> list[SearchDoc]:
    """The title, standfirst and byline, every block of text, every note and the author's note."""
    article, t = parsed.article, parsed.text
    docs = [SearchDoc("title", "", article.title)]
    if article.standfirst:
        docs.append(SearchDoc("standfirst", "", article.standfirst))
    docs.append(SearchDoc("byline", "", byline_text(article, t)))
    docs += [SearchDoc(block.ref, "", block.text) for block in article.blocks]
    docs += [SearchDoc(f"note-{a.note.id}", a.note.title, a.note.body_text) for a in parsed.anchored]
    if article.author_note:
        docs.append(SearchDoc("author-note", "", article.author_note_text))
    return docs


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read(path: Path, problems: list[Problem], what: str, text: bool = False):
    try:
        data = path.read_bytes()
        return data.decode("utf-8-sig").replace("\r\n", "\n") if text else data
    except FileNotFoundError:
        problems.append(Problem(shown(path), None, f"missing; this is {what}"))
    except IsADirectoryError:
        problems.append(Problem(shown(path), None, f"is a folder; expected {what}"))
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(
            Problem(shown(path), line, f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8")
        )
    except OSError as err:
        problems.append(Problem(shown(path), None, f"cannot be read ({err.strerror}); check its permissions"))
    return "" if text else b""


def _read_lunr(problems: list[Problem]) -> bytes:
    lunr_js = ROOT / LUNR_JS
    try:
        version = json.loads((lunr_js.parent / "package.json").read_text(encoding="utf-8"))["version"]
        data = lunr_js.read_bytes()
    except (OSError, ValueError, KeyError):
        problems.append(Problem(shown(lunr_js), None, "lunr.js is not installed; run `npm ci` (or `make site`)"))
        return b""
    if version != LUNR_VERSION:
        problems.append(
            Problem(shown(lunr_js), None, f"lunr.js {version} installed, {LUNR_VERSION} needed; run `npm ci`")
        )
    return data


if __name__ == "__main__":
    sys.exit(main())
