#!/usr/bin/env python3
"""What the search index costs per paragraph as the article grows: printed, never asserted.

    .venv/bin/python bench/index_cost.py [--scales 1 10 100 1000] [--runs N]

For each scale k, the article's own search docs (as build.py makes them) repeated k times the way
bench.py's scaling section repeats the article: each copied paragraph ends in " (copy N)", each
copied note gets its own id. Each run is a fresh process that times build_search_index (lunr.py,
with our tokenizer) and serialize_index_script (the compact form and its expands-back check) in CPU
time, with the cycle collector off as build.py runs. Prints the median and fastest microseconds per
paragraph.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.search import SearchDoc  # noqa: E402

RUNS = {1: 15, 10: 9, 100: 3, 1000: 1}


def article_docs() -> list[SearchDoc]:
    """The real article's search docs: its paragraphs, then its notes."""
    from reader.annotations import anchor_notes

    import build
    from reader.markup import make_markdown

    inputs, md = build.load_inputs(build.parse_args([])), make_markdown()
    article, notes = build.parse_inputs(inputs, md)
    return build.search_docs(article, anchor_notes(inputs.annotations_path, article.paragraphs, notes))


def scaled_docs(docs: list[SearchDoc], k: int) -> list[SearchDoc]:
    """The docs repeated k times as bench.py's write_synthetic repeats the article and its notes."""
    paragraphs = [d for d in docs if d.ref.startswith("p-")]
    notes = [d for d in docs if not d.ref.startswith("p-")]
    return [
        SearchDoc(f"p-{(copy - 1) * len(paragraphs) + i}", d.title, d.body if copy == 1 else f"{d.body} (copy {copy})")
        for copy in range(1, k + 1)
        for i, d in enumerate(paragraphs, 1)
    ] + [
        SearchDoc(d.ref if copy == 1 else f"{d.ref}-c{copy}", d.title, d.body)
        for copy in range(1, k + 1)
        for d in notes
    ]


def time_once(k: int) -> dict:
    """Build and serialize the index of the article x k; return µs per paragraph for each step."""
    from reader.search import build_search_index, serialize_index_script

    docs = scaled_docs(article_docs(), k)
    paragraphs = sum(d.ref.startswith("p-") for d in docs)
    gc.disable()
    started = time.process_time()
    index = build_search_index(docs)
    built = time.process_time()
    serialize_index_script(index)
    done = time.process_time()
    return {
        "paragraphs": paragraphs,
        "docs": len(docs),
        "build": (built - started) * 1e6 / paragraphs,
        "serialize": (done - built) * 1e6 / paragraphs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=list(RUNS))
    parser.add_argument("--runs", type=int, help="runs per scale (default: 15, 9, 3, 1 for x1, x10, x100, x1000)")
    parser.add_argument("--once", type=int, help=argparse.SUPPRESS)  # internal: one timed run in this process
    args = parser.parse_args(argv)
    if args.once:
        print(json.dumps(time_once(args.once)))
        return 0
    print(
        "search index cost per paragraph (CPU µs, which other processes on a busy machine disturb less than"
        " wall time; median / fastest of fresh-process runs):"
    )
    print(
        f"  {'scale':>6} {'paras':>6} {'docs':>6} {'runs':>4}  {'build_search_index':>20} {'serialize_index_script':>24} {'both':>14}"
    )
    for k in args.scales:
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, __file__, "--once", str(k)], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(args.runs or RUNS.get(k, 1))
        ]
        cell = {
            step: (statistics.median(r[step] for r in runs), min(r[step] for r in runs))
            for step in ("build", "serialize")
        }
        both = [r["build"] + r["serialize"] for r in runs]
        print(
            f"  {'x' + str(k):>6} {runs[0]['paragraphs']:>6} {runs[0]['docs']:>6} {len(runs):>4}  "
            f"{cell['build'][0]:>11.0f} / {cell['build'][1]:<6.0f} {cell['serialize'][0]:>13.0f} / {cell['serialize'][1]:<8.0f}"
            f" {statistics.median(both):>6.0f} / {min(both):<6.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
