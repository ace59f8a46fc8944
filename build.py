#!/usr/bin/env python3
"""Build the annotated reader into a static folder: one article, or a shelf of them.

    python build.py [--out DIR] [--base-url URL] [--check] [--serve [--port N]] [--cache DIR | --no-cache]

The pipeline, top to bottom: load the inputs; check each article (parse it and its notes, anchor every
note to its quote), then the shelf; render each article's pages (with its own search index when it is
alone); index the whole shelf for search; render the shelf's own pages; write the folder. Per-article
work is shared between the cores and kept in a cache for the next build. Nothing is written until every
check has passed, and then the new folder replaces the old one in one step.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from reader.assets import SHELF_INDEX_POINTER, STATIC_FILES, add_assets, minify_static
from reader.cache import BuildCache, code_key, digest
from reader.check import ArticleInput, ArticleJob, Checked, Parsed, Shelf, Units, check_one, check_shelf, image_state
from reader.errors import BuildError, Problem, plural
from reader.output import SiteFiles, Staging
from reader.pages import RenderedArticle, article_annotations, article_files, render_site, shelf_files, with_shelf_list
from reader.render import Assets, byline_text, make_environment, site_url
from reader.search import SearchDoc, build_search_index, serialize_index_script, stemmer_for
from reader.shelf import SHELF_FILE, find_article_files
from reader.shelfindex import ShelfDoc, ShelfIndex, ShelfIndexState, build_shelf_index, update_shelf_index
from reader.work import CONTEXT, Progress, share

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
# What the build's results depend on besides its inputs: a change to any of them makes the cache's entries stale.
CODE_FOLDERS = ("reader", "templates", "static", "locales")
CODE_FILES = ("build.py", "annotations.schema.json", "content.schema.json", "shelf.schema.json")
CACHE = ROOT / ".cache" / "build"
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

        memory: dict = {}  # the cache's entries the last build used, kept between the server's builds
        return serve(lambda quiet: build_once(args, quiet, memory), Path(args.out), args.port, watched_paths(args))
    return 1 if build_once(args) else 0


def build_once(args: argparse.Namespace, quiet: bool = False, memory: dict | None = None) -> list[str]:
    """Build (or only check) once; print problems one per line and return those lines (none: done)."""
    try:
        done = run_once(args, quiet, memory)
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


def run_once(args: argparse.Namespace, quiet: bool, memory: dict | None = None) -> str:
    """Build (or only check) once; return what to tell the user ('' when quiet); raise BuildError.

    Per article (shared between the cores, and from the cache where nothing it depends on changed):
    check, then render into a fresh folder; then the shelf's own pages; then the folder replaces --out."""
    started = time.perf_counter()
    progress = Progress(io.StringIO() if quiet else sys.stderr)
    inputs = load_inputs(args)
    cache = BuildCache(None if args.no_cache else Path(args.cache), code_key(ROOT, CODE_FOLDERS, CODE_FILES), memory)
    keys: dict[str, str] = {}
    shelf = check_inputs(inputs, lambda jobs: check_cached(jobs, cache, keys, progress))
    notes = sum(len(parsed.anchored) for parsed in shelf.articles)
    if args.check:
        progress.clear()
        return f"ok: {plural(notes, 'note')} anchored in {plural(blocks(shelf), 'block')} of text" + (
            f" of {plural(len(shelf.articles), 'article')}" if shelf.several else "")
    with Staging(Path(args.out), cache.site_record(Path(args.out))) as staging:
        build_into(staging, inputs, shelf, args.base_url, cache, keys, progress)
        staging.commit()
    cache.keep_in_memory()
    progress.clear()
    elapsed = (time.perf_counter() - started) * 1000
    what = f"{plural(len(shelf.articles), 'article')}, " if shelf.several else ""
    steps = cache.hits + cache.misses
    reused = f"; {cache.hits} of {steps} steps from the cache" if shelf.several and cache.hits else ""
    written = len(staging.written) - 1  # not the folder's marker
    return "" if quiet else (f"built {args.out}/ ({what}{plural(written, 'file')}, "
                             f"{plural(notes, 'note')}) in {elapsed:.0f} ms{reused}")


