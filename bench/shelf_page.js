/* The bench's search page for the shelf engine (bench/shelf_search.py writes shelf.html around it): as the site
   will, it loads the engine's scripts and the manifest when the box gets focus, runs every keystroke's query
   (no debounce), keeps only the newest answer and renders it as links with snippets, grouped by article.
   Each index part loads through a script tag as the engine's own loader would, its start and end kept in
   window.__shelfLoads ([url, start ms, end ms]) for the bench. */
(function (global) {
  'use strict';
  const doc = global.document;
  const input = /** @type {HTMLInputElement} */ (doc.getElementById('q'));
  const list = /** @type {HTMLElement} */ (doc.getElementById('results'));
  const status = /** @type {HTMLElement} */ (doc.getElementById('status'));
  const { base, manifest, scripts } = /** @type {any} */ (doc.body.dataset);
  /** @type {Promise<any> | null} */
  let engine = null;
  let asked = 0;

  /** @param {string} src */
  const load = (src) => new Promise((resolve, reject) => {
    const script = doc.createElement('script');
    script.src = src;
    script.onload = () => { script.remove(); resolve(undefined); };
    script.onerror = () => { script.remove(); reject(new Error(src)); };
    doc.head.appendChild(script);
  });

  /** @type {Array<[string, number, number]>} */
  const loads = global.__shelfLoads = [];
  /** @param {string} url */
  const traced = (url) => {
    const began = performance.now();
    return load(url).catch(() => undefined).then(() => { loads.push([url, began, performance.now()]); });
  };

  function start() {
    if (!engine) {
      // The engine's files in order, the manifest beside them: the bundle the site would load on focus.
      /** @type {Promise<any>} */
      let loaded = Promise.resolve();
      for (const src of scripts.split(' ')) loaded = loaded.then(() => load(src));
      engine = loaded.then(() => {
        const lunr = global.lunr, stem = (/** @type {string} */ w) => lunr.stemmer(new lunr.Token(w)).toString();
        return global.ReaderShelfSearch.open({ base, manifest, stem, load: traced });
      });
    }
    return engine;
  }

  async function run() {
    const mine = ++asked, query = input.value;
    const found = await (await start()).search(query, { prefix: true, limit: 20 });
    if (mine !== asked) return; // a newer keystroke's answer will show
    const items = doc.createDocumentFragment();
    for (const group of global.ReaderShelfSearch.groupByArticle(found.results)) {
      const heading = doc.createElement('h2');
      heading.textContent = group.article.title;
      items.appendChild(heading);
      for (const r of group.results) {
        const link = doc.createElement('a');
        link.href = group.article.address + '?q=' + encodeURIComponent(query) + '#' + r.ref;
        link.className = 'result';
        const body = r.hits.filter((/** @type {any} */ h) => h.field === 'body');
        const run = r.run && r.run.field === 'body' ? r.run : null;
        for (const part of global.ReaderQuery.snippet(r.text, body, run, 25)) {
          const node = part.mark ? doc.createElement('mark') : doc.createTextNode(part.text);
          if (part.mark) node.textContent = part.text;
          link.appendChild(node);
        }
        items.appendChild(link);
      }
    }
    list.replaceChildren(items);
    // “query” quoted: the bench's sign that this query's answer shows
    status.textContent = `${found.total} results for \u201c${query.trim()}\u201d` + (found.incomplete ? ' (search is incomplete)' : '');
  }

  input.addEventListener('focus', () => { start(); });
  input.addEventListener('input', () => { run(); });
}(globalThis));
