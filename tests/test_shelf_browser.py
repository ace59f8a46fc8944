"""The shelf engine in Chromium, over http and from file://: parts load as <script> tags under a strict CSP.

The answers equal tests/shelf_reference.py's, as under Node; a missing part leaves its results out
and says so. Uses the suite's Chromium (the `browser` fixture of tests/conftest.py).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from tests.shelf_reference import Reference, answer_key
from tests.test_shelfindex import DOCS, QUERIES, write_index

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ["static/js/textnorm.js", "node_modules/lunr/lunr.js", "static/js/shelfparts.js", "static/js/shelfindex.js",
           "static/js/shelfwords.js", "static/js/shelfsearch.js"]
CSP = "default-src 'none'; script-src 'self'"

pytestmark = pytest.mark.browser


def write_site(folder: Path) -> str:
    """A page loading the engine, the index beside it; return the manifest's name."""
    _, manifest = write_index(DOCS, folder / "search")
    (folder / "js").mkdir()
    for script in SCRIPTS:
        shutil.copy(ROOT / script, folder / "js")
    tags = "".join(f'<script src="js/{Path(s).name}"></script>' for s in SCRIPTS)
    (folder / "page.html").write_text(f'<!doctype html><html><head><meta charset="utf-8">'
                                      f'<meta http-equiv="Content-Security-Policy" content="{CSP}">{tags}</head>'
                                      '<body><p>Shelf</p></body></html>\n', encoding="utf-8")
    return manifest


# Open the engine with the default loader (script tags) and answer each query in turn.
ASK_JS = """async ([manifest, queries]) => {
  const stem = (w) => lunr.stemmer(new lunr.Token(w)).toString();
  const engine = await ReaderShelfSearch.open({ base: 'search/', manifest, stem });
  const answers = [];
  for (const [q, options] of queries) answers.push(await engine.search(q, options));
  return answers;
}"""


@pytest.fixture
def served(tmp_path):
    """A quiet http server on 127.0.0.1 for tmp_path; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def ask(chromium, url: str, manifest: str, queries: list) -> tuple[list[dict], list[str]]:
    """The engine's answers in a fresh page at url, and the page's errors."""
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(url)
        return page.evaluate(ASK_JS, [manifest, queries]), errors
    finally:
        page.close()


@pytest.mark.parametrize("over", ["http", "file"])
def test_the_engine_answers_as_the_reference_in_chromium(browser, served, tmp_path, over):
    manifest = write_site(tmp_path)
    url = served + "page.html" if over == "http" else (tmp_path / "page.html").as_uri()
    queries = [(q, {"prefix": True}) for q in QUERIES[:40]]
    answers, errors = ask(browser, url, manifest, queries)
    reference = Reference(DOCS)
    for (q, options), got in zip(queries, answers, strict=True):
        assert answer_key(got) == reference.search(q, options["prefix"]), q
        assert got["incomplete"] is False, q
    assert errors == []


def test_a_missing_fragment_in_chromium_leaves_its_results_out(browser, served, tmp_path):
    manifest = write_site(tmp_path)
    whole, _ = ask(browser, served + "page.html", manifest, [("japan", {})])
    for fragment in (tmp_path / "search").glob("f*.js"):
        if "Professor at Keio" in fragment.read_text(encoding="utf-8"):
            fragment.unlink()
    (got,), _ = ask(browser, served + "page.html", manifest, [("japan", {})])
    assert got["incomplete"] is True and whole[0]["incomplete"] is False
    assert "note-jimbo" in [r["ref"] for r in whole[0]["results"]]
    assert "note-jimbo" not in [r["ref"] for r in got["results"]] and got["results"]
