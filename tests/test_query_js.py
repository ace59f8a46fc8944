"""Runs the Node tests of the page's scripts (tests/js/, node:test): search on an index that reader.search builds,
note placement, and the reader's notes as annotations and links."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from reader.search import SearchDoc, build_search_index, serialize_index_script

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")

FIXTURE_DOCS = [
    SearchDoc("p-1", "", "The U.S.-Japan security alliance has been the cornerstone of regional order. "
                         "Japan\u2019s role matters."),
    SearchDoc("p-2", "", "In 2017, the U.S. spent 3.1 percent of GDP on defense compared with the U.K.\u2019s "
                         "1.8 percent."),
    SearchDoc("p-3", "", "\u201cCan Japan continue to depend on the US for its security?\u201d "
                         "\u201cDon\u2019t count on it,\u201d he says."),
    SearchDoc("p-4", "", "The 1960 U.S.-Japan security treaty gave the United States bases; the treaty is lopsided."),
    SearchDoc("p-5", "", "Trump slapped large tariffs on steel and aluminum."),
    SearchDoc("p-6", "", "The North reportedly continues to work towards building long-range missiles \u2014 fast."),
    SearchDoc("p-7", "", "Tokyo must do more to support the alliance, and soon."),
    SearchDoc("p-8", "", "More support, more support: we must do it to them."),
    SearchDoc("note-jimbo", "Ken Jimbo", "Professor at Keio University who works on Japan's security relations."),
    SearchDoc("note-sipri", "SIPRI figures", "World spending was $1,739 billion in 2017; China about 13%."),
    SearchDoc("note-astral", "\U0001d401\U0001d428\U0001d425\U0001d41d title",
              "The \U0001d401\U0001d428\U0001d425\U0001d41d word, an emoji \U0001f600 and a caf\u00e9, then Japan again. "
              "\ufa0e and \U00020000 too."),
    SearchDoc("note-twin-1", "Twin", "Identical twin text."),
    SearchDoc("note-twin-2", "Twin", "Identical twin text."),
    SearchDoc("note-abe", "Shinzo Abe", "Prime minister; Aberdeen advisers did not abet him."),
    SearchDoc("note-police", "Police", "The police counted the votes."),
    SearchDoc("note-names", "\u0110\u1eb7ng Th\u00f9y Tr\u00e2m", "Letters from \u0141\u00f3d\u017a and the Stra\u00dfe; "
              "F\u00e6r\u00f8erne, \u00deingvellir, \u0152uvre, Ha\u0142ka, co\u0140lecci\u00f3."),
]


def write_fixture(folder: Path, docs: list[SearchDoc] = FIXTURE_DOCS) -> Path:
    """Write the index script, the lunr.py index and the docs for tests/js; return the fixture's path."""
    folder.mkdir(parents=True, exist_ok=True)
    index = build_search_index(docs)
    script = folder / "search-index.js"
    script.write_text(serialize_index_script(index), encoding="utf-8")
    from_page = folder / "page-index.js"
    from_page.write_text(serialize_index_script(index, from_page=True), encoding="utf-8")
    empty = folder / "empty-index.js"
    empty.write_text(serialize_index_script(build_search_index([SearchDoc("only", "", "")])), encoding="utf-8")
    fixture = {"script": str(script), "page_script": str(from_page), "index": index, "empty_script": empty.read_text(encoding="utf-8"),
               "docs": {d.ref: {"title": d.title, "body": d.body} for d in docs}}
    path = folder / "fixture.json"
    path.write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
    return path


def run_node_tests(fixture: Path, js_dir: Path) -> subprocess.CompletedProcess:
    """Run `node --test tests/js/` against the fixture and the scripts in js_dir."""
    env = {**os.environ, "READER_SEARCH_FIXTURE": str(fixture), "READER_JS_DIR": str(js_dir)}
    return subprocess.run([NODE, "--test", "tests/js/"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_query_js_under_node(tmp_path):
    done = run_node_tests(write_fixture(tmp_path), ROOT / "static" / "js")
    assert done.returncode == 0, done.stdout + done.stderr


def test_query_js_still_passes_minified(tmp_path):
    # The build ships our scripts through terser (reader/minify.py): the regexes, the lunr.py arithmetic and
    # the pure parts of the other bundles must survive its compression and renaming.
    from reader.minify import minify_scripts
    js_dir = tmp_path / "min"
    js_dir.mkdir()
    sources = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "static" / "js").glob("*.js")}
    minified = minify_scripts(sources)
    assert sum(map(len, minified.values())) < sum(map(len, sources.values())) / 2
    for name, code in minified.items():
        (js_dir / name).write_text(code, encoding="utf-8")
    done = run_node_tests(write_fixture(tmp_path), js_dir)
    assert done.returncode == 0, done.stdout + done.stderr
