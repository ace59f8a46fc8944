/* The interaction layer, loaded on the first pointer or key (reader.js calls start): it gives the
   Reader core its services (services.js), puts the notes under the reader's hand (notecontrols.js),
   does what the reader did while it loaded, and loads the other bundles when they are first wanted:
   search on the search box, the quote tools on the first selection, the reader's own notes, and on a
   shelf the reader's place in the article.
   Last part of the interaction bundle; registers ReaderInteract. */
(() => {
  'use strict';
  const doc = document;

  /** @param {ReaderCore} core */
  function start(core) {
    const { escape, ...services } = globalThis.ReaderServices;
    /** @type {Reader} */
    const reader = Object.assign(core, services, {
      readerNotes: () => readerNotes(reader),
      openNote: (/** @type {string} */ id) => controls.openById(id),
      returnFocus() {
        const el = core.search.returnFocus;
        core.search.returnFocus = null;
        return el;
      },
    });
    const controls = new globalThis.ReaderNoteControls(reader), notes = core.notes;
    notes.onModeChange = () => controls.close(false);
    doc.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // a new tab: let it be
      if (event.target instanceof Element) controls.act(event.target, event);
    });
    doc.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') controls.onKey(event);
      else if (escape(event)) event.preventDefault();
    });
    if (notes.pairs.length) controls.listen();
    reader.onEscape(escapeKeysHelp);
    const input = core.search.input;
    if (input) {
      input.addEventListener('focus', () => bootSearch(reader));
      if (doc.activeElement === input || new URL(location.href).searchParams.get('q')) bootSearch(reader);
    }
    doc.addEventListener('selectionchange', () => onSelection(reader));
    if (/^#selector\(/.test(location.hash)) startQuotes(reader);
    else onSelection(reader);
    replay(reader, controls);
    // A quote link or a shared note opened in this tab later (pasted into the address bar) is followed too.
    addEventListener('hashchange', () => {
      if (/^#rn=/.test(location.hash)) readerNotes(reader).catch(() => {});
      else if (/^#selector\(/.test(location.hash) && !reader.quoting) startQuotes(reader);
    });
    let kept = null;
    try {
      kept = localStorage.getItem('reader:my-notes');
    } catch {
      // storage off: none kept
    }
    if (doc.getElementById('story-main') && (kept || /^#rn=/.test(location.hash))) readerNotes(reader).catch(() => {});
    // An article on a shelf: the reader's place in it is kept from now on (reading.js).
    if (doc.querySelector('.shelf-nav')) {
      reader.loadBundle('reading').then(() => globalThis.ReaderReading.start(), () => {});
    }
  }

  /** What the reader did before this layer arrived: a note hovered or focused, then clicks and keys, then a
      #note- link. @param {Reader} reader @param {NoteControls} controls */
  function replay(reader, controls) {
    const hovered = doc.querySelector('.anchor:hover, #notes > .note:hover');
    if (hovered) controls.hover(controls.pairOf(hovered), true, {});
    if (controls.pairOf(doc.activeElement)) controls.onFocusIn({ target: doc.activeElement });
    for (const item of reader.queued.splice(0)) {
      if (item.key) controls.move(item.key === 'n' ? 1 : -1);
      else {
        item.target.classList.remove('is-waiting');
        controls.act(item.target, null, item.keys);
      }
    }
    controls.followHash();
  }

  /** Escape closes the keys' help when it is open. */
  function escapeKeysHelp() {
    const help = doc.getElementById('keys');
    if (!(help instanceof HTMLDetailsElement) || !help.open) return false;
    help.open = false;
    help.querySelector('summary')?.focus();
    return true;
  }

  /* ---- Search: the bundle loads when the box is focused (or for ?q=) ---- */

  /** @param {Reader} reader */
  function bootSearch(reader) {
    const input = reader.search.input, status = doc.getElementById('search-status');
    if (!input || !status || reader.search.booted || input.form?.hasAttribute('action')) return; // a plain form
    reader.search.booted = true;
    const placeholder = input.placeholder;
    input.placeholder = status.textContent = reader.t('loading_search');
    reader.loadBundle('search').then(() => globalThis.ReaderSearch.start(reader)).then(() => {
      input.placeholder = placeholder;
      if (status.textContent === reader.t('loading_search')) status.textContent = '';
    }, () => {
      input.placeholder = placeholder;
      status.textContent = reader.t('search_failed');
    });
  }

  /* ---- Quote tools: on the first selection in the text, or for a quote link ---- */

  /** @param {Reader} reader */
  function onSelection(reader) {
    if (reader.quoting) return;
    const selection = getSelection(), body = doc.getElementById('article-body');
    if (!selection || selection.isCollapsed || !body || !body.contains(selection.anchorNode)) return;
    startQuotes(reader);
  }

  /** @param {Reader} reader */
  function startQuotes(reader) {
    reader.quoting = true;
    reader.loadBundle('quote').then(() => globalThis.ReaderQuote.start(reader), () => {});
  }

  /** The reader's own notes (readernotes.js, after the quote tools it builds on); resolves to ReaderNotes, started.
      @param {Reader} reader */
  function readerNotes(reader) {
    return Promise.all([reader.loadBundle('quote'), reader.loadBundle('notes')])
      .then(() => globalThis.ReaderNotes.start(reader));
  }

  globalThis.ReaderInteract = { start };
})();
