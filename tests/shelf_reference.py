"""A straightforward shelf search over the docs themselves, for tests to hold the engine to.

It reads no index part: it tokenizes every doc, scans every doc for every pass and checks every
candidate's text, following docs/shelf-search.md step by step. The engine (static/js/shelfsearch.js
reading the parts reader/shelfindex.py writes) must give the same answers.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from reader.search import STEMMERS
from reader.shelfindex import SHELF_STEMMER, ShelfDoc, estimated_weight, utf16_key, weight
from reader.textnorm import tokenize

TIERS = ["exact", "prefix", "typo", "partial"]
QUOTES = '"\u201c\u201d\u201e'
MAX_WORDS, PREFIX_TERMS, BLOCK, EXTRA_BLOCKS, PAGE = 64, 64, 32, 3, 20
LETTERS = "abcdefghijklmnopqrstuvwxyz"
stem = STEMMERS[SHELF_STEMMER]  # as the index and the engine (the manifest names it) stem


@dataclass(frozen=True)
class Tok:
    """A token of a doc's field: folded term, stem, UTF-16 span."""

    term: str
    stem: str
    start: int
    end: int


def utf16_len(text: str) -> int:
    """The length of text in UTF-16 units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def tokens(text: str) -> list[Tok]:
    """text's tokens with stems and spans in UTF-16 units, as the engine reads them."""
    return [Tok(t.term, stem(t.term), utf16_len(text[: t.start]), utf16_len(text[: t.end])) for t in tokenize(text)]


