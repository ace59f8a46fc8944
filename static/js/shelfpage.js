/* The shelf's page: each article marked read, or where the reader stopped in it (its link goes there), with
   "Mark unread" on the read ones; "Continue reading" (else "Next unread") at the top; and the filter by title,
   author and lead, over the whole shelf when it has several pages (the build's list of every article, loaded
   when the filter is first used). The search box searches the whole shelf, with the article pages' own script,
   loaded when the box is first used ("/", a tap, ?q=). Progress that cannot be kept is said in one line. Without
   scripts the page is the plain list and the filter and search stay hidden. Loaded in <head> (its strings and
   shelf.js before it, in one file): it marks the page before the first paint (the "js" class; "shelf-going" when
   there is progress to show) so that the stylesheet gives the filter and "Continue reading" their room at once
   and nothing moves; then it runs when the page is parsed. Registers ReaderShelfPage. */
(() => {
  'use strict';
  const doc = document;
  const script = /** @type {HTMLScriptElement | null} */ (doc.currentScript), root = doc.documentElement;
  root.classList.add('js');
  if (Object.keys(globalThis.ReaderShelf.load().progress.articles).length) root.classList.add('shelf-going');
  /** @type {Record<ShelfProblem | 'full', string>} */
  const SAY = { off: 'shelf_no_storage', full: 'shelf_full', unreadable: 'shelf_unreadable', '': '' };

  /** The interface string for key in the page's language (ReaderStrings, the build's), {names} filled in.
      @param {string} key @param {Record<string, string>} [values] */
  function t(key, values = {}) {
    return String(globalThis.ReaderStrings?.[key] ?? key)
      .replace(/\{(\w+)\}/g, (match, name) => values[name] ?? match);
  }

  /** Text as the filter compares it: lower case, without accents. @param {string} text */
  const fold = (text) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

  /** @template {keyof HTMLElementTagNameMap} K @param {K} tag @param {string} className @param {string} [text] */
  function make(tag, className, text) {
    const el = doc.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /** An article's title link in the list. @param {Element} item */
  const titleLink = (item) => /** @type {HTMLAnchorElement} */ (item.querySelector('.shelf-item-title a'));

  /** An article's address, from its item's id (a-<address>: the shelf page's markup says it once).
      @param {Element} item */
  const addressOf = (item) => item.id.slice(2);

  class ShelfPage {
    /** @type {Record<string, HTMLElement>} this page's articles, by address */
    items = {};
    /** @type {ShelfProgress} */
    progress = { v: 1, articles: {} };
    paged = false; // the shelf has more pages than this one
    listed = script?.getAttribute('data-list');
    /** @type {ShelfArticle[] | null} every article of the shelf, once the filter has loaded them */
    all = null;
    query = '';

    start() {
      this.paged = !!doc.querySelector('.shelf-pages');
      for (const item of doc.querySelectorAll('.shelf-item')) {
        if (item instanceof HTMLElement) this.items[addressOf(item)] = item;
      }
      this.show();
      addEventListener('storage', (event) => {
        if (event.key === globalThis.ReaderShelf.key || event.key === null) this.show(); // another tab read on
      });
      doc.addEventListener('click', (event) => this.onClick(event));
      this.startFilter();
      this.startSearch();
    }

    /* ---- The search box: the article pages' script (reader.js), loaded when the box is first used ---- */

    startSearch() {
      const input = doc.getElementById('search-input'), bar = doc.getElementById('toolbar');
      const reader = script?.getAttribute('data-reader');
      if (!(input instanceof HTMLInputElement) || !bar || !reader) return;
      const fit = () => root.classList.toggle('bar-tall', bar.offsetHeight > innerHeight / 4); // as reader.js does
      fit();
      addEventListener('resize', fit);
      let loading = false;
      const load = () => {
        if (loading) return;
        loading = true;
        const tag = doc.createElement('script');
        tag.src = reader;
        tag.setAttribute('data-interact', script?.getAttribute('data-interact') || '');
        doc.head.append(tag);
      };
      input.addEventListener('focus', load);
      doc.addEventListener('keydown', (event) => { // "/" goes to the box, as on every page
        const el = doc.activeElement;
        if (loading || event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey
          || (el instanceof HTMLElement && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)))) {
          return;
        }
        event.preventDefault();
        input.focus();
      });
      if (new URL(location.href).searchParams.get('q')) load(); // a search shared by its address
    }

    /* ---- Progress: what has been read, where the reader stopped, where to go on ---- */

    show() {
      const shelf = globalThis.ReaderShelf, { problem, progress } = shelf.load();
      this.progress = progress;
      for (const [address, item] of Object.entries(this.items)) this.mark(item, progress.articles[address]);
      this.offer().catch(() => {});
      let unsaved = null; // an article page could not keep the reader's place
      try {
        unsaved = sessionStorage.getItem(shelf.failed);
        sessionStorage.removeItem(shelf.failed);
      } catch {
        // no storage: said below
      }
      if (problem || unsaved) this.notice(problem || 'full');
      if (progress.aside) shelf.update((kept) => { delete kept.aside; }); // said once
    }

    /** An article as read, or stopped in, or untouched. @param {HTMLElement} item @param {ShelfEntry} [entry] */
    mark(item, entry) {
      const link = titleLink(item), title = link.parentElement, meta = item.querySelector('.shelf-item-meta');
      for (const old of item.querySelectorAll('.shelf-state, .shelf-unread')) old.remove();
      item.classList.toggle('is-read', !!entry?.read);
      link.href = globalThis.ReaderShelf.resume(link.href.replace(/#.*$/, ''), entry);
      const state = entry?.read ? t('shelf_read') : entry?.at ? t('shelf_stopped', { n: entry.at.slice(2) }) : '';
      if (state) title?.append(' ', make('span', 'shelf-state', state));
      if (!entry?.read || !title || !meta) return;
      const button = make('button', 'shelf-unread', t('shelf_mark_unread'));
      button.type = 'button';
      title.id = `${item.id}-title`;
      button.setAttribute('aria-describedby', title.id); // which article: its title
      button.setAttribute('data-address', addressOf(item));
      meta.append(' ', button);
    }

    /** "Continue reading" the article last stopped in, else "Next unread" after the one last finished. */
    async offer() {
      const line = doc.getElementById('shelf-continue'), kept = this.progress.articles, shelf = globalThis.ReaderShelf;
      if (!line) return;
      if (!Object.keys(kept).length) root.classList.remove('shelf-going'); // marked unread, here or in another tab
      const articles = Object.keys(kept).length ? await this.articles() : [];
      const latest = (/** @type {(e: ShelfEntry) => boolean} */ test) => articles
        .filter((a) => kept[a.a] && test(kept[a.a])).sort((a, b) => kept[b.a].time - kept[a.a].time)[0];
      const going = latest((e) => !e.read && !!e.at), done = latest((e) => e.read);
      const at = done ? articles.indexOf(done) : -1;
      const next = going || [...articles.slice(at + 1), ...articles.slice(0, at)].filter((a) => !kept[a.a])[0];
      line.hidden = !(going || done) || !next;
      root.classList.toggle('shelf-going', !line.hidden);
      if (line.hidden) return;
      const link = make('a', '', next.t);
      const [before, after] = t(going ? 'shelf_continue' : 'shelf_next_unread').split('{title}');
      link.href = shelf.resume(`${shelf.root}${next.a}/index.html`, kept[next.a]);
      line.replaceChildren(before, link, after || '');
    }

    /** Every article in shelf order with its title: this page's when it lists them all, else the build's list.
        @returns {Promise<{a: string, t: string}[]>} */
    articles() {
      if (this.paged) return globalThis.ReaderShelf.list(this.listed);
      return Promise.resolve(Object.entries(this.items).map(([a, item]) => ({ a, t: titleLink(item).text })));
    }

    /** One line saying why progress is not kept. @param {ShelfProblem | 'full'} why */
    notice(why) {
      let line = doc.getElementById('shelf-notice');
      if (!line) {
        line = make('p', 'shelf-notice');
        line.id = 'shelf-notice';
        line.setAttribute('role', 'status');
        doc.getElementById('shelf-continue')?.before(line);
      }
      line.textContent = t(SAY[why]);
    }

    /** @param {MouseEvent} event */
    onClick(event) {
      const button = /** @type {Element} */ (event.target).closest?.('.shelf-unread');
      const address = button?.getAttribute('data-address');
      if (!address) return;
      const why = globalThis.ReaderShelf.update((kept) => { delete kept.articles[address]; });
      if (why) return this.notice(why); // nothing changed
      this.show();
      titleLink(this.items[address]).focus();
    }

    /* ---- The filter: every word typed, in the title, the author or the lead, whatever the case and accents ---- */

    startFilter() {
      const row = doc.getElementById('shelf-filter-row'), input = doc.getElementById('shelf-filter');
      if (!row || !(input instanceof HTMLInputElement)) return;
      row.hidden = false;
      // While some are hidden, the others keep their numbers on the shelf.
      for (const list of /** @type {NodeListOf<HTMLOListElement>} */ (doc.querySelectorAll('ol.shelf-list'))) {
        Array.from(list.children, (item, i) => Object.assign(item, { value: list.start + i }));
      }
      if (this.paged) {
        input.addEventListener('focus', () => globalThis.ReaderShelf.list(this.listed).then((all) => {
          this.all = all;
          this.filter(this.query);
        }, () => {}), { once: true });
      }
      input.addEventListener('input', () => this.filter(input.value));
      if (input.value) this.filter(input.value); // kept by the browser over a reload
    }

    /** Show the articles the query's every word is in; on a paged shelf, the other pages' below.
        @param {string} query */
    filter(query) {
      this.query = query;
      const words = fold(query).split(/\s+/).filter(Boolean);
      const hit = (/** @type {string} */ text) => words.every((word) => fold(text).includes(word));
      let shown = 0;
      for (const item of Object.values(this.items)) {
        const parts = ['.shelf-item-title a', '.shelf-item-meta', '.shelf-item-lead'].map((s) => item.querySelector(s));
        item.hidden = !hit(parts.map((el) => el?.firstChild?.textContent || '').join(' '));
        shown += item.hidden ? 0 : 1;
      }
      for (const part of doc.querySelectorAll('.shelf-part, .shelf-paths')) {
        /** @type {HTMLElement} */ (part).hidden = !part.querySelector('.shelf-item:not([hidden])')
          && (words.length > 0 || part.classList.contains('shelf-others'));
      }
      const others = words.length && this.all
        ? this.all.filter((a) => !this.items[a.a] && hit(`${a.t} ${a.by} ${a.lead}`)) : [];
      this.showOthers(others);
      const status = doc.getElementById('shelf-filter-status');
      const none = words.length && !shown && !others.length;
      if (status) status.textContent = none ? t('shelf_no_match', { q: query.trim() }) : '';
    }

    /** The matching articles of the shelf's other pages, numbered in shelf order. @param {ShelfArticle[]} found */
    showOthers(found) {
      let part = doc.getElementById('shelf-others');
      if (!part && !found.length) return;
      if (!part) {
        part = make('section', 'shelf-part shelf-others');
        part.id = 'shelf-others';
        part.setAttribute('aria-labelledby', 'shelf-others-title');
        const heading = make('h2', '', t('shelf_other_pages'));
        heading.id = 'shelf-others-title';
        part.append(heading, make('ol', 'shelf-list'));
        doc.querySelector('.shelf-pages')?.before(part);
      }
      const list = /** @type {HTMLElement} */ (part.querySelector('ol')), all = this.all || [];
      list.replaceChildren(...found.map((a) => {
        const item = make('li', 'shelf-item'), title = make('h3', 'shelf-item-title'), link = make('a', '', a.t);
        link.href = globalThis.ReaderShelf.resume(`${globalThis.ReaderShelf.root}${a.a}/index.html`,
          this.progress.articles[a.a]);
        title.append(link);
        item.append(title, make('p', 'shelf-item-meta', a.by), make('p', 'shelf-item-lead', a.lead));
        return Object.assign(item, { value: all.indexOf(a) + 1 });
      }));
      part.hidden = !found.length;
    }
  }

  const page = new ShelfPage();
  globalThis.ReaderShelfPage = page;
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', () => page.start());
  else page.start();
})();
