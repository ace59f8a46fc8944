"""The shelf's search index: one index for every article, split into small script files a query loads as it needs.

build_shelf_index(docs) returns the files to write, {file name: bytes}, and the manifest's name;
update_shelf_index(previous, docs) returns the same index and a state for the next build, rewriting only the
parts a change touches (an edited note: the parts of its words, the article's fragments, the manifest).
Each file is a classic script calling ReaderShelfParts.part('NAME', 'JSON'[, 'CHECK']): it loads with a
<script> tag over http and from file:// alike; static/js/shelfparts.js checks the JSON against its checksum
(the name's tail, or CHECK) before using it. The format, the scoring and how a query reads each kind of part
are in docs/shelf-search.md.

Every part depends on as little of the shelf as it can, so that one change rewrites few of them: a posting
names its doc by article and place in the article, and holds how often the term stands in it, not a weight
(the page weighs it from the manifest's statistics); common terms' postings are chunked by ranges of articles;
runs of terms end where the terms say (content-defined), not at a running count.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reader import textnorm
from reader.search import STEMMERS

FORMAT = 2
K1, B = 1.2, 0.75  # BM25, as lunr
TITLE_BOOST = 3  # as FIELD_BOOSTS in reader/search.py
WEIGHT_UNIT = 0.05  # weights are BM25 scores in twentieths: integers both sides add alike
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"  # 0-31 end a number, 32-63 go on
NAME_DIGITS = "0123456789abcdefghijklmnopqrstuv"  # file names: lower case, as case-blind file systems need
# Sizes, in characters of a part's JSON: small enough that a query loads little it does not use.
TERM_PART_CHARS = 8000
CHUNK_POSTINGS = 512  # a term in more docs than this keeps its postings in chunks (CHUNK_SPAN times as many at most)
CHUNK_SPAN = 4  # a query reads all the chunks of a word it ranks by, or those near its candidates: few and big
VOCAB_SHARD_CHARS = 12000
FRAGMENT_CHARS = 1500
SHELF_STEMMER = "ar"  # Arabic words by Arabic's light stemmer, all others by lunr.js's: one stem for a query
RUN_KINDS = {"t": "term", "v": "vocab", "s": "suffix"}  # part kinds cut in content-defined runs, and their keys

# A part's file; its JSON has every ' escaped, so "','" and "');" stand only where the script's own quotes are.
PART_SCRIPT = re.compile(r"ReaderShelfParts\.part\('([a-z0-9]+)','(.*?)'(?:,'([a-z0-9]{10})')?\);\n\Z", re.S)

Posting = tuple[int, int, int, int]  # (article number, doc number within the article, tf in title, tf in body)
DocText = tuple[str, str, str]  # (ref, title, text)


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
    """The files of a shelf index, {file name: bytes}, and the manifest's file name among them.

    Every file is named by its content: a name the previous build wrote holds the same bytes again."""

    files: dict[str, bytes]
    manifest: str


def doc_terms(text: str, stemmer: str = SHELF_STEMMER) -> list[str]:
    """Return the terms search indexes for text: textnorm's tokens through a stemmer of reader/search.py."""
    stem = STEMMERS[stemmer]
    return [stem(token.term) for token in textnorm.tokenize(text)]


@dataclass(frozen=True)
class ShelfTerms:
    """A doc's terms (a terms_of for the index): doc_terms with one stemmer, named in the manifest for the page."""

    stemmer: str = SHELF_STEMMER

    def __call__(self, text: str) -> list[str]:
        return doc_terms(text, self.stemmer)


SHELF_TERMS = ShelfTerms()


@dataclass(frozen=True)
class ArticleDocs:
    """One article's docs, as the shelf gives them."""

    address: str
    title: str
    docs: tuple[DocText, ...]


@dataclass(frozen=True)
class ArticleRecord:
    """What the index keeps of one article: its key (a hash of everything its fragments hold), docs per fragment,
    doc count, and how many terms its docs' titles and bodies hold in all."""

    address: str
    key: str
    per_fragment: int
    docs: int
    lengths: tuple[int, int]


