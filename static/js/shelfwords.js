/* The words of a shelf query and the index terms each may match: as typed (its stem), the last
   word as a prefix, close spellings of a word the index lacks. Mirrors static/js/query.js's passes,
   reading only the vocabulary shards near the word; and how the words stand in a doc's text. Needs ReaderText
   (textnorm.js); reads the index through the ShelfIndexReader it is given (shelfindex.js); registers
   ReaderShelfWords. */
(() => {
  'use strict';
  const QUOTES = /["\u201c\u201d\u201e]/;
  const MAX_WORDS = 64; // a longer query is read up to its 64th word
  const PREFIX_TERMS = 64; // one or two letters begin thousands of terms: the first 64 serve
  const LETTERS = [...'abcdefghijklmnopqrstuvwxyz'];
  const END = '\uffff';
  const FIELDS = /** @type {const} */ (['title', 'body']);
  /** @param {Pair} a @param {Pair} b */
  const bySpan = (a, b) => a[0] - b[0] || a[1] - b[1];

  /**
   * Return the query's words (at most MAX_WORDS) and its quoted phrases as [first, last] word numbers.
   * @param {unknown} text @param {(word: string) => string} stem
   * @returns {ShelfQuery}
   */
  function parseQuery(text, stem) {
    /** @type {ShelfWord[]} */
    const words = [];
    /** @type {Pair[]} */
    const phrases = [];
    const parts = String(text ?? '').split(QUOTES);
    parts.forEach((part, i) => {
      const first = words.length;
      for (const { term } of globalThis.ReaderText.tokenize(part)) {
        if (words.length < MAX_WORDS) words.push({ term, stem: stem(term) });
      }
      // Odd parts stand between quotes; an unclosed quote's tail is plain words.
      if (i % 2 && i < parts.length - 1 && words.length - first > 1) phrases.push([first, words.length - 1]);
    });
    return { words, phrases };
  }

  /** Return a string's code points. @param {string} s */
  const chars = (s) => [...s];

  /**
   * Return the terms the last word may be the start of (their hits must begin with it), or if none the longest
   * start of it (3 letters or more) that is a term.
   * @param {ShelfIndexReader} index @param {ShelfWord} word @param {ShelfTrace} trace
   * @returns {Promise<Match[]>}
   */
  async function prefixMatches(index, { term: p, stem: own }, trace) {
    const found = (await index.vocabulary('vocab', p, p + END, trace)).filter((t) => t !== own);
    const cp = chars(p);
    for (let k = cp.length - 1; !found.length && k > 2; k--) {
      const start = cp.slice(0, k).join('');
      if ((await index.vocabulary('vocab', start, `${start}\0`, trace)).length) found.push(start);
    }
    return found.slice(0, PREFIX_TERMS).map((t) => /** @type {Match} */ ([t, p]));
  }

  /**
   * Return the restricted Damerau-Levenshtein (optimal string alignment) distance of two code point arrays,
   * or max + 1 once it must exceed max.
   * @param {string[]} a @param {string[]} b @param {number} max
   */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    /** @type {number[]} */
    let before = [];
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + cost);
        const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
        if (swapped) next[j] = Math.min(next[j], before[j - 2] + 1);
      }
      if (Math.min(...next) > max) return max + 1;
      [before, row] = [row, next];
    }
    return row[b.length];
  }

  /**
   * Return the stems of every spelling one edit from term (a letter a-z inserted, deleted, replaced, or two
   * neighbours swapped), as query.js tries them: stemming hides typos in endings (secuirty: secuirti, not secur).
   * @param {string} term @param {(word: string) => string} stem
   */
  function oneEditStems(term, stem) {
    const cp = chars(term);
    const at = (/** @type {number} */ i, /** @type {number} */ j = cp.length) => cp.slice(i, j).join('');
    /** @type {Set<string>} */
    const found = new Set();
    for (let i = 0; i <= cp.length; i++) {
      for (const c of ['', ...LETTERS]) found.add(stem(at(0, i) + c + at(i))).add(stem(at(0, i) + c + at(i + 1)));
      if (i + 1 < cp.length) found.add(stem(at(0, i) + cp[i + 1] + cp[i] + at(i + 2)));
    }
    return found;
  }

  /**
   * Return the terms a word of 4 to 30 letters may be a typo of: those within one edit (two from 8 letters) of
   * the word or its stem that share its first two or last two letters, and the stems of its one-edit spellings.
   * @param {ShelfIndexReader} index @param {ShelfWord} word @param {(word: string) => string} stem
   * @param {ShelfTrace} trace
   * @returns {Promise<Match[]>}
   */
  async function typoMatches(index, { term, stem: own }, stem, trace) {
    const n = chars(term).length, edits = n < 8 ? 1 : 2;
    if (n < 4 || n > 30) return [];
    const targets = [own, term].map(chars);
    /** @type {Set<string>} */
    const found = new Set();
    const heads = [...new Set(targets.map((t) => t.slice(0, 2).join('')))];
    const tails = [...new Set(targets.map((t) => t.slice(-2).reverse().join('')))];
    // A spelling's stem is in the vocabulary if a shard holding its place has it: the shards of the heads and
    // tails serve most; the others are read with them, in one round.
    const spellings = [...oneEditStems(term, stem)];
    const backwards = (/** @type {string} */ s) => chars(s).reverse().join('');
    const elsewhere = spellings.filter((s) => !heads.some((h) => s.startsWith(h))
      && !tails.some((t) => backwards(s).startsWith(t)));
    const [headTerms, tailTerms, more] = await Promise.all([
      Promise.all(heads.map((h) => index.vocabulary('vocab', h, h + END, trace))),
      Promise.all(tails.map((t) => index.vocabulary('suffix', t, t + END, trace))),
      Promise.all(elsewhere.map((s) => index.vocabulary('vocab', s, `${s}\0`, trace)))]);
    const near = new Set([...headTerms.flat(), ...tailTerms.flat().map(backwards)]);
    for (const t of near) {
      // t has between t.length / 2 and t.length code points: one surely too short or too long is skipped.
      const close = (/** @type {string[]} */ x) => t.length >= x.length - edits && t.length <= 2 * (x.length + edits)
        && distance(chars(t), x, edits) <= edits;
      if (targets.some(close)) found.add(t);
    }
    const inShards = new Set(elsewhere.filter((_, i) => more[i].length));
    for (const s of spellings) if (near.has(s) || inShards.has(s)) found.add(s);
    return [...found].sort().map((t) => /** @type {Match} */ ([t, '']));
  }

  /** Return the query's units: each plain word alone, each quoted phrase as one. @param {ShelfQuery} q */
  function unitsOf(q) {
    const units = [];
    for (let i = 0; i < q.words.length; i++) {
      const phrase = q.phrases.find(([a]) => a === i);
      units.push(phrase ? Array.from({ length: phrase[1] - phrase[0] + 1 }, (_, k) => i + k) : [i]);
      if (phrase) i = phrase[1];
    }
    return units;
  }

  /**
   * Return [matched, units held] from which words a doc holds (a phrase not held counts none of its words).
   * @param {ShelfQuery} q @param {boolean[]} held @param {(phrase: Pair) => boolean} phraseHeld
   * @returns {[number, number]}
   */
  function counts(q, held, phraseHeld) {
    let matched = held.filter(Boolean).length, units = matched;
    for (const [a, b] of q.phrases) {
      const inside = held.slice(a, b + 1).filter(Boolean).length;
      if (inside === b - a + 1 && phraseHeld([a, b])) units -= b - a;
      else {
        matched -= inside;
        units -= inside;
      }
    }
    return [matched, units];
  }

  /** A doc's words: its tokens with their stems (cached), where a query's words stand in it and run together.
      @implements {ShelfDocWords} */
  class DocWords {
    /** @param {(word: string) => string} stem */
    constructor(stem) {
      this.stem = stem;
      /** @type {Map<string, ShelfToken[]>} */
      this.tokenCache = new Map();
      /** @type {WeakMap<ShelfToken[], Map<string, ShelfToken[]>>} */
      this.stemIndex = new WeakMap();
    }

    /** Return how often a term (a stem) stands in a text. @param {string} text @param {string} term */
    tf(text, term) {
      return (this.byStem(this.tokensOf(text)).get(term) || []).length;
    }

    /**
     * Return how one word stands in a doc's text ({spans by field, literal: 0 or 1, score}), or null.
     * @param {ShelfWord} word @param {ShelfIndexMatch[]} matches @param {Pair[]} weights [match number, estimated
     *   weight] of the matches the postings say the doc holds
     * @param {Record<string, ShelfToken[]>} fields @param {ShelfWeigh} weigh a term's weight in the doc
     * @returns {ShelfWordHit | null}
     */
    wordIn(word, matches, weights, fields, weigh) {
      /** @type {Record<string, Pair[]>} */
      const spans = {};
      let literal = 0, score = 0;
      const lengths = /** @type {[number, number]} */ (FIELDS.map((field) => fields[field].length));
      for (const [j] of weights) {
        const { term, prefix, entry } = matches[j];
        let kept = false;
        const tf = FIELDS.map((field) => {
          const found = this.byStem(fields[field]).get(term) || [];
          for (const t of found) {
            if ((prefix || term === word.stem) && t.term === word.term) literal = 1;
            if (!t.term.startsWith(prefix)) continue;
            (spans[field] = spans[field] || []).push([t.start, t.end]);
            kept = true;
          }
          return found.length;
        });
        // The weight from the doc's own lengths, now that its text is here (the postings' assumed average ones).
        if (kept) score += weigh(entry.df, tf[0], tf[1], lengths);
      }
      for (const field in spans) spans[field].sort(bySpan);
      return score ? { spans, literal, score } : null;
    }

    /**
     * Return the doc's longest run of the query's words standing together in order ({length, field, start, end})
     * and, for each word, the length of the longest run ending with it (as query.js's longestRuns).
     * @param {Record<string, string>} texts @param {Array<ShelfWordHit | null>} words
     */
    longestRuns(texts, words) {
      /** @type {ShelfRun} */
      let best = { length: 0, field: '', start: 0, end: 0 };
      const ending = words.map(() => 0);
      for (const field of ['body', 'title']) { // the body first: a run as long in the title does not replace it
        /** @type {ShelfRun[]} */
        let before = [];
        words.forEach((w, i) => {
          let j = 0;
          before = ((w && w.spans[field]) || []).map(([start, end]) => {
            while (j + 1 < before.length && before[j + 1].end <= start) j++;
            const a = before[j];
            const together = a && a.end <= start && !this.tokensOf(texts[field].slice(a.end, start)).length;
            const run = { length: together ? a.length + 1 : 1, field, start: together ? a.start : start, end };
            ending[i] = Math.max(ending[i], run.length);
            if (run.length > best.length) best = run;
            return run;
          });
        });
      }
      return { best, ending };
    }

    /** Return a text's tokens by stem (cached with the tokens). @param {ShelfToken[]} tokens */
    byStem(tokens) {
      let found = this.stemIndex.get(tokens);
      if (!found) {
        found = new Map();
        for (const t of tokens) {
          const same = found.get(t.stem);
          if (same) same.push(t);
          else found.set(t.stem, [t]);
        }
        this.stemIndex.set(tokens, found);
      }
      return found;
    }

    /** Return a text's tokens with their stems (cached: the same texts and gaps come back). @param {string} text */
    tokensOf(text) {
      let found = this.tokenCache.get(text);
      if (!found) {
        if (this.tokenCache.size > 4096) this.tokenCache.clear();
        found = globalThis.ReaderText.tokenize(text).map((t) => ({ ...t, stem: this.stem(t.term) }));
        this.tokenCache.set(text, found);
      }
      return found;
    }
  }

  globalThis.ReaderShelfWords = { parseQuery, unitsOf, counts, prefixMatches, typoMatches, distance, oneEditStems,
    DocWords, MAX_WORDS };
})();
