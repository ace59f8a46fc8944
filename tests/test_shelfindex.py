"""reader/shelfindex.py's parts and the engine that reads them (static/js/shelf*.js, run under Node).

The format round-trips (numbers, postings, every part back to the index it came from); an index updated
for any change (edits, adds, removals, renames, reorders) is byte for byte the index built from scratch, and
an edit rewrites only the parts of the words it touches; the engine's answers equal a straightforward search
over the docs themselves (tests/shelf_reference.py) for fixed and random shelves and queries, in English,
Japanese and Arabic; missing and corrupt parts leave results out and say so, never throw.
"""

from __future__ import annotations

import json
import pickle
import random
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import shelfindex
from reader.shelfindex import (
    PART_SCRIPT,
    ShelfDoc,
    build_shelf_index,
    decode_numbers,
    decode_postings,
    encode_numbers,
    encode_postings,
    estimated_weight,
    part_check,
    part_text,
    update_shelf_index,
    weight,
)
from tests.shelf_reference import Reference, answer_key, tokens

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
RUNNER = ROOT / "tests" / "js" / "shelf_engine.cjs"
SMALL_PARTS = (("TERM_PART_CHARS", 200), ("CHUNK_POSTINGS", 3), ("VOCAB_SHARD_CHARS", 60), ("FRAGMENT_CHARS", 120))


def shelf(*articles: tuple[str, list[tuple[str, str, str]]]) -> list[ShelfDoc]:
    """Docs of articles given as (title, [(ref, doc title, text), ...]); addresses a1.html, a2.html, ..."""
    return [ShelfDoc(f"a{i}.html", title, ref, doc_title, text)
            for i, (title, docs) in enumerate(articles, 1) for ref, doc_title, text in docs]


DOCS = shelf(
    ("Alliances", [
        ("p-1", "", "The U.S.-Japan security alliance has been the cornerstone of regional order. Japan\u2019s role matters."),
        ("p-2", "", "In 2017, the U.S. spent 3.1 percent of GDP on defense compared with the U.K.\u2019s 1.8 percent."),
        ("p-3", "", "\u201cCan Japan continue to depend on the US for its security?\u201d \u201cDon\u2019t count on it,\u201d he says."),
        ("note-jimbo", "Ken Jimbo", "Professor at Keio University who works on Japan's security relations."),
    ]),
    ("Trade", [
        ("p-1", "", "The 1960 U.S.-Japan security treaty gave the United States bases; the treaty is lopsided."),
        ("p-2", "", "Trump slapped large tariffs on steel and aluminum."),
        ("p-3", "", "Tokyo must do more to support the alliance, and soon."),
        ("p-4", "", "More support, more support: we must do it to them."),
        ("note-astral", "\U0001d401\U0001d428\U0001d425\U0001d41d title",
         "The \U0001d401\U0001d428\U0001d425\U0001d41d word, an emoji \U0001f600 and a caf\u00e9, then Japan again."),
    ]),
    ("Names", [
        ("note-names", "\u0110\u1eb7ng Th\u00f9y Tr\u00e2m", "Letters from \u0141\u00f3d\u017a and the Stra\u00dfe; F\u00e6r\u00f8erne."),
        ("p-1", "", "The police counted the votes; Aberdeen advisers did not abet him. Identical twin text."),
        ("p-2", "", "Identical twin text."),
    ]),
)

QUERIES = [
    "japan", "Japan's", "security alliance", "must do more to support", "support more", '"support more"',
    '"security treaty"', '"treaty security"', "japan treaty", 'japan "treaty security"', '"security treaty',
    "corner", "secur", "securit", "steel alumin", "abe", "aber", "policymakers", "count", "Kieo", "Japn", "steal",
    "alliabce", "secuirty", "lopsdied", "alianse", "jpn", "Tokyo must do mre to support", "japan tariffs",
    "zzxq qqzx", "U.S.", "US", "us", "the US", "3.1", "caf\u00e9", "cafe", "\U0001d401\U0001d428\U0001d425\U0001d41d",
    "lodz", "strasse", "twin", "the", "", " ", "...", '"', '""', "\u2014", "*", "<b>japan</b>", "<script>alert(1)</script>",
    "constructor", "__proto__", "toString", "a" * 300, "japan " * 300, "the of and to a in", "?!", "\u201c\u201d",
]


