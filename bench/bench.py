#!/usr/bin/env python3
"""Benchmark the annotated reader: page weight, build and search at scale, Chromium latency, page load.

    .venv/bin/python bench/bench.py [--quick] [--shelf-scales 1,10,100,1000] [--shelf-only]

Prints figures and never asserts. A section that fails prints its traceback and the others still
run; the exit status is 1 only if a section failed. Every build is a whole `python build.py`
process. --quick: scales 1, 10 and 100 only, single runs, and the yardsticks only if installed.
--shelf-scales (or BENCH_SHELF_SCALES): the synthetic shelves of sections 7 and 8, by default 1, 10
and 100 articles (1,000 takes some 15 minutes more); --shelf-only: only those two sections.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True  # leave no __pycache__ in bench/

from bench import browser, quote_runs, shelf_build, shelf_search, yardsticks  # noqa: E402
from bench.common import heading, load_average, median, run, table, time_interleaved, where  # noqa: E402
from bench.stages import LUNR_STAGE  # noqa: E402
from bench.synthetic import Article, Inputs, read_article, write_excerpt, write_inputs  # noqa: E402
from bench.weights import BUDGETS, FIXED_PART_BUDGET, gzip_size, page_weights, report  # noqa: E402

PYTHON = sys.executable
OUR_TIMEOUT_S = 180  # a build of ours slower than this is reported, and the scale moves on
YARDSTICK_TIMEOUT_S = 300
PROFILE_LIMIT_S = 60  # profile the largest scale whose build took at most this (cProfile doubles it)
LOAD_TARGET = 1.5  # page load with JavaScript / without


@dataclass(frozen=True)
class Settings:
    """What one run measures and how often."""

    scales: tuple[int, ...]
    runs: dict[int, int]  # whole-process builds per scale
    browser_rounds: int  # fresh pages typing every query, at x1 and x100
    load_runs: int
    install: bool  # create bench/.venv-mkdocs and bench/node_modules when missing
    shelf_runs: dict[int, int]  # synthetic shelves: articles -> cold builds of each kind (at any scale asked)
    shelf_rebuild_runs: dict[int, int]  # articles -> rebuilds of each kind
    shelf_rounds: int  # fresh pages typing a remembered run, per shelf and search engine


FULL = Settings((1, 10, 100, 1000), {1: 9, 10: 3, 100: 2, 1000: 1}, browser_rounds=3, load_runs=7, install=True,
                shelf_runs={1: 5, 10: 5, 100: 3, 1000: 1}, shelf_rebuild_runs={1: 5, 10: 5, 100: 3, 1000: 3},
                shelf_rounds=3)
QUICK = Settings((1, 10, 100), {1: 1, 10: 1, 100: 1}, browser_rounds=1, load_runs=1, install=False,
                 shelf_runs={1: 1, 10: 1, 100: 1, 1000: 1}, shelf_rebuild_runs={1: 1, 10: 1, 100: 1, 1000: 1},
                 shelf_rounds=1)
SHELF_SCALES = "1,10,100"  # the shelves' sizes a run builds unless BENCH_SHELF_SCALES or --shelf-scales says
SHELF_SEARCH_FROM = 100  # and searches, at those of at least this many articles


# ---------------------------------------------------------------- the inputs and sites of one run


@dataclass
class Workspace:
    """One run's temporary folder: synthetic inputs and built sites per scale, made once, reused."""

    tmp: Path
    settings: Settings
    article: Article = field(default_factory=read_article)
    build_s: dict[int, float] = field(default_factory=dict)  # median whole-process build per scale
    samples: dict[int, list[list[browser.Sample]]] = field(default_factory=dict)
    written: dict[int, Inputs] = field(default_factory=dict)
    shelf_scales: tuple[int, ...] = (1, 10, 100)  # the synthetic shelves' sizes (sections 7 and 8)
    shelves: shelf_build.Shelves = field(init=False)  # the synthetic shelves, written on first use

    def __post_init__(self) -> None:
        self.shelves = shelf_build.Shelves(self.tmp)

    def inputs(self, k: int) -> Inputs:
        """The article x k (x0: its first paragraph, no notes), written on first use."""
        if k not in self.written:
            folder = self.tmp / f"x{k}"
            self.written[k] = (
                write_excerpt(folder, self.article, 1) if k == 0 else write_inputs(folder, self.article, k)
            )
        return self.written[k]

    def site(self, k: int) -> Path:
        """The built site of the article x k, built now if no section built it yet."""
        out = self.tmp / f"x{k}" / "site"
        if not (out / "index.html").exists():
            run(build_cmd(self.inputs(k), out), timeout=OUR_TIMEOUT_S)
        return out

    def query_rounds(self, k: int, rounds: int) -> list[list[browser.Sample]]:
        """Chromium typing every query on fresh pages of the site x k, rounds times (kept for later sections)."""
        if len(self.samples.get(k, [])) < rounds:
            with browser.served(self.site(k)) as url, browser.chromium() as chromium:
                self.samples[k] = [browser.query_samples(chromium, url) for _ in range(rounds)]
        return self.samples[k]


