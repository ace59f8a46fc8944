/* A reader's own highlights and notes, beside the editor's (issue 14). Kept in this browser's
   localStorage as W3C Web Annotations (TextQuoteSelector + TextPositionSelector on the article's
   text, body.textContent as in quote.js), keyed by the article's identity (its original address),
   never sent anywhere. Each shows like an editor's note: its words marked in the text
   (mark.anchor.reader-anchor, the first piece ref-rn-…, every piece data-ref), its card in #notes
   (section.note.reader-note#note-rn-…), placed by reader.js (rescanNotes) and opened by
   interact.js. Also: the "Your notes" panel, export (JSON-LD, Markdown), import, and one note
   shared by a link (#rn=…, the note in the fragment, deflated when the browser can).
   Loaded with the quote tools, or at once when notes are kept; reader.js calls start(). */
(function (global) {
  'use strict';
  var doc = global.document;
  var MAX_TEXT = 2000, MAX_QUOTE = 5000, MAX_CONTEXT = 200, MAX_FILE = 1 << 20, MAX_ITEMS = 2000, MAX_LINK = 16000;
  var CONTEXT = 32, LEAD = 160;
  var MARKER = 'reader:my-notes', HIDDEN = MARKER + '-hidden';  // MARKER: some article here has notes (reader.js asks)
  var ANNO = 'http://www.w3.org/ns/anno.jsonld';
  // Refused in any imported, kept or shared-and-kept text (a note is shown as text, but files travel).
  var UNSAFE = /<\s*\/?\s*script|j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:|vbscript\s*:|data\s*:\s*text\/html/i;

  var rn = { core: null, body: null, key: '', source: '', title: '', base: '', list: [], shared: null, hidden: false,
    storage: '', panel: null, observer: null, blocks: null };
  var api = { start: start, add: add, toggle: togglePanel, list: function () { return rn.list; }, render: render };

  function t(key, values) { return rn.core.t(key, values); }
  function make(tag, className, text) {
    var el = doc.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }
  function button(action, label, extra) {
    var el = make('button', extra, label);
    el.type = 'button';
    el.setAttribute('data-rn', action);
    return el;
  }
  function excerpt(text, words) {
    var all = text.split(/\s+/);
    return all.slice(0, words).join(' ') + (all.length > words ? '\u2026' : '');
  }

  /* ---- Storage: one key per article, W3C annotations; every failure said, nothing dropped ---- */

  function storage() { return global.localStorage; } // may throw (storage disabled)

  function read(key) {
    try { return storage().getItem(key); } catch (e) { rn.storage = 'off'; return null; }
  }

  function load() {
    var raw = read(rn.key), parsed = raw ? parse(raw, true) : { items: [] };
    if (parsed.error) {
      try { storage().setItem(rn.key + ':unreadable', raw); } catch (e) { /* said below; the raw copy stays in place */ }
      notice(t('rn_unreadable'));
      parsed.items = [];
    }
    rn.list = parsed.items;
  }

  /** Keep the list; say so once when the browser would not (private mode, storage off or full). */
  function save() {
    var items = rn.list.map(toAnnotation);
    try {
      var store = storage();
      if (items.length) {
        store.setItem(rn.key, JSON.stringify(collection(items)));
        store.setItem(MARKER, '1');
      } else {
        store.removeItem(rn.key);
        if (!Object.keys(store).some(function (k) { return k.indexOf(MARKER + ':') === 0 && !/:unreadable$/.test(k); })) store.removeItem(MARKER);
      }
      rn.storage = '';
      return true;
    } catch (e) {
      var full = e && (e.name === 'QuotaExceededError' || e.code === 22);
      rn.storage = full ? 'full' : 'off';
      notice(t(full ? 'rn_full' : 'rn_no_storage'));
      return false;
    }
  }

  /** A one-line message at the top of the page (and said by screen readers), and in the panel. */
  function notice(text) {
    var line = doc.getElementById('rn-notice'), main = doc.getElementById('main');
    if (!line && main) {
      line = make('p', 'notice rn-notice');
      line.id = 'rn-notice';
      line.setAttribute('role', 'status');
      main.insertBefore(line, main.firstChild);
    }
    if (line) line.textContent = text;
    if (rn.core.toast) rn.core.toast(text);
  }

  /* ---- W3C Web Annotations in and out ---- */

  function toAnnotation(n) {
    var a = { id: n.id, type: 'Annotation', motivation: n.text ? 'commenting' : 'highlighting', created: n.created, modified: n.modified,
      target: { source: rn.source, selector: [{ type: 'TextQuoteSelector', exact: n.exact, prefix: n.prefix, suffix: n.suffix },
        { type: 'TextPositionSelector', start: n.start, end: n.end }] } };
    if (n.text) a.body = [{ type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: n.text }];
    return a;
  }

  function collection(items, id) {
    var c = { '@context': ANNO, type: 'AnnotationCollection', label: t('rn_label', { title: rn.title }), total: items.length,
      first: { type: 'AnnotationPage', startIndex: 0, items: items } };
    if (id) { c.id = id; c.first.id = id + '#page-1'; }
    return c;
  }

  /** Notes from JSON-LD text (a collection, a page, an array or one annotation): {items} or {error}.
      The whole text is checked before any of it is used; one bad note refuses all. own: the list this page kept
      (its shape is checked, not its size, its words or its target: an article may well quote "javascript:"). */
  function parse(text, own) {
    if (!own && text.length > MAX_FILE) return { error: 'rn_why_big' };
    var data;
    try { data = JSON.parse(text); } catch (e) { return { error: 'rn_why_json' }; }
    var bad = own ? '' : unsafe(data, 0);
    if (bad) return { error: bad };
    var items = !data || typeof data !== 'object' ? null : Array.isArray(data) ? data
      : data.type === 'AnnotationCollection' ? data.first && data.first.items
        : data.type === 'AnnotationPage' ? data.items : data.type === 'Annotation' ? [data] : null;
    if (!Array.isArray(items)) return { error: 'rn_why_shape' };
    if (!own && items.length > MAX_ITEMS) return { error: 'rn_why_many' };
    var notes = [];
    for (var i = 0; i < items.length; i++) {
      var n = fromAnnotation(items[i], own);
      if (typeof n === 'string') return { error: n };
      notes.push(n);
    }
    return { items: notes };
  }

  /** The error key for script or a javascript: address anywhere (keys too), or for absurd nesting. */
  function unsafe(value, depth) {
    if (depth > 12) return 'rn_why_shape';
    if (typeof value === 'string') return UNSAFE.test(value) ? 'rn_why_unsafe' : '';
    if (!value || typeof value !== 'object') return '';
    var keys = Object.keys(value);
    for (var i = 0; i < keys.length; i++) {
      var bad = UNSAFE.test(keys[i]) ? 'rn_why_unsafe' : unsafe(value[keys[i]], depth + 1);
      if (bad) return bad;
    }
    return '';
  }

  function isText(value, min, max) { return typeof value === 'string' && value.length >= min && value.length <= max; }
  function isDate(value) { return typeof value === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:?\d\d)$/.test(value) && !isNaN(Date.parse(value)); }
  function ofType(list, type) { return list.filter(function (s) { return s && s.type === type; })[0]; }

  /** One annotation as a note record, or the error key saying why not. */
  function fromAnnotation(a, own) {
    if (!a || typeof a !== 'object' || a.type !== 'Annotation') return 'rn_why_shape';
    var target = [].concat(a.target)[0];
    if (!target || typeof target !== 'object') return 'rn_why_shape';
    if (!own && target.source !== rn.source && target.source !== rn.base) return 'rn_why_other';
    var selectors = [].concat(target.selector || []), quote = ofType(selectors, 'TextQuoteSelector'), at = ofType(selectors, 'TextPositionSelector');
    if (!quote || !isText(quote.exact, 1, MAX_QUOTE) || !isText(quote.prefix || '', 0, MAX_CONTEXT) || !isText(quote.suffix || '', 0, MAX_CONTEXT)) return 'rn_why_shape';
    var text = '', bodies = [].concat(a.body || []);
    for (var i = 0; i < bodies.length; i++) {
      var b = bodies[i];
      if (!b || b.type !== 'TextualBody' || (b.purpose && b.purpose !== 'commenting')) continue;
      if (typeof b.value !== 'string' || (b.format && !/^text\/(plain|markdown)$/.test(b.format))) return 'rn_why_shape';
      if (b.value.length > MAX_TEXT) return 'rn_why_long';
      text = b.value.trim();
      break;
    }
    if (a.id != null && !isText(a.id, 1, 200)) return 'rn_why_shape';
    var now = new Date().toISOString(), created = isDate(a.created) ? a.created : now;
    var placed = at && at.start >= 0 && at.end > at.start && at.end - at.start === quote.exact.length;
    return record(a.id || newId(), quote.exact, quote.prefix || '', quote.suffix || '', placed ? at.start : -1, text, created,
      isDate(a.modified) ? a.modified : created);
  }

  function record(id, exact, prefix, suffix, start, text, created, modified) {
    return { id: id, dom: domId(id), exact: exact, prefix: prefix, suffix: suffix, start: start, end: start < 0 ? -1 : start + exact.length,
      text: text, created: created, modified: modified, spot: null, marks: [], card: null };
  }

  function newId() {
    var b = global.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return 'urn:uuid:' + [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
  }

  /** An element id for a note: its UUID's first 12 digits, or a hash of another tool's id. */
  function domId(id) {
    var m = /^urn:uuid:([0-9a-f]{8})-([0-9a-f]{4})/i.exec(id), h = 2166136261;
    if (m) return 'rn-' + (m[1] + m[2]).toLowerCase();
    for (var i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
    return 'rn-' + (h >>> 0).toString(16);
  }

  /* ---- Anchoring: the exact words with their context, or the only place they occur; else detached ---- */

  function locate(n, text) {
    var s = n.start;
    if (s >= 0 && text.slice(s, n.end) === n.exact && text.slice(Math.max(0, s - n.prefix.length), s) === n.prefix
        && text.slice(n.end, n.end + n.suffix.length) === n.suffix) return { start: s, end: n.end };
    return global.ReaderQuote.locate(text, n, true);
  }

  /** The text offsets of each block (paragraph, heading, item, caption): marks never span the gaps between them. */
  function blocks() {
    var list = [], walker = doc.createTreeWalker(rn.body, global.NodeFilter.SHOW_TEXT), at = 0, last = null;
    while (walker.nextNode()) {
      var node = walker.currentNode, para = node.parentNode.closest('.para'), len = node.data.length;
      if (para && last && last.el === para) last.end = at + len;
      else if (para) list.push(last = { el: para, start: at, end: at + len });
      at += len;
    }
    return list;
  }

  /** Mark [start, end) of the article's text, block by block (each marked within its block: no walk of the whole text). */
  function markSpot(spot, className) {
    var made = [];
    rn.blocks.forEach(function (b) {
      var start = Math.max(spot.start, b.start), end = Math.min(spot.end, b.end);
      if (end > start && rn.text.slice(start, end).trim()) {
        made = made.concat(global.ReaderMarks.markRanges(b.el, [{ start: start - b.start, end: end - b.start }], className));
      }
    });
    return made;
  }

  /** Mark a note's words and make its card; false when its words are not in the article. */
  function place(n, shared) {
    var spot = locate(n, rn.text);
    n.spot = spot;
    if (!spot) return false;
    var marks = markSpot(spot, 'anchor reader-anchor' + (n.text || shared ? ' rn-noted' : ''));
    if (!marks.length) { n.spot = null; return false; }
    marks.forEach(function (mark) {
      mark.setAttribute('data-ref', 'ref-' + n.dom);
      mark.setAttribute('data-role', 'button');
    });
    marks[0].id = 'ref-' + n.dom;
    marks[marks.length - 1].classList.add('rn-end');
    if (marks.length > 1) rn.observer.observe(marks[0], { attributes: true, attributeFilter: ['class'] });
    n.marks = marks;
    n.card = card(n, shared);
    var after = null; // the card of the next note in the text: cards stand in text order (keys, print)
    rn.list.forEach(function (o) {
      if (o.card && o !== n && o.spot.start > spot.start && (!after || o.spot.start < after.spot.start)) after = o;
    });
    notesSection().insertBefore(n.card, after ? after.card : null);
    return true;
  }

  /** Take a note's marks and card away; the text nodes they split are joined again (each parent once, when given a list). */
  function unplace(n, parents) {
    var own = !parents;
    parents = parents || [];
    n.marks.forEach(function (mark) {
      var parent = mark.parentNode;
      if (!parent) return;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      if (parents.indexOf(parent) < 0) parents.push(parent);
    });
    if (own) parents.forEach(function (parent) { parent.normalize(); });
    if (n.card) n.card.remove();
    n.marks = [];
    n.card = null;
  }

  /** A mark in pieces (across a link or an editor's words) lights up as one. */
  function mirror(records) {
    records.forEach(function (r) {
      var first = r.target, n = rn.list.concat(rn.shared || []).filter(function (o) { return o.marks[0] === first; })[0];
      if (n) n.marks.forEach(function (m) { m.classList.toggle('is-active', first.classList.contains('is-active')); });
    });
  }

  function notesSection() {
    var section = doc.getElementById('notes');
    if (!section) { // an article without editor's notes
      section = make('section', 'notes');
      section.id = 'notes';
      section.setAttribute('aria-label', t('rn_panel'));
      doc.getElementById('story-main').appendChild(section);
    }
    return section;
  }

  function byText(a, b) { return (a.spot ? a.spot.start : Infinity) - (b.spot ? b.spot.start : Infinity) || (a.created < b.created ? -1 : 1); }

  /** Place every kept note (unless hidden), then let reader.js pair and lay them out again. */
  function render() {
    var all = rn.list.concat(rn.shared || []), had = all.some(function (n) { return n.card; }), seen = Object.create(null), parents = [];
    all.forEach(function (n) { unplace(n, parents); });
    parents.forEach(function (parent) { if (parent.isConnected) parent.normalize(); });
    rn.text = rn.body.textContent;
    rn.blocks = blocks();
    rn.list.forEach(function (n) {
      while (seen[n.dom]) n.dom += 'x';
      seen[n.dom] = true;
      if (rn.hidden) n.spot = locate(n, rn.text);
      else place(n, false);
    });
    if (rn.shared) place(rn.shared, true);
    rn.list.sort(byText);
    if (had || all.some(function (n) { return n.card; })) rn.core.rescanNotes();
    fillPanel();
  }

  function rescan() {
    rn.core.rescanNotes();
    fillPanel();
  }

  /* ---- The card: like an editor's note, labelled as the reader's ---- */

  function card(n, shared) {
    var el = make('section', 'note reader-note' + (shared ? ' rn-shared' : n.text ? '' : ' rn-highlight'));
    var label = t(shared ? 'rn_shared' : n.text ? 'rn_your_note' : 'rn_your_highlight'), title = make('h3', 'note-title', label);
    el.id = 'note-' + n.dom;
    el.setAttribute('aria-label', label + ' ' + t('rn_on', { words: excerpt(n.exact, 8) })); // one name per note region
    title.id = el.id + '-title'; // what its words are described by (reader.js)
    el.appendChild(title);
    el.appendChild(make('div', 'note-body'));
    el.appendChild(make('p', 'rn-actions')); // not a part reader.js hides and shows at each layout: CSS shows it when wanted
    fill(n, el, shared ? 'shared' : '');
    return el;
  }

  /** The card's text and buttons for a state: '' (shown), 'edit', 'confirm' (delete?) or 'shared'. */
  function fill(n, el, state) {
    var body = el.querySelector('.note-body'), actions = el.querySelector('.rn-actions');
    body.textContent = actions.textContent = '';
    el.classList.toggle('rn-editing', state === 'edit');
    if (state === 'edit') return editor(n, body, actions);
    if (n.text) {
      var cut = n.text.length > LEAD ? leadEnd(n.text) : n.text.length, lead = make('p', 'note-lead rn-text', n.text.slice(0, cut));
      body.appendChild(lead);
      if (cut < n.text.length) {
        var rest = make('div', 'note-rest note-joined');
        rest.appendChild(make('p', 'note-cont rn-text', n.text.slice(cut)));
        body.appendChild(rest);
      }
    }
    if (state === 'shared') body.appendChild(make('p', 'rn-hint', t('rn_shared_hint')));
    if (state === 'confirm') actions.appendChild(make('span', 'rn-ask', t('rn_really') + ' '));
    var buttons = state === 'shared' ? [['keep', 'rn_keep'], ['dismiss', 'rn_dismiss']]
      : state === 'confirm' ? [['really', 'rn_delete'], ['cancel-delete', 'rn_cancel']]
        : [['edit', n.text ? 'rn_edit' : 'rn_write'], ['link', 'rn_copy_link'], ['delete', 'rn_delete']];
    buttons.forEach(function (b) { actions.appendChild(button(b[0], t(b[1]))); actions.appendChild(doc.createTextNode(' ')); });
  }

  /** Where a long note's first part ends: its first sentence if short enough, else a word break. */
  function leadEnd(text) {
    var sentence = /^[\s\S]*?[.!?\u2026](?=\s)/.exec(text.slice(0, LEAD));
    if (sentence && sentence[0].length > 40) return sentence[0].length;
    var space = text.lastIndexOf(' ', LEAD);
    return space > 40 ? space : LEAD;
  }

  function editor(n, body, actions) {
    var area = make('textarea', 'rn-input'), hint = make('p', 'rn-hint', t('rn_text_hint'));
    area.id = n.card.id + '-text';
    area.maxLength = MAX_TEXT;
    area.rows = 4;
    area.value = n.text;
    area.setAttribute('aria-labelledby', n.card.id + '-title');
    hint.id = n.card.id + '-hint';
    area.setAttribute('aria-describedby', hint.id);
    body.appendChild(area);
    body.appendChild(hint);
    actions.appendChild(button('save', t('rn_save')));
    actions.appendChild(doc.createTextNode(' '));
    actions.appendChild(button('cancel', t('rn_cancel')));
  }

  function findNote(el) {
    var section = el.closest('.reader-note');
    return section && rn.list.concat(rn.shared || []).filter(function (n) { return n.card === section; })[0];
  }

  /* ---- Making, opening, editing and deleting ---- */

  /** From the quote tools: a highlight on the selected words, or a note (then its text is asked for). */
  function add(selector, spot, withNote) {
    var selection = global.getSelection();
    if (selection) selection.removeAllRanges();
    if (!spot || selector.exact.length > MAX_QUOTE) return rn.core.toast(t('rn_quote_long'));
    var same = rn.list.filter(function (o) { return o.spot && o.spot.start === spot.start && o.spot.end === spot.end; })[0];
    if (same) return withNote ? edit(same) : open(same, true);
    var now = new Date().toISOString(), n = record(newId(), selector.exact, selector.prefix, selector.suffix, spot.start, '', now, now);
    while (rn.list.some(function (o) { return o.dom === n.dom; })) n.dom += 'x';
    n.fresh = withNote;
    rn.list.push(n);
    if (rn.hidden) setHidden(false);
    else if (rn.text !== rn.body.textContent) render();
    else place(n, false);
    rn.list.sort(byText);
    rescan();
    var saved = save(); // a note is kept as a highlight until its text is saved: nothing typed is needed to keep it
    // Opened once the click that made it is over (a click outside an open note closes it).
    if (withNote) return global.setTimeout(function () { edit(n); });
    if (doc.documentElement.classList.contains('notes-off')) global.setTimeout(function () { open(n, false); }); // shown for the visit
    if (saved) rn.core.toast(t('rn_highlighted'));
  }

  /** Open a note's card (margin or phone sheet, as the editor's) and, for the keyboard, put focus in it. */
  function open(n, focus) {
    if (!n.card) return;
    if (rn.core.notes.mode === 'sheet' && n.marks[0]) global.scrollBy(0, n.marks[0].getBoundingClientRect().top - global.innerHeight * 0.3);
    rn.core.openNote(n.card.id);
    if (focus) n.card.focus({ preventScroll: true });
  }

  function edit(n) {
    fill(n, n.card, 'edit');
    rescan();
    open(n, false);
    var area = n.card.querySelector('textarea');
    area.focus({ preventScroll: true });
    area.setSelectionRange(area.value.length, area.value.length);
  }

  function finishEdit(n, keep) {
    var area = n.card.querySelector('textarea'), text = area ? area.value.trim() : n.text;
    if (keep && UNSAFE.test(text)) {
      n.card.querySelector('.rn-hint').textContent = t('rn_unsafe_text');
      return area.focus();
    }
    if (!keep && n.fresh) return remove(n, true);
    n.fresh = false;
    if (keep && text !== n.text) {
      n.text = text;
      n.modified = new Date().toISOString();
      if (n.spot) { // the words' place and context now, if the article changed since
        n.start = n.spot.start;
        n.end = n.spot.end;
        n.prefix = rn.text.slice(Math.max(0, n.start - CONTEXT), n.start);
        n.suffix = rn.text.slice(n.end, n.end + CONTEXT);
      }
      unplace(n);
      place(n, false);
      rescan();
      save();
    } else {
      fill(n, n.card, '');
      rescan();
    }
    open(n, true);
  }

  function remove(n, quiet) {
    var para = n.marks[0] && n.marks[0].closest('.para');
    unplace(n);
    rn.list.splice(rn.list.indexOf(n), 1);
    rescan();
    if (save() && !quiet) rn.core.toast(t('rn_deleted'));
    if (para) {
      para.tabIndex = -1;
      para.focus({ preventScroll: true });
    }
  }

  /* ---- Sharing one note by link: the quote and the text in the fragment, nothing sent ---- */

  function base64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return global.btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function unbase64url(text) {
    var s = global.atob(text.replace(/-/g, '+').replace(/_/g, '/')), bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }

  /** Bytes through a (de)compression stream, stopping past limit bytes (a small link must not unpack to megabytes). */
  function through(bytes, stream, limit) {
    var reader = new global.Blob([bytes]).stream().pipeThrough(stream).getReader(), chunks = [], size = 0;
    function next() {
      return reader.read().then(function (step) {
        if (step.done) return new global.Blob(chunks).arrayBuffer().then(function (b) { return new Uint8Array(b); });
        size += step.value.length;
        if (size > limit) { reader.cancel(); throw new Error('too long'); }
        chunks.push(step.value);
        return next();
      });
    }
    return next();
  }

  function shareLink(n) {
    var bytes = new global.TextEncoder().encode(JSON.stringify({ q: n.exact, p: n.prefix, s: n.suffix, t: n.text }));
    var packed = global.CompressionStream ? through(bytes, new global.CompressionStream('deflate-raw'), MAX_LINK * 4)
      .then(function (b) { return 'z' + base64url(b); }) : Promise.resolve('j' + base64url(bytes));
    return packed.then(function (payload) {
      return rn.core.pageAddress() + '#rn=' + payload + ':~:' + global.ReaderQuote.textFragment(n);
    });
  }

  /** The shared note in the address, or null (no link), or 'bad'. */
  function readLink() {
    var m = /^#rn=([^:]*)/.exec(global.location.hash);
    if (!m) return Promise.resolve(null);
    var payload = m[1];
    return Promise.resolve().then(function () {
      if (payload.length > MAX_LINK || !/^[zj][A-Za-z0-9_-]+$/.test(payload)) throw new Error('bad');
      var bytes = unbase64url(payload.slice(1));
      return payload[0] === 'z' ? through(bytes, new global.DecompressionStream('deflate-raw'), MAX_LINK * 2) : bytes;
    }).then(function (bytes) {
      var d = JSON.parse(new global.TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (!d || !isText(d.q, 1, MAX_QUOTE) || !isText(d.p, 0, MAX_CONTEXT) || !isText(d.s, 0, MAX_CONTEXT) || !isText(d.t, 0, MAX_TEXT)) throw new Error('bad');
      return record('shared', d.q, d.p, d.s, -1, d.t.trim(), '', '');
    }).catch(function () { return 'bad'; });
  }

  function openShared() {
    return readLink().then(function (n) {
      if (!n) return;
      if (n === 'bad') return notice(t('rn_bad_link'));
      var same = rn.list.filter(function (o) { return o.exact === n.exact && o.prefix === n.prefix && o.suffix === n.suffix && o.text === n.text; })[0];
      if (same) {
        forgetLink();
        rn.core.toast(t('rn_already'));
        return open(same, true);
      }
      if (rn.shared) unplace(rn.shared);
      rn.shared = n;
      n.dom = 'rn-shared';
      if (rn.text !== rn.body.textContent) { rn.text = rn.body.textContent; rn.blocks = blocks(); }
      if (!place(n, true)) {
        rn.shared = null;
        return notice(t('rn_shared_missing'));
      }
      rescan();
      if (rn.core.notes.mode !== 'sheet') n.marks[0].scrollIntoView({ block: 'center', behavior: 'instant' });
      open(n, true);
    });
  }

  function forgetLink() {
    if (/^#rn=/.test(global.location.hash)) global.history.replaceState(null, '', global.location.href.replace(/#.*$/, ''));
  }

  function keepShared() {
    var s = rn.shared;
    if (UNSAFE.test(s.exact + s.text)) return notice(t('rn_unsafe_text'));
    dismissShared();
    var now = new Date().toISOString(), n = record(newId(), s.exact, s.prefix, s.suffix, s.spot.start, s.text, now, now);
    rn.list.push(n);
    place(n, false);
    rn.list.sort(byText);
    rescan();
    if (save()) rn.core.toast(t('rn_kept'));
    open(n, true);
  }

  function dismissShared() {
    unplace(rn.shared);
    rn.shared = null;
    forgetLink();
    rescan();
  }

  /* ---- The panel: every note in text order, detached ones apart, export, import, hide ---- */

  function togglePanel(force) {
    var panel = rn.panel || makePanel(), show = typeof force === 'boolean' ? force : panel.hidden;
    panel.hidden = !show;
    doc.getElementById('your-notes').setAttribute('aria-expanded', String(show));
    if (show) {
      fillPanel();
      panel.focus({ preventScroll: true });
    }
  }

  function makePanel() {
    var panel = make('section', 'rn-panel'), title = make('h2', 'rn-panel-title', t('rn_panel')), file = make('input');
    panel.id = 'rn-panel';
    panel.tabIndex = -1;
    panel.hidden = true;
    title.id = 'rn-panel-title';
    panel.setAttribute('aria-labelledby', title.id);
    panel.appendChild(title);
    panel.appendChild(make('p', 'rn-help', t('rn_help')));
    var tools = make('p', 'rn-tools');
    [['export-json', 'rn_export_json'], ['export-md', 'rn_export_md'], ['import', 'rn_import'], ['hide', 'rn_hide']].forEach(function (b) {
      tools.appendChild(button(b[0], t(b[1])));
      tools.appendChild(doc.createTextNode(' '));
    });
    file.type = 'file';
    file.accept = '.jsonld,.json,application/ld+json,application/json';
    file.hidden = true;
    file.className = 'rn-file';
    file.addEventListener('change', function () { if (file.files[0]) importFile(file.files[0]); file.value = ''; });
    tools.appendChild(file);
    panel.appendChild(tools);
    var status = make('p', 'rn-status');
    status.setAttribute('role', 'status');
    panel.appendChild(status);
    panel.appendChild(make('div', 'rn-entries'));
    var toggle = doc.getElementById('your-notes');
    toggle.setAttribute('aria-controls', panel.id);
    toggle.parentNode.appendChild(panel);
    rn.panel = panel;
    return panel;
  }

  function fillPanel() {
    var panel = rn.panel;
    if (!panel || panel.hidden) return;
    panel.querySelector('[data-rn="hide"]').setAttribute('aria-pressed', String(rn.hidden));
    var status = panel.querySelector('.rn-status'), warning = doc.getElementById('rn-notice');
    status.textContent = (rn.list.length ? t('rn_count', { n: rn.list.length }) : t('rn_empty'))
      + (rn.storage && warning ? ' ' + warning.textContent : '');
    var entries = panel.querySelector('.rn-entries'), placed = rn.list.filter(function (n) { return n.spot; });
    var detached = rn.list.filter(function (n) { return !n.spot; });
    entries.textContent = '';
    if (placed.length) entries.appendChild(entryList('ol', placed, !rn.hidden));
    if (detached.length) {
      entries.appendChild(make('h3', 'rn-detached-title', t('rn_detached')));
      entries.appendChild(make('p', 'rn-hint', t('rn_detached_help')));
      entries.appendChild(entryList('ul', detached, false));
    }
  }

  function entryList(tag, notes, linked) {
    var list = make(tag, 'rn-list');
    notes.forEach(function (n) {
      var item = make('li'), quote = '\u201c' + excerpt(n.exact, 24) + '\u201d';
      item.setAttribute('data-id', n.id);
      if (linked) {
        var go = make('a', 'rn-go', quote);
        go.href = '#note-' + n.dom;
        item.appendChild(go);
      } else item.appendChild(make('q', 'rn-quote', excerpt(n.exact, 24)));
      if (n.text) item.appendChild(make('p', 'rn-text', excerpt(n.text, 40)));
      if (!linked) item.appendChild(button('forget', t('rn_delete')));
      list.appendChild(item);
    });
    return list;
  }

  function setHidden(hidden) {
    rn.hidden = hidden;
    try { storage()[hidden ? 'setItem' : 'removeItem'](HIDDEN, '1'); } catch (e) { /* remembered for this visit only */ }
    render();
  }

  /* ---- Export and import ---- */

  function fileName(ext) {
    return 'notes-' + (rn.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'article') + ext;
  }

  function download(name, type, text) {
    var url = global.URL.createObjectURL(new global.Blob([text], { type: type })), a = make('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    doc.body.appendChild(a);
    a.click();
    a.remove();
    global.setTimeout(function () { global.URL.revokeObjectURL(url); }, 1000);
  }

  function exportJson() {
    var text = JSON.stringify(collection(rn.list.map(toAnnotation), newId()), null, 1) + '\n';
    download(fileName('.jsonld'), 'application/ld+json', text);
  }

  function quoteLink(n) {
    var q = global.ReaderQuote, e = q.encode;
    return rn.base + '#selector(type=TextQuoteSelector,exact=' + e(n.exact) + ',prefix=' + e(n.prefix) + ',suffix=' + e(n.suffix) + '):~:' + q.textFragment(n);
  }

  function exportMarkdown() {
    var parts = ['# ' + t('rn_label', { title: rn.title }), '<' + rn.source + '>'];
    rn.list.forEach(function (n) {
      parts.push(n.exact.split(/\n+/).map(function (line) { return '> ' + line; }).join('\n>\n'));
      if (n.text) parts.push(n.text);
      parts.push(n.spot ? '[' + t('rn_in_article') + '](<' + quoteLink(n) + '>)' : '*' + t('rn_detached') + '*');
      parts.push('---');
    });
    download(fileName('.md'), 'text/markdown', parts.join('\n\n') + '\n');
  }

  function importFile(file) {
    if (file.size > MAX_FILE) return refuse('rn_why_big');
    file.text().then(function (text) {
      var parsed = parse(text);
      if (parsed.error) return refuse(parsed.error);
      var before = rn.list.slice(), added = 0;
      parsed.items.forEach(function (n) {
        var known = rn.list.some(function (o) {
          return o.id === n.id || (o.exact === n.exact && o.prefix === n.prefix && o.suffix === n.suffix && o.text === n.text);
        });
        if (known) return;
        rn.list.push(n);
        added++;
      });
      if (added && !save() && rn.storage === 'full') { // no room: nothing changes (storage off: they last for the visit, as said)
        rn.list = before;
        return refuse('rn_why_full');
      }
      render();
      say(t('rn_imported', { n: added, dup: parsed.items.length - added }));
    }, function () { refuse('rn_why_json'); });
  }

  function refuse(why) { say(t('rn_refused', { why: t(why) })); }

  function say(text) {
    if (rn.panel) rn.panel.querySelector('.rn-status').textContent = text;
    rn.core.toast(text);
  }

  /* ---- Events: one delegated click, keys, other tabs, the address ---- */

  function onClick(event) {
    var target = event.target, go = target.closest('.rn-go');
    if (go) {
      event.preventDefault();
      var n = rn.list.filter(function (o) { return o.id === go.parentNode.getAttribute('data-id'); })[0];
      togglePanel(false);
      return n && open(n, true);
    }
    var el = target.closest('[data-rn]');
    if (!el) return;
    var action = el.getAttribute('data-rn'), note = findNote(el);
    if (action === 'export-json') return exportJson();
    if (action === 'export-md') return exportMarkdown();
    if (action === 'import') return rn.panel.querySelector('.rn-file').click();
    if (action === 'hide') return setHidden(!rn.hidden);
    if (action === 'forget') {
      var id = el.parentNode.getAttribute('data-id');
      rn.list = rn.list.filter(function (o) { return o.id !== id; });
      save();
      return fillPanel();
    }
    if (!note) return;
    if (action === 'edit') return edit(note);
    if (action === 'save' || action === 'cancel') return finishEdit(note, action === 'save');
    if (action === 'delete') {
      if (!note.text) return remove(note, false);
      fill(note, note.card, 'confirm');
      return note.card.querySelector('[data-rn="really"]').focus();
    }
    if (action === 'really') return remove(note, false);
    if (action === 'cancel-delete') {
      fill(note, note.card, '');
      return note.card.querySelector('[data-rn="delete"]').focus();
    }
    if (action === 'keep') return keepShared();
    if (action === 'dismiss') return dismissShared();
    if (action === 'link') {
      shareLink(note).then(rn.core.copyText).then(function (done) { rn.core.toast(t(done ? 'rn_link_copied' : 'copy_failed')); });
    }
  }

  function onKey(event) {
    var target = event.target;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && target.classList && target.classList.contains('rn-input')) {
      event.preventDefault();
      return finishEdit(findNote(target), true);
    }
    // Enter on a reader's words opened its card (interact.js): in the margin, focus goes into it, to its buttons.
    if ((event.key === 'Enter' || event.key === ' ') && target.closest && target.closest('.reader-anchor')) {
      var pair = rn.core.notes.open;
      if (pair && pair.note.classList.contains('reader-note') && rn.core.notes.mode !== 'sheet') pair.note.focus({ preventScroll: true });
    }
  }

  function onEscape() {
    var editing = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest('.rn-editing');
    if (editing) {
      finishEdit(findNote(editing), false);
      return true;
    }
    if (rn.panel && !rn.panel.hidden) {
      togglePanel(false);
      doc.getElementById('your-notes').focus();
      return true;
    }
    return false;
  }

  function onOutside(event) {
    if (rn.panel && !rn.panel.hidden && !rn.panel.contains(event.target) && !event.target.closest('#your-notes')) togglePanel(false);
  }

  function start(core) {
    if (rn.core) return api;
    rn.core = core;
    rn.body = doc.getElementById('article-body');
    if (!rn.body) return api;
    var data = {};
    try { data = JSON.parse(doc.getElementById('article-data').textContent) || {}; } catch (e) { /* no identity: the title below */ }
    rn.base = data.url || core.pageAddress();
    rn.source = data.isBasedOn || rn.base;
    rn.title = data.headline || doc.title;
    rn.key = MARKER + ':' + (data.isBasedOn || data.url || rn.title);
    rn.observer = new global.MutationObserver(mirror);
    rn.hidden = read(HIDDEN) === '1';
    load();
    if (!core.notes.pairs.length) global.addEventListener('resize', function () { core.applyMode(); });
    render();
    var dropped = rn.list.filter(function (n) { return !n.spot; }).length;
    if (dropped) notice(t('rn_detached_notice', { n: dropped }));
    doc.addEventListener('click', onClick);
    doc.addEventListener('pointerdown', onOutside);
    doc.addEventListener('keydown', onKey);
    core.onEscape(onEscape);
    global.addEventListener('storage', function (event) {
      if (event.key === rn.key || event.key === null) { load(); render(); }
    });
    global.addEventListener('hashchange', openShared);
    openShared();
    return api;
  }

  global.ReaderNotes = api;
}(typeof globalThis !== 'undefined' ? globalThis : this));