def write_index(docs: list[ShelfDoc], folder: Path) -> tuple[Path, str]:
    """Build the shelf index of docs into folder; return the folder and the manifest's name."""
    index = build_shelf_index(docs)
    folder.mkdir(parents=True, exist_ok=True)
    for path, data in index.files.items():
        (folder / path).write_bytes(data)
    return folder, index.manifest.removesuffix(".js")


def run_engine(jobs: list[dict]) -> list[list[dict]]:
    """Each job's answers from the engine under Node: job = {dir, manifest, here, queries}."""
    done = subprocess.run([NODE, str(RUNNER)], input=json.dumps(jobs), capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def job(folder: Path, manifest: str, queries: list[tuple[str, dict]], here: int = -1) -> dict:
    """One engine job."""
    return {"dir": str(folder), "manifest": manifest, "here": here, "queries": queries}


def payload(script: bytes) -> tuple[str, dict]:
    """A part's name and data, read back from its script."""
    found = PART_SCRIPT.match(script.decode("utf-8"))
    assert found, script[:80]
    return found[1], json.loads(part_text(script))


def small_parts(monkeypatch) -> None:
    """Parts so small that a few docs need many of each kind."""
    for name, size in SMALL_PARTS:
        monkeypatch.setattr(shelfindex, name, size)


# ---- The format: numbers, postings, parts


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_numbers_round_trip(values):
    text = encode_numbers(values)
    assert decode_numbers(text) == values
    assert set(text) <= set(shelfindex.DIGITS)


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 300), st.integers(0, 40), st.integers(0, 2000)),
                unique_by=lambda p: p[:2]), st.integers(-1, 2))
def test_postings_round_trip(postings, before):
    postings = sorted((a + before + 1, d, t, b or (not t)) for a, d, t, b in postings)  # every posting holds the term
    assert decode_postings(*encode_postings(postings, before), before) == postings


def test_postings_of_the_same_article_take_a_digit_each_for_doc_and_tf():
    # Same article: 2 * docs skipped; next article: 2 * articles on - 1, then its doc; tf: 2 * tf in the body, or
    # 2 * tf in the title - 1 and then the body's.
    assert encode_postings([(0, 3, 0, 1), (0, 4, 0, 2), (0, 9, 1, 0), (5, 0, 2, 3)]) == ["13" "0" "8" "90", "2" "4" "10" "33"]


def test_numbers_use_one_digit_below_32():
    # DIGITS[31] is V; a number's leading digits come from DIGITS[32:] (W is 0, X is 1, _ is 31).
    assert encode_numbers([0, 31, 32, 1023, 1024]) == "0" + "V" + "X0" + "_V" + "XW0"


def test_weights_are_bm25_in_twentieths_from_tf_and_lengths():
    # 2 docs: idf of a term in 1 of them ln(1 + 1.5/1.5); "b" in both: ln(1 + 0.5/2.5). Body lengths 3 and 1 (avg 2).
    idf_a, idf_b = 0.6931471805599453, 0.1823215567939546
    share = lambda tf, length: 2.2 * tf / (1.2 * (0.25 + 0.75 * length / 2) + tf)  # noqa: E731
    assert weight(1, 2, (0, 1), (0, 3), (0.0, 2.0)) == round(idf_a * share(1, 3) * 20)
    assert weight(2, 2, (0, 2), (0, 3), (0.0, 2.0)) == round(idf_b * share(2, 3) * 20)
    assert weight(2, 2, (0, 1), (0, 1), (0.0, 2.0)) == round(idf_b * share(1, 1) * 20)
    # A title counts three times; a doc always scores at least 1; the estimate is a doc of average lengths.
    assert weight(1, 2, (1, 0), (1, 0), (1.0, 1.0)) > 2 * weight(1, 2, (0, 1), (0, 1), (1.0, 1.0))
    assert weight(1000, 1000, (0, 1), (0, 100), (0.0, 10.0)) == 1
    assert estimated_weight(1, 2, (0, 1)) == weight(1, 2, (0, 1), (7, 7), (7.0, 7.0)) == round(idf_a * 20)


