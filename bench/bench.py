#!/usr/bin/env python3
"""Benchmark the annotated reader: build time, page weight, search latency, Lighthouse, scaling.

    .venv/bin/python bench/bench.py [--quick]

Prints figures and never asserts. A section that fails prints why and the others still run;
the exit status is 1 only if a section failed. --quick runs fewer repetitions and skips Lighthouse.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import http.server
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True  # leave no build.cpython-*.pyc beside build.py
BYTECODE_OFF = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))

from bench.weights import BUDGET_GZ, page_weights  # noqa: E402

PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
DEBOUNCE_MS = 60  # static/js/search.js
RATIO_TARGET = 0.6  # our build time / mkdocs build time
# Imports build.py as build.py's own run does: the cycle collector off, no interpreter teardown.
IMPORT_ONLY = "import gc, os; gc.disable(); import build; os._exit(0)"
MKDOCS_VENV = BENCH / ".venv-mkdocs"
MKDOCS_REQUIREMENTS = ("mkdocs==1.6.1", "lunr==0.8.0")  # pinned so the yardstick stays put
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
SCALES = (1, 10, 100)

# Typed into the search box. A tuple is one word typed letter by letter, each keystroke measured.
BROWSER_QUERIES = (
    "japan",
    "alliance",
    "missiles",
    "treaty",
    "Jimbo",
    ("d", "de", "def", "defe", "defen", "defens", "defense"),
    "nuclear umbrella",
    '"double freeze"',
    "alliense",
    "U.S.",
    "Japan\u2019s",
    "the US",
    "GDP 2017",
    "xqzvwk",
)
NODE_QUERIES = ("japan", "alliance", "defen", '"double freeze"', "alliense", "U.S.", "Japan\u2019s", "xqzvwk")


@dataclass(frozen=True)
class Settings:
    """How many repetitions each section runs."""

    build_runs: int
    mkdocs_runs: int
    browser_rounds: int
    scale_runs: int
    node_reps: int
    lighthouse: bool
    gc_off_run: bool  # also time the largest scale's stages with the cycle collector off


FULL = Settings(
    build_runs=9, mkdocs_runs=9, browser_rounds=3, scale_runs=3, node_reps=5, lighthouse=True, gc_off_run=True
)
QUICK = Settings(
    build_runs=3, mkdocs_runs=3, browser_rounds=1, scale_runs=1, node_reps=2, lighthouse=False, gc_off_run=False
)


# ---------------------------------------------------------------- printing and timing helpers


def heading(title: str) -> None:
    """Print a section title."""
    print(f"\n== {title} " + "=" * max(0, 76 - len(title)), flush=True)


def table(headers: list[str], rows: list[list], indent: str = "  ") -> None:
    """Print rows under headers, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_numeric(row[i]) for row in rows) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print(
            indent
            + "  ".join(
                c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))
            ).rstrip()
        )
        if n == 0:
            print(indent + "  ".join("-" * w for w in widths))


def _numeric(value) -> bool:
    """Whether a cell is a number (or a blank, or digits like 12/3/0) and so right-aligned."""
    return value is None or isinstance(value, (int, float)) or bool(re.fullmatch(r"[\d/.,%-]+", str(value)))


def _cell(value) -> str:
    """Format one table cell: thousands separators for ints, 1 decimal for floats."""
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def summary(seconds: list[float]) -> str:
    """Median, min, max and spread ((max-min)/median) of timings, in ms."""
    med = statistics.median(seconds)
    spread = (max(seconds) - min(seconds)) / med * 100 if med else 0
    return (
        f"median {med * 1000:.0f} ms  min {min(seconds) * 1000:.0f}  max {max(seconds) * 1000:.0f}  "
        f"spread {spread:.0f}%  (n={len(seconds)})"
    )


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command, capturing output; raise with its stderr if it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done


def time_command(cmd: list[str], runs: int, warmup: int = 1, **kwargs) -> list[float]:
    """Wall-clock seconds of each of runs executions of cmd, after warmup unmeasured ones."""
    for _ in range(warmup):
        run(cmd, **kwargs)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run(cmd, **kwargs)
        times.append(time.perf_counter() - started)
    return times


