// The search engine (static/js/query.js, textnorm.js) on an index built by reader/search.py.
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
require(path.join(JS_DIR, 'textnorm.js'));
require(path.join(JS_DIR, 'query.js'));
const { ReaderText, ReaderQuery } = globalThis;
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

/** The compact index a shipped index script holds. */
function shippedIndex(script) {
  const sandbox = { window: {} };
  vm.runInNewContext(script, sandbox);
  return sandbox.window.READER_SEARCH_INDEX;
}

const fixture = loadFixture();
const docs = fixture.docs;
const expanded = ReaderQuery.expandIndex(shippedIndex(fs.readFileSync(fixture.script, 'utf8')));
const textOf = (ref, field) => (docs[ref] ? docs[ref][field] : '');
const engine = ReaderQuery.createEngine(lunr, expanded, textOf);

const search = (q, options = { prefix: true }) => engine.search(q, options);
const refs = (q, options) => search(q, options).results.map((r) => r.ref);
const sorted = (q, options) => refs(q, options).sort();
const tier = (q, options) => search(q, options).tier;
const result = (q, ref, options) => search(q, options).results.find((r) => r.ref === ref);
/** The text each hit of a doc's result covers. */
const hitTexts = (q, ref, options) => result(q, ref, options).hits.map((h) => docs[ref][h.field].slice(h.start, h.end));
/** The text a doc's run covers, or null. */
const runText = (q, ref, options) => {
  const run = result(q, ref, options).run;
  return run && docs[ref][run.field].slice(run.start, run.end);
};
const JAPAN = ['note-astral', 'note-jimbo', 'p-1', 'p-3', 'p-4'];

test('expandIndex rebuilds exactly the index lunr.py serialized', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(expanded)), fixture.index);
});

test('an index made from the page ships no text and rebuilds the same index from the docs\' own text', () => {
  const compact = shippedIndex(fs.readFileSync(fixture.page_script, 'utf8'));
  assert.equal(compact.text, undefined);
  assert.equal(compact.fromPage, true);
  const stem = (word) => lunr.stemmer(new lunr.Token(word)).toString();
  assert.deepEqual(JSON.parse(JSON.stringify(ReaderQuery.expandIndex(compact, textOf, stem))), fixture.index);
  // Text that differs from what was indexed gives a different index: the check can fail.
  const changed = (ref, field) => (ref === 'p-1' && field === 'body' ? 'Other words entirely.' : textOf(ref, field));
  assert.notDeepEqual(JSON.parse(JSON.stringify(ReaderQuery.expandIndex(compact, changed, stem))), fixture.index);
});

test('a search answers {tier, results, total}, each result {ref, score, hits, run, matched, words}', () => {
  const found = search('security alliance');
  assert.deepEqual(Object.keys(found).sort(), ['results', 'tier', 'total']);
  assert.deepEqual([found.tier, found.total, found.results.length], ['exact', 1, 1]);
  const { score, ...rest } = found.results[0];
  assert.deepEqual(rest, {
    ref: 'p-1', matched: 2, words: 2,
    hits: [{ field: 'body', start: 15, end: 23 }, { field: 'body', start: 24, end: 32 }],
    run: { field: 'body', start: 15, end: 32 },
  });
  assert.ok(score > 0);
});

test('U.S., US and us find the same docs', () => {
  const want = ['p-1', 'p-2', 'p-3', 'p-4'];
  for (const q of ['U.S.', 'US', 'us', 'u.s']) assert.deepEqual(sorted(q), want, q);
  assert.deepEqual(hitTexts('US', 'p-2'), ['U.S.']);
  assert.deepEqual(hitTexts('U.S.', 'p-3'), ['US']);
  assert.deepEqual(refs('UK'), ['p-2']);
  assert.deepEqual(hitTexts('UK', 'p-2'), ['U.K.']);
});

