/* The reader's first-view script: places the margin notes beside their words on wide screens,
   hides closed notes until found on narrow ones, and loads the rest on first use: the
   interaction layer (interact.js: opening notes, keys, copying) on the first pointer or key, the
   search bundle on the search box, the quote tools on the first selection. Loaded in <head>
   without defer so the "js" class is set before the first paint. The layout (sheet, margin,
   margins) is chosen by the stylesheet and read here from --notes-layout: breakpoints live in CSS.
   Shipped after layout.js (ReaderLayout) in one file; registers Reader (ReaderCore in page-globals.d.ts). */
(() => {
  'use strict';
  const doc = document, root = doc.documentElement;
  const script = /** @type {HTMLScriptElement | null} */ (doc.currentScript);
  const STORE_KEY = 'reader:notes-hidden';
  const GAP = 12;          // px between stacked margin notes
  const MAX_SHIFT = 300;   // px a note may be pushed below its words before the ones above are shortened
  const LEAD = 1, WHOLE = 2; // levels of a margin note: its title (0), with its first sentence, whole

  root.classList.add('js');
  if (readStored(STORE_KEY) === '1') root.classList.add('notes-off');

  /** @param {string} key */
  function readStored(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  /** Whether keys typed now go into a text field (so they are no shortcuts). @param {Element | null} el */
  const isTyping = (el) => el instanceof HTMLElement
    && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  /** The element matching selector that an event happened in, if any. @param {Event} event @param {string} selector */
  const closest = (event, selector) => {
    const target = /** @type {Element} */ (event.target);
    return target.closest ? target.closest(selector) : null;
  };

  /** Whether an event came with a modifier key (a new tab, a new window: the browser's job). */
  const modified = (/** @type {MouseEvent | KeyboardEvent} */ event) =>
    event.ctrlKey || event.metaKey || event.shiftKey || event.altKey;

  /* ---- Lazy bundles: the interaction layer (the script tag's data-interact list), which names the others
     (ReaderBundles) ---- */

  /** @type {Record<string, Promise<unknown>>} by URL */
  const loaded = {};
  const base = script && script.src ? script.src.replace(/assets\/[^/]*$/, '') : '';

  /** @param {string} url */
  function loadFile(url) {
    loaded[url] ||= new Promise((resolve, reject) => {
      const css = /\.css$/.test(url), tag = doc.createElement(css ? 'link' : 'script');
      if (css) Object.assign(tag, { rel: 'stylesheet', href: base + url });
      else Object.assign(tag, { src: base + url, async: false }); // in order: lunr before the code that uses it
      tag.onload = resolve;
      tag.onerror = () => reject(new Error(`could not load ${url}`));
      doc.head.appendChild(tag);
    });
    return loaded[url];
  }

  /** Load a bundle (after the interaction layer, which every bundle builds on and which is started first).
      @param {BundleName} name */
  function loadBundle(name) {
    const interact = Promise.all((script?.getAttribute('data-interact') || '').split(' ').map(loadFile)).then(() => {
      if (!core.interactive) {
        core.interactive = true;
        globalThis.ReaderInteract.start(core);
      }
    });
    // The search bundle ends with the page's own index, which its search form names.
    const own = name === 'search' ? [doc.getElementById('search')?.dataset.index || ''] : [];
    return name === 'interact' ? interact
      : interact.then(() => Promise.all([...globalThis.ReaderBundles[name], ...own].filter(Boolean).map(loadFile)))
        .then(() => {});
  }

  /* ---- Notes: positions on wide screens, hidden-until-found on narrow ones ---- */

  /** Hide part of a note (findable: the browser's find and text fragments still reach it) or show it.
      @param {HTMLElement | null} part @param {boolean} hidden */
  function hideUntilFound(part, hidden) {
    if (!part || part.hasAttribute('hidden') === hidden) return;
    if (hidden) part.setAttribute('hidden', 'until-found');
    else part.hidden = false;
  }

  /** The notes beside their words: pairs each with its anchor, follows the layout, places them.
      @implements {MarginNotes} */
  class Notes {
    /** @type {NotePair[]} in text order */
    pairs = [];
    /** @type {Record<string, NotePair>} by the note's id and by its anchor's id */
    byId = Object.create(null);
    /** @type {NotesMode} */
    mode = '';
    /** @type {NotePair | null} the note opened (a sheet, or kept open in the margin) */
    open = null;
    cursor = -1; // the note n/p last moved to
    /** @type {HTMLElement | null} */
    main = null;
    scheduled = false;
    /** @type {(() => void) | null} set by the interaction layer */
    onModeChange = null;

    /** @param {HTMLElement} main */
    start(main) {
      this.main = main;
      this.collectPairs();
      if (!this.pairs.length) return;
      doc.getElementById('notes-toggle')?.setAttribute('aria-pressed', String(root.classList.contains('notes-off')));
      this.applyMode();
      const schedule = () => this.scheduleLayout();
      doc.addEventListener('beforematch', (event) => this.onBeforeMatch(event));
      addEventListener('resize', schedule);
      // The text reflows when fonts arrive or the reader zooms: place the notes again.
      const body = doc.getElementById('article-body');
      if (globalThis.ResizeObserver && body) new ResizeObserver(schedule).observe(body);
    }

    /** Pair every note in #notes with its words (note-x with ref-x), in the order of the words. */
    collectPairs() {
      this.pairs = [];
      this.byId = Object.create(null);
      for (const note of /** @type {NodeListOf<NoteElement>} */ (doc.querySelectorAll('#notes > .note'))) {
        const anchor = doc.getElementById(`ref-${note.id.slice(5)}`);
        if (!anchor) continue;
        note.tabIndex = -1; // focused when opened: named by its title (as endnotes without scripts, they need no name)
        note.setAttribute('aria-labelledby', `${note.id}-title`);
        this.pairs.push({ index: 0, note, anchor, title: note.querySelector('.note-title'),
          lead: note.querySelector('.note-lead'), parts: note.querySelectorAll('.note-rest, .note-meta'),
          level: WHOLE, short: false, found: false, timer: 0 });
      }
      this.pairs.sort((a, b) => (a.anchor.compareDocumentPosition(b.anchor) & 4 ? -1 : 1));
      this.pairs.forEach((pair, i) => {
        pair.index = i;
        this.byId[pair.note.id] = this.byId[pair.anchor.id] = pair;
      });
    }

    /** Another module added or removed notes (a reader's own): pair them again, set up the new ones, lay them out
        (the others keep their state: resetting them all would cost one more reflow of every note). */
    rescan() {
      this.onModeChange?.(); // the open note's pair is made anew
      this.collectPairs();
      for (const pair of this.pairs) if (pair.note.synced !== this.mode) this.syncPair(pair);
      this.applyMode();
    }

    isWide() {
      return this.mode === 'margin' || this.mode === 'margins';
    }

    /** Follow the stylesheet's layout (or the switch): reset what the old mode set, then lay out. */
    applyMode() {
      const mode = root.classList.contains('notes-off') ? 'off'
        : getComputedStyle(root).getPropertyValue('--notes-layout').trim() || 'sheet';
      if (mode !== this.mode) {
        this.onModeChange?.();
        this.mode = /** @type {NotesMode} */ (mode);
        this.pairs.forEach((pair) => this.syncPair(pair));
      }
      this.layout();
    }

    /** Set a note's and its anchor's attributes for the current mode. @param {NotePair} pair */
    syncPair(pair) {
      const { note, anchor } = pair, mode = this.mode;
      note.synced = mode;
      pair.found = pair.short = false;
      pair.level = WHOLE;
      note.classList.remove('is-left', 'is-short', 'is-active', 'is-open');
      anchor.classList.remove('is-active');
      note.style.top = '';
      this.showLevel(pair, WHOLE);
      if (mode === 'sheet') note.setAttribute('hidden', 'until-found');
      else note.hidden = mode === 'off';
      // The editor's anchors are links to their notes (a new tab, a copied link); a reader's marks are
      // <mark>s, made focusable, with the role their bundle gives them.
      const link = anchor.tagName === 'A';
      /** @type {Record<string, string | null>} */
      const attributes = { href: link ? `#${note.id}` : null, tabindex: link ? null : '0',
        role: anchor.getAttribute('data-role') || 'doc-noteref', 'aria-describedby': `${note.id}-title`,
        'aria-controls': note.id, 'aria-expanded': mode === 'sheet' ? 'false' : null };
      for (const [name, value] of Object.entries(attributes)) {
        if (mode === 'off' || value === null) anchor.removeAttribute(name);
        else anchor.setAttribute(name, value);
      }
    }

    /** Show a note whole, or as the layout shortened it (what is hidden stays findable).
        @param {NotePair} pair @param {boolean} whole */
    showWhole(pair, whole) {
      this.showLevel(pair, whole ? WHOLE : pair.level);
    }

    /** Show a note at a level: its title (0), with its first sentence (1), whole (2).
        @param {NotePair} pair @param {number} level */
    showLevel(pair, level) {
      hideUntilFound(pair.lead, level < LEAD);
      for (const part of pair.parts) hideUntilFound(part, level < WHOLE);
    }

    scheduleLayout() {
      if (this.scheduled) return;
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.applyMode();
      });
    }

    /** Wide screens: measure every note and anchor at once, place them, then write every position. */
    layout() {
      const main = this.main;
      if (!main) return;
      if (!this.isWide()) {
        main.style.minHeight = '';
        root.classList.add('notes-placed');
        return;
      }
      this.pairs.forEach((pair) => this.showLevel(pair, WHOLE));
      const top = main.getBoundingClientRect().top;
      const items = this.pairs.map((pair) => {
        const box = pair.note.getBoundingClientRect();
        /** @param {HTMLElement | null} part @param {number} shorter */
        const upTo = (part, shorter) => Math.max(shorter, part ? part.getBoundingClientRect().bottom - box.top : 0);
        const title = Math.min(upTo(pair.title, 0), box.height), lead = Math.min(upTo(pair.lead, title), box.height);
        return { anchorTop: pair.anchor.getBoundingClientRect().top - top, heights: [title, lead, box.height] };
      });
      const columns = this.mode === 'margins' ? 2 : 1;
      const placed = globalThis.ReaderLayout.place(items, { columns, gap: GAP, maxShift: MAX_SHIFT });
      this.pairs.forEach((pair, i) => {
        const spot = placed.notes[i], note = pair.note;
        note.style.top = `${Math.round(spot.top)}px`;
        note.classList.toggle('is-left', spot.column === 1);
        pair.level = spot.level;
        pair.short = spot.level < WHOLE;
        note.classList.toggle('is-short', pair.short);
        this.showWhole(pair, !pair.short || pair === this.open || note.classList.contains('is-active'));
      });
      main.style.minHeight = `${Math.ceil(placed.bottom)}px`;
      root.classList.add('notes-placed');
    }

    /** Find in page or a text fragment reached a hidden note, or the hidden rest of a short one:
        keep it shown (the interaction layer may not be here yet, and a later layout must not hide it).
        @param {Event} event */
    onBeforeMatch(event) {
      const hit = closest(event, '#notes > .note'), pair = hit && this.byId[hit.id];
      if (!hit || !pair) return;
      if (this.mode === 'sheet') pair.found = true;
      else {
        this.open = pair;
        hit.classList.add('is-open');
      }
    }
  }

  /* ---- Before the interaction layer arrives: load it on the first pointer or key, and keep
     what the reader did meanwhile (a tap on a note's words, the switch) for it to do ---- */

  const notes = new Notes();
  /** @type {ReaderCore} */
  const core = {
    notes, loadBundle, isTyping, base, storeKey: STORE_KEY, queued: [], interactive: false, pressed: false,
    quoting: false,
    search: { input: null, returnFocus: null, booted: false },
    applyMode: () => notes.applyMode(), layout: () => notes.layout(), rescanNotes: () => notes.rescan(),
  };
  globalThis.Reader = core;

  function wake() {
    loadBundle('interact').catch(() => {});
  }

  /** @param {MouseEvent} event */
  function onEarlyClick(event) {
    if (core.interactive) return;
    const hit = closest(event, '.anchor, #notes-toggle, #your-notes, .permalink, .note-title a');
    if (!hit || modified(event)) return;
    const selection = getSelection();
    if (selection && !selection.isCollapsed && String(selection).trim()) return; // the end of a drag to select words
    if (hit.classList.contains('anchor') && notes.mode !== 'off') {
      event.preventDefault(); // opened once loaded; lit meanwhile, so the tap shows it was felt
      hit.classList.add('is-waiting');
    }
    core.queued.push({ target: hit, keys: event.detail === 0 });
    wake();
  }

  /** A press on a note's words may start selecting them, but a press on a link starts dragging the
      link: the anchor is no link for the moment of the press (its click still opens the note).
      @param {MouseEvent} event */
  function onPress(event) {
    core.pressed = true; // the quote tools wait for the button to come up
    const anchor = event.button === 0 && !modified(event) && closest(event, '.anchor[href]'); // modified: a new tab
    if (!anchor) return;
    const href = anchor.getAttribute('href') || '';
    anchor.removeAttribute('href');
    setTimeout(() => anchor.setAttribute('href', href));
  }

  /** "/" goes to the search box from anywhere but a text field; n and p, pressed before the
      interaction layer arrives, wait for it. @param {KeyboardEvent} event */
  function onKey(event) {
    const el = doc.activeElement, input = core.search.input;
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(el)) return;
    if ((event.key === 'n' || event.key === 'p') && !core.interactive) {
      event.preventDefault();
      core.queued.push({ key: event.key });
      return wake();
    }
    if (event.key !== '/' || !input) return;
    event.preventDefault();
    core.search.returnFocus = el;
    input.focus();
    input.select();
  }

  /** A note link, a quote link or a shared reader's note wakes the interaction layer, which follows it;
      so do a reader's kept notes and a search in the address. */
  function followHash() {
    if (/^#(selector\(|note-|rn=)/.test(location.hash) || readStored('reader:my-notes')
      || new URL(location.href).searchParams.get('q')) wake();
  }

  /** A toolbar taller than a quarter of the screen (large text on a phone, a landscape phone) scrolls
      away with the page instead of staying over the text. */
  function fitToolbar() {
    const bar = doc.getElementById('toolbar');
    root.classList.toggle('bar-tall', !!bar && bar.offsetHeight > innerHeight / 4);
  }

  function start() {
    fitToolbar();
    addEventListener('resize', fitToolbar);
    const main = doc.getElementById('story-main');
    if (main) notes.start(main);
    const input = doc.getElementById('search-input');
    core.search.input = input instanceof HTMLInputElement ? input : null;
    doc.addEventListener('keydown', onKey);
    doc.addEventListener('mousedown', onPress, true);
    doc.addEventListener('mouseup', () => { core.pressed = false; }, true);
    doc.addEventListener('click', onEarlyClick);
    // The wheel too: a reader who only scrolls is reading (a shelf keeps their place).
    for (const type of ['pointerdown', 'keydown', 'focusin', 'touchstart', 'wheel']) {
      doc.addEventListener(type, wake, { once: true, passive: true });
    }
    // A selection made without a key or pointer in the page (a screen reader's) brings the quote tools too.
    doc.addEventListener('selectionchange', () => {
      if (!core.interactive && String(getSelection()).trim()) wake();
    });
    doc.addEventListener('pointerover', (event) => {
      if (!core.interactive && closest(event, '.anchor, #notes > .note')) wake();
    }, { passive: true });
    followHash();
    addEventListener('hashchange', followHash); // such a link pasted into a tab already showing the page
    if (input && doc.activeElement === input) wake(); // loaded when the box was first used (the shelf's page)
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
})();