def check_inputs(inputs: Inputs, check_units: Units | None = None) -> Shelf:
    """Check every article and its notes, then the shelf (reader/check.py); raise BuildError with every problem."""
    return check_shelf(inputs.articles, inputs.annotations_path, inputs.annotations_raw, inputs.shelf_path,
                       inputs.shelf_text, inputs.found_problems, check_units)


def check_cached(jobs: Sequence[ArticleJob], cache: BuildCache, keys: dict[str, str], progress: Progress
                 ) -> list[Checked]:
    """Each article's check: from the cache when its inputs (and its images) are as they were, else made on
    every core and kept; each check's key goes into keys, by address, for its rendering's key."""
    found: list[Checked | None] = []
    for job in jobs:
        keys[job.item.file.address] = key = cache.key("check", *job.key_parts())
        found.append(cache.get(key, images_unchanged(job.item)))
    todo = [i for i, checked in enumerate(found) if checked is None]
    for i, checked in zip(todo, share(check_one, [jobs[i] for i in todo], "checking", progress), strict=True):
        cache.put(keys[jobs[i].item.file.address], checked)
        found[i] = checked
    return [checked for checked in found if checked is not None]


def images_unchanged(item: ArticleInput) -> Callable[[Checked], bool]:
    """Whether a kept check of item still holds: the image files it names are as they were."""
    return lambda kept: image_state(item, [source for source, _ in kept.images]) == kept.images


def build_into(staging: Staging, inputs: Inputs, shelf: Shelf, base_url: str | None, cache: BuildCache,
               keys: dict[str, str], progress: Progress) -> None:
    """Write every file of the site into staging: the assets, each article's files, the shelf's search index
    (remade from the last build's where only some articles changed), then the shelf's own pages."""
    files = SiteFiles()
    static = minify_static(inputs.static, {name: shown(ROOT / "static" / name) for name in STATIC_FILES},
                           shown(ROOT / "node_modules" / "terser"))
    assets = {lang: add_assets(files, static, inputs.lunr_js, text, shelf.several)
              for lang, text in {p.text.lang: p.text for p in shelf.articles}.items()}
    assets = with_shelf_list(files, shelf, base_url, assets)  # a shelf's pages name the list of its articles
    env = make_environment(inputs.templates)
    shares = render_articles(staging, shelf, assets, env, base_url, cache, keys, progress)
    if shelf.several:
        # One entry per site that each build of it replaces: its index before, so an edit remakes only what it touches.
        state_key = cache.key("shelf index", str(staging.out.resolve()))
        index, state = update_shelf_index(cache.get(state_key, lambda kept: isinstance(kept, ShelfIndexState)),
                                          [doc for one in shares for doc in one.docs])
        cache.put(state_key, state)
        staging.write_all(shelf_index_files(index))
    staging.write_all(shelf_files(env, files, shelf, lambda p: assets[p.text.lang], inputs.static, base_url,
                                  [line for one in shares for line in one.annotations]))


def render_articles(staging: Staging, shelf: Shelf, assets: dict[str, Assets], env: jinja2.Environment,
                    base_url: str | None, cache: BuildCache, keys: dict[str, str], progress: Progress
                    ) -> list[RenderedArticle]:
    """Write each article's files (from the cache where neither the article nor its place on the shelf changed,
    else rendered on every core and kept); return each one's share of the shelf's files, in shelf order (its
    files dropped once written: the pages of a thousand articles are never all in memory)."""
    render_keys = [cache.key("render", keys[p.address], render_context(shelf, p, assets[p.text.lang], base_url))
                   for p in shelf.articles]
    shares: list[RenderedArticle | None] = []
    for key in render_keys:
        kept = cache.get(key, lambda value: isinstance(value, RenderedArticle))
        if kept is not None:
            staging.write_all(kept.files)
        shares.append(kept and replace(kept, files=[]))
    todo = [i for i, one in enumerate(shares) if one is None]
    made = share(render_unit, todo, "rendering", progress, {"env": env, "shelf": shelf, "assets": assets,
                                                            "base_url": base_url})
    for i, rendered in zip(todo, made, strict=True):
        cache.put(render_keys[i], rendered)
        staging.write_all(rendered.files)
        shares[i] = replace(rendered, files=[])
    return [one for one in shares if one is not None]


