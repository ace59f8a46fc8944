"""reader.search: the lunr index it builds, its lunr.js-style stems, and the compact form it ships."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search import (
    CODES,
    SearchDoc,
    build_search_index,
    compact_index,
    decode_tokens,
    encode_tokens,
    expand_compact_index,
    lunr_js_stem,
    serialize_index_script,
)

ROOT = Path(__file__).resolve().parent.parent
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.js"
NODE = shutil.which("node")

DOCS = [
    SearchDoc("p-1", "", "The U.S.-Japan alliance has been the cornerstone. Japan\u2019s role, he says, is to do more."),
    SearchDoc("p-2", "", "In 2017 the US spent 3.1 percent; Japan spent 0.9 percent."),
    SearchDoc("note-a", "Ken Jimbo", "A professor who says the alliance must do more."),
]
# U+FA0E sorts before U+20000 by code point (Python) but after it by UTF-16 unit (JavaScript).
ASTRAL_DOCS = [SearchDoc("p-1", "\U0001d400 title", "\ufa0e \U00020000 caf\u00e9 \U0001f600 Japan"),
               SearchDoc("p-2", "", "\U00020000\U00020001 and \ufa0f")]


def postings(index: dict) -> dict:
    """The index's inverted index as a term -> posting dict."""
    return dict(index["invertedIndex"])