def build_cmd(inputs: Inputs, out: Path) -> list[str]:
    """The whole-process build of some inputs into out."""
    return files_build_cmd(inputs.content, inputs.annotations, out)


def files_build_cmd(content: Path, annotations: Path, out: Path) -> list[str]:
    """The whole-process build of an article and a notes file into out."""
    return [PYTHON, str(ROOT / "build.py"), "--content", str(content), "--annotations", str(annotations), "--out", str(out)]


# ---------------------------------------------------------------- 1. page weight


def section_weights(ws: Workspace) -> None:
    """The shipped article's page weights against the budgets, and a three-paragraph article's first view."""
    heading("1. Page weight (gzip -9) of the shipped article, against the budgets")
    weights = page_weights(ws.site(1))
    print("  " + report(weights).replace("\n", "\n  "))
    rows = [
        [name, weights[f"{name}_gz"], budget, verdict(weights[f"{name}_gz"], budget)]
        for name, budget in BUDGETS.items()
    ]
    # The fixed part as tests/test_quality.py guards it: the golden fixture's first view.
    golden = ROOT / "tests" / "golden" / "input"
    run(files_build_cmd(golden / "content", golden / "annotations.yaml", ws.tmp / "golden" / "site"))
    fixed = page_weights(ws.tmp / "golden" / "site")["first_view_gz"]
    rows.append(["first_view, golden fixture (fixed part)", fixed, FIXED_PART_BUDGET, verdict(fixed, FIXED_PART_BUDGET)])
    print()
    table(["part", "gzip B", "budget B", "verdict"], rows)


def verdict(value: float, budget: float) -> str:
    """'within, N to spare' or 'OVER by N'."""
    left = budget - value
    return f"within, {left:,.0f} to spare" if left >= 0 else f"OVER by {-left:,.0f}"


# ---------------------------------------------------------------- 2. scale


def section_scale(ws: Workspace) -> None:
    """Build, index and query the article at each scale, beside mkdocs (Material) and Pagefind."""
    s = ws.settings
    heading(f"2. Scale: the article x{', x'.join(map(str, s.scales))}; ours beside mkdocs-material and Pagefind")
    mkdocs, pagefind = yardsticks.ensure_mkdocs(s.install), yardsticks.ensure_pagefind(s.install)
    for name, tool in (("mkdocs", mkdocs), ("pagefind", pagefind)):
        if tool is None:
            print(f"  {name}: not installed; skipped (a full run installs it)")
    print(f"  yardsticks: {yardsticks.versions()}")
    rows = []
    for k in s.scales:
        times = time_scale(ws, k, mkdocs is not None, pagefind is not None)
        rows.append(scale_row(ws, k, times))
    table(
        [
            "scale",
            "paras",
            "notes",
            "build s",
            "ms/para",
            "marginal",
            "ratio",
            "index KiB",
            "gz KiB",
            "1st q ms",
            "med q ms",
            "mkdocs s",
            "pagefind s",
        ],
        rows,
    )
    print_marginal_notes(ws)
    print(
        "  build s: whole process, median of "
        + ", ".join(f"{s.runs[k]} at x{k}" for k in s.scales)
        + "; ms/para = build / paragraphs; marginal = (build - build of one paragraph, no notes) / (paragraphs - 1),"
        "\n  ratio = marginal / marginal at x1 (target: within 25% at x1, x100, x1000); x1000 target: build under 30 s."
        "\n  1st q: Chromium, first query on a fresh page (bundle load + index set-up); med q: median of the later ones."
        "\n  mkdocs s: `mkdocs build -q`, Material theme, the same text (article page + notes page); pagefind s: indexing our built site."
    )


