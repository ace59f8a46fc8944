"""The shelf's build (issue 26): cold, warm and after one small edit, at 1 to 1,000 articles, beside MkDocs
Material and Pagefind.

Per scale, a synthetic shelf in our input format (bench/shelf_input.py) is built by whole `python build.py`
processes: cold without the cache (--no-cache) and cold into an emptied cache folder (the output folder
removed before each cold run, so nothing of an earlier build is there); then, with that cache, again with
nothing changed, after one note's body changed, after one paragraph changed. Beside them, taking turns with
our cold builds: `mkdocs build` (Material) of the same text, and Pagefind indexing our built article pages.
Each run goes through /usr/bin/time: its peak memory (the largest resident set of any one process of the run:
the build or one of its pool workers) and its CPU seconds (user + system, all its processes). The sites built
are kept for the search section (bench/shelf_search.py), which measures the same pages.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench import shelf_profile, yardsticks
from bench.common import heading, median, run, table, time_interleaved
from bench.shelf_input import ShelfInputs, edit_note, edit_paragraph, write_shelf

ROOT = Path(__file__).resolve().parent.parent
TIME = Path("/usr/bin/time")
BUILD_TIMEOUT_S = 900  # a build of ours, or MkDocs, slower than this is stopped and reported
REBUILD_TARGET_S = 1.5  # issue 26: one note edited, rebuilt, at 1,000 articles
TARGET_SCALE = 1000
COLD = ("ours, --no-cache", "ours, empty cache")
REBUILDS = ("nothing changed", "one note edited", "one paragraph edited")
MKDOCS, PAGEFIND = "mkdocs", "pagefind"
ARTICLE_PAGES = "*/index.html"  # a shelf's article pages: each article's text and notes, once (a shelf of 1 too)


@dataclass
class ShelfSite:
    """One scale's shelf: its inputs, and what is made of them (each on first use, kept for later sections)."""

    inputs: ShelfInputs
    folder: Path

    @property
    def articles(self) -> int:
        return len(self.inputs.articles)

    @property
    def site(self) -> Path:
        """Our site, built with the cache."""
        return self.folder / "site"

    @property
    def uncached_site(self) -> Path:
        """Our site, built with --no-cache (Pagefind indexes this one, in the same round)."""
        return self.folder / "site-uncached"

    @property
    def cache(self) -> Path:
        return self.folder / "cache"

    @property
    def pagefind(self) -> Path:
        """Pagefind's index of our article pages, in a folder of its own (pagefind-site/pagefind)."""
        return self.folder / "pagefind-site" / "pagefind"

    @property
    def material(self) -> Path:
        """MkDocs Material's site of the same text."""
        return self.folder / "mkdocs" / "site"

    def build_cmd(self, out: Path | None = None, cache: bool = True) -> list[str]:
        """Our whole-process build of this shelf into out (default: site), with the cache or without."""
        cmd = [sys.executable, str(ROOT / "build.py"), "--content", str(self.inputs.content),
               "--annotations", str(self.inputs.annotations), "--out", str(out or self.site)]
        return cmd + (["--cache", str(self.cache)] if cache else ["--no-cache"])

    def pagefind_cmd(self) -> list[str]:
        """Pagefind indexing our --no-cache build's article pages."""
        return yardsticks.pagefind_cmd(self.uncached_site, self.pagefind, ARTICLE_PAGES)

    def mkdocs_cmd(self) -> list[str]:
        """MkDocs building the same text (its project written now)."""
        return yardsticks.mkdocs_cmd(yardsticks.write_mkdocs_shelf(self.material.parent, self.inputs.articles))

    def built(self) -> Path:
        """Our site, built now if no section built it."""
        if not (self.site / "index.html").exists():
            run(self.build_cmd(), timeout=BUILD_TIMEOUT_S)
        return self.site

    def pagefind_indexed(self) -> Path | None:
        """Pagefind's index, made now if no section made it (None: Pagefind is not installed)."""
        if not yardsticks.ensure_pagefind(install=False):
            return None
        if not self.pagefind.is_dir():
            if not (self.uncached_site / "index.html").exists():
                run(self.build_cmd(self.uncached_site, cache=False), timeout=BUILD_TIMEOUT_S)
            run(self.pagefind_cmd(), timeout=BUILD_TIMEOUT_S)
        return self.pagefind

    def material_built(self) -> Path | None:
        """MkDocs Material's site, built now if no section built it (None: MkDocs is not installed)."""
        if not yardsticks.ensure_mkdocs(install=False):
            return None
        if not (self.material / "search" / "search_index.json").is_file():
            run(self.mkdocs_cmd(), timeout=BUILD_TIMEOUT_S)
        return self.material


