/* Search the whole shelf: the engine. Answers a query in query.js's passes (the words as typed, the
   last one as a prefix, close spellings, most of the words) from the shelf index's parts, loading
   only those the query needs; ranks first the docs where the words stand together in order, checked
   in the text of the docs it shows. Needs ReaderText (textnorm.js), ReaderShelfParts (shelfparts.js),
   ReaderShelfIndex (shelfindex.js) and ReaderShelfWords (shelfwords.js); registers ReaderShelfSearch. */
(() => {
  'use strict';
  const { ReaderShelfIndex: Index, ReaderShelfWords: W } = globalThis, { lowerBound } = Index;
  const { unitsOf, counts } = W;
  /** @type {SearchTier[]} */
  const TIERS = ['exact', 'prefix', 'typo', 'partial'];
  const FIELDS = /** @type {const} */ (['title', 'body']);
  const BLOCK = 32; // docs read and checked together, in the order the index ranks them
  const EXTRA_BLOCKS = 3; // blocks read past those a page of results needs, when checking drops docs
  const PAGE = 20;
  const ARABIC = /^[\u0620-\u064a]/; // as textnorm.js: a word the Arabic stemmer takes

  /** @typedef {{doc: number, here: number, matched: number, score: number}} Candidate */
  /**
   * @typedef {{doc: ShelfDocText, here: number, matched: number, chain: number, literal: number, score: number,
   *   hits: SearchHit[], run: FieldSpan | null}} Checked a candidate checked in its text */
  /**
   * @typedef {{key: string, q: ShelfQuery, trace: ShelfTrace, ready: Promise<unknown>, tier: SearchTier,
   *   candidates: Candidate[], results: Checked[], next: number, dropped: number, capped: boolean, drops: boolean,
   *   all: boolean, per: ShelfIndexMatch[][], lists: ShelfPostings[][]}} SearchState one query's answer as it
   *   grows */

  /** Order by keys, each larger first. @param {number[]} a @param {number[]} b */
  const byKeys = (a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
    return 0;
  };
  /** @param {Pair} a @param {Pair} b */
  const bySpan = (a, b) => a[0] - b[0] || a[1] - b[1];

  /**
   * Return the stem function the build's stemmer names (reader/search.py STEMMERS): 'ar', Arabic's light stemmer
   * for Arabic words and lunr.js's for others; any other, lunr.js's.
   * @param {string} name
   */
  function stemmer(name) {
    const english = (/** @type {string} */ word) => globalThis.lunr.stemmer(new globalThis.lunr.Token(word)).toString();
    if (name !== 'ar') return english;
    return (/** @type {string} */ word) => (ARABIC.test(word) ? globalThis.ReaderText.stemArabic(word) : english(word));
  }

  /** @implements {ShelfSearchEngine} */
  class ShelfSearch {
    /**
     * @param {ShelfIndexReader | null} index the opened index, or null when the manifest could not be read
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
      /** @type {Map<string, Match[]>} a word's prefix or typo matches */
      this.matches = new Map();
      this.words = new W.DocWords(this.stem);
      /** @type {SearchState | null} */
      this.last = null;
    }

    /**
     * Open the shelf index and return an engine on it (one that finds nothing, incomplete, if the manifest fails).
     * stem: how query words are stemmed; unless given, as the build stemmed (the manifest names it; lunr.js and
     * ReaderText must be loaded).
     * @param {{base: string, manifest: string, stem?: (word: string) => string, here?: number,
     *   load?: ShelfLoader}} options
     * @returns {Promise<ShelfSearchEngine>}
     */
    static async open({ base, manifest, stem, here = -1, load }) {
      const index = await Index.open(base, manifest, load);
      return new ShelfSearch(index, stem || stemmer(index ? index.stemmer : ''), here);
    }

    /**
     * Answer a query: {tier, results, total, totalExact, incomplete, capped, words}, the best results first, at
     * most options.limit (20 unless given). Asked again with a bigger limit, it continues the same list.
     * @param {unknown} query @param {{prefix?: boolean, limit?: number}} [options]
     * @returns {Promise<ShelfAnswer>}
     */
    async search(query, options) {
      const { prefix = false, limit = PAGE } = options || {}, shown = Number(limit) > 0 ? Number(limit) : PAGE;
      const key = (prefix ? '1' : '0') + String(query ?? '');
      let state = this.last;
      if (!state || state.key !== key) {
        const q = W.parseQuery(query, this.stem);
        /** @type {SearchState} */
        const fresh = { key, q, trace: { incomplete: !this.index }, candidates: [], results: [], next: 0,
          tier: 'none', ready: Promise.resolve(), dropped: 0, capped: false, drops: false, all: true, per: [],
          lists: [] };
        if (this.index) fresh.ready = this.rank(this.index, fresh, q, !!prefix, shown);
        this.last = state = fresh;
      }
      const current = state;
      current.ready = current.ready.then(async () => {
        if (current.tier !== 'none') await this.fill(current, shown);
      });
      await current.ready;
      return this.answer(current, shown);
    }

    /** @param {SearchState} state @param {number} shown @returns {ShelfAnswer} */
    answer(state, shown) {
      const left = state.candidates.length - state.next, exact = !left || !state.drops;
      const counted = exact ? state.candidates.length - state.dropped : state.results.length + left;
      const words = state.q.words.length;
      const results = state.results.slice(0, shown).map((r) => ({
        ref: r.doc.ref, doc: r.doc.doc, article: r.doc.article, here: !!r.here, title: r.doc.title, text: r.doc.text,
        score: r.score, matched: r.matched, words, run: r.run, hits: r.hits }));
      return { tier: state.tier, words, incomplete: state.trace.incomplete, capped: !!state.capped,
        total: state.tier === 'none' ? 0 : counted, totalExact: exact, results };
    }

    /**
     * Run the passes until one finds a doc: every word as typed (or stemmed), then the last one as a prefix,
     * then close spellings of words the index lacks, then the docs with most of the words.
     * @param {ShelfIndexReader} index @param {SearchState} state @param {ShelfQuery} q @param {boolean} prefix
     * @param {number} limit
     */
    async rank(index, state, q, prefix, limit) {
      const n = q.words.length, trace = state.trace;
      if (prefix && n) index.warm(q.words[n - 1].term); // the prefix pass's parts load while the exact pass runs
      const entries = await index.entries(q.words.map((w) => w.stem), trace);
      const exact = q.words.map((w) => (entries.get(w.stem) ? [/** @type {Match} */ ([w.stem, ''])] : []));
      let sets = exact, pass = 0;
      for (; pass < 4 && n && !state.results.length; pass++) {
        const found = await Promise.all(sets.map((_, i) => (
          pass === 1 && prefix && i === n - 1 ? this.remembered(`p${q.words[i].term}`, trace,
            () => W.prefixMatches(index, q.words[i], trace))
            : pass === 2 && !exact[i].length ? this.remembered(`t${q.words[i].term}`, trace,
              () => W.typoMatches(index, q.words[i], this.stem, trace)) : [])));
        const next = sets.map((set, i) => set.concat(found[i].filter(([t]) => !set.some(([u]) => u === t))));
        // A pass for all words runs only if it can find what the one before could not; most words needs two
        // or more words or phrases.
        const run = pass === 3 ? unitsOf(q).length > 1
          : (!pass || JSON.stringify(next) !== JSON.stringify(sets)) && next.every((s) => s[0]);
        sets = next;
        if (run) {
          await this.candidates(index, state, q, sets, pass < 3);
          await this.fill(state, limit);
        }
      }
      state.tier = state.results.length ? TIERS[pass - 1] : 'none';
    }

    /**
     * Return a word's prefix or typo matches, kept for the keystrokes after (unless a part failed on the way).
     * @param {string} key @param {ShelfTrace} trace @param {() => Promise<Match[]>} find
     * @returns {Promise<Match[]>}
     */
    async remembered(key, trace, find) {
      const known = this.matches.get(key);
      if (known) return known;
      const before = trace.incomplete, found = await find();
      if (this.matches.size > 512) this.matches.clear();
      if (!trace.incomplete || before) this.matches.set(key, found);
      return found;
    }

    /**
     * Find the docs that may answer a pass from the postings alone, ranked by what the postings say: this
     * article first, then words held, then the sum of their weights, then shelf order. Reads in full only
     * the postings of the rarest words a doc must hold one of; the others only near those docs.
     * @param {ShelfIndexReader} index @param {SearchState} state @param {ShelfQuery} q @param {Match[][]} sets
     * @param {boolean} all
     */
    async candidates(index, state, q, sets, all) {
      const trace = state.trace, entries = await index.entries(sets.flat().map(([t]) => t), trace);
      /** @type {ShelfIndexMatch[][]} */
      const per = sets.map((set) => set.flatMap(([term, prefix]) => {
        const entry = entries.get(term);
        return entry ? [{ term, prefix, entry }] : [];
      }));
      const df = per.map((ms) => ms.reduce((k, m) => k + m.entry.df, 0)), units = unitsOf(q);
      const rarest = (/** @type {number[]} */ unit) => unit.reduce((x, y) => (df[y] < df[x] ? y : x));
      // A doc holding every word holds the rarest; one holding half the units holds one of the others' rarest.
      const keyWords = all ? [rarest(q.words.map((_, i) => i))]
        : units.map(rarest).sort((x, y) => df[x] - df[y] || x - y)
          .slice(0, units.length - Math.ceil(units.length / 2) + 1);
      /** @type {ShelfPostings[][]} per word, per match: its postings [docs, weights] */
      const lists = [];
      await Promise.all(keyWords.map(async (i) => { lists[i] = await this.wordLists(index, per[i], null, trace); }));
      const within = [...new Set(keyWords.flatMap((i) => lists[i].flatMap(([docs]) => docs)))].sort((x, y) => x - y);
      // The other words: postings in their term parts as they are; a common word's chunks only for many candidates,
      // few are read in their text instead (as the first block will read them: no more round of loads).
      const fromText = within.length <= BLOCK;
      await Promise.all(per.map(async (ms, i) => {
        lists[i] = lists[i] || await this.wordLists(index, ms, within, trace, fromText);
      }));
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
      state.candidates.sort((x, y) => y.here - x.here
        || y.matched - x.matched || y.score - x.score || x.doc - y.doc);
      Object.assign(state, { per, lists, all, next: 0, results: [], dropped: 0, capped: false,
        drops: q.phrases.length > 0 || sets.some((set) => set.some(([, p]) => p)) });
    }

    /**
     * Return the postings [docs, weights] of each of one word's matches (those near within's docs, when given;
     * fromText: a common term's as within's texts tell, instead of its chunks).
     * @param {ShelfIndexReader} index @param {ShelfIndexMatch[]} matches @param {number[] | null} within
     * @param {ShelfTrace} trace @param {boolean} [fromText]
     */
    wordLists(index, matches, within, trace, fromText = false) {
      return Promise.all(matches.map((m) => (fromText && within && !m.entry.postings
        ? this.textPostings(index, m.entry, within, trace) : index.postings(m.entry, within, trace))));
    }

    /**
     * Return a term's postings among some docs as their texts tell (what its chunks would say of them).
     * @param {ShelfIndexReader} index @param {ShelfTermEntry} entry @param {number[]} docs sorted
     * @param {ShelfTrace} trace
     * @returns {Promise<ShelfPostings>}
     */
    async textPostings(index, entry, docs, trace) {
      const texts = await Promise.all(docs.map((doc) => index.doc(doc, trace)));
      /** @type {ShelfPostings} */
      const found = [[], []];
      texts.forEach((text, k) => {
        const tf = text ? [text.title, text.text].map((t) => this.words.tf(t, entry.term)) : [0, 0];
        if (tf[0] || tf[1]) found[0].push(docs[k]), found[1].push(index.weight(entry.df, tf[0], tf[1]));
      });
      return found;
    }

    /**
     * Return, per word, [match number, weight] of the matches a doc holds (read in the postings).
     * @param {SearchState} state @param {number} doc
     * @returns {Pair[][]}
     */
    weightsIn(state, doc) {
      return state.lists.map((ls) => {
        /** @type {Pair[]} */
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
     * @param {SearchState} state @param {number} limit
     */
    async fill(state, limit) {
      const cap = (Math.ceil(limit / BLOCK) + EXTRA_BLOCKS) * BLOCK;
      while (state.results.length < limit && state.next < state.candidates.length && state.next < cap) {
        const block = state.candidates.slice(state.next, state.next + BLOCK);
        state.next += block.length;
        const checked = await Promise.all(block.map((c) => this.verify(state, c)));
        const kept = checked.filter((r) => r !== null);
        state.dropped += block.length - kept.length;
        const keys = (/** @type {Checked} */ r) => [r.here, r.matched, r.chain, r.literal, r.score, -r.doc.doc];
        state.results.push(...kept.sort((x, y) => byKeys(keys(x), keys(y))));
      }
      state.capped = state.next < state.candidates.length && state.results.length < limit;
    }

    /**
     * Return a candidate ranked from its text (words matched, the longest run of the query's words in order,
     * words standing literally, weight), with its hits and run; or null if its text lacks what the pass demands.
     * @param {SearchState} state @param {Candidate} c
     * @returns {Promise<Checked | null>}
     */
    async verify(state, c) {
      const doc = this.index && await this.index.doc(c.doc, state.trace);
      if (!doc) return null;
      const q = state.q, { words: reader, index } = this;
      const fields = { title: reader.tokensOf(doc.title), body: reader.tokensOf(doc.text) };
      const weights = this.weightsIn(state, c.doc), weigh = index ? index.weight.bind(index) : () => 0;
      const words = q.words.map((w, i) => reader.wordIn(w, state.per[i], weights[i], fields, weigh));
      const { best, ending } = reader.longestRuns({ title: doc.title, body: doc.text }, words);
      const [matched, unitsHeld] = counts(q, words.map(Boolean), ([a, b]) => ending[b] > b - a);
      if (!(state.all ? matched === words.length : unitsHeld * 2 >= unitsOf(q).length) || !matched) return null;
      const sum = (/** @type {'literal' | 'score'} */ k) => words.reduce((s, w) => s + (w ? w[k] : 0), 0);
      const hits = FIELDS.flatMap((field) => words.flatMap((w) => (w && w.spans[field]) || []).sort(bySpan)
        .filter((s, i, all) => !i || bySpan(s, all[i - 1])).map(([start, end]) => ({ field, start, end })));
      return { doc, here: c.here, matched, chain: best.length, literal: sum('literal'), score: sum('score'), hits,
        run: best.length > 1 ? { field: best.field, start: best.start, end: best.end } : null };
    }
  }

  /**
   * Return results grouped by article, articles in the order of their first result: [{article, results}].
   * @template {{article: ShelfResultArticle}} R
   * @param {R[]} results
   */
  function groupByArticle(results) {
    /** @type {Map<number, {article: ShelfResultArticle, results: R[]}>} */
    const groups = new Map();
    for (const r of results) {
      const group = groups.get(r.article.index);
      if (group) group.results.push(r);
      else groups.set(r.article.index, { article: r.article, results: [r] });
    }
    return [...groups.values()];
  }

  globalThis.ReaderShelfSearch = { open: ShelfSearch.open, groupByArticle, BLOCK };
})();
