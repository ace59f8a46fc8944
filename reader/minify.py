"""Minify the page's scripts with terser (npm): comments and white space gone, local names shortened.

The scripts that changed go through one Node process (reader/minify.mjs); terser's output depends only
on the source, our options and terser's version, so it is kept by those in node_modules/.cache (which
`npm ci` clears) and a build whose scripts did not change starts no Node at all (0.3 s at x1, not 1 s).
Builds stay byte-identical either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reader.errors import BuildError, Problem, fail

RUNNER = Path(__file__).with_name("minify.mjs")
TERSER = RUNNER.parent.parent / "node_modules" / "terser" / "package.json"  # where the runner's import finds it
CACHE = RUNNER.parent.parent / "node_modules" / ".cache" / "annotated-reader-minify"
# Compress and mangle (rename locals); modern syntax stays modern (the page needs ES2021 anyway);
# no comment survives (none of ours is a licence).
OPTIONS = {"ecma": 2020, "compress": {"ecma": 2020}, "mangle": True, "format": {"comments": False}}


def minify_scripts(sources: dict[str, str], shown: str = "node_modules/terser") -> dict[str, str]:
    """Each script minified, by name (the path its problems name); raise BuildError naming the file
    and line of every script terser cannot parse, or saying what to install (shown: terser's folder)."""
    if not TERSER.is_file():
        raise fail(shown, None, "terser is not installed; run `npm ci` (or `make site`)")
    tools = hashlib.sha256(TERSER.read_bytes() + RUNNER.read_bytes() + json.dumps(OPTIONS).encode()).hexdigest()
    keys = {name: hashlib.sha256((tools + source).encode("utf-8")).hexdigest() for name, source in sources.items()}
    minified = {name: _cached(keys[name]) for name in sources}
    missing = {name: source for name, source in sources.items() if minified[name] is None}
    if missing:
        fresh = _run_terser(missing, shown)
        for name, code in fresh.items():
            _remember(keys[name], code)
        minified.update(fresh)
    return {name: code or "" for name, code in minified.items()}


def _cached(key: str) -> str | None:
    try:
        return (CACHE / f"{key}.js").read_text(encoding="utf-8")
    except OSError:
        return None


def _remember(key: str, code: str) -> None:
    """Keep a result for the next build; a cache that cannot be written only costs time."""
    temporary = None
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=CACHE, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(code)
        os.replace(temporary, CACHE / f"{key}.js")  # whole or not at all, even with two builds at once
    except OSError:
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def _run_terser(sources: dict[str, str], shown: str) -> dict[str, str]:
    """terser's output for each script, from one Node process."""
    node = shutil.which("node")
    if node is None:
        raise fail("node", None, "Node.js is not installed; install it (Debian: apt-get install nodejs npm)")
    done = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps({"files": sources, "options": OPTIONS}),
        capture_output=True,
        encoding="utf-8",
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise fail(shown, None, f"terser failed ({last}); run `npm ci` (or `make site`) and build again")
    result = json.loads(done.stdout)
    if result["errors"]:
        raise BuildError(
            [
                Problem(e["file"], e["line"], f"JavaScript syntax error ({e['message']}); fix the script")
                for e in result["errors"]
            ]
        )
    return dict(result["code"])