def time_scale(ws: Workspace, k: int, mkdocs: bool, pagefind: bool) -> dict[str, list[float]]:
    """Time ours (and at x1 the one-paragraph build), mkdocs and Pagefind at scale k, taking turns."""
    inputs, site = ws.inputs(k), ws.tmp / f"x{k}" / "site"
    cmds = {"ours": build_cmd(inputs, site)}
    if k == 1:
        cmds["one paragraph"] = build_cmd(ws.inputs(0), ws.tmp / "x0" / "site")
    if mkdocs:
        project = yardsticks.write_mkdocs_project(ws.tmp / f"x{k}" / "mkdocs", inputs.content, ws.article, inputs.notes)
        cmds["mkdocs"] = yardsticks.mkdocs_cmd(project)
    if pagefind:
        cmds["pagefind"] = yardsticks.pagefind_cmd(site, ws.tmp / f"x{k}" / "pagefind")
    warmup = 1 if k <= 10 and ws.settings.install else 0
    print(f"  x{k}: {', '.join(cmds)}, {warmup} warm-up + {ws.settings.runs[k]} run(s) each ...", flush=True)
    timeouts = {"ours": OUR_TIMEOUT_S, "mkdocs": YARDSTICK_TIMEOUT_S, "pagefind": YARDSTICK_TIMEOUT_S}
    times = time_interleaved(cmds, ws.settings.runs[k], warmup, timeouts, needs={"pagefind": "ours"})
    if times["ours"]:
        ws.build_s[k] = statistics.median(times["ours"])
    if k == 1 and times["one paragraph"]:
        ws.build_s[0] = statistics.median(times["one paragraph"])
    return times


def scale_row(ws: Workspace, k: int, times: dict[str, list[float]]) -> list:
    """One row of the scale table."""
    inputs, build_s = ws.inputs(k), ws.build_s.get(k)
    marginal, base = marginal_ms(ws, k), marginal_ms(ws, 1)
    ratio = marginal / base if marginal is not None and base and base > 0 else None
    index = index_bytes(ws.tmp / f"x{k}" / "site") if build_s is not None else None
    first = later = None
    if build_s is not None:
        try:
            first, later = query_figures(ws.query_rounds(k, ws.settings.browser_rounds if k in (1, 100) else 1))
        except Exception as err:  # the row keeps its other figures; the reason is printed
            print(f"  x{k}: Chromium queries failed: {type(err).__name__}: {str(err).splitlines()[0]}", flush=True)
    return [
        f"x{k}",
        inputs.paragraphs,
        len(inputs.notes),
        build_s,
        None if build_s is None else build_s * 1000 / inputs.paragraphs,
        marginal,
        None if ratio is None else f"{ratio:.2f}",
        None if index is None else len(index) / 1024,
        None if index is None else gzip_size(index) / 1024,
        first,
        later,
        median(times.get("mkdocs", [])),
        median(times.get("pagefind", [])),
    ]


