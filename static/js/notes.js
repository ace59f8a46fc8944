/* Margin notes: place them beside their anchors on wide screens, open them in place on
   narrow ones, link anchor and note both ways, and remember whether notes are shown.
   Loaded in <head> without defer so the "js" class is set before the first paint. */
(function () {
  'use strict';
  var root = document.documentElement;
  var STORE_KEY = 'reader:notes-hidden';
  var WIDE = window.matchMedia('(min-width: 1100px)');
  var GAP = 12; // px between stacked margin notes

  root.classList.add('js');
  if (readHidden()) root.classList.add('notes-off');

  function readHidden() {
    try { return window.localStorage.getItem(STORE_KEY) === '1'; } catch (e) { return false; }
  }
  function storeHidden(hidden) {
    try { window.localStorage.setItem(STORE_KEY, hidden ? '1' : '0'); } catch (e) { /* private mode: not remembered */ }
  }

  function start() {
    var body = document.getElementById('article-body');
    if (!body) return;
    var notes = Array.prototype.slice.call(body.querySelectorAll('aside.note'));
    var pairs = notes.map(function (note) {
      return { note: note, anchor: document.getElementById('ref-' + note.id.slice(5)) }; // note-x pairs with ref-x
    }).filter(function (pair) { return pair.anchor; });
    var byNote = {};
    pairs.forEach(function (pair) { byNote[pair.note.id] = pair; });

    /* ---- Wide screens: notes level with their anchors, pushed down only by the note above ---- */
    var scheduled = false;
    function layout() {
      scheduled = false;
      var wide = WIDE.matches && !root.classList.contains('notes-off');
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

    /* ---- Narrow screens: anchors open and close their note in place ---- */
    function setOpen(pair, open) {
      pair.note.classList.toggle('is-open', open);
      if (WIDE.matches) pair.anchor.removeAttribute('aria-expanded');
      else pair.anchor.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
    function syncDisclosure() {
      pairs.forEach(function (pair) {
        pair.anchor.setAttribute('aria-controls', pair.note.id);
        setOpen(pair, pair.note.classList.contains('is-open'));
      });
    }

    /* Active = hovered or focused (anchor or note). On wide screens a margin note shows its
       first lines until it is active or open; the notes below move to make room. */
    function highlight(pair, on) {
      window.clearTimeout(pair.timer);
      if (on) return setActive(pair, true);
      pair.timer = window.setTimeout(function () { setActive(pair, false); }, 150);
    }
    function setActive(pair, on) {
      if (pair.note.classList.contains('is-active') === on) return;
      pair.note.classList.toggle('is-active', on);
      pair.anchor.classList.toggle('is-active', on);
      if (WIDE.matches) layout();
    }

    pairs.forEach(function (pair) {
      pair.anchor.addEventListener('click', function (event) {
        if (root.classList.contains('notes-off')) { event.preventDefault(); return; }
        if (WIDE.matches) return; // a link to the note beside it: #note-id opens it (followHash)
        event.preventDefault();
        setOpen(pair, !pair.note.classList.contains('is-open'));
      });
      pair.note.addEventListener('click', function () {
        if (!WIDE.matches || pair.note.classList.contains('is-open')) return;
        setOpen(pair, true); // a tap on a shortened margin note shows all of it
        layout();
      });
      [pair.anchor, pair.note].forEach(function (el) {
        el.addEventListener('mouseenter', function () { highlight(pair, true); });
        el.addEventListener('mouseleave', function () { highlight(pair, false); });
        el.addEventListener('focusin', function () { highlight(pair, true); });
        el.addEventListener('focusout', function () { highlight(pair, false); });
      });
    });

    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' || WIDE.matches) return;
      var active = document.activeElement;
      var pair = pairs.filter(function (p) {
        return p.anchor === active || p.note.contains(active);
      })[0];
      if (pair && pair.note.classList.contains('is-open')) {
        setOpen(pair, false);
        pair.anchor.focus();
      }
    });

    /* ---- Deep links: #note-id opens, shows and marks the note with its anchor ---- */
    function followHash() {
      var pair = byNote[decodeURIComponent(window.location.hash.slice(1))];
      if (!pair) return;
      if (root.classList.contains('notes-off')) setNotesHidden(false);
      setOpen(pair, true);
      layout();
      pairs.forEach(function (p) { if (p !== pair) setOpen(p, false); setActive(p, p === pair); });
      pair.note.scrollIntoView({ block: WIDE.matches ? 'center' : 'nearest' });
    }

    /* ---- The switch in the toolbar: show or hide every note, remembered ---- */
    var toggle = document.getElementById('notes-toggle');
    function setNotesHidden(hidden) {
      root.classList.toggle('notes-off', hidden);
      storeHidden(hidden);
      if (toggle) {
        toggle.setAttribute('aria-pressed', hidden ? 'false' : 'true');
        toggle.textContent = hidden ? 'Show notes' : 'Hide notes';
      }
      scheduleLayout();
    }
    if (toggle && pairs.length) {
      toggle.hidden = false;
      setNotesHidden(root.classList.contains('notes-off'));
      toggle.addEventListener('click', function () {
        setNotesHidden(!root.classList.contains('notes-off'));
      });
    }

    syncDisclosure();
    layout();
    WIDE.addEventListener('change', function () { syncDisclosure(); scheduleLayout(); });
    window.addEventListener('resize', scheduleLayout);
    window.addEventListener('hashchange', followHash);
    if (window.ResizeObserver) new window.ResizeObserver(scheduleLayout).observe(body);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(scheduleLayout);
    window.addEventListener('load', scheduleLayout);
    followHash();

    window.ReaderNotes = { open: function (id) {
      var pair = byNote[id];
      if (!pair) return;
      if (root.classList.contains('notes-off')) setNotesHidden(false);
      setOpen(pair, true);
      layout();
    }, layout: layout };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