def run_node(script: str, payload) -> dict:
    """Run a Node script with payload as JSON on stdin; return what it prints, parsed as JSON."""
    done = subprocess.run([NODE, "-e", script, str(ROOT)], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_positions_are_textnorm_spans_in_code_points():
    index = postings(build_search_index(DOCS))
    assert index["us"]["body"]["p-1"] == {"position": [[4, 4]]}  # "U.S." keeps its full stop
    assert index["us"]["body"]["p-2"] == {"position": [[12, 2]]}
    assert index["japan"]["body"]["p-1"] == {"position": [[9, 5], [50, 7]]}  # Japan, Japan's
    assert index["3.1"]["body"]["p-2"] == {"position": [[21, 3]]}
    assert index["jimbo"]["title"]["note-a"] == {"position": [[4, 5]]}


def test_astral_positions_count_code_points():
    index = postings(build_search_index(ASTRAL_DOCS))
    assert index["japan"]["body"]["p-1"] == {"position": [[11, 5]]}
    assert index["cafe"]["body"]["p-1"] == {"position": [[4, 4]]}


def test_stop_words_stay_and_punctuation_never_reaches_a_term():
    terms = set(postings(build_search_index(DOCS)))
    assert {"the", "us", "a", "is", "to", "do", "he"} <= terms
    assert all(re.fullmatch(r"[\w.]+", t) and not t.endswith(".") for t in terms)


def test_only_the_stemmer_is_serialized():
    assert build_search_index(DOCS)["pipeline"] == ["stemmer"]


def test_terms_are_stemmed_as_lunr_js_stems_queries():
    terms = set(postings(build_search_index(DOCS)))
    assert {"say", "allianc", "cornerston", "japan"} <= terms
    assert "sai" not in terms  # lunr.py's own stemmer would index "says" as "sai"


def test_fields_and_title_boost():
    index = build_search_index([SearchDoc("x", "alliance", "alliance")])
    assert index["fields"] == ["title", "body"]
    (_, title), (_, body) = index["fieldVectors"]
    assert title[1] == pytest.approx(3 * body[1], rel=0.01)


def test_same_docs_give_the_same_index_and_script():
    assert build_search_index(DOCS) == build_search_index(list(DOCS))
    script = serialize_index_script(build_search_index(DOCS))
    assert script == serialize_index_script(build_search_index(DOCS))
    assert script.startswith("window.READER_SEARCH_INDEX = {") and script.endswith("};\n")


def test_bad_doc_sets_are_refused():
    with pytest.raises(ValueError, match="unique refs; repeated: p-1"):
        build_search_index([DOCS[0], DOCS[0]])
    with pytest.raises(ValueError, match="at least one doc"):
        build_search_index([])


@pytest.mark.parametrize("docs", [DOCS, ASTRAL_DOCS, [SearchDoc("only", "", "")]])
def test_compact_form_expands_back_exactly_in_python(docs):
    index = json.loads(json.dumps(build_search_index(docs)))
    assert expand_compact_index(compact_index(index)) == index


def test_tokens_encode_and_decode_every_gap_and_length():
    tokens, end = [], -1
    for gap in range(-2, 6):
        for extra in range(-2, 10):
            start = end + gap
            tokens.append((start, 2 + extra, "ab"))
            end = start + 2 + extra
    assert decode_tokens(encode_tokens(tokens)) == tokens
    assert encode_tokens([(0, 3, "the"), (4, 4, "us")]) == " the#us"
    assert len(set(CODES)) == 24


def mutations() -> dict:
    """Ways an index can differ from any lunr.py index of our docs, each a function changing one in place."""
    def swap_numbers(ix):  # terms not numbered in first-seen order
        first, second = ix["invertedIndex"][0][1], ix["invertedIndex"][1][1]
        first["_index"], second["_index"] = second["_index"], first["_index"]

    def posting(ix, term):
        return dict(ix["invertedIndex"])[term]
    return {
        "numbers not first-seen": swap_numbers,
        "positions out of order": lambda ix: posting(ix, "japan")["body"]["p-1"]["position"].reverse(),
        "a position as a tuple": lambda ix: posting(ix, "us")["body"]["p-2"]["position"].__setitem__(0, (12, 2)),
        "a position of three": lambda ix: posting(ix, "us")["body"]["p-2"]["position"][0].append(1),
        "an empty position list": lambda ix: posting(ix, "us")["body"]["p-2"]["position"].clear(),
        "other metadata": lambda ix: posting(ix, "us")["body"]["p-2"].__setitem__("tf", 1),
        "a posting no vector lists": lambda ix: posting(ix, "us")["title"].__setitem__("p-2", {"position": [[0, 2]]}),
        "a posting key too many": lambda ix: posting(ix, "us").__setitem__("extra", {}),
        "a term with no postings": lambda ix: ix["invertedIndex"].insert(0, ["aaa", {"title": {}, "body": {}, "_index": 99}]),
        "terms out of order": lambda ix: ix["invertedIndex"].reverse(),
        "a term twice": lambda ix: ix["invertedIndex"].append(ix["invertedIndex"][-1]),
        "a vector term twice": lambda ix: ix["fieldVectors"][1][1].extend(ix["fieldVectors"][1][1][:2]),
        "vectors out of order": lambda ix: ix["fieldVectors"].reverse(),
        "a key too many": lambda ix: ix.__setitem__("extra", 1),
        "another version": lambda ix: ix.__setitem__("version", "2.3.8") or ix.__setitem__("fields", ["body", "title"]),
    }


@pytest.mark.parametrize("name", list(mutations()))
def test_an_index_the_compact_form_cannot_hold_is_refused(name):
    index = json.loads(json.dumps(build_search_index(DOCS)))
    changed = json.loads(json.dumps(index))
    mutations()[name](changed)
    assert changed != index  # the change is real: the compact form of index would expand to index, not to it
    with pytest.raises((ValueError, KeyError, IndexError, TypeError)):
        compact_index(changed)


def test_a_score_the_scoring_would_not_give_ships_as_it_is():
    index = json.loads(json.dumps(build_search_index(DOCS)))
    elements = index["fieldVectors"][1][1]
    elements[1] = round(elements[1] + 0.5, 3)
    compact = compact_index(index)
    assert compact["fix"] == [1, 0, elements[1]]  # slot body/p-1, its vector's first term
    assert expand_compact_index(compact) == index


WORDS = st.text(st.sampled_from("aeiouybcdlmnrstgz"), min_size=1, max_size=10)
TEXTS = st.lists(st.one_of(WORDS, st.sampled_from(["U.S.", "3.1", "1,739", "\u00bd", "Japan\u2019s", "\U00020000",
                                                     "caf\u00e9", "\u2014", ".", "Stra\u00dfe"])), max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=6))