def print_marginal_notes(ws: Workspace) -> None:
    """Say when the x1 marginal cost is lost in noise, and compare the largest two scales' marginal costs."""
    base = marginal_ms(ws, 1)
    if base is not None and base <= 0:
        print(
            f"  x1: marginal {base:.1f} ms/para: the 11 extra paragraphs cost less than this machine's noise; no ratio"
        )
    big = [k for k in sorted(ws.build_s) if k >= 10]
    if len(big) >= 2:
        a, b = big[-2:]
        ma, mb = marginal_ms(ws, a), marginal_ms(ws, b)
        if ma and mb:
            print(f"  marginal x{b} / x{a}: {mb:.1f} / {ma:.1f} ms per paragraph = {mb / ma:.2f}")


def marginal_ms(ws: Workspace, k: int) -> float | None:
    """Build ms per paragraph beyond the first, over a one-paragraph build without notes."""
    if k not in ws.build_s or 0 not in ws.build_s:
        return None
    return (ws.build_s[k] - ws.build_s[0]) * 1000 / (ws.inputs(k).paragraphs - 1)


def index_bytes(site: Path) -> bytes:
    """The built site's search index script."""
    return next((site / "assets").glob("search-index.*.js")).read_bytes()


def query_figures(rounds: list[list[browser.Sample]]) -> tuple[float | None, float | None]:
    """Median first-query ms over rounds, and the median of every later query."""
    firsts = [r[0].ms for r in rounds if r and r[0].ms is not None]
    later = [s.ms for r in rounds for s in r[1:] if s.ms is not None]
    return median(firsts), median(later)


# ---------------------------------------------------------------- 3. profile


def section_profile(ws: Workspace, top: int = 12) -> None:
    """One cProfile run of the largest scale that builds fast enough; the top functions by cumulative time."""
    timed = [k for k in sorted(ws.build_s) if k and ws.build_s[k] <= PROFILE_LIMIT_S]
    k = timed[-1] if timed else 1
    heading(f"3. Where the time goes: cProfile of one whole-process build at x{k}")
    if len(ws.build_s) > 1 and k != max(ws.build_s):
        print(
            f"  (x{max(ws.build_s)} takes {ws.build_s[max(ws.build_s)]:.0f} s; profiled the largest scale under {PROFILE_LIMIT_S} s)"
        )
    prof, inputs = ws.tmp / f"x{k}.prof", ws.inputs(k)
    started = time.perf_counter()
    run(
        [PYTHON, "-m", "cProfile", "-o", str(prof), *build_cmd(inputs, ws.tmp / f"x{k}" / "site-profiled")[1:]],
        timeout=2 * OUR_TIMEOUT_S,
    )
    print(f"  {time.perf_counter() - started:.1f} s under the profiler; top {top} by cumulative time:")
    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    rows = sorted(stats.items(), key=lambda item: item[1][3], reverse=True)
    rows = [row for row in rows if where(row[0]) not in ("<module>", "exec", "<built-in method builtins.exec>")][:top]
    table(
        ["cum s", "own s", "calls", "function"],
        [[f"{ct:.2f}", f"{tt:.2f}", nc, where(key)] for key, (_, nc, tt, ct, _) in rows],
    )


# ---------------------------------------------------------------- 3b. stages


BUILD_TARGET_S = 30  # at x1000


def section_stages(ws: Workspace) -> None:
    """Seconds per build stage at each scale built (bench/stages.py, one process each), and lunr.py's own share."""
    heading("3b. Build stages, one in-process build per scale (bench/stages.py): seconds, then ms per paragraph")
    scales = [k for k in ws.settings.scales if k in ws.build_s]
    seconds = {}
    for k in scales:
        inputs = ws.inputs(k)
        cmd = [PYTHON, str(ROOT / "bench" / "stages.py"), str(inputs.content), str(inputs.annotations)]
        seconds[k] = json.loads(run([*cmd, str(ws.tmp / f"x{k}" / "site-stages")], timeout=2 * OUR_TIMEOUT_S).stdout)
    names = list(seconds[scales[0]]) if scales else []
    table(
        ["stage", *(f"x{k} s" for k in scales), *(f"x{k} ms/para" for k in scales)],
        [
            [name, *(seconds[k][name] for k in scales), *(seconds[k][name] * 1000 / ws.inputs(k).paragraphs for k in scales)]
            for name in names
        ],
    )
    if 1000 in seconds:
        lunr_s, total = seconds[1000][LUNR_STAGE], sum(seconds[1000].values())
        print(
            f"  x1000: {total:.1f} s in these stages, {lunr_s:.1f} s of it lunr.py's Builder; a {BUILD_TARGET_S} s build"
            f" leaves {BUILD_TARGET_S - lunr_s:.1f} s for the rest, which takes {total - lunr_s:.1f} s"
        )