def test_every_part_reads_back_to_the_index_it_came_from(monkeypatch):
    small_parts(monkeypatch)
    index = build_shelf_index(DOCS)
    parts = dict(payload(data) for data in index.files.values())
    assert {name[0] for name in parts} == set("mtcvsf")
    for path, data in index.files.items():
        name, _ = payload(data)
        check = PART_SCRIPT.match(data.decode())[3]
        assert path == name + ".js" and (check or name[1:]) == part_check(part_text(data))
    manifest = parts[index.manifest.removesuffix(".js")]
    assert read_postings(parts, manifest) == reference_postings(DOCS)
    assert read_docs(parts, manifest) == [(d.article, d.article_title, d.ref, d.title, d.text) for d in DOCS]
    assert manifest["docs"] == len(DOCS) and manifest["lengths"] == [sum(len(tokens(getattr(d, f))) for d in DOCS)
                                                                        for f in ("title", "text")]
    for kind, backwards in (("vocab", False), ("suffix", True)):
        terms = read_vocabulary(parts, manifest, kind)
        assert terms == sorted((t[::-1] if backwards else t for t in read_postings(parts, manifest)), key=shelfindex.utf16_key)


def reference_postings(docs: list[ShelfDoc]) -> dict:
    """Every term's postings [(article, doc in article, tf in title, tf in body)], from the docs themselves."""
    found: dict = {}
    articles = list(dict.fromkeys(d.article for d in docs))
    for n, d in enumerate(docs):
        at = n - next(i for i, e in enumerate(docs) if e.article == d.article)
        title, body = Counter(t.stem for t in tokens(d.title)), Counter(t.stem for t in tokens(d.text))
        for term in title.keys() | body.keys():
            found.setdefault(term, []).append((articles.index(d.article), at, title[term], body[term]))
    return dict(sorted(found.items()))


def read_postings(parts: dict, manifest: dict) -> dict:
    """Every term's postings, read from the term parts and chunks the manifest names; checks each term's part."""
    keys = ["", *manifest["termKeys"].split("\n")]
    found = {}
    for n, name in enumerate(manifest["termNames"].split(" ")):
        part = parts[name]
        for term, entry in zip(part["t"].split("\n"), part["e"], strict=True):
            assert keys[n] <= term and (n + 1 == len(keys) or term < keys[n + 1])  # the manifest points here
            found[term] = read_entry(parts, term, entry)
            assert entry[0] == len(found[term])
    return dict(sorted(found.items()))


def read_entry(parts: dict, term: str, entry: list) -> list:
    """A term's postings from its entry: in it, or in its chunks (each in its range of articles, of its term)."""
    if len(entry) == 3:
        assert len(decode_postings(entry[1], entry[2])) <= shelfindex.CHUNK_POSTINGS
        return decode_postings(entry[1], entry[2])
    _, width, gaps, counts, names = entry
    cells = [sum(decode_numbers(gaps)[: i + 1]) + i for i in range(len(names.split(" ")))]
    postings = []
    for cell, count, name in zip(cells, decode_numbers(counts), names.split(" "), strict=True):
        chunk = parts[name]
        assert (chunk["t"], chunk["c"]) == (term, cell)
        found = decode_postings(*chunk["g"], cell * width - 1)
        assert len(found) == count and all(cell * width <= a < (cell + 1) * width for a, *_ in found)
        assert width == 1 or count <= shelfindex.CHUNK_SPAN * shelfindex.CHUNK_POSTINGS
        postings += found
    return postings


