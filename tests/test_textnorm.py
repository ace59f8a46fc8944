"""Tokenization rules of reader.textnorm, one tiny input per rule, plus properties over any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.textnorm import LETTER_FOLDS, Token, arabic_stem, fold_char, is_cjk, is_digit, is_word_char, tokenize


def terms(text: str) -> list[str]:
    """The terms of text, in order."""
    return [t.term for t in tokenize(text)]


def spans(text: str) -> list[tuple[str, int, int]]:
    """The tokens of text as (term, start, end)."""
    return [(t.term, t.start, t.end) for t in tokenize(text)]


def test_words_are_lowercased_with_code_point_spans():
    assert tokenize("The alliance") == [Token("the", 0, 3), Token("alliance", 4, 12)]


@pytest.mark.parametrize("text", ["Japan's", "Japan\u2019s", "Japan\u2018s", "Japan\u02bcs"])
def test_apostrophe_between_word_chars_is_dropped(text):
    assert spans(text) == [("japans", 0, 7)]


@pytest.mark.parametrize("text, expected", [
    ("don\u2019t", ["dont"]),
    ("rock\u2019n\u2019roll", ["rocknroll"]),
    ("dogs' bowls", ["dogs", "bowls"]),
    ("'tis \u02bctis", ["tis", "tis"]),
    ("a''b", ["a", "b"]),
    ("\u201cdon\u2019t\u201d", ["dont"]),
])
def test_apostrophes_elsewhere_separate(text, expected):
    assert terms(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("3.1", [("3.1", 0, 3)]),
    ("1.2.3.", [("1.2.3", 0, 5)]),
    ("1,739", [("1739", 0, 5)]),
    ("$1,739bn", [("1739bn", 1, 8)]),
    ("1,2.3", [("12.3", 0, 5)]),
    ("3. 5", [("3", 0, 1), ("5", 3, 4)]),
    (".5", [("5", 1, 2)]),
    ("1,a", [("1", 0, 1), ("a", 2, 3)]),
    ("a.1", [("a", 0, 1), ("1", 2, 3)]),
    ("\uff13.\uff11", [("3.1", 0, 3)]),  # fullwidth digits fold first
    ("\u0663.\u0661", [("\u0663.\u0661", 0, 3)]),  # Arabic-Indic digits are decimal digits too
])
def test_dot_kept_and_comma_dropped_between_digits(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("U.S.", [("us", 0, 4)]),
    ("the U.S. said", [("the", 0, 3), ("us", 4, 8), ("said", 9, 13)]),
    ("U.S", [("us", 0, 3)]),
    ("U.S.-Japan", [("us", 0, 4), ("japan", 5, 10)]),
    ("e.g., this", [("eg", 0, 4), ("this", 6, 10)]),
    ("U.K.\u2019s", [("uk", 0, 4), ("s", 5, 6)]),
    ("U.S.S.R.", [("ussr", 0, 8)]),
    ("U.S.Army", [("us", 0, 4), ("army", 4, 8)]),
    ("e.g.5", [("eg", 0, 4), ("5", 4, 5)]),
    ("a. b.", [("a", 0, 1), ("b", 3, 4)]),
    ("U.Sx", [("u", 0, 1), ("sx", 2, 4)]),
    ("3U.S.", [("3u", 0, 2), ("s", 3, 4)]),
    ("x'U.S.", [("xu", 0, 3), ("s", 4, 5)]),
])
def test_dotted_abbreviations_join_their_letters(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", [
    "long-range", "long\u2010range", "long\u2013range", "long\u2014range", "long\u2212range",
    "long range", "long\trange", "long\nrange", "long\u00a0range", "long\u2009range", "long\u3000range",
    "long\u2028range", "long/range", "long_range", "long\u00b7range", "long+range", "long\u2026range",
])
def test_dashes_spaces_and_symbols_separate(text):
    assert terms(text) == ["long", "range"]


@pytest.mark.parametrize("text, expected", [
    ("caf\u00e9", [("cafe", 0, 4)]),
    ("cafe\u0301", [("cafe", 0, 5)]),  # the mark joins its letter's span
    ("cafe\u0301s", [("cafes", 0, 6)]),
    ("\u0301a", [("a", 1, 2)]),
    ("\ufb01x", [("fix", 0, 2)]),
    ("\uff21\uff22\uff23", [("abc", 0, 3)]),
    ("\u0130stanbul", [("istanbul", 0, 8)]),
    ("\u039f\u0394\u039f\u03a3", [("\u03bf\u03b4\u03bf\u03c3", 0, 4)]),  # no final-sigma context rule
    ("Stra\u00dfe", [("strasse", 0, 6)]),  # a letter NFKD keeps whole, folded as readers type it
    ("co\u0140lecci\u00f3", [("colleccio", 0, 9)]),  # not split at the middle dot NFKD gives
    ("\u041c\u043e\u0441\u043a\u0432\u0430", [("\u043c\u043e\u0441\u043a\u0432\u0430", 0, 6)]),
    ("\u30ac", [("\u30ac", 0, 1)]),  # kana keep their voicing mark (NFKC): ga stays ga, not ka
    ("\uff76\uff9e", [("\u30ab", 0, 2)]),  # half-width kana widen; a lone half-width voicing mark is a mark
    ("\ud55c", [("\ud55c", 0, 1)]),  # a Hangul syllable stays whole, not its jamo
    ("\u00bd3", [("1", 0, 1), ("23", 0, 2)]),  # one char folding to two words: both keep its span
])
def test_folding(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    # Japanese: a sentence is one run; its pairs find any word inside it, at its own place.
    ("\u9632\u885b\u8cbb\u3092", [("\u9632\u885b", 0, 2), ("\u885b\u8cbb", 1, 3), ("\u8cbb\u3092", 2, 4)]),
    ("\u7a0e", [("\u7a0e", 0, 1)]),  # one char alone is its own term
    # Runs end at other scripts, digits and punctuation; Latin words stay whole.
    ("GDP\u6bd42%\u3002\u65e5\u672c", [("gdp", 0, 3), ("\u6bd4", 3, 4), ("2", 4, 5), ("\u65e5\u672c", 7, 9)]),
    ("2024\u5e74", [("2024", 0, 4), ("\u5e74", 4, 5)]),
    ("\u30c8\u30e9\u30f3\u30d7\u30fb\u5927", [("\u30c8\u30e9", 0, 2), ("\u30e9\u30f3", 1, 3), ("\u30f3\u30d7", 2, 4),
                                               ("\u5927", 5, 6)]),  # the middle dot parts names
    ("\ud55c\uad6d\uc5b4", [("\ud55c\uad6d", 0, 2), ("\uad6d\uc5b4", 1, 3)]),  # Hangul too
    ("\U00020000\u4e00", [("\U00020000\u4e00", 0, 2)]),  # astral ideographs count one code point
])
def test_cjk_runs_are_indexed_as_overlapping_pairs(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("\u0627\u0644\u0643\u0650\u062a\u064e\u0627\u0628\u064f", "\u0627\u0644\u0643\u062a\u0627\u0628"),  # harakat dropped
    ("\u0623\u0645\u0651 \u0625\u0644\u0649 \u0622\u0645\u0646", "\u0627\u0645 \u0627\u0644\u064a \u0627\u0645\u0646"),  # hamza forms, alef maksura
    ("\u0645\u062f\u0631\u0633\u0629", "\u0645\u062f\u0631\u0633\u0647"),  # teh marbuta as heh
    ("\u0643\u0640\u0640\u062a\u0627\u0628", "\u0643\u062a\u0627\u0628"),  # the tatweel stretches, it is no letter
    ("\u0671\u0644\u0644\u0647", "\u0627\u0644\u0644\u0647"),
    ("\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd", "\u05e9\u05dc\u05d5\u05dd"),  # niqqud dropped
    ("\ufb2a\u05dc\u05d5\u05dd", "\u05e9\u05dc\u05d5\u05dd"),  # a pointed presentation form too
    ("\u05e6\u05d4\u05f4\u05dc \u05e6\u05d4\"\u05dc", "\u05e6\u05d4\u05dc \u05e6\u05d4 \u05dc"),  # gershayim joins
])
def test_arabic_and_hebrew_fold_as_readers_type(text, expected):
    assert " ".join(terms(text)) == expected


@pytest.mark.parametrize("words, stem", [
    # The article, a preposition or wa- before it, attached pronouns and plural endings after: one stem.
    (["\u0627\u0644\u0643\u062a\u0627\u0628", "\u0643\u062a\u0627\u0628\u0647", "\u0643\u062a\u0627\u0628\u0647\u0627",
      "\u0643\u062a\u0627\u0628\u0647\u0645", "\u0648\u0627\u0644\u0643\u062a\u0627\u0628", "\u0628\u0627\u0644\u0643\u062a\u0627\u0628",
      "\u0643\u062a\u0627\u0628\u0646\u0627", "\u0648\u0643\u062a\u0627\u0628\u064a"], "\u0643\u062a\u0627\u0628"),
    (["\u0627\u0644\u0645\u0639\u0644\u0645\u0648\u0646", "\u0645\u0639\u0644\u0645\u064a\u0646", "\u0644\u0644\u0645\u0639\u0644\u0645"],
     "\u0645\u0639\u0644\u0645"),
])
def test_the_arabic_stemmer_joins_a_word_with_its_clitics(words, stem):
    assert {arabic_stem(terms(w)[0]) for w in words} == {stem}


@pytest.mark.parametrize("term", ["\u0627\u0644", "\u0641\u064a", "\u0647\u0648", "japan", "\u9632\u885b", "2024"])
def test_the_arabic_stemmer_keeps_two_letters_and_other_scripts(term):
    assert arabic_stem(term) == term


def test_astral_characters_count_one_code_point():
    assert spans("\U0001d400\U0001d401 x \U00020000") == [("ab", 0, 2), ("x", 3, 4), ("\U00020000", 5, 6)]


@pytest.mark.parametrize("text", ["", " ", "...", "\u2014", "\"'\u201c\u201d", "\U0001f600", "\u0301", "\ud800"])
def test_text_without_words_has_no_tokens(text):
    assert tokenize(text) == []


ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60)  # lone surrogates too
# Chars that fold to at most one char, so a token's slice folds back char for char.
ONE_TO_ONE = st.text(st.sampled_from(list("aAzZ\u00e9\u00c9\u03b1\u0416\u6771019\u0663.,'\u2019\u02bc -\u2014\u00a0\u0301\U0001d400")),
                     max_size=40)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_tokens_are_well_formed_for_any_text(text):
    tokens = tokenize(text)
    for t in tokens:
        assert 0 <= t.start < t.end <= len(text)
        assert t.term and all(is_word_char(c) or c == "." for c in t.term)
    for a, b in zip(tokens, tokens[1:], strict=False):
        assert a.start <= b.start and a.end <= b.end
        # Tokens only overlap when one char folds into two words (U+00BD -> 1, 2), or as the pairs of a CJK run.
        assert b.start >= a.end or (b.start == a.end - 1 and len(fold_char(text[b.start])) > 1) or is_cjk(a.term[-1])


@settings(max_examples=300)
@given(ONE_TO_ONE)
def test_each_token_folds_back_to_its_term(text):
    for t in tokenize(text):
        folded = "".join(fold_char(c) for c in text[t.start:t.end])
        assert [c for c in folded if is_word_char(c)] == [c for c in t.term if c != "."]
        assert is_word_char(folded[0])
        assert fold_char(text[t.end - 1]) in ("", ".") or is_word_char(fold_char(text[t.end - 1]))
        # A dot survives only between two digits (3.1); abbreviations lose theirs.
        assert all(is_digit(t.term[i - 1]) and is_digit(t.term[i + 1])
                   for i, c in enumerate(t.term) if c == ".")


@pytest.mark.parametrize("text, expected", [
    ("\u0110\u1eb7ng", "dang"), ("\u00f0", "d"), ("\u0141\u00f3d\u017a", "lodz"), ("\u00d8resund", "oresund"),
    ("Stra\u00dfe", "strasse"), ("STRA\u1e9eE", "strasse"), ("\u00c6sir", "aesir"), ("\u0152uvre", "oeuvre"),
    ("\u0131zmir", "izmir"), ("\u0126al", "hal"), ("\u0166", "t"), ("\u00deing", "thing"), ("\u014a", "n"),
    ("\u0138", "k"), ("\u013f", "l"),
])
def test_letters_nfkd_keeps_whole_fold_as_readers_type_them(text, expected):
    assert terms(text) == [expected]


def test_every_latin_1_and_extended_a_letter_folds_to_ascii_letters():
    # U+0149 (n preceded by apostrophe) folds to that apostrophe and n, and stays out of a word.
    letters = [chr(c) for c in range(0xC0, 0x180) if chr(c).isalpha() and c != 0x149]
    assert [c for c in letters if not fold_char(c).isascii() or not fold_char(c).isalpha()] == []
    capitals = "\u00c6\u00d0\u00d8\u00de\u0110\u0126\u013f\u0141\u014a\u0152\u0166\u1e9e"
    assert [fold_char(c) for c in capitals] == ["ae", "d", "o", "th", "d", "h", "l", "l", "n", "oe", "t", "ss"]
    assert sorted(LETTER_FOLDS) == sorted("\u00e6\u00f0\u00f8\u00fe\u00df\u0111\u0127\u0131\u0138\u0140\u0142\u014b\u0153\u0167")
