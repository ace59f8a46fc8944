"""The shelf's search index: one index for every article, split into small script files a query loads as it needs.

build_shelf_index(docs) returns the files to write, {relative path: bytes}, and the manifest's name.
Each file is a classic script calling ReaderShelfParts.part('NAME', 'JSON'): it loads with a
<script> tag over http and from file:// alike. NAME is the file's name without ".js": a kind letter
and a checksum of the JSON text that static/js/shelfparts.js checks before using it. The format,
the scoring and how a query uses each kind of part are documented in docs/shelf-search.md.

Kinds: the manifest (m), term parts (t: a range of terms and their postings), chunks of a very common
term's postings (c), vocabulary shards by prefix (v) and by suffix (s) for the prefix and
close-spelling passes, article parts (a: titles, addresses, fragment names) and fragments (f: the
text of a few docs of one article, for snippets and for checking runs and phrases).
"""

from __future__ import annotations

import json
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from reader import textnorm
from reader.search import lunr_js_stem

FORMAT = 1
K1, B = 1.2, 0.75  # BM25, as lunr
TITLE_BOOST = 3  # as FIELD_BOOSTS in reader/search.py
WEIGHT_UNIT = 0.05  # a posting's weight is its BM25 score in twentieths: exact integers on both sides
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"  # 0-31 end a number, 32-63 go on
# Sizes, in characters of a part's JSON: small enough that a query loads little it does not use.
TERM_PART_CHARS = 8000
CHUNK_POSTINGS = 512  # a term in more docs than this keeps its postings in chunks of this many
VOCAB_SHARD_CHARS = 12000
FRAGMENT_CHARS = 1500
ARTICLE_PART_CHARS = 6000


@dataclass(frozen=True)
class ShelfDoc:
    """One searchable unit of the shelf: a paragraph or note of an article, in shelf order."""

    article: str  # the article's address, relative to the site (the same for all its docs, which stand together)
    article_title: str
    ref: str  # the doc's id in its article's page: p-12, note-x
    title: str  # a note's title; "" for a paragraph
    text: str


@dataclass(frozen=True)
class ShelfIndex:
    """The files of a shelf index, {relative path: bytes}, and the manifest's path among them."""

    files: dict[str, bytes]
    manifest: str


def doc_terms(text: str) -> list[str]:
    """Return the terms search indexes for text: textnorm's tokens stemmed as lunr.js stems (as in-article search)."""
    return [lunr_js_stem(token.term) for token in textnorm.tokenize(text)]


def build_shelf_index(docs: Sequence[ShelfDoc], terms_of: Callable[[str], list[str]] = doc_terms) -> ShelfIndex:
    """Return the shelf index of docs, in shelf order: every part as a script file named by its content."""
    articles = group_articles(docs)
    postings = weighted_postings([terms_of(doc.title) for doc in docs], [terms_of(doc.text) for doc in docs])
    parts = PartWriter()
    manifest = {
        "format": FORMAT,
        "docs": len(docs),
        "articles": encode_numbers(len(a) for a in articles),
        **term_parts(parts, postings),
        **vocabulary_shards(parts, "v", "vocab", sorted(postings, key=utf16_key)),
        **vocabulary_shards(parts, "s", "suffix", sorted((t[::-1] for t in postings), key=utf16_key)),
        **article_parts(parts, articles),
    }
    name = parts.add("m", manifest)
    return ShelfIndex(parts.files, f"{name}.js")


def group_articles(docs: Sequence[ShelfDoc]) -> list[list[tuple[int, ShelfDoc]]]:
    """Return the docs with their numbers, by article in shelf order; raise ValueError if an article's are apart."""
    articles: list[list[tuple[int, ShelfDoc]]] = []
    seen: set[str] = set()
    for number, doc in enumerate(docs):
        if not articles or articles[-1][0][1].article != doc.article:
            if doc.article in seen:
                raise ValueError(
                    f"shelf docs of {doc.article} are not together (doc {number}, {doc.ref}); "
                    "keep each article's docs in one run"
                )
            seen.add(doc.article)
            articles.append([])
        articles[-1].append((number, doc))
    return articles


def utf16_key(term: str) -> bytes:
    """Return the key that sorts strings as JavaScript compares them (by UTF-16 units)."""
    return term.encode("utf-16-be", "surrogatepass")


