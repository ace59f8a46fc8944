/* The notes under the reader's hand: opening one (a sheet on narrow screens, whole in the margin on
   wide ones), hover and focus highlights, n / p between notes, Escape, the notes switch, #note-x
   links and copied permalinks. The notes themselves (pairs, mode, layout) are reader.js's.
   In the interaction bundle; registers ReaderNoteControls, the class interact.js makes one of. */
(() => {
  'use strict';
  const doc = document, root = doc.documentElement;
  const HOVER_DELAY = 150; // ms before a note the pointer left stops being shown

  /** A button of the sheet's bar: data-step -1 (previous), 1 (next) or 0 (close).
      @param {string} step @param {string} text @param {string} [label] */
  function stepButton(step, text, label) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.setAttribute('data-step', step);
    button.textContent = text;
    if (label) button.setAttribute('aria-label', label);
    return button;
  }

  class NoteControls {
    /** @type {{bar: HTMLElement, count: HTMLElement, previous: HTMLButtonElement, next: HTMLButtonElement} | null} */
    sheet = null;

    /** @param {Reader} reader */
    constructor(reader) {
      this.reader = reader;
      this.notes = reader.notes;
    }

    /** The note (with its words) an element belongs to: its words, a piece of them, or its card.
        @param {EventTarget | null} el */
    pairOf(el) {
      const hit = el instanceof Element && el.closest('.anchor, #notes > .note');
      // data-ref: a reader's mark in pieces
      return hit ? this.notes.byId[hit.getAttribute('data-ref') || hit.id] || null : null;
    }

    /* ---- Opening and closing: one note at a time ---- */

    /** @param {NotePair} pair @param {boolean} [scroll] bring it into view @param {boolean} [focus] move focus
        into it (opened from the keyboard: its links are the next Tab away) */
    open(pair, scroll, focus) {
      const notes = this.notes;
      if (notes.open && notes.open !== pair) this.close(false);
      notes.open = pair;
      notes.cursor = pair.index;
      pair.note.classList.add('is-open');
      notes.showWhole(pair, true);
      if (notes.mode === 'sheet') {
        this.showSheet(pair);
        pair.anchor.setAttribute('aria-expanded', 'true');
        return;
      }
      if (scroll) this.scrollIntoView(pair);
      if (focus) pair.note.focus({ preventScroll: true });
    }

    /** @param {boolean} returnFocus */
    close(returnFocus) {
      const notes = this.notes, pair = notes.open;
      if (!pair) return;
      notes.open = null;
      pair.note.classList.remove('is-open', 'is-sheet', 'sheet-top');
      pair.note.style.maxHeight = '';
      if (this.sheet && this.sheet.bar.parentNode === pair.note) pair.note.removeChild(this.sheet.bar);
      if (notes.mode === 'sheet') {
        pair.anchor.setAttribute('aria-expanded', 'false');
        if (!pair.found) pair.note.setAttribute('hidden', 'until-found');
      }
      notes.showWhole(pair, !pair.short || pair.note.classList.contains('is-active'));
      if (returnFocus) focusOnScreen(pair.anchor);
    }

    /** Open a note by its id, as a click on its words would, showing the notes if they were off.
        @param {string} id */
    openById(id) {
      const pair = this.notes.byId[id];
      if (!pair) return;
      if (root.classList.contains('notes-off')) this.setHidden(false, false);
      if (this.notes.mode === 'sheet') bringWordsUp(pair);
      this.open(pair, true);
    }

    /** The sheet: over the part of the screen away from the tapped words, so they stay in sight.
        @param {NotePair} pair */
    showSheet(pair) {
      const note = pair.note;
      note.hidden = false;
      note.classList.add('is-sheet');
      const bar = this.sheetBar(pair);
      note.insertBefore(bar, note.firstChild);
      // Room for the bar and three lines at least: over the toolbar too, when beside it there is less.
      const words = pair.anchor.getBoundingClientRect(), line = parseFloat(getComputedStyle(note).lineHeight) || 24;
      const least = bar.offsetHeight + 3 * line + 16, below = innerHeight - words.bottom - 8;
      let barBottom = toolbarBottom(), above = words.top - barBottom - 8;
      if (above < least && below < least) [barBottom, above] = [0, words.top - 8];
      const onTop = above > below;
      note.classList.toggle('sheet-top', onTop);
      note.style.setProperty('--sheet-top', `${barBottom}px`);
      const room = Math.min(onTop ? above : below, innerHeight * 0.6);
      note.style.maxHeight = `${Math.max(Math.min(least, innerHeight), room)}px`;
      note.scrollTop = 0;
      note.focus({ preventScroll: true });
    }

    /** The sheet's bar (made once): which note of how many, previous, next, close. @param {NotePair} pair */
    sheetBar(pair) {
      if (!this.sheet) {
        const t = this.reader.t, bar = doc.createElement('div'), count = doc.createElement('span');
        bar.className = 'sheet-bar';
        count.className = 'sheet-count';
        const previous = stepButton('-1', '\u2039', t('previous_note'));
        const next = stepButton('1', '\u203a', t('next_note'));
        bar.append(count, previous, next, stepButton('0', '\u00d7', t('close')));
        this.sheet = { bar, count, previous, next };
      }
      const pairs = this.notes.pairs, sheet = this.sheet, number = numberOf(pair);
      sheet.count.textContent = number ? this.reader.t('note_of', { n: number, total: editorsNotes().length })
        : this.reader.t('rn_your_note');
      sheet.previous.disabled = pair.index === 0;
      sheet.next.disabled = pair.index === pairs.length - 1;
      return sheet.bar;
    }

    /** Scroll, as little as may be, so a margin note opened by click, keyboard, link or search is in view
        with its words; when both cannot be, from the words down. @param {NotePair} pair */
    scrollIntoView(pair) {
      const box = pair.note.getBoundingClientRect(), words = pair.anchor.getBoundingClientRect();
      const top = toolbarBottom() + 8, bottom = innerHeight - 8;
      const first = Math.min(box.top, words.top), last = Math.max(box.bottom, words.bottom);
      const by = first < top || last - first > bottom - top ? first - top : Math.max(0, last - bottom);
      if (by) scrollBy({ top: by, behavior: 'instant' });
    }

    /* ---- Highlight: hovered or focused (anchor or note); on wide screens a short note shows whole ---- */

    /** @param {NotePair} pair @param {boolean} on */
    setActive(pair, on) {
      clearTimeout(pair.timer);
      pair.note.classList.toggle('is-active', on);
      pair.anchor.classList.toggle('is-active', on);
      if (pair.short) this.notes.showWhole(pair, on || pair === this.notes.open);
      this.lift(pair, on && this.notes.isWide());
    }

    /** A margin note lit by its words while it runs below the screen's edge is drawn higher, over the
        notes above it, until it is no longer lit; never above the toolbar.
        @param {NotePair} pair @param {boolean} on */
    lift(pair, on) {
      const note = pair.note;
      note.style.translate = '';
      if (!on) return;
      const box = note.getBoundingClientRect();
      const over = box.bottom - (innerHeight - 8), room = box.top - toolbarBottom() - 8;
      if (over > 0 && room > 0) note.style.translate = `0 ${-Math.round(Math.min(over, room))}px`;
    }

    /** @param {NotePair | null} pair @param {boolean} on @param {{relatedTarget?: EventTarget | null}} event */
    hover(pair, on, event) {
      if (!pair || this.notes.mode === 'off') return;
      if (!on && event.relatedTarget && this.pairOf(event.relatedTarget) === pair) return; // still inside it
      clearTimeout(pair.timer);
      if (on) this.setActive(pair, true);
      else pair.timer = setTimeout(() => this.setActive(pair, false), HOVER_DELAY);
    }

    /** @param {{target: EventTarget | null}} event */
    onFocusIn(event) {
      const pair = this.pairOf(event.target);
      if (!pair || this.notes.mode === 'off') return;
      this.setActive(pair, true);
      this.notes.cursor = pair.index;
      if (pair.short && this.notes.isWide()) requestAnimationFrame(() => this.scrollIntoView(pair));
    }

    /* ---- Clicks: a note's words, a margin note, the sheet's buttons, the switch, permalinks, elsewhere ---- */

    /** Do what a click (event) or a click queued before this layer came (no event) on target asks; keys: it
        was Enter, not a click (a click from a key has detail 0). @param {Element} target
        @param {MouseEvent | null} event @param {boolean} [keys] */
    act(target, event, keys = event?.detail === 0) {
      const notes = this.notes, step = target.closest('.sheet-bar [data-step]');
      if (step) return this.step(Number(step.getAttribute('data-step')));
      if (target.closest('#notes-toggle')) return this.setHidden(!root.classList.contains('notes-off'), true);
      if (target.closest('#your-notes')) return this.reader.readerNotes().then((mine) => mine.toggle());
      const link = target.closest('.permalink, #notes .note-title a');
      if (link) return this.copyLink(link, event);
      const pair = this.pairOf(target);
      if (pair && target.closest('.anchor')) {
        if (notes.mode === 'off' || (event && selecting())) return;
        event?.preventDefault(); // open it here: following the link would scroll the words away
        if (notes.open === pair) this.close(false);
        else this.open(pair, true, keys);
        if (!notes.open) this.setActive(pair, false); // closed on purpose, also on touch where no pointer leaves
        return;
      }
      if (pair && notes.isWide() && notes.open !== pair && !target.closest('a')) return this.open(pair, true);
      if (notes.open && !notes.open.note.contains(target)) this.close(false); // a click or tap elsewhere
    }

    /** The sheet's previous (-1), next (1) and close (0) buttons. @param {number} delta */
    step(delta) {
      const notes = this.notes;
      if (!delta) return this.close(true);
      const next = notes.pairs[(notes.open ? notes.open.index : notes.cursor) + delta];
      if (!next) return;
      if (notes.mode === 'sheet') bringWordsUp(next);
      this.open(next, true);
    }

    /* ---- Keys: n / p move between notes; Enter and Space press a reader's marked words ---- */

    /** @param {KeyboardEvent} event */
    onKey(event) {
      if (event.ctrlKey || event.metaKey || event.altKey || this.reader.isTyping(doc.activeElement)) return;
      const control = event.target instanceof Element && event.target.closest('.anchor');
      if ((event.key === 'Enter' || event.key === ' ') && control instanceof HTMLElement && control.tagName !== 'A') {
        event.preventDefault(); // a reader's marked words are a button, not a link: Enter and Space press it
        control.click();
      } else if (event.key === 'n' || event.key === 'p') {
        event.preventDefault();
        this.move(event.key === 'n' ? 1 : -1);
      }
    }

    /** n / p: the next or previous note and its words. @param {number} delta */
    move(delta) {
      const notes = this.notes;
      if (!notes.pairs.length || notes.mode === 'off') return;
      let index = notes.open ? notes.open.index : notes.cursor;
      if (index < 0) index = this.firstInView(delta) - delta;
      const pair = notes.pairs[Math.max(0, Math.min(notes.pairs.length - 1, index + delta))];
      notes.cursor = pair.index;
      if (notes.mode === 'sheet') {
        bringWordsUp(pair);
        this.open(pair);
        return;
      }
      pair.anchor.focus({ preventScroll: true });
      pair.anchor.scrollIntoView({ block: 'center', behavior: 'instant' });
      this.open(pair, true);
    }

    /** The first note whose words are below the toolbar (n), or the last one above it (p). @param {number} delta */
    firstInView(delta) {
      const line = toolbarBottom(), pairs = this.notes.pairs;
      const below = pairs.filter((p) => p.anchor.getBoundingClientRect().top >= line);
      if (delta > 0) return below.length ? below[0].index : pairs.length - 1;
      return below.length ? below[0].index - 1 : pairs.length - 1;
    }

    /** Escape: close the open note, or end the highlight of the focused one. */
    escape() {
      const notes = this.notes, focused = doc.activeElement, pair = notes.open || this.pairOf(focused);
      if (!pair) return false;
      const inside = pair.note.contains(focused);
      if (notes.open) this.close(inside || notes.mode === 'sheet');
      this.setActive(pair, false);
      if (inside) focusOnScreen(pair.anchor);
      return true;
    }

    /* ---- The switch: hide or show every note, remembered; a deep link shows them for the visit ---- */

    /** @param {boolean} hidden @param {boolean} remember */
    setHidden(hidden, remember) {
      root.classList.toggle('notes-off', hidden);
      if (remember) {
        try {
          localStorage.setItem(this.reader.storeKey, hidden ? '1' : '0');
        } catch {
          // private mode: not remembered
        }
      }
      doc.getElementById('notes-toggle')?.setAttribute('aria-pressed', String(hidden));
      this.reader.applyMode();
    }

    /** #note-x opens that note and marks it with its words. */
    followHash() {
      const hash = decodeURIComponent(location.hash.slice(1));
      const pair = /^note-/.test(hash) ? this.notes.byId[hash] : null;
      if (!pair) return;
      if (root.classList.contains('notes-off')) this.setHidden(false, false);
      if (this.notes.mode === 'sheet') {
        bringWordsUp(pair);
        this.open(pair);
      } else {
        this.open(pair, true);
        this.setActive(pair, true);
      }
    }

    /* ---- Copying: paragraph and note permalinks ---- */

    /** @param {Element} link @param {MouseEvent | null} event */
    copyLink(link, event) {
      const { t, copyText, toast, pageAddress } = this.reader, pair = this.pairOf(link);
      const href = link.getAttribute('href') || '';
      if (pair && event) event.preventDefault(); // a note's own link: copied, and the page stays put
      const what = pair ? t('what_note', { n: numberOf(pair) || pair.index + 1 })
        : /^#p-/.test(href) ? t('what_paragraph', { n: href.slice(3) }) : t('what_section');
      copyText(pageAddress() + href).then((done) => toast(done ? t('link_copied', { what }) : t('copy_failed')));
    }

    /** Listen for what only matters when the page has notes. */
    listen() {
      /** @param {boolean} on */
      const hover = (on) => (/** @type {MouseEvent | FocusEvent} */ event) =>
        this.hover(this.pairOf(event.target), on, event);
      doc.addEventListener('mouseover', hover(true));
      doc.addEventListener('mouseout', hover(false));
      doc.addEventListener('focusin', (event) => this.onFocusIn(event));
      doc.addEventListener('focusout', hover(false));
      addEventListener('hashchange', () => this.followHash());
      this.reader.onEscape(() => this.escape());
    }
  }

  /** The number the editor's note carries (the reader's own notes carry none: 0). @param {NotePair} pair */
  const numberOf = (pair) => Number(pair.note.querySelector('.note-num')?.textContent) || 0;

  /** The editor's notes on the page (the reader's own are not counted among them). */
  const editorsNotes = () => doc.querySelectorAll('#notes > .note:not(.reader-note)');

  /** Focus an element, bringing it onto the screen only if it is off it. @param {HTMLElement} el */
  function focusOnScreen(el) {
    el.focus({ preventScroll: true });
    const box = el.getBoundingClientRect();
    if (box.top < toolbarBottom() || box.bottom > innerHeight) {
      el.scrollIntoView({ block: 'center', behavior: 'instant' });
    }
  }

  function toolbarBottom() {
    const bar = doc.getElementById('toolbar');
    return bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
  }

  /** Put a note's words near the top of the screen (before a sheet opens below them). @param {NotePair} pair */
  function bringWordsUp(pair) {
    scrollBy({ top: pair.anchor.getBoundingClientRect().top - innerHeight * 0.3, behavior: 'instant' });
  }

  /** Whether the reader has just selected words (a click that ends a drag is not a tap on a note). */
  function selecting() {
    const selection = getSelection();
    return !!selection && !selection.isCollapsed && String(selection).trim() !== '';
  }

  globalThis.ReaderNoteControls = NoteControls;
})();
