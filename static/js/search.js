/* Search box: loads lunr.js and the index on first use, shows ranked results as you type,
   and marks the words found in the article. Query logic lives in query.js (ReaderQuery),
   marking in marks.js (ReaderMarks); both come with the bundle. */
(function () {
  'use strict';
  var DEBOUNCE_MS = 60;

  function start() {
    var form = document.getElementById('search');
    var input = document.getElementById('search-input');
    var panel = document.getElementById('search-panel');
    var status = document.getElementById('search-status'); // live region, outside the panel
    var summary = document.getElementById('search-summary'); // the same words, seen in the panel
    var list = document.getElementById('search-results');
    if (!form || !input) return;
    form.hidden = false;

    var engine = null;
    var marks = null; // ReaderMarks (marks.js), with the bundle
    var loading = null;
    var timer = 0;
    var results = [];
    var shown = null; // the query the list was rendered for
    var active = -1;
    var returnFocus = null;
    var textCache = {};

    /* ---- Loading: the bundle (lunr, textnorm, query, marks, index) arrives on first use ---- */
    function load() {
      if (loading) return loading;
      var urls = (form.getAttribute('data-bundle') || '').split(' ').filter(Boolean);
      loading = new Promise(function (resolve, reject) {
        var remaining = urls.length;
        urls.forEach(function (url) {
          var script = document.createElement('script');
          script.src = url;
          script.async = false; // run in order: lunr before the code that uses it
          script.onload = function () { if (--remaining === 0) resolve(); };
          script.onerror = function () { reject(new Error('could not load ' + url)); };
          document.head.appendChild(script);
        });
      }).then(function () {
        var index = window.ReaderQuery.expandIndex(window.READER_SEARCH_INDEX);
        marks = window.ReaderMarks;
        engine = window.ReaderQuery.createEngine(window.lunr, index, function (ref, field) {
          return field === 'title' ? titleOf(ref) : textOf(ref);
        });
      });
      loading.catch(function () {
        open(); // the status lives in the panel
        showStatus('Search could not load. Reload the page to try again.');
      });
      return loading;
    }

    /* The text of a result as indexed: the paragraph, or a note's body, minus markers. */
    function textOf(ref) {
      if (!(ref in textCache)) {
        var el = sourceElement(ref);
        textCache[ref] = el ? marks.textNodes(el).map(function (n) { return n.data; }).join('') : '';
      }
      return textCache[ref];
    }
    function titleOf(ref) {
      var el = document.getElementById(ref);
      var title = el && el.querySelector('.note-title');
      return title ? title.textContent : '';
    }
    function sourceElement(ref) {
      var el = document.getElementById(ref);
      if (el && el.classList.contains('note')) return el.querySelector('.note-body');
      return el;
    }
    /* ---- Running a query ---- */
    function run() {
      var query = input.value;
      syncAddress(query);
      if (!query.trim()) { results = []; shown = null; list.textContent = ''; close(); showStatus(''); if (marks) marks.clearHits(); return; }
      if (!engine) { load().then(run, function () { /* the status says so */ }); return; }
      var found = engine.search(query, { prefix: true, limit: Infinity });
      results = found.results;
      render(query, found);
    }

    function render(query, found) {
      choose(-1);
      list.textContent = '';
      shown = query;
      results.forEach(function (result, i) {
        var item = document.createElement('li');
        item.id = 'search-result-' + i;
        item.setAttribute('role', 'option');
        item.setAttribute('aria-selected', 'false');
        item.appendChild(resultLabel(result));
        var snippet = document.createElement('span');
        snippet.className = 'result-snippet';
        var bodyRun = result.run && result.run.field === 'body' ? result.run : null;
        appendSegments(snippet, window.ReaderQuery.snippet(textOf(result.ref), bodyHits(result), bodyRun, 25));
        item.appendChild(snippet);
        item.addEventListener('mousedown', function (event) { event.preventDefault(); });
        item.addEventListener('click', function () { openResult(i); });
        list.appendChild(item);
      });
      open(); // before the status changes, so the live region is shown when it does
      var quoted = '\u201c' + query.trim() + '\u201d';
      var count = results.length === 1 ? '1 result' : results.length + ' results';
      if (!results.length) showStatus('No results for ' + quoted + '.');
      else if (found.tier === 'typo') showStatus('No exact matches; showing close spellings. ' + count + ' for ' + quoted + '.');
      else if (found.tier === 'partial') showStatus('No result has every word; showing those with most. ' + count + ' for ' + quoted + '.');
      else showStatus(count + ' for ' + quoted + '.');
    }

    /* Segments ({text, mark}, as ReaderQuery.snippet gives them) as text nodes and <mark>s. */
    function appendSegments(parent, segments) {
      segments.forEach(function (segment) {
        var node = document.createElement('mark');
        node.textContent = segment.text;
        parent.appendChild(segment.mark ? node : document.createTextNode(segment.text));
      });
    }

    function bodyHits(result) {
      return result.hits.filter(function (hit) { return hit.field === 'body'; });
    }

    function resultLabel(result) {
      var label = document.createElement('span');
      label.className = 'result-label';
      var el = document.getElementById(result.ref);
      if (el && el.classList.contains('note')) {
        var number = el.querySelector('.note-number').textContent;
        var kind = el.querySelector('.note-kind').textContent;
        var title = el.querySelector('.note-title').textContent;
        label.textContent = 'Note ' + number + ' \u00b7 ' + kind + ' \u00b7 ';
        var titleHits = result.hits.filter(function (hit) { return hit.field === 'title'; });
        appendSegments(label, window.ReaderQuery.snippet(title, titleHits, null, Infinity));
      } else {
        label.textContent = 'Paragraph ' + result.ref.replace('p-', '');
      }
      return label;
    }

    /* ---- Opening a result: go there, open the note, mark the words ---- */
    function openResult(i) {
      var result = results[i];
      if (!result) return;
      close();
      var target = document.getElementById(result.ref);
      if (!target) return;
      marks.clearHits();
      if (target.classList.contains('note') && window.ReaderNotes) window.ReaderNotes.open(result.ref);
      marks.markHits(sourceElement(result.ref), bodyHits(result));
      if (window.location.hash === '#' + result.ref) {
        target.scrollIntoView({ block: 'center' });
      } else {
        window.location.hash = result.ref;
      }
      target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    }

    /* ---- The panel and the keyboard ---- */
    function open() { panel.hidden = false; input.setAttribute('aria-expanded', 'true'); }
    function close() {
      panel.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      choose(-1);
    }
    /* Make result i the chosen one (-1: none), for sight (aria-selected) and for screen readers. */
    function choose(i) {
      var items = list.children;
      if (items[active]) items[active].setAttribute('aria-selected', 'false');
      active = items[i] ? i : -1;
      if (active < 0) return input.removeAttribute('aria-activedescendant');
      items[i].setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({ block: 'nearest' });
    }
    function showStatus(text) { status.textContent = summary.textContent = text; }

    /* Down from no choice goes to the first result, Up to the last; both wrap around. */
    function move(step) {
      if (!results.length) return;
      if (panel.hidden) open();
      var n = results.length;
      choose(active < 0 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
    }

    input.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown') { event.preventDefault(); move(1); }
      else if (event.key === 'ArrowUp') { event.preventDefault(); move(-1); }
      else if (event.key === 'Enter') {
        event.preventDefault();
        window.clearTimeout(timer);
        if (!engine) { load().then(function () { run(); openResult(0); }, function () {}); return; }
        // Keys typed since the last render (inside the debounce) count: search for them first.
        if (input.value.trim() && input.value !== shown) run();
        openResult(active >= 0 ? active : 0);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation(); // used up here: not also for the note focus may return to
        window.clearTimeout(timer);
        input.value = '';
        run(); // clears the list, the status and ?q=
        // Back to where "/" was pressed; from anywhere else (or the page itself), out of the box.
        if (returnFocus) returnFocus.focus();
        returnFocus = null;
        if (document.activeElement === input) input.blur();
      }
    });
    input.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, DEBOUNCE_MS);
    });
    input.addEventListener('focus', function () {
      load();
      if (results.length && input.value.trim()) open();
    });
    form.addEventListener('submit', function (event) { event.preventDefault(); });
    document.addEventListener('click', function (event) {
      if (!form.contains(event.target)) close();
    });
    /* Tabbing (or otherwise moving focus) out of the search closes the list. */
    form.addEventListener('focusout', function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) close();
    });

    /* "/" focuses the search box from anywhere, except while typing elsewhere. */
    document.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      var el = document.activeElement;
      var typing = el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
      if (typing) return;
      event.preventDefault();
      returnFocus = el;
      input.focus();
      input.select();
    });

    /* ---- The address keeps ?q= so a search can be shared ---- */
    function syncAddress(query) {
      var url = new URL(window.location.href);
      if (query.trim()) url.searchParams.set('q', query);
      else url.searchParams.delete('q');
      if (url.href !== window.location.href) {
        try { window.history.replaceState(window.history.state, '', url.href); } catch (e) { /* file:// in some browsers */ }
      }
    }

    var initial = new URL(window.location.href).searchParams.get('q');
    if (initial) {
      input.value = initial;
      load().then(function () {
        run();
        // ?q=...#ref is a shared result: mark its words and keep the list out of the way.
        var ref = decodeURIComponent(window.location.hash.slice(1));
        var opened = results.filter(function (result) { return result.ref === ref; })[0];
        if (!opened) return input.focus({ preventScroll: true });
        close();
        marks.markHits(sourceElement(ref), bodyHits(opened));
      });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