# ---- Scoring: a posting is (doc number, weight), the weight an integer fixed at build time


def weighted_postings(titles: list[list[str]], bodies: list[list[str]]) -> dict[str, list[tuple[int, int]]]:
    """Return term -> [(doc number, weight)] in doc order: BM25 (lunr's k1, b, idf; titles weigh 3) in WEIGHT_UNITs."""
    n = len(bodies)
    averages = [sum(map(len, field)) / n if n else 0 for field in (titles, bodies)]
    counts = [(Counter(title), Counter(body)) for title, body in zip(titles, bodies, strict=True)]
    df: Counter[str] = Counter()
    for title, body in counts:
        df.update(title.keys() | body.keys())
    postings: dict[str, list[tuple[int, int]]] = {term: [] for term in df}
    for number, (title, body) in enumerate(counts):
        lengths = (sum(title.values()), sum(body.values()))
        for term in title.keys() | body.keys():
            tf = (title.get(term, 0), body.get(term, 0))
            postings[term].append((number, weight(df[term], n, tf, lengths, averages)))
    for found in postings.values():
        found.sort()
    return postings


def weight(df: int, n: int, tf: tuple[int, int], lengths: tuple[int, int], averages: list[float]) -> int:
    """Return a term's weight in a doc: idf times (the title's BM25 share times 3 plus the body's), in WEIGHT_UNITs.

    At least 1: a doc that holds a term always scores for it.
    """
    idf = math.log(1 + abs((n - df + 0.5) / (df + 0.5)))
    share = 0.0
    for boost, count, length, average in zip((TITLE_BOOST, 1), tf, lengths, averages, strict=True):
        if count:
            share += boost * (K1 + 1) * count / (K1 * (1 - B + B * length / average) + count)
    return max(1, round(idf * share / WEIGHT_UNIT))


# ---- Numbers as text: base-32 digits, all but a number's last written with DIGITS[32:]


def encode_numbers(values: Iterable[int]) -> str:
    """Return non-negative integers as one string of DIGITS."""
    out: list[str] = []
    for value in values:
        if value < 0:
            raise ValueError(f"cannot encode negative number {value}")
        digits = [DIGITS[value & 31]]
        value >>= 5
        while value:
            digits.append(DIGITS[32 + (value & 31)])
            value >>= 5
        out.extend(reversed(digits))
    return "".join(out)


def decode_numbers(text: str) -> list[int]:
    """Return the integers encode_numbers wrote into text."""
    values, value = [], 0
    for char in text:
        digit = DIGITS.index(char)
        value = (value << 5) | (digit & 31)
        if digit < 32:
            values.append(value)
            value = 0
    return values


def encode_postings(found: Sequence[tuple[int, int]], before: int = -1) -> list[str]:
    """Return [doc gaps, weights] of postings in doc order; the first gap counts from doc `before`."""
    gaps = [doc - prev for (doc, _), prev in zip(found, [before] + [doc for doc, _ in found], strict=False)]
    return [encode_numbers(gap - 1 for gap in gaps), encode_numbers(w for _, w in found)]


def decode_postings(gaps: str, weights: str, before: int = -1) -> list[tuple[int, int]]:
    """Return the (doc, weight) postings encode_postings wrote."""
    docs, doc = [], before
    for gap in decode_numbers(gaps):
        doc += gap + 1
        docs.append(doc)
    return list(zip(docs, decode_numbers(weights), strict=True))


# ---- Parts


class PartWriter:
    """Collects the parts as script files named by kind and checksum (CRC-32, and Adler-32 too when two CRCs meet)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, kind: str, payload: object) -> str:
        """Write one part; return its name."""
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        crc, adler = checksums(text)
        for name in (kind + crc, kind + crc + adler):
            script = f"ReaderShelfParts.part('{name}','{js_single_quoted(text)}');\n".encode()
            if self.files.setdefault(f"{name}.js", script) == script:
                return name
        raise ValueError(f"two different shelf index parts are both named {name}; change a part size to part them")


def checksums(text: str) -> tuple[str, str]:
    """Return the CRC-32 (8 hex digits) and Adler-32 (its low 16 bits, 4) of text's UTF-16LE units, as shelfparts.js."""
    data = text.encode("utf-16-le", "surrogatepass")
    return f"{zlib.crc32(data):08x}", f"{zlib.adler32(data) & 0xFFFF:04x}"


