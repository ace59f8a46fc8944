#!/usr/bin/env python3
"""Where a shelf build's time goes: one build under cProfile on one core, and the shelf index's two ways.

    .venv/bin/python bench/shelf_profile.py build CONTENT ANNOTATIONS OUT [CACHE]
    .venv/bin/python bench/shelf_profile.py index CONTENT ANNOTATIONS
    .venv/bin/python bench/shelf_profile.py serve CONTENT ANNOTATIONS OUT CACHE NOTES_FILE

Prints one JSON object. `build`: `build.py`'s main under cProfile, pinned to one core so that the work the
build shares between cores runs in this process and shows in the profile (CPU seconds of one core, and
cProfile slows Python code down: read them as shares): seconds in each step (STEPS) and the functions
that spend most time themselves. Without CACHE the build runs with --no-cache. `index`: the shelf's search
index made whole (build_shelf_index, as a cold build makes it), and updated by update_shelf_index from the
state of the build before (as a rebuild does, that state kept in the cache) after one note's body changed,
then one paragraph; and that state's size pickled, and the seconds to pickle it and read it back (a
rebuild reads it from the cache and keeps the new one). `serve`: the rebuilds `make serve` makes on save, in
one process whose cache entries stay in memory between builds (build_once with a memory, as reader/serve.py
calls it): one build, then SERVE_EDITS times the first note of NOTES_FILE edited and the site built again,
each rebuild's wall and CPU seconds.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import os
import pickle
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True

from bench.common import where  # noqa: E402

# A step of the build: (what it is, the file and function whose cumulative time it is). One core: the
# workers' functions run here.
STEPS = (
    ("start-up: imports", "", ""),
    ("read the inputs", "build.py", "load_inputs"),
    ("check an article (parse, anchor)", "reader/check.py", "check_one"),
    ("cache: look up", "reader/cache.py", "get"),
    ("cache: keep", "reader/cache.py", "put"),
    ("render an article's pages", "build.py", "render_unit"),
    ("shelf search index (made or updated)", "reader/shelfindex.py", "update_shelf_index"),
    ("  of it: a doc's terms (tokenize, stem)", "reader/shelfindex.py", "doc_tfs"),
    ("the shelf's own pages", "reader/pages.py", "shelf_files"),
    ("write files (or find them unchanged)", "reader/output.py", "write"),
    ("put the site in place", "reader/output.py", "commit"),
)
TOP = 12
SERVE_EDITS = 3


def profile_build(content: str, annotations: str, out: str, cache: str | None) -> dict[str, Any]:
    """Build once under cProfile on one core; seconds by step, and the top functions by their own time."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    argv = ["--content", content, "--annotations", annotations, "--out", out,
            *(["--cache", cache] if cache else ["--no-cache"])]
    profiler = cProfile.Profile(time.process_time)  # CPU seconds: a loaded machine's waits left out
    started = time.process_time()
    profiler.enable()
    import build

    with contextlib.redirect_stdout(io.StringIO()):  # its "built ..." line: this prints JSON only
        status = build.main(argv)
    profiler.disable()
    total = time.process_time() - started
    if status:
        raise SystemExit(f"build failed ({status})")
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return {"total": total, "steps": step_seconds(stats, total), "top": top_own(stats)}


def step_seconds(stats: dict, total: float) -> dict[str, float]:
    """Cumulative seconds of each step's function; start-up is what the build's main did not take."""
    def cumulative(file: str, function: str) -> float:
        return sum(ct for (path, _, name), (_, _, _, ct, _) in stats.items()
                   if name == function and path.endswith(os.sep + file.replace("/", os.sep)))

    main = cumulative("build.py", "main")
    return {label: (total - main if not file else cumulative(file, function)) for label, file, function in STEPS}


def top_own(stats: dict) -> list[tuple[str, float, int]]:
    """The TOP functions by time spent in themselves: (where, seconds, calls)."""
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:TOP]
    return [(where(key), tt, nc) for key, (_, nc, tt, _, _) in rows]


# ---------------------------------------------------------------- the index: built whole, or updated


def index_seconds(content: str, annotations: str) -> dict[str, float]:
    """The shelf index of the shelf's docs built whole, then updated from its state after one note's body changed
    and after one paragraph changed; the state's pickled size and its round trip."""
    from reader.shelfindex import build_shelf_index, update_shelf_index

    docs = shelf_docs(content, annotations)
    _, built = timed(lambda: build_shelf_index(docs))
    (_, state), first_update = timed(lambda: update_shelf_index(None, docs))
    note, paragraph = edited(docs, "note-"), edited(docs, "p-")
    _, after_note = timed(lambda: update_shelf_index(state, note))
    _, after_paragraph = timed(lambda: update_shelf_index(state, paragraph))
    pickled, dump_s = timed(lambda: pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    _, load_s = timed(lambda: pickle.loads(pickled))
    return {"docs": len(docs), "made whole": built, "update from none": first_update,
            "update, one note changed": after_note, "update, one paragraph changed": after_paragraph,
            "state MB": len(pickled) / 1e6, "state pickled s": dump_s, "state read back s": load_s}


def shelf_docs(content: str, annotations: str) -> list:
    """The shelf's docs, as build.py gives them to the shelf index."""
    import build

    args = build.parse_args(["--content", content, "--annotations", annotations, "--no-cache"])
    return [doc for parsed in build.check_inputs(build.load_inputs(args)).articles for doc in build.article_docs(parsed)]


def edited(docs: list, ref_start: str) -> list:
    """The docs with the middle article's first doc whose ref starts so (a note, a paragraph) changed at its end."""
    from dataclasses import replace

    middle = docs[len(docs) // 2].article
    at = next(i for i, d in enumerate(docs) if d.article == middle and d.ref.startswith(ref_start))
    return [*docs[:at], replace(docs[at], text=docs[at].text + " Revised."), *docs[at + 1 :]]


def timed(make: Callable[[], Any]) -> tuple[Any, float]:
    """What make returns, and the CPU seconds it took (one process, no pool: a loaded machine's waits left out)."""
    started = time.process_time()
    made = make()
    return made, time.process_time() - started


# ---------------------------------------------------------------- make serve's rebuilds


def serve_rebuilds(content: str, annotations: str, out: str, cache: str, notes_file: str) -> dict[str, list[float]]:
    """Build once as make serve does, then after each of SERVE_EDITS note edits again: each rebuild's seconds."""
    import build
    from bench.shelf_input import edit_notes_file

    args = build.parse_args(["--content", content, "--annotations", annotations, "--out", out, "--cache", cache])
    memory: dict = {}
    if build.build_once(args, quiet=True, memory=memory):
        raise SystemExit("build failed")
    wall, cpu = [], []
    for edit in range(SERVE_EDITS):
        edit_notes_file(Path(notes_file), 2_000_000 + edit)
        started, started_cpu = time.perf_counter(), time.process_time()
        if build.build_once(args, quiet=True, memory=memory):
            raise SystemExit("rebuild failed")
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {"wall": wall, "cpu": cpu}


def main(argv: list[str]) -> dict[str, Any]:
    """`build CONTENT ANNOTATIONS OUT [CACHE]`, `index CONTENT ANNOTATIONS` or `serve CONTENT ANNOTATIONS OUT CACHE
    NOTES_FILE`: the figures, to print as JSON."""
    mode, content, annotations, *rest = argv
    if mode == "index":
        return index_seconds(content, annotations)
    if mode == "serve":
        return serve_rebuilds(content, annotations, *rest[:3])
    return profile_build(content, annotations, rest[0], rest[1] if len(rest) > 1 else None)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
