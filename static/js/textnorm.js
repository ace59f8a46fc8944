/* Folding and tokenization, mirroring reader/textnorm.py rule for rule; offsets are UTF-16. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory();
  else root.ReaderText = factory();
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';
  var APOSTROPHES = '\'\u2019\u2018\u02bc';
  var MARK = /\p{M}/gu, WORD = /^[\p{L}\p{N}]$/u, LETTER = /^\p{L}$/u, DIGIT = /^\p{Nd}$/u;

  /** Return one code point folded: NFKD, combining marks dropped, each char lowercased. */
  function foldChar(ch) {
    var folded = '';
    // Char by char, so no context rule (Greek final sigma) applies, as in Python.
    for (var c of ch.normalize('NFKD').replace(MARK, '')) folded += c.toLowerCase();
    return folded;
  }

  /** Return whether a folded char goes in terms: a letter or number, not an apostrophe (U+02BC is Lm). */
  function isWordChar(c) {
    return c !== '' && APOSTROPHES.indexOf(c) < 0 && WORD.test(c);
  }

  /** Return whether a folded char is a letter (general category L*). */
  function isLetter(c) {
    return c !== '' && APOSTROPHES.indexOf(c) < 0 && LETTER.test(c);
  }

  /** Return whether a folded char is a decimal digit (general category Nd). */
  function isDigit(c) {
    return c !== '' && DIGIT.test(c);
  }

  /** Return [char, start, end] for each folded char, with its source code point's span. */
  function foldedChars(text) {
    var chars = [], i = 0;
    for (var ch of text) {
      var folded = foldChar(ch), end = i + ch.length;
      if (folded) {
        for (var c of folded) chars.push([c, i, end]);
      } else if (chars.length && chars[chars.length - 1][2] === i) {
        // A char folding to nothing (a combining mark) joins the span before it.
        chars[chars.length - 1][2] = end;
      }
      i = end;
    }
    return chars;
  }

  /** Return the folded char at i, or '' past either end. */
  function charAt(chars, i) {
    return i >= 0 && i < chars.length ? chars[i][0] : '';
  }

  /** Return [token, next index] for a dotted abbreviation (U.S., e.g.) at i, or null. */
  function abbreviationAt(chars, i) {
    var letters = '', end = i, j = i;
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
    if ([...letters].length < 2) return null;
    return [{ term: letters, start: chars[i][1], end: end }, j];
  }

  /** Return [token, next index] for the run of word chars (and joiners) at i. */
  function wordAt(chars, i) {
    var term = '', end = chars[i][2], j = i, last = '';
    while (j < chars.length) {
      var c = chars[j][0], nxt = charAt(chars, j + 1);
      if (isWordChar(c)) {
        term += c;
        last = c;
        end = chars[j][2];
      } else if (!isWordChar(nxt)) {
        break;
      } else if (APOSTROPHES.indexOf(c) >= 0 || (c === ',' && isDigit(last) && isDigit(nxt))) {
        // dropped: Japan's -> japans, 1,739 -> 1739
      } else if (c === '.' && isDigit(last) && isDigit(nxt)) {
        term += c; // kept: 3.1 stays one term
      } else {
        break;
      }
      j += 1;
    }
    return [{ term: term, start: chars[i][1], end: end }, j];
  }

  /** Return the search tokens of text: [{term, start, end}] with UTF-16 spans into text. */
  function tokenize(text) {
    var chars = foldedChars(String(text)), tokens = [], i = 0;
    while (i < chars.length) {
      if (!isWordChar(chars[i][0])) {
        i += 1;
        continue;
      }
      // No word char precedes i here: the previous token stopped at a non-word char.
      var found = abbreviationAt(chars, i) || wordAt(chars, i);
      tokens.push(found[0]);
      i = found[1];
    }
    return tokens;
  }

  return { tokenize: tokenize };
}));
