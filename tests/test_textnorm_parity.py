"""reader/textnorm.py and static/js/textnorm.js give the same terms at the same offsets."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.textnorm import tokenize

ROOT = Path(__file__).resolve().parent.parent
TEXTNORM_JS = ROOT / "static" / "js" / "textnorm.js"
NODE = shutil.which("node")

# Reads a JSON list of strings on stdin; writes each one's tokens as [term, start, end].
TOKENIZE_ALL_JS = """
require(process.argv[1]);
const {tokenize} = globalThis.ReaderText;
let input = '';
process.stdin.setEncoding('utf8').on('data', d => { input += d; }).on('end', () => {
  const out = JSON.parse(input).map(s => tokenize(s).map(t => [t.term, t.start, t.end]));
  process.stdout.write(JSON.stringify(out));
});
"""


def js_tokens(texts: list[str]) -> list[list[list]]:
    """Every text's tokens from textnorm.js, in one Node process."""
    done = subprocess.run([NODE, "-e", TOKENIZE_ALL_JS, str(TEXTNORM_JS)], input=json.dumps(texts),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def utf16_offset(text: str, cp: int) -> int:
    """A code point offset into text, counted in UTF-16 units as JavaScript counts."""
    return len(text[:cp].encode("utf-16-le", "surrogatepass")) // 2


def py_tokens(text: str) -> list[list]:
    """text's tokens from textnorm.py, with offsets converted to UTF-16 units."""
    return [[t.term, utf16_offset(text, t.start), utf16_offset(text, t.end)] for t in tokenize(text)]


def assert_same_tokens(texts: list[str]) -> None:
    """Fail, naming the first few texts, where Python and JavaScript tokenize differently."""
    differ = [(text, want, got) for text, got in zip(texts, js_tokens(texts), strict=False)
              if (want := py_tokens(text)) != got]
    assert not differ, "\n".join(f"{text!r}: python {want} js {got}" for text, want, got in differ[:5])


def article_paragraphs() -> list[str]:
    """The paragraphs of every fixture article and of whatever content/ holds, Markdown as written."""
    files = sorted(ROOT.glob("tests/fixtures/*/content/*.md")) + sorted(ROOT.glob("content/*.md"))
    texts = [f.read_text(encoding="utf-8").split("\n---\n", 1)[1] for f in files]
    return [p.strip() for text in texts for p in text.split("\n\n") if p.strip()]


EDGE_CASES = [
    "Japan's Japan\u2019s Japan\u2018s Japan\u02bcs Japan", "\u201cdon\u2019t\u201d", "dogs' 'tis a''b \u02bcx",
    "3.1 1.2.3. 1,739 $1,739bn 1,2.3 3. .5 1,a a.1 \uff13.\uff11 \u0663.\u0661",
    "U.S. U.S U.S.-Japan e.g., U.K.\u2019s U.S.S.R. U.S.Army e.g.5 a. b. U.Sx 3U.S. x'U.S.",
    "long-range long\u2010range a\u2013b a\u2014b a\u2212b", "a\u00a0b\u2009c\u3000d\u2028e\tf\ng\r\nh",
    "caf\u00e9 cafe\u0301 cafe\u0301s \u0301a \ufb01x \uff21\uff22 \u0130stanbul \u039f\u0394\u039f\u03a3 Stra\u00dfe",
    # The letters NFKD keeps whole, small and capital, alone, in words and beside marks.
    "\u00e6\u00c6 \u00f0\u00d0 \u00f8\u00d8 \u00fe\u00de \u00df\u1e9e \u0111\u0110 \u0127\u0126 \u0131 \u0138 \u0140\u013f "
    "\u0142\u0141 \u014b\u014a \u0153\u0152 \u0167\u0166 \u0110\u1eb7ng \u0141\u00f3d\u017a co\u0140lecci\u00f3 \u00f8\u0301 "
    "\u00df.\u00df \u0131.\u0131 x\u00e6'\u00dfy \u01e3 \u01ff \u1e9e\u0301",
    "\u00bd3 \u2488 \u3382 \u337f \u2474", "\u6771\u4eac\u3067 \u30d0\u30ca\u30ca \u1100\u1161",
    "\U0001d400\U0001d401 \U00020000\U00020001 \U0001f600x \U0001d7d8.\U0001d7d9 \U0001d400.\U0001d401.",
    "a\ud800b \udc00", "", "...", "e\u0301\u0301\u0301.x\u0308.",
    # Mixed scripts: CJK runs beside Latin words, digits and punctuation; kana with voicing marks,
    # half-width kana, Hangul; Arabic with harakat, tatweel and its letter variants; pointed Hebrew.
    "\u65e5\u672c\u306eGDP\u6bd42%\u3002\u9632\u885b\u8cbb\u306f2027\u5e74\u5ea6\u306b11\u5146\u5186\u3002\u30c8\u30e9\u30f3\u30d7\u30fb\u30ac\u30d9\u30fc\u30b8",
    "\uff76\uff9e\uff8d\uff9e\u304b\u3099 U.S.\u65e5\u672c x'\u4e2d\u6587 a.\u4e2d. \u4e2d.\u6587. \u00bd\u4e2d \u337f\u4e2d \ud55c\uad6d\uc5b4 \u1100\u1161\u11a8",
    "\u0648\u0627\u0644\u0643\u0650\u062a\u064e\u0627\u0628\u064f \u0643\u0640\u062a\u0627\u0628\u0647\u0627 \u0623\u0625\u0622\u0671\u0629\u0649 \ufe93\ufef5 \u0663\u066b\u0661 (Japan) \u0627\u0644\u064a\u0627\u0628\u0627\u0646\u060c",
    "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd \ufb2a \u05e6\u05d4\u05f4\u05dc \u05d4\u05f3 \u05f4x\u05f4 \u05d1\u05be\u05ea\u05dc",
]


def test_fixed_corpus_matches():
    assert_same_tokens(article_paragraphs() + EDGE_CASES)


STEM_ALL_JS = """
require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8').on('data', d => { input += d; }).on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(globalThis.ReaderText.stemArabic)));
});
"""


def test_the_arabic_stemmer_agrees():
    from reader.textnorm import ARABIC_PREFIXES, ARABIC_SUFFIXES, arabic_stem

    # Every prefix and suffix around stems of one to four letters, and the words of every fixture.
    stems = ["\u0643", "\u0643\u062a", "\u0643\u062a\u0628", "\u0643\u062a\u0627\u0628", "\u0648\u0632\u064a\u0631"]
    words = [p + s + x for p in ("", "\u0648", *ARABIC_PREFIXES) for s in stems for x in ("", *ARABIC_SUFFIXES)]
    words += [t.term for text in article_paragraphs() for t in tokenize(text)]
    done = subprocess.run([NODE, "-e", STEM_ALL_JS, str(TEXTNORM_JS)], input=json.dumps(words),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [w for w, got in zip(words, json.loads(done.stdout), strict=True) if arabic_stem(w) != got] == []


def test_every_assigned_code_point_folds_and_classifies_alike():
    # Every code point Python's Unicode database knows, alone, doubled around a '.' (digits keep
    # the dot, letters make an abbreviation) and after a word. Newer code points are left out:
    # Python 3.11 has Unicode 14, Node's ICU a later one.
    chars = [chr(c) for c in range(0x110000)
             if unicodedata.category(chr(c)) not in ("Cn", "Co", "Cs")]
    assert_same_tokens([f"{c}.{c} x{c}" for c in chars])


SAFE_CHARS = list(
    "abcxyzABCXYZ\u00e9\u00c9\u00df\u00e6\u0153\u0131\u0130"  # Latin
    "\u00c6\u00d0\u00f0\u00d8\u00f8\u00de\u00fe\u0110\u0111\u0126\u0127\u0138\u013f\u0140\u0141\u0142\u014a\u014b\u0152\u0166\u0167\u1e9e"
    "\u03b1\u03b2\u03a3\u03c2\u0386"  # Greek
    "\u0430\u0431\u0416\u0451"  # Cyrillic
    "\u6771\u4eac\u3067\u30d0\U00020000\u30fc\u30fb\uff76\uff9e\ud55c"  # CJK, kana, one astral ideograph, Hangul
    "\u0627\u0644\u0643\u0629\u0649\u0623\u0640\u064e\u05e9\u05b8\u05c1\u05f4\u05be"  # Arabic, Hebrew
    "0123456789\u0663\uff13"  # digits
    ".,;:!?()[]/&@#%*+=<>_\\|~^$"  # punctuation and symbols
    "'\"\u2019\u2018\u201c\u201d\u02bc\u00ab\u00bb"  # quotes
    "-\u2010\u2013\u2014\u2212"  # dashes
    " \t\n\u00a0\u2009\u3000\u2028"  # whitespace kinds
    "\u0301\u0308\ufb01\u00bd\U0001d400\U0001f600"  # marks, ligature, fraction, math letter, emoji
)


def test_generated_strings_match():
    texts: list[str] = []

    @settings(max_examples=12, derandomize=True, database=None)
    @given(st.lists(st.text(st.sampled_from(SAFE_CHARS), max_size=30), min_size=30, max_size=40))
    def collect(batch):
        texts.extend(batch)

    collect()  # gather a few hundred strings first, then check them all in one Node run
    assert len(texts) >= 300
    assert_same_tokens(texts)
