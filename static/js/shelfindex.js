/* Reading the shelf index: the manifest, then only the parts a query needs (term parts, chunks of
   common terms' postings, vocabulary shards, article parts, fragments). The format is documented
   in docs/shelf-search.md. Every read takes a Trace and marks it incomplete where a part failed;
   nothing here throws for a missing or corrupt part. Needs ReaderShelfParts (shelfparts.js);
   registers ReaderShelfIndex. */
(() => {
  'use strict';
  const { Parts, decodeNumbers, decodePostings } = globalThis.ReaderShelfParts;

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
   * @param {string[]} keys sorted
   * @param {string} x
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

  /** A term part's terms and their entries. */
  class TermPart {
    /** @param {any} data */
    constructor(data) {
      check(typeof data.t === 'string' && Array.isArray(data.e), 'term part');
      this.terms = lines(data.t);
      this.entries = data.e;
      check(this.terms.length === this.entries.length, 'term part: one entry per term');
    }

    /** @param {string} term @returns {ShelfTermEntry | null} */
    entry(term) {
      const i = keyIndex(this.terms, term);
      if (this.terms[i] !== term) return null;
      const e = this.entries[i];
      check(Array.isArray(e) && Number.isInteger(e[0]), 'term entry');
      if (Array.isArray(e[1])) return { df: e[0], postings: null, chunks: e[1] };
      const postings = decodePostings(e[1], e[2]);
      check(postings[0].length === e[0], 'term entry: df');
      return { df: e[0], postings, chunks: [] };
    }
  }

  /** The whole index as a query sees it: the manifest at hand, every other part fetched on demand.
      @implements {ShelfIndexReader} */
  class Index {
    /**
     * @param {ShelfPartStore} parts
     * @param {any} m the manifest
     */
    constructor(parts, m) {
      check(m.format === 1 && Number.isInteger(m.docs), 'manifest');
      this.parts = parts;
      this.docs = m.docs;
      this.termKeys = ['', ...lines(m.termKeys)];
      this.termNames = words(m.termNames);
      this.vocabKeys = ['', ...lines(m.vocabKeys)];
      this.vocabNames = words(m.vocabNames);
      this.suffixKeys = ['', ...lines(m.suffixKeys)];
      this.suffixNames = words(m.suffixNames);
      this.articleFirsts = decodeNumbers(m.articleKeys);
      this.articleNames = words(m.articleNames);
      /** The first doc of each article, and one past the last. */
      this.articleStarts = [0];
      let total = 0;
      for (const count of decodeNumbers(m.articles)) this.articleStarts.push(total += count);
      /** @param {string[]} keys @param {string[]} names */
      const fits = (keys, names) => keys.length === Math.max(1, names.length);
      check(total === this.docs && fits(this.termKeys, this.termNames)
        && fits(this.vocabKeys, this.vocabNames) && fits(this.suffixKeys, this.suffixNames)
        && this.articleFirsts.length === this.articleNames.length, 'manifest: sizes');
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
        const part = await this.part(this.termNames[keyIndex(this.termKeys, term)], (d) => new TermPart(d), trace);
        try {
          return part && part.entry(term);
        } catch {
          trace.incomplete = true;
          return null;
        }
      }));
      return new Map(unique.map((term, i) => [term, found[i]]));
    }

    /**
     * Return a term's postings [docs, weights]: all of them, or (within: sorted doc numbers) only the
     * chunks that may hold one of those docs.
     * @param {ShelfTermEntry} entry @param {number[] | null} within @param {ShelfTrace} trace
     * @returns {Promise<ShelfPostings>}
     */
    async postings(entry, within, trace) {
      if (entry.postings) return entry.postings;
      const near = (/** @type {number} */ first, /** @type {number} */ last) => !within
        || (within[lowerBound(within, first)] ?? Infinity) <= last;
      const wanted = entry.chunks.filter(([first, last]) => near(first, last));
      const pieces = await Promise.all(wanted.map(([first, , name]) => this.part(name, (d) => {
        check(Array.isArray(d.g) && d.g.length === 2, 'chunk');
        const p = decodePostings(d.g[0], d.g[1]);
        check(p[0][0] === first, 'chunk: first doc');
        return p;
      }, trace)));
      /** @type {ShelfPostings} */
      const all = [[], []];
      for (const p of pieces) if (p) all[0].push(...p[0]), all[1].push(...p[1]);
      return all;
    }

    /**
     * Return the terms from lo (included) to hi (excluded) in sorted order, from the prefix or the suffix shards
     * (suffix: terms written backwards, and so returned).
     * @param {'vocab' | 'suffix'} kind @param {string} lo @param {string} hi @param {ShelfTrace} trace
     * @returns {Promise<string[]>}
     */
    async vocabulary(kind, lo, hi, trace) {
      const [keys, names] = kind === 'vocab' ? [this.vocabKeys, this.vocabNames] : [this.suffixKeys, this.suffixNames];
      if (!names.length) return [];
      const first = keyIndex(keys, lo), last = keyIndex(keys, hi);
      const shards = await Promise.all(names.slice(first, last + 1).map((name) => this.part(name, (d) => {
        check(typeof d.t === 'string', 'vocabulary shard');
        return lines(d.t);
      }, trace)));
      return shards.flatMap((terms) => (terms ? terms.slice(lowerBound(terms, lo), lowerBound(terms, hi)) : []));
    }

    /** Return the number of the article holding a doc. @param {number} doc */
    articleOf(doc) {
      return keyIndexNum(this.articleStarts, doc);
    }

    /**
     * Return a doc's text and article, or null if its article part or fragment failed.
     * @param {number} doc @param {ShelfTrace} trace
     * @returns {Promise<ShelfDocText | null>}
     */
    async doc(doc, trace) {
      const a = this.articleOf(doc), p = keyIndexNum(this.articleFirsts, a);
      const part = await this.part(this.articleNames[p], (d) => articlePart(d), trace);
      const entry = part && part[a - this.articleFirsts[p]];
      if (!entry || entry.first !== this.articleStarts[a]) {
        if (part) trace.incomplete = true;
        return null;
      }
      const f = keyIndexNum(entry.fragments, doc - entry.first);
      const fragment = await this.part(entry.names[f], (d) => {
        check(Number.isInteger(d.first) && Array.isArray(d.d), 'fragment');
        return /** @type {ShelfFragment} */ (d);
      }, trace);
      const row = fragment && fragment.d[doc - fragment.first];
      if (!Array.isArray(row) || row.length !== 3 || !row.every((x) => typeof x === 'string')) {
        if (fragment) trace.incomplete = true;
        return null;
      }
      const article = { index: a, address: entry.address, title: entry.title };
      return { doc, ref: row[0], title: row[1], text: row[2], article };
    }
  }

  /**
   * Return the last position in sorted numbers whose value is not after x (0 if none).
   * @param {number[]} numbers @param {number} x
   */
  function keyIndexNum(numbers, x) {
    let lo = 0, hi = numbers.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (numbers[mid] <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Return the first position in a sorted array whose value is not before x (its length if none).
   * @template {number | string} T
   * @param {T[]} numbers @param {T} x
   */
  function lowerBound(numbers, x) {
    let lo = 0, hi = numbers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (numbers[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Decode an article part: per article its address, title, first doc, and where each fragment starts.
   * @param {any} d
   * @returns {ShelfArticleEntry[]}
   */
  function articlePart(d) {
    check(Array.isArray(d.a), 'article part');
    return d.a.map(/** @param {any} row */ (row) => {
      check(Array.isArray(row) && row.length === 5 && Number.isInteger(row[2]), 'article entry');
      const fragments = [];
      let start = 0;
      for (const size of decodeNumbers(row[3])) {
        fragments.push(start);
        start += size;
      }
      const names = words(row[4]);
      check(names.length === fragments.length, 'article entry: fragments');
      return { address: String(row[0]), title: String(row[1]), first: row[2], fragments, names };
    });
  }

  globalThis.ReaderShelfIndex = { open: Index.open, keyIndexNum, lowerBound };
})();