@dataclass(frozen=True)
class Run:
    """A part holding a run of sorted keys (terms, or terms written backwards): its first and last key, its name."""

    first: str
    last: str
    name: str


@dataclass(frozen=True)
class ShelfIndexState:
    """What update_shelf_index needs of the build before (picklable): the articles, every file, the runs."""

    settings: tuple
    terms_key: str
    stemmer: str
    articles: tuple[ArticleRecord, ...]
    files: dict[str, bytes]  # never changed in place: an update copies it
    runs: dict[str, tuple[Run, ...]]  # by kind letter (t, v, s)
    manifest: str


def settings() -> tuple:
    """The sizes and format an index was made with: a state made with others is not reused."""
    return (FORMAT, K1, B, TITLE_BOOST, TERM_PART_CHARS, CHUNK_POSTINGS, CHUNK_SPAN, VOCAB_SHARD_CHARS, FRAGMENT_CHARS)


def terms_key(terms_of: Callable[[str], list[str]]) -> str:
    """Return what names terms_of for a state: a state made with another terms_of is not reused."""
    if isinstance(terms_of, ShelfTerms):
        return repr(terms_of)
    return f"{getattr(terms_of, '__module__', '')}.{getattr(terms_of, '__qualname__', repr(terms_of))}"


def build_shelf_index(docs: Sequence[ShelfDoc], terms_of: Callable[[str], list[str]] = SHELF_TERMS) -> ShelfIndex:
    """Return the shelf index of docs, in shelf order: every part as a script file named by its content."""
    return update_shelf_index(None, docs, terms_of)[0]


def update_shelf_index(previous: ShelfIndexState | None, docs: Sequence[ShelfDoc],
                       terms_of: Callable[[str], list[str]] = SHELF_TERMS) -> tuple[ShelfIndex, ShelfIndexState]:
    """Return the shelf index of docs (byte for byte build_shelf_index's) and the state for the next update.

    previous: the state the build before returned (None: none). Only what changed is read and written again:
    terms_of runs on the docs that changed (their old text and their new), and only the parts holding their
    terms are rewritten. terms_of must be the one the previous state was made with, as it was then (terms_key
    tells functions apart by name only: after changing what one does, pass None). previous is not changed."""
    key = terms_key(terms_of)
    if previous is None or previous.settings != settings() or previous.terms_key != key:
        previous = empty_state(key, getattr(terms_of, "stemmer", ""))
    update = Update(previous, terms_of)
    update.articles(group_articles(docs))
    update.terms()
    for kind in RUN_KINDS:
        update.cut_runs(kind)
    return update.finish()


def empty_state(terms_of_key: str, stemmer: str) -> ShelfIndexState:
    """The state of an index of no docs, before any build."""
    return ShelfIndexState(settings(), terms_of_key, stemmer, (), {}, {kind: () for kind in RUN_KINDS}, "")


def group_articles(docs: Sequence[ShelfDoc]) -> list[ArticleDocs]:
    """Return the docs by article in shelf order; raise ValueError if an article's docs are apart."""
    articles: list[tuple[ShelfDoc, list[DocText]]] = []
    seen: set[str] = set()
    for number, doc in enumerate(docs):
        if not articles or articles[-1][0].article != doc.article:
            if doc.article in seen:
                raise ValueError(
                    f"shelf docs of {doc.article} are not together (doc {number}, {doc.ref}); "
                    "keep each article's docs in one run"
                )
            seen.add(doc.article)
            articles.append((doc, []))
        articles[-1][1].append((doc.ref, doc.title, doc.text))
    return [ArticleDocs(first.article, first.article_title, tuple(rows)) for first, rows in articles]


def utf16_key(term: str) -> bytes:
    """Return the key that sorts strings as JavaScript compares them (by UTF-16 units)."""
    return term.encode("utf-16-be", "surrogatepass")


# ---- Scoring: BM25 as lunr's (k1 1.2, b 0.75, titles weigh 3), in WEIGHT_UNITs, computed alike in the page


def idf(df: int, n: int) -> float:
    """Return lunr's idf of a term held by df of n docs."""
    return math.log(1 + abs((n - df + 0.5) / (df + 0.5)))


