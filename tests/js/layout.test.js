// Margin-note placement (static/js/layout.js, ReaderLayout.place): a pure function, so plain Node runs it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const JS_DIR = process.env.READER_JS_DIR || path.join(__dirname, '..', '..', 'static', 'js');
require(path.join(JS_DIR, 'layout.js'));
const { place } = globalThis.ReaderLayout;

const one = { columns: 1, gap: 12, maxShift: 300 };
const spot = (top, column = 0, short = false) => ({ top, column, short });

test('no notes take no room', () => {
  assert.deepEqual(place([], one), { notes: [], bottom: 0 });
});

test('a note sits level with its words, or just below the note above it', () => {
  const items = [{ anchorTop: 0, full: 100, lead: 100 }, { anchorTop: 50, full: 40, lead: 40 }];
  assert.deepEqual(place(items, one), { notes: [spot(0), spot(112)], bottom: 152 });
});

test('with two columns a note that would be pushed down goes where it can sit level with its words', () => {
  const items = [{ anchorTop: 0, full: 100, lead: 100 }, { anchorTop: 50, full: 40, lead: 40 }];
  assert.deepEqual(place(items, { ...one, columns: 2 }), { notes: [spot(0), spot(50, 1)], bottom: 100 });
});

test('a long note is cut to its lead only when, whole, it would push the next one more than maxShift', () => {
  const items = [{ anchorTop: 0, full: 500, lead: 60 }, { anchorTop: 100, full: 40, lead: 40 }];
  assert.deepEqual(place(items, one), { notes: [spot(0, 0, true), spot(100)], bottom: 140 });
  assert.deepEqual(place(items, { ...one, maxShift: 450 }), { notes: [spot(0), spot(512)], bottom: 552 });
});

test('the last note is never cut: nothing comes after it to push', () => {
  const items = [{ anchorTop: 0, full: 900, lead: 60 }];
  assert.deepEqual(place(items, one), { notes: [spot(0)], bottom: 900 });
});