# ---------------------------------------------------------------- 4. search in Chromium


def section_browser(ws: Workspace) -> None:
    """Per-query latency in Chromium at x1 and x100, and how many results the list renders."""
    rounds = ws.settings.browser_rounds
    heading(f"4. Search in headless Chromium: input event -> results list changes ({rounds} fresh page(s) per scale)")
    for k in (1, 100):
        samples = ws.query_rounds(k, rounds)
        first, later = query_figures(samples)
        print(
            f"\n  x{k}: first query {first:.1f} ms (loads the bundles, builds the engine); later queries median {later:.1f} ms"
        )
        table(["query", "median ms", "items", "status"], query_rows(samples))
        print_engine_steps(ws, k, rounds)
    japan = [s for r in ws.query_rounds(100, rounds) for s in r if s.query == "japan"]
    if japan:
        print(
            f"\n  'japan' at x100: {japan[0].items} result items rendered ({japan[0].status!r}); the list should be bounded"
        )
    print("  targets at x100: first query < 150 ms, later queries < 30 ms median, a bounded list")


def print_engine_steps(ws: Workspace, k: int, rounds: int) -> None:
    """Where a first query's time goes at scale k: loading, building the engine, and the floor of reading the page."""
    with browser.served(ws.site(k)) as url, browser.chromium() as chromium:
        steps = [browser.engine_steps(chromium, url) for _ in range(rounds)]
    ready, split, expand, create, query = (
        statistics.median(getattr(s, name) for s in steps) for name in ("ready", "split", "expand", "create", "query")
    )
    print(
        f"  x{k}, focus -> search ready {ready:.0f} ms (both bundles loaded, the engine built once); timed again on"
        f" that page: expandIndex {expand:.0f} ms, createEngine {create:.0f} ms, 'japan' {query:.1f} ms (medians of {rounds})."
        f"\n  Only splitting the page's indexed text into its {steps[0].runs:,} runs of non-space: {split:.1f} ms."
    )


def query_rows(rounds: list[list[browser.Sample]]) -> list[list]:
    """One row per query: its median ms over the rounds, the items and status of the first round."""
    rows = []
    for i, sample in enumerate(rounds[0]):
        times = [t for r in rounds if len(r) > i and (t := r[i].ms) is not None]
        label = sample.query + (" (first, cold)" if i == 0 else "")
        rows.append([label, median(times), sample.items, sample.status[:60]])
    return rows


# ---------------------------------------------------------------- 5. page load


def section_page_load(ws: Workspace) -> None:
    """Time to the load event at x100, 1280 px wide, with JavaScript on and off, taking turns."""
    n = ws.settings.load_runs
    heading(f"5. Page load at x100, 1280 px wide: navigation -> load event, median of {n}")
    times: dict[bool, list[float]] = {True: [], False: []}
    with browser.served(ws.site(100)) as url, browser.chromium() as chromium:
        for javascript in (True, False):  # one unmeasured load each
            browser.load_ms(chromium, url, javascript)
        for _ in range(n):
            for javascript in (True, False):
                times[javascript].append(browser.load_ms(chromium, url, javascript))
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"  JavaScript on  {on:.0f} ms  (runs: {', '.join(f'{t:.0f}' for t in times[True])})")
    print(f"  JavaScript off {off:.0f} ms  (runs: {', '.join(f'{t:.0f}' for t in times[False])})")
    print(f"  ratio on / off {on / off:.2f} (target <= {LOAD_TARGET})")


