/* How this article's search shows its results: their text read from the page (what the index was made
   from), their labels (a note's number and kind, a paragraph's number) and their addresses in this page.
   Part of the search bundle, before search.js; registers ReaderPageResults. */
(() => {
  'use strict';
  const doc = document;
  /** @type {Record<string, string>} */
  const LABELS = { title: 'label_title', standfirst: 'label_standfirst', byline: 'label_byline',
    'author-note': 'label_author_note' };

  /* ---- The text of what was indexed, read from the page ---- */

  /** @param {string} ref @param {string} field */
  function textOf(ref, field) {
    const el = doc.getElementById(ref);
    if (!el) return '';
    if (/^note-/.test(ref)) {
      const part = el.querySelector(field === 'title' ? '.note-title' : '.note-body');
      return part ? part.textContent || '' : '';
    }
    return field === 'body' ? el.textContent || '' : '';
  }

  /** Results as this article's search shows them: their text read from the page, their places in it.
      @type {PageResultView} */
  const pageView = {
    textOf,
    text: (result, field) => textOf(result.ref, field),
    groups: (results) => [{ title: '', results }],
    label: (reader, result) => pageLabel(reader, result),
    address: (query, result) => {
      // This page, or the article from the page of all notes.
      const ref = result.ref, inText = !/^p-/.test(ref) || doc.getElementById('article-body');
      return `${doc.getElementById(ref) && inText ? '' : 'index.html'}?q=${encodeURIComponent(query)}#${ref}`;
    },
  };

  /** This article's label for a result: a note's number and kind (then its title), or what the block is.
      @param {Reader} reader @param {SearchResult} result @returns {{prefix: string, title: boolean}} */
  function pageLabel(reader, result) {
    const t = reader.t, ref = result.ref, note = /^note-/.test(ref) && doc.getElementById(ref);
    if (note) {
      const text = (/** @type {string} */ selector) => note.querySelector(selector)?.textContent;
      const number = t('label_note', { n: text('.note-num') || '' });
      return { prefix: `${number} \u00b7 ${text('.note-kind')} \u00b7 `, title: true };
    }
    const what = LABELS[ref] ? t(LABELS[ref]) : /^p-/.test(ref) ? t('label_paragraph', { n: ref.slice(2) })
      : `${t('label_section')} \u00b7 ${textOf(ref, 'body')}`;
    return { prefix: what, title: false };
  }

  globalThis.ReaderPageResults = pageView;
})();
