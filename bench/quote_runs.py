#!/usr/bin/env python3
"""How well quote search finds remembered runs of words: a quality figure, printed, never asserted.

    .venv/bin/python bench/quote_runs.py [--runs 30] [--seed 15]

Takes runs of 3 to 8 consecutive words from the article's paragraphs (a seeded choice), builds the
real index of the real article (paragraphs, notes, title, standfirst, byline and author's note),
and types each run, without quote marks, into the site's own search engine (the built, minified
textnorm.js and query.js under Node). It counts the runs whose paragraph ranks first, those whose
result snippet marks the whole run as one highlight, and those still found first with one letter
dropped from one of their words (a word of two letters or more, any letter).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.annotations import anchor_notes  # noqa: E402

import build  # noqa: E402
from reader.markup import make_markdown  # noqa: E402
from reader.render import published_label  # noqa: E402
from reader.search import SearchDoc, build_search_index, serialize_index_script  # noqa: E402
from reader.textnorm import tokenize  # noqa: E402

QUOTES = re.compile('["\u201c\u201d\u201e]')  # a quote mark would make the run a phrase query

# Reads {script dir, index script, docs, runs} as JSON on stdin; prints one verdict per run.
RUN_IN_NODE = r"""
const fs = require('fs'), vm = require('vm'), path = require('path');
let input = '';
process.stdin.on('data', (d) => { input += d; }).on('end', () => {
  const job = JSON.parse(input), page = vm.createContext({});
  vm.runInContext('window = globalThis', page);
  for (const file of job.scripts.concat([job.index])) vm.runInContext(fs.readFileSync(file, 'utf8'), page);
  const lunr = require(path.join(job.root, 'node_modules', 'lunr'));
  const index = page.ReaderQuery.expandIndex(page.READER_SEARCH_INDEX);
  const engine = page.ReaderQuery.createEngine(lunr, index, (ref, field) => (job.docs[ref] ? job.docs[ref][field] : ''));
  const verdicts = job.runs.map((run) => {
    const top = (q) => engine.search(q, { prefix: true, limit: 1 }).results[0] || null;
    const found = top(run.query), text = job.docs[run.ref].body, wanted = text.slice(run.start, run.end);
    let whole = false;
    if (found && found.ref === run.ref) {
      const body = found.hits.filter((h) => h.field === 'body');
      const parts = page.ReaderQuery.snippet(text, body, found.run && found.run.field === 'body' ? found.run : null, 25);
      whole = parts.some((p) => p.mark && p.text === wanted);
    }
    const typo = top(run.typo);
    return { first: !!found && found.ref === run.ref, whole, typo_first: !!typo && typo.ref === run.ref,
      top: found && found.ref, typo_top: typo && typo.ref };
  });
  process.stdout.write(JSON.stringify(verdicts));
});
"""


class _Text(HTMLParser):
    """The text of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    """Return the text an HTML fragment shows."""
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def article_docs() -> list[SearchDoc]:
    """The search docs of the real article: its paragraphs and notes (as build.py makes them) and its header and footer texts."""
    args = build.parse_args([])
    inputs, md = build.load_inputs(args), make_markdown()
    article, notes = build.parse_inputs(inputs, md)
    anchored = anchor_notes(inputs.annotations_path, article.paragraphs, notes)
    byline = f"By {article.author} \u00b7 {article.publication}, {published_label(article)}"
    extra = [
        SearchDoc("title", "", article.title),
        SearchDoc("standfirst", "", article.standfirst),
        SearchDoc("byline", "", byline),
        SearchDoc("author-note", "", html_text(article.author_note_html)),
    ]
    return build.search_docs(article, anchored) + extra


def pick_runs(docs: list[SearchDoc], count: int, seed: int) -> list[dict]:
    """Choose count runs of 3 to 8 consecutive words from the paragraphs, each with a one-letter typo of it."""
    rnd = random.Random(seed)
    paragraphs = [d for d in docs if d.ref.startswith("p-")]
    runs = []
    while len(runs) < count:
        doc = rnd.choice(paragraphs)
        words = list(re.finditer(r"\S+", doc.body))
        n = rnd.randint(3, 8)
        if len(words) < n:
            continue
        first = rnd.randrange(len(words) - n + 1)
        chosen = words[first : first + n]
        query = QUOTES.sub("", " ".join(w[0] for w in chosen))
        tokens = [t for t in tokenize(doc.body) if chosen[0].start() <= t.start and t.end <= chosen[-1].end()]
        if not tokens:
            continue
        runs.append(
            {
                "ref": doc.ref,
                "query": query,
                "typo": drop_a_letter(query, rnd),
                "start": utf16(doc.body, tokens[0].start),
                "end": utf16(doc.body, tokens[-1].end),
            }
        )
    return runs


def utf16(text: str, offset: int) -> int:
    """Return a code point offset into text as JavaScript counts it, in UTF-16 units."""
    return len(text[:offset].encode("utf-16-le")) // 2


def drop_a_letter(query: str, rnd: random.Random) -> str:
    """Return query with one letter dropped from one of its words of two letters or more."""
    words = query.split(" ")
    choices = [i for i, w in enumerate(words) if len(re.findall(r"[^\W\d_]", w)) >= 2]
    i = rnd.choice(choices)
    letters = [m.start() for m in re.finditer(r"[^\W\d_]", words[i])]
    k = rnd.choice(letters)
    words[i] = words[i][:k] + words[i][k + 1 :]
    return " ".join(words)


def built_scripts(folder: Path) -> list[Path]:
    """Build the site into folder and return its minified textnorm.js and query.js, in load order."""
    with contextlib.redirect_stdout(io.StringIO()):  # the build's "built ..." line
        build.main(["--out", str(folder / "site")])
    assets = folder / "site" / "assets"
    return [next(assets.glob(f"{name}.*.js")) for name in ("textnorm", "query")]


def main(argv: list[str] | None = None) -> int:
    """Print the three counts and each run that missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    docs = article_docs()
    runs = pick_runs(docs, args.runs, args.seed)
    with tempfile.TemporaryDirectory(prefix="quote-runs-") as tmp:
        folder = Path(tmp)
        scripts = built_scripts(folder)
        index = folder / "index.js"
        index.write_text(serialize_index_script(build_search_index(docs)), encoding="utf-8")
        job = {
            "root": str(ROOT),
            "scripts": [str(s) for s in scripts],
            "index": str(index),
            "runs": runs,
            "docs": {d.ref: {"title": d.title, "body": d.body} for d in docs},
        }
        done = subprocess.run(
            ["node", "-e", RUN_IN_NODE], input=json.dumps(job), capture_output=True, text=True, check=True
        )
    verdicts = json.loads(done.stdout)
    n = len(runs)
    print(f"{n} runs of 3-8 words from the article's paragraphs (seed {args.seed}), typed without quote marks:")
    print(f"  paragraph ranked first:                        {sum(v['first'] for v in verdicts)}/{n}")
    print(f"  snippet marks the whole run as one highlight:  {sum(v['whole'] for v in verdicts)}/{n}")
    print(f"  still first with one letter dropped:           {sum(v['typo_first'] for v in verdicts)}/{n}")
    for run, v in zip(runs, verdicts, strict=False):
        if not (v["first"] and v["whole"] and v["typo_first"]):
            print(
                f"  {run['ref']}: {run['query']!r} -> {v['top']}{'' if v['whole'] else ' (run not whole)'};"
                f" {run['typo']!r} -> {v['typo_top']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
