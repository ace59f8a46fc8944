// Margin-note placement (static/js/layout.js, ReaderLayout.place): a pure function, so plain Node runs it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const JS_DIR = process.env.READER_JS_DIR || path.join(__dirname, '..', '..', 'static', 'js');
require(path.join(JS_DIR, 'layout.js'));
const { place } = globalThis.ReaderLayout;

const one = { columns: 1, gap: 12, maxShift: 300 };
const WHOLE = 2, LEAD = 1, TITLE = 0;
const spot = (top, column = 0, level = WHOLE) => ({ top, column, level });
/** A note at anchorTop: its title, its title and first sentence, whole (px). */
const note = (anchorTop, whole, lead = whole, title = lead) => ({ anchorTop, heights: [title, lead, whole] });

test('no notes take no room', () => {
  assert.deepEqual(place([], one), { notes: [], bottom: 0 });
});

test('a note sits level with its words, or just below the note above it', () => {
  const items = [note(0, 100), note(50, 40)];
  assert.deepEqual(place(items, one), { notes: [spot(0), spot(112)], bottom: 152 });
});

test('with two columns a note that would be pushed down goes where it can sit level with its words', () => {
  const items = [note(0, 100), note(50, 40)];
  assert.deepEqual(place(items, { ...one, columns: 2 }), { notes: [spot(0), spot(50, 1)], bottom: 100 });
});

test('a long note is cut to its lead only when, whole, it would push the next one more than maxShift', () => {
  const items = [note(0, 500, 60), note(100, 40)];
  assert.deepEqual(place(items, one), { notes: [spot(0, 0, LEAD), spot(100)], bottom: 140 });
  assert.deepEqual(place(items, { ...one, maxShift: 450 }), { notes: [spot(0), spot(512)], bottom: 552 });
});

test('the last note is never cut: nothing comes after it to push', () => {
  assert.deepEqual(place([note(0, 900, 60)], one), { notes: [spot(0)], bottom: 900 });
});

test('where leads are not enough, notes are cut to their titles', () => {
  // Three notes on one line of text: whole they push the third 724 px down, with leads 424 px.
  const items = [note(0, 350, 200, 20), note(0, 350, 200, 20), note(0, 40)];
  const placed = place(items, one);
  assert.deepEqual(placed.notes.map((n) => n.level), [TITLE, LEAD, WHOLE]);
  assert.ok(placed.notes[2].top <= 300);
});

test('the note that frees most room is cut first, so as few notes as may be are cut', () => {
  const items = [note(0, 120, 40), note(10, 400, 40), note(20, 40)];
  const placed = place(items, one);
  assert.deepEqual(placed.notes.map((n) => n.level), [WHOLE, LEAD, WHOLE]);
  assert.deepEqual(placed.notes.map((n) => n.top), [0, 132, 184]);
});

test('only the notes that push a note are cut: one level with its words ends the chain', () => {
  // The first note is far above and pushes nothing; the second sits at its words and pushes the third.
  const items = [note(0, 900, 40), note(1000, 500, 40), note(1010, 40)];
  const placed = place(items, one);
  assert.deepEqual(placed.notes.map((n) => n.level), [WHOLE, LEAD, WHOLE]);
});

test('when even titles cannot make room, the notes stay as short as they can and nothing overlaps', () => {
  const items = Array.from({ length: 30 }, () => note(0, 100, 50, 20));
  const placed = place(items, one);
  assert.ok(placed.notes.slice(0, -1).every((n) => n.level === TITLE));
  placed.notes.slice(1).forEach((n, i) => assert.ok(n.top >= placed.notes[i].top + 20 + 12));
});

test('every note, in any column, is within maxShift of its words whenever titles make room', () => {
  // A seeded walk over random margins: words every 0-80 px, notes 40-400 px whole, 20 px titles.
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let round = 0; round < 200; round++) {
    let at = 0;
    const items = Array.from({ length: 1 + Math.floor(random() * 25) }, () => {
      at += Math.floor(random() * 80);
      const whole = 40 + Math.floor(random() * 360);
      return note(at, whole, Math.min(whole, 60), 20);
    });
    const columns = 1 + Math.floor(random() * 2), placed = place(items, { ...one, columns });
    placed.notes.forEach((n, i) => {
      assert.ok(n.top >= items[i].anchorTop, 'never above its words');
      assert.ok(n.top - items[i].anchorTop <= 300 || placed.notes.slice(0, i).every((m) => m.level === TITLE
        || m.column !== n.column), `note ${i} of round ${round} is ${n.top - items[i].anchorTop} px down`);
    });
    for (let c = 0; c < columns; c++) {
      const inColumn = placed.notes.map((n, i) => ({ ...n, height: items[i].heights[n.level] }))
        .filter((n) => n.column === c);
      inColumn.slice(1).forEach((n, i) => assert.ok(n.top >= inColumn[i].top + inColumn[i].height + 12, 'no overlap'));
    }
  }
});
