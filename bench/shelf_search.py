#!/usr/bin/env python3
"""Search the whole shelf (issue 25): our built shelf, our engine alone, Pagefind and MkDocs Material on the same text.

    .venv/bin/python bench/shelf_search.py [--scales 1,10,100,1000] [--rounds 3]
        [--engines site,ours,before,pagefind,material] [--before REV]

In `make bench` this is section 8 (engines site, pagefind, material), on the shelves section 7
(bench/shelf_build.py) wrote and built; alone, it writes and builds them itself in a temporary folder. The
shelves: bench/shelf_input.py, our own input format (bench/shelf_synthetic.py's words: 16 paragraphs and 10
notes an article, some 2,300 words, Zipf-like).

- site: our site as `build.py` builds it (a shelf, even of 1 article: shelf.yaml makes it one; one index for
  all in search/), searched from the first article's page with the page's own search box, over http and
  from file://. The search bundle loads when the box gets focus, so the first query
  includes loading it, as a reader meets it.
- ours, before: reader/shelfindex.py's index of the same docs with the engine alone on the bench's page
  (bench/shelf_page.js: loads the engine and manifest on focus, 20 results grouped by article); "before" is
  the index and engine as they were at git revision REV (main unless --before says), measured in the same run
  beside ours, and each later query's part loads are traced in the page (how many parts, how many rounds of
  loads one after the other, how much of the time no load was pending: the engine computing).
- pagefind: Pagefind's index of our built article pages, through its JS API on a page of the bench's and
  through its default UI. http only: Pagefind does not run from file://.
- material: `mkdocs build` (Material) of the same text, one page an article; its search box.

Chromium (Playwright, /usr/bin/chromium) opens a fresh page per round and types a remembered run of 6-8 words
of a paragraph (the first query), then, in the first round, later queries (other runs, single words, a typo,
a word letter by letter). Each is timed in the page from the `input` event (a capture listener) to the first
change of the page that shows that query's answer (a MutationObserver). Bytes are what the first query
fetched for search, each file as a server sends it (gzip -9; Pagefind's own files are compressed already and
count as they are), and how much of it is the index. Prints tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True  # leave no __pycache__ in bench/

from bench import browser  # noqa: E402
from bench.common import heading, median, table  # noqa: E402
from bench.shelf_build import ShelfSite, Shelves, files_size  # noqa: E402
from bench.shelf_synthetic import ShelfArticle, remembered_phrases  # noqa: E402
from reader.minify import minify_scripts  # noqa: E402
from reader.shelfindex import ShelfDoc, build_shelf_index  # noqa: E402

SCALES = (1, 10, 100, 1000)
ENGINE_SCRIPTS = ("js/textnorm.js", "js/lunr.min.js", "js/query.js", "js/shelfparts.js", "js/shelfindex.js",
                  "js/shelfwords.js", "js/shelfsearch.js")
ENGINES = ("site", "ours", "before", "pagefind", "material")
BENCH_ENGINES = ("site", "pagefind", "material")  # what `make bench` measures
VERBOSE = bool(os.environ.get("SHELF_BENCH_VERBOSE"))  # also print each later query's ms (and the engine page's loads)
LUNR = ROOT / "node_modules" / "lunr" / "lunr.min.js"
TARGETS = {"first_kb": 150, "first_ms": 300, "later_ms": 30}
ANSWER_TIMEOUT_MS = 5_000  # a query with no answer (or one that changes nothing on the page) by then counts as none

# t0 at the input event; done at the first mutation after it where the page shows its answer to the query
# typed: the element `answerIn`'s text matches the pattern `answerSays`, {q} in it the query (trimmed, matched
# as it is). No eval: our pages' CSP forbids it.
OBSERVE_JS = r"""([answerIn, answerSays, timeout]) => {
  const literal = (q) => q.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  window.__benchAnswered = (q) => new RegExp(answerSays.replace('{q}', () => literal(q)))
    .test(document.querySelector(answerIn)?.textContent || '');
  let t0 = null, pending = null, query = '';
  document.addEventListener('input', () => { t0 = performance.now(); }, true);
  const check = () => {
    if (t0 === null || !pending || !window.__benchAnswered(query)) return;
    const resolve = pending, ms = performance.now() - t0;
    window.__benchT0 = t0; t0 = null; pending = null;
    resolve({ms});
  };
  new MutationObserver(check).observe(document.body, {childList: true, subtree: true, characterData: true});
  window.__benchExpect = (q) => {
    query = q;
    window.__benchResult = Promise.race([
      new Promise((resolve) => { pending = resolve; }),
      new Promise((resolve) => setTimeout(() => resolve(null), timeout))]);
  };
}"""
# The parts ours loaded for the last query answered (shelf_page.js traces each load's start and end): how many,
# the longest chain of loads each started after the one before ended (rounds), and the time some load was pending.
LOADS_JS = """(ms) => {
  const t0 = window.__benchT0, loads = (window.__shelfLoads || []).filter(([, s]) => s >= t0 && s <= t0 + ms);
  const depth = loads.map(() => 1), kinds = {};
  for (const [url] of loads) { const k = url.split('/').pop()[0]; kinds[k] = (kinds[k] || 0) + 1; }
  loads.forEach(([, s], i) => loads.forEach(([, , e], j) => { if (j < i && e <= s) depth[i] = Math.max(depth[i], depth[j] + 1); }));
  let busy = 0, until = t0;
  for (const [, s, e] of [...loads].sort((x, y) => x[1] - y[1])) {
    const end = Math.min(e, t0 + ms);
    if (end > until) { busy += end - Math.max(s, until); until = end; }
  }
  return {parts: loads.length, rounds: Math.max(0, ...depth), loading: busy, kinds: JSON.stringify(kinds)};
}"""


@dataclass(frozen=True)
class Engine:
    """A search page to measure: where it is, how to type into it, how it shows an answer, what a result is."""

    name: str
    page: str  # path under the folder served
    input: str
    answer_in: str  # the element that shows the answer ...
    answer_says: str  # ... once its text matches this pattern ({q}: the query typed, trimmed)
    item: str
    counted: tuple[str, ...]  # URL path starts whose fetches count as the search's bytes
    index_files: str  # a pattern of the URL paths among them that are the index (the rest: the engine)
    file_url: bool = False  # also measured from file://
    on_use: bool = False  # the search loads on use: count only what is fetched once the page is idle
    traced: bool = False  # the bench's page traces each part load (shelf_page.js)
    keyed: bool = False  # searches on a key (keyup), not on input: fill all but the last letter, then press it
    wait_until: str = "load"


SITE = Engine("ours, built site", "index.html", "#search-input", "#search-status", "\u201c{q}\u201d",
              "#search-results a[role=option]", ("/assets/", "/search/"), r"^/search/", file_url=True,
              on_use=True, wait_until="networkidle")
ENGINE_PAGE = Engine("ours", "shelf.html", "#q", "#status", "\u201c{q}\u201d", "#results a.result", ("/js/", "/search/"),
                     r"^/search/", file_url=True, traced=True)
PAGEFIND_API = Engine("pagefind JS API", "pagefind-api.html", "#q", "#status", "\u201c{q}\u201d", "#results a.result",
                      ("/pagefind/",), r"\.pf_|pagefind-entry\.json$")
# Its message says "Searching for q..." before the answer: wait for "N results for q".
PAGEFIND_UI = Engine("pagefind default UI", "pagefind-ui.html", ".pagefind-ui__search-input", ".pagefind-ui__message",
                     r"results? for {q}\s*$", ".pagefind-ui__result", ("/pagefind/",), r"\.pf_|pagefind-entry\.json$")
# Material loads its whole index with the page (a query typed before it is ready is lost): wait for it. Its
# box searches on keyup (a filled value alone is not searched), and its answer does not name the query.
MATERIAL = Engine("mkdocs material", "index.html", ".md-search__input", ".md-search-result__meta", "matching document",
                  ".md-search-result__item", ("/search/", "/assets/javascripts/workers/"), r"search_index\.json$",
                  keyed=True, wait_until="networkidle")


@dataclass
class Row:
    """One engine at one scale: the figures of every round."""

    engine: str
    scale: int
    first_kb: float | None = None
    first_index_kb: float | None = None
    first_ms: list[float] = field(default_factory=list)
    file_first_ms: list[float] = field(default_factory=list)
    later_ms: list[float] = field(default_factory=list)
    file_later_ms: list[float] = field(default_factory=list)
    index_kb: float | None = None  # on disk, raw
    index_gz_kb: float | None = None
    build_s: float | None = None  # ours and before: build_shelf_index alone
    top1: str = ""
    unanswered: int = 0  # queries whose answer did not show within ANSWER_TIMEOUT_MS
    note: str = ""
    later_loads: list[dict] = field(default_factory=list)  # traced pages, http: per later query {parts, rounds, loading}
    later_by_query: list[tuple[str, float | None]] = field(default_factory=list)  # http, the first round


# ---------------------------------------------------------------- our engine alone, as it is and as it was


@dataclass(frozen=True)
class Variant:
    """One version of our index and engine: the function that builds the index and the engine's scripts."""

    label: str
    build: Callable[[Sequence[ShelfDoc]], Any]  # -> an object with .files {name: bytes} and .manifest
    scripts: dict[str, str]  # ENGINE_SCRIPTS path -> source (lunr.js aside)


