// A reader's notes as W3C Web Annotations (static/js/annotations.js) and shared by link (notelink.js):
// pure parts of the notes bundle, run under plain Node.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const JS_DIR = process.env.READER_JS_DIR || path.join(__dirname, '..', '..', 'static', 'js');
globalThis.ReaderQuote = { textFragment: (n) => `text=${encodeURIComponent(n.exact)}` }; // quote.js needs a page
require(path.join(JS_DIR, 'annotations.js'));
require(path.join(JS_DIR, 'notelink.js'));
const { record, toAnnotation, collection, parse, LIMITS } = globalThis.ReaderAnnotations;
const { linkTo, fromLink } = globalThis.ReaderNoteLink;

const ARTICLE = { source: 'https://example.org/story', base: 'https://example.org/reader/' };
const kept = (fields) => ({ ...record('urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', 'two words', 'before ', ' after',
  7, 'my note', '2026-01-02T03:04:05.000Z', '2026-01-02T03:04:05.000Z'), ...fields });
const file = (items) => JSON.stringify(collection(items, 'Notes'));

test('a kept note comes back from its annotation as it went in', () => {
  const n = kept();
  const { items } = parse(file([toAnnotation(n, ARTICLE.source)]), false, ARTICLE);
  const fields = ({ id, dom, exact, prefix, suffix, start, end, text, created, modified }) =>
    ({ id, dom, exact, prefix, suffix, start, end, text, created, modified });
  assert.deepEqual(items.map(fields), [fields(n)]);
  assert.equal(n.dom, 'rn-0a1b2c3d4e5f');
});

test('a file is refused whole, saying why, for one bad note', () => {
  const good = toAnnotation(kept(), ARTICLE.source);
  const why = (items) => parse(file(items), false, ARTICLE).error;
  assert.equal(parse('{"no": ', false, ARTICLE).error, 'rn_why_json');
  assert.equal(why([good, toAnnotation(kept({ text: '<script>x()</script>' }), ARTICLE.source)]), 'rn_why_unsafe');
  assert.equal(why([good, toAnnotation(kept(), 'https://elsewhere.example/')]), 'rn_why_other');
  assert.equal(why([good, { ...good, target: { source: ARTICLE.source, selector: [] } }]), 'rn_why_shape');
  assert.equal(why([toAnnotation(kept({ text: 'x'.repeat(LIMITS.text + 1) }), ARTICLE.source)]), 'rn_why_long');
});

test('the list this page kept is read without the import limits (an article may quote "javascript:")', () => {
  const n = kept({ exact: 'javascript: a language' });
  assert.equal(parse(file([toAnnotation(n, 'https://elsewhere.example/')]), true, ARTICLE).items[0].exact, n.exact);
});

test('a shared note travels in the link and comes back, and a broken link says so', async () => {
  const n = kept({ text: 'shared words '.repeat(20) });
  const link = await linkTo(n, ARTICLE.base);
  assert.match(link, /^https:\/\/example\.org\/reader\/#rn=z[\w-]+:~:text=two%20words$/);
  const back = await fromLink(link.slice(link.indexOf('#')));
  assert.deepEqual([back.exact, back.prefix, back.suffix, back.text], [n.exact, n.prefix, n.suffix, n.text.trim()]);
  assert.equal(await fromLink('#rn=zNotDeflate'), 'bad');
  assert.equal(await fromLink('#p-3'), null);
});

test('on a shelf, a file is checked against every article: each note keeps the address it is on', () => {
  const shelf = ['https://example.org/story', 'https://example.org/other-story'];
  const one = toAnnotation(kept(), shelf[0]);
  const two = { ...toAnnotation(kept({ id: 'urn:uuid:1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d' }), shelf[1]) };
  const { items } = parse(file([one, two]), false, shelf);
  assert.deepEqual(items.map((n) => n.on), shelf);
  assert.equal(parse(file([one, two]), false, ARTICLE).error, 'rn_why_other', 'one article: the other is refused');
  assert.equal(parse(file([toAnnotation(kept(), 'https://example.org/elsewhere')]), false, shelf).error, 'rn_why_other');
});

test('merging adds only the notes a list does not hold yet, by id or by the same words and text', () => {
  const { merge } = globalThis.ReaderAnnotations;
  const list = [kept()];
  const same = kept({ id: 'urn:uuid:2a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d' });
  const other = kept({ id: 'urn:uuid:3a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d', text: 'another' });
  assert.equal(merge(list, [kept(), same, other, other]), 1);
  assert.deepEqual(list.map((n) => n.text), ['my note', 'another']);
});
