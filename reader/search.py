"""The search index: lunr.py builds it, lunr.js 2.3.9 loads it in the browser."""

from __future__ import annotations

import collections
import functools
import json
import math
import re
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lunr.builder import Builder
from lunr.stemmer import stemmer as lunr_py_stemmer
from lunr.token import Token as LunrToken

from reader import textnorm
from reader.errors import listed
from reader.ui_text import locale_code

FIELD_BOOSTS = (("title", 3), ("body", 1))
COMPACT_FORMAT = 2
# One char per token codes the common (gap, extra length) pairs: gap 1-3, extra 0-7; space
# is (1, 0), the most common. Terms never hold these chars: they are letters, digits and '.'.
CODES = " !#$%&'()*+,-/:;<=>?@[]^"
CODE_GAPS = {code: divmod(i, 8) for i, code in enumerate(CODES)}  # code char -> (gap - 1, extra length)
INDEX_KEYS = {"version", "fields", "fieldVectors", "invertedIndex", "pipeline"}
CODED_TERM = re.compile(rf"(\{{(-?\d+),(-?\d+)\}}|[{re.escape(CODES)}])([^{re.escape(CODES)}{{|]+)")


@dataclass(frozen=True)
class SearchDoc:
    """One searchable unit: a paragraph (empty title) or a note."""

    ref: str
    title: str
    body: str


TokensOf = Callable[[str | None], list[LunrToken]]


def stemmer_for(lang: str) -> str:
    """The stemmer an article's words go through: "ar" (Arabic's light stemmer, lunr.js's for Latin words)
    for Arabic, "en" (lunr.js's) for any other language; the index names it and the page uses the same."""
    return "ar" if locale_code(lang) == "ar" else "en"


def build_search_index(docs: Sequence[SearchDoc], tokenizer: TokensOf | None = None, stemmer: str = "en") -> dict:
    """Return the lunr.py-serialized index of docs (title boost 3, body), with term positions.

    tokenizer: lunr_tokens with the stemmer unless given (bench/stages.py passes tokens made beforehand, to
    time lunr.py alone).
    """
    refs = [doc.ref for doc in docs]
    if not refs:
        raise ValueError("search needs at least one doc (lunr cannot average zero field lengths)")
    if len(set(refs)) != len(refs):
        counts = collections.Counter(refs)
        repeated = sorted(ref for ref, count in counts.items() if count > 1)
        raise ValueError("search docs must have unique refs; repeated: " + listed(repeated))
    builder = TokenizingBuilder(tokenizer or functools.partial(lunr_tokens, stem=STEMMERS[stemmer]))
    builder.ref("ref")
    for name, boost in FIELD_BOOSTS:
        builder.field(name, boost=boost)
    # The index pipeline stays empty: lunr_tokens already stems, the lunr.js way. No trimmer and
    # no stop-word filter: textnorm already strips punctuation, and "the US" must stay searchable.
    builder.search_pipeline.add(lunr_py_stemmer)  # serialized as "stemmer", lunr.js's own
    builder.metadata_whitelist = ["position"]
    for doc in docs:
        builder.add({"ref": doc.ref, "title": doc.title, "body": doc.body})
    return builder.build().serialize()