def render_context(shelf: Shelf, parsed: Parsed, assets: Assets, base_url: str | None) -> str:
    """What an article's files depend on besides the article: its place on the shelf (number, neighbours'
    addresses and titles, the shelf's title), how many articles mention its shared notes, the assets'
    addresses, the site's address."""
    at = shelf.position(parsed.address)
    neighbours = [(p.address, p.article.title) for p in shelf.articles[max(0, at - 1) : at + 2]]
    counts = [(a.note.id, sum(a.note.id in p.mentions for p in shelf.articles))
              for a in parsed.anchored if a.note.shared]
    images = [(src, digest(image.data)) for src, image in sorted(parsed.images.items())]
    return repr((shelf.several, at, len(shelf.articles), neighbours, shelf.config.title, counts, images, assets,
                 base_url))


def render_unit(index: int) -> RenderedArticle:
    """The shelf's article at `index`, rendered (run by a worker: CONTEXT holds the templates and the shelf)."""
    shelf: Shelf = CONTEXT["shelf"]
    parsed, base_url = shelf.articles[index], CONTEXT["base_url"]
    made = article_files(CONTEXT["env"], shelf, parsed, CONTEXT["assets"][parsed.text.lang], base_url,
                         None if shelf.several else search_index(parsed))  # a shelf has one index for all
    return RenderedArticle(made.items(), tuple(article_docs(parsed)) if shelf.several else (),
                           article_annotations(shelf, parsed, site_url(base_url)))


def render_files(inputs: Inputs, shelf: Shelf, base_url: str | None, index: Callable[[Parsed], str] | None = None
                 ) -> SiteFiles:
    """Every file of the site, in memory: the assets once, each article's index and pages, the shelf's pages.
    index: an article's search index script (default: search_index)."""
    files = SiteFiles()
    static = minify_static(inputs.static, {name: shown(ROOT / "static" / name) for name in STATIC_FILES},
                           shown(ROOT / "node_modules" / "terser"))
    assets = {lang: add_assets(files, static, inputs.lunr_js, text, shelf.several)
              for lang, text in {p.text.lang: p.text for p in shelf.articles}.items()}
    assets = with_shelf_list(files, shelf, base_url, assets)  # a shelf's pages name the list of its articles
    own_index = (lambda _: None) if shelf.several else (index or search_index)
    render_site(make_environment(inputs.templates), files, shelf, lambda parsed: assets[parsed.text.lang],
                inputs.static, base_url, own_index)
    if shelf.several:
        shelf_index = build_shelf_index([doc for parsed in shelf.articles for doc in article_docs(parsed)])
        for path, data in shelf_index_files(shelf_index):
            files.add(path, data)
    return files


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
    parser.add_argument("--cache", default=str(CACHE),
                        help="where earlier builds' results are kept for the next one (default: .cache/build)")
    parser.add_argument("--no-cache", action="store_true",
                        help="check and render every article again, without reading or writing the cache")
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


def article_docs(parsed: Parsed) -> list[ShelfDoc]:
    """What the shelf's search index holds of one article (reader/shelfindex.py): its search docs."""
    return [ShelfDoc(parsed.address, parsed.article.title, d.ref, d.title, d.body) for d in search_docs(parsed)]


def shelf_index_files(index: ShelfIndex) -> list[tuple[str, bytes]]:
    """A shelf's search index as files: its parts in search/, and the pointer to its manifest."""
    pointer = f"globalThis.ReaderShelfManifest = {json.dumps(index.manifest.removesuffix('.js'))};\n"
    return [(f"search/{name}", data) for name, data in sorted(index.files.items())] + [
        (SHELF_INDEX_POINTER, pointer.encode("utf-8"))]


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
