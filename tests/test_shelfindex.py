"""reader/shelfindex.py's parts and the engine that reads them (static/js/shelf*.js, run under Node).

The format round-trips (numbers, postings, every part back to the index it came from), and the engine's
answers equal a straightforward search over the docs themselves (tests/shelf_reference.py) for fixed and
random shelves and queries; missing and corrupt parts leave results out and say so, never throw.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import shelfindex
from reader.shelfindex import (
    ShelfDoc,
    build_shelf_index,
    checksums,
    decode_numbers,
    decode_postings,
    encode_numbers,
    encode_postings,
    weighted_postings,
)
from tests.shelf_reference import Reference, answer_key, tokens

ROOT = Path(__file__).resolve().parent.parent
NODE = shutil.which("node")
RUNNER = ROOT / "tests" / "js" / "shelf_engine.cjs"
PART = re.compile(r"^ReaderShelfParts\.part\('([a-z][0-9a-f]+)','(.*)'\);\n$", re.S)


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


def payload(script: bytes) -> tuple[str, object]:
    """A part's name and data, read back from its script."""
    m = PART.match(script.decode("utf-8"))
    assert m, script[:80]
    text = m[2].replace("\\'", "'").replace("\\\\", "\\")
    return m[1], json.loads(text)


# ---- The format: numbers, postings, parts


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_numbers_round_trip(values):
    text = encode_numbers(values)
    assert decode_numbers(text) == values
    assert set(text) <= set(shelfindex.DIGITS)


@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 10**5)), unique_by=lambda p: p[0]))
def test_postings_round_trip(postings):
    postings.sort()
    assert decode_postings(*encode_postings(postings)) == postings


def test_numbers_use_one_digit_below_32():
    # DIGITS[31] is V; a number's leading digits come from DIGITS[32:] (W is 0, X is 1, _ is 31).
    assert encode_numbers([0, 31, 32, 1023, 1024]) == "0" + "V" + "X0" + "_V" + "XW0"


def test_weights_are_bm25_in_twentieths():
    # One doc of three words, one of one: avg body length 2. "b" in both docs (idf ln(1 + 0.5/2.5)).
    postings = weighted_postings([[], []], [["a", "b", "b"], ["b"]])
    idf_a, idf_b = 0.6931471805599453, 0.1823215567939546  # ln(1 + 1.5/1.5), ln(1 + 0.5/2.5)
    share = lambda tf, length: 2.2 * tf / (1.2 * (0.25 + 0.75 * length / 2) + tf)  # noqa: E731
    assert postings["a"] == [(0, round(idf_a * share(1, 3) * 20))]
    assert postings["b"] == [(0, round(idf_b * share(2, 3) * 20)), (1, round(idf_b * share(1, 1) * 20))]
    # A title counts three times.
    titled = weighted_postings([["a"], []], [[], ["a"]])
    assert titled["a"][0][1] > 2 * titled["a"][1][1]


def test_every_part_reads_back_to_the_index_it_came_from(monkeypatch):
    # Small parts, so the shelf needs many of each kind.
    for name, size in (("TERM_PART_CHARS", 200), ("CHUNK_POSTINGS", 3), ("VOCAB_SHARD_CHARS", 60),
                       ("FRAGMENT_CHARS", 120), ("ARTICLE_PART_CHARS", 150)):
        monkeypatch.setattr(shelfindex, name, size)
    index = build_shelf_index(DOCS)
    parts = dict(payload(data) for data in index.files.values())
    assert {name[0] for name in parts} == set("mtcvsaf")
    for path, data in index.files.items():
        name, _ = payload(data)
        assert path == name + ".js"
        text = PART.match(data.decode())[2].replace("\\'", "'").replace("\\\\", "\\")
        crc, adler = checksums(text)
        assert name[1:] in (crc, crc + adler)
    manifest = parts[index.manifest.removesuffix(".js")]
    assert read_postings(parts, manifest) == dict(sorted(weighted_postings(
        [[t.stem for t in tokens(d.title)] for d in DOCS], [[t.stem for t in tokens(d.text)] for d in DOCS]).items()))
    assert read_docs(parts, manifest) == [(d.article, d.article_title, d.ref, d.title, d.text) for d in DOCS]
    for kind, backwards in (("vocab", False), ("suffix", True)):
        terms = read_vocabulary(parts, manifest, kind)
        assert terms == sorted((t[::-1] if backwards else t for t in read_postings(parts, manifest)), key=shelfindex.utf16_key)


def read_postings(parts: dict, manifest: dict) -> dict:
    """Every term's postings, read from the term parts and chunks the manifest names; checks each term's part."""
    keys = ["", *manifest["termKeys"].split("\n")]
    found = {}
    for n, name in enumerate(manifest["termNames"].split(" ")):
        part = parts[name]
        for term, entry in zip(part["t"].split("\n"), part["e"], strict=True):
            assert keys[n] <= term and (n + 1 == len(keys) or term < keys[n + 1])  # the manifest points here
            if isinstance(entry[1], list):
                found[term] = [p for first, last, chunk in entry[1] for p in decode_postings(*parts[chunk]["g"])]
                assert [(c[0], c[1]) for c in entry[1]] == [(min(d for d, _ in decode_postings(*parts[c[2]]["g"])),
                                                              max(d for d, _ in decode_postings(*parts[c[2]]["g"]))) for c in entry[1]]
            else:
                found[term] = decode_postings(entry[1], entry[2])
            assert entry[0] == len(found[term])
    return dict(sorted(found.items()))


def read_docs(parts: dict, manifest: dict) -> list[tuple]:
    """Every doc, read from the article parts and fragments."""
    docs = []
    counts = decode_numbers(manifest["articles"])
    for name in manifest["articleNames"].split(" "):
        for address, title, first, sizes, names in parts[name]["a"]:
            assert first == sum(counts[: len({d[0] for d in docs})])
            for size, fragment in zip(decode_numbers(sizes), names.split(" "), strict=True):
                rows = parts[fragment]["d"]
                assert len(rows) == size and parts[fragment]["first"] == first + sum(1 for d in docs if d[0] == address)
                docs += [(address, title, *row) for row in rows]
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
                       ("FRAGMENT_CHARS", 60), ("ARTICLE_PART_CHARS", 80)):
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


@pytest.mark.parametrize("kind", ["t", "a", "v", "m"])
def test_any_kind_of_part_missing_or_broken_never_throws(tmp_path, kind):
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
