/* The reader's first-view script: places the margin notes beside their words on wide screens,
   hides closed notes until found on narrow ones, and loads the rest on first use: the
   interaction layer (interact.js: opening notes, keys, copying) on the first pointer or key, the
   search bundle on the search box, the quote tools on the first selection. Loaded in <head>
   without defer so the "js" class is set before the first paint. The layout (sheet, margin,
   margins) is chosen by the stylesheet and read here from --notes-layout: breakpoints live in CSS. */
(function (global) {
  'use strict';

  /* ---- Placement (pure: tests run it under Node as ReaderLayout.place) ---- */

  /** Return the column where a note wanted at `want` can sit highest, and that height. */
  function bestColumn(bottoms, want, gap) {
    var best = 0, bestTop = Infinity;
    for (var c = 0; c < bottoms.length; c++) {
      var top = Math.max(want, bottoms[c] + gap);
      if (top < bestTop) { best = c; bestTop = top; }
    }
    return { column: best, top: bestTop };
  }

  /**
   * Place notes given in text order as {anchorTop, full, lead} (heights in px): each level with its
   * words or pushed down only by the note above, in the column where it sits highest. A note is
   * shortened to its lead only when, whole, it would push the next note more than maxShift from
   * its words. Returns {notes: [{top, column, short}], bottom}.
   */
  function place(items, options) {
    var gap = options.gap, bottoms = [];
    for (var c = 0; c < options.columns; c++) bottoms.push(-Infinity);
    var placed = items.map(function (item, i) {
      var spot = bestColumn(bottoms, item.anchorTop, gap), next = items[i + 1], short = false;
      if (next && item.lead < item.full) {
        var trial = bottoms.slice();
        trial[spot.column] = spot.top + item.full;
        short = bestColumn(trial, next.anchorTop, gap).top - next.anchorTop > options.maxShift;
      }
      bottoms[spot.column] = spot.top + (short ? item.lead : item.full);
      return { top: spot.top, column: spot.column, short: short };
    });
    return { notes: placed, bottom: Math.max.apply(null, bottoms.concat(0)) };
  }

  global.ReaderLayout = { place: place };
  var doc = global.document;
  if (!doc) return;

  var root = doc.documentElement;
  var script = doc.currentScript;
  var STORE_KEY = 'reader:notes-hidden';
  var GAP = 12;          // px between stacked margin notes
  var MAX_SHIFT = 300;   // px a note may be pushed below its words before the one above is shortened

  root.classList.add('js');
  if (readStored(STORE_KEY) === '1') root.classList.add('notes-off');

  function readStored(key) {
    try { return global.localStorage.getItem(key); } catch (e) { return null; }
  }

  /* ---- Lazy bundles: the script tag's data-interact, data-search and data-quote lists ---- */

  var loaded = {};  // by URL: a promise
  var base = script && script.src ? script.src.replace(/assets\/[^/]*$/, '') : '';

  function loadFile(url) {
    if (loaded[url]) return loaded[url];
    loaded[url] = new Promise(function (resolve, reject) {
      var css = /\.css$/.test(url), tag = doc.createElement(css ? 'link' : 'script');
      if (css) { tag.rel = 'stylesheet'; tag.href = base + url; }
      else { tag.src = base + url; tag.async = false; } // in order: lunr before the code that uses it
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error('could not load ' + url)); };
      doc.head.appendChild(tag);
    });
    return loaded[url];
  }

  /** Load a bundle (after the interaction layer, which every bundle builds on) and start it. */
  function loadBundle(name) {
    var names = name === 'interact' ? ['interact'] : ['interact', name];
    var urls = [];
    names.forEach(function (n) { urls = urls.concat(((script && script.getAttribute('data-' + n)) || '').split(' ').filter(Boolean)); });
    return Promise.all(urls.map(loadFile)).then(function () {
      if (!core.interactive) { core.interactive = true; global.ReaderInteract.start(core); }
    });
  }

  /* ---- Notes: positions on wide screens, hidden-until-found on narrow ones ---- */

  var notes = {
    pairs: [],      // {index, note, anchor, lead, parts, short, found, timer}, in text order
    byId: Object.create(null),   // by the note's id and by its anchor's id
    mode: '',       // 'sheet', 'margin', 'margins' or 'off'
    open: null,     // the note opened (a sheet, or kept open in the margin)
    cursor: -1,     // the note n/p last moved to
    main: null,
    scheduled: false,
    onModeChange: null  // set by the interaction layer
  };

  function startNotes(main) {
    notes.main = main;
    collectPairs();
    if (!notes.pairs.length) return;
    var toggle = doc.getElementById('notes-toggle');
    if (toggle) toggle.setAttribute('aria-pressed', String(root.classList.contains('notes-off')));
    applyMode();
    doc.addEventListener('beforematch', onBeforeMatch);
    global.addEventListener('resize', scheduleLayout);
    // The text reflows when fonts arrive or the reader zooms: place the notes again.
    if (global.ResizeObserver) new global.ResizeObserver(scheduleLayout).observe(doc.getElementById('article-body'));
  }

  /** Pair every note in #notes with its words (note-x with ref-x), in the order of the words. */
  function collectPairs() {
    notes.pairs = [];
    notes.byId = Object.create(null);
    Array.prototype.forEach.call(doc.querySelectorAll('#notes > .note'), function (note) {
      var anchor = doc.getElementById('ref-' + note.id.slice(5));
      if (!anchor) return;
      note.tabIndex = -1;
      notes.pairs.push({ note: note, anchor: anchor, lead: note.querySelector('.note-lead'),
        parts: note.querySelectorAll('.note-rest, .note-meta'), short: false, found: false, timer: 0 });
    });
    notes.pairs.sort(function (a, b) { return a.anchor.compareDocumentPosition(b.anchor) & 4 ? -1 : 1; });
    notes.pairs.forEach(function (pair, i) {
      pair.index = i;
      notes.byId[pair.note.id] = notes.byId[pair.anchor.id] = pair;
    });
  }

  /** Another module added or removed notes (a reader's own): pair them again, set up the new ones, lay them out
      (the others keep their state: resetting them all would cost one more reflow of every note). */
  function rescanNotes() {
    if (notes.onModeChange) notes.onModeChange(); // the open note's pair is made anew
    collectPairs();
    notes.pairs.forEach(function (pair) { if (pair.note.synced !== notes.mode) syncPair(pair); });
    applyMode();
  }

  function isWide() { return notes.mode === 'margin' || notes.mode === 'margins'; }

  /** Follow the stylesheet's layout (or the switch): reset what the old mode set, then lay out. */
  function applyMode() {
    var mode = root.classList.contains('notes-off') ? 'off'
      : global.getComputedStyle(root).getPropertyValue('--notes-layout').trim() || 'sheet';
    if (mode !== notes.mode) {
      if (notes.onModeChange) notes.onModeChange();
      notes.mode = mode;
      notes.pairs.forEach(syncPair);
    }
    layout();
  }

  /** Set a note's and its anchor's attributes for the current mode. */
  function syncPair(pair) {
    var note = pair.note, anchor = pair.anchor, mode = notes.mode;
    note.synced = mode;
    pair.found = pair.short = false;
    note.classList.remove('is-left', 'is-short', 'is-active', 'is-open');
    anchor.classList.remove('is-active');
    note.style.top = '';
    setPartsHidden(pair, false);
    if (mode === 'sheet') note.setAttribute('hidden', 'until-found');
    else note.hidden = mode === 'off';
    // The editor's anchors are links to their notes (a new tab, a copied link); a reader's marks are
    // <mark>s, made focusable, with the role their bundle gives them.
    var link = anchor.tagName === 'A';
    var attributes = { href: link ? '#' + note.id : null, tabindex: link ? null : '0', role: anchor.getAttribute('data-role') || 'doc-noteref',
      'aria-describedby': note.id + '-title', 'aria-controls': note.id,
      'aria-expanded': mode === 'sheet' ? 'false' : null };
    Object.keys(attributes).forEach(function (name) {
      if (mode === 'off' || attributes[name] === null) anchor.removeAttribute(name);
      else anchor.setAttribute(name, attributes[name]);
    });
  }

  function setPartsHidden(pair, hidden) {
    Array.prototype.forEach.call(pair.parts, function (part) {
      if (hidden) part.setAttribute('hidden', 'until-found');
      else part.hidden = false;
    });
  }

  /** Show a note whole or only its lead (the rest stays findable). */
  function showWhole(pair, whole) {
    if (!pair.parts.length || pair.parts[0].hasAttribute('hidden') !== whole) return;
    setPartsHidden(pair, !whole);
  }

  function scheduleLayout() {
    if (notes.scheduled) return;
    notes.scheduled = true;
    global.requestAnimationFrame(function () {
      notes.scheduled = false;
      applyMode();
    });
  }

  /** Wide screens: measure every note and anchor at once, place them, then write every position. */
  function layout() {
    var main = notes.main;
    if (!isWide()) {
      main.style.minHeight = '';
      root.classList.add('notes-placed');
      return;
    }
    notes.pairs.forEach(function (pair) { showWhole(pair, true); });
    var top = main.getBoundingClientRect().top;
    var items = notes.pairs.map(function (pair) {
      var box = pair.note.getBoundingClientRect();
      var lead = pair.lead ? pair.lead.getBoundingClientRect().bottom - box.top : box.height;
      return { anchorTop: pair.anchor.getBoundingClientRect().top - top, full: box.height, lead: Math.min(lead, box.height) };
    });
    var placed = place(items, { columns: notes.mode === 'margins' ? 2 : 1, gap: GAP, maxShift: MAX_SHIFT });
    notes.pairs.forEach(function (pair, i) {
      var spot = placed.notes[i];
      pair.note.style.top = Math.round(spot.top) + 'px';
      pair.note.classList.toggle('is-left', spot.column === 1);
      pair.short = spot.short;
      pair.note.classList.toggle('is-short', spot.short);
      showWhole(pair, !spot.short || pair === notes.open || pair.note.classList.contains('is-active'));
    });
    main.style.minHeight = Math.ceil(placed.bottom) + 'px';
    root.classList.add('notes-placed');
  }

  /** Find in page or a text fragment reached a hidden note, or the hidden rest of a short one:
      keep it shown (the interaction layer may not be here yet, and a later layout must not hide it). */
  function onBeforeMatch(event) {
    var hit = event.target.closest && event.target.closest('#notes > .note'), pair = hit && notes.byId[hit.id];
    if (!pair) return;
    if (notes.mode === 'sheet') pair.found = true;
    else { notes.open = pair; hit.classList.add('is-open'); }
  }

  /* ---- Before the interaction layer arrives: load it on the first pointer or key, and keep
     what the reader did meanwhile (a tap on a note's words, the switch) for it to do ---- */

  var core = {
    notes: notes, applyMode: applyMode, layout: layout, rescanNotes: rescanNotes, showWhole: showWhole, setPartsHidden: setPartsHidden,
    loadBundle: loadBundle, storeKey: STORE_KEY, queued: [], interactive: false, search: { returnFocus: null }
  };
  global.Reader = core;

  function wake() { loadBundle('interact').catch(function () {}); }

  function onEarlyClick(event) {
    if (core.interactive) return;
    var hit = event.target.closest && event.target.closest('.anchor, #notes-toggle, #your-notes, .permalink, .note-title a');
    if (!hit || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var selection = global.getSelection();
    if (selection && !selection.isCollapsed && String(selection).trim()) return; // the end of a drag to select words
    if (hit.classList.contains("anchor") && notes.mode !== "off") event.preventDefault(); // opened once loaded
    core.queued.push({ target: hit });
    wake();
  }

  /** A press on a note's words may start selecting them, but a press on a link starts dragging the
      link: the anchor is no link for the moment of the press (its click still opens the note). */
  function onPress(event) {
    core.pressed = true; // the quote tools wait for the button to come up
    var modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey; // a new tab: the link's job
    var anchor = event.button === 0 && !modified && event.target.closest && event.target.closest('.anchor[href]');
    if (!anchor) return;
    var href = anchor.getAttribute('href');
    anchor.removeAttribute('href');
    global.setTimeout(function () { anchor.setAttribute('href', href); });
  }

  /** "/" goes to the search box from anywhere but a text field; n and p, pressed before the
      interaction layer arrives, wait for it. */
  function onKey(event) {
    var el = doc.activeElement;
    if (event.ctrlKey || event.metaKey || event.altKey || (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)))) return;
    if ((event.key === 'n' || event.key === 'p') && !core.interactive) {
      event.preventDefault();
      core.queued.push({ key: event.key });
      return wake();
    }
    if (event.key !== '/' || !core.search.input) return;
    event.preventDefault();
    core.search.returnFocus = el;
    core.search.input.focus();
    core.search.input.select();
  }

  /** A note link, a quote link or a shared reader's note wakes the interaction layer, which follows it; so do a reader's kept notes. */
  function followHash() {
    if (/^#(selector\(|note-|rn=)/.test(global.location.hash) || readStored('reader:my-notes') || new URL(global.location.href).searchParams.get('q')) wake();
  }

  function start() {
    var main = doc.getElementById('story-main');
    if (main) startNotes(main);
    core.search.input = doc.getElementById('search-input');
    doc.addEventListener('keydown', onKey);
    doc.addEventListener('mousedown', onPress, true);
    doc.addEventListener('mouseup', function () { core.pressed = false; }, true);
    doc.addEventListener('click', onEarlyClick);
    ['pointerdown', 'keydown', 'focusin', 'touchstart'].forEach(function (type) {
      doc.addEventListener(type, wake, { once: true, passive: true });
    });
    // A selection made without a key or pointer in the page (a screen reader's) brings the quote tools too.
    doc.addEventListener('selectionchange', function () {
      if (!core.interactive && String(global.getSelection()).trim()) wake();
    });
    doc.addEventListener('pointerover', function (event) {
      if (!core.interactive && event.target.closest && event.target.closest('.anchor, #notes > .note')) wake();
    }, { passive: true });
    followHash();
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start);
  else start();
}(typeof globalThis !== 'undefined' ? globalThis : this));
