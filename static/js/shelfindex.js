/* Reading the shelf index: the manifest, then only the parts a query needs (term parts, chunks of
   common terms' postings, vocabulary shards, fragments of the articles' text), and the weights of
   terms in docs, as reader/shelfindex.py defines them. The format is documented in docs/shelf-search.md.
   Every read takes a trace and marks it incomplete where a part failed; nothing here throws for a
   missing or corrupt part. Needs ReaderShelfParts (shelfparts.js); registers ReaderShelfIndex. */
(() => {
  'use strict';
  const { Parts, decodeNumbers, decodePostings, nameNumber } = globalThis.ReaderShelfParts;
  const K1 = 1.2, B = 0.75, TITLE_BOOST = 3, UNIT = 0.05; // BM25 as lunr, titles weigh 3, in twentieths
  const KEY = /^[0-9a-v]{8}$/;

  /** @param {unknown} ok @param {string} what */
  const check = (ok, what) => {
    if (!ok) throw new Error(`shelf index part: ${what}`);
  };
  /** @param {string} s @returns {string[]} */
  const lines = (s) => (s ? s.split('\n') : []);
  /** @param {string} s @returns {string[]} */
  const words = (s) => (s ? s.split(' ') : []);

  /**
   * Return the number of the last key not after x (keys[0] stands for everything before keys[1]).
   * @template {number | string} T
   * @param {T[]} keys sorted
   * @param {T} x
   */
  function keyIndex(keys, x) {
    let lo = 0, hi = keys.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Return the first position in a sorted array whose value is not before x (its length if none).
   * @template {number | string} T
   * @param {T[]} sorted @param {T} x
   */
  function lowerBound(sorted, x) {
    let lo = 0, hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Return BM25's share of a field where a term stands tf times among length terms (average: the shelf's).
   * @param {number} tf @param {number} length @param {number} average
   */
  const saturation = (tf, length, average) => (tf ? (K1 + 1) * tf / (K1 * (1 - B + B * length / average) + tf) : 0);

  /** The whole index as a query sees it: the manifest at hand, every other part fetched on demand.
      @implements {ShelfIndexReader} */
  class Index {
    /**
     * @param {ShelfPartStore} parts
     * @param {any} m the manifest
     */
    constructor(parts, m) {
      check(m.format === 2 && Number.isInteger(m.docs) && Array.isArray(m.lengths), 'manifest');
      this.parts = parts;
      this.docs = m.docs;
      this.stemmer = String(m.stemmer || '');
      this.averages = m.lengths.map((/** @type {number} */ total) => total / Math.max(1, m.docs));
      this.termKeys = ['', ...lines(m.termKeys)];
      this.termNames = words(m.termNames);
      this.vocabKeys = ['', ...lines(m.vocabKeys)];
      this.vocabNames = words(m.vocabNames);
      this.suffixKeys = ['', ...lines(m.suffixKeys)];
      this.suffixNames = words(m.suffixNames);
      this.perFragment = decodeNumbers(m.perFragment);
      this.articleKeys = String(m.articleKeys).match(/.{8}/g) || [];
      /** The first doc of each article, and one past the last. */
      this.articleStarts = [0];
      let total = 0;
      for (const count of decodeNumbers(m.articles)) this.articleStarts.push(total += count);
      /** @param {string[]} keys @param {string[]} names */
      const fits = (keys, names) => keys.length === Math.max(1, names.length);
      const articles = this.articleStarts.length - 1;
      check(total === this.docs && fits(this.termKeys, this.termNames) && fits(this.vocabKeys, this.vocabNames)
        && fits(this.suffixKeys, this.suffixNames) && this.perFragment.length === articles
        && this.articleKeys.length === articles && this.articleKeys.every((k) => KEY.test(k)), 'manifest: sizes');
    }

    /**
     * Open the index: load its manifest. Null if the manifest is missing or corrupt.
     * @param {string} base
     * @param {string} manifest the manifest's name (its file name without .js)
     * @param {ShelfLoader} [load]
     * @returns {Promise<ShelfIndexReader | null>}
     */
    static async open(base, manifest, load) {
      const parts = new Parts(base, load);
      return parts.get(manifest, (/** @type {any} */ m) => new Index(parts, m));
    }

    /**
     * Return a term's weight in a doc (reader/shelfindex.py weight): from how often it stands in the title and
     * the body and their lengths; without lengths, as in a doc of average lengths (estimated_weight).
     * @param {number} df @param {number} inTitle @param {number} inBody @param {[number, number]} [lengths]
     */
    weight(df, inTitle, inBody, lengths) {
      const [lt, lb] = lengths || [1, 1], [at, ab] = lengths ? this.averages : [1, 1];
      const idf = Math.log(1 + Math.abs((this.docs - df + 0.5) / (df + 0.5)));
      const share = TITLE_BOOST * saturation(inTitle, lt, at) + saturation(inBody, lb, ab);
      return Math.max(1, Math.floor(idf * share / UNIT + 0.5));
    }

    /**
     * Return a part through the cache, marking the trace incomplete if it cannot be used.
     * @template T
     * @param {string} name @param {(data: any) => T} decode @param {ShelfTrace} trace
     */
    async part(name, decode, trace) {
      const found = await this.parts.get(name, decode);
      if (found === null) trace.incomplete = true;
      return found;
    }

    /**
     * Return each term's entry, null for a term the index lacks (or whose part failed).
     * @param {string[]} terms @param {ShelfTrace} trace
     * @returns {Promise<Map<string, ShelfTermEntry | null>>}
     */
    async entries(terms, trace) {
      const unique = [...new Set(terms)];
      const found = await Promise.all(unique.map(async (term) => {
        if (!this.termNames.length) return null;
        const part = await this.part(this.termNames[keyIndex(this.termKeys, term)], termPart, trace);
        try {
          return part && this.entry(part, term);
        } catch {
          trace.incomplete = true;
          return null;
        }
      }));
      return new Map(unique.map((term, i) => [term, found[i]]));
    }

    /**
     * Return a term's entry in its term part, its postings decoded (or, a common term, where its chunks are).
     * @param {Map<string, any[]>} part @param {string} term
     * @returns {ShelfTermEntry | null}
     */
    entry(part, term) {
      const e = part.get(term);
      if (!e) return null;
      check(Number.isInteger(e[0]) && (e.length === 3 || e.length === 5), 'term entry');
      if (e.length === 3) return { term, df: e[0], postings: this.postingsOf(term, e[0], e[1], e[2]), chunks: [] };
      const width = e[1], gaps = decodeNumbers(e[2]), names = words(e[4]), last = this.articleStarts.length - 1;
      check(Number.isInteger(width) && width > 0 && gaps.length === names.length, 'term entry: chunks');
      /** @type {ShelfChunk[]} */
      const chunks = [];
      let cell = -1;
      gaps.forEach((gap, i) => {
        cell += gap + 1;
        const first = this.articleStarts[Math.min(cell * width, last)];
        const end = this.articleStarts[Math.min((cell + 1) * width, last)] - 1;
        chunks.push({ first, last: end, name: names[i], cell, before: cell * width - 1 });
      });
      return { term, df: e[0], postings: null, chunks };
    }

    /**
     * Return postings as docs in shelf order and their estimated weights (the first article counted from before).
     * @param {string} term @param {number} df @param {string} keys @param {string} tfs @param {number} [before]
     * @returns {ShelfPostings}
     */
    postingsOf(term, df, keys, tfs, before = -1) {
      const raw = decodePostings(keys, tfs, before), docs = [], weights = [];
      for (let i = 0; i < raw.docs.length; i++) {
        const a = raw.articles[i], start = this.articleStarts[a];
        check(a < this.articleStarts.length - 1 && start + raw.docs[i] < this.articleStarts[a + 1], `postings ${term}`);
        docs.push(start + raw.docs[i]);
        weights.push(this.weight(df, raw.titles[i], raw.bodies[i]));
      }
      return [docs, weights];
    }

    /**
     * Return a term's postings [docs, weights]: all of them, or (within: sorted doc numbers) only the
     * chunks that may hold one of those docs.
     * @param {ShelfTermEntry} entry @param {number[] | null} within @param {ShelfTrace} trace
     * @returns {Promise<ShelfPostings>}
     */
    async postings(entry, within, trace) {
      if (entry.postings) return entry.postings;
      const near = (/** @type {ShelfChunk} */ c) => !within
        || (within[lowerBound(within, c.first)] ?? Infinity) <= c.last;
      const pieces = await Promise.all(entry.chunks.filter(near).map((c) => this.part(c.name, (d) => {
        check(Array.isArray(d.g) && d.g.length === 2 && d.t === entry.term && d.c === c.cell, 'chunk');
        return this.postingsOf(entry.term, entry.df, d.g[0], d.g[1], c.before);
      }, trace)));
      /** @type {ShelfPostings} */
      const all = [[], []];
      for (const p of pieces) if (p) all[0].push(...p[0]), all[1].push(...p[1]);
      return all;
    }

    /**
     * Return the terms from lo (included) to hi (excluded) in sorted order, from the prefix or the suffix shards
     * (suffix: terms written backwards, and so returned); with a limit, only the shards needed for that many.
     * @param {'vocab' | 'suffix'} kind @param {string} lo @param {string} hi @param {ShelfTrace} trace
     * @param {number} [limit]
     * @returns {Promise<string[]>}
     */
    async vocabulary(kind, lo, hi, trace, limit = Infinity) {
      const [keys, names] = kind === 'vocab' ? [this.vocabKeys, this.vocabNames] : [this.suffixKeys, this.suffixNames];
      if (!names.length) return [];
      const first = keyIndex(keys, lo), last = keyIndex(keys, hi);
      const shard = (/** @type {string} */ name) => this.part(name, vocabularyShard, trace);
      const wanted = names.slice(first, last + 1);
      const inRange = (/** @type {string[] | null} */ t) => (t ? t.slice(lowerBound(t, lo), lowerBound(t, hi)) : []);
      if (limit === Infinity) return (await Promise.all(wanted.map(shard))).flatMap(inRange);
      // With a limit, shard after shard: the first usually holds enough.
      const found = [];
      for (const name of wanted) {
        if (found.length >= limit) break;
        found.push(...inRange(await shard(name)));
      }
      return found;
    }

    /**
     * Load ahead what the prefix pass of a word being typed will read: the vocabulary shard where its terms begin
     * and the term parts holding the first of them (the first 64 seldom reach past two). Nothing waits for it.
     * @param {string} prefix
     */
    warm(prefix) {
      if (this.vocabNames.length) this.parts.get(this.vocabNames[keyIndex(this.vocabKeys, prefix)], vocabularyShard);
      if (!this.termNames.length) return;
      const first = keyIndex(this.termKeys, prefix), last = keyIndex(this.termKeys, `${prefix}\uffff`);
      for (const name of this.termNames.slice(first, Math.min(last, first + 1) + 1)) this.parts.get(name, termPart);
    }

    /** Return the number of the article holding a doc. @param {number} doc */
    articleOfDoc(doc) {
      return keyIndex(this.articleStarts, doc);
    }

    /**
     * Return a doc's text and article, or null if its fragment failed.
     * @param {number} doc @param {ShelfTrace} trace
     * @returns {Promise<ShelfDocText | null>}
     */
    async doc(doc, trace) {
      const a = this.articleOfDoc(doc), at = doc - this.articleStarts[a], per = this.perFragment[a];
      const k = Math.floor(at / per);
      const fragment = await this.part(`f${this.articleKeys[a]}${nameNumber(k)}`, (d) => {
        check(Array.isArray(d.a) && d.a.length === 2 && Array.isArray(d.d), 'fragment');
        return /** @type {ShelfFragment} */ (d);
      }, trace);
      if (!fragment) return null;
      const row = fragment.d[at - k * per];
      if (!Array.isArray(row) || row.length !== 3 || !row.every((x) => typeof x === 'string')) {
        trace.incomplete = true;
        return null;
      }
      const article = { index: a, address: String(fragment.a[0]), title: String(fragment.a[1]) };
      return { doc, ref: row[0], title: row[1], text: row[2], article };
    }
  }

  /**
   * Decode a vocabulary shard: its terms (or terms written backwards), sorted.
   * @param {any} d
   * @returns {string[]}
   */
  function vocabularyShard(d) {
    check(typeof d.t === 'string', 'vocabulary shard');
    return lines(d.t);
  }

  /**
   * Decode a term part: its terms and their entries.
   * @param {any} d
   * @returns {Map<string, any[]>}
   */
  function termPart(d) {
    check(typeof d.t === 'string' && Array.isArray(d.e), 'term part');
    const terms = lines(d.t);
    check(terms.length === d.e.length && d.e.every(Array.isArray), 'term part: one entry per term');
    return new Map(terms.map((t, i) => [t, d.e[i]]));
  }

  globalThis.ReaderShelfIndex = { open: Index.open, keyIndex, lowerBound };
})();
