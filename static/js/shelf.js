/* What the shelf's scripts share (several articles in one site): the site's root, the article this page is,
   the reader's progress kept in this browser, and the list of every article the build writes. Progress is one
   localStorage value for the shelf, {v: 1, articles: {<address>: {at: 'p-3', read: false, time}}}, read afresh
   before every change (another tab may have written since). A value that cannot be read is set aside
   (<key>:unreadable), never overwritten, and the shelf's page says so once. First part of the shelf page's
   script and of the reading and shelf-notes bundles; registers ReaderShelf. */
(() => {
  'use strict';
  const doc = document;
  // The site's root: the first-view script's address less assets/… (the page may sit in an article's folder).
  const root = (/** @type {HTMLScriptElement | null} */ (doc.querySelector('script[src]'))?.src || '')
    .replace(/assets\/[^/]*$/, '');
  const key = `reader:shelf:${root}`;
  const ADDRESS = /^[a-z0-9]+(-[a-z0-9]+)*$/, AT = /^p-[1-9]\d*$/;
  const FAILED = 'reader:progress-unsaved'; // sessionStorage: an article page could not keep progress (full)

  /** The article this page is ('' on the shelf's own pages). */
  function here() {
    const address = location.href.slice(root.length).split(/[/?#]/)[0];
    return ADDRESS.test(address) && doc.querySelector('.shelf-nav') ? address : '';
  }

  /** A kept value as progress, or null when it is not one (checked whole: its parts become links).
      @param {string} raw @returns {ShelfProgress | null} */
  function parse(raw) {
    let data;
    try {
      data = JSON.parse(raw);
    } catch {
      return null;
    }
    if (!data || data.v !== 1 || !data.articles || typeof data.articles !== 'object') return null;
    for (const [address, entry] of Object.entries(data.articles)) {
      if (!ADDRESS.test(address) || !entry || typeof entry !== 'object' || typeof entry.time !== 'number'
        || (entry.at != null && !AT.test(entry.at)) || typeof entry.read !== 'boolean') return null;
    }
    return data;
  }

  /** The progress kept, and what is wrong with the storage: '' (nothing), 'off' (no storage at all), or
      'unreadable' (set aside, now or by an article page, not said yet). @returns {ShelfRecord} */
  function load() {
    let raw;
    try {
      raw = localStorage.getItem(key);
    } catch {
      return { problem: 'off', progress: fresh() };
    }
    const progress = raw == null ? fresh() : parse(raw);
    if (progress) return { problem: progress.aside ? 'unreadable' : '', progress };
    const aside = { ...fresh(), aside: 1 };
    try {
      localStorage.setItem(`${key}:unreadable`, raw || '');
      localStorage.setItem(key, JSON.stringify(aside));
      return { problem: 'unreadable', progress: aside };
    } catch {
      return { problem: 'unreadable', progress: fresh() }; // not set aside: nothing may be written over it
    }
  }

  /** @returns {ShelfProgress} */
  const fresh = () => ({ v: 1, articles: {} });

  /** Change the progress as kept now (read afresh, changed, written); '' when kept, else why not ('off',
      'full', 'unreadable': kept nowhere, so nothing is written over it). @param {(p: ShelfProgress) => void} change */
  function update(change) {
    const { problem, progress } = load();
    if (problem === 'off' || (problem === 'unreadable' && !progress.aside)) return problem;
    change(progress);
    try {
      localStorage.setItem(key, JSON.stringify(progress));
      return '';
    } catch (error) {
      const full = /** @type {DOMException} */ (error).name === 'QuotaExceededError';
      return full ? 'full' : 'off';
    }
  }

  /** Where an article's link takes a reader: where they stopped, unless they finished it.
      @param {string} page the article's page @param {ShelfEntry | undefined} entry */
  const resume = (page, entry) => (entry && !entry.read && entry.at ? `${page}#${entry.at}` : page);

  /** The list of every article on the shelf (a script the build writes, named in the page), loaded once.
      @param {string | null | undefined} url relative to the root @returns {Promise<ShelfArticle[]>} */
  function list(url) {
    loading ||= new Promise((resolve, reject) => {
      if (!url) return reject(new Error('no list'));
      const tag = doc.createElement('script');
      tag.src = root + url;
      tag.onload = () => resolve(globalThis.ReaderShelfList);
      tag.onerror = () => reject(new Error(`could not load ${url}`));
      doc.head.appendChild(tag);
    });
    return loading;
  }
  /** @type {Promise<ShelfArticle[]> | null} */
  let loading = null;

  globalThis.ReaderShelf = { root, key, failed: FAILED, here, load, update, resume, list };
})();