def saturation(tf: int, length: float, average: float) -> float:
    """Return BM25's share of a field where a term stands tf times in length terms (average: the shelf's)."""
    if not tf:
        return 0.0
    return (K1 + 1) * tf / (K1 * (1 - B + B * length / average) + tf)


def weight(df: int, n: int, tf: tuple[int, int], lengths: tuple[int, int], averages: tuple[float, float]) -> int:
    """Return a term's weight in a doc from its tf and length in the title and the body (at least 1)."""
    share = TITLE_BOOST * saturation(tf[0], lengths[0], averages[0]) + saturation(tf[1], lengths[1], averages[1])
    return max(1, math.floor(idf(df, n) * share / WEIGHT_UNIT + 0.5))


def estimated_weight(df: int, n: int, tf: tuple[int, int]) -> int:
    """Return the weight a doc of average lengths would have: what postings alone tell, before reading the doc."""
    return weight(df, n, tf, (1, 1), (1.0, 1.0))


# ---- Numbers as text: base-32 digits, all but a number's last written with DIGITS[32:]


def _encode_number(value: int) -> str:
    """One non-negative integer in DIGITS."""
    if value < 0:
        raise ValueError(f"cannot encode negative number {value}")
    digits = [DIGITS[value & 31]]
    value >>= 5
    while value:
        digits.append(DIGITS[32 + (value & 31)])
        value >>= 5
    return "".join(reversed(digits))


_SMALL_NUMBERS = [_encode_number(v) for v in range(1024)]


def encode_numbers(values: Iterable[int]) -> str:
    """Return non-negative integers as one string of DIGITS."""
    values = list(values)
    if values and 0 <= min(values) and max(values) < 1024:
        return "".join(map(_SMALL_NUMBERS.__getitem__, values))
    return "".join(_encode_number(v) for v in values)


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


def encode_postings(postings: Sequence[Posting], before: int = -1) -> list[str]:
    """Return [keys, tfs] of postings in (article, doc) order; the first article counts from article `before`.

    keys: per posting, 2 * (docs skipped since the one before) when in the same article, else 2 * (articles on
    from the one before) - 1 and then its doc number. tfs: 2 * tf in the body when the title lacks the term, else
    2 * tf in the title - 1 and then tf in the body."""
    keys: list[int] = []
    tfs: list[int] = []
    article, doc = before, -1
    for a, d, in_title, in_body in postings:
        if a == article:
            keys.append(2 * (d - doc - 1))
        else:
            keys += (2 * (a - article) - 1, d)
        article, doc = a, d
        if in_title:
            tfs += (2 * in_title - 1, in_body)
        else:
            tfs.append(2 * in_body)
    return [encode_numbers(keys), encode_numbers(tfs)]


