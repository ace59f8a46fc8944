/* Search the whole shelf: the engine. Answers a query in query.js's passes (the words as typed, the
   last one as a prefix, close spellings, most of the words) from the shelf index's parts, loading
   only those the query needs; ranks first the docs where the words stand together in order, checked
   in the text of the docs it shows. Needs ReaderText (textnorm.js) and ReaderShelfIndex (shelfparts.js,
   shelfindex.js, shelfwords.js); registers globalThis.ReaderShelfSearch. */
(function (global) {
  'use strict';
  const { Index, words: W, lowerBound } = global.ReaderShelfIndex;
  const TIERS = ['exact', 'prefix', 'typo', 'partial'];
  const FIELDS = /** @type {const} */ (['title', 'body']);
  const BLOCK = 32; // docs read and checked together, in the order the index ranks them
  const EXTRA_BLOCKS = 3; // blocks read past those a page of results needs, when checking drops docs
  const PAGE = 20;

  /** @typedef {import('./shelfindex.js').Trace} Trace */
  /** @typedef {import('./shelfindex.js').Doc} Doc */
  /** @typedef {{term: string, prefix: string, entry: any}} Match */
  /** @typedef {{term: string, start: number, end: number, stem: string}} Token */
  /** @typedef {{doc: number, here: number, matched: number, score: number}} Candidate */
  /** @typedef {{spans: Record<string, Array<[number, number]>>, literal: number, score: number}} Held */

  /** Order by keys, each larger first. @param {number[]} a @param {number[]} b */
  const byKeys = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
    return 0;
  };
  /** @param {[number, number]} a @param {[number, number]} b */
  const bySpan = (a, b) => a[0] - b[0] || a[1] - b[1];

  /** Return the query's units: each plain word alone, each quoted phrase as one. @param {any} q */
  function unitsOf(q) {
    const units = [];
    for (let i = 0; i < q.words.length; i++) {
      const phrase = q.phrases.find((/** @type {[number, number]} */ [a]) => a === i);
      units.push(phrase ? Array.from({ length: phrase[1] - phrase[0] + 1 }, (_, k) => i + k) : [i]);
      if (phrase) i = phrase[1];
    }
    return units;
  }

  /**
   * Return [matched, units held] from which words a doc holds (a phrase not held counts none of its words).
   * @param {any} q @param {boolean[]} held @param {(phrase: [number, number]) => boolean} phraseHeld
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

  class ShelfSearch {
    /**
     * @param {any} index an opened ReaderShelfIndex.Index, or null when the manifest could not be read
     * @param {(word: string) => string} stem lunr.js's stemmer, as in-article search stems
     * @param {number} here the number of the article whose docs come first (-1: none)
     */
    constructor(index, stem, here) {
      /** @type {Map<string, string>} */
      const stems = new Map();
      this.index = index;
      this.stem = (/** @type {string} */ w) => {
        if (!stems.has(w)) stems.set(w, stem(w));
        return /** @type {string} */ (stems.get(w));
      };
      const starts = index ? index.articleStarts : [0];
      this.here = here >= 0 && here < starts.length - 1 ? [starts[here], starts[here + 1]] : [0, 0];
      /** @type {Map<string, Token[]>} */
      this.tokenCache = new Map();
      /** @type {Map<string, any[]>} a word's prefix or typo matches */
      this.matches = new Map();
      /** @type {WeakMap<Token[], Map<string, Token[]>>} */
      this.stemIndex = new WeakMap();
      /** @type {any} */
      this.last = null;
    }

    /**
     * Open the shelf index and return an engine on it (one that finds nothing, incomplete, if the manifest fails).
     * @param {{base: string, manifest: string, stem: (word: string) => string, here?: number,
     *   load?: (url: string) => Promise<void>}} options
     */
    static async open({ base, manifest, stem, here = -1, load }) {
      return new ShelfSearch(await Index.open(base, manifest, load), stem, here);
    }

    /**
     * Answer a query: {tier, results, total, totalExact, incomplete, capped, words}, the best results first, at
     * most options.limit (20 unless given). Asked again with a bigger limit, it continues the same list.
     * @param {unknown} query @param {{prefix?: boolean, limit?: number}} [options]
     */
    async search(query, options) {
      const { prefix = false, limit = PAGE } = options || {}, shown = Number(limit) > 0 ? Number(limit) : PAGE;
      const key = (prefix ? '1' : '0') + String(query ?? '');
      if (!this.last || this.last.key !== key) {
        const state = { key, trace: { incomplete: !this.index }, candidates: [], results: [], next: 0, tier: 'none' };
        const q = W.parseQuery(query, this.stem);
        const ready = this.index ? this.rank(state, q, !!prefix, shown) : Promise.resolve();
        this.last = Object.assign(state, { q, ready });
      }
      const state = this.last;
      state.ready = state.ready.then(() => state.tier !== 'none' && this.fill(state, shown));
      await state.ready;
      return this.answer(state, shown);
    }

    /** @param {any} state @param {number} shown */
    answer(state, shown) {
      const left = state.candidates.length - state.next, exact = !left || !state.drops;
      const counted = exact ? state.candidates.length - state.dropped : state.results.length + left;
      const words = state.q.words.length;
      const results = state.results.slice(0, shown).map((/** @type {any} */ r) => ({
        ref: r.doc.ref, doc: r.doc.doc, article: r.doc.article, here: !!r.here, title: r.doc.title, text: r.doc.text,
        score: r.score, matched: r.matched, words, run: r.run, hits: r.hits }));
      return { tier: state.tier, words, incomplete: state.trace.incomplete, capped: !!state.capped,
        total: state.tier === 'none' ? 0 : counted, totalExact: exact, results };
    }

    /**
     * Run the passes until one finds a doc: every word as typed (or stemmed), then the last one as a prefix,
     * then close spellings of words the index lacks, then the docs with most of the words.
     * @param {any} state @param {any} q @param {boolean} prefix @param {number} limit
     */
    async rank(state, q, prefix, limit) {
      const n = q.words.length, trace = state.trace;
      const entries = await this.index.entries(q.words.map((/** @type {any} */ w) => w.stem), trace);
      const exact = q.words.map((/** @type {any} */ w) => (entries.get(w.stem) ? [[w.stem, '']] : []));
      let sets = exact, pass = 0;
      for (; pass < 4 && n && !state.results.length; pass++) {
        const found = await Promise.all(sets.map((/** @type {any} */ _, /** @type {number} */ i) => (
          pass === 1 && prefix && i === n - 1 ? this.remembered(`p${q.words[i].term}`, trace,
            () => W.prefixMatches(this.index, q.words[i], trace))
            : pass === 2 && !exact[i].length ? this.remembered(`t${q.words[i].term}`, trace,
              () => W.typoMatches(this.index, q.words[i], this.stem, trace)) : [])));
        const next = sets.map((/** @type {any[]} */ set, /** @type {number} */ i) => set.concat(
          found[i].filter(([/** @type {string} */ t]) => !set.some(([u]) => u === t))));
        // A pass for all words runs only if it can find what the one before could not; most words needs two
        // or more words or phrases.
        const run = pass === 3 ? unitsOf(q).length > 1
          : (!pass || JSON.stringify(next) !== JSON.stringify(sets)) && next.every((/** @type {any[]} */ s) => s[0]);
        sets = next;
        if (run) {
          await this.candidates(state, q, sets, pass < 3);
          await this.fill(state, limit);
        }
      }
      state.tier = state.results.length ? TIERS[pass - 1] : 'none';
    }

    /**
     * Return a word's prefix or typo matches, kept for the keystrokes after (unless a part failed on the way).
     * @param {string} key @param {Trace} trace @param {() => Promise<any[]>} find
     */
    async remembered(key, trace, find) {
      if (this.matches.has(key)) return this.matches.get(key);
      const before = trace.incomplete, found = await find();
      if (this.matches.size > 512) this.matches.clear();
      if (!trace.incomplete || before) this.matches.set(key, found);
      return found;
    }

    /**
     * Find the docs that may answer a pass from the postings alone, ranked by what the postings say: this
     * article first, then words held, then the sum of their weights, then shelf order. Reads in full only
     * the postings of the rarest words a doc must hold one of; the others only near those docs.
     * @param {any} state @param {any} q @param {Array<Array<[string, string]>>} sets @param {boolean} all
     */
    async candidates(state, q, sets, all) {
      const trace = state.trace, entries = await this.index.entries(sets.flat().map(([t]) => t), trace);
      /** @type {Match[][]} */
      const per = sets.map((set) => set.map(([term, prefix]) => ({ term, prefix, entry: entries.get(term) }))
        .filter((m) => m.entry));
      const df = per.map((ms) => ms.reduce((k, m) => k + m.entry.df, 0)), units = unitsOf(q);
      const rarest = (/** @type {number[]} */ unit) => unit.reduce((x, y) => (df[y] < df[x] ? y : x));
      // A doc holding every word holds the rarest; one holding half the units holds one of the others' rarest.
      const keyWords = all ? [rarest(q.words.map((/** @type {any} */ _, /** @type {number} */ i) => i))]
        : units.map(rarest).sort((x, y) => df[x] - df[y] || x - y)
          .slice(0, units.length - Math.ceil(units.length / 2) + 1);
      /** @type {Array<Array<[number[], number[]]>>} per word, per match: its postings [docs, weights] */
      const lists = [];
      await Promise.all(keyWords.map(async (i) => { lists[i] = await this.wordLists(per[i], null, trace); }));
      const within = [...new Set(keyWords.flatMap((i) => lists[i].flatMap(([docs]) => docs)))].sort((x, y) => x - y);
      await Promise.all(per.map(async (ms, i) => { lists[i] = lists[i] || await this.wordLists(ms, within, trace); }));
      // Per candidate (by its place in within): which words it holds and the sum of their weights.
      const n = q.words.length, at = new Map(within.map((doc, k) => [doc, k]));
      const held = new Uint8Array(within.length * n), score = new Float64Array(within.length);
      lists.forEach((ls, i) => ls.forEach(([docs, weights]) => docs.forEach((doc, k) => {
        const p = at.get(doc);
        if (p === undefined) return;
        held[p * n + i] = 1;
        score[p] += weights[k];
      })));
      state.candidates = [];
      for (let p = 0; p < within.length; p++) {
        const has = Array.from(held.subarray(p * n, p * n + n), Boolean);
        const [matched, unitsHeld] = counts(q, has, () => true);
        if (!(all ? matched === n : unitsHeld * 2 >= units.length) || !matched) continue;
        const doc = within[p], here = +(doc >= this.here[0] && doc < this.here[1]);
        state.candidates.push({ doc, here, matched, score: score[p] });
      }
      state.candidates.sort((/** @type {Candidate} */ x, /** @type {Candidate} */ y) => y.here - x.here
        || y.matched - x.matched || y.score - x.score || x.doc - y.doc);
      Object.assign(state, { per, lists, all, next: 0, results: [], dropped: 0, capped: false,
        drops: q.phrases.length > 0 || sets.some((set) => set.some(([, p]) => p)) });
    }

    /**
     * Return the postings [docs, weights] of each of one word's matches (those near within's docs, when given).
     * @param {Match[]} matches @param {number[] | null} within @param {Trace} trace
     */
    wordLists(matches, within, trace) {
      return Promise.all(matches.map((m) => this.index.postings(m.entry, within, trace)));
    }

    /**
     * Return, per word, [match number, weight] of the matches a doc holds (read in the postings).
     * @param {any} state @param {number} doc
     * @returns {Array<Array<[number, number]>>}
     */
    weightsIn(state, doc) {
      return state.lists.map((/** @type {Array<[number[], number[]]>} */ ls) => {
        /** @type {Array<[number, number]>} */
        const found = [];
        ls.forEach(([docs, weights], j) => {
          const k = lowerBound(docs, doc);
          if (docs[k] === doc) found.push([j, weights[k]]);
        });
        return found;
      });
    }

    /**
     * Check candidates block by block in their order until a page of results stands (or a few blocks past it
     * found none): each block's docs read, checked in their text and ranked among themselves.
     * @param {any} state @param {number} limit
     */
    async fill(state, limit) {
      const cap = (Math.ceil(limit / BLOCK) + EXTRA_BLOCKS) * BLOCK;
      while (state.results.length < limit && state.next < state.candidates.length && state.next < cap) {
        const block = state.candidates.slice(state.next, state.next + BLOCK);
        state.next += block.length;
        const checked = await Promise.all(block.map((/** @type {Candidate} */ c) => this.verify(state, c)));
        const kept = checked.filter(Boolean);
        state.dropped += block.length - kept.length;
        const keys = (/** @type {any} */ r) => [r.here, r.matched, r.chain, r.literal, r.score, -r.doc.doc];
        state.results.push(...kept.sort((x, y) => byKeys(keys(x), keys(y))));
      }
      state.capped = state.next < state.candidates.length && state.results.length < limit;
    }

    /**
     * Return a candidate ranked from its text (words matched, the longest run of the query's words in order,
     * words standing literally, weight), with its hits and run; or null if its text lacks what the pass demands.
     * @param {any} state @param {Candidate} c
     */
    async verify(state, c) {
      const doc = await this.index.doc(c.doc, state.trace);
      if (!doc) return null;
      const q = state.q, fields = { title: this.tokensOf(doc.title), body: this.tokensOf(doc.text) };
      const texts = { title: doc.title, body: doc.text };
      const weights = this.weightsIn(state, c.doc);
      const words = q.words.map((/** @type {any} */ w, /** @type {number} */ i) => (
        this.wordIn(w, state.per[i], weights[i], fields)));
      const { best, ending } = this.longestRuns(texts, words);
      const [matched, unitsHeld] = counts(q, words.map(Boolean), ([a, b]) => ending[b] > b - a);
      if (!(state.all ? matched === words.length : unitsHeld * 2 >= unitsOf(q).length) || !matched) return null;
      const sum = (/** @type {'literal' | 'score'} */ k) => words.reduce((s, w) => s + (w ? w[k] : 0), 0);
      const hits = FIELDS.flatMap((field) => words.flatMap((w) => (w && w.spans[field]) || []).sort(bySpan)
        .filter((s, i, all) => !i || bySpan(s, all[i - 1])).map(([start, end]) => ({ field, start, end })));
      return { doc, here: c.here, matched, chain: best.length, literal: sum('literal'), score: sum('score'), hits,
        run: best.length > 1 ? { field: best.field, start: best.start, end: best.end } : null };
    }

    /**
     * Return how one word stands in a doc's text ({spans by field, literal: 0 or 1, score}), or null.
     * @param {any} word @param {Match[]} matches @param {Array<[number, number]>} weights [match number, weight]
     * @param {Record<string, Token[]>} fields
     * @returns {Held | null}
     */
    wordIn(word, matches, weights, fields) {
      /** @type {Record<string, Array<[number, number]>>} */
      const spans = {};
      let literal = 0, score = 0;
      for (const [j, weight] of weights) {
        const { term, prefix } = matches[j];
        let kept = false;
        for (const field of FIELDS) {
          for (const t of this.byStem(fields[field]).get(term) || []) {
            if ((prefix || term === word.stem) && t.term === word.term) literal = 1;
            if (!t.term.startsWith(prefix)) continue;
            (spans[field] = spans[field] || []).push([t.start, t.end]);
            kept = true;
          }
        }
        if (kept) score += weight;
      }
      for (const field in spans) spans[field].sort(bySpan);
      return score ? { spans, literal, score } : null;
    }

    /**
     * Return the doc's longest run of the query's words standing together in order ({length, field, start, end})
     * and, for each word, the length of the longest run ending with it (as query.js's longestRuns).
     * @param {Record<string, string>} texts @param {Array<Held | null>} words
     */
    longestRuns(texts, words) {
      let best = { length: 0, field: '', start: 0, end: 0 };
      const ending = words.map(() => 0);
      for (const field of ['body', 'title']) { // the body first: a run as long in the title does not replace it
        /** @type {Array<{length: number, start: number, end: number}>} */
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

    /** Return a text's tokens by stem (cached with the tokens). @param {Token[]} tokens */
    byStem(tokens) {
      let found = this.stemIndex.get(tokens);
      if (!found) {
        found = new Map();
        for (const t of tokens) (found.get(t.stem) || found.set(t.stem, []).get(t.stem)).push(t);
        this.stemIndex.set(tokens, found);
      }
      return /** @type {Map<string, Token[]>} */ (found);
    }

    /** Return a text's tokens with their stems (cached: the same texts and gaps come back). @param {string} text */
    tokensOf(text) {
      let found = this.tokenCache.get(text);
      if (!found) {
        if (this.tokenCache.size > 4096) this.tokenCache.clear();
        found = global.ReaderText.tokenize(text).map((/** @type {any} */ t) => ({ ...t, stem: this.stem(t.term) }));
        this.tokenCache.set(text, /** @type {Token[]} */ (found));
      }
      return /** @type {Token[]} */ (found);
    }
  }

  /**
   * Return results grouped by article, articles in the order of their first result: [{article, results}].
   * @param {Array<{article: {index: number}}>} results
   */
  function groupByArticle(results) {
    /** @type {Map<number, {article: any, results: any[]}>} */
    const groups = new Map();
    for (const r of results) {
      if (!groups.has(r.article.index)) groups.set(r.article.index, { article: r.article, results: [] });
      /** @type {{results: any[]}} */ (groups.get(r.article.index)).results.push(r);
    }
    return [...groups.values()];
  }

  global.ReaderShelfSearch = { open: ShelfSearch.open, groupByArticle, BLOCK };
}(typeof globalThis !== 'undefined' ? globalThis : this));