@dataclass
class Shelves:
    """The synthetic shelves of one bench run, written on first use and kept for every section."""

    tmp: Path
    written: dict[int, ShelfSite] = field(default_factory=dict)

    def shelf(self, k: int) -> ShelfSite:
        """The shelf of k articles, written now if no section wrote it yet."""
        if k not in self.written:
            folder = self.tmp / f"shelf-{k}"
            self.written[k] = ShelfSite(write_shelf(folder, k), folder)
        return self.written[k]


class RunStats:
    """Peak memory and CPU seconds of commands run under /usr/bin/time, each run's appended to its label's file."""

    FORMAT = "%M %U %S"  # peak resident KB of the largest process, user s, system s

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def wrap(self, label: str, cmd: list[str]) -> list[str]:
        """cmd, run under /usr/bin/time when there is one (its own cost is a few ms)."""
        if not TIME.exists():
            return cmd
        return [str(TIME), "--append", "-o", str(self.file(label)), "-f", self.FORMAT, *cmd]

    def runs(self, label: str) -> list[tuple[int, float]]:
        """Each run of a label: (peak KB, CPU s)."""
        path = self.file(label)
        lines = [line.split() for line in path.read_text().splitlines()] if path.exists() else []
        return [(int(kb), float(user) + float(system)) for kb, user, system in (x for x in lines if len(x) == 3)]

    def peak_mb(self, label: str) -> float | None:
        """The largest of a label's runs, in MB (None: not measured)."""
        kb = [peak for peak, _ in self.runs(label)]
        return max(kb) / 1024 if kb else None

    def cpu_s(self, label: str) -> float | None:
        """The median CPU seconds of a label's runs (None: not measured)."""
        return median([cpu for _, cpu in self.runs(label)])

    def file(self, label: str) -> Path:
        return self.folder / (label.replace(" ", "-").replace(",", "") + ".time")


@dataclass(frozen=True)
class OutputSize:
    """What a tool wrote: files, MB on disk, MB as a server sends them."""

    files: int
    mb: float
    sent_mb: float


def output_size(folder: Path) -> OutputSize | None:
    """Everything in a folder (None: nothing there)."""
    files, raw, sent = files_size([p for p in folder.rglob("*") if p.is_file()])
    return OutputSize(files, raw / 1e6, sent / 1e6) if files else None


def files_size(paths: list[Path]) -> tuple[int, int, int]:
    """(files, bytes, bytes as a server sends them: gzip -9 file by file, Pagefind's own as they are)."""
    return len(paths), sum(p.stat().st_size for p in paths), sum(yardsticks.sent_size(p) for p in paths)


@dataclass
class ScaleFigures:
    """One scale's build figures: seconds by label (every run), peak MB and CPU s by label, output sizes by tool."""

    articles: int
    seconds: dict[str, list[float]]
    peak_mb: dict[str, float | None]
    cpu_s: dict[str, float | None]
    sizes: dict[str, OutputSize | None]

    def s(self, label: str) -> float | None:
        """The median seconds of a label's runs."""
        return median(self.seconds.get(label, []))

    def ms_per_article(self, label: str) -> float | None:
        seconds = self.s(label)
        return None if seconds is None else seconds * 1000 / self.articles

    def ratio(self, ours: str, theirs: str) -> float | None:
        """Our median seconds over theirs."""
        mine, other = self.s(ours), self.s(theirs)
        return None if mine is None or not other else mine / other

    def cpu_ratio(self, ours: str, theirs: str) -> float | None:
        """Our median CPU seconds over theirs."""
        mine, other = self.cpu_s.get(ours), self.cpu_s.get(theirs)
        return None if mine is None or not other else mine / other


# ---------------------------------------------------------------- the section


@dataclass(frozen=True)
class Runs:
    """How often each build runs at each scale (articles -> runs)."""

    cold: dict[int, int]
    rebuild: dict[int, int]