def js_single_quoted(text: str) -> str:
    """Return text to stand between single quotes in JavaScript (JSON already escapes control characters)."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def sized_runs(items: Iterable[tuple[str, int]], limit: int) -> Iterator[list[str]]:
    """Yield runs of item keys, each closed once its sizes reach limit (every run holds at least one)."""
    run: list[str] = []
    size = 0
    for key, item_size in items:
        run.append(key)
        size += item_size
        if size >= limit:
            yield run
            run, size = [], 0
    if run:
        yield run


def term_parts(parts: PartWriter, postings: dict[str, list[tuple[int, int]]]) -> dict[str, str]:
    """Write the term parts (and the chunks of common terms); return the manifest's keys for them."""
    entries = {term: term_entry(parts, found) for term, found in postings.items()}
    terms = sorted(postings, key=utf16_key)
    sizes = ((term, len(term) + len(json.dumps(entries[term]))) for term in terms)
    runs = list(sized_runs(sizes, TERM_PART_CHARS))
    names = [parts.add("t", {"t": "\n".join(run), "e": [entries[term] for term in run]}) for run in runs]
    return {"termKeys": separators(runs), "termNames": " ".join(names)}


def separators(runs: list[list[str]]) -> str:
    """Return, for each sorted run after the first, the shortest start of its first term that sorts after the
    run before it ends, one per line: a term belongs to the last run whose separator is not after it."""
    keys = []
    for before, run in zip(runs, runs[1:], strict=False):
        first, last = run[0], utf16_key(before[-1])
        keys.append(next(first[:k] for k in range(1, len(first) + 1) if utf16_key(first[:k]) > last))
    return "\n".join(keys)


def term_entry(parts: PartWriter, found: list[tuple[int, int]]) -> list:
    """Return a term's entry: [df, gaps, weights], or [df, [[first doc, last doc, chunk name], ...]] when common."""
    if len(found) <= CHUNK_POSTINGS:
        return [len(found), *encode_postings(found)]
    chunks = []
    for start in range(0, len(found), CHUNK_POSTINGS):
        piece = found[start : start + CHUNK_POSTINGS]
        name = parts.add("c", {"g": encode_postings(piece)})
        chunks.append([piece[0][0], piece[-1][0], name])
    return [len(found), chunks]


def vocabulary_shards(parts: PartWriter, kind: str, label: str, terms: list[str]) -> dict[str, str]:
    """Write sorted terms as shards of about VOCAB_SHARD_CHARS; return the manifest's keys for them."""
    runs = list(sized_runs(((term, len(term) + 1) for term in terms), VOCAB_SHARD_CHARS))
    names = [parts.add(kind, {"t": "\n".join(run)}) for run in runs]
    return {f"{label}Keys": separators(runs), f"{label}Names": " ".join(names)}


def article_parts(parts: PartWriter, articles: list[list[tuple[int, ShelfDoc]]]) -> dict[str, str]:
    """Write the fragments and the article parts naming them; return the manifest's keys for the article parts."""
    entries = [article_entry(parts, docs) for docs in articles]
    sizes = ((str(i), len(json.dumps(entry, ensure_ascii=False))) for i, entry in enumerate(entries))
    firsts, names = [], []
    for run in sized_runs(sizes, ARTICLE_PART_CHARS):
        first = int(run[0])
        firsts.append(first)
        names.append(parts.add("a", {"first": first, "a": [entries[int(i)] for i in run]}))
    return {"articleKeys": encode_numbers(firsts), "articleNames": " ".join(names)}


def article_entry(parts: PartWriter, docs: list[tuple[int, ShelfDoc]]) -> list:
    """Write one article's fragments; return [address, title, first doc, fragment sizes, fragment names]."""
    article = docs[0][1]
    sizes = ((str(i), len(doc.title) + len(doc.text)) for i, (_, doc) in enumerate(docs))
    runs = list(sized_runs(sizes, FRAGMENT_CHARS))
    names = []
    for run in runs:
        piece = [docs[int(i)] for i in run]
        names.append(parts.add("f", {"first": piece[0][0], "d": [[doc.ref, doc.title, doc.text] for _, doc in piece]}))
    sizes_text = encode_numbers(len(run) for run in runs)
    return [article.article, article.article_title, docs[0][0], sizes_text, " ".join(names)]