def current_variant() -> Variant:
    """Ours, as in this checkout."""
    return Variant("ours", build_shelf_index, {name: (ROOT / "static" / name).read_text(encoding="utf-8")
                                               for name in ENGINE_SCRIPTS if "lunr" not in name})


def variant_at(revision: str) -> Variant:
    """Ours as it was at a git revision: its reader/shelfindex.py (as a module of its own) and its scripts."""
    def show(path: str) -> str:
        return subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout

    spec = importlib.util.spec_from_loader(f"shelfindex_{revision}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    exec(compile(show("reader/shelfindex.py"), f"{revision}:reader/shelfindex.py", "exec"), module.__dict__)  # noqa: S102
    return Variant(f"before ({revision})", _builder(module),
                   {name: show(f"static/{name}") for name in ENGINE_SCRIPTS if "lunr" not in name})


def _builder(module: ModuleType) -> Callable[[Sequence[ShelfDoc]], Any]:
    """The module's build_shelf_index, fed docs of its own ShelfDoc class."""
    def build(docs: Sequence[ShelfDoc]) -> Any:
        return module.build_shelf_index([module.ShelfDoc(d.article, d.article_title, d.ref, d.title, d.text) for d in docs])

    return build


def shelf_docs(articles: Sequence[ShelfArticle]) -> list[ShelfDoc]:
    """The shelf's docs as reader/shelfindex.py takes them."""
    return [ShelfDoc(a.address, a.title, d.ref, d.title, d.text) for a in articles for d in a.docs]


def write_engine_page(variant: Variant, articles: Sequence[ShelfArticle], folder: Path) -> Row:
    """Write a variant's index, its engine (minified by terser as the build ships it) and the bench's search page
    into folder; return its row with the index's build seconds and sizes."""
    started = time.perf_counter()
    index = variant.build(shelf_docs(articles))
    build_s = time.perf_counter() - started
    (folder / "search").mkdir(parents=True, exist_ok=True)
    for path, data in index.files.items():
        (folder / "search" / path).write_bytes(data)
    (folder / "js").mkdir(exist_ok=True)
    for name, code in {**minify_scripts(variant.scripts), "js/lunr.min.js": LUNR.read_text(encoding="utf-8")}.items():
        (folder / name).write_text(code, encoding="utf-8")
    (folder / "js" / "shelf_page.js").write_bytes((ROOT / "bench" / "shelf_page.js").read_bytes())
    (folder / "shelf.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shelf search</title></head>'
        f'<body data-base="search/" data-manifest="{index.manifest.removesuffix(".js")}" data-scripts="{" ".join(ENGINE_SCRIPTS)}">'
        '<input id="q" type="search" autocomplete="off"><p id="status"></p><div id="results"></div>'
        '<script src="js/shelf_page.js"></script></body></html>\n', encoding="utf-8")
    return replace(index_row(variant.label, len(articles), [folder / "search" / p for p in index.files]), build_s=build_s)


# ---------------------------------------------------------------- the yardsticks' pages


PAGEFIND_API_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind API</title></head>
<body><input id="q" type="search"><p id="status"></p><div id="results"></div>
<script type="module">
const pagefind = await import('./pagefind/pagefind.js');
const input = document.getElementById('q'), list = document.getElementById('results');
let asked = 0;
input.addEventListener('focus', () => pagefind.init());
input.addEventListener('input', async () => {
  const mine = ++asked, found = await pagefind.search(input.value);
  const shown = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  if (mine !== asked) return;
  const items = shown.map((d) => { const a = document.createElement('a'); a.href = d.url; a.className = 'result';
    a.textContent = d.meta.title + ': ' + d.excerpt.replace(/<[^>]+>/g, ''); return a; });
  list.replaceChildren(...items);
  document.getElementById('status').textContent = found.results.length + ' results for \u201c' + input.value.trim() + '\u201d';
});
</script></body></html>
"""
PAGEFIND_UI_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind UI</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div>
<script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search', showSubResults: false }); });</script>
</body></html>
"""


def write_pagefind_pages(folder: Path) -> None:
    """The two pages that search Pagefind's index: its JS API on a page like ours, and its default UI."""
    (folder / "pagefind-api.html").write_text(PAGEFIND_API_PAGE, encoding="utf-8")
    (folder / "pagefind-ui.html").write_text(PAGEFIND_UI_PAGE, encoding="utf-8")


# ---------------------------------------------------------------- one page, one round


@dataclass
class Round:
    """What one fresh page measured: the first query's ms, the later ones', the first query's (KB, of it
    index KB) over http, and the first three results' links."""

    first_ms: float | None
    later_ms: list[float | None]
    kb: tuple[float, float] | None
    top: list[str]
    later_typed: list[str]  # what each of later_ms answered


def measure(chromium: Any, url: str, engine: Engine, first: str, later: list[str | tuple[str, ...]], probe: str,
            site: Path, loads: list[dict] | None = None) -> Round:
    """Open a fresh page, type the first query then the later ones (each later query's traced part loads into
    loads, when given)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    try:
        page = context.new_page()
        page.goto(url + engine.page, wait_until=engine.wait_until, timeout=browser.LOAD_TIMEOUT_MS)
        if engine.on_use:
            fetched.clear()
        page.evaluate(OBSERVE_JS, [engine.answer_in, engine.answer_says, ANSWER_TIMEOUT_MS])
        if engine is MATERIAL:
            wait_until_ready(page, engine, probe)
        first_ms = typed(page, engine, first)
        kb = search_kb(fetched, engine, site) if url.startswith("http") else None
        top = page.eval_on_selector_all(engine.item, "els => els.slice(0, 3).map(e => e.href || (e.querySelector('a') || {}).href || '')")
        later_ms = [ms for q in later for ms in typed_each(page, engine, q, loads)]
        return Round(first_ms, later_ms, kb, top, [text for q in later for text in ([q] if isinstance(q, str) else q)])
    finally:
        context.close()


def wait_until_ready(page: Any, engine: Engine, probe: str) -> None:
    """Material drops a query typed before its worker has built the index: type a word of the shelf (some results,
    so the first query's answer shows as a change) until it answers, for up to 5 minutes."""
    for _ in range(150):
        page.fill(engine.input, "")
        type_into(page, engine, probe)
        try:
            page.wait_for_function("(q) => window.__benchAnswered(q)", arg=probe, timeout=2000)
            return
        except Exception:  # Playwright's TimeoutError: not ready yet
            continue
    raise RuntimeError("MkDocs Material's search never answered")


def typed(page: Any, engine: Engine, query: str) -> float | None:
    """Fill the box with query (it gets focus, then one input event) and wait until the page shows its answer; ms or None."""
    page.evaluate("(q) => window.__benchExpect(q)", query)
    type_into(page, engine, query)
    got = page.evaluate("() => window.__benchResult")
    return got["ms"] if got else None


def type_into(page: Any, engine: Engine, query: str) -> None:
    """Put query in the box: filled at once (one input event), or for a box that searches on a key, its last letter
    pressed after the rest is filled."""
    if engine.keyed:
        page.fill(engine.input, query[:-1])
        page.keyboard.press(query[-1])
    else:
        page.fill(engine.input, query)


def typed_each(page: Any, engine: Engine, query: str | tuple[str, ...], loads: list[dict] | None = None) -> list[float | None]:
    """A query filled at once, or (a tuple) a word typed letter by letter, each keystroke timed (and its loads
    traced into loads, when given)."""
    times = []
    for n, text in enumerate([query] if isinstance(query, str) else query):
        if n:
            page.evaluate("(q) => window.__benchExpect(q)", text)
            page.keyboard.press(text[-1])
            got = page.evaluate("() => window.__benchResult")
            times.append(got["ms"] if got else None)
        else:
            times.append(typed(page, engine, text))
        if loads is not None and times[-1] is not None:
            loads.append({"query": text, **page.evaluate(LOADS_JS, times[-1])})
    return times


def search_kb(urls: list[str], engine: Engine, site: Path) -> tuple[float, float]:
    """KB the search's fetches weigh, each file once as a server sends it; and how much of that is the index."""
    paths = [path for path in dict.fromkeys(unquote(urlsplit(u).path) for u in urls)
             if path.startswith(engine.counted) and (site / path.lstrip("/")).is_file()]
    _, _, sent = files_size([site / path.lstrip("/") for path in paths])
    _, _, index = files_size([site / path.lstrip("/") for path in paths if re.search(engine.index_files, path)])
    return sent / 1000, index / 1000


# ---------------------------------------------------------------- one scale


def later_queries(articles: Sequence[ShelfArticle]) -> list[str | tuple[str, ...]]:
    """Later queries: five other remembered runs, two words, a typo, a word letter by letter."""
    runs = [q for q, _, _ in remembered_phrases(list(articles), 6, seed=9)[1:]]
    words = [next(w for w in doc.text.lower().split() if len(w) >= 7 and w.isalpha()) for doc in articles[0].docs[:3]]
    typo = words[0][:3] + words[0][4] + words[0][3] + words[0][5:]
    return [*runs, "the", words[1], typo, tuple(words[2][:k] for k in range(1, 6))]


def engines(shelf: ShelfSite, wanted: Sequence[str], variants: Sequence[Variant]) -> list[tuple[Engine, Row, Path]]:
    """Every engine wanted that there is at this scale, with its row (index sizes filled in) and the folder it is
    served from; made now where they are not yet (our site, our engine's pages, Pagefind's index, MkDocs' site)."""
    k, articles = len(shelf.inputs.articles), shelf.inputs.articles
    found = []
    if "site" in wanted:
        site = shelf.built()
        found.append((replace(SITE, page=f"{articles[0].address}/index.html"), index_row(SITE.name, k, our_index(site)), site))
    for n, variant in enumerate(variants):
        folder = shelf.folder / f"engine-{n}"
        found.append((ENGINE_PAGE, write_engine_page(variant, articles, folder), folder))
    pagefind = shelf.pagefind_indexed() if "pagefind" in wanted else None
    if pagefind:
        write_pagefind_pages(pagefind.parent)
        files = [p for p in pagefind.rglob("*") if p.is_file()]
        found += [(PAGEFIND_API, index_row(PAGEFIND_API.name, k, files), pagefind.parent),
                  (PAGEFIND_UI, index_row(PAGEFIND_UI.name, k, files, "debounces input 300 ms"), pagefind.parent)]
    material = shelf.material_built() if "material" in wanted else None
    if material:
        found.append((MATERIAL, index_row(MATERIAL.name, k, [material / "search" / "search_index.json"],
                                          "index loads with the page (not timed)"), material))
    return found


def our_index(site: Path) -> list[Path]:
    """Our index's files: the shelf's search/ folder (shelf.yaml makes a shelf of one article a shelf too)."""
    return [p for p in (site / "search").rglob("*") if p.is_file()]


def index_row(engine: str, k: int, files: list[Path], note: str = "") -> Row:
    """A row with the index's size on disk, raw and as sent."""
    _, raw, sent = files_size(files)
    return Row(engine, k, index_kb=raw / 1000, index_gz_kb=sent / 1000, note=note)


def measure_scale(chromium: Any, shelf: ShelfSite, rounds: int, wanted: Sequence[str], variants: Sequence[Variant]
                  ) -> list[Row]:
    """Every engine at one scale, in turn."""
    articles = list(shelf.inputs.articles)
    phrases, later = remembered_phrases(articles, rounds, seed=8), later_queries(articles)
    rows = []
    for engine, row, root in engines(shelf, wanted, variants):
        try:
            measure_engine(chromium, engine, row, root, phrases, later, str(later[6]))
        except Exception as error:  # one engine failing leaves the others' figures
            row.note = f"failed: {type(error).__name__}: {str(error)[:80]}"
        rows.append(row)
    return rows


def measure_engine(chromium: Any, engine: Engine, row: Row, root: Path, phrases: list[tuple[str, str, str]],
                   later: list[str | tuple[str, ...]], probe: str) -> None:
    """Every round of one engine at one scale, into row."""
    with browser.served(root) as url:
        hits = 0
        for n, (phrase, address, _ref) in enumerate(phrases):
            got = measure(chromium, url, engine, phrase, later if not n else [], probe, root,
                          row.later_loads if engine.traced else None)
            add_round(row, got, n)
            hits += bool(got.top) and any(f"/{address}{end}" in got.top[0] for end in "/?")
            if engine.file_url:
                got = measure(chromium, root.as_uri() + "/", engine, phrase, later if not n else [], probe, root)
                row.file_first_ms += [got.first_ms] if got.first_ms is not None else []
                row.file_later_ms += [m for m in got.later_ms if m is not None]
        row.top1 = f"{hits}/{len(phrases)}"


def add_round(row: Row, got: Round, n: int) -> None:
    """Add one http round's figures (n: its number; the first query's bytes are the first round's) to row."""
    row.first_ms += [got.first_ms] if got.first_ms is not None else []
    row.later_ms += [m for m in got.later_ms if m is not None]
    row.unanswered += got.later_ms.count(None) + (got.first_ms is None)
    row.later_by_query += list(zip(got.later_typed, got.later_ms, strict=True))
    if not n and got.kb:
        row.first_kb, row.first_index_kb = got.kb


# ---------------------------------------------------------------- the section


def section(shelves: Shelves, scales: Sequence[int], rounds: int, wanted: Sequence[str] = BENCH_ENGINES,
            before: str = "main") -> list[Row]:
    """Measure every engine wanted at every scale on the shelves (made now where no section made them); print the rows."""
    heading(f"8. Search the whole shelf (issue 25) in Chromium: {', '.join(wanted)}; {rounds} fresh page(s) each")
    variants = [current_variant()] if "ours" in wanted else []
    variants += [variant_at(before)] if "before" in wanted else []
    rows: list[Row] = []
    with browser.chromium() as chromium:
        for k in scales:
            print(f"  {k:,} article(s) ...", flush=True)
            rows += measure_scale(chromium, shelves.shelf(k), rounds, wanted, variants)
    report(rows)
    return rows


def report(rows: list[Row]) -> None:
    """Print the table, where our traced later queries' time goes, and the targets."""
    headers = ["engine", "articles", "1st KB gz", "of it index", "1st ms http", "1st ms file", "later ms http",
               "later ms file", "index KB", "index KB gz", "index build s", "run's article 1st", "no answer", "note"]
    table(headers, [[r.engine, r.scale, r.first_kb, r.first_index_kb, median(r.first_ms), median(r.file_first_ms),
                     median(r.later_ms), median(r.file_later_ms), r.index_kb, r.index_gz_kb, r.build_s, r.top1,
                     r.unanswered, r.note] for r in rows])
    report_loads([r for r in rows if r.later_loads])
    if VERBOSE:
        print("\n  Each later query (http, first round), ms:")
        table(["engine", "articles", "query", "ms"],
              [[r.engine, r.scale, query[:48], ms] for r in rows for query, ms in r.later_by_query])
    print(f"\n  Targets (issue 25, ours at 1,000 articles): first query <= {TARGETS['first_kb']} KB gzipped and"
          f" <= {TARGETS['first_ms']} ms; later queries <= {TARGETS['later_ms']} ms median."
          "\n  1st: a fresh page, the box focused and the run typed at once (the built site: the search bundle loads"
          " on focus); medians over rounds.\n  1st KB gz: what it fetched for search, as sent; of it index: the"
          " manifest and parts in search/ (the rest: the search bundle and, on the built site, the interaction layer"
          " it needs);\n  'run's article 1st': the article holding the remembered run is the first result.")


def report_loads(traced: list[Row]) -> None:
    """Where the engine page's later queries spend their time: loading parts, or computing."""
    if not traced:
        return
    print("\n  Our engine's later queries (http), where the time goes: per query the parts loaded, the rounds of loads"
          " one after another, the ms some load was pending and the ms none was (the engine computing, the page"
          " rendering); medians.")
    table(["engine", "articles", "later ms", "parts", "rounds", "ms loading", "ms computing"],
          [[r.engine, r.scale, median(r.later_ms), *later_split(r)] for r in traced])
    if VERBOSE:
        for r in traced:
            table(["engine", "query", "ms", "parts by kind", "rounds", "ms loading"],
                  [[r.engine, x["query"][:40], ms, x["kinds"], x["rounds"], x["loading"]]
                   for ms, x in zip(r.later_ms, r.later_loads, strict=False)])


def later_split(row: Row) -> list[float | None]:
    """Medians of a row's traced later queries: parts, rounds, ms loading, ms computing."""
    loads = row.later_loads
    computing = [max(0.0, ms - x["loading"]) for ms, x in zip(row.later_ms, loads, strict=False)]
    return [median([x["parts"] for x in loads]), median([x["rounds"] for x in loads]),
            median([x["loading"] for x in loads]), median(computing)]


def run(scales: Sequence[int] = SCALES, rounds: int = 3, wanted: Sequence[str] = ENGINES, before: str = "main") -> list[Row]:
    """Write and build the shelves in a temporary folder and measure them (what the command line runs)."""
    with tempfile.TemporaryDirectory(prefix="shelf-bench-") as tmp:
        return section(Shelves(Path(tmp)), scales, rounds, wanted, before)


def main(argv: list[str] | None = None) -> int:
    """Command line: the scales, rounds, engines and the revision 'before' is."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES), help="of " + ",".join(ENGINES))
    parser.add_argument("--before", default="main", help="the git revision 'before' is built from")
    args = parser.parse_args(argv)
    wanted = tuple(args.engines.split(","))
    if set(wanted) - set(ENGINES):
        parser.error(f"unknown engines: {', '.join(sorted(set(wanted) - set(ENGINES)))}")
    run(tuple(int(s) for s in args.scales.split(",")), args.rounds, wanted, args.before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
