#!/usr/bin/env python3
"""Search the whole shelf (issue 25): ours beside Pagefind and MkDocs Material, at 1, 10, 100 and 1,000 articles.

    .venv/bin/python bench/shelf_search.py [--scales 1,10,100,1000] [--rounds 3] [--engines ours,before,pagefind,material]
        [--before REV]

Per scale: a synthetic shelf (bench/shelf_synthetic.py: 16 paragraphs and 2 notes an article, some 2,300
words, Zipf-like words) is written as plain HTML pages; ours is reader/shelfindex.py's index of it with a
search page (bench/shelf_page.js) that loads the engine when the box gets focus; Pagefind indexes the
same pages (its JS API on a page of ours, and its default UI); MkDocs Material builds the same text as
Markdown pages. Chromium (Playwright, /usr/bin/chromium) opens a fresh page per round and types a
remembered run of 6-8 words of a paragraph (the first query), then, in the first round, later queries
(other runs, single words, a typo, a word letter by letter). Each is timed in the page from the `input` event (a capture
listener) to the first change of the result list that shows results (a MutationObserver). Bytes are
what the first query's page fetched for search (ours: engine, manifest, parts, fragments; Pagefind and
Material: their search scripts, index and fragments), each file counted gzip -9 as a server would send it
(Pagefind's own files are compressed already and count as they are). "before" is our engine and index as they
were at git revision REV (main unless --before says), measured in the same run beside ours. For ours, each
later query's part loads are traced in the page (when each started and ended): how many parts, how many rounds
of loads one after the other, and how much of the time no load was pending (the engine computing). Prints
tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import browser, yardsticks  # noqa: E402
from bench.shelf_synthetic import ShelfArticle, make_shelf, remembered_phrases, write_html_pages, write_markdown_pages  # noqa: E402
from reader.minify import minify_scripts  # noqa: E402
from reader.shelfindex import ShelfDoc, build_shelf_index  # noqa: E402

SCALES = (1, 10, 100, 1000)
ENGINE = ("js/textnorm.js", "js/lunr.min.js", "js/query.js", "js/shelfparts.js", "js/shelfindex.js",
          "js/shelfwords.js", "js/shelfsearch.js")
ENGINES = ("ours", "before", "pagefind", "material")
VERBOSE = bool(os.environ.get("SHELF_BENCH_VERBOSE"))  # also print each later query's loads
LUNR = ROOT / "node_modules" / "lunr" / "lunr.min.js"
TARGETS = {"first_kb": 150, "first_ms": 300, "later_ms": 30}
ANSWER_TIMEOUT_MS = 5_000  # a query with no answer (or one that changes nothing on the page) by then counts as none

# t0 at the input event; done at the first mutation after it where the page shows its answer to the query
# typed (the engine's `answered(q)` test: its result count or "no results" line says so).
OBSERVE_JS = """([answered, timeout]) => {
  const isAnswered = new Function('q', 'return (' + answered + ')(q);');
  let t0 = null, pending = null, query = '';
  document.addEventListener('input', () => { t0 = performance.now(); }, true);
  const check = () => {
    if (t0 === null || !pending || !isAnswered(query)) return;
    const resolve = pending, ms = performance.now() - t0;
    window.__benchT0 = t0; t0 = null; pending = null;
    resolve({ms});
  };
  new MutationObserver(check).observe(document.body, {childList: true, subtree: true, characterData: true});
  window.__benchExpect = (q) => {
    query = q;
    window.__benchResult = Promise.race([new Promise((resolve) => { pending = resolve; }),
      new Promise((resolve) => setTimeout(() => resolve(null), timeout))]);
  };
}"""
STATUS_SAYS = "(q) => document.getElementById('status').dataset.q === q"
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
    """A search page to measure: where it is, how to type into it, what a result is."""

    name: str
    page: str  # path under the site folder
    input: str
    answered: str  # a JavaScript function of the query typed: does the page show its answer?
    item: str
    counted: tuple[str, ...]  # URL path starts whose fetches count as the search's bytes
    file_url: bool = False  # also measured from file://


@dataclass
class Row:
    """One engine at one scale."""

    engine: str
    scale: int
    first_kb: float | None = None
    first_ms: list[float] = field(default_factory=list)
    file_first_ms: list[float] = field(default_factory=list)
    later_ms: list[float] = field(default_factory=list)
    file_later_ms: list[float] = field(default_factory=list)
    index_kb: float | None = None  # on disk, raw
    index_gz_kb: float | None = None
    build_s: float | None = None
    top1: str = ""
    unanswered: int = 0  # queries whose answer did not show within ANSWER_TIMEOUT_MS
    note: str = ""
    later_loads: list[dict] = field(default_factory=list)  # ours, http: per later query {parts, rounds, loading}
    later_queries: list[str] = field(default_factory=list)


def shelf_docs(shelf: list[ShelfArticle]) -> list[ShelfDoc]:
    """The shelf's docs as reader/shelfindex.py takes them."""
    return [ShelfDoc(a.address, a.title, d.ref, d.title, d.text) for a in shelf for d in a.docs]