def section(shelves: Shelves, runs: Runs, install: bool) -> None:
    """Time, weigh and size the shelf's builds at each scale, beside the yardsticks."""
    scales = list(runs.cold)
    heading(f"7. Shelf build (issue 26): {', '.join(f'{k:,}' for k in scales)} article(s); ours beside MkDocs Material and Pagefind")
    tools = {MKDOCS: missing_mkdocs(install), PAGEFIND: missing_pagefind(install)}
    print(f"  yardsticks: {yardsticks.versions()}; " + "".join(f"{t} not measured: {why}; " for t, why in tools.items() if why)
          + f"peak memory and CPU: {'/usr/bin/time' if TIME.exists() else 'not measured (no /usr/bin/time)'}")
    figures = [measure_scale(shelves.shelf(k), runs.cold[k], runs.rebuild[k], [t for t, why in tools.items() if not why])
               for k in scales]
    print_times(figures, runs)
    print_sizes(figures)
    print_targets(figures, serve_rebuilds(shelves.shelf(scales[-1])))
    print_profile(shelves.shelf(scales[-1]))


@dataclass(frozen=True)
class ServeRebuilds:
    """make serve's rebuilds after one note edited (bench/shelf_profile.py serve): seconds of each, wall and CPU."""

    articles: int
    wall: list[float]
    cpu: list[float]


def serve_rebuilds(shelf: ShelfSite) -> ServeRebuilds:
    """make serve's rebuilds of the shelf's site, each after one note edited, in one process (its cache in memory)."""
    got = json.loads(run([sys.executable, shelf_profile.__file__, "serve", str(shelf.inputs.content),
                          str(shelf.inputs.annotations), str(shelf.site), str(shelf.cache), str(shelf.inputs.notes_file)],
                         timeout=4 * BUILD_TIMEOUT_S).stdout)
    return ServeRebuilds(shelf.articles, got["wall"], got["cpu"])


def missing_mkdocs(install: bool) -> str:
    """Why MkDocs Material cannot be measured ('' when it can)."""
    try:
        return "" if yardsticks.ensure_mkdocs(install) else "bench/.venv-mkdocs is missing (a full run installs it)"
    except Exception as error:  # pip offline, or a wheel that will not install
        return f"could not install it ({type(error).__name__}: {str(error)[:120]})"


def missing_pagefind(install: bool) -> str:
    """Why Pagefind cannot be measured ('' when it can)."""
    try:
        return "" if yardsticks.ensure_pagefind(install) else "bench/node_modules is missing (a full run installs it)"
    except Exception as error:  # npm offline
        return f"could not install it ({type(error).__name__}: {str(error)[:120]})"


def measure_scale(shelf: ShelfSite, runs: int, rebuild_runs: int, tools: list[str]) -> ScaleFigures:
    """Our cold builds taking turns with the yardsticks, then our rebuilds; peak memory, CPU and output sizes."""
    stats = RunStats(shelf.folder / "run-stats")
    cold = {COLD[0]: shelf.build_cmd(shelf.uncached_site, cache=False), COLD[1]: shelf.build_cmd()}
    cold |= {MKDOCS: shelf.mkdocs_cmd()} if MKDOCS in tools else {}
    cold |= {PAGEFIND: shelf.pagefind_cmd()} if PAGEFIND in tools else {}
    print(f"  {shelf.articles:,} article(s): {', '.join(cold)}, {runs} run(s) each; then {', '.join(REBUILDS)},"
          f" {rebuild_runs} each ...", flush=True)
    seconds = time_interleaved(
        {label: stats.wrap(label, cmd) for label, cmd in cold.items()}, runs,
        timeouts=dict.fromkeys(cold, BUILD_TIMEOUT_S), needs={PAGEFIND: COLD[0]},
        before={COLD[0]: lambda: removed(shelf.uncached_site), COLD[1]: lambda: removed(shelf.site, shelf.cache)})
    seconds |= time_interleaved({label: stats.wrap(label, shelf.build_cmd()) for label in REBUILDS}, rebuild_runs,
                                timeouts=dict.fromkeys(REBUILDS, BUILD_TIMEOUT_S), before=edits(shelf))
    sizes = {"ours": output_size(shelf.site), MKDOCS: output_size(shelf.material), PAGEFIND: output_size(shelf.pagefind)}
    return ScaleFigures(shelf.articles, seconds, {label: stats.peak_mb(label) for label in seconds},
                        {label: stats.cpu_s(label) for label in seconds}, sizes)


def removed(*folders: Path) -> None:
    """Remove folders (and what is in them), if there."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def edits(shelf: ShelfSite) -> dict[str, Callable[[], None]]:
    """What changes before each rebuild: nothing, one note's body, one paragraph (each edit numbered anew)."""
    numbers = iter(range(1, 1_000_000))
    return {REBUILDS[1]: lambda: edit_note(shelf.inputs, next(numbers)),
            REBUILDS[2]: lambda: edit_paragraph(shelf.inputs, next(numbers))}


