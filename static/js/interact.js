/* The interaction layer, loaded on the first pointer or key (reader.js calls start): opening a
   note (a sheet on narrow screens, whole in the margin on wide ones), hover and focus highlights,
   the n/p keys, Escape, the notes switch, and copying permalinks. It also gives
   the search and quote bundles their shared services: onEscape, copyText, toast, openNote. */
(function (global) {
  'use strict';
  var doc = global.document;
  var root = doc.documentElement;
  var HOVER_DELAY = 150;   // ms before a note the pointer left stops being shown

  var core = null, notes = null;
  var ui = { bar: null, escapeHandlers: [], toastTimer: 0 };

  function pairOf(el) {
    var hit = el && el.closest && el.closest('.anchor, #notes > .note');
    return hit ? notes.byId[hit.getAttribute('data-ref') || hit.id] || null : null; // data-ref: a reader's mark in pieces
  }
  function isWide() { return notes.mode === 'margin' || notes.mode === 'margins'; }
  function isTyping(el) { return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)); }

  /* ---- Shared services ---- */

  /** The interface string for key in the page's language (strings.js), with {names} filled in. */
  function t(key, values) {
    var strings = global.ReaderStrings || {}, value = strings[key];
    if (value == null) return key;
    if (typeof value === 'object') value = (strings.plural_one || [1]).indexOf(values && values.n) >= 0 ? value.one : value.other;
    return String(value).replace(/\{(\w+)\}/g, function (match, name) { return values && name in values ? values[name] : match; });
  }

  /* Escape goes to the most recently started widget that has something to close; each handler
     returns true when it used the key. */
  function onEscape(handler) { ui.escapeHandlers.push(handler); }

  /** The page's address without query or fragment (works from file:// too). */
  function pageAddress() { return global.location.href.replace(/[?#].*$/, ''); }

  /** Put text (and optionally HTML) on the clipboard; resolves true when it worked. */
  function copyText(text, html) {
    var clipboard = global.navigator.clipboard;
    if (clipboard && html && global.ClipboardItem) {
      return clipboard.write([new global.ClipboardItem({
        'text/plain': new Blob([text], { type: 'text/plain' }), 'text/html': new Blob([html], { type: 'text/html' })
      })]).then(function () { return true; }, function () { return copyText(text); });
    }
    if (clipboard && clipboard.writeText) {
      return clipboard.writeText(text).then(function () { return true; }, function () { return legacyCopy(text); });
    }
    return Promise.resolve(legacyCopy(text));
  }
  function legacyCopy(text) {
    var area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'vh';
    doc.body.appendChild(area);
    area.select();
    var done = false;
    try { done = doc.execCommand('copy'); } catch (e) { done = false; }
    area.remove();
    return done;
  }

  /** Say something briefly, to sight and to screen readers. */
  function toast(message) {
    var box = doc.getElementById('toast');
    if (!box) {
      box = doc.createElement('div');
      box.id = 'toast';
      box.className = 'toast';
      box.setAttribute('role', 'status');
      (doc.getElementById('toolbar') || doc.body).appendChild(box); // a landmark: the page's header
    }
    box.textContent = message;
    global.clearTimeout(ui.toastTimer);
    ui.toastTimer = global.setTimeout(function () { box.textContent = ''; }, 3000);
  }

  /* ---- Opening and closing: one note at a time ---- */

  function openNote(pair, options) {
    if (notes.open && notes.open !== pair) closeNote(false);
    notes.open = pair;
    notes.cursor = pair.index;
    pair.note.classList.add('is-open');
    core.showWhole(pair, true);
    if (notes.mode === 'sheet') {
      showSheet(pair);
      pair.anchor.setAttribute('aria-expanded', 'true');
    } else if (options && options.scroll) {
      scrollNoteIntoView(pair);
    }
  }

  function closeNote(returnFocus) {
    var pair = notes.open;
    if (!pair) return;
    notes.open = null;
    pair.note.classList.remove('is-open', 'is-sheet', 'sheet-top');
    pair.note.style.maxHeight = '';
    if (ui.bar && ui.bar.parentNode === pair.note) pair.note.removeChild(ui.bar);
    if (notes.mode === 'sheet') {
      pair.anchor.setAttribute('aria-expanded', 'false');
      if (!pair.found) pair.note.setAttribute('hidden', 'until-found');
    }
    core.showWhole(pair, !pair.short || pair.note.classList.contains('is-active'));
    if (returnFocus) pair.anchor.focus({ preventScroll: true });
  }

  function toolbarBottom() {
    var bar = doc.getElementById('toolbar');
    return bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
  }

  /** The sheet: over the part of the screen away from the tapped words, so they stay in sight. */
  function showSheet(pair) {
    var words = pair.anchor.getBoundingClientRect(), barBottom = toolbarBottom();
    var below = global.innerHeight - words.bottom, above = words.top - barBottom, onTop = above > below;
    var note = pair.note;
    note.hidden = false;
    note.classList.add('is-sheet');
    note.classList.toggle('sheet-top', onTop);
    note.style.setProperty('--sheet-top', barBottom + 'px');
    note.style.maxHeight = Math.max(120, Math.min((onTop ? above : below) - 8, global.innerHeight * 0.6)) + 'px';
    note.insertBefore(sheetBar(pair), note.firstChild);
    note.scrollTop = 0;
    note.focus({ preventScroll: true });
  }

  function sheetBar(pair) {
    if (!ui.bar) {
      ui.bar = doc.createElement('div');
      ui.bar.className = 'sheet-bar';
      [['', 'sheet-count'], ['-1', '\u2039', t('previous_note')], ['1', '\u203a', t('next_note')], ['0', t('close')]].forEach(function (spec) {
        var el = doc.createElement(spec[0] ? 'button' : 'span');
        if (spec[0]) { el.type = 'button'; el.setAttribute('data-step', spec[0]); el.textContent = spec[1]; }
        else el.className = spec[1];
        if (spec[2]) el.setAttribute('aria-label', spec[2]);
        ui.bar.appendChild(el);
      });
    }
    var n = notes.pairs.length;
    ui.bar.firstChild.textContent = t('note_of', { n: pair.index + 1, total: n });
    ui.bar.querySelector('[data-step="-1"]').disabled = pair.index === 0;
    ui.bar.querySelector('[data-step="1"]').disabled = pair.index === n - 1;
    return ui.bar;
  }

  /** Scroll so a margin note opened by click or keyboard is wholly in view, its words too. */
  function scrollNoteIntoView(pair) {
    var box = pair.note.getBoundingClientRect(), words = pair.anchor.getBoundingClientRect(), top = toolbarBottom() + 8;
    var down = box.bottom - (global.innerHeight - 8);
    if (down > 0) global.scrollBy({ top: Math.max(0, Math.min(down, words.top - top, box.top - top)), behavior: 'instant' });
    else if (box.top < top) global.scrollBy({ top: box.top - top, behavior: 'instant' });
  }

  /** Put a note's words near the top of the screen (before a sheet opens below them). */
  function bringWordsUp(pair) {
    global.scrollBy({ top: pair.anchor.getBoundingClientRect().top - global.innerHeight * 0.3, behavior: 'instant' });
  }

  /* ---- Highlight: hovered or focused (anchor or note); on wide screens a short note shows whole ---- */

  function setActive(pair, on) {
    global.clearTimeout(pair.timer);
    pair.note.classList.toggle('is-active', on);
    pair.anchor.classList.toggle('is-active', on);
    if (pair.short) core.showWhole(pair, on || pair === notes.open);
  }

  function hover(pair, on, event) {
    if (!pair || notes.mode === 'off') return;
    if (!on && event.relatedTarget && pairOf(event.relatedTarget) === pair) return; // still inside it
    global.clearTimeout(pair.timer);
    if (on) setActive(pair, true);
    else pair.timer = global.setTimeout(function () { setActive(pair, false); }, HOVER_DELAY);
  }

  function onFocusIn(event) {
    var pair = pairOf(event.target);
    if (!pair || notes.mode === 'off') return;
    setActive(pair, true);
    notes.cursor = pair.index;
    if (pair.short && isWide()) global.requestAnimationFrame(function () { scrollNoteIntoView(pair); });
  }

  /* ---- Clicks, delegated: a note's words, a margin note, the sheet's buttons, elsewhere ---- */

  function onClick(event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // a new tab: let it be
    act(event.target, event);
  }

  function act(target, event) {
    var step = target.closest('.sheet-bar [data-step]');
    if (step) return stepNote(Number(step.getAttribute('data-step')));
    if (target.closest('#notes-toggle')) return setNotesHidden(!root.classList.contains('notes-off'), true);
    if (target.closest('#your-notes')) return core.readerNotes().then(function (mine) { mine.toggle(); });
    var link = target.closest('.permalink, #notes .note-title a');
    if (link) return copyLink(link, event);
    var pair = pairOf(target);
    if (pair && target.closest('.anchor')) {
      if (notes.mode === 'off' || (event && selecting())) return;
      if (event) event.preventDefault(); // open it here: following the link would scroll the words away
      if (notes.open === pair) closeNote(false);
      else openNote(pair, { scroll: true });
      if (!notes.open) setActive(pair, false); // closed on purpose, also on touch where no pointer leaves
      return;
    }
    if (pair && isWide() && notes.open !== pair && !target.closest('a')) return openNote(pair, { scroll: true });
    if (notes.open && !notes.open.note.contains(target)) closeNote(false); // a click or tap elsewhere
  }

  /** Whether the reader has just selected words (a click that ends a drag is not a tap on a note). */
  function selecting() {
    var selection = global.getSelection();
    return !!selection && !selection.isCollapsed && String(selection).trim() !== '';
  }

  function stepNote(delta) {
    if (!delta) return closeNote(true);
    var next = notes.pairs[(notes.open ? notes.open.index : notes.cursor) + delta];
    if (!next) return;
    if (notes.mode === 'sheet') bringWordsUp(next);
    openNote(next, { scroll: true });
  }

  /* ---- Keys: n / p move between notes, Escape closes (widgets in turn) ---- */

  function onKey(event) {
    if (event.key === 'Escape') {
      for (var i = ui.escapeHandlers.length - 1; i >= 0; i--) {
        if (ui.escapeHandlers[i](event)) { event.preventDefault(); return; }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(doc.activeElement)) return;
    var control = event.target.closest && event.target.closest('.anchor');
    if ((event.key === 'Enter' || event.key === ' ') && control && control.tagName !== 'A') {
      event.preventDefault(); // a reader's marked words are a button, not a link: Enter and Space press it
      control.click();
    } else if (event.key === 'n' || event.key === 'p') {
      event.preventDefault();
      moveNote(event.key === 'n' ? 1 : -1);
    }
  }

  /** n / p: the next or previous note and its words. */
  function moveNote(delta) {
    if (!notes.pairs.length || notes.mode === 'off') return;
    var index = notes.open ? notes.open.index : notes.cursor;
    if (index < 0) index = firstInView(delta) - delta;
    var pair = notes.pairs[Math.max(0, Math.min(notes.pairs.length - 1, index + delta))];
    notes.cursor = pair.index;
    if (notes.mode === 'sheet') {
      bringWordsUp(pair);
      openNote(pair);
      return;
    }
    pair.anchor.focus({ preventScroll: true });
    pair.anchor.scrollIntoView({ block: 'center', behavior: 'instant' });
    openNote(pair, { scroll: true });
  }

  /** The first note whose words are below the toolbar (n), or the last one above it (p). */
  function firstInView(delta) {
    var line = toolbarBottom();
    var below = notes.pairs.filter(function (p) { return p.anchor.getBoundingClientRect().top >= line; });
    if (delta > 0) return below.length ? below[0].index : notes.pairs.length - 1;
    return below.length ? below[0].index - 1 : notes.pairs.length - 1;
  }

  function escapeNote() {
    var focused = doc.activeElement, pair = notes.open || pairOf(focused);
    if (!pair) return false;
    var inside = pair.note.contains(focused);
    if (notes.open) closeNote(inside || notes.mode === 'sheet');
    setActive(pair, false);
    if (inside) pair.anchor.focus({ preventScroll: true });
    return true;
  }

  function escapeKeysHelp() {
    var help = doc.getElementById('keys');
    if (!help || !help.open) return false;
    help.open = false;
    help.querySelector('summary').focus();
    return true;
  }

  /* ---- The switch: hide or show every note, remembered; a deep link shows them for the visit ---- */

  function setNotesHidden(hidden, remember) {
    root.classList.toggle('notes-off', hidden);
    if (remember) {
      try { global.localStorage.setItem(core.storeKey, hidden ? '1' : '0'); } catch (e) { /* private mode: not remembered */ }
    }
    var toggle = doc.getElementById('notes-toggle');
    if (toggle) toggle.setAttribute('aria-pressed', String(hidden));
    core.applyMode();
  }

  /** #note-x opens that note and marks it with its words. */
  function followHash() {
    var hash = decodeURIComponent(global.location.hash.slice(1));
    var pair = /^note-/.test(hash) ? notes.byId[hash] : null;
    if (!pair) return;
    if (root.classList.contains('notes-off')) setNotesHidden(false, false);
    if (notes.mode === 'sheet') {
      bringWordsUp(pair);
      openNote(pair);
    } else {
      openNote(pair);
      setActive(pair, true);
      pair.note.scrollIntoView({ block: 'center' });
    }
  }

  /* ---- Copying: paragraph and note permalinks ---- */

  function copyLink(link, event) {
    var pair = pairOf(link), href = link.getAttribute('href');
    if (pair && event) event.preventDefault(); // a note's own link: copied, and the page stays put
    var what = pair ? t('what_note', { n: pair.index + 1 }) : /^#p-/.test(href) ? t('what_paragraph', { n: href.slice(3) }) : t('what_section');
    copyText(pageAddress() + href).then(function (done) {
      toast(done ? t('link_copied', { what: what }) : t('copy_failed'));
    });
  }

  /* ---- Search: the bundle loads when the box is focused (or for ?q=) ---- */

  function bootSearch() {
    var input = core.search.input, status = doc.getElementById('search-status');
    if (!input || core.search.booted || input.form.hasAttribute('action')) return; // a plain form to the article
    core.search.booted = true;
    var placeholder = input.placeholder;
    input.placeholder = status.textContent = t('loading_search');
    core.loadBundle('search').then(function () {
      input.placeholder = placeholder;
      status.textContent = '';
      global.ReaderSearch.start(core);
    }, function () {
      input.placeholder = placeholder;
      status.textContent = t('search_failed');
    });
  }

  /* ---- Quote tools: on the first selection in the text, or for a quote link ---- */

  function onSelection() {
    if (core.quoting) return;
    var selection = global.getSelection(), body = doc.getElementById('article-body');
    if (!selection || selection.isCollapsed || !body || !body.contains(selection.anchorNode)) return;
    startQuotes();
  }

  function startQuotes() {
    core.quoting = true;
    core.loadBundle('quote').then(function () { global.ReaderQuote.start(core); }, function () {});
  }

  /** The reader's own notes (readernotes.js, after the quote tools it builds on); resolves to ReaderNotes, started. */
  function readerNotes() {
    return Promise.all([core.loadBundle('quote'), core.loadBundle('notes')]).then(function () { return global.ReaderNotes.start(core); });
  }

  function start(reader) {
    core = reader;
    notes = reader.notes;
    reader.readerNotes = readerNotes;
    notes.onModeChange = function () { closeNote(false); };
    doc.addEventListener('click', onClick);
    doc.addEventListener('keydown', onKey);
    if (notes.pairs.length) {
      doc.addEventListener('mouseover', function (event) { hover(pairOf(event.target), true, event); });
      doc.addEventListener('mouseout', function (event) { hover(pairOf(event.target), false, event); });
      doc.addEventListener('focusin', onFocusIn);
      doc.addEventListener('focusout', function (event) { hover(pairOf(event.target), false, event); });
      global.addEventListener('hashchange', followHash);
      onEscape(escapeNote);
    }
    onEscape(escapeKeysHelp);
    if (reader.search.input) {
      reader.search.input.addEventListener('focus', bootSearch);
      if (doc.activeElement === reader.search.input || new URL(global.location.href).searchParams.get('q')) bootSearch();
    }
    doc.addEventListener('selectionchange', onSelection);
    if (/^#selector\(/.test(global.location.hash)) startQuotes();
    else onSelection();
    Object.assign(reader, {
      t: t, onEscape: onEscape, copyText: copyText, toast: toast, pageAddress: pageAddress, isTyping: isTyping,
      openNote: function (id) {
        var pair = notes.byId[id];
        if (!pair) return;
        if (root.classList.contains('notes-off')) setNotesHidden(false, false);
        openNote(pair, { scroll: true });
      },
      returnFocus: function () { var el = reader.search.returnFocus; reader.search.returnFocus = null; return el; }
    });
    // What the reader did before this layer arrived: a note hovered or focused, then clicks and keys.
    var hovered = doc.querySelector('.anchor:hover, #notes > .note:hover');
    if (hovered) hover(pairOf(hovered), true, {});
    if (pairOf(doc.activeElement)) onFocusIn({ target: doc.activeElement });
    reader.queued.splice(0).forEach(function (item) {
      if (item.key) moveNote(item.key === 'n' ? 1 : -1);
      else act(item.target, null);
    });
    followHash();
    var kept = null;
    try { kept = global.localStorage.getItem('reader:my-notes'); } catch (e) { /* storage off: none kept */ }
    if (doc.getElementById('story-main') && (kept || /^#rn=/.test(global.location.hash))) readerNotes().catch(function () {});
  }

  global.ReaderInteract = { start: start };
}(typeof globalThis !== 'undefined' ? globalThis : this));
