/* A reader's own highlights and notes, beside the editor's (issue 14). Kept in this browser's
   localStorage as W3C Web Annotations (annotations.js), keyed by the article's identity (its original
   address), never sent anywhere. Each shows like an editor's note: its words marked in the text
   (mark.anchor.reader-anchor, the first piece ref-rn-…, every piece data-ref; notemarks.js), its card in
   #notes (section.note.reader-note#note-rn-…; notecard.js), placed by reader.js (rescanNotes) and opened
   by interact.js. Also: the "Your notes" panel (notespanel.js) and one note shared by a link (#rn=…;
   notelink.js). Last part of the notes bundle, loaded with the quote tools, or at once when notes are
   kept; interact.js calls start(). Registers ReaderNotes. */
(() => {
  'use strict';
  const doc = document;
  const CONTEXT = 32; // chars of prefix and suffix kept with a note's words
  const MARKER = 'reader:my-notes'; // some article here has notes (reader.js asks)
  const HIDDEN = `${MARKER}-hidden`;

  /** @param {ReaderNote} a @param {ReaderNote} b */
  const byText = (a, b) => (a.spot ? a.spot.start : Infinity) - (b.spot ? b.spot.start : Infinity)
    || (a.created < b.created ? -1 : 1);
  const now = () => new Date().toISOString();

  /** The reader's notes on this article: kept, marked, shown, edited, shared. @implements {NotesKeeper} */
  class OwnNotes {
    /** @type {ReaderNote[]} in text order (detached ones last) */
    list = [];
    /** @type {ReaderNote | null} the note in the address, shown until kept or dismissed */
    shared = null;
    hidden = false; // the reader hid their notes
    /** @type {'' | 'off' | 'full'} why the browser would not keep the list */
    storage = '';
    key = '';
    source = ''; // the article's original address: what notes are on
    base = ''; // this page's address
    title = '';
    text = ''; // the article's text when last marked
    /** @type {TextBlock[]} */
    blocks = [];
    body = /** @type {HTMLElement} */ (doc.getElementById('article-body'));
    observer = new MutationObserver((records) => this.mirror(records));

    /** @param {Reader} reader */
    constructor(reader) {
      this.reader = reader;
      this.panel = new globalThis.ReaderNotesPanel(this);
    }

    /** @param {string} key @param {UiValues} [values] */
    t(key, values) {
      return this.reader.t(key, values);
    }

    /* ---- Storage: one key per article; every failure said, nothing dropped ---- */

    /** @param {string} key */
    read(key) {
      try {
        return localStorage.getItem(key);
      } catch {
        this.storage = 'off';
        return null;
      }
    }

    load() {
      const raw = this.read(this.key);
      const parsed = raw ? globalThis.ReaderAnnotations.parse(raw, true, this) : { items: [] };
      if (parsed.error) {
        try {
          localStorage.setItem(`${this.key}:unreadable`, raw || '');
        } catch {
          // said below; the raw copy stays in place
        }
        this.notice(this.t('rn_unreadable'));
      }
      this.list = parsed.items || [];
    }

    /** Keep the list; say so once when the browser would not (private mode, storage off or full). */
    save() {
      const { toAnnotation, collection } = globalThis.ReaderAnnotations;
      const items = this.list.map((n) => toAnnotation(n, this.source));
      try {
        if (items.length) {
          localStorage.setItem(this.key, JSON.stringify(collection(items, this.t('rn_label', { title: this.title }))));
          localStorage.setItem(MARKER, '1');
        } else {
          localStorage.removeItem(this.key);
          const others = (/** @type {string} */ k) => k.indexOf(`${MARKER}:`) === 0 && !/:unreadable$/.test(k);
          if (!Object.keys(localStorage).some(others)) localStorage.removeItem(MARKER);
        }
        this.storage = '';
        return true;
      } catch (error) {
        const e = /** @type {DOMException | null} */ (error);
        const full = e && (e.name === 'QuotaExceededError' || e.code === 22);
        this.storage = full ? 'full' : 'off';
        this.notice(this.t(full ? 'rn_full' : 'rn_no_storage'));
        return false;
      }
    }

    /** A one-line message at the top of the page (and said by screen readers), and in the panel.
        @param {string} text */
    notice(text) {
      this.reader.notice('rn-notice', text, 'notice rn-notice');
      this.reader.toast(text);
    }

    /** @param {boolean} hidden */
    setHidden(hidden) {
      this.hidden = hidden;
      try {
        if (hidden) localStorage.setItem(HIDDEN, '1');
        else localStorage.removeItem(HIDDEN);
      } catch {
        // remembered for this visit only
      }
      this.render();
    }

    /* ---- In the page: the words marked, the card in #notes (notemarks.js) ---- */

    /** A mark in pieces (across a link or an editor's words) lights up as one. @param {MutationRecord[]} records */
    mirror(records) {
      for (const r of records) {
        const first = /** @type {Element} */ (r.target), n = this.all().filter((o) => o.marks[0] === first)[0];
        if (n) for (const m of n.marks) m.classList.toggle('is-active', first.classList.contains('is-active'));
      }
    }

    /** The kept notes and the shared one. */
    all() {
      return this.shared ? [...this.list, this.shared] : this.list.slice();
    }

    /** Place every kept note (unless hidden), then let reader.js pair and lay them out again. */
    render() {
      const { locate, blocksOf, unmark } = globalThis.ReaderNoteMarks, all = this.all();
      const had = all.some((n) => n.card), seen = Object.create(null), parents = /** @type {Node[]} */ ([]);
      for (const n of all) unmark(n, parents);
      for (const parent of parents) if (parent.isConnected) parent.normalize();
      this.text = this.body.textContent || '';
      this.blocks = blocksOf(this.body);
      for (const n of this.list) {
        while (seen[n.dom]) n.dom += 'x';
        seen[n.dom] = true;
        if (this.hidden) n.spot = locate(n, this.text);
        else globalThis.ReaderNoteMarks.place(n, false, this);
      }
      if (this.shared) globalThis.ReaderNoteMarks.place(this.shared, true, this);
      this.sort();
      if (had || all.some((n) => n.card)) this.reader.rescanNotes();
      this.panel.fill();
    }

    /** Put the list in text order (detached notes last). */
    sort() {
      this.list.sort(byText);
    }

    rescan() {
      this.reader.rescanNotes();
      this.panel.fill();
    }

    /** The note whose card holds el. @param {Element} el */
    findNote(el) {
      const section = el.closest('.reader-note');
      return section ? this.all().filter((n) => n.card === section)[0] : undefined;
    }

    /* ---- Making, opening, editing and deleting ---- */

    /** From the quote tools: a highlight on the selected words, or a note (then its text is asked for).
        @param {TextQuoteSelector} selector @param {Span | null} spot @param {boolean} withNote */
    add(selector, spot, withNote) {
      const { LIMITS, record, newId } = globalThis.ReaderAnnotations;
      getSelection()?.removeAllRanges();
      if (!spot || selector.exact.length > LIMITS.quote) return this.reader.toast(this.t('rn_quote_long'));
      const same = this.list.filter((o) => o.spot && o.spot.start === spot.start && o.spot.end === spot.end)[0];
      if (same) return withNote ? this.edit(same) : this.open(same, true);
      const time = now();
      const n = record(newId(), selector.exact, selector.prefix, selector.suffix, spot.start, '', time, time);
      while (this.list.some((o) => o.dom === n.dom)) n.dom += 'x';
      n.fresh = withNote;
      this.list.push(n);
      if (this.hidden) this.setHidden(false);
      else if (this.text !== this.body.textContent) this.render();
      else globalThis.ReaderNoteMarks.place(n, false, this);
      this.sort();
      this.rescan();
      const saved = this.save(); // a note is kept as a highlight until its text is saved: nothing typed is needed
      // Opened once the click that made it is over (a click outside an open note closes it).
      if (withNote) return setTimeout(() => this.edit(n));
      if (doc.documentElement.classList.contains('notes-off')) setTimeout(() => this.open(n, false)); // for the visit
      if (saved) this.reader.toast(this.t('rn_highlighted'));
    }

    /** Open a note's card (margin or phone sheet, as the editor's) and, for the keyboard, put focus in it.
        @param {ReaderNote} n @param {boolean} focus */
    open(n, focus) {
      if (!n.card) return;
      if (this.reader.notes.mode === 'sheet' && n.marks[0]) {
        scrollBy(0, n.marks[0].getBoundingClientRect().top - innerHeight * 0.3);
      }
      this.reader.openNote(n.card.id);
      if (focus) n.card.focus({ preventScroll: true });
    }

    /** @param {ReaderNote} n @param {CardState} state */
    fill(n, state) {
      if (n.card) globalThis.ReaderNoteCard.fill(n, n.card, state, this.reader.t);
    }

    /** @param {ReaderNote} n */
    edit(n) {
      this.fill(n, 'edit');
      this.rescan();
      this.open(n, false);
      const area = n.card?.querySelector('textarea');
      if (!area) return;
      if (this.reader.notes.mode === 'sheet') this.editAtTop(n);
      area.focus({ preventScroll: true });
      area.setSelectionRange(area.value.length, area.value.length);
    }

    /** On a phone the keyboard will take the screen's lower part: the editor goes to the top, and the
        words under it, in sight while the note is written. @param {ReaderNote} n */
    editAtTop(n) {
      const card = n.card, words = n.marks[0];
      if (!card || !words) return;
      card.classList.add('sheet-top');
      card.style.setProperty('--sheet-top', '0px');
      card.style.maxHeight = `${Math.round(innerHeight * 0.4)}px`;
      const by = words.getBoundingClientRect().top - card.getBoundingClientRect().bottom - 16;
      scrollBy({ top: by, behavior: 'instant' });
    }

    /** @param {ReaderNote} n @param {boolean} keep */
    finishEdit(n, keep) {
      const area = n.card?.querySelector('textarea'), text = area ? area.value.trim() : n.text;
      if (keep && globalThis.ReaderAnnotations.UNSAFE.test(text)) {
        const hint = n.card?.querySelector('.rn-hint');
        if (hint) hint.textContent = this.t('rn_unsafe_text');
        return area?.focus();
      }
      if (!keep && n.fresh) return this.remove(n, true);
      n.fresh = false;
      if (keep && text !== n.text) {
        n.text = text;
        n.modified = now();
        if (n.spot) { // the words' place and context now, if the article changed since
          n.start = n.spot.start;
          n.end = n.spot.end;
          n.prefix = this.text.slice(Math.max(0, n.start - CONTEXT), n.start);
          n.suffix = this.text.slice(n.end, n.end + CONTEXT);
        }
        globalThis.ReaderNoteMarks.unmark(n);
        globalThis.ReaderNoteMarks.place(n, false, this);
        this.rescan();
        this.save();
      } else {
        this.fill(n, '');
        this.rescan();
      }
      this.open(n, true);
    }

    /** @param {ReaderNote} n @param {boolean} quiet */
    remove(n, quiet) {
      const para = /** @type {HTMLElement | null | undefined} */ (n.marks[0]?.closest('.para'));
      globalThis.ReaderNoteMarks.unmark(n);
      this.list.splice(this.list.indexOf(n), 1);
      this.rescan();
      if (this.save() && !quiet) this.reader.toast(this.t('rn_deleted'));
      if (para) {
        para.tabIndex = -1;
        para.focus({ preventScroll: true });
      }
    }

    /* ---- Events: one delegated click (the panel's first), keys, Escape, other tabs, the address ---- */

    /** @param {MouseEvent} event */
    onClick(event) {
      const target = /** @type {Element} */ (event.target), el = target.closest('[data-rn]');
      if (this.panel.onClick(event) || !el) return;
      const action = el.getAttribute('data-rn'), note = this.findNote(el);
      if (!note) return;
      if (action === 'edit') return this.edit(note);
      if (action === 'save' || action === 'cancel') return this.finishEdit(note, action === 'save');
      if (action === 'delete' && !note.text) return this.remove(note, false);
      if (action === 'delete' || action === 'cancel-delete') {
        this.fill(note, action === 'delete' ? 'confirm' : '');
        const next = note.card?.querySelector(`[data-rn="${action === 'delete' ? 'really' : 'delete'}"]`);
        return /** @type {HTMLElement | undefined} */ (next)?.focus();
      }
      if (action === 'really') return this.remove(note, false);
      if (action === 'keep') return globalThis.ReaderNoteLink.keep(this);
      if (action === 'dismiss') return globalThis.ReaderNoteLink.dismiss(this);
      if (action !== 'link') return;
      globalThis.ReaderNoteLink.linkTo(note, this.reader.pageAddress()).then(this.reader.copyText)
        .then((done) => this.reader.toast(this.t(done ? 'rn_link_copied' : 'copy_failed')));
    }

    /** @param {KeyboardEvent} event */
    onKey(event) {
      const target = /** @type {Element} */ (event.target), notes = this.reader.notes;
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && target.classList?.contains('rn-input')) {
        event.preventDefault();
        const n = this.findNote(target);
        return n && this.finishEdit(n, true);
      }
      // Enter on a reader's words opened its card (interact.js): in the margin, focus goes into it, to its buttons.
      if ((event.key === 'Enter' || event.key === ' ') && target.closest?.('.reader-anchor')) {
        const pair = notes.open;
        if (pair && pair.note.classList.contains('reader-note') && notes.mode !== 'sheet') {
          pair.note.focus({ preventScroll: true });
        }
      }
    }

    onEscape() {
      const editing = doc.activeElement?.closest?.('.rn-editing'), n = editing && this.findNote(editing);
      if (n) {
        this.finishEdit(n, false);
        return true;
      }
      return this.panel.escape();
    }

    start() {
      const reader = this.reader;
      if (!this.body) return;
      /** @type {{url?: string, isBasedOn?: string, headline?: string}} */
      let data = {};
      try {
        data = JSON.parse(doc.getElementById('article-data')?.textContent || '') || {};
      } catch {
        // no identity: the title below
      }
      this.base = data.url || reader.pageAddress();
      this.source = data.isBasedOn || this.base;
      this.title = data.headline || doc.title;
      this.key = `${MARKER}:${data.isBasedOn || data.url || this.title}`;
      this.hidden = this.read(HIDDEN) === '1';
      this.load();
      if (!reader.notes.pairs.length) addEventListener('resize', () => reader.applyMode());
      this.render();
      const dropped = this.list.filter((n) => !n.spot).length;
      if (dropped) this.notice(this.t('rn_detached_notice', { n: dropped }));
      doc.addEventListener('click', (event) => this.onClick(event));
      doc.addEventListener('pointerdown', (event) => this.panel.onOutside(event));
      doc.addEventListener('keydown', (event) => this.onKey(event));
      reader.onEscape(() => this.onEscape());
      addEventListener('storage', (event) => {
        if (event.key !== this.key && event.key !== null) return this.panel.fill(); // another article's, on a shelf
        this.load();
        this.render();
      });
      addEventListener('hashchange', () => globalThis.ReaderNoteLink.open(this));
      globalThis.ReaderNoteLink.open(this);
      // A link to one of them (from "Your notes" on another page of the shelf): the card was not there at load.
      if (/^#note-rn-/.test(location.hash)) reader.openNote(location.hash.slice(1));
    }
  }

  /** @type {OwnNotes | null} */
  let notes = null;
  const started = () => /** @type {OwnNotes} */ (notes);

  /** @type {ReaderNotesApi} */
  const api = {
    start(reader) {
      if (!notes) {
        notes = new OwnNotes(reader);
        notes.start();
      }
      return api;
    },
    add: (selector, spot, withNote) => started().add(selector, spot, withNote),
    toggle: (force) => started().panel.toggle(force),
    list: () => started().list,
    render: () => started().render(),
  };
  globalThis.ReaderNotes = api;
})();
