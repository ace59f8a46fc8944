/* Search: expand the shipped compact index, then run AND / prefix / "phrase" / typo queries
   built with index.query (never lunr's query syntax, so no input throws). Pure, no DOM.
   Needs ReaderText (textnorm.js) first. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) module.exports = factory(require('./textnorm.js'));
  else root.ReaderQuery = factory(root.ReaderText);
}(typeof self !== 'undefined' ? self : this, function (ReaderText) {
  'use strict';
  // As in reader/search.py: a code char per token for (gap 1-3, extra length 0-7), else {gap,extra}.
  var CODES = " !#$%&'()*+,-/:;<=>?@[]^";
  var CODED_TERM = /(\{(-?\d+),(-?\d+)\}|[ !#$%&'()*+,\-\/:;<=>?@[\]^])([^ !#$%&'()*+,\-\/:;<=>?@[\]^{|]+)/g;
  var QUOTES = /["\u201c\u201d\u201e]/;
  // One or two letters can begin thousands of terms, each costing time on every doc it is in;
  // past this many, a prefix keeps the terms found in the most docs.
  var MAX_PREFIX_TERMS = 64;
  // From this many letters a typo retry allows two edits (alliense -> alliance), as spell checkers do.
  var TWO_EDITS_FROM = 8;
  // English endings the stemmer strips; a word half typed may stop anywhere inside one.
  var ENDINGS = ('s es ies ied ed ing ings er ers est ly ily ally ably ity ities ness ment ments ation ations '
    + 'ational ion ions ive ives ize ized izing ization ise ised ising ism ist ists al ial able ible ful fully '
    + 'less ous ously ence ances ance ent ently ant ate ated ating ator ic ical ically e y').split(' ');
  var COMPLETIONS = Array.from(new Set([].concat.apply([], ENDINGS.map(function (e) {
    return e.split('').map(function (_, i) { return e.slice(i); });
  }))));

  /** Return a string's length in code points (lunr.py's positions count code points). */
  function cpLength(s) {
    var n = 0;
    for (var i = 0; i < s.length; i++) if ((s.charCodeAt(i) & 0xfc00) !== 0xdc00) n++;
    return n;
  }

  /** Return [start, length, term] for each token of one field's coded text. */
  function decodeTokens(text) {
    var tokens = [], end = -1, m;
    CODED_TERM.lastIndex = 0;
    while ((m = CODED_TERM.exec(text))) {
      var k = CODES.indexOf(m[1]), plain = m[2] === undefined;
      var start = end + (plain ? (k >> 3) + 1 : +m[2]);
      end = start + cpLength(m[4]) + (plain ? k & 7 : +m[3]);
      tokens.push([start, end - start, m[4]]);
    }
    return tokens;
  }

  /** Return a UTF-16 unit's rank in code point order: surrogates go above U+E000-U+FFFF. */
  function unitRank(u) {
    return u < 0xd800 ? u : u < 0xe000 ? u + 0x2000 : u - 0x800;
  }

  /** Compare two strings by code points, as Python's sorted() does. */
  function byCodePoint(a, b) {
    for (var i = 0; i < a.length && i < b.length; i++) {
      if (a[i] !== b[i]) return unitRank(a.charCodeAt(i)) - unitRank(b.charCodeAt(i));
    }
    return a.length - b.length;
  }

  /** Return the lunr.py-serialized index (a plain object) that a compact form stands for. */
  function expandIndex(c) {
    var fields = c.fields, F = fields.length, refs = c.refs, N = refs.length;
    var postings = Object.create(null), nTerms = 0, counts = [], lengths = [], sums = fields.map(function () { return 0; });
    (N ? c.text.split('|') : []).forEach(function (text, slot) {
      var field = fields[slot % F], ref = refs[(slot - slot % F) / F], tf = Object.create(null);
      var tokens = decodeTokens(text);
      tokens.forEach(function (t) {
        var p = postings[t[2]];
        if (!p) { // lunr numbers terms in the order it first meets them
          p = postings[t[2]] = {};
          fields.forEach(function (f) { p[f] = Object.create(null); });
          p._index = nTerms++;
        }
        (p[field][ref] = p[field][ref] || { position: [] }).position.push([t[0], t[1]]);
        tf[t[2]] = (tf[t[2]] || 0) + 1;
      });
      counts.push(tf);
      lengths.push(tokens.length);
      sums[slot % F] += tokens.length;
    });
    var idf = Object.create(null);
    Object.keys(postings).forEach(function (t) {
      var n = 0;
      fields.forEach(function (f) { n += Object.keys(postings[t][f]).length; });
      idf[t] = Math.log(1 + Math.abs((N - n + 0.5) / (n + 0.5)));
    });
    var vectors = counts.map(function (tf, slot) {
      var f = slot % F, norm = c.k1 * (1 - c.b + c.b * (lengths[slot] / (sums[f] / N))), el = [];
      Object.keys(tf).sort(function (a, b) { return postings[a]._index - postings[b]._index; })
        .forEach(function (t) {
          // lunr.py's operations in lunr.py's order, so the doubles agree; scores near a
          // rounding tie, where a last-bit difference could show, ship as they are in c.fix.
          var score = idf[t] * ((c.k1 + 1) * tf[t]) / (norm + tf[t]);
          el.push(postings[t]._index, Number((score * c.boosts[f]).toFixed(3)));
        });
      return [fields[f] + '/' + refs[(slot - f) / F], el];
    });
    for (var i = 0; i < c.fix.length; i += 3) {
      var el = vectors[c.fix[i]][1];
      for (var j = 0; j < el.length; j += 2) if (el[j] === c.fix[i + 1]) el[j + 1] = c.fix[i + 2];
    }
    return {
      version: c.version, fields: fields, fieldVectors: vectors, pipeline: c.pipeline,
      invertedIndex: Object.keys(postings).sort(byCodePoint).map(function (t) { return [t, postings[t]]; })
    };
  }

  /** Return whether a word is long enough for a typo retry, and short enough to be a word. */
  function typoLength(term) {
    var n = cpLength(term);
    return n >= 5 && n <= 30;
  }

  /** Return every string one insertion, deletion, substitution or swap away from term. */
  function edits(term) {
    var cs = Array.from(term), out = [];
    var abc = Array.from(new Set(cs.concat('abcdefghijklmnopqrstuvwxyz'.split(''))));
    for (var i = 0; i <= cs.length; i++) {
      var head = cs.slice(0, i).join(''), rest = cs.slice(i).join(''), tail = cs.slice(i + 1).join('');
      if (i < cs.length) out.push(head + tail);
      if (i + 1 < cs.length) out.push(head + cs[i + 1] + cs[i] + cs.slice(i + 2).join(''));
      abc.forEach(function (ch) {
        out.push(head + ch + rest);
        if (i < cs.length) out.push(head + ch + tail);
      });
    }
    return out;
  }

  /** Return a function mapping code point offsets into text to UTF-16 offsets. */
  function unitOffsets(text) {
    if (!/[\ud800-\udfff]/.test(text)) return function (cp) { return cp; };
    var map = [], i = 0;
    for (var ch of text) { map.push(i); i += ch.length; }
    map.push(i);
    return function (cp) { return map[Math.min(cp, map.length - 1)]; };
  }

  /** Return whether text has spans, one per phrase word and in order, with no token between. */
  function hasPhrase(spansPerWord, text) {
    var prev = spansPerWord[0];
    for (var k = 1; k < spansPerWord.length && prev.length; k++) {
      var next = [], j = 0;
      spansPerWord[k].forEach(function (b) {
        // Only the last span ending before b can be the token right before it.
        while (j + 1 < prev.length && prev[j + 1][1] <= b[0]) j++;
        var a = prev[j];
        if (a[1] <= b[0] && !ReaderText.tokenize(text.slice(a[1], b[0])).length) next.push(b);
      });
      prev = next;
    }
    return prev.length > 0;
  }

  /**
   * Return {search(query, {prefix})} over a serialized lunr index. getText(ref) gives a doc's body
   * as indexed; the optional getTitle(ref) its title (title hits and title phrases need it).
   */
  function createEngine(lunr, serialized, getText, getTitle) {
    // lunr.js wants terms in UTF-16 order, which differs from Python's around astral chars.
    var index = lunr.Index.load(Object.assign({}, serialized, {
      invertedIndex: serialized.invertedIndex.slice().sort(function (a, b) { return a[0] < b[0] ? -1 : 1; })
    }));
    var docOrder = Object.create(null), texts = new Map(), docCounts = new Map();
    serialized.fieldVectors.forEach(function (v, i) {
      var ref = v[0].slice(v[0].indexOf('/') + 1);
      if (!(ref in docOrder)) docOrder[ref] = i;
    });

    function stem(term) {
      return lunr.stemmer(new lunr.Token(term)).toString();
    }

    /** Return {text, units} for a doc's field, or null when its text is not available. */
    function fieldText(ref, field) {
      var key = field + '/' + ref, hit = texts.get(key);
      if (hit === undefined) {
        var text = field === 'body' ? getText(ref) : field === 'title' && getTitle ? getTitle(ref) : null;
        hit = typeof text === 'string' ? { text: text, units: unitOffsets(text) } : null;
        texts.set(key, hit);
      }
      return hit;
    }

    /** Return how many (doc, field) pairs hold a term. */
    function docCount(t) {
      if (!docCounts.has(t)) {
        docCounts.set(t, index.fields.reduce(function (n, f) {
          return n + Object.keys(index.invertedIndex[t][f]).length;
        }, 0));
      }
      return docCounts.get(t);
    }

    function termsOf(tokenSet) {
      return index.tokenSet.intersect(tokenSet).toArray();
    }

    /** Return the index terms of 4+ chars that term starts with ("securit" -> secur). */
    function stemsWithin(term) {
      // A half-typed word can run past its own stem: no term begins with "securit".
      var out = [], node = index.tokenSet;
      for (var i = 0; i < term.length && (node = node.edges[term[i]]); i++) {
        if (node.final && i >= 3) out.push(term.slice(0, i + 1));
      }
      return out;
    }

    /** Return the stems in the index of the word a half-typed one may be (bei: being -> be). */
    function completedStems(term) {
      var out = new Set();
      COMPLETIONS.forEach(function (c) {
        var t = stem(term + c);
        if (t in index.invertedIndex) out.add(t);
      });
      return Array.from(out);
    }

    /** Return the index terms that begin with a word or its stem. */
    function prefixTerms(word) {
      return termsOf(lunr.TokenSet.fromString(word.term + '*'))
        .concat(termsOf(lunr.TokenSet.fromString(word.stem + '*')));
    }

    /** Return the index terms a word may be a typo of (none for short or very long words). */
    function typoTerms(word) {
      if (!typoLength(word.term)) return [];
      var distance = cpLength(word.term) >= TWO_EDITS_FROM ? 2 : 1;
      // Stemming hides typos in endings (secuirty -> secuirti, not secur), so also stem
      // each spelling one edit away from what was typed.
      return termsOf(lunr.TokenSet.fromFuzzyString(word.stem, distance))
        .concat(edits(word.term).map(stem).filter(function (t) { return t in index.invertedIndex; }));
    }

    /**
     * Return whether a word that no term begins with is more likely mistyped than typed past
     * its stem: "alliabce" runs past alli (allies) but is a typo of allianc; "securit" is not.
     */
    function mistyped(word) {
      if (word.stem in index.invertedIndex || prefixTerms(word).length || completedStems(word.term).length) {
        return false;
      }
      var within = stemsWithin(word.term);
      return within.length > 0 && typoTerms(word).some(function (t) { return within.indexOf(t) < 0; });
    }

    /** Return a Map of the index terms a query word matches to their boosts. */
    function expand(word, prefix, fuzzy) {
      var found = new Map();
      function add(terms, boost) {
        terms.forEach(function (t) { if (!(found.get(t) >= boost)) found.set(t, boost); });
      }
      var typos = fuzzy ? typoTerms(word) : [];
      if (prefix) {
        var more = prefixTerms(word).concat(completedStems(word.term));
        // In the typo pass a mistyped word no longer matches the stems it runs past.
        if (!(fuzzy && mistyped(word))) more = more.concat(stemsWithin(word.term));
        if (more.length > MAX_PREFIX_TERMS) {
          more.sort(function (a, b) { return docCount(b) - docCount(a) || byCodePoint(a, b); });
        }
        add(more.slice(0, MAX_PREFIX_TERMS), 1);
      }
      add(typos, 1);
      // The word itself outranks words it only begins or is a typo away from.
      add(termsOf(lunr.TokenSet.fromString(word.stem)), 10);
      return found;
    }

    /** Return [{field, start, end}] UTF-16 spans of a doc's matched terms (those in set, if given). */
    function spans(metadata, ref, field, set) {
      var out = [], ft = fieldText(ref, field);
      if (!ft) return out;
      Object.keys(metadata).forEach(function (t) {
        var m = metadata[t][field];
        if (m && (!set || set.has(t))) {
          m.position.forEach(function (p) {
            out.push({ field: field, start: ft.units(p[0]), end: ft.units(p[0] + p[1]) });
          });
        }
      });
      return out.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    }

    /** Return the results of one pass, best first. */
    function run(words, phrases, prefix, fuzzy) {
      var sets = [];
      for (var i = 0; i < words.length; i++) {
        sets.push(expand(words[i], prefix && i === words.length - 1, fuzzy));
        if (!sets[i].size) return []; // every word must match: no need to expand the rest
      }
      var all = new Map();
      sets.forEach(function (set) {
        set.forEach(function (boost, t) { if (!(all.get(t) >= boost)) all.set(t, boost); });
      });
      // Every clause is optional (lunr ORs them); AND and phrases are checked per result.
      return index.query(function (q) {
        all.forEach(function (boost, t) { q.term(t, { usePipeline: false, boost: boost }); });
      }).filter(function (r) {
        var md = r.matchData.metadata, found = Object.keys(md);
        return sets.every(function (set) {
          return found.some(function (t) { return set.has(t); });
        }) && phrases.every(function (phrase) {
          return index.fields.some(function (field) {
            var ft = fieldText(r.ref, field);
            return ft && hasPhrase(phrase.map(function (w) {
              return spans(md, r.ref, field, sets[w]).map(function (s) { return [s.start, s.end]; });
            }), ft.text);
          });
        });
      }).sort(function (a, b) {
        return b.score - a.score || docOrder[a.ref] - docOrder[b.ref];
      }).map(function (r) {
        var hits = [];
        index.fields.forEach(function (f) { hits = hits.concat(spans(r.matchData.metadata, r.ref, f)); });
        return { ref: r.ref, score: r.score, hits: hits };
      });
    }

    /** Return {results: [{ref, score, hits}], fuzzy, terms} for any query text. */
    function search(query, options) {
      var words = [], phrases = [], prefix = !!(options && options.prefix);
      var parts = (query == null ? '' : String(query)).split(QUOTES);
      parts.forEach(function (part, i) {
        var first = words.length;
        ReaderText.tokenize(part).forEach(function (t) { words.push({ term: t.term, stem: stem(t.term) }); });
        // Odd parts sit between quotes; an unclosed quote's tail is plain words.
        if (i % 2 && i < parts.length - 1 && words.length - first > 1) {
          phrases.push(words.slice(first).map(function (_, k) { return first + k; }));
        }
      });
      var results = words.length ? run(words, phrases, prefix, false) : [], fuzzy = false;
      // Retry with typos when nothing was found, or when the word being typed only matched
      // stems it runs past and looks mistyped; keep what was found if the retry finds nothing.
      if ((!results.length || (prefix && mistyped(words[words.length - 1])))
          && words.some(function (w) { return typoLength(w.term); })) {
        var close = run(words, phrases, prefix, true);
        if (close.length) {
          results = close;
          fuzzy = true;
        }
      }
      return { results: results, fuzzy: fuzzy, terms: words.map(function (w) { return w.term; }) };
    }

    return { search: search };
  }

  return { expandIndex: expandIndex, createEngine: createEngine };
}));
