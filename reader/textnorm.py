"""Text folding and tokenization shared by the index build and the browser (static/js/textnorm.js)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Kept in step with static/js/textnorm.js: same rules, same scanner structure, same names.
# Hebrew's geresh and gershayim join an acronym's letters as apostrophes do (\u05e6\u05d4\u05f4\u05dc).
APOSTROPHES = frozenset("'\u2019\u2018\u02bc\u05f3\u05f4")
# Letters NFKD leaves whole (or, for l with middle dot, splits with a dot) that readers type
# without: each lowercase letter, then what it folds to. Capitals lowercase to these first.
LETTER_FOLDS = dict(
    (pair[0], pair[1:])
    for pair in "\u00e6ae \u00f0d \u00f8o \u00feth \u00dfss \u0111d \u0127h \u0131i \u0138k \u0140l \u0142l "
    "\u014bn \u0153oe \u0167t".split()
)
# Letters of other scripts readers type without their variants: Arabic alef wasla, teh marbuta and
# alef maksura as the plain letters; the tatweel (a stretch of the line, not a letter) to nothing.
SCRIPT_FOLDS = {"\u0671": "\u0627", "\u0629": "\u0647", "\u0649": "\u064a", "\u0640": ""}
# Scripts written without spaces between words (Han, kana) and Hangul: their runs are indexed as
# overlapping pairs of characters (bigrams), so any word inside a sentence is found, with no
# dictionary to disagree between here and the browser.
CJK = re.compile(
    "[\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3041-\u30ff\u3131-\u318e\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\U00020000-\U000323af]"
)
# Arabic's light stemmer (after Larkey, Ballesteros and Connell's light10): the conjunction wa-, then
# the article with the prepositions it takes, then plural endings and attached pronouns, each only
# while two letters stay. Folded text: teh marbuta is already heh, alef maksura yeh.
ARABIC_LETTERS = re.compile("[\u0620-\u064a]")
ARABIC_PREFIXES = ("\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644", "\u0641\u0627\u0644",
                   "\u0644\u0644", "\u0627\u0644")
ARABIC_SUFFIXES = ("\u0647\u0645\u0627", "\u0643\u0645\u0627", "\u0647\u0627", "\u0647\u0645", "\u0647\u0646",
                   "\u0643\u0645", "\u0643\u0646", "\u0646\u0627", "\u0627\u0646", "\u0627\u062a", "\u0648\u0646",
                   "\u064a\u0646", "\u064a\u0647", "\u0647", "\u064a")


class Token(NamedTuple):
    """A folded term and its span [start, end) in the original text, in code points."""

    # A named tuple, not a dataclass: thousands are made per build and a tuple is made fastest.

    term: str
    start: int
    end: int


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """Return one code point folded: a letter of LETTER_FOLDS as listed; a CJK letter in its NFKC form
    (kana keep their voicing marks, Hangul syllables stay whole); else NFKD, marks dropped, lowercased,
    and SCRIPT_FOLDS applied."""
    # Lowercasing char by char keeps context rules (Greek final sigma) out, as in JS.
    own = LETTER_FOLDS.get(ch.lower())
    if own:
        return own
    composed = unicodedata.normalize("NFKC", ch)
    if composed and all(is_cjk(c) for c in composed):
        return composed
    return "".join(
        SCRIPT_FOLDS.get(c.lower(), c.lower())
        for c in unicodedata.normalize("NFKD", ch)
        if unicodedata.category(c)[0] != "M"
    )


@lru_cache(maxsize=8192)
def is_word_char(c: str) -> bool:
    """Return whether a folded char belongs in a term (a letter or a number, not an apostrophe)."""
    # U+02BC is a letter (Lm) but we treat it as the apostrophe it is used as.
    return c != "" and c not in APOSTROPHES and unicodedata.category(c)[0] in "LN"


@lru_cache(maxsize=8192)
def is_cjk(c: str) -> bool:
    """Return whether a folded char is a letter or number of a script indexed by bigrams (Han, kana, Hangul)."""
    return bool(CJK.match(c)) and unicodedata.category(c)[0] in "LN"


def in_word(c: str) -> bool:
    """Return whether a folded char continues a word of a spaced script (a word char, not CJK)."""
    return is_word_char(c) and not is_cjk(c)


def is_letter(c: str) -> bool:
    """Return whether a folded char is a letter (general category L*)."""
    return c != "" and c not in APOSTROPHES and unicodedata.category(c)[0] == "L"


def is_digit(c: str) -> bool:
    """Return whether a folded char is a decimal digit (general category Nd)."""
    return c != "" and unicodedata.category(c) == "Nd"


def folded_chars(text: str) -> list[tuple[str, int, int]]:
    """Return every folded char of text with the span of the code point it came from."""
    chars: list[tuple[str, int, int]] = []
    for i, ch in enumerate(text):
        folded = fold_char(ch)
        if folded:
            chars.extend((c, i, i + 1) for c in folded)
        elif chars and chars[-1][2] == i:
            # A char that folds to nothing (a combining mark) joins the span before it,
            # so a highlight never cuts an accent off its letter.
            c, start, _ = chars[-1]
            chars[-1] = (c, start, i + 1)
    return chars


def char_at(chars: list[tuple[str, int, int]], i: int) -> str:
    """Return the folded char at i, or '' past either end."""
    return chars[i][0] if 0 <= i < len(chars) else ""


def abbreviation_at(chars: list[tuple[str, int, int]], i: int) -> tuple[Token, int] | None:
    """Return the dotted abbreviation (U.S., e.g.) starting at i and the index after it, or None."""
    letters = ""
    end = j = i
    # Each letter must stand alone (no word char right after it) and be followed by '.',
    # except that the last one may lack its dot.
    while is_letter(char_at(chars, j)) and not is_cjk(chars[j][0]) and not in_word(char_at(chars, j + 1)):
        letters += chars[j][0]
        if char_at(chars, j + 1) != ".":
            end, j = chars[j][2], j + 1
            break
        end, j = chars[j + 1][2], j + 2
    if len(letters) < 2:
        return None
    return Token(letters, chars[i][1], end), j


def word_at(chars: list[tuple[str, int, int]], i: int) -> tuple[Token, int]:
    """Return the run of word chars starting at i (with its joiners) and the index after it."""
    term, end, j = "", chars[i][2], i
    while j < len(chars):
        c, nxt = chars[j][0], char_at(chars, j + 1)
        if in_word(c):
            term, end = term + c, chars[j][2]
        elif not in_word(nxt):
            break
        elif c in APOSTROPHES or (c == "," and is_digit(term[-1]) and is_digit(nxt)):
            pass  # dropped: Japan's -> japans, 1,739 -> 1739
        elif c == "." and is_digit(term[-1]) and is_digit(nxt):
            term += c  # kept: 3.1 stays one term
        else:
            break
        j += 1
    return Token(term, chars[i][1], end), j


_CHUNK = re.compile(r"\S+")


def tokenize(text: str) -> list[Token]:
    """Return the search tokens of text: folded terms with code-point spans into text."""
    # White space always separates tokens and no rule looks across it, so each run of
    # non-space characters tokenizes alone; words repeat, so the runs are cached.
    tokens: list[Token] = []
    for chunk in _CHUNK.finditer(text):
        base = chunk.start()
        tokens += [Token(t.term, t.start + base, t.end + base) for t in _tokenize_chunk(chunk.group())]
    return tokens


@lru_cache(maxsize=65536)
def _tokenize_chunk(text: str) -> tuple[Token, ...]:
    """The scanner, on one run of characters with no white space in it: fold, then read tokens left to right."""
    chars = folded_chars(text)
    tokens: list[Token] = []
    i = 0
    while i < len(chars):
        if not is_word_char(chars[i][0]):
            i += 1
            continue
        if is_cjk(chars[i][0]):
            grams, i = bigrams_at(chars, i)
            tokens += grams
            continue
        # No word char of a spaced script precedes i here: the previous token stopped before it.
        token, i = abbreviation_at(chars, i) or word_at(chars, i)
        tokens.append(token)
    return tuple(tokens)


def bigrams_at(chars: list[tuple[str, int, int]], i: int) -> tuple[list[Token], int]:
    """Return the run of CJK chars starting at i as overlapping pairs (one char alone as itself) and the
    index after it."""
    j = i
    while j < len(chars) and is_cjk(chars[j][0]):
        j += 1
    if j - i == 1:
        return [Token(chars[i][0], chars[i][1], chars[i][2])], j
    return [Token(chars[k][0] + chars[k + 1][0], chars[k][1], chars[k + 1][2]) for k in range(i, j - 1)], j


def arabic_stem(term: str) -> str:
    """Return a folded Arabic word without the conjunction wa-, the article (with a preposition) and one
    each of the endings in ARABIC_SUFFIXES, keeping two letters at least; any other term as it is."""
    if not ARABIC_LETTERS.match(term):
        return term
    if len(term) >= 4 and term[0] == "\u0648":
        term = term[1:]
    for prefix in ARABIC_PREFIXES:
        if term.startswith(prefix) and len(term) - len(prefix) >= 2:
            term = term[len(prefix) :]
            break
    for suffix in ARABIC_SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= 2:
            term = term[: -len(suffix)]
    return term
