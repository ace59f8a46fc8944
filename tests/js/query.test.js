// Browser search (static/js/query.js) on an index built by reader/search.py.
// Run through tests/test_query_js.py, which writes the fixture; run alone, `node --test tests/js/`
// asks Python ($PYTHON or .venv/bin/python) to write one.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const JS_DIR = process.env.READER_JS_DIR || path.join(ROOT, 'static', 'js');
const ReaderText = require(path.join(JS_DIR, 'textnorm.js'));
const ReaderQuery = require(path.join(JS_DIR, 'query.js'));
const lunr = require(path.join(ROOT, 'node_modules', 'lunr'));

/** The fixture tests/test_query_js.py wrote, writing one first if none was given. */
function loadFixture() {
  let file = process.env.READER_SEARCH_FIXTURE;
  if (!file) {
    const python = process.env.PYTHON || path.join(ROOT, '.venv', 'bin', 'python');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-search-'));
    file = execFileSync(python, ['-c', 'import sys; from pathlib import Path; '
      + 'from tests.test_query_js import write_fixture; print(write_fixture(Path(sys.argv[1])))', folder],
    { cwd: ROOT, encoding: 'utf8' }).trim();
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const fixture = loadFixture();
const docs = fixture.docs;
const sandbox = { window: {} };
vm.runInNewContext(fs.readFileSync(fixture.script, 'utf8'), sandbox);
const expanded = ReaderQuery.expandIndex(sandbox.window.READER_SEARCH_INDEX);
const engine = ReaderQuery.createEngine(lunr, expanded, (ref) => docs[ref].body, (ref) => docs[ref].title);

const search = (q, options = {}) => engine.search(q, options);
const refs = (q, options) => search(q, options).results.map((r) => r.ref);
const sorted = (q, options) => refs(q, options).sort();
/** The text each hit of a doc's result covers. */
const hitTexts = (q, ref, options) => search(q, options).results.find((r) => r.ref === ref)
  .hits.map((h) => docs[ref][h.field].slice(h.start, h.end));

test('expandIndex rebuilds exactly the index lunr.py serialized', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(expanded)), fixture.index);
});

test('U.S., US and us find the same docs', () => {
  const want = ['p-1', 'p-2', 'p-3', 'p-4'];
  for (const q of ['U.S.', 'US', 'us', 'u.s']) assert.deepEqual(sorted(q), want, q);
  assert.deepEqual(hitTexts('US', 'p-2'), ['U.S.']);
  assert.deepEqual(hitTexts('U.S.', 'p-3'), ['US']);
});

test('UK finds U.K.', () => {
  assert.deepEqual(refs('UK'), ['p-2']);
  assert.deepEqual(hitTexts('UK', 'p-2'), ['U.K.']);
});

test("Japan's, Japan\u2019s and Japan find the same docs", () => {
  const want = sorted('Japan');
  assert.deepEqual(want, ['note-astral', 'note-jimbo', 'p-1', 'p-3', 'p-4']);
  for (const q of ["Japan's", 'Japan\u2019s', 'JAPAN', 'japans']) assert.deepEqual(sorted(q), want, q);
  assert.deepEqual(hitTexts('japan', 'p-1'), ['Japan', 'Japan\u2019s']);
});

test('the US finds something: stop words are indexed', () => {
  assert.ok(refs('the US').includes('p-3'));
  assert.deepEqual(search('the US').terms, ['the', 'us']);
});

test('numbers stay whole: 3.1 and 1,739', () => {
  assert.deepEqual(refs('3.1'), ['p-2']);
  assert.deepEqual(hitTexts('3.1', 'p-2'), ['3.1']);
  assert.deepEqual(refs('1,739'), ['note-sipri']);
  assert.deepEqual(refs('1739'), ['note-sipri']);
  assert.deepEqual(hitTexts('1739', 'note-sipri'), ['1,739']);
});

test('every word must match', () => {
  assert.deepEqual(refs('steel aluminum'), ['p-5']);
  assert.deepEqual(refs('japan tariffs'), []);
});

test('a quoted phrase matches only adjacent words in order', () => {
  assert.deepEqual(refs('"security treaty"'), ['p-4']);
  assert.deepEqual(refs('\u201csecurity treaty\u201d'), ['p-4']);
  assert.deepEqual(sorted('"japan security"'), ['note-jimbo', 'p-1', 'p-4']);
  assert.deepEqual(refs('"long range missiles"'), ['p-6']);
  assert.deepEqual(refs('"the United States" bases'), ['p-4']);
});

test('a phrase that is not in the text finds nothing', () => {
  for (const q of ['"treaty security"', '"japan treaty"', '"security lopsided"', '"missiles long"']) {
    assert.deepEqual(search(q, { prefix: true }).results, [], q);
  }
  assert.deepEqual(sorted('japan treaty'), ['p-4']); // the same words unquoted
});

test('an unclosed quote leaves plain words', () => {
  assert.deepEqual(refs('"security treaty'), ['p-4']);
  assert.deepEqual(refs('treaty "security'), ['p-4']);
});

test('the last word also matches as a prefix', () => {
  assert.deepEqual(refs('corner', { prefix: true }), ['p-1']);
  assert.deepEqual(search('corner', { prefix: false }), { results: [], fuzzy: false, terms: ['corner'] });
  assert.deepEqual(refs('japan corner', { prefix: true }), ['p-1']);
  assert.deepEqual(refs('corner japan', { prefix: true }), []);
  assert.ok(refs('steel alumin', { prefix: true }).includes('p-5'));
});

test('typing a word through its stem keeps finding it', () => {
  for (let i = 3; i <= 'security'.length; i++) {
    const q = 'security'.slice(0, i);
    assert.ok(refs(q, { prefix: true }).includes('p-1'), q);
  }
});