def time_interleaved(cmds: dict[str, list[str]], runs: int, warmup: int = 1, **kwargs) -> dict[str, list[float]]:
    """Like time_command for several commands, taking turns each round so a changing machine load hits all alike."""
    for _ in range(warmup):
        for cmd in cmds.values():
            run(cmd, **kwargs)
    times: dict[str, list[float]] = {label: [] for label in cmds}
    for _ in range(runs):
        for label, cmd in cmds.items():
            started = time.perf_counter()
            run(cmd, **kwargs)
            times[label].append(time.perf_counter() - started)
    return times


def build_cmd(out: Path, content: Path | None = None, annotations: Path | None = None) -> list[str]:
    """The whole-process build command line."""
    cmd = [PYTHON, str(ROOT / "build.py"), "--out", str(out)]
    if content:
        cmd += ["--content", str(content)]
    if annotations:
        cmd += ["--annotations", str(annotations)]
    return cmd


# ---------------------------------------------------------------- 1. build time


def section_build(s: Settings, tmp: Path) -> float:
    """Time the whole-process build, break it down, profile it; return the median in seconds."""
    heading("1. Full build, whole process: python build.py --out TMP")
    times = time_interleaved(
        {"build": build_cmd(tmp / "site"), "pass": [PYTHON, "-c", "pass"], "import": [PYTHON, "-c", IMPORT_ONLY]},
        s.build_runs,
        cwd=ROOT,
    )
    print(f"  python build.py              {summary(times['build'])}")
    print(f"  python -c pass               {summary(times['pass'])}")
    print(f"  python -c 'import build'     {summary(times['import'])}  (collector off, no teardown, as build.py runs)")
    med, start_med, imp_med = (statistics.median(times[k]) * 1000 for k in ("build", "pass", "import"))
    print(
        f"  median split: interpreter {start_med:.0f} ms + imports {imp_med - start_med:.0f} ms"
        f" + build and exit {med - imp_med:.0f} ms (build.py reports {build_reported_ms(tmp / 'site'):.0f} ms for its own part)"
    )
    print(
        f"  bytecode: timed runs keep .pyc files under a temporary PYTHONPYCACHEPREFIX, as a second run on a"
        f" developer's machine would;\n  with no .pyc at all, compiling build.py + reader/*.py from source adds"
        f" {source_compile_ms():.0f} ms to every run{bytecode_note()}"
    )
    print_importtime(tmp / "site")
    print_profile(tmp / "site-profiled")
    return statistics.median(times["build"])


def source_compile_ms() -> float:
    """Milliseconds to compile build.py and reader/*.py from source, what each run pays without .pyc files."""
    files = [ROOT / "build.py", *sorted((ROOT / "reader").glob("*.py"))]
    started = time.perf_counter()
    for file in files:
        compile(file.read_bytes(), str(file), "exec")
    return (time.perf_counter() - started) * 1000


def bytecode_note() -> str:
    """Say whether this environment writes no .pyc for reader/ (then every real build pays that compile)."""
    if BYTECODE_OFF and not (ROOT / "reader" / "__pycache__").is_dir():
        return " (PYTHONDONTWRITEBYTECODE is set here and reader/ has no __pycache__, so `make site` pays it)"
    return ""


def build_reported_ms(out: Path) -> float:
    """The 'in N ms' build.py prints for one run."""
    match = re.search(r"in (\d+) ms", run(build_cmd(out), cwd=ROOT).stdout)
    return float(match[1]) if match else float("nan")


def print_importtime(out: Path, top: int = 10) -> None:
    """Print the imports with the largest cumulative time in one `python -X importtime` build."""
    stderr = run([PYTHON, "-X", "importtime", *build_cmd(out)[1:]], cwd=ROOT).stderr
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m[2]), int(m[1]), len(m[3]) // 2, m[4]))
    total = sum(cum for cum, _, depth, _ in rows if depth == 0)
    print(
        f"\n  python -X importtime: {len(rows)} modules, {total / 1000:.0f} ms in top-level imports; top {top} by cumulative:"
    )
    table(
        ["cumulative ms", "self ms", "depth", "module"],
        [[cum / 1000, own / 1000, depth, name] for cum, own, depth, name in sorted(rows, reverse=True)[:top]],
    )