test("Japan's, Japan\u2019s and Japans rank alike; Japan finds the same docs, those with Japan itself first", () => {
  const possessive = refs("Japan's");
  // p-1 and note-jimbo hold Japan\u2019s / Japan's itself; the rest only Japan.
  assert.deepEqual(possessive, ['p-1', 'note-jimbo', 'p-4', 'note-astral', 'p-3']);
  for (const q of ['Japan\u2019s', 'japans', 'JAPANS']) assert.deepEqual(refs(q), possessive, q);
  assert.deepEqual(refs('Japan'), ['p-1', 'p-4', 'note-astral', 'p-3', 'note-jimbo']);
  assert.deepEqual(hitTexts('japan', 'p-1'), ['Japan', 'Japan\u2019s']);
});

test('the US finds something: stop words are indexed', () => {
  assert.deepEqual(refs('the US'), ['p-1', 'p-2', 'p-3', 'p-4']);
  assert.equal(runText('the US', 'p-3'), 'the US');
  assert.equal(result('the US', 'p-4').run, null); // "The 1960 U.S.": a word between
});

test('numbers stay whole: 3.1 and 1,739', () => {
  assert.deepEqual(refs('3.1'), ['p-2']);
  assert.deepEqual(hitTexts('3.1', 'p-2'), ['3.1']);
  assert.deepEqual(refs('1,739'), ['note-sipri']);
  assert.deepEqual(refs('1739'), ['note-sipri']);
  assert.deepEqual(hitTexts('1739', 'note-sipri'), ['1,739']);
});

test('letters NFKD keeps whole fold as readers type them', () => {
  const cases = [['dang', '\u0110\u1eb7ng'], ['lodz', '\u0141\u00f3d\u017a'], ['strasse', 'Stra\u00dfe'],
    ['Stra\u00dfe', 'Stra\u00dfe'], ['STRASSE', 'Stra\u00dfe'], ['faeroerne', 'F\u00e6r\u00f8erne'],
    ['thingvellir', '\u00deingvellir'], ['oeuvre', '\u0152uvre'], ['halka', 'Ha\u0142ka'],
    ['colleccio', 'co\u0140lecci\u00f3']];
  for (const [q, text] of cases) {
    assert.deepEqual(refs(q), ['note-names'], q);
    assert.deepEqual(hitTexts(q, 'note-names'), [text], q);
    assert.equal(tier(q), 'exact', q);
  }
});

test('a run of words typed without quotes ranks first the doc where they stand together in order', () => {
  const found = search('must do more to support');
  // p-8 has every word and the higher lunr score, but not in that order.
  assert.deepEqual(found.results.map((r) => r.ref), ['p-7', 'p-8']);
  assert.ok(found.results[1].score > found.results[0].score);
  assert.deepEqual(found.results[0].run, { field: 'body', start: 6, end: 29 });
  assert.equal(runText('must do more to support', 'p-7'), 'must do more to support');
  assert.equal(runText('must do more to support', 'p-8'), 'must do'); // the longest part in order
  assert.deepEqual([found.results[0].matched, found.results[0].words], [5, 5]);
  // Only punctuation between counts as together; the order counts.
  assert.equal(runText('support more', 'p-8'), 'support, more');
  assert.equal(result('support must', 'p-7').run, null);
});

test('a quoted phrase matches only adjacent words in order', () => {
  assert.deepEqual(refs('"security treaty"'), ['p-4']);
  assert.deepEqual(refs('\u201csecurity treaty\u201d'), ['p-4']);
  assert.deepEqual(sorted('"japan security"'), ['note-jimbo', 'p-1', 'p-4']);
  assert.deepEqual(refs('"long range missiles"'), ['p-6']);
  assert.deepEqual(refs('"the United States" bases'), ['p-4']);
  assert.equal(runText('"more to support"', 'p-7'), 'more to support');
  assert.deepEqual(refs('"support more"'), ['p-8']);
});

test('a phrase that is not in the text finds nothing, and counts none of its words among most words', () => {
  for (const q of ['"treaty security"', '"japan treaty"', '"security lopsided"', '"missiles long"']) {
    assert.deepEqual(search(q), { tier: 'none', results: [], total: 0 }, q);
  }
  assert.deepEqual(refs('japan treaty'), ['p-4']); // the same words unquoted
  const found = search('japan "treaty security"');
  assert.equal(found.tier, 'partial');
  assert.deepEqual(found.results.map((r) => r.ref).sort(), JAPAN);
  assert.ok(found.results.every((r) => r.matched === 1 && r.words === 3));
});

