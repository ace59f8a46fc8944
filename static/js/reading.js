/* An article on a shelf: where the reader is in it, kept as they read (shelf.js), so the shelf can offer
   "Continue reading" at that paragraph and mark the article read once its last paragraph has been on screen.
   The place is the furthest paragraph that has been at the top of the screen (below the toolbar): scrolling back
   to re-read a passage, or up to the links at the top, does not lose it. It is taken at most twice a second while
   the page scrolls, and when the page is left. Links to the articles either side go where the reader stopped
   in them. Nothing here runs at load: interact.js starts it when the reader first scrolls, points or types.
   Last part of the reading bundle; registers ReaderReading. */
(() => {
  'use strict';
  const doc = document;
  const EVERY = 500; // ms between two looks at the place while the page scrolls
  const LINE = 32; // px: a paragraph whose last line has gone under the toolbar is read; the next one is the place

  /** A paragraph's number (0 for none). @param {string} id p-N */
  const number = (id) => Number(id.slice(2)) || 0;

  class Reading {
    address = '';
    at = '';
    finished = false; // the last paragraph has been on screen in this visit
    kept = false; // the place as it is now is kept
    timer = 0;
    /** @type {HTMLElement[]} the article's paragraphs, in order */
    paras = [];

    start() {
      const shelf = globalThis.ReaderShelf;
      this.address = shelf.here();
      this.paras = Array.from(doc.querySelectorAll('#article-body .para[id^="p-"]'));
      if (!this.address || !this.paras.length) return;
      const { progress } = shelf.load();
      this.at = progress.articles[this.address]?.at || '';
      this.linkOn(progress);
      addEventListener('scroll', () => this.schedule(), { passive: true });
      addEventListener('pagehide', () => this.look());
      this.look();
    }

    schedule() {
      this.timer ||= setTimeout(() => {
        this.timer = 0;
        this.look();
      }, EVERY);
    }

    /** The furthest paragraph at the top of the screen, and whether the last one has been on it; kept when either
        changed. */
    look() {
      const bar = doc.getElementById('toolbar'), top = Math.max(0, bar ? bar.getBoundingClientRect().bottom : 0);
      const paras = this.paras, last = paras[paras.length - 1];
      let low = 0, high = paras.length - 1; // the first paragraph still showing more than a line below the toolbar
      while (low < high) {
        const mid = (low + high) >> 1;
        if (paras[mid].getBoundingClientRect().bottom > top + LINE) high = mid;
        else low = mid + 1;
      }
      const at = number(paras[low].id) > number(this.at) ? paras[low].id : this.at;
      const finished = this.finished || last.getBoundingClientRect().bottom <= innerHeight;
      if (at === this.at && finished === this.finished && this.kept) return;
      this.at = at;
      this.finished = finished;
      this.keep();
    }

    keep() {
      const { update, failed } = globalThis.ReaderShelf, { address, at, finished } = this;
      const why = update((progress) => { // read stays read, unless another tab has marked it unread since
        progress.articles[address] = { at, read: finished || !!progress.articles[address]?.read, time: Date.now() };
      });
      this.kept = !why;
      try { // the shelf's page says it: it cannot see a write that failed here
        if (why === 'full') sessionStorage.setItem(failed, why);
      } catch {
        // no storage at all: the shelf's page finds that by itself
      }
    }

    /** The links to the articles either side (top and foot of the page) lead to where the reader stopped in them.
        @param {ShelfProgress} progress */
    linkOn(progress) {
      for (const link of doc.querySelectorAll('.shelf-nav a[rel], .shelf-end a[rel]')) {
        const page = /** @type {HTMLAnchorElement} */ (link).href.replace(/#.*$/, '');
        const address = page.slice(globalThis.ReaderShelf.root.length).split('/')[0];
        link.setAttribute('href', globalThis.ReaderShelf.resume(page, progress.articles[address]));
      }
    }
  }

  globalThis.ReaderReading = { start: () => new Reading().start() };
})();
