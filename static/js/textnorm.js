/* Folding and tokenization, mirroring reader/textnorm.py rule for rule; offsets are UTF-16.
   In the search bundle (and required by tests under Node); registers ReaderText. */
(() => {
  'use strict';
  const APOSTROPHES = '\'\u2019\u2018\u02bc\u05f3\u05f4'; // with Hebrew's geresh and gershayim
  const MARK = /\p{M}/gu, WORD = /^[\p{L}\p{N}]$/u, LETTER = /^\p{L}$/u, DIGIT = /^\p{Nd}$/u;
  // As LETTER_FOLDS in textnorm.py: letters NFKD leaves whole (or splits with a dot), each
  // lowercase letter followed by what it folds to; capitals lowercase to these first.
  /** @type {Record<string, string>} */
  const LETTER_FOLDS = Object.fromEntries(
    ('\u00e6ae \u00f0d \u00f8o \u00feth \u00dfss \u0111d \u0127h \u0131i \u0138k \u0140l '
      + '\u0142l \u014bn \u0153oe \u0167t').split(' ').map((pair) => [pair[0], pair.slice(1)]));
  // As SCRIPT_FOLDS and CJK in textnorm.py.
  /** @type {Record<string, string>} */
  const SCRIPT_FOLDS = { '\u0671': '\u0627', '\u0629': '\u0647', '\u0649': '\u064a', '\u0640': '' };
  const CJK = new RegExp('^[\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3041-\u30ff\u3131-\u318e'
    + '\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff'
    + '\\u{20000}-\\u{323af}]$', 'u');
  // As arabic_stem's lists in textnorm.py (light10's rules).
  const ARABIC = /^[\u0620-\u064a]/;
  const AR_PREFIXES = ['\u0648\u0627\u0644', '\u0628\u0627\u0644', '\u0643\u0627\u0644', '\u0641\u0627\u0644',
    '\u0644\u0644', '\u0627\u0644'];
  const AR_SUFFIXES = ['\u0647\u0645\u0627', '\u0643\u0645\u0627', '\u0647\u0627', '\u0647\u0645', '\u0647\u0646',
    '\u0643\u0645', '\u0643\u0646', '\u0646\u0627', '\u0627\u0646', '\u0627\u062a', '\u0648\u0646',
    '\u064a\u0646', '\u064a\u0647', '\u0647', '\u064a'];

  /** Return one code point folded: a letter of LETTER_FOLDS as listed; a CJK letter in its NFKC form; else
      NFKD, marks dropped, lowercased, SCRIPT_FOLDS applied. @param {string} ch */
  function foldChar(ch) {
    // Char by char, so no context rule (Greek final sigma) applies, as in Python.
    const composed = ch.normalize('NFKC');
    return LETTER_FOLDS[ch.toLowerCase()] || (composed && [...composed].every(isCjk) ? composed
      : [...ch.normalize('NFKD').replace(MARK, '')].map((c) => SCRIPT_FOLDS[c.toLowerCase()] ?? c.toLowerCase())
        .join(''));
  }

  /** Return whether a folded char goes in terms: a letter or number, not an apostrophe (U+02BC is Lm).
      @param {string} c */
  const isWordChar = (c) => WORD.test(c) && !APOSTROPHES.includes(c);

  /** Return whether a folded char is a letter or number of a script indexed by bigrams. @param {string} c */
  const isCjk = (c) => CJK.test(c) && WORD.test(c);

  /** Return whether a folded char continues a word of a spaced script. @param {string} c */
  const inWord = (c) => isWordChar(c) && !isCjk(c);

  /** Return whether a folded char is a letter (general category L*). @param {string} c */
  const isLetter = (c) => LETTER.test(c) && !APOSTROPHES.includes(c);

  /** Return whether a folded char is a decimal digit (general category Nd). @param {string} c */
  const isDigit = (c) => DIGIT.test(c);

  /** A folded char with the span of the code point it came from. @typedef {[string, number, number]} FoldedChar */

  /** Return [char, start, end] for each folded char, with its source code point's span. @param {string} text */
  function foldedChars(text) {
    /** @type {FoldedChar[]} */
    const chars = [];
    let i = 0;
    for (const ch of text) {
      const folded = foldChar(ch), end = i + ch.length;
      if (folded) {
        for (const c of folded) chars.push([c, i, end]);
      } else if (chars.length && chars[chars.length - 1][2] === i) {
        // A char folding to nothing (a combining mark) joins the span before it.
        chars[chars.length - 1][2] = end;
      }
      i = end;
    }
    return chars;
  }

  /** Return the folded char at i, or '' past either end. @param {FoldedChar[]} chars @param {number} i */
  const charAt = (chars, i) => (i >= 0 && i < chars.length ? chars[i][0] : '');

  /** Return [token, next index] for a dotted abbreviation (U.S., e.g.) at i, or null.
      @param {FoldedChar[]} chars @param {number} i @returns {[Token, number] | null} */
  function abbreviationAt(chars, i) {
    let letters = '', end = i, j = i;
    // Each letter stands alone and is followed by '.', except the last may lack its dot.
    while (isLetter(charAt(chars, j)) && !isCjk(chars[j][0]) && !inWord(charAt(chars, j + 1))) {
      letters += chars[j][0];
      if (charAt(chars, j + 1) !== '.') {
        end = chars[j][2];
        j += 1;
        break;
      }
      end = chars[j + 1][2];
      j += 2;
    }
    return [...letters].length > 1 ? [{ term: letters, start: chars[i][1], end }, j] : null;
  }

  /** Return [token, next index] for the run of word chars (and joiners) at i.
      @param {FoldedChar[]} chars @param {number} i @returns {[Token, number]} */
  function wordAt(chars, i) {
    let term = '', end = chars[i][2], j = i, last = '';
    while (j < chars.length) {
      const c = chars[j][0], nxt = charAt(chars, j + 1);
      if (inWord(c)) {
        term += c;
        last = c;
        end = chars[j][2];
      } else if (!inWord(nxt)) {
        break;
      } else if (APOSTROPHES.includes(c) || (c === ',' && isDigit(last) && isDigit(nxt))) {
        // dropped: Japan's -> japans, 1,739 -> 1739
      } else if (c === '.' && isDigit(last) && isDigit(nxt)) {
        term += c; // kept: 3.1 stays one term
      } else {
        break;
      }
      j += 1;
    }
    return [{ term, start: chars[i][1], end }, j];
  }

  /** @type {Map<string, Token[]>} a run's tokens, by the run: words repeat across a page */
  const chunks = new Map();

  /** Return the search tokens of text: [{term, start, end}] with UTF-16 spans into text. @param {string} text */
  function tokenize(text) {
    // White space always separates tokens and no rule looks across it, so each run of
    // non-space characters tokenizes alone (as in textnorm.py), and a run met before is not read again.
    /** @type {Token[]} */
    const tokens = [];
    for (const run of String(text).matchAll(/\S+/g)) {
      let found = chunks.get(run[0]);
      if (!found) {
        if (chunks.size >= 65536) chunks.clear();
        chunks.set(run[0], (found = scan(run[0])));
      }
      const at = run.index ?? 0;
      for (const t of found) tokens.push({ term: t.term, start: t.start + at, end: t.end + at });
    }
    return tokens;
  }

  /** Return the tokens of one run of characters with no white space in it. @param {string} text */
  function scan(text) {
    const chars = foldedChars(text);
    /** @type {Token[]} */
    const tokens = [];
    let i = 0;
    while (i < chars.length) {
      if (!isWordChar(chars[i][0])) {
        i += 1;
        continue;
      }
      if (isCjk(chars[i][0])) {
        i = bigramsAt(chars, i, tokens);
        continue;
      }
      // No word char of a spaced script precedes i here: the previous token stopped before it.
      const found = abbreviationAt(chars, i) || wordAt(chars, i);
      tokens.push(found[0]);
      i = found[1];
    }
    return tokens;
  }

  /** Push the run of CJK chars at i as overlapping pairs (one char alone as itself); return the index after it.
      @param {FoldedChar[]} chars @param {number} i @param {Token[]} tokens */
  function bigramsAt(chars, i, tokens) {
    let j = i;
    while (j < chars.length && isCjk(chars[j][0])) j++;
    if (j - i === 1) tokens.push({ term: chars[i][0], start: chars[i][1], end: chars[i][2] });
    for (let k = i; k < j - 1; k++) {
      tokens.push({ term: chars[k][0] + chars[k + 1][0], start: chars[k][1], end: chars[k + 1][2] });
    }
    return j;
  }

  /** Return a folded Arabic word without wa-, the article (with a preposition) and one each of the endings,
      keeping two letters at least; any other term as it is. @param {string} term */
  function stemArabic(term) {
    if (!ARABIC.test(term)) return term;
    if (term.length >= 4 && term[0] === '\u0648') term = term.slice(1);
    const prefix = AR_PREFIXES.find((p) => term.startsWith(p) && term.length - p.length >= 2);
    if (prefix) term = term.slice(prefix.length);
    for (const suffix of AR_SUFFIXES) {
      if (term.endsWith(suffix) && term.length - suffix.length >= 2) term = term.slice(0, -suffix.length);
    }
    return term;
  }

  /** Return the [start, end) of text's words, as snippets count them: a run of CJK chars, written without
      spaces, counts as words of two chars each. @param {string} text */
  function words(text) {
    const found = /** @type {[number, number][]} */ ([]);
    for (const m of text.matchAll(/\S+/g)) {
      let start = m.index ?? 0, i = start, cjk = 0;
      for (const ch of m[0]) {
        const han = isCjk(foldChar(ch));
        // A word ends before the third CJK char of a pair, and where CJK and other chars meet.
        if (i > start && (han ? cjk === 2 || !cjk : cjk > 0)) {
          found.push([start, i]);
          start = i;
          cjk = 0;
        }
        if (han) cjk++;
        i += ch.length;
      }
      found.push([start, i]);
    }
    return found;
  }

  globalThis.ReaderText = { tokenize, stemArabic, words };
})();