def print_times(figures: list[ScaleFigures], runs: Runs) -> None:
    """Seconds of each build, CPU seconds, ms per article where linearity matters, and ours over theirs."""
    print()
    table(
        ["articles", "cold s", "CPU s", "ms/article", "cold, empty cache s", "nothing changed s", "one note s", "CPU s",
         "one paragraph s", "mkdocs s", "CPU s", "pagefind s", "cold / mkdocs", "CPU", "cold / pagefind"],
        [[f.articles, f.s(COLD[0]), f.cpu_s.get(COLD[0]), f.ms_per_article(COLD[0]), f.s(COLD[1]), f.s(REBUILDS[0]),
          f.s(REBUILDS[1]), f.cpu_s.get(REBUILDS[1]), f.s(REBUILDS[2]), f.s(MKDOCS), f.cpu_s.get(MKDOCS), f.s(PAGEFIND),
          times(f.ratio(COLD[0], MKDOCS)), times(f.cpu_ratio(COLD[0], MKDOCS)), times(f.ratio(COLD[0], PAGEFIND))]
         for f in figures])
    print(
        "  Whole processes, wall clock; medians of "
        + ", ".join(f"{runs.cold[f.articles]} (rebuilds {runs.rebuild[f.articles]}) at {f.articles:,}" for f in figures)
        + ".\n  CPU s: user + system of all the run's processes (the build shares its work between the cores), median."
        "\n  cold s: --no-cache; cold, empty cache: the cache folder emptied before each run (the build writes it);"
        "\n  the rebuilds use that cache. mkdocs s: `mkdocs build -q`, Material, the same text one page an article;"
        "\n  pagefind s: indexing our built article pages (*/index.html): an index only,"
        "\n  where our build also checks and renders. cold / mkdocs, cold / pagefind: our --no-cache build's time over theirs;"
        "\n  CPU: its CPU seconds over MkDocs' (steadier than wall seconds on a shared machine; ours uses every core).")


def times(ratio: float | None) -> str | None:
    """A ratio as '1.23x'."""
    return None if ratio is None else f"{ratio:.2f}x"


def print_sizes(figures: list[ScaleFigures]) -> None:
    """Peak memory and what each tool writes."""
    def size(f: ScaleFigures, tool: str) -> list:
        made = f.sizes.get(tool)
        return [None, None, None] if made is None else [made.files, made.mb, made.sent_mb]

    print()
    table(
        ["articles", "ours peak MB cold", "rebuild", "files", "MB", "MB gz", "mkdocs peak MB", "files", "MB", "MB gz",
         "pagefind peak MB", "files", "MB", "MB gz"],
        [[f.articles, f.peak_mb.get(COLD[0]), max_of(f.peak_mb.get(label) for label in REBUILDS), *size(f, "ours"),
          f.peak_mb.get(MKDOCS), *size(f, MKDOCS), f.peak_mb.get(PAGEFIND), *size(f, PAGEFIND)]
         for f in figures])
    print("  peak MB: the largest resident set of one process of any run (the build or one of its pool workers);"
          "\n  output: every file written, MB on disk and gzip -9 file by file (Pagefind's own compressed files as they are).")


def max_of(values: Iterable[float | None]) -> float | None:
    """The largest of the values that are not None."""
    known = [v for v in values if v is not None]
    return max(known) if known else None


def print_targets(figures: list[ScaleFigures], serve: ServeRebuilds) -> None:
    """Issue 26's targets beside the figures (printed, not asserted)."""
    at = next((f for f in figures if f.articles == TARGET_SCALE), None)
    print(f"\n  Targets (issue 26, at {TARGET_SCALE:,} articles):")
    if at is None:
        print(f"    not measured: this run's scales stop at {figures[-1].articles:,} articles"
              " (BENCH_SHELF_SCALES=1,10,100,1000 make bench runs them all)")
    else:
        print_target(f"cold build no slower than MkDocs Material: ours {seconds(at.s(COLD[0]))}, Material"
                     f" {seconds(at.s(MKDOCS))} (CPU: ours {seconds(at.cpu_s.get(COLD[0]))} on every core,"
                     f" Material {seconds(at.cpu_s.get(MKDOCS))} on one)", at.ratio(COLD[0], MKDOCS), 1.0)
        note = at.s(REBUILDS[1])
        print_target(f"one note edited, rebuilt within {REBUILD_TARGET_S} s: {seconds(note)}"
                     f" (CPU {seconds(at.cpu_s.get(REBUILDS[1]))})", None if note is None else note / REBUILD_TARGET_S, 1.0)
    serve_s = median(serve.wall)
    what = (f"one note edited, make serve's rebuild (one process, its cache in memory) at {serve.articles:,} articles,"
            f" median of {len(serve.wall)}: {seconds(serve_s)} (CPU {seconds(median(serve.cpu))})")
    if serve.articles == TARGET_SCALE:
        print_target(what, None if serve_s is None else serve_s / REBUILD_TARGET_S, 1.0)
    else:
        print(f"    {what}")
    print(f"  Cost per article at {', '.join(f'{f.articles:,}' for f in figures)} articles (linear: the same at every scale"
          " but the smallest, where start-up counts):")
    for label in (COLD[0], REBUILDS[1]):
        wall = [f"{f.ms_per_article(label):.0f}" for f in figures if f.ms_per_article(label) is not None]
        cpu = [f"{1000 * cpu / f.articles:.0f}" for f in figures if (cpu := f.cpu_s.get(label)) is not None]
        print(f"    {label}: ms per article {', '.join(wall)}; CPU ms per article {', '.join(cpu)}")