class Reference:
    """The shelf, tokenized and weighed: answers queries as the engine must."""

    def __init__(self, docs: list[ShelfDoc]) -> None:
        self.docs = docs
        self.fields = [{"title": tokens(d.title), "body": tokens(d.text)} for d in docs]
        counts = [tuple(Counter(t.stem for t in f[field]) for field in ("title", "body")) for f in self.fields]
        self.df = Counter(term for title, body in counts for term in title.keys() | body.keys())
        self.n = len(docs)
        self.averages = tuple(sum(len(f[field]) for f in self.fields) / max(1, self.n) for field in ("title", "body"))
        # What postings say: each term's docs and its weight in each as in a doc of average lengths.
        self.weights: dict[str, dict[int, int]] = {term: {} for term in self.df}
        for d, (title, body) in enumerate(counts):
            for term in title.keys() | body.keys():
                self.weights[term][d] = estimated_weight(self.df[term], self.n, (title[term], body[term]))
        self.vocabulary = sorted(self.weights, key=utf16_key)
        self.articles = list(dict.fromkeys(d.article for d in docs))

    def parse(self, text: str) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
        """The query's words (term, stem) and quoted phrases."""
        words: list[tuple[str, str]] = []
        phrases = []
        parts = split_quotes(text)
        for i, part in enumerate(parts):
            first = len(words)
            for t in tokenize(part):
                if len(words) < MAX_WORDS:
                    words.append((t.term, stem(t.term)))
            if i % 2 and i < len(parts) - 1 and len(words) - first > 1:
                phrases.append((first, len(words) - 1))
        return words, phrases

    def prefix_matches(self, term: str, own: str) -> list[tuple[str, str]]:
        """Terms the last word may begin, or the longest start of it that is a term."""
        found = [t for t in self.vocabulary if t.startswith(term) and t != own]
        for k in range(len(term) - 1, 2, -1):
            if found:
                break
            if term[:k] in self.weights:
                found.append(term[:k])
        return [(t, term) for t in found[:PREFIX_TERMS]]

    def typo_matches(self, term: str, own: str) -> list[tuple[str, str]]:
        """Terms a word may be a typo of."""
        n = len(term)
        if n < 4 or n > 30:
            return []
        edits = 1 if n < 8 else 2
        targets = (own, term)
        near = [t for t in self.vocabulary if any(t.startswith(x[:2]) or t.endswith(x[-2:]) for x in targets)]
        found = {t for t in near if any(osa(t, x) <= edits for x in targets)}
        found |= one_edit_stems(term) & self.weights.keys()
        return [(t, "") for t in sorted(found, key=utf16_key)]

    def search(self, query: str, prefix: bool = False, limit: int = PAGE, here: int = -1) -> dict:
        """The engine's answer, results reduced to what tests compare (see answer_key)."""
        words, phrases = self.parse(query)
        n = len(words)
        exact = [[(stem, "")] if stem in self.weights else [] for _, stem in words]
        sets, pass_, results, state = exact, 0, [], None
        while pass_ < 4 and n and not results:
            found = [
                self.prefix_matches(*words[i])
                if pass_ == 1 and prefix and i == n - 1
                else self.typo_matches(*words[i])
                if pass_ == 2 and not exact[i]
                else []
                for i in range(n)
            ]
            nxt = [s + [m for m in f if all(m[0] != u for u, _ in s)] for s, f in zip(sets, found, strict=True)]
            run = len(units(n, phrases)) > 1 if pass_ == 3 else (not pass_ or nxt != sets) and all(nxt)
            sets = nxt
            pass_ += 1
            if run:
                state = self.candidates(words, phrases, sets, pass_ < 4, here)
                results = self.fill(state, limit)
        tier = TIERS[pass_ - 1] if results else "none"
        return self.answer(state, results, tier, limit)

    def candidates(self, words, phrases, sets, all_, here) -> dict:
        """Docs that may answer the pass by their postings, ranked by them."""
        here_articles = self.articles[here] if 0 <= here < len(self.articles) else None
        found = []
        for d in range(len(self.docs)):
            weights = [[(j, self.weights[t][d]) for j, (t, _) in enumerate(s) if d in self.weights.get(t, {})] for s in sets]
            has = [bool(w) for w in weights]
            matched, held = counts(phrases, has, lambda a, b: True)
            if not (matched == len(words) if all_ else held * 2 >= len(units(len(words), phrases))) or not matched:
                continue
            is_here = int(self.docs[d].article == here_articles)
            found.append({"doc": d, "here": is_here, "matched": matched, "weights": weights,
                          "score": sum(w for ws in weights for _, w in ws)})
        found.sort(key=lambda c: (-c["here"], -c["matched"], -c["score"], c["doc"]))
        drops = bool(phrases) or any(p for s in sets for _, p in s)
        return {"words": words, "phrases": phrases, "sets": sets, "all": all_, "candidates": found, "drops": drops}

    def fill(self, state: dict, limit: int) -> list[dict]:
        """Check the candidates block by block, as the engine does."""
        results: list[dict] = []
        cands, nxt = state["candidates"], 0
        cap = (math.ceil(limit / BLOCK) + EXTRA_BLOCKS) * BLOCK
        while len(results) < limit and nxt < len(cands) and nxt < cap:
            block = cands[nxt : nxt + BLOCK]
            nxt += len(block)
            kept = [r for r in (self.verify(state, c) for c in block) if r]
            results += sorted(kept, key=lambda r: (-r["here"], -r["matched"], -r["chain"], -r["literal"], -r["score"], r["doc"]))
        state["next"], state["capped"] = nxt, nxt < len(cands) and len(results) < limit
        return results

    def verify(self, state: dict, c: dict) -> dict | None:
        """A candidate ranked from its text, or None."""
        d, words, phrases = c["doc"], state["words"], state["phrases"]
        fields = self.fields[d]
        held = [word_in(w, state["sets"][i], c["weights"][i], fields, self.exact) for i, w in enumerate(words)]
        best, ending = self.longest_runs(d, held)
        matched, units_held = counts(phrases, [bool(h) for h in held], lambda a, b: ending[b] > b - a)
        if not (matched == len(words) if state["all"] else units_held * 2 >= len(units(len(words), phrases))) or not matched:
            return None
        hits = []
        for field in ("title", "body"):
            spans = sorted({s for h in held if h for s in h["spans"].get(field, [])})
            hits += [{"field": field, "start": a, "end": b} for a, b in spans]
        run = {"field": best["field"], "start": best["start"], "end": best["end"]} if best["length"] > 1 else None
        return {"doc": d, "here": c["here"], "matched": matched, "chain": best["length"], "hits": hits, "run": run,
                "literal": sum(h["literal"] for h in held if h), "score": sum(h["score"] for h in held if h)}

    def exact(self, term: str, tf: tuple[int, int], fields: dict) -> int:
        """A term's weight in a doc from the doc's own lengths (what the engine weighs once it reads the text)."""
        return weight(self.df[term], self.n, tf, (len(fields["title"]), len(fields["body"])), self.averages)

    def longest_runs(self, d: int, held: list) -> tuple[dict, list[int]]:
        """The longest run of the query's words in order, and per word the longest run ending with it."""
        best = {"length": 0}
        ending = [0] * len(held)
        texts = {"title": self.docs[d].title, "body": self.docs[d].text}
        for field in ("body", "title"):
            units16 = texts[field].encode("utf-16-le", "surrogatepass")
            before: list[dict] = []
            for i, h in enumerate(held):
                runs, j = [], 0
                for start, end in (h["spans"].get(field, []) if h else []):
                    while j + 1 < len(before) and before[j + 1]["end"] <= start:
                        j += 1
                    a = before[j] if before else None
                    gap = units16[2 * a["end"] : 2 * start].decode("utf-16-le", "surrogatepass") if a else ""
                    together = a is not None and a["end"] <= start and not tokenize(gap)
                    r = {"length": a["length"] + 1 if together else 1, "field": field,
                         "start": a["start"] if together else start, "end": end}
                    ending[i] = max(ending[i], r["length"])
                    if r["length"] > best["length"]:
                        best = r
                    runs.append(r)
                before = runs
        return best, ending

    def answer(self, state: dict | None, results: list[dict], tier: str, limit: int) -> dict:
        """The answer, as answer_key reduces the engine's."""
        if state is None or tier == "none":
            return {"tier": "none", "total": 0, "totalExact": True, "capped": bool(state and state["capped"]), "results": []}
        left = len(state["candidates"]) - state["next"]
        exact = not left or not state["drops"]
        total = len(results) + left if state["drops"] else len(state["candidates"])
        shown = [{"ref": self.docs[r["doc"]].ref, "doc": r["doc"], "article": self.articles.index(self.docs[r["doc"]].article),
                  "score": r["score"], "matched": r["matched"], "hits": r["hits"], "run": r["run"]} for r in results[:limit]]
        return {"tier": tier, "total": total, "totalExact": exact, "capped": state["capped"], "results": shown}


