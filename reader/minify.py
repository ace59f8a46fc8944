"""Minify the page's scripts with terser (npm): comments and white space gone, local names shortened.

Every script goes through one Node process (reader/minify.mjs), so a build starts Node once.
terser's output depends only on its input, its options and its version: builds stay byte-identical.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from reader.errors import BuildError, Problem, fail

RUNNER = Path(__file__).with_name("minify.mjs")
TERSER = RUNNER.parent.parent / "node_modules" / "terser" / "package.json"  # where the runner's import finds it
# Compress and mangle (rename locals); modern syntax stays modern (the page needs ES2021 anyway);
# no comment survives (none of ours is a licence).
OPTIONS = {"ecma": 2020, "compress": {"ecma": 2020}, "mangle": True, "format": {"comments": False}}


def minify_scripts(sources: dict[str, str], shown: str = "node_modules/terser") -> dict[str, str]:
    """Each script minified, by name (the path its problems name); raise BuildError naming the file
    and line of every script terser cannot parse, or saying what to install (shown: terser's folder)."""
    node = shutil.which("node")
    if node is None:
        raise fail("node", None, "Node.js is not installed; install it (Debian: apt-get install nodejs npm)")
    if not TERSER.is_file():
        raise fail(shown, None, "terser is not installed; run `npm ci` (or `make site`)")
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