test('an unclosed quote leaves plain words', () => {
  assert.deepEqual(refs('"security treaty'), ['p-4']);
  assert.deepEqual(refs('treaty "security'), ['p-4']);
});

test('the last word also matches as a prefix, and only when no doc has it whole', () => {
  assert.deepEqual(search('corner').results.map((r) => [r.ref, hitTexts('corner', r.ref)]), [['p-1', ['cornerstone']]]);
  assert.equal(tier('corner'), 'prefix');
  assert.deepEqual(search('corner', { prefix: false }), { tier: 'none', results: [], total: 0 });
  assert.deepEqual(refs('japan corner'), ['p-1']);
  assert.equal(tier('corner japan'), 'partial'); // not the last word: no prefix
  assert.deepEqual(refs('steel alumin'), ['p-5']);
  // "abe" is a word of note-abe (Shinzo Abe): Aberdeen and abet do not come in by prefix.
  assert.deepEqual(search('abe').results.map((r) => [r.ref, hitTexts('abe', r.ref)]), [['note-abe', ['Abe']]]);
  assert.deepEqual(hitTexts('aber', 'note-abe'), ['Aberdeen']);
  assert.equal(tier('aber'), 'prefix');
});

test('typing a word through its stem keeps finding it, never as a typo', () => {
  for (let i = 3; i <= 'security'.length; i++) {
    const q = 'security'.slice(0, i);
    assert.deepEqual(sorted(q), ['note-jimbo', 'p-1', 'p-3', 'p-4'], q);
    assert.equal(tier(q), i === 5 || i === 8 ? 'exact' : 'prefix', q);
    assert.deepEqual(hitTexts(q, 'p-1'), ['security'], q);
  }
});

test('a word no doc has is not matched through a shorter word it begins with', () => {
  // "policymakers" begins with polic (police), "counterstrike" with count (counted).
  assert.deepEqual(search('policymakers'), { tier: 'none', results: [], total: 0 });
  assert.deepEqual(search('counterstrike'), { tier: 'none', results: [], total: 0 });
  assert.deepEqual(refs('police'), ['note-police']);
  assert.deepEqual(sorted('count'), ['note-police', 'p-3']);
});

test('close spellings: one edit from 4 letters, two from 8, when no doc has the word', () => {
  const cases = [['Kieo', 'note-jimbo', ['Keio']], ['Japn', 'p-4', ['Japan']], ['steal', 'p-5', ['steel']],
    ['alliabce', 'p-1', ['alliance']], ['alliense', 'p-1', ['alliance']], ['allyanse', 'p-1', ['alliance']],
    ['secuirty', 'p-1', ['security']], ['lopsdied', 'p-4', ['lopsided']]];
  for (const [q, ref, hits] of cases) {
    assert.equal(tier(q), 'typo', q);
    assert.deepEqual(hitTexts(q, ref), hits, q);
  }
  assert.deepEqual(sorted('Japn'), JAPAN);
  assert.deepEqual(refs('alliabce'), ['p-7', 'p-1']);
  assert.deepEqual(refs('japan alliabce'), ['p-1']);
  assert.equal(tier('alliance'), 'exact');
  // Three letters get none; seven letters one edit only (alianse is two from alliance).
  for (const q of ['jpn', 'kio', 'alianse']) assert.deepEqual(search(q), { tier: 'none', results: [], total: 0 }, q);
});

test('when no doc has every word, the docs with at least half of them come, most first', () => {
  const found = search('Tokyo must do mre to support');
  assert.equal(found.tier, 'partial');
  // p-6 and p-3 have "to", one word of six: not most of them.
  assert.deepEqual(found.results.map((r) => [r.ref, r.matched, r.words]), [['p-7', 5, 6], ['p-8', 4, 6]]);
  assert.equal(runText('Tokyo must do mre to support', 'p-7'), 'Tokyo must do');
  assert.deepEqual(refs('japan tariffs'), ['p-5', 'p-1', 'p-4', 'note-astral', 'p-3', 'note-jimbo']);
  assert.deepEqual(refs('jimbo tariffs'), ['note-jimbo', 'p-5']); // a title hit weighs more
  assert.deepEqual(search('zzxq qqzx'), { tier: 'none', results: [], total: 0 });
});

