"""A shelf's per-article work shared between the machine's cores and kept between builds.

Articles are independent until the shelf's own pages: each is checked, then rendered, by one of a
pool of processes (one per core), and each result is kept in the cache under a key made of
everything it depends on, so the next build checks and renders again only what changed. What the
workers need beyond their job (the templates, the shelf) they inherit: the pool forks once it is set.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TextIO, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

CONTEXT: dict[str, Any] = {}  # what a worker's functions read besides their job: set before the pool forks
SMALL = 8  # articles below which one process does the work: starting others would cost more


class Progress:
    """One line on a terminal saying how far the build is (articles done of all, and the stage), shown once
    a build has run about two seconds; silent when the output is a pipe, a file or CI."""

    def __init__(self, stream: TextIO = sys.stderr, after: float = 2.0) -> None:
        self.stream = stream
        self.enabled = stream.isatty() and not os.environ.get("CI")
        self.start = time.monotonic()
        self.after = after
        self.shown = False
        self.last = 0.0

    def step(self, stage: str, done: int, total: int) -> None:
        """Say that `done` of `total` articles have passed `stage` (at most ten times a second)."""
        now = time.monotonic()
        if not self.enabled or now - self.start < self.after or (now - self.last < 0.1 and done < total):
            return
        self.last, self.shown = now, True
        self.stream.write(f"\r{stage}: {done} of {total} articles\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        """Remove the line, before the build's last word."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def workers_for(count: int) -> int:
    """How many processes to share `count` articles between: the machine's cores, or one for few articles."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 1 if count < SMALL else max(1, cores)


def share(fn: Callable[[Job], Result], jobs: Sequence[Job], stage: str, progress: Progress,
          context: dict[str, Any] | None = None) -> Iterator[Result]:
    """fn of each job, in order, computed by a pool of processes that inherit `context` (in CONTEXT)."""
    CONTEXT.clear()
    CONTEXT.update(context or {})
    size = workers_for(len(jobs))
    if size == 1:
        yield from _counted((fn(job) for job in jobs), stage, len(jobs), progress)
        return
    with ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("fork")) as pool:
        chunk = max(1, min(16, len(jobs) // (size * 8)))
        yield from _counted(pool.map(fn, jobs, chunksize=chunk), stage, len(jobs), progress)


def _counted(results: Iterable[Result], stage: str, total: int, progress: Progress) -> Iterator[Result]:
    for done, result in enumerate(results, 1):
        progress.step(stage, done, total)
        yield result
