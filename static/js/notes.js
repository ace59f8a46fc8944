/* Margin notes: place them beside their anchors on wide screens, open them in place on
   narrow ones, link anchor and note both ways, and remember whether notes are shown.
   Loaded in <head> without defer so the "js" class is set before the first paint. */
(function () {
  'use strict';
  var root = document.documentElement;
  var STORE_KEY = 'reader:notes-hidden';
  var WIDE = window.matchMedia('screen and (min-width: 60rem)'); // as in site.css
  var GAP = 12; // px between stacked margin notes

  root.classList.add('js');
  if (readHidden()) root.classList.add('notes-off');

  function readHidden() {
    try { return window.localStorage.getItem(STORE_KEY) === '1'; } catch (e) { return false; }
  }
  function storeHidden(hidden) {
    try { window.localStorage.setItem(STORE_KEY, hidden ? '1' : '0'); } catch (e) { /* private mode: not remembered */ }
  }
  function notesOff() { return root.classList.contains('notes-off'); }

  function start() {
    var body = document.getElementById('article-body');
    var main = document.getElementById('main');
    if (!body || !main) return;
    var notes = Array.prototype.slice.call(body.querySelectorAll('aside.note'));
    var pairs = notes.map(function (note) {
      return { note: note, anchor: document.getElementById('ref-' + note.id.slice(5)) }; // note-x pairs with ref-x
    }).filter(function (pair) { return pair.anchor; });
    var byNote = {};
    pairs.forEach(function (pair) { byNote[pair.note.id] = pair; });

    /* ---- Wide screens: notes level with their anchors, pushed down only by the note above.
       A note's box keeps its shortened height when it opens (it opens over the notes below),
       so opening, hovering or focusing one never moves the others. ---- */
    var scheduled = false;
    function layout() {
      scheduled = false;
      var wide = WIDE.matches && !notesOff();
      var bodyTop = body.getBoundingClientRect().top;
      var bottom = -Infinity;
      pairs.forEach(function (pair) {
        pair.note.classList.toggle('is-placed', wide);
        if (!wide) { pair.note.style.top = ''; return; }
        var anchorTop = pair.anchor.getBoundingClientRect().top - bodyTop;
        var top = Math.max(Math.round(anchorTop), bottom + GAP);
        pair.note.style.top = top + 'px';
        bottom = top + pair.note.offsetHeight;
      });
      body.style.minHeight = wide && pairs.length ? Math.ceil(bottom) + 'px' : '';
    }
    function scheduleLayout() {
      if (scheduled) return;
      scheduled = true;
      window.requestAnimationFrame(layout);
    }

    /* ---- Opening: under its paragraph on phones (several may be open); over the margin on
       wide screens, one at a time, closed by a second click, a click elsewhere or Esc ---- */
    function isOpen(pair) { return pair.note.classList.contains('is-open'); }
    function setOpen(pair, open) {
      if (open && WIDE.matches) pairs.forEach(function (p) { if (p !== pair && isOpen(p)) setOpen(p, false); });
      pair.note.classList.toggle('is-open', open);
      syncAnchor(pair);
    }
    /* An anchor is a link to its note and, on phones, the button that shows it; with notes
       hidden it is plain text (no link, not in the tab order). */
    function syncAnchor(pair) {
      var anchor = pair.anchor;
      if (notesOff()) {
        ['href', 'aria-controls', 'aria-expanded'].forEach(function (name) { anchor.removeAttribute(name); });
        return;
      }
      anchor.setAttribute('href', '#' + pair.note.id);
      anchor.setAttribute('aria-controls', pair.note.id);
      if (WIDE.matches) anchor.removeAttribute('aria-expanded');
      else anchor.setAttribute('aria-expanded', isOpen(pair) ? 'true' : 'false');
    }
    /* Scroll only when the note (its shortened box, on wide screens) is not already in view. */
    function reveal(pair) {
      var box = pair.note.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) pair.note.scrollIntoView({ block: 'nearest' });
    }

    /* Active = hovered or focused (anchor or note): marked, and on wide screens shown whole. */
    function highlight(pair, on) {
      window.clearTimeout(pair.timer);
      if (on) return setActive(pair, true);
      pair.timer = window.setTimeout(function () { setActive(pair, false); }, 150);
    }
    function setActive(pair, on) {
      pair.note.classList.toggle('is-active', on);
      pair.anchor.classList.toggle('is-active', on);
    }

    pairs.forEach(function (pair) {
      pair.anchor.addEventListener('click', function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // a new tab or window: let it be
        event.preventDefault(); // open it here: following the link would scroll the words away
        if (notesOff()) return;
        setOpen(pair, !isOpen(pair));
        if (isOpen(pair)) reveal(pair);
        else setActive(pair, false); // closed on purpose: also on touch, where no pointer leaves
      });
      pair.note.addEventListener('click', function () {
        if (WIDE.matches && !isOpen(pair)) setOpen(pair, true); // a click on a shortened margin note keeps it open
      });
      [pair.anchor, pair.note].forEach(function (el) {
        el.addEventListener('mouseenter', function () { highlight(pair, true); });
        el.addEventListener('mouseleave', function () { highlight(pair, false); });
        el.addEventListener('focusin', function () { highlight(pair, true); });
        el.addEventListener('focusout', function () { highlight(pair, false); });
      });
    });

    /* A click elsewhere in the article closes an open margin note (not one in the toolbar:
       opening a search result opens its note). */
    document.addEventListener('click', function (event) {
      if (!WIDE.matches || !main.contains(event.target)) return; // on phones an open note stays until tapped closed
      pairs.forEach(function (pair) {
        if (isOpen(pair) && !pair.note.contains(event.target) && !pair.anchor.contains(event.target)) setOpen(pair, false);
      });
    });

    /* Esc closes the note focus is in (on wide screens, any open or shown note) and returns
       focus to its words. */
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      var focused = document.activeElement;
      pairs.forEach(function (pair) {
        var inside = pair.anchor === focused || pair.note.contains(focused);
        if (!inside && !WIDE.matches) return;
        if (isOpen(pair)) setOpen(pair, false);
        if (WIDE.matches) setActive(pair, false);
        if (pair.note.contains(focused)) pair.anchor.focus();
      });
    });

    /* ---- Deep links: #note-id opens, shows and marks the note with its anchor ---- */
    function showNote(pair) {
      if (notesOff()) setNotesHidden(false, false); // shown for this visit; the saved choice stays
      setOpen(pair, true);
      layout();
    }
    function followHash() {
      var pair = byNote[decodeURIComponent(window.location.hash.slice(1))];
      if (!pair) return;
      showNote(pair);
      pairs.forEach(function (p) { if (p !== pair && !WIDE.matches) setOpen(p, false); setActive(p, p === pair); });
      pair.note.scrollIntoView({ block: WIDE.matches ? 'center' : 'nearest' });
    }

    /* ---- The switch in the toolbar: show or hide every note, remembered. Its label stays
       "Notes"; aria-pressed (and the dot) say whether they are shown. ---- */
    var toggle = document.getElementById('notes-toggle');
    function setNotesHidden(hidden, remember) {
      root.classList.toggle('notes-off', hidden);
      if (remember !== false) storeHidden(hidden);
      if (toggle) toggle.setAttribute('aria-pressed', hidden ? 'false' : 'true');
      pairs.forEach(syncAnchor);
      scheduleLayout();
    }
    if (toggle && pairs.length) {
      toggle.hidden = false;
      toggle.addEventListener('click', function () { setNotesHidden(!notesOff()); });
    }

    setNotesHidden(notesOff(), false);
    layout();
    WIDE.addEventListener('change', function () { pairs.forEach(syncAnchor); scheduleLayout(); });
    window.addEventListener('resize', scheduleLayout);
    window.addEventListener('hashchange', followHash);
    if (window.ResizeObserver) new window.ResizeObserver(scheduleLayout).observe(body);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(scheduleLayout);
    window.addEventListener('load', scheduleLayout);
    followHash();

    window.ReaderNotes = { open: function (id) { if (byNote[id]) showNote(byNote[id]); }, layout: layout };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