def print_target(what: str, ratio: float | None, most: float) -> None:
    """One target: what it says with the figures, and met or not (ratio: the figure over the target's bound)."""
    verdict = "not measured" if ratio is None else "met" if ratio <= most else f"NOT met ({ratio:.2f}x the bound)"
    print(f"    {what}: {verdict}")


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


# ---------------------------------------------------------------- where the time goes


def print_profile(shelf: ShelfSite) -> None:
    """bench/shelf_profile.py at the largest scale: a cold build and a one-note rebuild under cProfile on one core,
    by step, and the functions that take most of each; the shelf index made whole or updated."""
    script = [sys.executable, shelf_profile.__file__]
    args = [str(shelf.inputs.content), str(shelf.inputs.annotations)]
    cold = json.loads(run([*script, "build", *args, str(shelf.folder / "site-profiled")], timeout=4 * BUILD_TIMEOUT_S).stdout)
    edit_note(shelf.inputs, 1_000_000)
    # Into the site the rebuilds wrote: the cache keeps its index's state and its files' record by its folder.
    note = json.loads(run([*script, "build", *args, str(shelf.site), str(shelf.cache)], timeout=4 * BUILD_TIMEOUT_S).stdout)
    index = json.loads(run([*script, "index", *args], timeout=4 * BUILD_TIMEOUT_S).stdout)
    print(f"\n  Where the time goes at {shelf.articles:,} articles (bench/shelf_profile.py): one build under cProfile,"
          " pinned to one core (the workers' share runs in it), CPU seconds (cProfile slows Python down: read shares)")
    print_steps(cold, note)
    for what, profile in (("cold build", cold), ("one-note rebuild", note)):
        print(f"\n  The {what}'s functions by their own time:")
        table(["own s", "calls", "function"], [[f"{own:.2f}", calls, function] for function, own, calls in profile["top"]])
    print(f"\n  The shelf index of {index['docs']:,} docs, in one process (CPU s): made whole (a cold build)"
          f" {index['made whole']:.2f} s; updated from the build before's state (a rebuild: update_shelf_index)"
          f"\n  after one note's body changed {index['update, one note changed']:.3f} s, after one paragraph changed"
          f" {index['update, one paragraph changed']:.3f} s; that state pickled is {index['state MB']:.1f} MB, written"
          f" in {index['state pickled s']:.3f} s and read back in {index['state read back s']:.3f} s.")


def print_steps(cold: dict, note: dict) -> None:
    """Seconds and shares by step of the two profiled builds; 'other': what no step names."""
    steps = [label for label, _, _ in shelf_profile.STEPS]
    named = [step for step in steps if not step.startswith(" ")]  # the indented ones are part of the one above
    other = {"cold": cold["total"] - sum(cold["steps"][step] for step in named),
             "note": note["total"] - sum(note["steps"][step] for step in named)}
    table(["step", "cold s", "share", "one note edited s", "share"],
          [[step, cold["steps"][step], share(cold, step), note["steps"][step], share(note, step)] for step in steps]
          + [["other (keys, assets, templates, ...)", other["cold"], percent(other["cold"], cold["total"]), other["note"],
              percent(other["note"], note["total"])], ["all", cold["total"], "100%", note["total"], "100%"]])


def share(profile: dict, step: str) -> str:
    """A step's share of its build's profiled seconds."""
    return percent(profile["steps"][step], profile["total"])


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%"
