/* A reader's notes as W3C Web Annotations, in and out: a TextQuoteSelector and a TextPositionSelector
   on the article's text, a TextualBody for the note's words. Everything read from outside (a file,
   this browser's storage) is checked whole before any of it is used. No DOM: pure functions.
   First part of the notes bundle (after its strings); registers ReaderAnnotations. */
(() => {
  'use strict';
  const LIMITS = { text: 2000, quote: 5000, context: 200, file: 1 << 20, items: 2000, link: 16000 };
  const ANNO = 'http://www.w3.org/ns/anno.jsonld';
  // Refused in any imported, kept or shared-and-kept text (a note is shown as text, but files travel).
  const UNSAFE = /<\s*\/?\s*script|j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:|vbscript\s*:|data\s*:\s*text\/html/i;

  /** A note as this bundle keeps it in memory (not yet placed in the page).
      @param {string} id @param {string} exact @param {string} prefix @param {string} suffix @param {number} start
      @param {string} text @param {string} created @param {string} modified @returns {ReaderNote} */
  function record(id, exact, prefix, suffix, start, text, created, modified) {
    return { id, dom: domId(id), exact, prefix, suffix, start, end: start < 0 ? -1 : start + exact.length,
      text, created, modified, spot: null, marks: [], card: null };
  }

  /** A new note's id: a random (version 4) UUID as a URN. */
  function newId() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
    return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** An element id for a note: its UUID's first 12 digits, or a hash of another tool's id. @param {string} id */
  function domId(id) {
    const m = /^urn:uuid:([0-9a-f]{8})-([0-9a-f]{4})/i.exec(id);
    if (m) return `rn-${(m[1] + m[2]).toLowerCase()}`;
    let h = 2166136261;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
    return `rn-${(h >>> 0).toString(16)}`;
  }

  /** A note as a W3C annotation on source (the article's address). @param {ReaderNote} n @param {string} source */
  function toAnnotation(n, source) {
    /** @type {Record<string, unknown>} */
    const a = { id: n.id, type: 'Annotation', motivation: n.text ? 'commenting' : 'highlighting', created: n.created,
      modified: n.modified, target: { source, selector: [
        { type: 'TextQuoteSelector', exact: n.exact, prefix: n.prefix, suffix: n.suffix },
        { type: 'TextPositionSelector', start: n.start, end: n.end }] } };
    if (n.text) a.body = [{ type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: n.text }];
    return a;
  }

  /** An AnnotationCollection of annotations, with an id (and its page's) when given.
      @param {unknown[]} items @param {string} label @param {string} [id] */
  function collection(items, label, id) {
    /** @type {{id?: string, first: {id?: string} & Record<string, unknown>} & Record<string, unknown>} */
    const c = { '@context': ANNO, type: 'AnnotationCollection', label, total: items.length,
      first: { type: 'AnnotationPage', startIndex: 0, items } };
    if (id) {
      c.id = id;
      c.first.id = `${id}#page-1`;
    }
    return c;
  }

  /** Notes from JSON-LD text (a collection, a page, an array or one annotation): {items} or {error}.
      The whole text is checked before any of it is used; one bad note refuses all. own: the list this page kept
      (its shape is checked, not its size, its words or its target: an article may well quote "javascript:").
      target: the article's addresses an imported note must be on (on a shelf, every article's: each note keeps
      its own as `on`).
      @param {string} text @param {boolean} own @param {{source: string, base: string} | string[]} target
      @returns {{items: ReaderNote[], error?: undefined} | {error: string, items?: undefined}} */
  function parse(text, own, target) {
    if (!own && text.length > LIMITS.file) return { error: 'rn_why_big' };
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return { error: 'rn_why_json' };
    }
    const bad = own ? '' : unsafe(data, 0);
    if (bad) return { error: bad };
    const items = !data || typeof data !== 'object' ? null : Array.isArray(data) ? data
      : data.type === 'AnnotationCollection' ? data.first && data.first.items
        : data.type === 'AnnotationPage' ? data.items : data.type === 'Annotation' ? [data] : null;
    if (!Array.isArray(items)) return { error: 'rn_why_shape' };
    if (!own && items.length > LIMITS.items) return { error: 'rn_why_many' };
    const notes = [], on = Array.isArray(target) ? target : [target.source, target.base];
    for (const item of items) {
      const n = fromAnnotation(item, own, on);
      if (typeof n === 'string') return { error: n };
      notes.push(n);
    }
    return { items: notes };
  }

  /** The error key for script or a javascript: address anywhere (keys too), or for absurd nesting.
      @param {unknown} value @param {number} depth @returns {string} */
  function unsafe(value, depth) {
    if (depth > 12) return 'rn_why_shape';
    if (typeof value === 'string') return UNSAFE.test(value) ? 'rn_why_unsafe' : '';
    if (!value || typeof value !== 'object') return '';
    for (const [key, inner] of Object.entries(value)) {
      const bad = UNSAFE.test(key) ? 'rn_why_unsafe' : unsafe(inner, depth + 1);
      if (bad) return bad;
    }
    return '';
  }

  /** @param {unknown} value @param {number} min @param {number} max @returns {value is string} */
  const isText = (value, min, max) => typeof value === 'string' && value.length >= min && value.length <= max;

  /** @param {unknown} value @returns {value is string} */
  const isDate = (value) => typeof value === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:?\d\d)$/.test(value)
    && !isNaN(Date.parse(value));

  /** @param {any[]} list @param {string} type */
  const ofType = (list, type) => list.filter((s) => s && s.type === type)[0];

  /** A value or list of values (JSON-LD allows both) as a list. @param {unknown} value @returns {any[]} */
  const listOf = (value) => [].concat(/** @type {never} */ (value));

  /** One annotation as a note record, or the error key saying why not.
      @param {any} a (JSON from outside) @param {boolean} own @param {string[]} on the addresses it may be on
      @returns {ReaderNote | string} */
  function fromAnnotation(a, own, on) {
    if (!a || typeof a !== 'object' || a.type !== 'Annotation') return 'rn_why_shape';
    const target = listOf(a.target)[0];
    if (!target || typeof target !== 'object') return 'rn_why_shape';
    if (!own && on.indexOf(target.source) < 0) return 'rn_why_other';
    const selectors = listOf(target.selector || []);
    const quote = ofType(selectors, 'TextQuoteSelector'), at = ofType(selectors, 'TextPositionSelector');
    if (!quote || !isText(quote.exact, 1, LIMITS.quote) || !isText(quote.prefix || '', 0, LIMITS.context)
      || !isText(quote.suffix || '', 0, LIMITS.context)) return 'rn_why_shape';
    let text = '';
    for (const b of listOf(a.body || [])) {
      if (!b || b.type !== 'TextualBody' || (b.purpose && b.purpose !== 'commenting')) continue;
      if (typeof b.value !== 'string') return 'rn_why_shape';
      if (b.format && !/^text\/(plain|markdown)$/.test(b.format)) return 'rn_why_shape';
      if (b.value.length > LIMITS.text) return 'rn_why_long';
      text = b.value.trim();
      break;
    }
    if (a.id != null && !isText(a.id, 1, 200)) return 'rn_why_shape';
    const now = new Date().toISOString(), created = isDate(a.created) ? a.created : now;
    const placed = at && at.start >= 0 && at.end > at.start && at.end - at.start === quote.exact.length;
    return Object.assign(record(a.id || newId(), quote.exact, quote.prefix || '', quote.suffix || '',
      placed ? at.start : -1, text, created, isDate(a.modified) ? a.modified : created), { on: String(target.source) });
  }

  /** Add to list the notes it does not hold yet (same id, or same words, context and text); how many.
      @param {ReaderNote[]} list @param {ReaderNote[]} items */
  function merge(list, items) {
    const before = list.length;
    for (const n of items) {
      if (!list.some((o) => o.id === n.id
        || (o.exact === n.exact && o.prefix === n.prefix && o.suffix === n.suffix && o.text === n.text))) list.push(n);
    }
    return list.length - before;
  }

  globalThis.ReaderAnnotations = { LIMITS, UNSAFE, record, newId, toAnnotation, collection, parse, merge, isText };
})();