def gz_kb(data: bytes) -> float:
    """gzip -9 size in KB."""
    return len(gzip.compress(data, 9, mtime=0)) / 1000


@dataclass(frozen=True)
class Variant:
    """One version of our index and engine: the function that builds the index and the engine's scripts."""

    label: str
    build: Callable[[Sequence[ShelfDoc]], Any]  # -> an object with .files {name: bytes} and .manifest
    scripts: dict[str, str]  # ENGINE path -> source (lunr.js aside)


def current_variant() -> Variant:
    """Ours, as in this checkout."""
    return Variant("ours", build_shelf_index, {name: (ROOT / "static" / name).read_text(encoding="utf-8")
                                               for name in ENGINE if "lunr" not in name})


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
                   {name: show(f"static/{name}") for name in ENGINE if "lunr" not in name})


def _builder(module: ModuleType) -> Callable[[Sequence[ShelfDoc]], Any]:
    """The module's build_shelf_index, fed docs of its own ShelfDoc class."""
    def build(docs: Sequence[ShelfDoc]) -> Any:
        return module.build_shelf_index([module.ShelfDoc(d.article, d.article_title, d.ref, d.title, d.text) for d in docs])

    return build


def write_ours(variant: Variant, shelf: list[ShelfArticle], site: Path) -> tuple[float, float, float]:
    """Write a variant's index, its engine (minified by terser as the build ships it) and the search page; return
    (build s, KB, gz KB)."""
    started = time.perf_counter()
    index = variant.build(shelf_docs(shelf))
    build_s = time.perf_counter() - started
    (site / "search").mkdir(parents=True, exist_ok=True)
    for path, data in index.files.items():
        (site / "search" / path).write_bytes(data)
    (site / "js").mkdir(exist_ok=True)
    for name, code in {**minify_scripts(variant.scripts), "js/lunr.min.js": LUNR.read_text(encoding="utf-8")}.items():
        (site / name).write_text(code, encoding="utf-8")
    shutil.copy(ROOT / "bench" / "shelf_page.js", site / "js" / "shelf_page.js")
    (site / "shelf.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shelf search</title></head>'
        f'<body data-base="search/" data-manifest="{index.manifest.removesuffix(".js")}" data-scripts="{" ".join(ENGINE)}">'
        '<input id="q" type="search" autocomplete="off"><p id="status"></p><div id="results"></div>'
        '<script src="js/shelf_page.js"></script></body></html>\n', encoding="utf-8")
    raw = sum(map(len, index.files.values())) / 1000
    gz = sum(gz_kb(data) for data in index.files.values())
    return build_s, raw, gz