test('a typo is retried once with edit distance 1 and flagged fuzzy', () => {
  for (const q of ['alliabce', 'secuirty', 'lopsdied', 'japan alliabce']) {
    const found = search(q);
    assert.equal(found.fuzzy, true, q);
    assert.ok(found.results.length > 0, q);
  }
  assert.deepEqual(refs('alliabce'), ['p-1']);
  assert.equal(search('alliance').fuzzy, false);
});

test('while typing, a typo that only prefix-matches another word still gets close spellings', () => {
  // "alli" is the stem of ally/allies, so a prefix match alone would hide the typo.
  for (const q of ['alliabce', 'alliense']) {
    const found = search(q, { prefix: true });
    assert.equal(found.fuzzy, true, q);
    assert.ok(refs(q, { prefix: true }).includes('p-1'), q);
  }
});

test('words under 5 letters get no typo retry', () => {
  assert.deepEqual(search('jpan'), { results: [], fuzzy: false, terms: ['jpan'] });
  assert.deepEqual(search('steal').fuzzy, true); // 5 letters: steel
});

test('hits are UTF-16 offsets into the text, past astral characters too', () => {
  assert.deepEqual(hitTexts('caf\u00e9', 'note-astral'), ['caf\u00e9']);
  assert.deepEqual(hitTexts('cafe', 'note-astral'), ['caf\u00e9']);
  assert.deepEqual(hitTexts('japan', 'note-astral'), ['Japan']);
  assert.deepEqual(hitTexts('\ud840\udc00', 'note-astral'), ['\ud840\udc00']);
  assert.deepEqual(hitTexts('\ufa0e', 'note-astral'), ['\ufa0e']);
  assert.deepEqual(hitTexts('title', 'note-astral'), ['title']);
  const jimbo = search('jimbo').results[0];
  assert.deepEqual(jimbo.hits, [{ field: 'title', start: 4, end: 9 }]);
});

test('results are best first, ties in document order', () => {
  const twins = search('twin').results;
  assert.deepEqual(twins.map((r) => r.ref), ['note-twin-1', 'note-twin-2']);
  assert.equal(twins[0].score, twins[1].score);
  const scores = search('japan').results.map((r) => r.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
});

test('empty and punctuation-only queries return nothing', () => {
  for (const q of ['', ' ', '...', '"', '""', '\u2014', '*', '?!', '\u201c\u201d']) {
    assert.deepEqual(search(q, { prefix: true }), { results: [], fuzzy: false, terms: [] }, q);
  }
});

/** Fail unless a search result has the documented shape and in-range hits. */
function assertWellFormed(found, q) {
  assert.equal(typeof found.fuzzy, 'boolean', q);
  assert.ok(Array.isArray(found.terms) && Array.isArray(found.results), q);
  for (const r of found.results) {
    assert.ok(r.ref in docs && Number.isFinite(r.score), q);
    for (const h of r.hits) {
      const text = docs[r.ref][h.field];
      assert.ok(h.start >= 0 && h.start < h.end && h.end <= text.length, `${q}: ${JSON.stringify(h)}`);
      assert.ok(ReaderText.tokenize(text.slice(h.start, h.end)).length > 0, q);
    }
  }
}

const NASTY = [
  '*', '**', 'jap*', '*pan', 'japan~1', 'japan^10', '+japan -us', '-japan', '+', '-', '~', '^', ':',
  'title:japan', 'body:', ':japan', '\\', '\\\\', 'japan\\', '[', ']', '[japan]', '"', '"""', '"a', 'a"',
  '\'', '\u2019', '\u02bc', '\u201c', '"japan', 'japan"', '"japan"', '""japan""', '" "', 'a:b:c', '^~*+-:"\\[]',
  '\u0000', '\ud800', '\udc00', 'x\ud800y', '\ud83d\ude00', '\u0301', 'e\u0301\u0301', '\u202e', '\ufeff',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf',
  'a'.repeat(10000), 'japan '.repeat(300), '"japan '.repeat(50), 'e'.repeat(40),
  '\u00bd', '\u2488', '\ufb01', 'U.S.-', '.U.S.', 'U..S', '1,', ',1', '1..1', '...1', '3.', '.3',
];

test('odd characters never throw', () => {
  for (const q of NASTY) {
    for (const prefix of [true, false]) assertWellFormed(search(q, { prefix }), JSON.stringify(q));
  }
  for (const q of [null, undefined, 42, {}, [], ['japan'], true]) {
    assertWellFormed(engine.search(q), String(q));
    assertWellFormed(engine.search(q, null), String(q));
  }
  assert.deepEqual(refs(['japan']), refs('japan'));
});

/** A small seeded random number generator (mulberry32), so failures repeat. */
function seeded(seed) {
  return function () {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('2,000 random strings never throw', () => {
  const pieces = ['japan', 'us', 'U.S.', 'security', 'treaty', 'the', '3.1', 'caf\u00e9', 'twin', 'alliabce',
    '"', '\u201c', '\u201d', '*', '~', '^', ':', '+', '-', '\\', '[', ']', ' ', '  ', '\u2014', '\u2019', "'",
    '.', ',', '1', 'x', '\u00e9', '\u0301', '\ud83d\ude00', '\ud800', '\u00a0', '\n', '\u00bd', '\ufa0e'];
  const random = seeded(20240229);
  for (let i = 0; i < 2000; i++) {
    let q = '';
    const n = Math.floor(random() * 8);
    for (let k = 0; k < n; k++) q += pieces[Math.floor(random() * pieces.length)];
    assertWellFormed(search(q, { prefix: random() < 0.5 }), JSON.stringify(q));
  }
});
