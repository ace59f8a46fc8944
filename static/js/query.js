/* Search engine: expands the shipped compact index, answers queries in passes (the words as
   typed, the last one as a prefix, close spellings, most of the words), the docs where the words
   stand together in order first, and cuts snippets. Pure, no DOM. Reads ReaderText (textnorm.js)
   from globalThis when called; registers ReaderQuery. In the search bundle (tests run it under Node). */
(() => {
  'use strict';
  // As in reader/search.py.
  const CODES = " !#$%&'()*+,-/:;<=>?@[]^";
  const CODED_TERM = /(\{(-?\d+),(-?\d+)\}|[ !#$%&'()*+,\-/:;<=>?@[\]^])([^ !#$%&'()*+,\-/:;<=>?@[\]^{|]+)/g;
  const QUOTES = /["\u201c\u201d\u201e]/;
  /** @type {SearchTier[]} */
  const TIERS = ['exact', 'prefix', 'typo', 'partial'];
  const dict = () => Object.create(null);
  /** @param {Pair} a @param {Pair} b */
  const bySpan = (a, b) => a[0] - b[0] || a[1] - b[1];

  /** Return a term as a key that sorts in code point order, as Python's sorted() does: U+E000-U+FFFF,
      which UTF-16 puts after the surrogates of U+10000 and up, go before them (no term holds U+D7FF).
      @param {string} s */
  const codePointKey = (s) => s.replace(/[\ue000-\uffff]/g, '\ud7ff$&');

  /** Return the [start, length, term] tokens (in code points, as lunr.py counts) of one slot's coded text.
      @param {string} text */
  function decodedTokens(text) {
    // Each token: a code char for (gap 1-3, extra length 0-7) or {gap,extra}, then its term.
    const tokens = /** @type {IndexToken[]} */ ([]);
    let end = -1;
    for (const m of text.matchAll(CODED_TERM)) {
      const k = CODES.indexOf(m[1]), start = end + (m[2] ? +m[2] : (k >> 3) + 1), t = m[4];
      end = start + [...t].length + (m[2] ? +m[3] : k & 7);
      tokens.push([start, end - start, t]);
    }
    return tokens;
  }

  /** Return the [start, length, stem] tokens of a text on the page, as the build indexed it.
      @param {string} text @param {(word: string) => string} stem @returns {IndexToken[]} */
  function pageTokens(text, stem) {
    const cp = /[\ud800-\udfff]/.test(text) ? (/** @type {number} */ at) => [...text.slice(0, at)].length
      : (/** @type {number} */ at) => at;
    return globalThis.ReaderText.tokenize(text).map((t) => [cp(t.start), cp(t.end) - cp(t.start), stem(t.term)]);
  }

  /** Return the lunr.py-serialized index (a plain object) that a compact form stands for; for a
      compact form made from the page (fromPage), getText(ref, field) gives each doc's text and
      stem(word) stems as lunr.js does.
      @param {CompactIndex} c @param {GetText} [getText] @param {(word: string) => string} [stem]
      @returns {SerializedIndex} */
  function expandIndex(c, getText = () => '', stem = (word) => word) {
    const { fields, refs, version, pipeline } = c, F = fields.length, N = refs.length, sums = fields.map(() => 0);
    const postings = /** @type {Record<string, Posting>} */ (dict());
    const held = /** @type {number[]} */ ([]); // by term number: the (doc, field)s holding the term
    const stems = /** @type {Record<string, string>} */ (dict());
    const stemmed = (/** @type {string} */ word) => (stems[word] ??= stem(word));
    let terms = 0;
    const texts = c.fromPage
      ? refs.flatMap((ref) => fields.map((f) => pageTokens(String(getText(ref, f) || ''), stemmed)))
      : (N ? (c.text || '').split('|') : []).map(decodedTokens);
    const slots = texts.map((tokens, slot) => {
      const tf = /** @type {Record<number, number>} */ ({});
      for (const [start, length, t] of tokens) {
        // lunr numbers terms in the order it first meets them.
        const p = postings[t] = postings[t]
          || fields.reduce((q, f) => ((q[f] = dict()), q), /** @type {Posting} */ ({ _index: terms++ }));
        const field = /** @type {FieldPostings} */ (p[fields[slot % F]]);
        (field[refs[slot / F | 0]] ||= { position: [] }).position.push([start, length]);
        held[p._index] = (held[p._index] || 0) + +!tf[p._index]; // (doc, field)s holding the term
        tf[p._index] = (tf[p._index] || 0) + 1;
      }
      sums[slot % F] += tokens.length;
      return { tf, length: tokens.length };
    });
    const fieldVectors = slots.map(({ tf, length }, slot) => {
      const f = slot % F, norm = c.k1 * (1 - c.b + c.b * (length / (sums[f] / N)));
      const el = /** @type {number[]} */ ([]);
      for (const key in tf) { // integer keys: in term number order
        // lunr.py's operations in lunr.py's order, so the doubles agree; scores near a rounding tie,
        // where a last-bit difference (or rounding x 1000) could show, ship as they are in c.fix.
        const k = +key, idf = Math.log(1 + Math.abs((N - held[k] + 0.5) / (held[k] + 0.5)));
        const score = idf * ((c.k1 + 1) * tf[k]) / (norm + tf[k]);
        el.push(k, Math.round(score * c.boosts[f] * 1000) / 1000);
      }
      return /** @type {[string, number[]]} */ ([`${fields[f]}/${refs[slot / F | 0]}`, el]);
    });
    // Each fix: [slot, number of the term in the slot's vector, score].
    for (let i = 0; i < c.fix.length; i += 3) fieldVectors[c.fix[i]][1][c.fix[i + 1] * 2 + 1] = c.fix[i + 2];
    const sorted = Object.keys(postings).map(codePointKey).sort().map((k) => k.replace(/\ud7ff/g, ''));
    return { version, fields, fieldVectors, pipeline, invertedIndex: sorted.map((t) => [t, postings[t]]) };
  }

  /* ---- The engine: one object holds the index's lookups and the caches ---- */

  /** Return {search(query, {prefix, limit})} over a serialized lunr index; getText(ref, field)
      gives the text of a doc's field ('title' or 'body') exactly as it was indexed; stemWord stems as the
      index was stemmed (lunr.js's stemmer unless given).
      @param {Lunr} lunr @param {SerializedIndex} index @param {GetText} getText
      @param {(word: string) => string} [stemWord] @returns {SearchEngine} */
  function createEngine(lunr, index, getText, stemWord = (word) => lunr.stemmer(new lunr.Token(word)).toString()) {
    // lunr.js loads the index the build made (wanting its terms in UTF-16 order); the engine reads the
    // loaded index's postings, token set (for close spellings) and field vectors (lunr's weights).
    const invertedIndex = index.invertedIndex.slice().sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const loaded = lunr.Index.load({ ...index, invertedIndex });
    /** @type {Engine} */
    const engine = { lunr, getText, stemWord, fields: [...loaded.fields], postings: loaded.invertedIndex,
      tokenSet: loaded.tokenSet, docs: new Map(), stems: dict(), pieces: dict(), typos: dict(), last: {}, terms: [] };
    // Per doc: its place (the number of its last field vector) and, per field, its vector (and, once read, its text).
    index.fieldVectors.forEach(([name], i) => {
      const ref = name.slice(name.indexOf('/') + 1);
      const doc = engine.docs.get(ref) || { order: 0, fields: {} };
      engine.docs.set(ref, doc);
      doc.fields[name.slice(0, name.indexOf('/'))] = { vector: loaded.fieldVectors[name].elements };
      doc.order = -i;
    });
    engine.terms = Object.keys(engine.postings).sort(); // UTF-16 order, as lunr.TokenSet.fromArray wants
    return { search: (query, options) => search(engine, query, options) };
  }

  /** Return {tier, results, total}: the best results first, at most options.limit of them.
      @param {Engine} engine @param {string} query @param {{prefix?: boolean, limit?: number}} [options]
      @returns {SearchAnswer} */
  function search(engine, query, options) {
    const { prefix, limit = 0 } = options || {}, key = !!prefix + String(query ?? '');
    // Asked again (for more results), the ranked list is reused; hits are made for results shown.
    if (engine.last.key !== key) {
      engine.last = { key, ...rank(engine, parseQuery(engine, key.slice(prefix ? 4 : 5)), !!prefix) };
    }
    const { tier = 'none', docs = [], words = 0 } = engine.last;
    const shown = docs.slice(0, limit > 0 ? limit : 20);
    return { tier, total: docs.length, results: shown.map(({ ref, score, run, matched, ...doc }) => (
      { ref, score, hits: hitsOf(engine, doc), run, matched, words })) };
  }

  /** Return a word's stem as the index's stemmer stems it (cached: the same words come back keystroke after
      keystroke). @param {Engine} engine @param {string} word */
  const stem = (engine, word) => (engine.stems[word] = engine.stems[word] || engine.stemWord(word));

  /** Return the query's words [{term, stem}] and its quoted phrases as [first, last] word numbers.
      @param {Engine} engine @param {string} text @returns {Query} */
  function parseQuery(engine, text) {
    const words = /** @type {Word[]} */ ([]);
    const phrases = /** @type {Pair[]} */ ([]);
    const parts = text.split(QUOTES);
    parts.forEach((part, i) => {
      const first = words.length;
      for (const { term } of globalThis.ReaderText.tokenize(part)) words.push({ term, stem: stem(engine, term) });
      // Odd parts sit between quotes; an unclosed quote's tail is plain words.
      if (i % 2 && i < parts.length - 1 && words.length - first > 1) phrases.push([first, words.length - 1]);
    });
    return { words, phrases };
  }

  /* ---- Passes: the index terms each word matches, as [term, prefix its hits must begin with] ---- */

  /** Return {tier, docs, words} of the first pass that finds a doc: every word as typed (or
      stemmed), then the last one as a prefix, then close spellings of words the index lacks, then
      the docs with most of the words.
      @param {Engine} engine @param {Query} q @param {boolean} prefix @returns {Ranking} */
  function rank(engine, q, prefix) {
    const n = q.words.length;
    const exact = q.words.map((w) => (w.stem in engine.postings ? [/** @type {Match} */ ([w.stem, ''])] : []));
    let sets = exact, pass = 0;
    let docs = /** @type {RankedDoc[]} */ ([]);
    for (; pass < 4 && n && !docs.length; pass++) {
      const next = sets.map((set, i) => more(set, pass === 1 && prefix && i === n - 1
        ? prefixMatches(engine, q.words[i]) : pass === 2 && !exact[i].length ? typoMatches(engine, q.words[i]) : []));
      // A pass for all words runs only if it can find what the one before could not; most words
      // needs two or more words or phrases.
      const run = pass === 3 ? unitCount(q) > 1
        : (!pass || String(next) !== String(sets)) && next.every((set) => set.length);
      sets = next;
      if (run) docs = matchDocs(engine, q, sets, pass < 3);
    }
    return { tier: docs.length ? TIERS[pass - 1] : 'none', docs, words: n };
  }

  /** Return how many words and phrases a query has (a phrase is one unit). @param {Query} q */
  const unitCount = (q) => q.phrases.reduce((k, [a, b]) => k - b + a, q.words.length);

  /** Return set with the matches of terms it lacks. @param {Match[]} set @param {Match[]} matches */
  const more = (set, matches) => set.concat(matches.filter(([t]) => !set.some(([u]) => u === t)));

  /** Return the terms the last word may be the start of; their hits must begin with it (a stem need not: happy,
      happi). @param {Engine} engine @param {Word} word @returns {Match[]} */
  function prefixMatches(engine, { term: p, stem: own }) {
    const begins = (/** @type {string} */ t) => t.slice(0, p.length) === p;
    const found = engine.terms.filter((t) => begins(t) && t !== own);
    // A word typed past its stem (securit: secur) begins with a term.
    for (let k = p.length; !found.length && --k > 2;) if (p.slice(0, k) in engine.postings) found.push(p.slice(0, k));
    // One or two letters begin hundreds of terms: keep 64.
    return found.slice(0, 64).map((t) => [t, p]);
  }

  /** Return the terms a word may be a typo of: near it or its stem, or the stem of a spelling one
      edit off (cached: an earlier word's typo comes back with each keystroke after it).
      @param {Engine} engine @param {Word} word @returns {Match[]} */
  function typoMatches(engine, { term, stem: own }) {
    const lunr = engine.lunr, n = [...term].length, found = new Set();
    const at = (/** @type {number} */ i, /** @type {number} */ j = Infinity) => term.slice(i, j);
    if (n < 4 || n > 30 || engine.typos[term]) return engine.typos[term] || []; // from 4 letters, one edit; from 8, two
    for (const w of [own, term]) {
      const near = lunr.TokenSet.fromFuzzyString(w, n < 8 ? 1 : 2);
      for (const t of engine.tokenSet.intersect(near).toArray()) found.add(t);
    }
    // Stemming hides typos in endings (secuirty: secuirti, not secur): stem each spelling one
    // insertion, deletion, substitution or swap away.
    for (let i = 0; i <= term.length; i++) {
      for (const c of ['', ...'abcdefghijklmnopqrstuvwxyz']) {
        found.add(stem(engine, at(0, i) + c + at(i))).add(stem(engine, at(0, i) + c + at(i + 1)));
      }
      found.add(stem(engine, at(0, i) + at(i + 1, i + 2) + at(i, i + 1) + at(i + 2)));
    }
    return (engine.typos[term] = [...found].filter((t) => t in engine.postings).map((t) => [t, '']));
  }

  /* ---- Matching and ranking docs ---- */

  /** Return the docs that have every word (all) or any word, ranked.
      @param {Engine} engine @param {Query} q @param {Match[][]} sets @param {boolean} all */
  function matchDocs(engine, q, sets, all) {
    // Per word, a Map of ref to the [match, field, positions] it has there.
    const held = sets.map((set) => {
      const byRef = /** @type {Map<string, Entry[]>} */ (new Map());
      for (const m of set) {
        for (const field of engine.fields) {
          const postings = /** @type {FieldPostings} */ (engine.postings[m[0]][field]);
          for (const ref in postings) {
            const entries = byRef.get(ref) || [];
            byRef.set(ref, entries);
            entries.push([m, field, postings[ref].position]);
          }
        }
      }
      return byRef;
    });
    // Every word: the docs of the rarest are the candidates; any word: the docs of each.
    const refs = all
      ? [...held.reduce((x, y) => (y.size < x.size ? y : x)).keys()].filter((r) => held.every((h) => h.has(r)))
      : [...new Set(held.flatMap((h) => [...h.keys()]))]
        .filter((r) => held.filter((h) => h.has(r)).length * 2 >= unitCount(q));
    return refs.map((ref) => docOf(engine, q, held, ref, all)).filter((doc) => !!doc)
      .sort((x, y) => y.matched - x.matched || y.chain - x.chain || y.literal - x.literal || y.score - x.score
        || y.order - x.order);
  }

  /** Return a doc's ranking: words matched, the longest run of the query's words in order, how
      many words stand in it literally (not only by stem, prefix or spelling) and lunr's score; or
      null when it lacks a word or quoted phrase that all demands.
      @param {Engine} engine @param {Query} q @param {Map<string, Entry[]>[]} held @param {string} ref
      @param {boolean} all @returns {RankedDoc | false} */
  function docOf(engine, q, held, ref, all) {
    const words = q.words.map((word, i) => wordIn(engine, word, held[i].get(ref) || [], ref));
    const { best, ending } = longestRuns(engine, ref, words);
    const sum = (/** @type {'literal' | 'score'} */ key) =>
      words.reduce((k, w) => k + (w ? w[key] : 0), /** @type {number} */ (0));
    let matched = words.filter(Boolean).length, unitsHeld = matched;
    // A phrase not there counts none of its words; one there counts as one of the units.
    for (const [a, b] of q.phrases) {
      if (ending[b] <= b - a) unitsHeld = matched -= words.slice(a, b + 1).filter(Boolean).length;
      else unitsHeld -= b - a;
    }
    // Every word, or (most words) at least half the units.
    const run = best.length > 1 ? { field: best.field, start: best.start, end: best.end } : null;
    return (all ? matched === words.length : unitsHeld * 2 >= unitCount(q)) && matched > 0
      && { ref, order: docAt(engine, ref).order, matched, chain: best.length, literal: sum('literal'),
        score: sum('score'), words, run };
  }

  /** @param {Engine} engine @param {string} ref */
  const docAt = (engine, ref) => /** @type {DocEntry} */ (engine.docs.get(ref));

  /** Return how one word stands in a doc, {spans: {field: [[start, end]]} in UTF-16 units, literal: 0 or 1,
      score}, or 0. @param {Engine} engine @param {Word} word @param {Entry[]} entries @param {string} ref
      @returns {WordHit | 0} */
  function wordIn(engine, word, entries, ref) {
    const spans = /** @type {Record<string, Pair[]>} */ ({});
    let literal = 0, score = 0;
    for (const [[term, prefix], field, positions] of entries) {
      const ft = fieldText(engine, ref, field), text = ft.text || '', index = engine.postings[term]._index;
      const el = ft.vector;
      const kept = positions.map(([cp, n]) => /** @type {Pair} */ ([units(ft, cp), units(ft, cp + n)])).filter((s) => {
        // The folded word there, to check a prefix or whether the word itself stands there (once is enough).
        const folded = prefix || (term === word.stem && !literal)
          ? (tokensOf(engine, text.slice(...s))[0] || { term: '' }).term : '';
        literal = literal || +(folded === word.term);
        return s[1] <= text.length && folded.slice(0, prefix.length) === prefix;
      });
      if (!kept.length) continue;
      spans[field] = (spans[field] || []).concat(kept).sort(bySpan);
      let lo = 0, hi = el.length / 2;
      while (lo < hi) {
        const mid = lo + hi >> 1;
        if (el[mid * 2] < index) lo = mid + 1;
        else hi = mid;
      }
      score += el[lo * 2 + 1]; // the term's lunr weight in the field (its vector lists term numbers in order)
    }
    return score && { spans, literal, score };
  }

  /** Return {text, astral, vector} for a doc's field: its text, whether UTF-16 offsets differ from code point
      ones, its lunr vector. @param {Engine} engine @param {string} ref @param {string} field */
  function fieldText(engine, ref, field) {
    const ft = docAt(engine, ref).fields[field];
    if (ft.text === undefined) ft.astral = /[\ud800-\udfff]/.test(ft.text = String(engine.getText(ref, field) || ''));
    return ft;
  }

  /** Return a code point offset into a field's text as a UTF-16 offset. @param {FieldText} ft @param {number} cp */
  const units = (ft, cp) => (ft.astral ? [...(ft.text || '')].slice(0, cp).join('').length : cp);

  /** Return the tokens of a piece of text (a word or the gap between two), cached: they repeat.
      @param {Engine} engine @param {string} piece */
  const tokensOf = (engine, piece) =>
    (engine.pieces[piece] = engine.pieces[piece] || globalThis.ReaderText.tokenize(piece));

  /** Return the doc's longest run of the query's words standing together in order ({length, field,
      start, end}) and, for each word, the length of the longest run ending with it.
      @param {Engine} engine @param {string} ref @param {(WordHit | 0)[]} words */
  function longestRuns(engine, ref, words) {
    /** @type {Run} */
    let best = { length: 0, field: '', start: 0, end: 0, at: 0 };
    const ending = words.map(() => 0);
    // The body first: a run as long in the title does not replace it.
    for (const field of engine.fields.slice().reverse()) {
      const text = fieldText(engine, ref, field).text || '';
      let before = /** @type {Run[]} */ ([]);
      words.forEach((w, i) => {
        let j = 0;
        before = ((w && w.spans[field]) || []).map(([start, end]) => {
          // Only the last span of the word before that ends before this one can stand right before it, or,
          // in a CJK run, the pair one char before this one (pairs overlap).
          while (j + 1 < before.length && before[j + 1].end <= start) j++;
          const pair = before.find((r) => r.at < start && start < r.end && start === r.at + charLength(text, r.at));
          const a = pair || before[j];
          const together = !!pair || (a && a.end <= start && !tokensOf(engine, text.slice(a.end, start)).length);
          const run = { length: together ? a.length + 1 : 1, field, start: together ? a.start : start, end, at: start };
          ending[i] = Math.max(ending[i], run.length);
          if (run.length > best.length) best = run;
          return run;
        });
      });
    }
    return { best, ending };
  }

  /** Return the UTF-16 length of the char at i. @param {string} text @param {number} i */
  const charLength = (text, i) => ((text.codePointAt(i) || 0) > 0xffff ? 2 : 1);

  /** Return a ranked doc's hits, [{field, start, end}] by field and offset (made only for results shown).
      @param {Engine} engine @param {{words: (WordHit | 0)[]}} doc @returns {SearchHit[]} */
  const hitsOf = (engine, doc) => engine.fields.flatMap((field) => doc.words.flatMap((w) => (w && w.spans[field]) || [])
    .sort(bySpan).filter((s, i, all) => !i || bySpan(s, all[i - 1])).map(([start, end]) => ({ field, start, end })));

  /* ---- Snippets ---- */

  /**
   * Return about maxWords words of text as [{text, mark}] segments, centred on the run (shown
   * whole, as one marked segment) or else on the densest cluster of hits, each hit in it marked
   * (touching ones as one); '… ' and ' …' segments stand where the text is cut. hits and run are
   * offsets into text.
   * @param {string} text @param {Span[]} hits @param {Span | null} run @param {number} maxWords @returns {Segment[]}
   */
  function snippet(text, hits, run, maxWords) {
    text = String(text ?? '');
    const most = maxWords >= 1 ? Math.floor(maxWords) : 25;
    const out = /** @type {Segment[]} */ ([]);
    const marked = /** @type {boolean[]} */ ([]);
    /** @param {Span | null | undefined} h @returns {h is Span} */
    const ok = (h) => !!h && h.start >= 0 && h.start < h.end && h.end <= text.length;
    const words = globalThis.ReaderText.words(text);
    const wordAt = (/** @type {number} */ at) => words.filter((w) => w[0] <= at).length - 1;
    const marks = [...(hits || []), run].filter(ok), starts = marks.map((h) => wordAt(h.start));
    const near = (/** @type {number} */ x) => starts.filter((y) => y >= x && y - x < most);
    if (!words.length) return out;
    // The cluster: the run's words, or the first span of most words holding the most hits.
    const a = ok(run) ? wordAt(run.start)
      : starts.reduce((x, y) => (near(y).length > near(x).length ? y : x), starts[0] || 0);
    const b = ok(run) ? wordAt(run.end - 1) : Math.max(a, ...near(a));
    // Widened evenly to most words, or all of a longer run.
    const width = Math.max(most, b - a + 1);
    const first = Math.max(0, Math.min(a - ((width - b + a - 1) >> 1), words.length - width));
    const last = Math.min(words.length, first + width) - 1, begin = words[first][0];
    for (const h of marks) for (let i = h.start; i < h.end; i++) marked[i] = true;
    if (first) out.push({ text: '\u2026 ', mark: false });
    // Each stretch of marked (or unmarked) chars is one segment: touching hits make one mark.
    for (let i = begin; i < words[last][1]; i++) {
      if (i > begin && out[out.length - 1].mark === !!marked[i]) out[out.length - 1].text += text[i];
      else out.push({ text: text[i], mark: !!marked[i] });
    }
    if (last < words.length - 1) out.push({ text: ' \u2026', mark: false });
    return out;
  }

  globalThis.ReaderQuery = { expandIndex, createEngine, snippet };
})();