def test_any_docs_give_a_compact_form_that_expands_back_exactly(fields):
    index = json.loads(json.dumps(build_search_index([SearchDoc(f"d-{i}", t, b) for i, (t, b) in enumerate(fields)])))
    assert expand_compact_index(compact_index(index)) == index


EXPAND_IN_NODE = r"""
const root = process.argv[1], vm = require('vm');
const lunr = require(root + '/node_modules/lunr');
require(root + '/static/js/query.js');
const Q = globalThis.ReaderQuery;
let input = '';
process.stdin.on('data', d => { input += d; }).on('end', () => {
  const out = JSON.parse(input).map(script => {
    const sandbox = { window: {} };
    vm.runInNewContext(script, sandbox);
    const expanded = Q.expandIndex(sandbox.window.READER_SEARCH_INDEX);
    let found = null, loadError = null;
    try {
      const index = lunr.Index.load(expanded);
      found = index.query(q => q.term('us', { usePipeline: false })).map(r => r.ref).sort();
    } catch (e) { loadError = String(e.message); }
    return { expanded, found, loadError };
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def test_compact_script_expands_in_node_to_exactly_the_lunr_py_index():
    indexes = [json.loads(json.dumps(build_search_index(docs))) for docs in (DOCS, ASTRAL_DOCS)]
    plain, astral = run_node(EXPAND_IN_NODE, [serialize_index_script(index) for index in indexes])
    assert plain["expanded"] == indexes[0]
    assert plain["found"] == ["p-1", "p-2"] and plain["loadError"] is None
    assert astral["expanded"] == indexes[1]
    # lunr.js's own Index.load wants terms in UTF-16 order, which is not lunr.py's (code points):
    # createEngine (query.js) sorts them the UTF-16 way before it loads the index.
    assert "Out of order word insertion" in astral["loadError"]


def test_a_shipped_score_fix_wins_in_node_and_python():
    index = json.loads(json.dumps(build_search_index(DOCS)))
    compact = compact_index(index)
    compact["fix"] = [1, 0, 9.876]  # slot body/p-1, its vector's first term ("the")
    script = "window.READER_SEARCH_INDEX = " + json.dumps(compact) + ";"
    (result,) = run_node(EXPAND_IN_NODE, [script])
    assert result["expanded"]["fieldVectors"][1][1][:2] == [0, 9.876]
    assert expand_compact_index(compact) == result["expanded"]


STEM_IN_NODE = r"""
const lunr = require(process.argv[1] + '/node_modules/lunr');
let input = '';
process.stdin.on('data', d => { input += d; }).on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(w => lunr.stemmer(new lunr.Token(w)).toString())));
});
"""
# Words where lunr.py's and lunr.js's stemmers part ways, and Porter corner cases.
STEM_CASES = ["says", "say", "key", "keys", "always", "away", "may", "day", "they", "buy", "array", "cry",
              "try", "lay", "by", "yelling", "yes", "eyed", "skiing", "agreed", "feed", "hopping", "hoped",
              "filing", "falling", "controll", "generalization", "relational", "hopefulness", "adjustment",
              "adoption", "rate", "cease", "japans", "us", "3.1", "1960s", "caf\u00e9", "\u00e6on",
              "\U00020000\U00020000ing", "\U00020000\U00020000\U00020000", "a\U00020000ed", "yyy"]


def test_python_stems_every_word_as_lunr_js_does():
    words = list(dict.fromkeys(STEM_CASES + [t for t, _ in build_search_index(DOCS)["invertedIndex"]]
                                + re.findall(r"[a-z]+", " ".join(p.read_text(encoding="utf-8").lower()
                                                                 for p in sorted(ROOT.glob("tests/fixtures/*/content/*.md"))
                                                                 + sorted(ROOT.glob("content/*.md"))))))

    @settings(max_examples=10, derandomize=True, database=None)
    @given(st.lists(st.text(st.sampled_from("aeiouybcdlmnrstgz"), min_size=1, max_size=12), min_size=50))
    def collect(batch):
        words.extend(batch)

    collect()  # then one Node run for all of them
    assert [lunr_js_stem(w) for w in words] == run_node(STEM_IN_NODE, words)
