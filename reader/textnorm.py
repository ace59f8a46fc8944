"""Text folding and tokenization shared by the index build and the browser (static/js/textnorm.js)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Kept in step with static/js/textnorm.js: same rules, same scanner structure, same names.
APOSTROPHES = frozenset("'\u2019\u2018\u02bc")
# Letters NFKD leaves whole (or, for l with middle dot, splits with a dot) that readers type
# without: each lowercase letter, then what it folds to. Capitals lowercase to these first.
LETTER_FOLDS = dict(
    (pair[0], pair[1:])
    for pair in "\u00e6ae \u00f0d \u00f8o \u00feth \u00dfss \u0111d \u0127h \u0131i \u0138k \u0140l \u0142l "
    "\u014bn \u0153oe \u0167t".split()
)


class Token(NamedTuple):
    """A folded term and its span [start, end) in the original text, in code points."""

    # A named tuple, not a dataclass: thousands are made per build and a tuple is made fastest.

    term: str
    start: int
    end: int


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """Return one code point folded: a letter of LETTER_FOLDS as listed, else NFKD, marks dropped, lowercased."""
    # Lowercasing char by char keeps context rules (Greek final sigma) out, as in JS.
    own = LETTER_FOLDS.get(ch.lower())
    if own:
        return own
    return "".join(c.lower() for c in unicodedata.normalize("NFKD", ch) if unicodedata.category(c)[0] != "M")


@lru_cache(maxsize=8192)
def is_word_char(c: str) -> bool:
    """Return whether a folded char belongs in a term (a letter or a number, not an apostrophe)."""
    # U+02BC is a letter (Lm) but we treat it as the apostrophe it is used as.
    return c != "" and c not in APOSTROPHES and unicodedata.category(c)[0] in "LN"


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
    while is_letter(char_at(chars, j)) and not is_word_char(char_at(chars, j + 1)):
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
        if is_word_char(c):
            term, end = term + c, chars[j][2]
        elif not is_word_char(nxt):
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
        # No word char precedes i here: the previous token stopped at a non-word char.
        token, i = abbreviation_at(chars, i) or word_at(chars, i)
        tokens.append(token)
    return tuple(tokens)