# ---------------------------------------------------------------- 6. quote search quality


def section_quote_runs(ws: Workspace) -> None:
    """bench/quote_runs.py: remembered runs of words, found first and marked whole?"""
    heading("6. Quote search quality (bench/quote_runs.py, the shipped article in Chromium)")
    quote_runs.report(ws.site(1))  # the x1 site the other sections built


# ---------------------------------------------------------------- 7 and 8. the shelf


def section_shelf_build(ws: Workspace) -> None:
    """bench/shelf_build.py: the shelf's builds, cold, warm and after one edit, beside MkDocs and Pagefind."""
    s, scales = ws.settings, ws.shelf_scales
    runs = shelf_build.Runs({k: s.shelf_runs.get(k, 1) for k in scales}, {k: s.shelf_rebuild_runs.get(k, 1) for k in scales})
    shelf_build.section(ws.shelves, runs, s.install)


def section_shelf_search(ws: Workspace) -> None:
    """bench/shelf_search.py: searching the whole shelf in Chromium, on the shelves section 7 built."""
    scales = [k for k in ws.shelf_scales if k >= SHELF_SEARCH_FROM] or [max(ws.shelf_scales)]
    shelf_search.section(ws.shelves, scales, ws.settings.shelf_rounds)


def shelf_scales(text: str) -> tuple[int, ...]:
    """The shelves' sizes from '1,10,100' (argparse's type)."""
    try:
        scales = tuple(sorted({int(k) for k in text.split(",")}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected numbers of articles, such as 1,10,100,1000") from None
    if not scales or scales[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a shelf has at least 1 article")
    return scales


# ---------------------------------------------------------------- main


SECTIONS: tuple[Callable[[Workspace], None], ...] = (
    section_weights,
    section_scale,
    section_profile,
    section_stages,
    section_browser,
    section_page_load,
    section_quote_runs,
    section_shelf_build,
    section_shelf_search,
)
SHELF_SECTIONS = SECTIONS[-2:]


def main(argv: list[str] | None = None) -> int:
    """Run every section; return 1 if any section failed, else 0."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scales 1, 10, 100, single runs, no installs")
    parser.add_argument("--shelf-scales", type=shelf_scales, default=os.environ.get("BENCH_SHELF_SCALES", SHELF_SCALES),
                        help=f"the synthetic shelves' sizes (default: $BENCH_SHELF_SCALES, else {SHELF_SCALES});"
                        f" searched at those of {SHELF_SEARCH_FROM} articles and more")
    parser.add_argument("--shelf-only", action="store_true", help="only the shelf's sections (7 and 8)")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    print(
        f"bench: {'quick' if args.quick else 'full'} run, {os.cpu_count()} CPUs, load average {load_average()},"
        f" python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')};"
        f" shelves of {', '.join(map(str, args.shelf_scales))} article(s)",
        flush=True,
    )
    started, failed = time.perf_counter(), list[str]()
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as name:
        ws = Workspace(Path(name), settings, shelf_scales=args.shelf_scales)
        for section in SHELF_SECTIONS if args.shelf_only else SECTIONS:
            attempt(section, ws, failed)
    print(
        f"\nbench done in {(time.perf_counter() - started) / 60:.1f} min (load average now {load_average()}); "
        f"{'failed sections: ' + ', '.join(failed) if failed else 'all sections ran'}"
    )
    return 1 if failed else 0


def attempt(section: Callable[[Workspace], None], ws: Workspace, failed: list[str]) -> None:
    """Run one section; on an exception print its traceback and note the section as failed."""
    try:
        section(ws)
    except Exception:  # a section's failure is reported, then the others run
        print(
            f"  !! {section.__name__} failed:\n"
            + "".join("     " + line for line in traceback.format_exc().splitlines(True)),
            flush=True,
        )
        failed.append(section.__name__)


if __name__ == "__main__":
    sys.exit(main())
