#!/usr/bin/env python3
"""Search the whole shelf (issue 25): ours beside Pagefind and MkDocs Material, at 1, 10, 100 and 1,000 articles.

    .venv/bin/python bench/shelf_search.py [--scales 1,10,100,1000] [--rounds 3]

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
(Pagefind's own files are compressed already and count as they are). Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
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
    t0 = null; pending = null;
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


def shelf_docs(shelf: list[ShelfArticle]) -> list[ShelfDoc]:
    """The shelf's docs as reader/shelfindex.py takes them."""
    return [ShelfDoc(a.address, a.title, d.ref, d.title, d.text) for a in shelf for d in a.docs]


def gz_kb(data: bytes) -> float:
    """gzip -9 size in KB."""
    return len(gzip.compress(data, 9, mtime=0)) / 1000


def write_ours(shelf: list[ShelfArticle], site: Path) -> tuple[float, float, float]:
    """Write our index, the engine (minified by terser as the build ships it) and the search page; return (build s, KB, gz KB)."""
    started = time.perf_counter()
    index = build_shelf_index(shelf_docs(shelf))
    build_s = time.perf_counter() - started
    (site / "search").mkdir(parents=True, exist_ok=True)
    for path, data in index.files.items():
        (site / "search" / path).write_bytes(data)
    (site / "js").mkdir(exist_ok=True)
    ours = {name: (ROOT / "static" / name).read_text(encoding="utf-8") for name in ENGINE if "lunr" not in name}
    for name, code in {**minify_scripts(ours), "js/lunr.min.js": LUNR.read_text(encoding="utf-8")}.items():
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
            site: Path) -> tuple[float | None, list[float | None], float | None, list[str]]:
    """Open a fresh page, type the first query then the later ones; return (first ms, later ms, first KB, first top links)."""
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
        later_ms = [ms for q in later for ms in typed_each(page, engine, q)]
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


def typed_each(page: Any, engine: Engine, query: str | tuple[str, ...]) -> list[float | None]:
    """A query filled at once, or (a tuple) a word typed letter by letter, each keystroke timed."""
    if isinstance(query, str):
        return [typed(page, engine, query)]
    times = [typed(page, engine, query[0])]
    for prefix in query[1:]:
        page.evaluate("(q) => window.__benchExpect(q)", prefix)
        page.keyboard.press(prefix[-1])
        got = page.evaluate("() => window.__benchResult")
        times.append(got["ms"] if got else None)
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


def measure_scale(chromium: Any, k: int, tmp: Path, rounds: int) -> list[Row]:
    """Every engine at one scale."""
    shelf = make_shelf(k)
    site = tmp / f"x{k}" / "site"
    write_html_pages(shelf, site)
    phrases = remembered_phrases(shelf, rounds, seed=8)
    later = later_queries(shelf)
    probe = str(later[6])
    rows = []
    build_s, raw, gz = write_ours(shelf, site)
    ours = Row("ours", k, index_kb=raw, index_gz_kb=gz, build_s=build_s)
    pagefind = write_pagefind(site)
    material = write_material(shelf, tmp / f"x{k}" / "mkdocs")
    engines: list[tuple[Engine, Row, Path]] = [(OURS, ours, site)]
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
            first, later_ms, kb, top = measure(chromium, url, engine, phrase, later if not n else [], probe, root)
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
    print(f"\n  Targets (ours, 1,000 articles): first query <= {TARGETS['first_kb']} KB gzipped and <= {TARGETS['first_ms']} ms;"
          f" later queries <= {TARGETS['later_ms']} ms median. Medians over rounds; 'run's article 1st': the article"
          " holding the remembered run is the first result.")


def run(scales: tuple[int, ...] = SCALES, rounds: int = 3) -> list[Row]:
    """Measure every scale (the function bench.py can call); print and return the rows."""
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="shelf-bench-") as tmp, browser.chromium() as chromium:
        for k in scales:
            print(f"  {k} article(s) ...", flush=True)
            rows += measure_scale(chromium, k, Path(tmp), rounds)
    report(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command line: the scales and rounds to run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default=",".join(map(str, SCALES)))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    run(tuple(int(s) for s in args.scales.split(",")), args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
