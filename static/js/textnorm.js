/* Folding and tokenization, mirroring reader/textnorm.py rule for rule; offsets are UTF-16.
   In the search bundle (and required by tests under Node); registers ReaderText. */
(() => {
  'use strict';
  const APOSTROPHES = '\'\u2019\u2018\u02bc';
  const MARK = /\p{M}/gu, WORD = /^[\p{L}\p{N}]$/u, LETTER = /^\p{L}$/u, DIGIT = /^\p{Nd}$/u;
  // As LETTER_FOLDS in textnorm.py: letters NFKD leaves whole (or splits with a dot), each
  // lowercase letter followed by what it folds to; capitals lowercase to these first.
  /** @type {Record<string, string>} */
  const LETTER_FOLDS = Object.fromEntries(
    ('\u00e6ae \u00f0d \u00f8o \u00feth \u00dfss \u0111d \u0127h \u0131i \u0138k \u0140l '
      + '\u0142l \u014bn \u0153oe \u0167t').split(' ').map((pair) => [pair[0], pair.slice(1)]));

  /** Return one code point folded: a letter of LETTER_FOLDS as listed, else NFKD, marks dropped, lowercased.
      @param {string} ch */
  function foldChar(ch) {
    // Char by char, so no context rule (Greek final sigma) applies, as in Python.
    return LETTER_FOLDS[ch.toLowerCase()]
      || [...ch.normalize('NFKD').replace(MARK, '')].map((c) => c.toLowerCase()).join('');
  }

  /** Return whether a folded char goes in terms: a letter or number, not an apostrophe (U+02BC is Lm).
      @param {string} c */
  const isWordChar = (c) => WORD.test(c) && !APOSTROPHES.includes(c);

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
    while (isLetter(charAt(chars, j)) && !isWordChar(charAt(chars, j + 1))) {
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
      if (isWordChar(c)) {
        term += c;
        last = c;
        end = chars[j][2];
      } else if (!isWordChar(nxt)) {
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
      // No word char precedes i here: the previous token stopped at a non-word char.
      const found = abbreviationAt(chars, i) || wordAt(chars, i);
      tokens.push(found[0]);
      i = found[1];
    }
    return tokens;
  }

  globalThis.ReaderText = { tokenize };
})();