def write_pagefind(site: Path) -> tuple[float, float] | None:
    """Index the site's article pages with Pagefind into site/pagefind and write its two pages; return (s, KB)."""
    pagefind = yardsticks.ensure_pagefind(install=False)
    if not pagefind:
        return None
    started = time.perf_counter()
    subprocess.run([str(pagefind), "--site", str(site), "--glob", "articles/**/*.html", "--silent"], check=True,
                   capture_output=True, timeout=600)
    seconds = time.perf_counter() - started
    (site / "pagefind-api.html").write_text(PAGEFIND_API_PAGE, encoding="utf-8")
    (site / "pagefind-ui.html").write_text(PAGEFIND_UI_PAGE, encoding="utf-8")
    return seconds, folder_kb(site / "pagefind")


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
  const status = document.getElementById('status');
  status.textContent = found.results.length + ' results';
  status.dataset.q = input.value;
});
</script></body></html>
"""
PAGEFIND_UI_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind UI</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div>
<script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search', showSubResults: false }); });</script>
</body></html>
"""


def write_material(shelf: list[ShelfArticle], folder: Path) -> tuple[float, float, Path] | None:
    """Build the shelf's text with MkDocs Material; return (build s, search index KB, site folder)."""
    mkdocs = yardsticks.ensure_mkdocs(install=False)
    if not mkdocs:
        return None
    docs = folder / "docs"
    write_markdown_pages(shelf, docs)
    (docs / "index.md").write_text("# Shelf\n\nSearch the shelf.\n", encoding="utf-8")
    config = {"site_name": "Shelf", "theme": {"name": "material", "font": False}, "plugins": ["search"]}
    (folder / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(yardsticks.mkdocs_cmd(folder / "mkdocs.yml"), check=True, capture_output=True, timeout=1800)
    seconds = time.perf_counter() - started
    index = folder / "site" / "search" / "search_index.json"
    return seconds, index.stat().st_size / 1000, folder / "site"


def folder_kb(folder: Path) -> float:
    """Bytes of every file under folder, in KB."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1000


OURS = Engine("ours", "shelf.html", "#q", STATUS_SAYS, "#results a.result", ("/js/", "/search/"), file_url=True)
PAGEFIND_API = Engine("pagefind JS API", "pagefind-api.html", "#q", STATUS_SAYS, "#results a.result", ("/pagefind/",))
PAGEFIND_UI = Engine("pagefind default UI", "pagefind-ui.html", ".pagefind-ui__search-input",
                     "(q) => (document.querySelector('.pagefind-ui__message') || {}).textContent?.includes(q.trim())",
                     ".pagefind-ui__result", ("/pagefind/",))
MATERIAL = Engine("mkdocs material", "index.html", ".md-search__input",
                  "(q) => /matching document/.test((document.querySelector('.md-search-result__meta') || {}).textContent)",
                  ".md-search-result__item", ("/search/", "/assets/javascripts/workers/"))


def measure(chromium: Any, url: str, engine: Engine, first: str, later: list[str | tuple[str, ...]], probe: str,
            site: Path, loads: list[dict] | None = None) -> tuple[float | None, list[float | None], float | None, list[str]]:
    """Open a fresh page, type the first query then the later ones; return (first ms, later ms, first KB, first top links).
    loads: where to put each later query's traced part loads (ours only)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    context.on("request", lambda request: fetched.append(request.url))
    try:
        page = context.new_page()
        # Material loads its whole index with the page (a query typed before it is ready is lost): wait for it.
        page.goto(url + engine.page, wait_until="networkidle" if engine is MATERIAL else "load")
        page.evaluate(OBSERVE_JS, [engine.answered, ANSWER_TIMEOUT_MS])
        if engine is MATERIAL:
            wait_until_ready(page, engine, probe)
        first_ms = typed(page, engine, first)
        kb = search_kb(fetched, engine, site) if url.startswith("http") else None
        top = page.eval_on_selector_all(engine.item, "els => els.slice(0, 3).map(e => e.href || (e.querySelector('a') || {}).href || '')")
        later_ms = [ms for q in later for ms in typed_each(page, engine, q, loads)]
        return first_ms, later_ms, kb, top
    finally:
        context.close()


def wait_until_ready(page: Any, engine: Engine, probe: str) -> None:
    """Material drops a query typed before its worker has built the index: type a word of the shelf (some results,
    so the first query's answer shows as a change) until it answers, for up to 5 minutes."""
    for _ in range(150):
        page.fill(engine.input, "")
        page.fill(engine.input, probe)
        try:
            page.wait_for_function("(" + engine.answered + ")('')", timeout=2000)
            return
        except Exception:  # Playwright's TimeoutError: not ready yet
            continue
    raise RuntimeError("MkDocs Material's search never answered")


def typed(page: Any, engine: Engine, query: str) -> float | None:
    """Fill the box with query (one input event) and wait until the page shows its answer; ms or None."""
    page.evaluate("(q) => window.__benchExpect(q)", query)
    page.fill(engine.input, query)
    got = page.evaluate("() => window.__benchResult")
    return got["ms"] if got else None


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


def search_kb(urls: list[str], engine: Engine, site: Path) -> float:
    """KB the search's fetches weigh: each file once, gzip -9 (Pagefind's compressed files as they are)."""
    total = 0.0
    for path in dict.fromkeys(unquote(urlsplit(u).path) for u in urls):
        if not path.startswith(engine.counted) or not (site / path.lstrip("/")).is_file():
            continue
        data = (site / path.lstrip("/")).read_bytes()
        total += len(data) / 1000 if path.endswith((".pf_meta", ".pf_index", ".pf_fragment", ".wasm", ".pagefind")) else gz_kb(data)
    return total


def later_queries(shelf: list[ShelfArticle]) -> list[str | tuple[str, ...]]:
    """Later queries: five other remembered runs, two words, a typo, a word letter by letter."""
    runs = [q for q, _, _ in remembered_phrases(shelf, 6, seed=9)[1:]]
    words = [next(w for w in doc.text.lower().split() if len(w) >= 7 and w.isalpha()) for doc in shelf[0].docs[:3]]
    typo = words[0][:3] + words[0][4] + words[0][3] + words[0][5:]
    return [*runs, "the", words[1], typo, tuple(words[2][:k] for k in range(1, 6))]


def measure_scale(chromium: Any, k: int, tmp: Path, rounds: int, variants: list[Variant],
                  others: tuple[str, ...] = ("pagefind", "material")) -> list[Row]:
    """Every engine at one scale: our variants, then the yardsticks named in others."""
    shelf = make_shelf(k)
    site = tmp / f"x{k}" / "site"
    write_html_pages(shelf, site)
    phrases = remembered_phrases(shelf, rounds, seed=8)
    later = later_queries(shelf)
    probe = str(later[6])
    rows = []
    engines: list[tuple[Engine, Row, Path]] = []
    for n, variant in enumerate(variants):
        root = site if not n else tmp / f"x{k}" / f"variant{n}"
        build_s, raw, gz = write_ours(variant, shelf, root)
        engines.append((OURS, Row(variant.label, k, index_kb=raw, index_gz_kb=gz, build_s=build_s), root))
    pagefind = write_pagefind(site) if "pagefind" in others else None
    material = write_material(shelf, tmp / f"x{k}" / "mkdocs") if "material" in others else None
    if pagefind:
        engines += [(PAGEFIND_API, Row(PAGEFIND_API.name, k, index_kb=pagefind[1], build_s=pagefind[0]), site),
                    (PAGEFIND_UI, Row(PAGEFIND_UI.name, k, index_kb=pagefind[1], build_s=pagefind[0],
                                      note="debounces input 300 ms"), site)]
    if material:
        note = "index loads with the page (not timed)"
        engines.append((MATERIAL, Row(MATERIAL.name, k, index_kb=material[1], build_s=material[0], note=note), material[2]))
    for engine, row, root in engines:
        try:
            measure_engine(chromium, engine, row, root, phrases, later, probe)
        except Exception as error:  # one yardstick failing leaves the others' figures
            row.note = f"failed: {type(error).__name__}: {str(error)[:80]}"
        rows.append(row)
    return rows


def measure_engine(chromium: Any, engine: Engine, row: Row, root: Path, phrases: list[tuple[str, str, str]],
                   later: list[str | tuple[str, ...]], probe: str) -> None:
    """Every round of one engine at one scale, into row."""
    with browser.served(root) as url:
        hits = 0
        for n, (phrase, address, _ref) in enumerate(phrases):
            loads = row.later_loads if engine is OURS else None
            first, later_ms, kb, top = measure(chromium, url, engine, phrase, later if not n else [], probe, root, loads)
            row.first_ms += [first] if first is not None else []
            row.later_ms += [m for m in later_ms if m is not None]
            row.unanswered += later_ms.count(None) + (first is None)
            row.first_kb = row.first_kb if n else kb
            hits += bool(top) and (f"{address}?" in top[0] or top[0].endswith(address) or f"/{Path(address).stem}/" in top[0])
            if engine.file_url:
                first, later_ms, _, _ = measure(chromium, root.as_uri() + "/", engine, phrase, later if not n else [], probe, root)
                row.file_first_ms += [first] if first is not None else []
                row.file_later_ms += [m for m in later_ms if m is not None]
        row.top1 = f"{hits}/{len(phrases)}"


def median(values: list[float]) -> float | None:
    """The median, or None."""
    return statistics.median(values) if values else None


def report(rows: list[Row]) -> None:
    """Print the table and the targets."""
    headers = ["engine", "articles", "1st KB gz", "1st ms http", "1st ms file", "later ms http", "later ms file",
               "index KB", "index KB gz", "build s", "run's article 1st", "no answer", "note"]
    cells = [[r.engine, r.scale, r.first_kb, median(r.first_ms), median(r.file_first_ms), median(r.later_ms),
              median(r.file_later_ms), r.index_kb, r.index_gz_kb, r.build_s, r.top1, r.unanswered, r.note] for r in rows]
    from bench.bench import table

    table(headers, cells)
    traced = [r for r in rows if r.later_loads]
    if traced:
        print("\n  Our later queries (http), where the time goes: per query the parts loaded, the rounds of loads one"
              " after another, the ms some load was pending and the ms none was (the engine computing, the page"
              " rendering); medians, and the query at the median time.")
        table(["engine", "articles", "later ms", "parts", "rounds", "ms loading", "ms computing"],
              [[r.engine, r.scale, median(r.later_ms), *later_split(r)] for r in traced])
        if VERBOSE:
            for r in traced:
                table(["engine", "query", "ms", "parts by kind", "rounds", "ms loading"],
                      [[r.engine, x["query"][:40], ms, x["kinds"], x["rounds"], x["loading"]]
                       for ms, x in zip(r.later_ms, r.later_loads, strict=False)])
    print(f"\n  Targets (ours, 1,000 articles): first query <= {TARGETS['first_kb']} KB gzipped and <= {TARGETS['first_ms']} ms;"
          f" later queries <= {TARGETS['later_ms']} ms median. Medians over rounds; 'run's article 1st': the article"
          " holding the remembered run is the first result.")


def later_split(row: Row) -> list[float | None]:
    """Medians of a row's traced later queries: parts, rounds, ms loading, ms computing."""
    loads = row.later_loads
    computing = [max(0.0, ms - x["loading"]) for ms, x in zip(row.later_ms, loads, strict=False)]
    return [median([x["parts"] for x in loads]), median([x["rounds"] for x in loads]),
            median([x["loading"] for x in loads]), median(computing)]


def run(scales: tuple[int, ...] = SCALES, rounds: int = 3, engines: tuple[str, ...] = ENGINES,
        before: str = "main") -> list[Row]:
    """Measure every scale (the function bench.py can call); print and return the rows."""
    variants = [current_variant()] if "ours" in engines else []
    variants += [variant_at(before)] if "before" in engines else []
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="shelf-bench-") as tmp, browser.chromium() as chromium:
        for k in scales:
            print(f"  {k} article(s) ...", flush=True)
            rows += measure_scale(chromium, k, Path(tmp), rounds, variants, engines)
    report(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: the scales, rounds, engines and the revision 'before' is."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES), help="of " + ",".join(ENGINES))
    parser.add_argument("--before", default="main", help="the git revision 'before' is built from")
    args = parser.parse_args(argv)
    engines = tuple(args.engines.split(","))
    if set(engines) - set(ENGINES):
        parser.error(f"unknown engines: {', '.join(sorted(set(engines) - set(ENGINES)))}")
    run(tuple(int(s) for s in args.scales.split(",")), args.rounds, engines, args.before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
