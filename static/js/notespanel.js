/* The "Your notes" panel: every note of the reader's in text order, detached ones apart, and the
   notes' ways in and out of this browser: export (JSON-LD, Markdown), import, hide. On a shelf it holds
   every article's notes, in shelf order, and export and import cover them all (shelfnotes.js, loaded
   with it). In the notes bundle, before readernotes.js, whose notes it shows; registers ReaderNotesPanel. */
(() => {
  'use strict';
  const doc = document;
  /** @type {[string, string][]} each tool's action and label */
  const TOOLS = [['export-json', 'rn_export_json'], ['export-md', 'rn_export_md'], ['import', 'rn_import'],
    ['hide', 'rn_hide']];

  class NotesPanel {
    /** @type {HTMLElement | null} made on first use */
    el = null;
    /** @type {ShelfNotes | null} every article's notes, on a shelf */
    shelf = null;

    /** @param {NotesKeeper} notes */
    constructor(notes) {
      this.notes = notes;
    }

    /** Show or hide the panel (force), or switch it. @param {boolean} [force] */
    toggle(force) {
      const panel = this.el || this.make(), show = typeof force === 'boolean' ? force : panel.hidden;
      panel.hidden = !show;
      doc.getElementById('your-notes')?.setAttribute('aria-expanded', String(show));
      if (!show) return;
      this.fill();
      panel.focus({ preventScroll: true });
      if (this.shelf || !doc.querySelector('.shelf-nav')) return;
      this.notes.reader.loadBundle('shelfnotes').then(() => globalThis.ReaderShelfNotes.load(this.notes))
        .then((shelf) => {
          this.shelf = shelf;
          this.fill();
        }, () => {}); // without the shelf's list, this article's notes alone
    }

    /** The notes shown and exported, by article: on a shelf every article's, else this one's.
        @returns {NotesGroup[]} */
    groups() {
      const { title, source, base, list } = this.notes;
      return this.shelf ? this.shelf.groups() : [{ title, source, base, list, page: '' }];
    }

    make() {
      const { make, button } = globalThis.ReaderNoteCard, t = this.notes.reader.t;
      const panel = make('section', 'rn-panel'), title = make('h2', 'rn-panel-title', t('rn_panel'));
      const file = make('input'), tools = make('p', 'rn-tools'), status = make('p', 'rn-status');
      panel.id = 'rn-panel';
      panel.tabIndex = -1;
      panel.hidden = true;
      title.id = 'rn-panel-title';
      panel.setAttribute('aria-labelledby', title.id);
      // A phone has no Escape key and little room outside the panel to tap: it closes itself too.
      panel.append(button('close', t('close')), title, make('p', 'rn-help', t('rn_help')));
      for (const [action, label] of TOOLS) tools.append(button(action, t(label)), ' ');
      file.type = 'file';
      file.accept = '.jsonld,.json,application/ld+json,application/json';
      file.hidden = true;
      file.className = 'rn-file';
      file.addEventListener('change', () => {
        if (file.files?.[0]) this.importFile(file.files[0]);
        file.value = '';
      });
      tools.appendChild(file);
      status.setAttribute('role', 'status');
      panel.append(tools, status, make('div', 'rn-entries'));
      const toggle = doc.getElementById('your-notes');
      toggle?.setAttribute('aria-controls', panel.id);
      toggle?.parentNode?.appendChild(panel);
      this.el = panel;
      return panel;
    }

    /** Show the notes as they are now (when the panel is open). */
    fill() {
      const panel = this.el, notes = this.notes, { make } = globalThis.ReaderNoteCard, t = notes.reader.t;
      if (!panel || panel.hidden) return;
      panel.querySelector('[data-rn="hide"]')?.setAttribute('aria-pressed', String(notes.hidden));
      const warning = doc.getElementById('rn-notice'), groups = this.groups();
      const count = groups.reduce((sum, group) => sum + group.list.length, 0);
      this.status(`${count ? t('rn_count', { n: count }) : t('rn_empty')}${
        notes.storage && warning ? ` ${warning.textContent}` : ''}`);
      const entries = /** @type {HTMLElement} */ (panel.querySelector('.rn-entries'));
      entries.textContent = '';
      for (const { title, list, page } of groups.filter((group) => group.list.length)) {
        if (this.shelf) entries.appendChild(make('h3', 'rn-article', title));
        if (page) { // another article's: each note opens there
          entries.appendChild(this.entryList('ol', list, page));
          continue;
        }
        const placed = list.filter((n) => n.spot), detached = list.filter((n) => !n.spot);
        if (placed.length) entries.appendChild(this.entryList('ol', placed, notes.hidden ? null : ''));
        if (!detached.length) continue;
        entries.append(make(this.shelf ? 'h4' : 'h3', 'rn-detached-title', t('rn_detached')),
          make('p', 'rn-hint', t('rn_detached_help')), this.entryList('ul', detached, null));
      }
    }

    /** The panel's line saying how many notes there are, or what just happened. @param {string} text */
    status(text) {
      const line = this.el?.querySelector('.rn-status');
      if (line) line.textContent = text;
    }

    /** @param {'ol' | 'ul'} tag @param {ReaderNote[]} list @param {string | null} page the page whose cards they
        link to ('' this one), or null: not linked (and forgettable) */
    entryList(tag, list, page) {
      const { make, button, excerpt } = globalThis.ReaderNoteCard, ol = make(tag, 'rn-list');
      for (const n of list) {
        const item = make('li'), quote = `\u201c${excerpt(n.exact, 24)}\u201d`;
        item.setAttribute('data-id', n.id);
        if (page != null) {
          const go = make('a', 'rn-go', quote);
          go.href = `${page}#note-${n.dom}`;
          item.appendChild(go);
        } else item.appendChild(make('q', 'rn-quote', excerpt(n.exact, 24)));
        if (n.text) item.appendChild(make('p', 'rn-text', excerpt(n.text, 40)));
        if (page == null) item.appendChild(button('forget', this.notes.reader.t('rn_delete')));
        ol.appendChild(item);
      }
      return ol;
    }

    /* ---- Export and import ---- */

    /** notes-<the title's first words (the shelf's, on a shelf), up to 40 characters, in any script>.ext
        @param {string} ext */
    fileName(ext) {
      let slug = '';
      for (const word of this.title().toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
        if (slug && slug.length + 1 + word.length > 40) break;
        slug = slug ? `${slug}-${word}` : word.slice(0, 40);
      }
      return `notes-${slug || 'article'}${ext}`;
    }

    /** The article's title, or the shelf's. */
    title() {
      return this.shelf ? this.shelf.title : this.notes.title;
    }

    exportJson() {
      const { toAnnotation, collection, newId } = globalThis.ReaderAnnotations, notes = this.notes;
      // Another article's notes are on the address they were kept with.
      const items = this.groups().flatMap((g) => g.list.map((n) => toAnnotation(n, (g.page && n.on) || g.source)));
      const label = notes.reader.t('rn_label', { title: this.title() });
      const text = `${JSON.stringify(collection(items, label, newId()), null, 1)}\n`;
      download(this.fileName('.jsonld'), 'application/ld+json', text);
    }

    exportMarkdown() {
      const t = this.notes.reader.t, parts = [`# ${t('rn_label', { title: this.title() })}`];
      for (const { title, source, base, list, page } of this.groups().filter((g) => g.list.length || !this.shelf)) {
        if (this.shelf) parts.push(`## ${title}`);
        parts.push(`<${source}>`);
        for (const n of list) {
          parts.push(n.exact.split(/\n+/).map((line) => `> ${line}`).join('\n>\n'));
          if (n.text) parts.push(n.text);
          parts.push(n.spot || page ? `[${t('rn_in_article')}](<${globalThis.ReaderQuote.address(base, n)}>)`
            : `*${t('rn_detached')}*`);
          parts.push('---');
        }
      }
      download(this.fileName('.md'), 'text/markdown', `${parts.join('\n\n')}\n`);
    }

    /** Add a file's notes to the kept ones, all or none (said why); on a shelf, each to its article.
        @param {File} file */
    importFile(file) {
      const notes = this.notes, { LIMITS, parse, merge } = globalThis.ReaderAnnotations, shelf = this.shelf;
      if (file.size > LIMITS.file) return this.refuse('rn_why_big');
      file.text().then((text) => {
        const parsed = parse(text, false, shelf ? shelf.addresses() : notes);
        if (parsed.error) return this.refuse(parsed.error);
        const before = notes.list.slice(), items = parsed.items || [];
        const away = shelf ? shelf.store(items) : { here: items, added: 0, undo() {} };
        if (away.error) return this.refuse(away.error);
        const added = merge(notes.list, away.here) + away.added;
        // No room: nothing changes (storage off: they last for the visit, as said).
        if (added > away.added && !notes.save() && notes.storage === 'full') {
          notes.list = before;
          away.undo();
          return this.refuse('rn_why_full');
        }
        notes.render();
        this.say(notes.reader.t('rn_imported', { n: added, dup: items.length - added }));
      }, () => this.refuse('rn_why_json'));
    }

    /** @param {string} why the key of the reason */
    refuse(why) {
      const t = this.notes.reader.t;
      this.say(t('rn_refused', { why: t(why) }));
    }

    /** @param {string} text */
    say(text) {
      if (this.el) this.status(text);
      this.notes.reader.toast(text);
    }

    /* ---- Events: the panel's clicks (true when it took one), Escape, a press outside ---- */

    /** @param {MouseEvent} event */
    onClick(event) {
      const notes = this.notes, target = /** @type {Element} */ (event.target);
      const go = target.closest('.rn-go[href^="#"]'); // a note on this page (another's opens there)
      if (go) {
        event.preventDefault();
        const n = notes.list.filter((o) => o.id === go.parentElement?.getAttribute('data-id'))[0];
        this.toggle(false);
        if (n) notes.open(n, true);
        return true;
      }
      const el = target.closest('[data-rn]'), action = el?.getAttribute('data-rn');
      if (action === 'export-json') this.exportJson();
      else if (action === 'export-md') this.exportMarkdown();
      else if (action === 'import') this.el?.querySelector('input')?.click();
      else if (action === 'hide') notes.setHidden(!notes.hidden);
      else if (action === 'close') this.escape();
      else if (action === 'forget') {
        const id = el?.parentElement?.getAttribute('data-id');
        notes.list = notes.list.filter((o) => o.id !== id);
        notes.save();
        this.fill();
      } else return false;
      return true;
    }

    escape() {
      if (!this.el || this.el.hidden) return false;
      this.toggle(false);
      doc.getElementById('your-notes')?.focus();
      return true;
    }

    /** @param {PointerEvent} event */
    onOutside(event) {
      const target = /** @type {Element} */ (event.target);
      if (this.el && !this.el.hidden && !this.el.contains(target) && !target.closest('#your-notes')) this.toggle(false);
    }
  }

  /** Save text as a file named name. @param {string} name @param {string} type @param {string} text */
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type })), a = globalThis.ReaderNoteCard.make('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  globalThis.ReaderNotesPanel = NotesPanel;
})();
