/* "Your notes" across a shelf: every article's notes, each kept in this browser under its own article's key (as
   readernotes.js keeps them), listed in shelf order with links to their places on their pages, exported as one
   W3C annotation collection whose notes each name their article, and imported back each to its article, all or
   none. Reads the build's list of the shelf's articles (address, title, the key of their notes: shelf.js).
   Last part of the shelf-notes bundle, loaded with the "Your notes" panel on a shelf; registers ReaderShelfNotes. */
(() => {
  'use strict';
  const doc = document;
  const MARKER = 'reader:my-notes';

  /** @implements {ShelfNotes} */
  class AllNotes {
    /** @param {NotesKeeper} notes @param {ShelfArticle[]} articles in shelf order */
    constructor(notes, articles) {
      this.notes = notes;
      this.articles = articles;
      this.here = globalThis.ReaderShelf.here();
      this.title = doc.querySelector('.shelf-nav .shelf-back')?.textContent || notes.title;
    }

    /** An article's page. @param {ShelfArticle} a */
    page(a) {
      return `${globalThis.ReaderShelf.root}${a.a}/index.html`;
    }

    /** The addresses an article's notes may be on: its original's (or its page's with the site's address), its
        page's as reached. @param {ShelfArticle} a */
    sources(a) {
      const folder = `${globalThis.ReaderShelf.root}${a.a}/`;
      return [a.src, folder, `${folder}index.html`].filter(Boolean);
    }

    /** Every address an imported note may be on. */
    addresses() {
      return [this.notes.source, this.notes.base, ...this.articles.flatMap((a) => this.sources(a))];
    }

    /** Each article's notes in shelf order: this page's as it holds them now, the others' as kept. */
    groups() {
      const { title, source, base, list } = this.notes, own = { title, source, base, list, page: '' };
      const groups = this.articles.map((a) => {
        const page = this.page(a);
        return a.a === this.here ? { ...own, title: a.t }
          : { title: a.t, source: a.src || page, base: page, list: this.kept(a).list, page };
      });
      return this.articles.some((a) => a.a === this.here) ? groups : [own, ...groups];
    }

    /** An article's notes as kept (none when they cannot be read: its page says so, and sets them aside).
        @param {ShelfArticle} a */
    kept(a) {
      const key = `${MARKER}:${a.key}`;
      let raw = null;
      try {
        raw = localStorage.getItem(key);
      } catch {
        // no storage: nothing kept
      }
      const parsed = raw ? globalThis.ReaderAnnotations.parse(raw, true, []) : { items: [] };
      return { key, raw, list: parsed.items || [], unreadable: !!parsed.error };
    }

    /** Keep imported notes with their articles' (all, or none when the browser will not); this page's are handed
        back for the panel to add. @param {ReaderNote[]} items @returns {ShelfImport} */
    store(items) {
      const { merge, toAnnotation, collection } = globalThis.ReaderAnnotations, notes = this.notes;
      const here = [], away = new Map(), written = /** @type {[string, string | null][]} */ ([]);
      for (const n of items) {
        const a = this.articles.filter((one) => this.sources(one).indexOf(n.on || '') >= 0)[0];
        if (!a || a.a === this.here || n.on === notes.source || n.on === notes.base) here.push(n);
        else away.set(a, [...(away.get(a) || []), n]);
      }
      const undo = () => written.reverse().forEach(([key, raw]) => {
        try {
          if (raw == null) localStorage.removeItem(key);
          else localStorage.setItem(key, raw);
        } catch {
          // what could not be written stayed as it was
        }
      });
      let added = 0;
      try {
        for (const [a, list] of away) {
          const kept = this.kept(a), more = merge(kept.list, list);
          if (!more) continue;
          if (kept.unreadable) localStorage.setItem(`${kept.key}:unreadable`, kept.raw || ''); // set aside, not lost
          written.push([kept.key, kept.raw]);
          const label = notes.reader.t('rn_label', { title: a.t });
          localStorage.setItem(kept.key, JSON.stringify(collection(kept.list.map((n) => toAnnotation(n,
            n.on || a.src || this.page(a))), label)));
          added += more;
        }
        if (added) localStorage.setItem(MARKER, '1');
      } catch (error) {
        undo();
        const full = /** @type {DOMException} */ (error).name === 'QuotaExceededError';
        return { here, added: 0, undo, error: full ? 'rn_why_full' : 'rn_why_off' };
      }
      return { here, added, undo };
    }
  }

  globalThis.ReaderShelfNotes = {
    load: (notes) => globalThis.ReaderShelf.list(doc.querySelector('.shelf-nav')?.getAttribute('data-list'))
      .then((articles) => new AllNotes(notes, articles)),
  };
})();
