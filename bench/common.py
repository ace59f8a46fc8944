"""What every section of the bench shares: running and timing commands, medians, printing tables."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def heading(title: str) -> None:
    """Print a section title."""
    print(f"\n== {title} " + "=" * max(0, 76 - len(title)), flush=True)


def table(headers: list[str], rows: list[list], indent: str = "  ") -> None:
    """Print rows under headers, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_numeric(row[i]) for row in rows) for i in range(len(headers))]
    for n, row in enumerate(cells):
        line = "  ".join(
            c.rjust(w) if numeric[i] else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        print(indent + line.rstrip())
        if n == 0:
            print(indent + "  ".join("-" * w for w in widths))
    sys.stdout.flush()


def _numeric(value: Any) -> bool:
    """Whether a cell is a number (or a blank, or digits like 12/3/0) and so right-aligned."""
    return value is None or isinstance(value, (int, float)) or bool(re.fullmatch(r"[\d/.,%x×-]+", str(value)))


def _cell(value: Any) -> str:
    """Format one table cell: thousands separators for ints, 1 decimal for floats."""
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def run(cmd: list[str], timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run a command from the repo, capturing output; raise with its stderr if it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done


def time_interleaved(
    cmds: dict[str, list[str]],
    runs: int,
    warmup: int = 0,
    timeouts: Mapping[str, float] | None = None,
    needs: Mapping[str, str] | None = None,
    before: Mapping[str, Callable[[], None]] | None = None,
) -> dict[str, list[float]]:
    """Wall-clock seconds of each command, taking turns run by run so a changing load hits all alike.

    A command that outruns its timeout is reported and left out of the later rounds, and so is
    any command that needs its output (needs: label -> the label it needs). before: label -> what
    to do, untimed, before each of its runs (empty a cache, edit an input).
    """
    timeouts, needs, before = timeouts or {}, needs or {}, before or {}
    times: dict[str, list[float]] = {label: [] for label in cmds}
    active = dict(cmds)
    for n in range(warmup + runs):
        for label, cmd in list(active.items()):
            if label not in active:  # dropped this round: it needs what timed out
                continue
            if label in before:
                before[label]()
            started = time.perf_counter()
            try:
                run(cmd, timeout=timeouts.get(label))
            except subprocess.TimeoutExpired:
                print(f"  {label}: over {timeouts[label]:.0f} s, stopped; moving on", flush=True)
                for gone in [label] + [other for other, need in needs.items() if need == label]:
                    active.pop(gone, None)
                continue
            if n >= warmup:
                times[label].append(time.perf_counter() - started)
    return times


def median(values: list[float]) -> float | None:
    """The median, or None when there is nothing to take it of."""
    return statistics.median(values) if values else None


def where(key: tuple[str, int, str]) -> str:
    """A profile entry as a short path:line(function)."""
    file, line, func = key
    if file == "~":
        return func
    path = file.replace(str(ROOT) + os.sep, "")
    path = re.sub(r".*/site-packages/", "", path)
    path = re.sub(r".*/lib/python3\.\d+/", "", path)
    return f"{path}:{line}({func})"


def ms(seconds: float | None) -> float | None:
    """Seconds as milliseconds (None stays None)."""
    return None if seconds is None else seconds * 1000
