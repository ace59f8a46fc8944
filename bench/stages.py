#!/usr/bin/env python3
"""Seconds per stage of one build, in one process, as build.py's build_once runs them.

    .venv/bin/python bench/stages.py CONTENT ANNOTATIONS OUT

Prints one JSON object: stage name -> seconds. The search index stage is split in two: our
tokenizing (textnorm and the lunr.js stemmer over every doc's title and body) and lunr.py's
Builder given those tokens, so lunr.py's own share of a build can be read off.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True

import build  # noqa: E402
from reader.output import write_site  # noqa: E402
from reader.search import build_search_index, lunr_tokens, serialize_index_script  # noqa: E402

LUNR_STAGE = "lunr.py Builder"  # bench.py reads lunr.py's share by this name


def stage_seconds(content: str, annotations: str, out: str) -> dict[str, float]:
    """Build once, timing each stage."""
    args = build.parse_args(["--content", content, "--annotations", annotations, "--out", out])
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name] = now - started
        started = now

    inputs = build.load_inputs(args)
    shelf = build.check_inputs(inputs)
    lap("parse and anchor")
    (parsed,) = shelf.articles
    docs = build.search_docs(parsed)
    tokens = {text: lunr_tokens(text) for doc in docs for text in (doc.title, doc.body)}
    lap("tokenize (ours)")
    index = build_search_index(docs, tokenizer=lambda text: tokens[text or ""])
    lap(LUNR_STAGE)
    script = serialize_index_script(index, from_page=True)
    lap("compact index")
    files = build.render_files(inputs, shelf, args.base_url, index=lambda _: script)
    lap("render")
    write_site(Path(args.out), files)
    lap("write")
    return seconds


if __name__ == "__main__":
    print(json.dumps(stage_seconds(*sys.argv[1:4])))
