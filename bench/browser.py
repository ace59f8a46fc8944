"""Real Chromium on a built site served over http on 127.0.0.1: search latency and page load.

Search: a capture listener on the document stamps each `input` event; a MutationObserver on
#search-results (the list) and #search-status (its live count) stamps the first change after it
that shows an answer (not the "Loading search…" text, nor the status emptied when the bundle
arrives). The first query is typed into a freshly loaded page, so it includes loading the
interaction layer and the search bundle and building the engine; search.js runs every keystroke
at once (no debounce).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
# A tuple is one word typed letter by letter, each keystroke measured.
QUERIES: tuple[str | tuple[str, ...], ...] = (
    "japan",
    "alliance",
    ("d", "de", "def", "defe", "defen"),
    "nuclear umbrella",
    "alliense",
    "U.S.",
    "treaty",
    "xqzvwk",
)
LOAD_TIMEOUT_MS = 180_000  # the x1000 page is some 20 MB of HTML
ANSWER_TIMEOUT_MS = 120_000  # and its first query builds the engine over 35,000 docs

# t0 at the input event (document, capture phase: before search.js's own listener); t1 at the
# first change of the list, or of the status to an answer.
OBSERVER_JS = """(ANSWER_TIMEOUT_MS) => {
  const list = document.getElementById('search-results'), status = document.getElementById('search-status');
  const input = document.getElementById('search-input');
  let t0 = null, pending = null;
  document.addEventListener('input', () => { t0 = performance.now(); }, true);
  const done = (records) => {
    if (t0 === null || !pending) return;
    const text = status.textContent;
    const listChanged = records.some((r) => r.target === list);
    if (!listChanged && (text === '' || text === input.placeholder)) return;  // loading, not an answer
    const ms = performance.now() - t0, resolve = pending;
    t0 = null; pending = null;
    resolve({ms, text, items: document.querySelectorAll('#search-results [role=option]').length});
  };
  const observer = new MutationObserver(done);
  observer.observe(list, {childList: true});
  observer.observe(status, {childList: true, characterData: true, subtree: true});
  window.__benchExpect = () => {
    window.__benchResult = Promise.race([
      new Promise((resolve) => { pending = resolve; }),
      new Promise((resolve) => setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS))]);
  };
}"""


@dataclass(frozen=True)
class Sample:
    """One query's answer: ms from the input event, the status text, result items rendered."""

    query: str
    ms: float | None  # None: no answer in time
    status: str
    items: int


@contextlib.contextmanager
def served(site: Path) -> Iterator[str]:
    """Serve site on 127.0.0.1 (a free port) in a thread; yield its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # no request log in the figures
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


def query_samples(browser: Any, url: str, queries: tuple[str | tuple[str, ...], ...] = QUERIES) -> list[Sample]:
    """Open a fresh page and type each query in turn; the first one wakes and loads search."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(LOAD_TIMEOUT_MS)  # typing waits while the x1000 page lays out its notes
    try:
        page = context.new_page()
        page.goto(url + "index.html", wait_until="load", timeout=LOAD_TIMEOUT_MS)
        page.evaluate(OBSERVER_JS, ANSWER_TIMEOUT_MS)
        samples = []
        for query in queries:
            if isinstance(query, tuple):  # letter by letter: fill the first, then one key a step
                samples.append(answer(page, query[0], lambda q=query[0]: page.fill("#search-input", q)))
                for prefix in query[1:]:
                    samples.append(answer(page, prefix, lambda key=prefix[-1]: page.keyboard.press(key)))
            else:
                samples.append(answer(page, query, lambda q=query: page.fill("#search-input", q)))
        return samples
    finally:
        context.close()


def answer(page: Any, query: str, type_it: Any) -> Sample:
    """Type (by type_it) and wait for the page's answer."""
    page.evaluate("() => window.__benchExpect()")
    type_it()
    got = page.evaluate("() => window.__benchResult")
    if not got:
        return Sample(query, None, f"(no answer in {ANSWER_TIMEOUT_MS // 1000} s)", 0)
    return Sample(query, got["ms"], got["text"], got["items"])


# What search.js reads from the page, as search.js reads it: each doc's text by field, and the
# lunr.js stemmer. The start of every in-page script here that builds an engine of its own.
PAGE_TEXT_JS = """
  const textOf = (ref, field) => {
    const el = document.getElementById(ref);
    if (!el) return '';
    if (/^note-/.test(ref)) { const part = el.querySelector(field === 'title' ? '.note-title' : '.note-body'); return part ? part.textContent : ''; }
    return field === 'body' ? el.textContent : '';
  };
  const lunr = window.lunr, stem = (word) => lunr.stemmer(new lunr.Token(word)).toString();
"""

# Focus the box on a fresh page and wait until search is ready (the interaction layer and the search
# bundle loaded, the engine built); then, on the same page, time the engine's steps once more as
# search.js takes them, and the floor of any index read from the page: splitting its text into runs.
ENGINE_STEPS_JS = """async () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0)), t0 = performance.now();
  document.getElementById('search-input').focus();
  while (!window.ReaderSearch) await tick();
  await tick();  // ReaderSearch.start runs once the bundle's last file has loaded
  const ready = performance.now() - t0;
""" + PAGE_TEXT_JS + """
  const c = READER_SEARCH_INDEX;
  let t = performance.now(), runs = 0;
  for (const ref of c.refs) for (const field of c.fields) for (const _ of textOf(ref, field).matchAll(/\\S+/g)) runs++;
  const split = performance.now() - t;
  t = performance.now();
  const index = ReaderQuery.expandIndex(c, textOf, stem);
  const expand = performance.now() - t;
  t = performance.now();
  const engine = ReaderQuery.createEngine(lunr, index, textOf);
  const create = performance.now() - t;
  t = performance.now();
  engine.search('japan', {prefix: true, limit: 20});
  return {ready, split, expand, create, query: performance.now() - t, runs};
}"""


@dataclass(frozen=True)
class EngineSteps:
    """Where a first query's time goes: ms from focus to search ready, then each step timed again."""

    ready: float  # focus -> interaction layer and search bundle loaded, engine built
    split: float  # only splitting the page's indexed text into runs of non-space (the floor of reading it)
    expand: float  # ReaderQuery.expandIndex: the page's text tokenized and stemmed into lunr's index
    create: float  # ReaderQuery.createEngine: lunr.Index.load and the engine's lookups
    query: float  # one query ("japan") on the new engine
    runs: int


def engine_steps(browser: Any, url: str) -> EngineSteps:
    """Open a fresh page, focus the search box and time how search gets ready."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(LOAD_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(url + "index.html", wait_until="load", timeout=LOAD_TIMEOUT_MS)
        return EngineSteps(**page.evaluate(ENGINE_STEPS_JS))
    finally:
        context.close()


def load_ms(browser: Any, url: str, javascript: bool) -> float:
    """Wall-clock ms from navigation to the load event in a fresh 1280 px wide context (no cache)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url + "index.html", wait_until="load", timeout=LOAD_TIMEOUT_MS)
        return (time.perf_counter() - started) * 1000
    finally:
        context.close()