def print_profile(out: Path, top: int = 15) -> None:
    """Profile one in-process build (after `import build`) and print the top functions."""
    import build

    profiler = cProfile.Profile()
    with contextlib.redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        status = profiler.runcall(build.main, ["--out", str(out)])
        elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats
    print(
        f"\n  cProfile of one in-process build (exit {status}, {elapsed * 1000:.0f} ms under the profiler);"
        f" top {top} by cumulative time:"
    )
    rows = sorted(stats.items(), key=lambda item: item[1][3], reverse=True)[:top]
    table(
        ["cum ms", "own ms", "calls", "function"],
        [[ct * 1000, tt * 1000, nc, where(key)] for key, (_, nc, tt, ct, _) in rows],
    )
    print(f"\n  top {top} by own time:")
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    table(
        ["own ms", "cum ms", "calls", "function"],
        [[tt * 1000, ct * 1000, nc, where(key)] for key, (_, nc, tt, ct, _) in rows],
    )


def where(key: tuple) -> str:
    """A profile entry as module-ish path:line(function)."""
    file, line, func = key
    if file == "~":
        return func
    path = file.replace(str(ROOT) + os.sep, "")
    path = re.sub(r".*/site-packages/", "", path)
    path = re.sub(r".*/lib/python3\.\d+/", "", path)
    return f"{path}:{line}({func})"


# ---------------------------------------------------------------- 2. mkdocs yardstick


