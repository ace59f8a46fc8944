#!/usr/bin/env python3
"""How well quote search finds remembered runs of words: a quality figure, printed, never asserted.

    .venv/bin/python bench/quote_runs.py [--runs 30] [--seed 15]

Builds the shipped article (a whole `build.py` process), opens it in headless Chromium, loads the
search bundle, and asks the site's own engine (built in the page exactly as search.js builds it,
reading the text from the page) for runs of 3 to 8 consecutive words taken from the paragraphs (a
seeded choice), typed without quote marks. It counts the runs whose paragraph ranks first, those
whose result snippet marks the whole run as one highlight, and those still found first with one
letter dropped from one of their words (a word of two letters or more, any letter).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.dont_write_bytecode = True

from bench import browser  # noqa: E402

QUOTES = re.compile('["\u201c\u201d\u201e]')  # a quote mark would make the run a phrase query
EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")  # the snippet marks words, not the punctuation around them

PARAGRAPHS_JS = "() => [...document.querySelectorAll('[id^=\"p-\"]')].map((el) => ({ref: el.id, body: el.textContent}))"
# The engine as search.js makes it, then each run: is its paragraph first, is the run marked whole, and with the typo?
VERDICTS_JS = """(runs) => {""" + browser.PAGE_TEXT_JS + """
  const engine = ReaderQuery.createEngine(lunr, ReaderQuery.expandIndex(READER_SEARCH_INDEX, textOf, stem), textOf);
  const top = (q) => engine.search(q, {prefix: true, limit: 1}).results[0] || null;
  return runs.map((run) => {
    const found = top(run.query), typo = top(run.typo);
    let whole = false;
    if (found && found.ref === run.ref) {
      const body = found.hits.filter((h) => h.field === 'body'), text = textOf(run.ref, 'body');
      const parts = ReaderQuery.snippet(text, body, found.run && found.run.field === 'body' ? found.run : null, 25);
      whole = parts.some((p) => p.mark && p.text === run.wanted);
    }
    return {first: !!found && found.ref === run.ref, whole, typo_first: !!typo && typo.ref === run.ref,
      top: found && found.ref, typo_top: typo && typo.ref};
  });
}"""
SEARCH_READY = "() => window.lunr && window.ReaderQuery && window.READER_SEARCH_INDEX"


def pick_runs(paragraphs: list[dict], count: int, seed: int) -> list[dict]:
    """Choose count runs of 3 to 8 consecutive words from the paragraphs, each with a one-letter typo of it."""
    rnd = random.Random(seed)
    runs: list[dict] = []
    while len(runs) < count:
        doc = rnd.choice(paragraphs)
        words = doc["body"].split()
        n = rnd.randint(3, 8)
        if len(words) < n:
            continue
        first = rnd.randrange(len(words) - n + 1)
        text = " ".join(words[first : first + n])
        query = QUOTES.sub("", text)
        wanted = EDGE_PUNCTUATION.sub("", text)
        if not wanted or not any(len(re.findall(r"[^\W\d_]", w)) >= 2 for w in query.split(" ")):
            continue
        runs.append({"ref": doc["ref"], "query": query, "typo": drop_a_letter(query, rnd), "wanted": wanted})
    return runs


def drop_a_letter(query: str, rnd: random.Random) -> str:
    """Return query with one letter dropped from one of its words of two letters or more."""
    words = query.split(" ")
    i = rnd.choice([i for i, w in enumerate(words) if len(re.findall(r"[^\W\d_]", w)) >= 2])
    k = rnd.choice([m.start() for m in re.finditer(r"[^\W\d_]", words[i])])
    words[i] = words[i][:k] + words[i][k + 1 :]
    return " ".join(words)


def verdicts(site: Path, count: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Open the built site, load search, pick the runs from its paragraphs; return (runs, verdicts)."""
    with browser.served(site) as url, browser.chromium() as chromium:
        page = chromium.new_page()
        page.goto(url + "index.html", wait_until="load")
        page.focus("#search-input")  # loads the interaction layer, then the search bundle
        page.wait_for_function(SEARCH_READY)
        runs = pick_runs(page.evaluate(PARAGRAPHS_JS), count, seed)
        return runs, page.evaluate(VERDICTS_JS, runs)


def main(argv: list[str] | None = None) -> int:
    """Build the shipped article, then print the three counts and each run that missed."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quote-runs-") as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "--out", str(site)], check=True, capture_output=True, cwd=ROOT
        )
        report(site, args.runs, args.seed)
    return 0


def report(site: Path, count: int = 30, seed: int = 15) -> None:
    """Print, for a built site, the three counts and each run that missed."""
    runs, found = verdicts(site, count, seed)
    n = len(runs)
    print(f"{n} runs of 3-8 words from the article's paragraphs (seed {seed}), typed without quote marks:")
    print(f"  paragraph ranked first:                        {sum(v['first'] for v in found)}/{n}")
    print(f"  snippet marks the whole run as one highlight:  {sum(v['whole'] for v in found)}/{n}")
    print(f"  still first with one letter dropped:           {sum(v['typo_first'] for v in found)}/{n}")
    for run, v in zip(runs, found, strict=True):
        if not (v["first"] and v["whole"] and v["typo_first"]):
            print(
                f"  {run['ref']}: {run['query']!r} -> {v['top']}{'' if v['whole'] else ' (run not whole)'}; {run['typo']!r} -> {v['typo_top']}"
            )


if __name__ == "__main__":
    sys.exit(main())