test('limit cuts the results, total counts them all, and a bigger limit continues the same list', () => {
  const all = search('japan', { prefix: true, limit: 100 });
  const two = search('japan', { prefix: true, limit: 2 });
  assert.deepEqual([all.total, all.results.length, two.total, two.results.length], [5, 5, 5, 2]);
  assert.deepEqual(two.results, all.results.slice(0, 2));
  assert.equal(search('japan', {}).results.length, 5); // default 20
  const many = ReaderQuery.createEngine(lunr, expanded, textOf).search('the', {});
  assert.deepEqual([many.total, many.results.length], [9, 9]);
  assert.equal(ReaderQuery.createEngine(lunr, expanded, textOf).search('the', { limit: 3 }).results.length, 3);
});

test('hits are UTF-16 offsets into the text, past astral characters too', () => {
  assert.deepEqual(hitTexts('caf\u00e9', 'note-astral'), ['caf\u00e9']);
  assert.deepEqual(hitTexts('cafe', 'note-astral'), ['caf\u00e9']);
  assert.deepEqual(hitTexts('japan', 'note-astral'), ['Japan']);
  assert.deepEqual(hitTexts('\ud840\udc00', 'note-astral'), ['\ud840\udc00']);
  assert.deepEqual(hitTexts('\ufa0e', 'note-astral'), ['\ufa0e']);
  assert.deepEqual(hitTexts('title', 'note-astral'), ['title']);
  assert.deepEqual(result('jimbo', 'note-jimbo').hits, [{ field: 'title', start: 4, end: 9 }]);
});

test('equal docs rank in document order', () => {
  const twins = search('twin').results;
  assert.deepEqual(twins.map((r) => r.ref), ['note-twin-1', 'note-twin-2']);
  assert.equal(twins[0].score, twins[1].score);
});

test('empty and punctuation-only queries return nothing', () => {
  for (const q of ['', ' ', '...', '"', '""', '\u2014', '*', '?!', '\u201c\u201d', null, undefined]) {
    assert.deepEqual(search(q), { tier: 'none', results: [], total: 0 }, String(q));
  }
});

test('an index of one empty doc answers every query with nothing', () => {
  const empty = ReaderQuery.createEngine(lunr, ReaderQuery.expandIndex(shippedIndex(fixture.empty_script)), () => '');
  for (const q of ['japan', 'j', 'jpan', 'japan tariffs', '"a b"']) {
    assert.deepEqual(empty.search(q, { prefix: true }), { tier: 'none', results: [], total: 0 }, q);
  }
});

/* ---- Snippets ---- */

const TEN = 'one two three four five six seven eight nine ten';
const span = (text, word, from = 0) => ({ start: text.indexOf(word, from), end: text.indexOf(word, from) + word.length });
const plain = (text) => ({ text, mark: false });
const mark = (text) => ({ text, mark: true });

test('a snippet centres on the densest hits and marks each one', () => {
  assert.deepEqual(ReaderQuery.snippet(TEN, [span(TEN, 'four')], null, 5),
    [plain('\u2026 '), plain('two three '), mark('four'), plain(' five six'), plain(' \u2026')]);
  const hits = ['one', 'seven', 'eight', 'nine'].map((w) => span(TEN, w));
  assert.deepEqual(ReaderQuery.snippet(TEN, hits, null, 4),
    [plain('\u2026 '), mark('seven'), plain(' '), mark('eight'), plain(' '), mark('nine'), plain(' ten')]);
  assert.deepEqual(ReaderQuery.snippet(TEN, [], null, 3), [plain('one two three'), plain(' \u2026')]);
  assert.deepEqual(ReaderQuery.snippet('two words', [span('two words', 'words')], null, 25),
    [plain('two '), mark('words')]);
});