def section_mkdocs(s: Settings, tmp: Path) -> None:
    """Time `mkdocs build -q` of the same article and notes, taking turns with ours; print the ratios."""
    heading("2. Yardstick: mkdocs build -q of the same article + notes")
    mkdocs = ensure_mkdocs()
    version = run([str(mkdocs), "--version"]).stdout.split(" from ")[0].strip()
    plain, prebuilt = (write_mkdocs_project(tmp / f"mkdocs-{int(p)}", p) for p in (False, True))
    labels = {
        "ours": "ours: python build.py",
        "plain": "mkdocs, search plugin",
        "prebuilt": "mkdocs, search + prebuild_index: python (lunr.py)",
    }
    times = time_interleaved(
        {
            "ours": build_cmd(tmp / "site-vs-mkdocs"),
            "plain": [str(mkdocs), "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(plain / "site")],
            "prebuilt": [str(mkdocs), "build", "-q", "-f", str(prebuilt / "mkdocs.yml"), "-d", str(prebuilt / "site")],
        },
        s.mkdocs_runs,
        cwd=ROOT,
    )
    for key, label in labels.items():
        print(f"  {label:50} {summary(times[key])}")
    print(f"  ({version}; the three commands take turns, so load from elsewhere hits all alike)")
    ours = statistics.median(times["ours"])
    for key in ("plain", "prebuilt"):
        theirs = statistics.median(times[key])
        ratio = ours / theirs
        verdict = "met" if ratio <= RATIO_TARGET else "NOT met"
        print(
            f"  ours / {labels[key]}: {ours * 1000:.0f} / {theirs * 1000:.0f} ms = {ratio:.2f}"
            f"  (target <= {RATIO_TARGET}: {verdict}; by fastest runs {min(times['ours']) / min(times[key]):.2f})"
        )


def ensure_mkdocs() -> Path:
    """Return bench/.venv-mkdocs/bin/mkdocs, creating that venv (mkdocs + lunr) on first use."""
    mkdocs = MKDOCS_VENV / "bin" / "mkdocs"
    if not mkdocs.exists():
        print(f"  creating {MKDOCS_VENV.relative_to(ROOT)} with {' '.join(MKDOCS_REQUIREMENTS)} ...", flush=True)
        run([PYTHON, "-m", "venv", "--clear", str(MKDOCS_VENV)])
        run(
            [
                str(MKDOCS_VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *MKDOCS_REQUIREMENTS,
            ]
        )
    return mkdocs


def split_front_matter(text: str) -> tuple[dict, str]:
    """Return the article's YAML front matter and its Markdown body."""
    import yaml

    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not match:
        return {}, text
    return yaml.safe_load(match[1]) or {}, text[match.end() :]


def article_file() -> Path:
    """The real article's Markdown file."""
    return sorted((ROOT / "content").glob("*.md"))[0]


def notes_markdown(notes: list[dict]) -> str:
    """The notes as one Markdown page: a heading, the quote, the body and sources per note."""
    parts = ["# Editor's notes\n"]
    for note in notes:
        anchor = f"\u201c{note['quote']}\u201d" if "quote" in note else f"paragraph {note.get('paragraph')}"
        sources = "\n".join(f"- [{src['title']}]({src['url']})" for src in note.get("sources", []))
        parts.append(
            f"## {note['title']}\n\n*{note['kind']}* \u00b7 {anchor}\n\n{note['body']}\n\nSources:\n\n{sources}\n"
        )
    return "\n".join(parts)


def write_mkdocs_project(folder: Path, prebuild: bool) -> Path:
    """Write a two-page mkdocs project (article, notes) with the built-in search plugin; return its folder."""
    import yaml

    front, body = split_front_matter(article_file().read_text(encoding="utf-8"))
    notes = yaml.safe_load((ROOT / "annotations.yaml").read_text(encoding="utf-8")) or []
    docs = folder / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(f"# {front.get('title', 'Article')}\n\n{body.strip()}\n", encoding="utf-8")
    (docs / "notes.md").write_text(notes_markdown(notes), encoding="utf-8")
    search = {"search": {"prebuild_index": "python"}} if prebuild else "search"
    config = {
        "site_name": front.get("title", "Article"),
        "nav": [{"Article": "index.md"}, {"Notes": "notes.md"}],
        "plugins": [search],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


# ---------------------------------------------------------------- 3. page weight


def section_weights(site: Path) -> None:
    """Print first-view and first-search bytes file by file against the budgets."""
    heading(f"3. Page weight (gzip -9), budgets {BUDGET_GZ:,} B each")
    weights = page_weights(site)
    for label, key in (("first view (HTML + CSS + JS)", "first_view"), ("first search (data-bundle)", "first_search")):
        rows = [[name, raw, gz] for name, raw, gz in weights[key]]
        total_raw, total_gz = sum(r[1] for r in rows), weights[f"{key}_gz"]
        print(f"\n  {label}")
        table(["file", "raw B", "gzip B"], rows + [["total", total_raw, total_gz]])
        left = BUDGET_GZ - total_gz
        verdict = f"within budget, {left:,} B to spare" if left >= 0 else f"OVER budget by {-left:,} B"
        print(f"  {total_gz:,} / {BUDGET_GZ:,} B gz = {total_gz / BUDGET_GZ:.0%}: {verdict}")


# ---------------------------------------------------------------- 4. search latency in Chromium


@contextlib.contextmanager
def served(site: Path):
    """Serve site on 127.0.0.1 (a free port) in a thread; yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no request log in the figures
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Installed once, before any typing: t0 at the input event (document, capture phase, so before
# search.js's own listener), t1 when #search-status changes, t2 after the next frame.
OBSERVER_JS = """() => {
  const status = document.getElementById('search-status');
  let t0 = null, pending = null;
  document.addEventListener('input', () => { t0 = performance.now(); }, true);
  new MutationObserver(() => {
    if (t0 === null || !pending) return;
    const t1 = performance.now(), start = t0, done = pending;
    t0 = null; pending = null;
    requestAnimationFrame(() => setTimeout(() => done({
      status: t1 - start, frame: performance.now() - start, text: status.textContent,
      results: document.querySelectorAll('#search-results li[role=option]').length}), 0));
  }).observe(status, {childList: true, characterData: true, subtree: true});
  window.__benchExpect = () => {
    window.__benchResult = Promise.race([
      new Promise((resolve) => { pending = resolve; }),
      new Promise((resolve) => setTimeout(() => resolve(null), 5000))]);
  };
}"""


def section_browser(s: Settings, site: Path) -> None:
    """Measure keystroke-to-rendered-results for each query in headless Chromium."""
    heading("4. Search latency in headless Chromium (input event -> #search-status changes)")
    from playwright.sync_api import sync_playwright

    with served(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(url + "index.html")
            load_ms = focus_and_load(page)
            page.evaluate(OBSERVER_JS)
            measure(page, "fill", "japan")  # warm-up: the engine is built on first use
            samples = browser_rounds(page, s.browser_rounds)
        finally:
            browser.close()
    print(
        f"  bundle loaded {load_ms:.0f} ms after focus (local server, no throttling); "
        f"{s.browser_rounds} round(s), {DEBOUNCE_MS} ms debounce included in 'total'"
    )
    print_latency_table(samples)


def focus_and_load(page) -> float:
    """Focus the search box and wait for the lazy bundle; return ms taken."""
    started = time.perf_counter()
    page.focus("#search-input")
    page.wait_for_function("() => window.lunr && window.ReaderText && window.ReaderQuery && window.READER_SEARCH_INDEX")
    return (time.perf_counter() - started) * 1000


def measure(page, how: str, text: str) -> dict | None:
    """Type (fill the box with text, or press one key) and return the page's timing, None on time-out."""
    page.evaluate("() => window.__benchExpect()")
    if how == "fill":
        page.fill("#search-input", text)
    else:
        page.keyboard.press(text)
    return page.evaluate("() => window.__benchResult")


def browser_rounds(page, rounds: int) -> dict[str, list]:
    """Run every query rounds times; return the timings per query label."""
    samples: dict[str, list] = {}
    for _ in range(rounds):
        for query in BROWSER_QUERIES:
            if isinstance(query, tuple):  # typed letter by letter
                for i, prefix in enumerate(query):
                    how, text = ("fill", prefix) if i == 0 else ("press", prefix[-1])
                    samples.setdefault(f"{prefix} (typed)", []).append(measure(page, how, text))
            else:
                samples.setdefault(query, []).append(measure(page, "fill", query))
    return samples


def print_latency_table(samples: dict[str, list]) -> None:
    """Print per-query medians, then the median and worst over all samples."""
    rows, totals, frames = [], [], []
    for label, runs in samples.items():
        ok = [r for r in runs if r]
        if not ok:
            rows.append([label, None, None, None, None, "time-out"])
            continue
        total = statistics.median(r["status"] for r in ok)
        frame = statistics.median(r["frame"] for r in ok)
        totals += [r["status"] for r in ok]
        frames += [r["frame"] for r in ok]
        rows.append([label, total, total - DEBOUNCE_MS, frame, ok[-1]["results"], ok[-1]["text"][:48]])
    table(["query", "total ms", "-debounce", "+frame ms", "results", "status"], rows)
    if totals:
        print(
            f"  all {len(totals)} samples: total median {statistics.median(totals):.1f} ms, worst {max(totals):.1f} ms;"
            f" minus debounce median {statistics.median(totals) - DEBOUNCE_MS:.1f} ms, worst {max(totals) - DEBOUNCE_MS:.1f} ms;"
            f" to next frame median {statistics.median(frames):.1f} ms, worst {max(frames):.1f} ms"
        )


# ---------------------------------------------------------------- 5. Lighthouse


def section_lighthouse(site: Path, tmp: Path) -> None:
    """Run Lighthouse on the served site; print category scores and failing audits."""
    heading("5. Lighthouse (default mobile emulation + simulated throttling)")
    ensure_lighthouse()
    out = tmp / "lighthouse"
    out.mkdir(exist_ok=True)
    report = out / "report.json"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    with served(site) as url:
        started = time.perf_counter()
        run(
            [
                str(LIGHTHOUSE),
                url + "index.html",
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox",
            ],
            env=env,
            timeout=300,
        )
        elapsed = time.perf_counter() - started
    data = json.loads(report.read_text(encoding="utf-8"))
    print(f"  lighthouse {data.get('lighthouseVersion')} in {elapsed:.0f} s")
    for cat_id in ("performance", "accessibility", "best-practices", "seo"):
        print_category(data, cat_id)
    print("  (text compression and cache-lifetime audits judge the bench's plain http.server, not the site)")
    metrics = data["audits"].get("metrics", {}).get("details", {}).get("items", [{}])[0]
    keys = (
        "firstContentfulPaint",
        "largestContentfulPaint",
        "totalBlockingTime",
        "cumulativeLayoutShift",
        "speedIndex",
    )
    print("  metrics: " + ", ".join(f"{k} {metrics[k]}" for k in keys if k in metrics))


def ensure_lighthouse() -> None:
    """Install bench/node_modules from bench/package-lock.json if it is missing."""
    if not LIGHTHOUSE.exists():
        print("  npm ci --prefix bench ...", flush=True)
        run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"], cwd=ROOT)


def print_category(data: dict, cat_id: str) -> None:
    """Print one category's score and, below 100, the titles of its failing audits."""
    cat = data["categories"].get(cat_id)
    if not cat:
        print(f"  {cat_id}: not in report")
        return
    score = None if cat["score"] is None else round(cat["score"] * 100)
    print(f"  {cat['title']:16} {score}")
    if score is not None and score < 100:
        for ref in cat["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if (
                audit.get("score") is not None
                and audit["score"] < 1
                and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
            ):
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                print(f"      - {audit['title']}{value}  [score {audit['score']:.2f}, weight {ref.get('weight', 0)}]")


# ---------------------------------------------------------------- 6. scaling


def section_scaling(s: Settings, tmp: Path) -> None:
    """Build synthetic k-times articles; print build time, index size and query latency per scale."""
    heading("6. Scaling: the article x1, x10, x100 (paragraphs and notes repeated)")
    rows, points, stages = [], [], {}
    for k in SCALES:
        folder = tmp / f"scale-{k}"
        content, annotations, n_paragraphs, n_notes = write_synthetic(folder, k)
        times = time_command(build_cmd(folder / "site", content, annotations), s.scale_runs, warmup=0, cwd=ROOT)
        index_bytes = next((folder / "site" / "assets").glob("search-index.*.js")).read_bytes()
        stages[f"x{k}"] = run_stages(folder, content, annotations)
        latency = node_latency(folder / "site", folder / "docs.json", s.node_reps)
        med = statistics.median(times)
        points.append((n_paragraphs, med))
        rows.append(
            [
                f"x{k}",
                n_paragraphs,
                n_notes,
                latency["docs"],
                med * 1000,
                med * 1000 / n_paragraphs,
                len(index_bytes) / 1024,
                _gz_kib(index_bytes),
                latency["load_ms"],
                latency["median_ms"],
                latency["worst_ms"],
                latency["worst_query"],
            ]
        )
    table(
        [
            "scale",
            "paras",
            "notes",
            "docs",
            "build ms",
            "ms/para",
            "index KiB",
            "gz KiB",
            "load ms",
            "query med ms",
            "worst ms",
            "worst query",
        ],
        rows,
    )
    print(
        f"  build = median of {s.scale_runs} whole-process run(s); load = eval scripts + expandIndex + createEngine;"
        f" queries under Node, {s.node_reps} reps each of: {', '.join(NODE_QUERIES)}"
    )
    print_linearity(points)
    if s.gc_off_run:
        stages[f"x{SCALES[-1]} gc off"] = run_stages(tmp / f"scale-{SCALES[-1]}", content, annotations, no_gc=True)
    print_stages(stages)


def run_stages(folder: Path, content: Path, annotations: Path, no_gc: bool = False) -> dict:
    """Time the build's stages in a fresh process (bench.py --stages); it also writes folder/docs.json."""
    cmd = [
        PYTHON,
        str(BENCH / "bench.py"),
        "--stages",
        str(content),
        str(annotations),
        str(folder / "site-stages"),
        str(folder / "docs.json"),
    ] + (["--no-gc"] if no_gc else [])
    return json.loads(run(cmd, cwd=ROOT).stdout)


def print_stages(stages: dict[str, dict]) -> None:
    """Print each build stage's in-process ms per scale, its growth over the last step, and which grow too fast."""
    labels = list(stages)
    names = list(next(iter(stages.values()))["ms"])
    a, b = [label for label in labels if "gc off" not in label][-2:]
    size = int(b[1:]) / int(a[1:])
    totals = {label: sum(stages[label]["ms"].values()) for label in labels}
    print(f"\n  build stages in-process (one fresh process each; ms); growth = {b} / {a}, {size:.0f} is linear:")
    rows = [
        [name]
        + [stages[label]["ms"][name] for label in labels]
        + [stages[b]["ms"][name] / max(stages[a]["ms"][name], 0.01)]
        for name in names
    ]
    rows.append(["total"] + [totals[label] for label in labels] + [totals[b] / totals[a]])
    rows.append(["gc collections (gen 0/1/2)"] + ["/".join(map(str, stages[label]["gc"])) for label in labels] + [None])
    table(["stage"] + labels + ["growth"], rows)
    fast = [
        f"{name} ({stages[b]['ms'][name] / stages[a]['ms'][name]:.0f}x)"
        for name in names
        if stages[a]["ms"][name] >= 1 and stages[b]["ms"][name] / stages[a]["ms"][name] > 1.5 * size
    ]
    print(f"  stages growing faster than linear {a}->{b} (> {1.5 * size:.0f}x): {', '.join(fast) or 'none'}")
    off = next((label for label in labels if "gc off" in label), None)
    if off:
        print(
            f"  cycle collector's share at {b}: {totals[b]:.0f} ms with it, {totals[off]:.0f} ms without"
            f" ({1 - totals[off] / totals[b]:.0%} of the build)"
        )


def stage_times(content: str, annotations: str, out: str, docs_json: str, no_gc: bool) -> dict:
    """Run build.build_once's steps one by one, timing each; write the search docs for query_latency.js."""
    import gc

    if no_gc:
        gc.disable()
    from reader.annotations import anchor_notes

    import build
    from reader.markup import make_markdown
    from reader.output import write_site
    from reader.search import build_search_index, serialize_index_script

    ms: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(name):
        started = time.perf_counter()
        yield
        ms[name] = (time.perf_counter() - started) * 1000

    args = build.parse_args(["--content", content, "--annotations", annotations, "--out", out])
    with stage("read inputs"):
        inputs, md = build.load_inputs(args), make_markdown()
    with stage("parse article + notes"):
        article, notes = build.parse_inputs(inputs, md)
    with stage("anchor notes"):
        anchored = anchor_notes(inputs.annotations_path, article.paragraphs, notes)
    docs = build.search_docs(article, anchored)
    with stage("search index (lunr.py)"):
        index = build_search_index(docs)
    with stage("serialize index (compact)"):
        script = serialize_index_script(index)
    with stage("render pages"):
        files = build.render_site(inputs, article, anchored, script, None)
    with stage("write folder"):
        write_site(Path(out), files)
    Path(docs_json).write_text(
        json.dumps({d.ref: {"title": d.title, "body": d.body} for d in docs}, ensure_ascii=False), encoding="utf-8"
    )
    return {"ms": ms, "gc": [g["collections"] for g in gc.get_stats()]}


def _gz_kib(data: bytes) -> float:
    """gzip -9 size in KiB."""
    from bench.weights import gzip_size

    return gzip_size(data) / 1024


def print_linearity(points: list[tuple[int, float]]) -> None:
    """Compare the marginal build time per paragraph between successive scales."""
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) * 1000 for a, b in zip(points, points[1:], strict=False) if b[0] > a[0]]
    if len(slopes) < 2:
        return
    words = " -> ".join(f"{m:.2f}" for m in slopes)
    ratio = slopes[-1] / slopes[0] if slopes[0] > 0 else float("inf")
    verdict = (
        ("roughly linear" if ratio < 1.5 else "growing faster than linear")
        if ratio > 0.67
        else "sub-linear (fixed costs dominate)"
    )
    print(f"  marginal build ms per extra paragraph (x1->x10, x10->x100): {words}; ratio {ratio:.2f}: {verdict}")


def write_synthetic(folder: Path, k: int) -> tuple[Path, Path, int, int]:
    """Write the article and notes repeated k times; return (content, annotations, paragraphs, notes)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    text = article_file().read_text(encoding="utf-8")
    body_text = split_front_matter(text)[1]
    paragraphs = [p.strip() for p in body_text.split("\n\n") if p.strip()]
    notes = yaml.safe_load((ROOT / "annotations.yaml").read_text(encoding="utf-8")) or []
    body = [p if copy == 1 else f"{p} (copy {copy})" for copy in range(1, k + 1) for p in paragraphs]
    content = folder / "article.md"
    content.write_text(text[: len(text) - len(body_text)] + "\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    counts = {n["id"]: quote_count(n, paragraphs) for n in notes if "quote" in n} if k > 1 else {}
    copies = [copy_note(n, copy, len(paragraphs), counts.get(n["id"], 1), k) for copy in range(1, k + 1) for n in notes]
    annotations = folder / "annotations.yaml"
    annotations.write_text(
        yaml.dump(copies, Dumper=_no_alias_dumper(), sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8"
    )
    return content, annotations, len(body), len(copies)


def _no_alias_dumper():
    """A YAML SafeDumper that writes repeated objects out in full (no &anchors / *aliases)."""
    import yaml

    class NoAliasDumper(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    return NoAliasDumper


def quote_count(note: dict, paragraphs: list[str]) -> int:
    """How many times a note's quote (with its prefix/suffix) occurs in the original article, as the build counts."""
    from reader.annotations import _context_fits, _find_all, _match_form, _plain

    quote = _plain(note["quote"])
    forms = [_match_form(p)[0] for p in paragraphs]
    return sum(
        1
        for form in forms
        for i in _find_all(form, quote)
        if _context_fits(form, i, len(quote), note.get("prefix"), note.get("suffix"))
    )


def copy_note(note: dict, copy: int, n_paragraphs: int, count: int, k: int) -> dict:
    """The note for the copy-th repetition of the article: unique id, same words, its own occurrence."""
    if k == 1:
        return dict(note)
    new = {**note, "id": note["id"] if copy == 1 else f"{note['id']}-c{copy}"}
    if "paragraph" in note:
        new["paragraph"] = note["paragraph"] + (copy - 1) * n_paragraphs
    else:
        new["occurrence"] = (copy - 1) * count + note.get("occurrence", 1)
    return new


def node_latency(site: Path, docs_file: Path, reps: int) -> dict:
    """Run bench/query_latency.js on a built site; return docs, load time, median and worst query ms."""
    queries = site.parent / "queries.json"
    queries.write_text(json.dumps(NODE_QUERIES, ensure_ascii=False), encoding="utf-8")
    out = json.loads(
        run(
            ["node", str(BENCH / "query_latency.js"), str(site), str(docs_file), str(queries), str(reps)], cwd=ROOT
        ).stdout
    )
    all_ms = [(ms, q) for q, times in out["samples"].items() for ms in times]
    worst_ms, worst_q = max(all_ms)
    return {
        "docs": len(json.loads(docs_file.read_text(encoding="utf-8"))),
        "load_ms": out["eval_ms"] + out["expand_ms"] + out["engine_ms"],
        "median_ms": statistics.median(ms for ms, _ in all_ms),
        "worst_ms": worst_ms,
        "worst_query": worst_q,
    }


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Run every section; return 1 if any section failed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no Lighthouse")
    parser.add_argument(
        "--stages", nargs=4, metavar=("CONTENT", "ANNOTATIONS", "OUT", "DOCS_JSON"), help=argparse.SUPPRESS
    )  # internal: section 6 times the build's stages in a fresh process
    parser.add_argument("--no-gc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages:
        print(json.dumps(stage_times(*args.stages, no_gc=args.no_gc)))
        return 0
    s = QUICK if args.quick else FULL
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"bench: {'quick' if args.quick else 'full'} run, {os.cpu_count()} CPUs, load average {load},"
        f" python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    failed = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as name:
        tmp = Path(name)
        use_bytecode_cache(tmp / "pycache")
        site = tmp / "site"
        attempt("build", failed, section_build, s, tmp)
        if not (site / "index.html").exists():
            run(build_cmd(site), cwd=ROOT)
        attempt("mkdocs", failed, section_mkdocs, s, tmp)
        attempt("weights", failed, section_weights, site)
        attempt("browser", failed, section_browser, s, site)
        if s.lighthouse:
            attempt("lighthouse", failed, section_lighthouse, site, tmp)
        else:
            heading("5. Lighthouse: skipped (--quick)")
        attempt("scaling", failed, section_scaling, s, tmp)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nbench done (load average now {load}); "
        f"{'failed sections: ' + ', '.join(failed) if failed else 'all sections ran'}"
    )
    return 1 if failed else 0


def use_bytecode_cache(folder: Path) -> None:
    """Let every Python the bench starts (ours and mkdocs alike) cache .pyc files, in folder, not the repo."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


def attempt(name: str, failed: list[str], section, *args):
    """Run one section; on an exception print it, note the section as failed and return None."""
    try:
        return section(*args)
    except Exception:  # a benchmark section's failure is reported, then the others run
        print(
            f"  !! section '{name}' failed:\n"
            + "".join("     " + line for line in traceback.format_exc().splitlines(True))
        )
        failed.append(name)
        return None


if __name__ == "__main__":
    sys.exit(main())