def read_docs(parts: dict, manifest: dict) -> list[tuple]:
    """Every doc, read from the fragments the manifest's article keys name."""
    docs = []
    keys = [manifest["articleKeys"][i : i + 8] for i in range(0, len(manifest["articleKeys"]), 8)]
    per = decode_numbers(manifest["perFragment"])
    for key, count, per_fragment in zip(keys, decode_numbers(manifest["articles"]), per, strict=True):
        for n in range(-(-count // per_fragment)):
            fragment = parts[f"f{key}{shelfindex.name_number(n)}"]
            assert len(fragment["d"]) == min(per_fragment, count - n * per_fragment)
            docs += [(*fragment["a"], *row) for row in fragment["d"]]
    return docs


def read_vocabulary(parts: dict, manifest: dict, kind: str) -> list[str]:
    """The terms of the prefix or suffix shards, in their order."""
    return [t for name in manifest[f"{kind}Names"].split(" ") for t in parts[name]["t"].split("\n")]


def test_same_docs_same_bytes_and_names_follow_content():
    first, second = build_shelf_index(DOCS), build_shelf_index(list(DOCS))
    assert first == second
    changed = build_shelf_index([*DOCS[:-1], ShelfDoc(DOCS[-1].article, DOCS[-1].article_title, "p-2", "", "Other text.")])
    assert changed.manifest != first.manifest
    assert len(set(changed.files) & set(first.files)) > 0  # parts the change did not touch keep their names


# ---- Updates: byte for byte a clean build, and only what a change touches written again


def change_shelf(docs: list[ShelfDoc], rng: random.Random, words: list[str]) -> list[ShelfDoc]:
    """docs after one random change: a doc's text or title edited, a doc added or removed, an article added,
    removed, renamed, retitled or moved."""
    articles = [[d for d in docs if d.article == a] for a in dict.fromkeys(d.article for d in docs)]
    text = lambda: " ".join(rng.choices(words, k=rng.randint(0, 9)))  # noqa: E731
    a = rng.randrange(len(articles))
    kind = rng.choice(["text", "title", "add doc", "remove doc", "add article", "remove article", "rename", "retitle",
                       "move"])
    mine = articles[a]
    if kind in ("text", "title", "remove doc") and mine:
        i = rng.randrange(len(mine))
        edited = [ShelfDoc(mine[i].article, mine[i].article_title, mine[i].ref,
                           text() if kind == "title" else mine[i].title, text() if kind == "text" else mine[i].text)]
        articles[a] = mine[:i] + ([] if kind == "remove doc" else edited) + mine[i + 1 :]
    elif kind == "add doc" and mine:
        articles[a].insert(rng.randint(0, len(mine)), ShelfDoc(mine[0].article, mine[0].article_title,
                                                               f"p-{rng.randrange(99)}", "", text()))
    elif kind == "add article":
        address = f"n{rng.randrange(10**6)}.html"
        articles.insert(rng.randint(0, len(articles)), [ShelfDoc(address, text(), "p-1", "", text())])
    elif kind == "remove article" and len(articles) > 1:
        del articles[a]
    elif kind in ("rename", "retitle") and mine:
        address, title = (f"r{rng.randrange(10**6)}.html", mine[0].article_title) if kind == "rename" else (mine[0].article, text())
        articles[a] = [ShelfDoc(address, title, d.ref, d.title, d.text) for d in mine]
    elif kind == "move":
        articles.insert(rng.randrange(len(articles)), articles.pop(a))
    return [d for article in articles for d in article if article]


def test_an_updated_index_is_byte_for_byte_a_clean_build(monkeypatch):
    small_parts(monkeypatch)
    monkeypatch.setattr(shelfindex, "CHUNK_POSTINGS", 2)  # common terms chunked, their widths moving

    @settings(max_examples=60, derandomize=True, database=None, deadline=None)
    @given(shelves(), st.integers(0, 2**32), st.integers(1, 6))
    def check(docs, seed, steps):
        rng = random.Random(seed)
        index, state = update_shelf_index(None, docs)
        assert index == build_shelf_index(docs)
        for _ in range(steps):
            docs = change_shelf(docs, rng, WORDS) if docs else docs
            index, state = update_shelf_index(pickle.loads(pickle.dumps(state)), docs)
            assert index == build_shelf_index(docs), docs

    check()


def test_an_update_leaves_the_state_it_came_from_as_it_was():
    index, state = update_shelf_index(None, DOCS)
    kept = pickle.dumps(state)
    edited = [*DOCS[:3], ShelfDoc(DOCS[3].article, DOCS[3].article_title, DOCS[3].ref, DOCS[3].title, "Other words."), *DOCS[4:]]
    first, _ = update_shelf_index(state, edited)
    assert pickle.dumps(state) == kept and update_shelf_index(state, edited)[0] == first
    first.files.clear()  # what the caller does with the files is no business of the state
    assert update_shelf_index(state, DOCS)[0] == index


def test_a_state_made_with_other_sizes_or_terms_is_not_reused(monkeypatch):
    _, state = update_shelf_index(None, DOCS)
    monkeypatch.setattr(shelfindex, "TERM_PART_CHARS", 100)
    assert update_shelf_index(state, DOCS)[0] == build_shelf_index(DOCS)
    english = shelfindex.ShelfTerms("en")
    assert update_shelf_index(state, DOCS, english)[0] == build_shelf_index(DOCS, english)


def test_an_edited_note_rewrites_only_the_parts_of_its_words(monkeypatch):
    # 60 articles whose words are their own, plus common words every doc holds (chunked): one note edited.
    monkeypatch.setattr(shelfindex, "CHUNK_POSTINGS", 40)
    monkeypatch.setattr(shelfindex, "TERM_PART_CHARS", 400)
    docs = [ShelfDoc(f"a{a}.html", f"A{a}", ref, "Note" if ref.startswith("note") else "",
                     f"the of and w{a}x{i} w{a}y{i % 3} v{(a * 7 + i) % 50}z")
            for a in range(60) for i, ref in enumerate(["p-1", "p-2", "p-3", "note-1"])]
    index, state = update_shelf_index(None, docs)
    at = 4 * 30 + 3
    old, new = docs[at].text, "the of w30x3 w30y0 fresh"
    edited = [*docs[:at], ShelfDoc(docs[at].article, docs[at].article_title, docs[at].ref, "Note", new), *docs[at + 1 :]]
    updated, _ = update_shelf_index(state, edited)
    assert updated == build_shelf_index(edited)
    touched = {t.stem for t in tokens(old)} ^ {t.stem for t in tokens(new)}  # words whose postings changed
    before, after = (dict(payload(data) for data in i.files.values()) for i in (index, updated))
    written = {name: part for name, part in after.items() if name not in before}
    # Fragments: the note's article's only; chunks: those of touched words holding that article only.
    assert {part["a"][0] for name, part in written.items() if name[0] == "f"} == {"a30.html"}
    assert all(part["t"] in touched and 30 in chunk_articles(after, part) for name, part in written.items() if name[0] == "c")
    # Every other word's entry is as it was; term parts written again hold a touched word, but for one at most
    # after each (where the content-defined cut moved).
    entries = [{t: e for p in parts.values() if "e" in p for t, e in zip(p["t"].split("\n"), p["e"], strict=True)}
               for parts in (before, after)]
    assert {t for t in entries[0].keys() | entries[1].keys() if entries[0].get(t) != entries[1].get(t)} == touched
    rewritten = [p for name, p in written.items() if name[0] == "t"]
    assert sum(not touched & set(p["t"].split("\n")) for p in rewritten) <= len(rewritten) // 2
    assert len(rewritten) <= 2 * len(touched)
    assert {name[0] for name in written} <= set("mtcfvs") and len(written) < len(after) // 10


def chunk_articles(parts: dict, chunk: dict) -> set[int]:
    """The articles a chunk's postings are in (its width read in its term's entry)."""
    entry = next(e for p in parts.values() if "e" in p for t, e in zip(p["t"].split("\n"), p["e"], strict=True) if t == chunk["t"])
    return {a for a, *_ in decode_postings(*chunk["g"], chunk["c"] * entry[1] - 1)}


def test_an_article_whose_docs_are_apart_is_refused():
    docs = [ShelfDoc("a.html", "A", "p-1", "", "x"), ShelfDoc("b.html", "B", "p-1", "", "y"), ShelfDoc("a.html", "A", "p-2", "", "z")]
    with pytest.raises(ValueError, match="a.html are not together"):
        build_shelf_index(docs)


def test_the_manifest_stays_small_at_a_thousand_articles():
    # 1,000 articles of 18 docs, 200 distinct words each: the manifest grows with the parts, not the text.
    docs = [ShelfDoc(f"a{a}.html", f"Title {a}", f"p-{i}", "", " ".join(f"w{(a * 7 + i * 13 + k) % 5000}x" for k in range(60)))
            for a in range(1000) for i in range(18)]
    index = build_shelf_index(docs)
    manifest = index.files[index.manifest]
    assert len(manifest) < 40_000
    assert len(manifest) * 20 < sum(map(len, index.files.values()))


# ---- The engine against the reference


def test_engine_answers_as_the_reference_on_fixed_queries(tmp_path):
    folder, manifest = write_index(DOCS, tmp_path)
    reference = Reference(DOCS)
    cases = [(q, {"prefix": prefix, "limit": limit}) for q in QUERIES for prefix in (True, False) for limit in (20, 2)]
    answers = run_engine([job(folder, manifest, cases), job(folder, manifest, cases, here=1)])
    for here, got_all in zip((-1, 1), answers, strict=True):
        for (q, options), got in zip(cases, got_all, strict=True):
            want = reference.search(q, options["prefix"], options["limit"], here)
            assert answer_key(got) == want, (q, options, here)
            assert got["incomplete"] is False


def test_engine_finds_what_in_article_search_finds(tmp_path):
    folder, manifest = write_index(DOCS, tmp_path)
    answers = run_engine([job(folder, manifest, [(q, {"prefix": True}) for q in (
        "must do more to support", '"support more"', "alliabce", "corner", "Japan's", "jpn")], here=1)])[0]
    refs = [[(r["article"]["address"], r["ref"]) for r in a["results"]] for a in answers]
    assert refs[0] == [("a2.html", "p-3"), ("a2.html", "p-4")]  # the run first
    assert answers[0]["results"][0]["run"] == {"field": "body", "start": 6, "end": 29}
    assert refs[1] == [("a2.html", "p-4")]
    assert (answers[2]["tier"], refs[2]) == ("typo", [("a2.html", "p-3"), ("a1.html", "p-1")])  # this article first
    assert (answers[3]["tier"], refs[3]) == ("prefix", [("a1.html", "p-1")])
    assert [address for address, _ in refs[4]] == ["a2.html", "a2.html", "a1.html", "a1.html", "a1.html"]
    assert answers[5] == {**answers[5], "tier": "none", "total": 0, "results": []}
    first = answers[0]["results"][0]
    assert first["article"] == {"index": 1, "address": "a2.html", "title": "Trade"} and first["here"] is True
    assert first["text"][first["run"]["start"]:first["run"]["end"]] == "must do more to support"


WORDS = ["alpha", "beta", "gamma", "delta", "alphas", "alphabet", "gamme", "the", "of", "a", "deltas", "betas",
         "Japan's", "U.S.", "caf\u00e9", "3.1", "zeta", "zetta", "omega", "omegas", "policy", "police"]


@st.composite
def shelves(draw):
    """Small random shelves: 1-4 articles of 1-6 docs of words from WORDS (some with titles)."""
    text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=14).map(" ".join)
    articles = draw(st.lists(st.lists(st.tuples(st.booleans(), text, text), min_size=1, max_size=6), min_size=1, max_size=4))
    return [ShelfDoc(f"a{a}.html", f"A{a}", f"{'note' if titled else 'p'}-{i}", title if titled else "", body)
            for a, docs in enumerate(articles) for i, (titled, title, body) in enumerate(docs)]


QUERY_PIECES = [*WORDS, "alp", "gam", "alpah", "betaa", "omegs", "polic", '"', " ", "\u201c", "zzz", "japan", "us", "cafe"]


def test_engine_answers_as_the_reference_on_random_shelves(tmp_path, monkeypatch):
    for name, size in (("TERM_PART_CHARS", 150), ("CHUNK_POSTINGS", 2), ("VOCAB_SHARD_CHARS", 40),
                       ("FRAGMENT_CHARS", 60)):
        monkeypatch.setattr(shelfindex, name, size)
    cases: list[tuple[list[ShelfDoc], list[tuple[str, dict]], int]] = []

    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(shelves(), st.lists(st.tuples(st.lists(st.sampled_from(QUERY_PIECES), max_size=5).map(" ".join),
                                         st.booleans(), st.sampled_from([1, 3, 20])), min_size=8, max_size=8),
           st.integers(-1, 3))
    def collect(docs, queries, here):
        cases.append((docs, [(q, {"prefix": p, "limit": limit}) for q, p, limit in queries], here))

    collect()  # gather the shelves first, then ask the engine about all of them in one Node run
    jobs = [job(*write_index(docs, tmp_path / str(n)), queries, here) for n, (docs, queries, here) in enumerate(cases)]
    for (docs, queries, here), answers in zip(cases, run_engine(jobs), strict=True):
        reference = Reference(docs)
        for (q, options), got in zip(queries, answers, strict=True):
            assert answer_key(got) == reference.search(q, options["prefix"], options["limit"], here), (q, options, here, docs)


def test_a_bigger_limit_continues_the_same_list(tmp_path):
    docs = [ShelfDoc(f"a{a}.html", "A", f"p-{i}", "", f"alpha beta {'gamma ' * (i % 5)} delta {a} {i}") for a in range(6) for i in range(30)]
    folder, manifest = write_index(docs, tmp_path)
    small, big, again = run_engine([job(folder, manifest, [("alpha", {"limit": 20}), ("alpha", {"limit": 60}), ("alpha", {"limit": 20})])])[0]
    assert [small["total"], len(small["results"]), len(big["results"])] == [180, 20, 60]
    assert big["results"][:20] == small["results"]
    assert again["results"] == small["results"]


# ---- Missing and corrupt parts, hostile queries


def test_missing_and_corrupt_parts_leave_results_out_and_say_so(tmp_path, monkeypatch):
    monkeypatch.setattr(shelfindex, "FRAGMENT_CHARS", 1)  # one doc per fragment
    folder, manifest = write_index(DOCS, tmp_path / "whole")
    whole = run_engine([job(folder, manifest, [("japan", {})])])[0][0]
    assert whole["incomplete"] is False and len(whole["results"]) == 5
    # The fragment of a2.html p-1 gone; that of a1.html p-1 edited by hand (its checksum no longer fits).
    broken, _ = write_index(DOCS, tmp_path / "broken")
    fragments = {payload(p.read_bytes())[1]["d"][0][2][:20]: p for p in broken.glob("f*.js")}
    fragments["The 1960 U.S.-Japan "].unlink()
    edited = fragments["The U.S.-Japan secur"]
    edited.write_text(edited.read_text().replace("cornerstone", "keystone"))
    got = run_engine([job(broken, manifest, [("japan", {}), ("tariffs", {}), ("japan", {})])])[0]
    assert got[0]["incomplete"] is True and got[2]["incomplete"] is True  # asked again: still said
    assert [r["ref"] for r in got[0]["results"]] == [r["ref"] for r in whole["results"]
                                                     if (r["article"]["index"], r["ref"]) not in ((0, "p-1"), (1, "p-1"))]
    assert got[1]["incomplete"] is False and [r["ref"] for r in got[1]["results"]] == ["p-2"]


@pytest.mark.parametrize("kind", ["t", "c", "f", "v", "s", "m"])
def test_any_kind_of_part_missing_or_broken_never_throws(tmp_path, monkeypatch, kind):
    small_parts(monkeypatch)  # some of each kind
    folder, manifest = write_index(DOCS, tmp_path)
    for n, path in enumerate(sorted(folder.glob(f"{kind}*.js"))):
        if n % 2:
            path.unlink()
        else:
            path.write_text(path.read_text()[: len(path.read_text()) // 2])  # cut: a syntax error
    queries = [(q, {"prefix": True}) for q in ("japan", "secur", "Kieo", "alliabce", "support more", "the")]
    answers = run_engine([job(folder, manifest, queries)])[0]
    assert any(answer["incomplete"] for answer in answers)
    for answer in answers:
        assert answer["tier"] in ("exact", "prefix", "typo", "partial", "none")
        assert len(answer["results"]) <= answer["total"] or answer["total"] == 0


def test_hostile_queries_are_words_like_any_other(tmp_path):
    folder, manifest = write_index(DOCS, tmp_path)
    long_query = " ".join(["japan", "security", "the", "of"] * 750)  # 3,000 words
    got = run_engine([job(folder, manifest, [(long_query, {"prefix": True}), ("the of and to a", {}), ("?!.,;", {}),
                                             ('<img src=x onerror="alert(1)">', {}), ("japan <b>", {})])])[0]
    assert got[0]["words"] == 64 and got[0]["tier"] == "exact"
    assert [a["tier"] for a in got[1:4]] == ["partial", "none", "none"]
    # Markup is words (here "b", in no doc): the docs with "japan" come, most words.
    assert got[4]["tier"] == "partial" and got[4]["total"] == 5


def test_the_run_outranks_words_standing_literally_and_a_bigger_weight(tmp_path):
    # X holds both words as typed but apart and often; Y has them together, one only by its stem.
    docs = [ShelfDoc("a1.html", "A", "p-1", "", "Alliance supports it; the alliance, then supports, supports."),
            ShelfDoc("a2.html", "B", "p-1", "", "They support alliance work.")]
    folder, manifest = write_index(docs, tmp_path)
    (got,) = run_engine([job(folder, manifest, [("supports alliance", {})])])[0]
    assert [(r["article"]["index"], r["run"] is not None) for r in got["results"]] == [(1, True), (0, False)]
    assert got["results"][1]["score"] > got["results"][0]["score"]
    assert answer_key(got) == Reference(docs).search("supports alliance")