def serialize_index_script(index: dict, from_page: bool = False, stemmer: str = "en") -> str:
    """Return the JavaScript file the site ships: the index in compact form as a global, naming its
    stemmer unless it is lunr.js's own.

    from_page: the page that loads it holds every doc's text, so the tokens are left out and the
    browser reads them from the page (textnorm.js and lunr.js's stemmer make exactly the tokens the
    build indexed): the index's scores and refs ship, its text does not ship twice.
    """
    compact = compact_index(index)
    if from_page:
        del compact["text"]
        compact["fromPage"] = True
    if stemmer != "en":
        compact["stemmer"] = stemmer
    text = json.dumps(compact, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f"window.READER_SEARCH_INDEX = {text};\n"


def compact_index(index: dict) -> dict:
    """Return the compact transport form of a lunr.py index; raise ValueError unless it expands back exactly."""
    fields = index["fields"]
    refs = vector_refs(index)
    slots = slot_tokens(index)
    boosts = dict(FIELD_BOOSTS)
    compact = {
        "format": COMPACT_FORMAT,
        "version": index["version"],
        "pipeline": index["pipeline"],
        "fields": fields,
        "boosts": [boosts.get(field, 1) for field in fields],
        "k1": 1.2,
        "b": 0.75,
        "refs": refs,
        "fix": [],
        "text": "|".join(encode_tokens(tokens) for tokens in slots),
    }
    # What expand_compact_index (and ReaderQuery.expandIndex) would rebuild is checked part by part,
    # slot by slot, instead of as a second whole index: comparing two whole indexes walks the
    # postings term by term, all over memory, and took longer per paragraph the bigger the index.
    decoded = [decode_tokens(text) for text in compact["text"].split("|")] if refs else []
    numbering, counts = term_counts(compact, decoded)
    if decoded != slots or not postings_fit(index, numbering):
        raise ValueError("index does not fit the compact form (was it made by build_search_index?)")
    # Scores are recomputed on expansion; the few that might come out different ship as they are.
    raw_vectors = raw_field_vectors(compact, numbering, counts)
    compact["fix"] = score_fixes(index["fieldVectors"], raw_vectors)
    if rounded_vectors(compact, raw_vectors) != index["fieldVectors"]:
        raise ValueError("index scores do not fit the compact form (was it made by build_search_index?)")
    return compact


def vector_refs(index: dict) -> list[str]:
    """Return the refs in field vector order; raise ValueError unless the vectors are each ref's fields in turn."""
    fields, vectors = index["fields"], index["fieldVectors"]
    refs = [name.split("/", 1)[-1] for name, _ in vectors[:: len(fields)]]
    if set(index) != INDEX_KEYS or [name for name, _ in vectors] != [f"{f}/{r}" for r in refs for f in fields]:
        raise ValueError("index does not fit the compact form: not lunr.py's keys or field vector order")
    return refs


def slot_tokens(index: dict) -> list[list[tuple[int, int, str]]]:
    """Return each (doc, field)'s tokens as (start, length, term) in text order, read through its field vector."""
    # Slot by slot: a doc's postings were made together, so this walks memory in order. Each
    # posting met must be what expansion makes of these tokens, {"position": [[start, length], ...]}
    # in text order; postings_fit then checks that none was left unmet.
    by_index = {posting["_index"]: (term, posting) for term, posting in index["invertedIndex"]}
    slots = []
    for name, elements in index["fieldVectors"]:
        field, ref = name.split("/", 1)
        tokens, met = [], []
        for term_index in elements[::2]:
            term, posting = by_index[term_index]
            entry = posting[field][ref]
            positions = entry.get("position")
            if len(entry) != 1 or type(positions) is not list or not positions or positions != sorted(positions):
                raise ValueError(f"index does not fit the compact form: posting of {term!r} in {name}")
            met += positions
            tokens += [(start, term_index, length, term) for start, length in positions]
        if set(map(type, met)) - {list} or set(map(len, met)) - {2}:
            raise ValueError(f"index does not fit the compact form: a position in {name} is not [start, length]")
        # Tokens sharing a start (one char folding to two words) keep term-index order, as indexed.
        tokens.sort()
        slots.append([(start, length, term) for start, _, length, term in tokens])
    return slots


def term_counts(compact: dict, decoded: list) -> tuple[dict[str, list[int]], list[dict[str, int]]]:
    """Return term -> [index in first-seen order, slots holding it in each field] and each slot's term counts."""
    n = len(compact["fields"])
    numbering: dict[str, list[int]] = {}
    counts = []
    for slot, tokens in enumerate(decoded):
        tf: dict[str, int] = {}
        for _, _, term in tokens:
            tf[term] = tf.get(term, 0) + 1
        for term in tf:
            if term not in numbering:  # lunr numbers terms in the order it first meets them
                numbering[term] = [len(numbering)] + [0] * n
            numbering[term][1 + slot % n] += 1
        counts.append(tf)
    return numbering, counts


def postings_fit(index: dict, numbering: dict[str, list[int]]) -> bool:
    """Return whether the inverted index has exactly the terms, numbers and posting counts expansion makes."""
    fields, inverted = index["fields"], index["invertedIndex"]
    keys = {*fields, "_index"}
    terms = [term for term, _ in inverted]
    # Sorted without repeats, as expansion lists them; each posting as many entries per field as
    # slots hold the term (slot_tokens met one per slot, so there are no others).
    return (
        len(terms) == len(numbering)
        and all(a < b for a, b in zip(terms, terms[1:], strict=False))
        and all(
            posting.keys() == keys and numbering.get(term) == [posting["_index"], *map(len, map(posting.get, fields))]
            for term, posting in inverted
        )
    )


def encode_tokens(tokens: list[tuple[int, int, str]]) -> str:
    """Return tokens as one string: each term preceded by a code for its gap and extra length."""
    out, end = [], -1
    for start, length, term in tokens:
        gap, extra = start - end, length - len(term)
        coded = 1 <= gap <= 3 and 0 <= extra <= 7
        out.append((CODES[(gap - 1) * 8 + extra] if coded else f"{{{gap},{extra}}}") + term)
        end = start + length
    return "".join(out)


def decode_tokens(text: str) -> list[tuple[int, int, str]]:
    """Return the (start, length, term) tokens encode_tokens wrote into text."""
    tokens, end = [], -1
    for code, gap, extra, term in CODED_TERM.findall(text):
        gap, extra = (int(gap) - 1, int(extra)) if gap else CODE_GAPS[code]
        start = end + gap + 1
        end = start + len(term) + extra
        tokens.append((start, end - start, term))
    return tokens


def expand_compact_index(compact: dict) -> dict:
    """Return the lunr.py-serialized index a compact form stands for (ReaderQuery.expandIndex in JS)."""
    decoded = [decode_tokens(text) for text in compact["text"].split("|")] if compact["refs"] else []
    numbering, counts = term_counts(compact, decoded)
    return {
        "version": compact["version"],
        "fields": compact["fields"],
        "fieldVectors": rounded_vectors(compact, raw_field_vectors(compact, numbering, counts)),
        "invertedIndex": expand_postings(compact, decoded),
        "pipeline": compact["pipeline"],
    }


def rounded_vectors(compact: dict, raw_vectors: list) -> list:
    """Return the field vectors as lunr.py serializes them: scores to 3 places, with the shipped fixes."""
    vectors = [[name, [round(x, 3) if i % 2 else x for i, x in enumerate(elements)]] for name, elements in raw_vectors]
    fixes = compact["fix"]
    for slot, number, score in zip(fixes[::3], fixes[1::3], fixes[2::3], strict=False):
        vectors[slot][1][number * 2 + 1] = score
    return vectors


def expand_postings(compact: dict, decoded: list) -> list:
    """Return lunr's inverted index from the slots: [term, {field: {ref: {"position": [...]}}, "_index": n}] by term."""
    fields, refs = compact["fields"], compact["refs"]
    postings: dict[str, dict] = {}
    for slot, tokens in enumerate(decoded):
        field, ref = fields[slot % len(fields)], refs[slot // len(fields)]
        for start, length, term in tokens:
            if term not in postings:
                postings[term] = {**{f: {} for f in fields}, "_index": len(postings)}
            by_ref = postings[term][field]
            if ref not in by_ref:
                by_ref[ref] = {"position": []}
            by_ref[ref]["position"].append([start, length])
    return [[term, postings[term]] for term in sorted(postings)]


def raw_field_vectors(compact: dict, numbering: dict[str, list[int]], counts: list[dict[str, int]]) -> list:
    """Return each (doc, field)'s ["field/ref", [term index, unrounded score, ...]] as lunr.py's Builder scores it."""
    fields, refs, k1, b = compact["fields"], compact["refs"], compact["k1"], compact["b"]
    n = len(fields)
    averages = [sum(sum(tf.values()) for tf in counts[f::n]) / len(refs) for f in range(n)] if refs else []
    # lunr's idf counts the docs holding a term once per field holding it.
    idfs = {term: idf(sum(held), len(refs)) for term, (_, *held) in numbering.items()}
    vectors = []
    for slot, tf in enumerate(counts):
        f, length, elements = slot % n, sum(tf.values()), []
        for term in sorted(tf, key=lambda t: numbering[t][0]):
            # The same operations in the same order as lunr.py, so JavaScript gets the same doubles.
            score = idfs[term] * ((k1 + 1) * tf[term]) / (k1 * (1 - b + b * (length / averages[f])) + tf[term])
            elements += [numbering[term][0], score * compact["boosts"][f]]
        vectors.append([f"{fields[f]}/{refs[slot // n]}", elements])
    return vectors


def idf(documents_with_term: int, document_count: int) -> float:
    """Return lunr's inverse document frequency, as lunr.idf.idf computes it from a posting."""
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def score_fixes(wanted: list, raw: list) -> list:
    """Return [slot, number of the term in the slot's vector, score] for each score JavaScript
    might not round back to wanted."""
    fixes = []
    for slot, ((_, want), (_, got)) in enumerate(zip(wanted, raw, strict=False)):
        for i in range(0, min(len(want), len(got)) - 1, 2):
            if want[i] == got[i] and (round(got[i + 1], 3) != want[i + 1] or near_tie(got[i + 1])):
                fixes += [slot, i // 2, want[i + 1]]
    return fixes


def near_tie(score: float) -> bool:
    """Return whether score is so close to halfway between thousandths that rounding could flip."""
    # A browser's Math.log may differ from C's in the last bit, and toFixed rounds exact ties
    # up where Python rounds them to even; neither matters this far from a tie.
    return abs(math.fmod(score * 1000, 1) - 0.5) < 1e-6


def lunr_tokens(text: str | None, stem: Callable[[str], str] | None = None) -> list[LunrToken]:
    """Return textnorm's tokens of text, stemmed (lunr.js's way unless told), as lunr Tokens with position
    [start, length] in code points."""
    stem = stem or lunr_js_stem
    return [LunrToken(stem(t.term), {"position": [t.start, t.end - t.start]}) for t in textnorm.tokenize(text or "")]


class TokenizingBuilder(Builder):
    """A lunr.py Builder that splits text with its own tokenizer, as lunr.js's Builder can."""

    def __init__(self, tokenizer):
        super().__init__()
        self.tokenizer = tokenizer

    def add(self, doc, attributes=None):
        """Add doc exactly as lunr.py's Builder.add does, but tokenized by self.tokenizer."""
        # lunr.py 0.8 calls its module-level Tokenizer by name; rather than copy the method,
        # run its own code with that one name bound to our tokenizer.
        code = Builder.add.__code__
        if "Tokenizer" not in code.co_names:
            raise RuntimeError("lunr.py's Builder.add no longer calls Tokenizer; update TokenizingBuilder")
        scope = {**Builder.add.__globals__, "Tokenizer": self.tokenizer}
        return types.FunctionType(code, scope)(self, doc, attributes)

    def _create_token_set(self):
        """Skip it: the token set serves queries in Python, is not serialized, and lunr.js rebuilds it."""
        self.token_set = None


# lunr.py's Porter stemmer disagrees with lunr.js's on about 1 word in 80 (lunr.py: say -> sai,
# key -> kei, always -> alwai; lunr.js keeps them). Queries are stemmed by lunr.js in the
# browser, so the index is stemmed the lunr.js way: this is a port of lunr.js 2.3.9's stemmer.
_C = "[^aeiou][^aeiouy]*"  # consonant sequence
_V = "[aeiouy][aeiou]*"  # vowel sequence
_MGR0 = re.compile(f"^({_C})?{_V}{_C}")
_MEQ1 = re.compile(f"^({_C})?{_V}{_C}({_V})?$")
_MGR1 = re.compile(f"^({_C})?{_V}{_C}{_V}{_C}")
_S_V = re.compile(f"^({_C})?[aeiouy]")
_CVC = re.compile(f"^{_C}[aeiouy][^aeiouwxy]$")
_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
_RE_2 = re.compile("^(.+?)(" + "|".join(_STEP2) + ")$")
_RE_3 = re.compile("^(.+?)(" + "|".join(_STEP3) + ")$")
_RE_4 = re.compile("^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
_STEP1A_SSES = re.compile(r"^(.+?)(ss|i)es$")
_STEP1A_S = re.compile(r"^(.+?)([^s])s$")
_STEP1B_EED = re.compile(r"^(.+?)eed$")
_STEP1B_ED = re.compile(r"^(.+?)(ed|ing)$")
_AT_BL_IZ = re.compile(r"(at|bl|iz)$")
_DOUBLE_CONSONANT = re.compile(r"([^aeiouylsz])\1$")
_STEP1C = re.compile(r"^(.+?[^aeiou])y$")
_STEP4_ION = re.compile(r"^(.+?)(s|t)(ion)$")
_STEP5 = re.compile(r"^(.+?)e$")


@functools.lru_cache(maxsize=65536)
def lunr_js_stem(word: str) -> str:
    """Return word stemmed exactly as lunr.js 2.3.9's lunr.stemmer stems it (cached: words repeat)."""
    if any(ord(c) > 0xFFFF for c in word):
        # lunr.js sees UTF-16 units; stem the surrogate-pair spelling, then join pairs again.
        units = word.encode("utf-16-le", "surrogatepass")
        split = "".join(chr(int.from_bytes(units[i : i + 2], "little")) for i in range(0, len(units), 2))
        return _porter_js(split).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return _porter_js(word)


def arabic_or_lunr_js_stem(word: str) -> str:
    """Return an Arabic word through Arabic's light stemmer, any other through lunr.js's."""
    return textnorm.arabic_stem(word) if textnorm.ARABIC_LETTERS.match(word) else lunr_js_stem(word)


STEMMERS: dict[str, Callable[[str], str]] = {"en": lunr_js_stem, "ar": arabic_or_lunr_js_stem}


def _porter_js(w: str) -> str:
    """Return w through lunr.js's regex Porter steps, one for one."""
    if len(w) < 3:
        return w
    first = w[0]
    if first == "y":
        w = "Y" + w[1:]
    if m := _STEP1A_SSES.match(w) or _STEP1A_S.match(w):  # step 1a
        w = m[1] + m[2]
    if m := _STEP1B_EED.match(w):  # step 1b
        if _MGR0.search(m[1]):
            w = w[:-1]
    elif (m := _STEP1B_ED.match(w)) and _S_V.search(m[1]):
        w = m[1]
        if _AT_BL_IZ.search(w):
            w += "e"
        elif _DOUBLE_CONSONANT.search(w):
            w = w[:-1]
        elif _CVC.search(w):
            w += "e"
    if m := _STEP1C.match(w):  # step 1c
        w = m[1] + "i"
    if (m := _RE_2.match(w)) and _MGR0.search(m[1]):
        w = m[1] + _STEP2[m[2]]
    if (m := _RE_3.match(w)) and _MGR0.search(m[1]):
        w = m[1] + _STEP3[m[2]]
    if m := _RE_4.match(w):
        if _MGR1.search(m[1]):
            w = m[1]
    elif (m := _STEP4_ION.match(w)) and _MGR1.search(m[1] + m[2]):
        w = m[1] + m[2]
    if m := _STEP5.match(w):  # step 5
        if _MGR1.search(m[1]) or (_MEQ1.search(m[1]) and not _CVC.search(m[1])):
            w = m[1]
    if w.endswith("ll") and _MGR1.search(w):
        w = w[:-1]
    return "y" + w[1:] if first == "y" else w
