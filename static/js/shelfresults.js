/* On a shelf, the search box searches the whole shelf: the shelf's engine (ReaderShelfSearch, shelfsearch.js,
   over the index parts in search/, whose manifest search/current.js names) and how its results show: this
   article's first, then the other articles', grouped under each article's title, their text from the index.
   A result in another article links to that article's page at its passage with the query, and that page's own
   search marks the words. A manifest the browser kept from an older build names parts that are gone: the
   answer says search is incomplete, and the manifest is fetched afresh once.
   Part of a shelf's search bundle, before search.js; registers ReaderShelfResults. */
(() => {
  'use strict';
  const doc = document;
  /** @type {Record<string, string>} */
  const LABELS = { title: 'label_title', standfirst: 'label_standfirst', byline: 'label_byline',
    'author-note': 'label_author_note' };

  /** Load the name of the index's current manifest (search/current.js, never cached: ?v=now).
      @param {string} base the site's root */
  function currentManifest(base) {
    return new Promise((resolve, reject) => {
      const tag = doc.createElement('script');
      tag.src = `${base}search/current.js?v=${Date.now()}`;
      tag.onload = () => resolve(globalThis.ReaderShelfManifest);
      tag.onerror = () => reject(new Error('could not load search/current.js'));
      doc.head.appendChild(tag);
      tag.remove();
    });
  }

  /** The shelf's engine, made again from a fresh manifest once when a part it needed was missing. */
  class ShelfEngine {
    retried = false;

    /** @param {ShelfEngineOptions} options @param {ShelfSearchEngine} engine */
    constructor(options, engine) {
      this.options = options;
      this.engine = engine;
    }

    /** @param {string} query @param {{prefix?: boolean, limit?: number}} [options] */
    async search(query, options) {
      const found = await this.engine.search(query, options);
      if (!found.incomplete || this.retried) return found;
      this.retried = true;
      try {
        const manifest = await currentManifest(this.options.root);
        if (manifest === this.options.manifest) return found;
        this.engine = await globalThis.ReaderShelfSearch.open({ ...this.options, manifest });
        this.options = { ...this.options, manifest };
      } catch {
        return found;
      }
      return this.engine.search(query, options);
    }
  }

  /** How the shelf's results show, seen from the page with the search form `form`.
      @param {Reader} reader @param {HTMLFormElement} form @returns {ResultView} */
  function shelfView(reader, form) {
    const t = reader.t, root = reader.base, here = Number(form.dataset.here ?? -1);
    /** @param {SearchResult} result */
    const other = (result) => !result.here;
    return {
      text: (result, field) => (field === 'title' ? result.title || '' : result.text || ''),
      groups(results) {
        const mine = results.filter((result) => !other(result));
        // The shelf's engine answers with ShelfResults: each names its article.
        const elsewhere = /** @type {ShelfResult[]} */ (results.filter(other));
        const others = globalThis.ReaderShelfSearch.groupByArticle(elsewhere);
        // On an article's page, the first other article's heading says the list has left this article.
        const heading = (/** @type {string} */ title, /** @type {number} */ i) =>
          (here >= 0 && !i ? `${t('in_other_articles')} \u00b7 ${title}` : title);
        return [{ title: '', results: mine },
          ...others.map((group, i) => ({ title: heading(group.article.title, i), results: group.results }))];
      },
      label(_, result) {
        const ref = result.ref;
        if (/^note-/.test(ref)) return { prefix: `${t('label_note', { n: '' }).trim()} \u00b7 `, title: true };
        return { prefix: LABELS[ref] ? t(LABELS[ref]) : /^p-/.test(ref) ? t('label_paragraph', { n: ref.slice(2) })
          : t('label_section'), title: false };
      },
      address(query, result) {
        // Another article's page; else this page, or this article's from its page of notes.
        const ref = result.ref, inText = !/^p-/.test(ref) || doc.getElementById('article-body');
        const place = other(result) ? `${root}${result.article?.address}/index.html`
          : doc.getElementById(ref) && inText ? '' : 'index.html';
        return `${place}?q=${encodeURIComponent(query)}#${ref}`;
      },
    };
  }

  /** The shelf's engine and view for this page; query words stemmed as the manifest says the build stemmed.
      @param {Reader} reader */
  async function open(reader) {
    const form = /** @type {HTMLFormElement} */ (doc.getElementById('search'));
    /** @type {ShelfEngineOptions} */
    const options = { root: reader.base, base: `${reader.base}search/`, manifest: globalThis.ReaderShelfManifest,
      here: Number(form.dataset.here ?? -1) };
    const engine = new ShelfEngine(options, await globalThis.ReaderShelfSearch.open(options));
    return { engine, view: shelfView(reader, form) };
  }

  globalThis.ReaderShelfResults = { open };
})();
