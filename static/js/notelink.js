/* One reader's note shared by a link: its words, their context and its text in the address's fragment
   (#rn=…, deflated when the browser can), so nothing is sent anywhere; opened, it shows beside the
   reader's own notes until they keep it or dismiss it. In the notes bundle, after annotations.js and
   notemarks.js; registers ReaderNoteLink. */
(() => {
  'use strict';

  /** @param {Uint8Array} bytes */
  function base64url(bytes) {
    let s = '';
    for (const byte of bytes) s += String.fromCharCode(byte);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  /** @param {string} text */
  function unbase64url(text) {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(s, (c) => c.charCodeAt(0));
  }

  /** Bytes through a (de)compression stream, stopping past limit bytes (a small link must not unpack to
      megabytes). @param {Uint8Array<ArrayBuffer>} bytes @param {CompressionStream | DecompressionStream} stream
      @param {number} limit */
  async function through(bytes, stream, limit) {
    const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader(), chunks = [];
    let size = 0;
    for (;;) {
      const step = await reader.read();
      if (step.done) return new Uint8Array(await new Blob(chunks).arrayBuffer());
      size += step.value.length;
      if (size > limit) {
        reader.cancel();
        throw new Error('too long');
      }
      chunks.push(step.value);
    }
  }

  /** The address that shares note n, on the page at base. @param {ReaderNote} n @param {string} base */
  async function linkTo(n, base) {
    const { LIMITS } = globalThis.ReaderAnnotations;
    const bytes = new TextEncoder().encode(JSON.stringify({ q: n.exact, p: n.prefix, s: n.suffix, t: n.text }));
    const payload = globalThis.CompressionStream
      ? `z${base64url(await through(bytes, new CompressionStream('deflate-raw'), LIMITS.link * 4))}`
      : `j${base64url(bytes)}`;
    return `${base}#rn=${payload}:~:${globalThis.ReaderQuote.textFragment(n)}`;
  }

  /** The note shared in an address's fragment (hash): a record, null when there is none, 'bad' when it cannot be
      read. @param {string} hash @returns {Promise<ReaderNote | null | 'bad'>} */
  async function fromLink(hash) {
    const { LIMITS, isText, record } = globalThis.ReaderAnnotations, m = /^#rn=([^:]*)/.exec(hash);
    if (!m) return null;
    const payload = m[1];
    try {
      if (payload.length > LIMITS.link || !/^[zj][A-Za-z0-9_-]+$/.test(payload)) throw new Error('bad');
      const raw = unbase64url(payload.slice(1));
      const bytes = payload[0] === 'z'
        ? await through(raw, new DecompressionStream('deflate-raw'), LIMITS.link * 2) : raw;
      const d = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      if (!d || !isText(d.q, 1, LIMITS.quote) || !isText(d.p, 0, LIMITS.context) || !isText(d.s, 0, LIMITS.context)
        || !isText(d.t, 0, LIMITS.text)) throw new Error('bad');
      return record('shared', d.q, d.p, d.s, -1, d.t.trim(), '', '');
    } catch {
      return 'bad';
    }
  }

  /** Show the note in the address (if any) beside the reader's, or say why not. @param {NotesKeeper} notes */
  async function open(notes) {
    const n = await fromLink(location.hash), t = notes.reader.t, marks = globalThis.ReaderNoteMarks;
    if (!n) return;
    if (n === 'bad') return notes.notice(t('rn_bad_link'));
    const same = notes.list.filter((o) => o.exact === n.exact && o.prefix === n.prefix && o.suffix === n.suffix
      && o.text === n.text)[0];
    if (same) {
      forgetLink();
      notes.reader.toast(t('rn_already'));
      return notes.open(same, true);
    }
    if (notes.shared) marks.unmark(notes.shared);
    notes.shared = n;
    n.dom = 'rn-shared';
    if (notes.text !== notes.body.textContent) {
      notes.text = notes.body.textContent || '';
      notes.blocks = marks.blocksOf(notes.body);
    }
    if (!marks.place(n, true, notes)) {
      notes.shared = null;
      return notes.notice(t('rn_shared_missing'));
    }
    notes.rescan();
    if (notes.reader.notes.mode !== 'sheet') n.marks[0].scrollIntoView({ block: 'center', behavior: 'instant' });
    notes.open(n, true);
  }

  /** Keep the shared note as one of the reader's own. @param {NotesKeeper} notes */
  function keep(notes) {
    const { UNSAFE, record, newId } = globalThis.ReaderAnnotations, s = notes.shared, t = notes.reader.t;
    if (!s || !s.spot) return;
    if (UNSAFE.test(s.exact + s.text)) return notes.notice(t('rn_unsafe_text'));
    dismiss(notes);
    const now = new Date().toISOString();
    const n = record(newId(), s.exact, s.prefix, s.suffix, s.spot.start, s.text, now, now);
    notes.list.push(n);
    globalThis.ReaderNoteMarks.place(n, false, notes);
    notes.sort();
    notes.rescan();
    if (notes.save()) notes.reader.toast(t('rn_kept'));
    notes.open(n, true);
  }

  /** Take the shared note away, and its link from the address. @param {NotesKeeper} notes */
  function dismiss(notes) {
    if (notes.shared) globalThis.ReaderNoteMarks.unmark(notes.shared);
    notes.shared = null;
    forgetLink();
    notes.rescan();
  }

  function forgetLink() {
    if (/^#rn=/.test(location.hash)) history.replaceState(null, '', location.href.replace(/#.*$/, ''));
  }

  globalThis.ReaderNoteLink = { linkTo, fromLink, open, keep, dismiss };
})();
