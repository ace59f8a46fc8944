/* The search box's list: results as links (a new tab, a copied link and the keyboard all work),
   snippets centred on the words found, the words marked in the page when a result opens.
   Last file of the search bundle; reader.js calls ReaderSearch.start(reader) once it has loaded. */
(function (global) {
  'use strict';
  var doc = global.document;
  var PAGE_SIZE = 20;
  var SNIPPET_WORDS = 25;
  var LABELS = { title: 'label_title', standfirst: 'label_standfirst', byline: 'label_byline', 'author-note': 'label_author_note' };
  var TIERS = { typo: 'tier_typo', partial: 'tier_partial' };

  var ui = {
    reader: null, engine: null, form: null, input: null, panel: null, list: null, status: null, summary: null,
    query: '',        // the query the list shows
    results: [],
    total: 0,
    limit: PAGE_SIZE,
    active: -1
  };

  /* ---- The text of what was indexed, read from the page ---- */

  function textOf(ref, field) {
    var el = doc.getElementById(ref);
    if (!el) return '';
    if (/^note-/.test(ref)) {
      var part = el.querySelector(field === 'title' ? '.note-title' : '.note-body');
      return part ? part.textContent : '';
    }
    return field === 'body' ? el.textContent : '';
  }

  function start(reader) {
    if (ui.engine) return;
    ui.reader = reader;
    ['form', 'input', 'panel', 'list', 'status', 'summary'].forEach(function (name) {
      ui[name] = doc.getElementById({ form: 'search', input: 'search-input', panel: 'search-panel', list: 'search-results',
        status: 'search-status', summary: 'search-summary' }[name]);
    });
    var lunr = global.lunr, stem = function (word) { return lunr.stemmer(new lunr.Token(word)).toString(); };
    ui.engine = global.ReaderQuery.createEngine(lunr, global.ReaderQuery.expandIndex(global.READER_SEARCH_INDEX, textOf, stem), textOf);
    ui.input.addEventListener('input', function () { ui.limit = PAGE_SIZE; run(); });
    ui.input.addEventListener('keydown', onKey);
    ui.input.addEventListener('focus', function () { if (ui.results.length && ui.input.value.trim()) open(); });
    ui.form.addEventListener('submit', function (event) { event.preventDefault(); });
    ui.form.addEventListener('focusout', function (event) {
      if (!event.relatedTarget || !ui.form.contains(event.relatedTarget)) close(); // Tab moved on
    });
    ui.list.addEventListener('click', onResultClick);
    // A press on a result may start selecting its words (to copy them): Chromium drags a link
    // instead, so the link is no link for the moment of the press; a plain click still opens it.
    ui.list.addEventListener('mousedown', function (event) {
      var modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey; // a new tab: the link's job
      var link = event.button === 0 && !modified && event.target.closest('a[href]');
      if (!link) return;
      var href = link.getAttribute('href');
      link.removeAttribute('href');
      global.setTimeout(function () { link.setAttribute('href', href); });
    });
    ui.panel.addEventListener('click', function (event) {
      if (event.target.closest('.search-more')) { ui.limit += PAGE_SIZE; run(); ui.input.focus(); }
    });
    doc.addEventListener('click', function (event) { if (!ui.form.contains(event.target)) close(); });
    reader.onEscape(onEscape);
    openShared();
  }

  /* ---- Running a query: on every keystroke, no debounce (a query takes a few ms) ---- */

  function run() {
    var query = ui.input.value;
    syncAddress(query);
    if (!query.trim()) {
      ui.results = [];
      ui.query = '';
      ui.list.textContent = '';
      close();
      showStatus('');
      global.ReaderMarks.clearMarks('search-hit');
      return;
    }
    render(query, ui.engine.search(query, { prefix: true, limit: ui.limit }));
  }

  function render(query, found) {
    choose(-1);
    ui.query = query;
    ui.results = found.results;
    ui.total = found.total;
    var items = doc.createDocumentFragment();
    found.results.forEach(function (result, i) { items.appendChild(resultLink(result, i)); });
    if (found.total > found.results.length) {
      var more = doc.createElement('button');
      more.type = 'button';
      more.className = 'search-more';
      more.tabIndex = -1;
      more.textContent = ui.reader.t('show_more', { n: found.total - found.results.length });
      items.appendChild(more);
    }
    ui.list.replaceChildren(items);
    open(); // before the status changes, so the live region is shown when it does
    var t = ui.reader.t, q = query.trim();
    showStatus(found.total ? (TIERS[found.tier] ? t(TIERS[found.tier]) : '') + t('results', { n: found.total, q: q }) : t('no_results', { q: q }));
  }

  function resultLink(result, i) {
    var link = doc.createElement('a');
    link.id = 'search-result-' + i;
    link.setAttribute('role', 'option');
    link.setAttribute('aria-selected', 'false');
    link.tabIndex = -1; // the list is reached with the arrow keys; Tab moves on
    link.draggable = false; // a drag selects the snippet's words
    link.href = resultAddress(result.ref);
    link.appendChild(resultLabel(result));
    var snippet = doc.createElement('span');
    snippet.className = 'result-snippet';
    var body = hitsIn(result, 'body'), run = result.run && result.run.field === 'body' ? result.run : null;
    appendSegments(snippet, global.ReaderQuery.snippet(textOf(result.ref, 'body'), body, run, SNIPPET_WORDS));
    link.appendChild(snippet);
    return link;
  }

  /** The address of a result: this page, or the article from the page of all notes; with the query. */
  function resultAddress(ref) {
    var here = doc.getElementById(ref) && (!/^p-/.test(ref) || doc.getElementById('article-body'));
    return (here ? '' : 'index.html') + '?q=' + encodeURIComponent(ui.input.value) + '#' + ref;
  }

  function hitsIn(result, field) {
    return result.hits.filter(function (hit) { return hit.field === field; });
  }

  function appendSegments(parent, segments) {
    segments.forEach(function (segment) {
      var node = segment.mark ? doc.createElement('mark') : doc.createTextNode(segment.text);
      if (segment.mark) node.textContent = segment.text;
      parent.appendChild(node);
    });
  }

  function resultLabel(result) {
    var label = doc.createElement('span');
    label.className = 'result-label';
    var note = /^note-/.test(result.ref) && doc.getElementById(result.ref);
    if (note) {
      label.textContent = ui.reader.t('label_note', { n: note.querySelector('.note-num').textContent }) + ' \u00b7 '
        + note.querySelector('.note-kind').textContent + ' \u00b7 ';
      var title = textOf(result.ref, 'title');
      var run = result.run && result.run.field === 'title' ? result.run : null;
      appendSegments(label, global.ReaderQuery.snippet(title, hitsIn(result, 'title'), run, 1000));
    } else {
      var t = ui.reader.t;
      label.textContent = LABELS[result.ref] ? t(LABELS[result.ref])
        : /^p-/.test(result.ref) ? t('label_paragraph', { n: result.ref.slice(2) }) : t('label_section') + ' \u00b7 ' + textOf(result.ref, 'body');
    }
    return label;
  }

  /* ---- Opening a result: go there, open its note, mark the words (the whole run as one) ---- */

  function onResultClick(event) {
    var link = event.target.closest('a[role="option"]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button) return; // new tab: the link's job
    event.preventDefault();
    var selection = global.getSelection();
    if (selection && !selection.isCollapsed && ui.list.contains(selection.anchorNode)) return; // selecting words to copy
    openResult(Number(link.id.replace('search-result-', '')));
  }

  function openResult(i) {
    var result = ui.results[i];
    if (!result) return;
    close();
    var target = doc.getElementById(result.ref);
    if (!target) { global.location.href = resultAddress(result.ref); return; }
    markResult(result);
    if (/^note-/.test(result.ref)) ui.reader.openNote(result.ref);
    if (global.location.hash === '#' + result.ref) target.scrollIntoView({ block: 'center' });
    else global.location.hash = result.ref;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }

  function markResult(result) {
    var marks = global.ReaderMarks;
    marks.clearMarks('search-hit');
    ['title', 'body'].forEach(function (field) {
      var el = doc.getElementById(result.ref);
      if (el && /^note-/.test(result.ref)) el = el.querySelector(field === 'title' ? '.note-title' : '.note-body');
      else if (field === 'title') return;
      var spans = hitsIn(result, field);
      if (result.run && result.run.field === field) {
        spans = spans.filter(function (h) { return h.end <= result.run.start || h.start >= result.run.end; }).concat([result.run]);
      }
      marks.markRanges(el, spans, 'search-hit');
    });
  }

  /* ---- The list and the keyboard (the combobox pattern) ---- */

  function open() { ui.panel.hidden = false; ui.input.setAttribute('aria-expanded', 'true'); }
  function close() { ui.panel.hidden = true; ui.input.setAttribute('aria-expanded', 'false'); choose(-1); }
  function isOpen() { return !ui.panel.hidden; }

  function choose(i) {
    var items = ui.list.querySelectorAll('a[role="option"]');
    if (items[ui.active]) items[ui.active].setAttribute('aria-selected', 'false');
    ui.active = items[i] ? i : -1;
    if (ui.active < 0) return ui.input.removeAttribute('aria-activedescendant');
    items[i].setAttribute('aria-selected', 'true');
    ui.input.setAttribute('aria-activedescendant', items[i].id);
    items[i].scrollIntoView({ block: 'nearest' });
  }

  function showStatus(text) { ui.status.textContent = ui.summary.textContent = text; }

  /** Down from no choice goes to the first result, Up to the last; both wrap around. */
  function move(step) {
    var n = ui.results.length;
    if (!n) return;
    if (!isOpen()) open();
    choose(ui.active < 0 ? (step > 0 ? 0 : n - 1) : (ui.active + step + n) % n);
  }

  function onKey(event) {
    if (event.key === 'ArrowDown') { event.preventDefault(); move(1); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); move(-1); }
    else if (event.key === 'Enter') {
      event.preventDefault();
      if (ui.input.value.trim() && ui.input.value !== ui.query) run();
      openResult(ui.active >= 0 ? ui.active : 0);
    }
  }

  /** Esc in the search: first closes the list, then clears the box and goes back where "/" came from. */
  function onEscape() {
    if (!ui.form.contains(doc.activeElement)) return false;
    if (isOpen()) { close(); return true; }
    ui.input.value = '';
    run();
    var back = ui.reader.returnFocus();
    if (back && back !== doc.body && doc.contains(back)) back.focus();
    else ui.input.blur();
    return true;
  }

  /* ---- The address keeps ?q= so a search (or one result) can be shared ---- */

  function syncAddress(query) {
    var url = new URL(global.location.href);
    if (query.trim()) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    if (url.href !== global.location.href) {
      try { global.history.replaceState(global.history.state, '', url.href); } catch (e) { /* some browsers on file:// */ }
    }
  }

  /** ?q=...: run it; with #ref (a shared result) mark that result's words and keep the list closed. */
  function openShared() {
    var initial = new URL(global.location.href).searchParams.get('q');
    if (initial && !ui.input.value) ui.input.value = initial;
    if (!ui.input.value.trim()) return;
    run();
    var ref = decodeURIComponent(global.location.hash.slice(1));
    var shared = ui.results.filter(function (result) { return result.ref === ref; })[0];
    if (!initial || doc.activeElement === ui.input) return;
    if (!shared) return ui.input.focus({ preventScroll: true });
    close();
    markResult(shared);
  }

  global.ReaderSearch = { start: start };
}(typeof globalThis !== 'undefined' ? globalThis : this));