def answer_key(answer: dict) -> dict:
    """What a test compares of an engine's answer."""
    return {"tier": answer["tier"], "total": answer["total"], "totalExact": answer["totalExact"], "capped": answer["capped"],
            "results": [{"ref": r["ref"], "doc": r["doc"], "article": r["article"]["index"], "score": r["score"],
                         "matched": r["matched"], "hits": r["hits"], "run": r["run"]} for r in answer["results"]]}


def split_quotes(text: str) -> list[str]:
    """text split at every quote mark, as JavaScript's split does."""
    parts, current = [], ""
    for c in text:
        if c in QUOTES:
            parts.append(current)
            current = ""
        else:
            current += c
    return [*parts, current]


def units(n: int, phrases: list[tuple[int, int]]) -> list[list[int]]:
    """The query's units: plain words alone, phrases as one."""
    out, i = [], 0
    starts = dict(phrases)
    while i < n:
        last = starts.get(i, i)
        out.append(list(range(i, last + 1)))
        i = last + 1
    return out


def counts(phrases, has: list[bool], phrase_held) -> tuple[int, int]:
    """(words matched, units held): a phrase not held counts none of its words."""
    matched = held = sum(has)
    for a, b in phrases:
        inside = sum(has[a : b + 1])
        if inside == b - a + 1 and phrase_held(a, b):
            held -= b - a
        else:
            matched -= inside
            held -= inside
    return matched, held


def word_in(word: tuple[str, str], matches: list, weights: list, fields: dict, exact) -> dict | None:
    """How one word stands in a doc's text: spans by field, literal, score (exact: a term's weight by its tf); or None."""
    term_typed, own = word
    spans: dict[str, list[tuple[int, int]]] = {}
    literal = score = 0
    for j, _ in weights:
        term, prefix = matches[j]
        kept = False
        tf = []
        for field in ("title", "body"):
            found = [t for t in fields[field] if t.stem == term]
            for t in found:
                if (prefix or term == own) and t.term == term_typed:
                    literal = 1
                if t.term.startswith(prefix):
                    spans.setdefault(field, []).append((t.start, t.end))
                    kept = True
            tf.append(len(found))
        if kept:
            score += exact(term, (tf[0], tf[1]), fields)
    for field in spans:
        spans[field].sort()
    return {"spans": spans, "literal": literal, "score": score} if score else None


def osa(a: str, b: str) -> int:
    """The optimal string alignment distance (Levenshtein plus swaps of neighbours)."""
    d = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def one_edit_stems(term: str) -> set[str]:
    """The stems of every spelling one edit (a-z) from term."""
    found = set()
    for i in range(len(term) + 1):
        for c in ["", *LETTERS]:
            found.add(stem(term[:i] + c + term[i:]))
            found.add(stem(term[:i] + c + term[i + 1 :]))
        if i + 1 < len(term):
            found.add(stem(term[:i] + term[i + 1] + term[i] + term[i + 2 :]))
    return found
