/* The search box's list: results as links (a new tab, a copied link and the keyboard all work),
   snippets centred on the words found, the words marked in the page when a result opens. The engine is
   this article's, over the index read from its page; on a shelf, the whole shelf's (ReaderShelfResults,
   shelfresults.js: results in other articles, grouped by article, their text from the index).
   Last file of the search bundle; interact.js calls ReaderSearch.start(reader) once it has loaded. */
(() => {
  'use strict';
  const doc = document;
  const PAGE_SIZE = 20;
  const SNIPPET_WORDS = 25;
  const ARABIC = /^[\u0620-\u064a]/;
  /** @type {Record<string, string>} */
  const TIERS = { typo: 'tier_typo', partial: 'tier_partial' };

  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (doc.getElementById(id));

  /** The search box and its list of results (the combobox pattern). */
  class SearchBox {
    form = /** @type {HTMLFormElement} */ (byId('search'));
    input = /** @type {HTMLInputElement} */ (byId('search-input'));
    panel = byId('search-panel');
    list = byId('search-results');
    status = byId('search-status');
    summary = byId('search-summary');
    query = ''; // the query the list shows
    /** @type {SearchResult[]} */
    results = [];
    limit = PAGE_SIZE;
    active = -1;

    asked = 0; // queries asked: an answer that comes after a newer query's is dropped

    /** @param {Reader} reader @param {SearchEngine} engine @param {ResultView} view */
    constructor(reader, engine, view) {
      this.reader = reader;
      this.engine = engine;
      this.view = view;
    }

    listen() {
      const { form, input, list } = this;
      input.addEventListener('input', () => {
        this.limit = PAGE_SIZE;
        this.run();
      });
      input.addEventListener('keydown', (event) => this.onKey(event));
      input.addEventListener('focus', () => {
        if (this.results.length && input.value.trim()) this.open();
      });
      form.addEventListener('submit', (event) => event.preventDefault());
      form.addEventListener('focusout', (event) => {
        if (!(event.relatedTarget instanceof Node) || !form.contains(event.relatedTarget)) this.close(); // Tab moved on
      });
      list.addEventListener('click', (event) => this.onResultClick(event));
      // A press on a result may start selecting its words (to copy them): Chromium drags a link
      // instead, so the link is no link for the moment of the press; a plain click still opens it.
      list.addEventListener('mousedown', (event) => {
        const modified = event.ctrlKey || event.metaKey || event.shiftKey || event.altKey; // a new tab: the link's job
        const link = event.button === 0 && !modified && /** @type {Element} */ (event.target).closest('a[href]');
        if (!link) return;
        const href = link.getAttribute('href') || '';
        link.removeAttribute('href');
        setTimeout(() => link.setAttribute('href', href));
      });
      this.panel.addEventListener('click', (event) => {
        if (!/** @type {Element} */ (event.target).closest('.search-more')) return;
        this.limit += PAGE_SIZE;
        this.run();
        input.focus();
      });
      doc.addEventListener('click', (event) => {
        if (!form.contains(/** @type {Node} */ (event.target))) this.close();
      });
      this.reader.onEscape(() => this.onEscape());
    }

    /* ---- Running a query: on every keystroke, no debounce (a query takes a few ms) ---- */

    /** Search for what the box holds and show it; resolves once shown (at once, for this article's engine). */
    run() {
      const query = this.input.value, asked = ++this.asked;
      syncAddress(query);
      if (!query.trim()) {
        this.results = [];
        this.query = '';
        this.list.textContent = '';
        this.close();
        this.showStatus('');
        globalThis.ReaderMarks.clearMarks('search-hit');
        return Promise.resolve();
      }
      const found = this.engine.search(query, { prefix: true, limit: this.limit });
      if (!(found instanceof Promise)) return Promise.resolve(this.render(query, found));
      return found.then((answer) => {
        if (asked === this.asked) this.render(query, answer);
      });
    }

    /** @param {string} query @param {SearchAnswer} found */
    render(query, found) {
      const t = this.reader.t, q = query.trim();
      this.choose(-1);
      this.query = query;
      const items = doc.createDocumentFragment();
      this.results = [];
      for (const group of this.view.groups(found.results)) {
        const into = group.title ? groupOf(items, group.title, this.results.length) : items;
        for (const result of group.results) into.appendChild(this.resultLink(result, this.results.push(result) - 1));
      }
      if (found.total > found.results.length) {
        const more = doc.createElement('button');
        more.type = 'button';
        more.className = 'search-more';
        more.tabIndex = -1;
        more.textContent = t('show_more', { n: found.total - found.results.length });
        items.appendChild(more);
      }
      this.list.replaceChildren(items);
      this.open(); // before the status changes, so the live region is shown when it does
      const tier = TIERS[found.tier] ? t(TIERS[found.tier]) : '';
      const said = found.total ? tier + t('results', { n: found.total, q }) : t('no_results', { q });
      this.showStatus(found.incomplete ? `${said} ${t('search_incomplete')}` : said);
    }

    /** @param {SearchResult} result @param {number} i */
    resultLink(result, i) {
      const link = doc.createElement('a');
      link.id = `search-result-${i}`;
      link.setAttribute('role', 'option');
      link.setAttribute('aria-selected', 'false');
      link.tabIndex = -1; // the list is reached with the arrow keys; Tab moves on
      link.draggable = false; // a drag selects the snippet's words
      link.href = this.view.address(this.input.value, result);
      link.appendChild(this.resultLabel(result));
      const snippet = doc.createElement('span');
      snippet.className = 'result-snippet';
      const body = hitsIn(result, 'body'), run = result.run && result.run.field === 'body' ? result.run : null;
      const text = this.view.text(result, 'body');
      appendSegments(snippet, globalThis.ReaderQuery.snippet(text, body, run, SNIPPET_WORDS));
      link.appendChild(snippet);
      return link;
    }

    /** @param {SearchResult} result */
    resultLabel(result) {
      const label = doc.createElement('span'), { prefix, title } = this.view.label(this.reader, result);
      label.className = 'result-label';
      label.textContent = prefix;
      if (title) {
        const run = result.run && result.run.field === 'title' ? result.run : null;
        const text = this.view.text(result, 'title');
        appendSegments(label, globalThis.ReaderQuery.snippet(text, hitsIn(result, 'title'), run, 1000));
      }
      return label;
    }

    /* ---- Opening a result: go there, open its note, mark the words (the whole run as one) ---- */

    /** @param {MouseEvent} event */
    onResultClick(event) {
      const link = /** @type {Element} */ (event.target).closest('a[role="option"]');
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button) return; // new tab
      event.preventDefault();
      const selection = getSelection();
      if (selection && !selection.isCollapsed && this.list.contains(selection.anchorNode)) return; // selecting to copy
      this.openResult(Number(link.id.replace('search-result-', '')));
    }

    /** @param {number} i */
    openResult(i) {
      const result = this.results[i];
      if (!result) return;
      this.close();
      const target = result.here === false ? null : doc.getElementById(result.ref);
      if (!target) {
        location.href = this.view.address(this.input.value, result);
        return;
      }
      markResult(result);
      if (/^note-/.test(result.ref)) this.reader.openNote(result.ref);
      if (location.hash === `#${result.ref}`) target.scrollIntoView({ block: 'center' });
      else location.hash = result.ref;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
    }

    /* ---- The list and the keyboard (the combobox pattern) ---- */

    open() {
      this.panel.hidden = false;
      this.input.setAttribute('aria-expanded', 'true');
    }

    close() {
      this.panel.hidden = true;
      this.input.setAttribute('aria-expanded', 'false');
      this.choose(-1);
    }

    isOpen() {
      return !this.panel.hidden;
    }

    /** @param {number} i */
    choose(i) {
      const items = this.list.querySelectorAll('a[role="option"]');
      items[this.active]?.setAttribute('aria-selected', 'false');
      this.active = items[i] ? i : -1;
      if (this.active < 0) return this.input.removeAttribute('aria-activedescendant');
      items[i].setAttribute('aria-selected', 'true');
      this.input.setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({ block: 'nearest' });
    }

    /** @param {string} text */
    showStatus(text) {
      this.status.textContent = this.summary.textContent = text;
    }

    /** Down from no choice goes to the first result, Up to the last; both wrap around. @param {number} step */
    move(step) {
      const n = this.results.length;
      if (!n) return;
      if (!this.isOpen()) this.open();
      this.choose(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
    }

    /** @param {KeyboardEvent} event */
    onKey(event) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.move(event.key === 'ArrowDown' ? 1 : -1);
      } else if (event.key === 'Enter') {
        event.preventDefault();
        const asked = this.input.value.trim() && this.input.value !== this.query ? this.run() : Promise.resolve();
        asked.then(() => this.openResult(this.active >= 0 ? this.active : 0));
      }
    }

    /** Esc in the search: first closes the list, then clears the box and goes back where "/" came from. */
    onEscape() {
      if (!this.form.contains(doc.activeElement)) return false;
      if (this.isOpen()) {
        this.close();
        return true;
      }
      this.input.value = '';
      this.run();
      const back = this.reader.returnFocus();
      if (back && back !== doc.body && doc.contains(back)) /** @type {HTMLElement} */ (back).focus();
      else this.input.blur();
      return true;
    }

    /** ?q=...: run it; with #ref (a shared result, or one opened from another page) mark that result's
        words and keep the list closed. */
    async openShared() {
      const initial = new URL(location.href).searchParams.get('q'), input = this.input;
      if (initial && !input.value) input.value = initial;
      if (!input.value.trim()) return;
      await this.run();
      const ref = decodeURIComponent(location.hash.slice(1));
      const shared = this.results.filter((result) => result.ref === ref && result.here !== false)[0];
      if (!initial || doc.activeElement === input) return;
      if (!shared) return input.focus({ preventScroll: true });
      this.close();
      markResult(shared);
    }
  }

  /** @param {SearchResult} result @param {string} field */
  const hitsIn = (result, field) => result.hits.filter((hit) => hit.field === field);

  /** A group of the list's options under a heading (the results in one other article): the options go in it.
      @param {DocumentFragment} items @param {string} title @param {number} first the number of its first option */
  function groupOf(items, title, first) {
    const group = doc.createElement('div'), heading = doc.createElement('p');
    group.setAttribute('role', 'group');
    group.className = 'search-group';
    heading.id = `search-group-${first}`;
    heading.className = 'search-group-title';
    heading.textContent = title;
    group.setAttribute('aria-labelledby', heading.id);
    group.appendChild(heading);
    items.appendChild(group);
    return group;
  }

  /** @param {Element} parent @param {Segment[]} segments */
  function appendSegments(parent, segments) {
    for (const segment of segments) {
      const node = segment.mark ? doc.createElement('mark') : doc.createTextNode(segment.text);
      if (segment.mark) node.textContent = segment.text;
      parent.appendChild(node);
    }
  }

  /** Mark a result's words in the page: its hits, and its run as one mark. @param {SearchResult} result */
  function markResult(result) {
    const marks = globalThis.ReaderMarks;
    marks.clearMarks('search-hit');
    for (const field of ['title', 'body']) {
      /** @type {Element | null} */
      let el = doc.getElementById(result.ref);
      if (el && /^note-/.test(result.ref)) el = el.querySelector(field === 'title' ? '.note-title' : '.note-body');
      else if (field === 'title') continue;
      /** @type {Span[]} */
      let spans = hitsIn(result, field);
      const run = result.run;
      if (run && run.field === field) {
        spans = spans.filter((h) => h.end <= run.start || h.start >= run.end).concat([run]);
      }
      marks.markRanges(el, spans, 'search-hit');
    }
  }

  /* ---- The address keeps ?q= so a search (or one result) can be shared ---- */

  /** @param {string} query */
  function syncAddress(query) {
    const url = new URL(location.href);
    if (query.trim()) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    if (url.href === location.href) return;
    try {
      history.replaceState(history.state, '', url.href);
    } catch {
      // some browsers on file://
    }
  }

  /** @type {SearchBox | null} */
  let box = null;

  /** The words' stems as the build stemmed them (reader/search.py STEMMERS): Arabic words by Arabic's light
      stemmer when the index says so, others by lunr.js's. @param {string | undefined} stemmer */
  function stemmerOf(stemmer) {
    const lunr = globalThis.lunr, { stemArabic } = globalThis.ReaderText;
    const english = (/** @type {string} */ word) => lunr.stemmer(new lunr.Token(word)).toString();
    if (stemmer !== 'ar') return english;
    return (/** @type {string} */ word) => (ARABIC.test(word) ? stemArabic(word) : english(word));
  }

  /** Start once: the engine (this article's, over the index its page names; on a shelf, the shelf's), the
      box's listeners, a search from the address. @param {Reader} reader */
  async function start(reader) {
    if (box) return;
    const shelf = globalThis.ReaderShelfResults;
    if (shelf) {
      const { engine, view } = await shelf.open(reader);
      box = new SearchBox(reader, engine, view);
    } else {
      const lunr = globalThis.lunr, index = globalThis.READER_SEARCH_INDEX, stem = stemmerOf(index.stemmer);
      const { createEngine, expandIndex } = globalThis.ReaderQuery;
      const view = globalThis.ReaderPageResults, textOf = view.textOf;
      box = new SearchBox(reader, createEngine(lunr, expandIndex(index, textOf, stem), textOf, stem), view);
    }
    box.listen();
    await box.openShared();
  }

  globalThis.ReaderSearch = { start };
})();