test('a snippet shows the run whole as one mark, even past maxWords', () => {
  const run = { start: TEN.indexOf('two'), end: TEN.indexOf('seven') + 5 };
  const inside = ['three', 'four'].map((w) => span(TEN, w));
  assert.deepEqual(ReaderQuery.snippet(TEN, inside, run, 3),
    [plain('\u2026 '), mark('two three four five six seven'), plain(' \u2026')]);
  const start = { start: 0, end: 7 };
  assert.deepEqual(ReaderQuery.snippet(TEN, [span(TEN, 'nine')], start, 5),
    [mark('one two'), plain(' three four five'), plain(' \u2026')]);
  // Centred on the run, not on the hits elsewhere.
  assert.deepEqual(ReaderQuery.snippet(TEN, ['one', 'two', 'ten'].map((w) => span(TEN, w)), span(TEN, 'six seven'), 4),
    [plain('\u2026 '), plain('five '), mark('six seven'), plain(' eight'), plain(' \u2026')]);
});

test('a snippet joins touching hits, ignores hits outside the text and cuts nothing from a short text', () => {
  const text = 'The U.S.Army and the U.S.-Japan pact';
  const hits = [{ start: 4, end: 8 }, { start: 8, end: 12 }, { start: 21, end: 25 }, { start: 26, end: 31 },
    { start: 30, end: 99 }, { start: -1, end: 2 }, { start: 5, end: 5 }, null, 'x'];
  assert.deepEqual(ReaderQuery.snippet(text, hits, { start: 40, end: 50 }, 25),
    [plain('The '), mark('U.S.Army'), plain(' and the '), mark('U.S.'), plain('-'), mark('Japan'), plain(' pact')]);
  assert.deepEqual(ReaderQuery.snippet('', [], null, 25), []);
  assert.deepEqual(ReaderQuery.snippet('  \n ', [], null, 25), []);
  assert.deepEqual(ReaderQuery.snippet(undefined, undefined, undefined, undefined), []);
});

test('a result snippet of a quote search marks the whole run', () => {
  const found = search('must do more to support').results[0];
  const body = found.hits.filter((h) => h.field === 'body');
  assert.deepEqual(ReaderQuery.snippet(docs[found.ref].body, body, found.run, 25),
    [plain('Tokyo '), mark('must do more to support'), plain(' the alliance, and soon.')]);
});

/* ---- Nothing throws ---- */

const TIERS = ['exact', 'prefix', 'typo', 'partial', 'none'];

/** Fail unless a search result has the documented shape and in-range hits and run. */
function assertWellFormed(found, q) {
  assert.ok(TIERS.includes(found.tier), q);
  assert.ok(Array.isArray(found.results) && found.results.length <= found.total, q);
  assert.equal(found.tier === 'none', found.total === 0, q);
  for (const r of found.results) {
    assert.ok(r.ref in docs && Number.isFinite(r.score), q);
    assert.ok(r.matched >= 1 && r.matched <= r.words, q);
    for (const h of [...r.hits, ...(r.run ? [r.run] : [])]) {
      const text = docs[r.ref][h.field];
      assert.ok(h.start >= 0 && h.start < h.end && h.end <= text.length, `${q}: ${JSON.stringify(h)}`);
      assert.ok(ReaderText.tokenize(text.slice(h.start, h.end)).length > 0, q);
    }
    const body = r.hits.filter((h) => h.field === 'body');
    const parts = ReaderQuery.snippet(docs[r.ref].body, body, r.run && r.run.field === 'body' ? r.run : null, 25);
    assert.ok(parts.every((p) => typeof p.text === 'string' && p.text && typeof p.mark === 'boolean'), q);
  }
}

const NASTY = [
  '*', '**', 'jap*', '*pan', 'japan~1', 'japan^10', '+japan -us', '-japan', '+', '-', '~', '^', ':',
  'title:japan', 'body:', ':japan', '\\', '\\\\', 'japan\\', '[', ']', '[japan]', '"', '"""', '"a', 'a"',
  '\'', '\u2019', '\u02bc', '\u201c', '"japan', 'japan"', '"japan"', '""japan""', '" "', 'a:b:c', '^~*+-:"\\[]',
  '\u0000', '\ud800', '\udc00', 'x\ud800y', '\ud83d\ude00', '\u0301', 'e\u0301\u0301', '\u202e', '\ufeff',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'valueOf', 'constructor prototype',
  'a'.repeat(10000), 'japan '.repeat(300), '"japan '.repeat(50), 'e'.repeat(40), 'japn '.repeat(40),
  '\u00bd', '\u2488', '\ufb01', 'U.S.-', '.U.S.', 'U..S', '1,', ',1', '1..1', '...1', '3.', '.3', '\u00df\u1e9e\u0140',
];