def decode_postings(keys: str, tfs: str, before: int = -1) -> list[Posting]:
    """Return the postings encode_postings wrote."""
    k, f = iter(decode_numbers(keys)), iter(decode_numbers(tfs))
    found: list[Posting] = []
    article, doc = before, -1
    for x in k:
        if x % 2:
            article, doc = article + (x + 1) // 2, next(k)
        else:
            doc += x // 2 + 1
        y = next(f)
        found.append((article, doc, *(((y + 1) // 2, next(f)) if y % 2 else (0, y // 2))))
    return found


# ---- Parts: each a script named by its kind and content


def name_number(value: int, width: int = 0) -> str:
    """Return a non-negative integer in NAME_DIGITS (at least width of them)."""
    digits = ""
    while value or not digits:
        digits = NAME_DIGITS[value & 31] + digits
        value >>= 5
    return digits.rjust(width, "0")


def part_check(text: str) -> str:
    """Return the checksum of a part's JSON text, as shelfparts.js computes it: the CRC-32 of its UTF-16LE units
    (7 digits) and the low 15 bits of their Adler-32 (3 digits)."""
    data = text.encode("utf-16-le", "surrogatepass")
    return name_number(zlib.crc32(data), 7) + name_number(zlib.adler32(data) & 0x7FFF, 3)


def part_json(payload: object) -> str:
    """Return a part's payload as the compact JSON the parts hold."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def part_script(name: str, text: str, check: str = "") -> bytes:
    """Return a part's file: a script handing its name and JSON (and checksum, if its name is no checksum) over."""
    quoted = text.replace("\\", "\\\\").replace("'", "\\'")  # JSON already escapes control characters
    tail = f",'{check}'" if check else ""
    return f"ReaderShelfParts.part('{name}','{quoted}'{tail});\n".encode()


def part_text(script: bytes) -> str:
    """Return the JSON text a part's file holds (part_script undone); ValueError if it is no part."""
    found = PART_SCRIPT.match(script.decode("utf-8"))
    if not found:
        raise ValueError("not a shelf index part")
    # JSON text holds no NUL (it writes \u0000), so NUL can stand for an escaped backslash meanwhile.
    return found[2].replace("\\\\", "\0").replace("\\'", "'").replace("\0", "\\")


def cuts_after(key: str, size: int, filled: int, target: int) -> bool:
    """Return whether a run of parts ends after key (size: its share, filled: the run's size with it).

    Content-defined, as backup tools cut files: past half the target, a key ends the run if its hash says so
    (about one character in target / 2 does), and a run never passes twice the target. A change moves only
    the cuts near it: the run it falls in, and the next ones until a cut falls where it fell before."""
    if filled >= 2 * target:
        return True
    return filled >= target // 2 and zlib.crc32(key.encode("utf-8")) * (target // 2) < size << 32


def separators(runs: Sequence[Run]) -> str:
    """Return, for each run after the first, the shortest start of its first key that sorts after the run before
    it ends, one per line: a key belongs to the last run whose separator is not after it."""
    keys = []
    for before, run in zip(runs, runs[1:], strict=False):
        last = utf16_key(before.last)
        keys.append(next(run.first[:k] for k in range(1, len(run.first) + 1) if utf16_key(run.first[:k]) > last))
    return "\n".join(keys)


def fragment_docs(docs: Sequence[DocText]) -> int:
    """Return how many docs of an article a fragment holds: about FRAGMENT_CHARS of text, at most 64 docs."""
    chars = sum(len(title) + len(text) for _, title, text in docs)
    return max(1, min(64, math.floor(FRAGMENT_CHARS * len(docs) / max(1, chars) + 0.5)))


def article_key(article: ArticleDocs, per_fragment: int) -> str:
    """Return 8 name digits (40 bits) of a hash of all an article's fragments hold: their names change with it."""
    fields = [article.address, article.title, *(field for doc in article.docs for field in doc)]
    digest = hashlib.blake2b(repr((FORMAT, per_fragment, [len(f) for f in fields])).encode(), digest_size=5)
    digest.update("\0".join(fields).encode("utf-8", "surrogatepass"))  # with the lengths above, unambiguous
    return name_number(int.from_bytes(digest.digest(), "big"), 8)


def article_keys(article: ArticleDocs) -> tuple[int, str]:
    """Return an article's docs per fragment and its key."""
    per_fragment = fragment_docs(article.docs)
    return per_fragment, article_key(article, per_fragment)


def changed_slots(old: Sequence[DocText], new: Sequence[DocText]) -> list[int]:
    """Return the doc numbers whose terms may differ between an article's old and new docs (title or text)."""
    both = min(len(old), len(new))
    return [d for d in range(both) if old[d][1:] != new[d][1:]] + list(range(both, max(len(old), len(new))))


def chunk_width(postings: Sequence[Posting]) -> int:
    """Return how many articles a chunk of a common term's postings spans: the largest power of two whose
    chunks (article ranges from 0) each hold at most CHUNK_SPAN * CHUNK_POSTINGS postings, or 1."""
    per_article = Counter(a for a, *_ in postings)
    width = 1
    while widths_fit(per_article, 2 * width):
        width *= 2
    return width


def widths_fit(counts: dict[int, int], width: int) -> bool:
    """Return whether, counted in ranges of width articles (counts: by article, or by ranges of 1 / width of
    that), the postings stand in two ranges or more, each holding at most CHUNK_SPAN * CHUNK_POSTINGS."""
    ranges: Counter[int] = Counter()
    for article, count in counts.items():
        ranges[article // width] += count
    return len(ranges) > 1 and max(ranges.values()) <= CHUNK_SPAN * CHUNK_POSTINGS


class Update:
    """One update of the index: the state before (never changed) and the files and records made now."""

    def __init__(self, previous: ShelfIndexState, terms_of: Callable[[str], list[str]]) -> None:
        self.previous, self.terms_of = previous, terms_of
        self.files = dict(previous.files)
        self.records: list[ArticleRecord] = []
        self.removed: defaultdict[str, set[tuple[int, int]]] = defaultdict(set)  # (article, doc) no longer there
        self.added: defaultdict[str, list[Posting]] = defaultdict(list)  # new postings, in (article, doc) order
        self.entries: dict[str, str | None] = {}  # term -> its new entry's JSON (None: in no doc now)
        self.vocabulary: dict[str, bool] = {}  # term -> now in the index (True) or no longer (False)
        self.runs: dict[str, tuple[Run, ...]] = dict(previous.runs)
        self.parsed: dict[str, dict[str, object]] = {}  # term part name -> its terms' entries

    # -- articles: fragments, and the postings of the docs that changed

    def articles(self, articles: Sequence[ArticleDocs]) -> None:
        """Compare each article with the one at its place before; write the fragments of those that changed (all
        old ones removed first: an article may have moved) and note their postings' changes."""
        before = self.previous.articles
        keys = [article_keys(article) for article in articles]
        changed = [n for n in range(max(len(articles), len(before)))
                   if n >= len(articles) or n >= len(before) or before[n].key != keys[n][1]]
        old_docs = {n: self.forget_fragments(before[n]) for n in changed if n < len(before)}
        for n, article in enumerate(articles):
            old = before[n] if n < len(before) else None
            self.records.append(self.article(n, article, *keys[n], old, old_docs.get(n, ())) if n in old_docs or not old
                                else old)
        for n in range(len(articles), len(before)):
            self.diff(n, old_docs[n], (), [0, 0])

    def article(self, number: int, article: ArticleDocs, per_fragment: int, key: str, old: ArticleRecord | None,
                old_docs: Sequence[DocText]) -> ArticleRecord:
        """Return a changed article's record, writing its fragments and noting its postings' changes."""
        self.write_fragments(article, key, per_fragment)
        lengths = list(old.lengths) if old else [0, 0]
        self.diff(number, old_docs, article.docs, lengths)
        return ArticleRecord(article.address, key, per_fragment, len(article.docs), (lengths[0], lengths[1]))

    def diff(self, number: int, old: Sequence[DocText], new: Sequence[DocText], lengths: list[int]) -> None:
        """Note the postings the article at a place loses and gains, doc by doc (a term whose tf in a doc stays
        as it was is left alone); keep the article's lengths up to date."""
        for doc in changed_slots(old, new):
            before = self.doc_tfs(old[doc], lengths, -1) if doc < len(old) else {}
            after = self.doc_tfs(new[doc], lengths, 1) if doc < len(new) else {}
            if not before:  # a new doc (every doc of a new index)
                for term, (in_title, in_body) in after.items():
                    self.added[term].append((number, doc, in_title, in_body))
                continue
            for term in before.keys() | after.keys():
                if before.get(term) != after.get(term):
                    if term in before:
                        self.removed[term].add((number, doc))
                    if term in after:
                        self.added[term].append((number, doc, *after[term]))

    def doc_tfs(self, doc: DocText, lengths: list[int], sign: int) -> dict[str, tuple[int, int]]:
        """Return term -> (tf in title, tf in body) of a doc; add (sign 1) or take (-1) its lengths to the article's."""
        title, body = Counter(self.terms_of(doc[1])), Counter(self.terms_of(doc[2]))
        lengths[0] += sign * title.total()
        lengths[1] += sign * body.total()
        return {term: (title[term], body[term]) for term in title.keys() | body.keys()}

    def write_fragments(self, article: ArticleDocs, key: str, per_fragment: int) -> None:
        """Write an article's fragments: f, its key, the fragment's number; each holds the article's address and
        title and per_fragment of its docs, and says its checksum."""
        for n, start in enumerate(range(0, len(article.docs), per_fragment)):
            rows = [list(doc) for doc in article.docs[start : start + per_fragment]]
            text = part_json({"a": [article.address, article.title], "d": rows})
            self.files[f"f{key}{name_number(n)}.js"] = part_script(f"f{key}{name_number(n)}", text, part_check(text))

    def forget_fragments(self, old: ArticleRecord) -> list[DocText]:
        """Remove an old article's fragments; return its docs as they held them."""
        docs: list[DocText] = []
        for n in range(-(-old.docs // old.per_fragment)):
            text = part_text(self.files.pop(f"f{old.key}{name_number(n)}.js"))
            docs += [(ref, title, body) for ref, title, body in json.loads(text)["d"]]
        return docs

    # -- terms: the entries of the terms whose postings changed, and their chunks

    def terms(self) -> None:
        """Make the entry of every term a changed doc holds or held."""
        for term in self.removed.keys() | self.added.keys():
            old = self.old_entry(term)
            entry = self.entry(term, old, self.removed.get(term, set()), self.added.get(term, []))
            self.entries[term] = None if entry is None else entry_json(entry)
            if (old is None) != (entry is None):
                self.vocabulary[term] = entry is not None

    def old_entry(self, term: str) -> list | None:
        """Return a term's entry in the index before (None if it had none)."""
        runs = self.previous.runs["t"]
        if not runs:
            return None
        run = runs[max(0, bisect.bisect_right(runs, utf16_key(term), key=lambda r: utf16_key(r.first)) - 1)]
        if run.name not in self.parsed:
            data = json.loads(part_text(self.previous.files[f"{run.name}.js"]))
            self.parsed[run.name] = dict(zip(data["t"].split("\n"), data["e"], strict=True))
        found = self.parsed[run.name].get(term)
        return found if isinstance(found, list) else None

    def entry(self, term: str, old: list | None, removed: set[tuple[int, int]], added: list[Posting]) -> list | None:
        """Return a term's new entry: [df, keys, tfs], or for a common term [df, chunk width, chunk numbers,
        postings per chunk, chunk names]; None if no doc holds it now."""
        if old is not None and len(old) == 5:
            kept = self.chunks_changed(term, old, removed, added)
            if kept is not None:
                return kept
            postings = [p for name in old[4].split(" ") for p in self.forget_chunk(name, term, old[1])]
        else:
            postings = decode_postings(old[1], old[2]) if old else []
        postings = sorted([p for p in postings if (p[0], p[1]) not in removed] + added)
        if not postings:
            return None
        if len(postings) <= CHUNK_POSTINGS:
            return [len(postings), *encode_postings(postings)]
        return self.chunked_entry(term, postings, chunk_width(postings))

    def chunked_entry(self, term: str, postings: list[Posting], width: int) -> list:
        """Write a common term's chunks (its postings by ranges of width articles); return its entry."""
        cells: defaultdict[int, list[Posting]] = defaultdict(list)
        for p in postings:
            cells[p[0] // width].append(p)
        names = [self.write_chunk(term, cell, width, found) for cell, found in cells.items()]
        gaps = [cell - before - 1 for cell, before in zip(cells, [-1, *cells], strict=False)]
        return [len(postings), width, encode_numbers(gaps), encode_numbers(map(len, cells.values())), " ".join(names)]

    def chunks_changed(self, term: str, old: list, removed: set[tuple[int, int]], added: list[Posting]) -> list | None:
        """Return a common term's entry with only the chunks a change falls in written again, or None when the
        change needs all of them (the term is no longer common, or its chunks' width changes)."""
        width, cells = old[1], [*decode_numbers(old[2])]
        cells = [sum(cells[: i + 1]) + i for i in range(len(cells))]  # gaps back to chunk numbers
        chunks = dict(zip(cells, zip(decode_numbers(old[3]), old[4].split(" "), strict=True), strict=True))
        touched = {a // width for a, _ in removed} | {p[0] // width for p in added}
        fresh: dict[int, list[Posting]] = {}
        for cell in touched:
            found = self.read_chunk(chunks[cell][1], width) if cell in chunks else []
            fresh[cell] = sorted([p for p in found if (p[0], p[1]) not in removed]
                                 + [p for p in added if p[0] // width == cell])
        counts = {cell: count for cell, (count, _) in chunks.items()} | {cell: len(p) for cell, p in fresh.items()}
        counts = {cell: count for cell, count in counts.items() if count}
        fits = width == 1 or len(counts) > 1 and max(counts.values()) <= CHUNK_SPAN * CHUNK_POSTINGS
        if sum(counts.values()) <= CHUNK_POSTINGS or not fits or widths_fit(counts, 2):
            return None
        for cell, found in sorted(fresh.items()):
            if cell in chunks:
                del self.files[f"{chunks[cell][1]}.js"]
            chunks[cell] = (len(found), self.write_chunk(term, cell, width, found) if found else "")
        kept = sorted((cell, chunk) for cell, chunk in chunks.items() if chunk[0])
        gaps = [cell - before - 1 for (cell, _), before in zip(kept, [-1, *(c for c, _ in kept)], strict=False)]
        return [sum(counts.values()), width, encode_numbers(gaps), encode_numbers(c for _, (c, _) in kept),
                " ".join(name for _, (_, name) in kept)]

    def write_chunk(self, term: str, cell: int, width: int, postings: list[Posting]) -> str:
        """Write the chunk of a term's postings in articles cell * width on (width of them); return its name."""
        return self.add_part("c", {"t": term, "c": cell, "g": encode_postings(postings, cell * width - 1)})

    def read_chunk(self, name: str, width: int) -> list[Posting]:
        """Return the postings a chunk of the index before holds."""
        data = json.loads(part_text(self.previous.files[f"{name}.js"]))
        return decode_postings(data["g"][0], data["g"][1], data["c"] * width - 1)

    def forget_chunk(self, name: str, term: str, width: int) -> list[Posting]:
        """Remove a chunk of the index before; return its postings."""
        found = self.read_chunk(name, width)
        self.files.pop(f"{name}.js", None)
        return found

    def add_part(self, kind: str, payload: object) -> str:
        """Write a part named by its kind and checksum; return its name."""
        text = part_json(payload)
        name = kind + part_check(text)
        script = part_script(name, text)
        if self.files.setdefault(f"{name}.js", script) != script:
            raise ValueError(f"two different shelf index parts are both named {name}; change a part size to part them")
        return name

    # -- runs: term parts, vocabulary shards, suffix shards, cut where their keys say

    def cut_runs(self, kind: str) -> None:
        """Write again the runs of one kind that hold a changed key, and those after them until a cut falls
        where it fell before; keep the others."""
        dirty = self.dirty(kind)
        keys = sorted(dirty, key=utf16_key)
        old = self.previous.runs[kind]
        firsts = [utf16_key(run.first) for run in old]
        made: list[Run] = []
        at = done = 0  # the next changed key; the old runs taken so far
        while at < len(keys):
            start = max(done, bisect.bisect_right(firsts, utf16_key(keys[at])) - 1)
            made += old[done:start]
            runs = RunWriter(self, kind)
            for done in range(start, max(start + 1, len(old))):
                end = firsts[done + 1] if done + 1 < len(old) else None
                mine = at
                while at < len(keys) and (end is None or utf16_key(keys[at]) < end):
                    at += 1
                runs.feed(merged(self.old_items(kind, old[done]) if done < len(old) else [], keys[mine:at], dirty))
                if runs.empty():
                    break
            made += runs.close()
            done += 1
        self.runs[kind] = tuple(made + list(old[done:]))

    def dirty(self, kind: str) -> dict[str, str | None]:
        """Return the changed keys of one kind of run: term -> entry JSON (None: gone), or for the vocabulary
        shards key -> "" (None: gone); suffix keys are terms written backwards."""
        if kind == "t":
            return self.entries
        return {(term[::-1] if kind == "s" else term): "" if there else None for term, there in self.vocabulary.items()}

    def old_items(self, kind: str, run: Run) -> list[tuple[str, str]]:
        """Return the (key, entry JSON or "") of a run of the index before, removing its part."""
        text = part_text(self.files.pop(f"{run.name}.js"))
        if kind != "t":
            return [(key, "") for key in json.loads(text)["t"].split("\n")]
        # {"t":"term\nterm","e":[[...],[...]]}: entries hold numbers and strings of digits and spaces only, so
        # they split at "],[" (and the terms' string, whose quotes are escaped, ends at the first ',"e":[').
        middle = text.index(',"e":[')
        terms = json.loads(text[5:middle]).split("\n")
        entries = text[middle + 7 : -3].split("],[")
        return [(term, f"[{entry}]") for term, entry in zip(terms, entries, strict=True)]

    # -- the manifest

    def finish(self) -> tuple[ShelfIndex, ShelfIndexState]:
        """Write the manifest; return the index and the state for the next update."""
        self.files.pop(f"{self.previous.manifest}.js", None)
        records = self.records
        manifest = {
            "format": FORMAT,
            "docs": sum(r.docs for r in records),
            "lengths": [sum(r.lengths[0] for r in records), sum(r.lengths[1] for r in records)],
            "stemmer": self.previous.stemmer,
            "articles": encode_numbers(r.docs for r in records),
            "perFragment": encode_numbers(r.per_fragment for r in records),
            "articleKeys": "".join(r.key for r in records),
        }
        for kind, label in RUN_KINDS.items():
            manifest[f"{label}Keys"] = separators(self.runs[kind])
            manifest[f"{label}Names"] = " ".join(run.name for run in self.runs[kind])
        name = self.add_part("m", manifest)
        state = ShelfIndexState(settings(), self.previous.terms_key, self.previous.stemmer, tuple(records),
                                self.files, self.runs, name)
        return ShelfIndex(dict(self.files), f"{name}.js"), state


def entry_json(entry: list) -> str:
    """Return a term's entry as part_json would: numbers, and strings of number or name digits and spaces only."""
    return "[" + ",".join(str(x) if isinstance(x, int) else f'"{x}"' for x in entry) + "]"


def merged(items: list[tuple[str, str]], keys: list[str], dirty: dict[str, str | None]) -> list[tuple[str, str]]:
    """Return a run's sorted (key, item) with the changed keys (sorted) put in, replaced or taken out."""
    mine = set(keys)
    kept = [(key, item) for key, item in items if key not in mine]
    if not kept:  # a new index: keys are its run, in order
        return [(key, item) for key in keys if (item := dirty[key]) is not None]
    for key in keys:
        item = dirty[key]
        if item is not None:
            kept.insert(bisect.bisect(kept, utf16_key(key), key=lambda pair: utf16_key(pair[0])), (key, item))
    return kept


class RunWriter:
    """Writes parts of one kind from keys fed in order, cutting runs where cuts_after says."""

    TARGETS = {"t": lambda: TERM_PART_CHARS, "v": lambda: VOCAB_SHARD_CHARS, "s": lambda: VOCAB_SHARD_CHARS}

    def __init__(self, update: Update, kind: str) -> None:
        self.update, self.kind, self.target = update, kind, RunWriter.TARGETS[kind]()
        self.items: list[tuple[str, str]] = []
        self.filled = 0
        self.made: list[Run] = []

    def feed(self, items: Iterable[tuple[str, str]]) -> None:
        """Take the next items, writing each run they end."""
        for key, item in items:
            size = len(key) + 1 + len(item) + (1 if item else 0)
            self.items.append((key, item))
            self.filled += size
            if cuts_after(key, size, self.filled, self.target):
                self.write()

    def empty(self) -> bool:
        """Whether the last item fed ended a run."""
        return not self.items

    def close(self) -> list[Run]:
        """Write what is left; return the runs written."""
        if self.items:
            self.write()
        return self.made

    def write(self) -> None:
        """Write the run of the items fed since the last cut."""
        keys = "\n".join(key for key, _ in self.items)
        if self.kind == "t":
            text = f'{{"t":{json.dumps(keys, ensure_ascii=False)},"e":[{",".join(i for _, i in self.items)}]}}'
            name = "t" + part_check(text)
            self.update.files[f"{name}.js"] = part_script(name, text)
        else:
            name = self.update.add_part(self.kind, {"t": keys})
        self.made.append(Run(self.items[0][0], self.items[-1][0], name))
        self.items, self.filled = [], 0
