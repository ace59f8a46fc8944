#!/usr/bin/env python3
"""Build the annotated reader into a static folder.

    python build.py [--out DIR] [--base-url URL] [--check] [--serve [--port N]]

The pipeline, top to bottom: load the inputs, parse the article and the notes, anchor every
note to its quote, index the text for search, render the pages, write the folder. Nothing is
written until every check has passed, and then the new folder replaces the old one in one step.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from reader.anchoring import AnchoredNote, place_notes, sample_quote
from reader.article import Article, check_article, find_content_file, load_content_schema
from reader.errors import BuildError, Problem, by_file_and_line, fail, plural
from reader.images import Image, load_images
from reader.markup import make_markdown
from reader.notes import check_annotations, kinds, load_schema
from reader.output import SiteFiles, write_site
from reader.render import (
    Assets,
    block_html,
    byline_html,
    byline_text,
    checked_line,
    citation,
    credit_line,
    editors,
    headings,
    json_ld,
    kind_groups,
    make_environment,
    note_body,
    note_place,
    notes_by_block,
    notes_intro,
    prose_html,
    reading_minutes,
    render_page,
    site_url,
    style_hash,
    timeline,
)
from reader.search import SearchDoc, build_search_index, serialize_index_script, stemmer_for
from reader.ui_text import UiText, load_ui_text
from reader.webannotation import annotation_collection

ROOT = Path(__file__).resolve().parent
# The page's scripts as shipped: each is its source files in static/, minified and joined in this
# order under one hashed name. reader.js loads with the page, the others on first use; which bundle
# each belongs to is in add_assets (docs/architecture.md draws the whole map).
SCRIPTS = {
    "js/reader.js": ("js/layout.js", "js/reader.js"),
    "js/interact.js": ("js/services.js", "js/notecontrols.js", "js/interact.js"),
    "js/textnorm.js": ("js/textnorm.js",),
    "js/query.js": ("js/query.js",),
    "js/marks.js": ("js/marks.js",),
    "js/search.js": ("js/search.js",),
    "js/quote.js": ("js/quote.js",),
    "js/readernotes.js": (
        "js/annotations.js",
        "js/notelink.js",
        "js/notecard.js",
        "js/notemarks.js",
        "js/notespanel.js",
        "js/readernotes.js",
    ),
}
STYLESHEETS = ("css/site.css", "css/print.css", "css/more.css", "css/404.css", "css/readernotes.css", "css/scripts.css")
STATIC_FILES = (*STYLESHEETS, *dict.fromkeys(part for parts in SCRIPTS.values() for part in parts), "favicon.svg")
TEMPLATES = (
    "base.html",
    "article.html",
    "notes.html",
    "404.html",
    "_body.html",
    "_note.html",
    "_note_meta.html",
    "_toolbar.html",
    "_footer.html",
    "_cite.html",
)
LUNR_JS = Path("node_modules/lunr/lunr.min.js")
LUNR_VERSION = "2.3.9"


@dataclass(frozen=True)
class Inputs:
    """Everything the build reads before it parses, read once, up front."""

    content_path: str
    content_dir: Path
    content_text: str
    annotations_path: str
    annotations_raw: bytes
    static: dict[str, bytes]
    lunr_js: bytes
    templates: Path


@dataclass(frozen=True)
class Parsed:
    """The article, its images and its notes, anchored: everything the pages are made from."""

    article: Article
    images: dict[str, Image]
    anchored: list[AnchoredNote]
    kinds: tuple[str, ...]
    text: UiText


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
    parsed = parse_inputs(inputs)
    if args.check:
        return (
            f"ok: {plural(len(parsed.anchored), 'note')} anchored"
            f" in {plural(len(parsed.article.blocks), 'block')} of text"
        )
    stemmer = stemmer_for(parsed.article.lang)
    index_script = serialize_index_script(
        build_search_index(search_docs(parsed), stemmer=stemmer), from_page=True, stemmer=stemmer
    )
    files = render_site(inputs, parsed, index_script, args.base_url)
    write_site(Path(args.out), files)
    elapsed = (time.perf_counter() - started) * 1000
    return "" if quiet else (
        f"built {args.out}/ ({plural(len(files.items()), 'file')}, {plural(len(parsed.anchored), 'note')})"
        f" in {elapsed:.0f} ms"
    )


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
    ]


# ---- Load: read every input, report every missing or unreadable one ----


def load_inputs(args: argparse.Namespace) -> Inputs:
    """Read every input file; raise BuildError naming each one that is missing or unreadable."""
    problems: list[Problem] = []
    content_file = Path(args.content)
    if content_file.is_dir():
        content_file = find_content_file(content_file)
    content_text = _read(content_file, problems, "the article", text=True)
    annotations_raw = _read(Path(args.annotations), problems, "the notes file (an empty list [] is fine)")
    static = {
        name: _read(ROOT / "static" / name, problems, "a static file; restore it with git checkout -- static")
        for name in STATIC_FILES
    }
    for name in TEMPLATES:
        if not (ROOT / "templates" / name).is_file():
            problems.append(
                Problem(
                    shown(ROOT / "templates" / name),
                    None,
                    "template missing; restore it with git checkout -- templates",
                )
            )
    lunr_js = _read_lunr(problems)
    if problems:
        raise BuildError(problems)
    return Inputs(
        shown(content_file),
        content_file.parent,
        content_text,
        shown(Path(args.annotations)),
        annotations_raw,
        static,
        lunr_js,
        ROOT / "templates",
    )


# ---- Check and anchor: the article, its images and the notes; every problem of all three at once ----


def parse_inputs(inputs: Inputs) -> Parsed:
    """Check the article, read its images, check the notes and anchor every note that can be placed;
    raise one BuildError holding every problem found, by file and line."""
    md = make_markdown()
    content = check_article(md, inputs.content_path, inputs.content_text, load_content_schema())
    images, image_problems = load_images(inputs.content_path, inputs.content_dir, content.figures)
    words = sample_quote(content.blocks or [])
    notes = check_annotations(inputs.annotations_path, inputs.annotations_raw, md, load_schema(), words)
    anchored, anchor_problems = (
        place_notes(inputs.annotations_path, content.blocks, notes.notes, notes.loose_anchors)
        if content.blocks is not None
        else ([], [])  # a body with problems of its own: its quotes would only add follow-on errors
    )
    problems = content.problems + image_problems + notes.problems + anchor_problems
    if problems or content.article is None:
        raise BuildError(by_file_and_line(problems))
    return Parsed(content.article, images, anchored, kinds(load_schema()), load_ui_text(content.article.lang))


# ---- Index: one document per block of text and per note, with the text the page shows ----


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


# ---- Render: every page and asset, into memory ----


def render_site(inputs: Inputs, parsed: Parsed, index_script: str, base_url: str | None) -> SiteFiles:
    """Render every page and asset into memory."""
    article, anchored, t = parsed.article, parsed.anchored, parsed.text
    files = SiteFiles()
    assets = add_assets(files, inputs, index_script, t)
    for image in parsed.images.values():
        files.add(image.name, image.data)
    absolute = site_url(base_url)
    env = make_environment(inputs.templates)
    by_block = notes_by_block(anchored)
    env.globals.update(
        t=t,
        note_body=note_body,
        prose=prose_html,
        checked_line=lambda note: checked_line(note, t),
        note_place=lambda a: note_place(a, t),
        inline=lambda block: block_html(block, by_block.get(block.index, []), t),
    )
    shared = {
        "article": article,
        "assets": assets,
        "notes": anchored,
        "credit": credit_line(article, t, editors(anchored)),
        "root": "",
        "style_hash": "",
        "favicon_data": "",
        "skip_target": "#main",
        "skip_label": "skip_content",
    }
    cited = citation(article, t)
    try:
        files.add(
            "index.html",
            render_page(
                env,
                "article.html",
                **{**shared, "skip_target": "#article-body", "skip_label": "skip_article"},
                page="article",
                page_url=absolute(""),
                json_ld=json_ld(article, absolute("")),
                body=article.body,
                images=parsed.images,
                toc=headings(article),
                byline=byline_html(article, t),
                minutes=reading_minutes(article),
                notes_intro=notes_intro(anchored, t),
                author_note=Markup(article.author_note_html),
                citation=cited,
            ),
        )
        if anchored:
            files.add(
                "notes.html",
                render_page(
                    env,
                    "notes.html",
                    **shared,
                    page="notes",
                    page_url=absolute("notes.html"),
                    groups=kind_groups(anchored, parsed.kinds),
                    timeline=timeline(anchored),
                ),
            )
        css = inputs.static["css/404.css"].decode("utf-8")
        icon = "data:image/svg+xml;base64," + base64.b64encode(inputs.static["favicon.svg"]).decode("ascii")
        files.add(
            "404.html",
            render_page(
                env,
                "404.html",
                **{**shared, "style_hash": f" '{style_hash(css)}'", "favicon_data": icon},
                page="404",
                home=absolute("") or "/",
                inline_css=Markup(css),
            ),
        )
    except Exception as err:  # a broken template: say which and where, not a traceback
        raise template_problem(err) from None
    files.add("cite.bib", cited.bibtex + "\n")
    files.add("cite.json", cited.csl_json + "\n")
    files.add("annotations.jsonld", annotation_collection(article, anchored, absolute("annotations.jsonld")))
    files.add("robots.txt", "User-agent: *\nAllow: /\n" + (f"Sitemap: {absolute('sitemap.xml')}\n" if base_url else ""))
    if base_url:
        files.add(
            "sitemap.xml", sitemap([url for url in (absolute(""), absolute("notes.html") if anchored else None) if url])
        )
    files.add(".nojekyll", "")
    return files


def add_assets(files: SiteFiles, inputs: Inputs, index_script: str, t: UiText) -> Assets:
    """Store the stylesheets, scripts, index and icon under hashed names; return their URLs."""
    static = minify_static(inputs.static)
    marks = files.add_hashed("marks.js", static["js/marks.js"])
    interact_strings, notes_strings = script_strings(t)
    notes = (
        files.add_hashed("readernotes.css", static["css/readernotes.css"]),
        # its strings in the same file: one URL fewer in the page
        files.add_hashed("readernotes.js", notes_strings.encode("utf-8") + static["js/readernotes.js"]),
    )
    search = (
        files.add_hashed("lunr.min.js", inputs.lunr_js),
        files.add_hashed("textnorm.js", static["js/textnorm.js"]),
        files.add_hashed("query.js", static["js/query.js"]),
        files.add_hashed("search-index.js", index_script),
        marks,
        files.add_hashed("search.js", static["js/search.js"]),
    )
    quote = (marks, files.add_hashed("quote.js", static["js/quote.js"]))
    # The later bundles are named in the interaction layer, which every one of them loads after: the
    # first view carries only the interaction layer's own two addresses.
    later = json.dumps({"search": search, "quote": quote, "notes": notes}, sort_keys=True)
    prelude = f"{interact_strings}globalThis.ReaderBundles = {later};\n"
    interact = (
        files.add_hashed("more.css", static["css/more.css"]),
        files.add_hashed("interact.js", prelude.encode("utf-8") + static["js/interact.js"]),
    )
    return Assets(
        stylesheet=files.add_hashed("site.css", static["css/site.css"]),
        print_stylesheet=files.add_hashed("print.css", static["css/print.css"]),
        more_stylesheet=interact[0],
        favicon=files.add_hashed("favicon.svg", static["favicon.svg"]),
        script_stylesheet=files.add_hashed("scripts.css", static["css/scripts.css"]) if t.script_styles else "",
        reader_script=files.add_hashed("reader.js", static["js/reader.js"]),
        interact_bundle=interact,
        search_bundle=search,
        quote_bundle=quote,
        notes_bundle=notes,
    )


def script_strings(t: UiText) -> tuple[str, str]:
    """The scripts' interface strings: the interaction layer's, and the reader notes' (rn_*),
    which load with their own bundle."""
    notes = {key: value for key, value in t.script.items() if key.startswith("rn_")}
    rest = replace(t, script={key: value for key, value in t.script.items() if key not in notes})
    return rest.script_json(), ("Object.assign(globalThis.ReaderStrings || (globalThis.ReaderStrings = {}), "
                                + json.dumps(notes, ensure_ascii=False, sort_keys=True) + ");\n")


def minify_static(static: dict[str, bytes]) -> dict[str, bytes]:
    """Our stylesheets (rcssmin) and scripts (terser, SCRIPTS joined) without comments and indentation,
    local names shortened in scripts: they count against the page budgets. The icon as it is."""
    import rcssmin

    from reader.minify import minify_scripts

    sources = {shown(ROOT / "static" / name): name for parts in SCRIPTS.values() for name in parts}
    minified = minify_scripts(
        {path: static[name].decode("utf-8") for path, name in sources.items()}, shown(ROOT / "node_modules" / "terser")
    )
    by_source = {name: minified[path] for path, name in sources.items()}
    return {
        **{name: rcssmin.cssmin(static[name].decode("utf-8")).encode("utf-8") for name in STYLESHEETS},
        **{name: "\n".join(by_source[part] for part in parts).encode("utf-8") for name, parts in SCRIPTS.items()},
        "favicon.svg": static["favicon.svg"],
    }


def sitemap(page_urls: list[str]) -> str:
    """A sitemap listing the pages."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"<url><loc>{url}</loc></url>\n" for url in page_urls)
        + "</urlset>\n"
    )


def template_problem(err: Exception) -> BuildError:
    """Describe a template failure as file:line: what; what to do."""
    import jinja2

    if isinstance(err, jinja2.TemplateSyntaxError):
        return fail(
            shown(ROOT / "templates" / (err.name or "?")),
            err.lineno,
            f"template syntax error: {err.message}; fix the tag",
        )
    if isinstance(err, jinja2.TemplateNotFound):
        return fail(
            shown(ROOT / "templates" / str(err.name)),
            None,
            "template missing; restore it with git checkout -- templates",
        )
    if isinstance(err, jinja2.UndefinedError):
        return fail(
            shown(ROOT / "templates"), None, f"a template uses an unknown name ({err.message}); fix the template"
        )
    raise err


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