test('odd characters never throw', () => {
  for (const q of NASTY) {
    for (const prefix of [true, false]) assertWellFormed(search(q, { prefix }), JSON.stringify(q));
  }
  for (const q of [null, undefined, 42, {}, [], ['japan'], true]) {
    for (const options of [undefined, null, {}, { limit: -1 }, { limit: 'x' }, { limit: Infinity }]) {
      assertWellFormed(engine.search(q, options), String(q));
    }
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

test('2,000 random queries never throw', () => {
  const pieces = ['japan', 'us', 'U.S.', 'security', 'treaty', 'the', '3.1', 'caf\u00e9', 'twin', 'alliabce', 'must',
    'do', 'more', 'kieo', '\u0141\u00f3d\u017a', 'stra\u00dfe', 'abe', '"', '\u201c', '\u201d', '*', '~', '^', ':', '+',
    '-', '\\', '[', ']', ' ', '  ', '\u2014', '\u2019', "'", '.', ',', '1', 'x', '\u00e9', '\u0301', '\ud83d\ude00',
    '\ud800', '\u00a0', '\n', '\u00bd', '\ufa0e'];
  const random = seeded(20240229);
  for (let i = 0; i < 2000; i++) {
    let q = '';
    const n = Math.floor(random() * 8);
    for (let k = 0; k < n; k++) q += pieces[Math.floor(random() * pieces.length)];
    assertWellFormed(search(q, { prefix: random() < 0.5 }), JSON.stringify(q));
  }
});

test('2,000 random snippets never throw and show the text as it is, every hit inside marked', () => {
  const random = seeded(7);
  const chars = ['a', 'b', ' ', ' ', '\n', '.', '\u00e9', '\ud83d\ude00', '\u2014'];
  for (let i = 0; i < 2000; i++) {
    let text = '';
    for (let k = Math.floor(random() * 60); k > 0; k--) text += chars[Math.floor(random() * chars.length)];
    const pick = () => Math.floor(random() * (text.length + 2)) - 1;
    const hits = Array.from({ length: Math.floor(random() * 5) }, () => {
      const start = pick();
      return { start, end: start + Math.floor(random() * 4) };
    });
    const run = random() < 0.3 ? hits[0] || null : null;
    const parts = ReaderQuery.snippet(text, hits, run, 1 + Math.floor(random() * 8));
    const context = JSON.stringify({ text, hits, run, parts });
    if (!text.trim()) {
      assert.deepEqual(parts, [], context);
      continue;
    }
    const cut = (k) => parts[k] && !parts[k].mark && parts[k].text === (k ? ' \u2026' : '\u2026 ');
    const shown = parts.slice(cut(0) ? 1 : 0, cut(parts.length - 1) ? -1 : undefined);
    const joined = shown.map((p) => p.text).join('');
    const valid = [...hits, run].filter((h) => h && h.start >= 0 && h.start < h.end && h.end <= text.length);
    // Where the shown text begins: some word start holding it, at which every char is marked
    // exactly when a valid hit (or the run) covers it.
    const fits = (begin) => {
      let at = begin;
      return shown.every((p) => [...Array(p.text.length).keys()].every((k) => {
        const covered = valid.some((h) => h.start <= at + k && at + k < h.end);
        return covered === p.mark;
      }) && (at += p.text.length));
    };
    const starts = [...text.matchAll(/\S+/g)].map((m) => m.index).filter((i) => text.startsWith(joined, i));
    assert.ok(joined.trim() === joined && starts.some(fits), context);
    assert.ok(shown.every((p, k) => k === 0 || p.mark !== shown[k - 1].mark), context); // neighbours differ
  }
});
