/* A reader's note in the page: its words found again (by their place and context, else by their
   quote) and marked block by block, its card put in #notes in text order; and both taken away again.
   In the notes bundle, after the quote tools' marks.js and quote.js; registers ReaderNoteMarks. */
(() => {
  'use strict';
  const doc = document;

  /** Where n's words are in text: where they were kept, if the words and their context are still there;
      else the only place (or the one with its context) they occur; else null (detached).
      @param {ReaderNote} n @param {string} text @returns {Span | null} */
  function locate(n, text) {
    const s = n.start;
    if (s >= 0 && text.slice(s, n.end) === n.exact && text.slice(Math.max(0, s - n.prefix.length), s) === n.prefix
        && text.slice(n.end, n.end + n.suffix.length) === n.suffix) return { start: s, end: n.end };
    return globalThis.ReaderQuote.locate(text, n, true);
  }

  /** The text offsets of each block (paragraph, heading, item, caption) of body: marks never span the gaps
      between them. @param {HTMLElement} body @returns {TextBlock[]} */
  function blocksOf(body) {
    const list = [], walker = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let at = 0, last = null;
    while (walker.nextNode()) {
      const node = /** @type {Text} */ (walker.currentNode), len = node.data.length;
      const para = /** @type {Element} */ (node.parentNode).closest('.para');
      if (para && last && last.el === para) last.end = at + len;
      else if (para) list.push(last = { el: para, start: at, end: at + len });
      at += len;
    }
    return list;
  }

  /** Mark [start, end) of text (the article's), block by block (each within its block: no walk of the whole
      text); return the marks. @param {Span} spot @param {TextBlock[]} blocks @param {string} text
      @param {string} className */
  function markSpot(spot, blocks, text, className) {
    return blocks.flatMap((b) => {
      const start = Math.max(spot.start, b.start), end = Math.min(spot.end, b.end);
      if (end <= start || !text.slice(start, end).trim()) return [];
      return globalThis.ReaderMarks.markRanges(b.el, [{ start: start - b.start, end: end - b.start }], className);
    });
  }

  /** Mark a note's words and make its card; false when its words are not in the article.
      @param {ReaderNote} n @param {boolean} shared the note in the address @param {NotesKeeper} notes */
  function place(n, shared, notes) {
    const spot = locate(n, notes.text);
    n.spot = spot;
    if (!spot) return false;
    const className = `anchor reader-anchor${n.text || shared ? ' rn-noted' : ''}`;
    const marks = markSpot(spot, notes.blocks, notes.text, className);
    if (!marks.length) {
      n.spot = null;
      return false;
    }
    for (const mark of marks) {
      mark.setAttribute('data-ref', `ref-${n.dom}`);
      mark.setAttribute('data-role', 'button');
    }
    marks[0].id = `ref-${n.dom}`;
    marks[marks.length - 1].classList.add('rn-end');
    if (marks.length > 1) notes.observer.observe(marks[0], { attributes: true, attributeFilter: ['class'] });
    n.marks = marks;
    const card = n.card = globalThis.ReaderNoteCard.card(n, shared, notes.reader.t);
    /** @type {ReaderNote | null} the next note in the text: cards stand in text order (keys, print) */
    let after = null;
    for (const o of notes.list) {
      if (!o.card || o === n || !o.spot || o.spot.start <= spot.start) continue;
      if (!after?.spot || o.spot.start < after.spot.start) after = o;
    }
    notesSection(notes.reader.t).insertBefore(card, after ? after.card : null);
    return true;
  }

  /** #notes, made when the article has no editor's notes. @param {ReaderServices['t']} t */
  function notesSection(t) {
    let section = doc.getElementById('notes');
    if (!section) {
      section = globalThis.ReaderNoteCard.make('section', 'story-part'); // as the editor's notes: reader mode keeps it
      section.id = 'notes';
      section.setAttribute('aria-label', t('rn_panel'));
      doc.getElementById('story-main')?.appendChild(section);
    }
    return section;
  }

  /** Take a note's marks and card away; the text nodes they split are joined again (each parent once, when
      given a list to gather them in). @param {ReaderNote} n @param {Node[]} [parents] */
  function unmark(n, parents) {
    const own = !parents, touched = parents || [];
    for (const mark of n.marks) {
      const parent = mark.parentNode;
      if (!parent) continue;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      if (touched.indexOf(parent) < 0) touched.push(parent);
    }
    if (own) for (const parent of touched) parent.normalize();
    n.card?.remove();
    n.marks = [];
    n.card = null;
  }

  globalThis.ReaderNoteMarks = { locate, blocksOf, place, unmark };
})();
