/* The "Your notes" panel: every note of the reader's in text order, detached ones apart, and the
   notes' ways in and out of this browser: export (JSON-LD, Markdown), import, hide. In the notes
   bundle, before readernotes.js, whose notes it shows; registers ReaderNotesPanel. */
(() => {
  'use strict';
  const doc = document;
  /** @type {[string, string][]} each tool's action and label */
  const TOOLS = [['export-json', 'rn_export_json'], ['export-md', 'rn_export_md'], ['import', 'rn_import'],
    ['hide', 'rn_hide']];

  class NotesPanel {
    /** @type {HTMLElement | null} made on first use */
    el = null;

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
      const warning = doc.getElementById('rn-notice');
      this.status(`${notes.list.length ? t('rn_count', { n: notes.list.length }) : t('rn_empty')}${
        notes.storage && warning ? ` ${warning.textContent}` : ''}`);
      const entries = /** @type {HTMLElement} */ (panel.querySelector('.rn-entries'));
      const placed = notes.list.filter((n) => n.spot), detached = notes.list.filter((n) => !n.spot);
      entries.textContent = '';
      if (placed.length) entries.appendChild(this.entryList('ol', placed, !notes.hidden));
      if (!detached.length) return;
      entries.append(make('h3', 'rn-detached-title', t('rn_detached')), make('p', 'rn-hint', t('rn_detached_help')),
        this.entryList('ul', detached, false));
    }

    /** The panel's line saying how many notes there are, or what just happened. @param {string} text */
    status(text) {
      const line = this.el?.querySelector('.rn-status');
      if (line) line.textContent = text;
    }

    /** @param {'ol' | 'ul'} tag @param {ReaderNote[]} list @param {boolean} linked to their cards */
    entryList(tag, list, linked) {
      const { make, button, excerpt } = globalThis.ReaderNoteCard, ol = make(tag, 'rn-list');
      for (const n of list) {
        const item = make('li'), quote = `\u201c${excerpt(n.exact, 24)}\u201d`;
        item.setAttribute('data-id', n.id);
        if (linked) {
          const go = make('a', 'rn-go', quote);
          go.href = `#note-${n.dom}`;
          item.appendChild(go);
        } else item.appendChild(make('q', 'rn-quote', excerpt(n.exact, 24)));
        if (n.text) item.appendChild(make('p', 'rn-text', excerpt(n.text, 40)));
        if (!linked) item.appendChild(button('forget', this.notes.reader.t('rn_delete')));
        ol.appendChild(item);
      }
      return ol;
    }

    /* ---- Export and import ---- */

    /** notes-<the title's first words, up to 40 characters, in any script>.ext @param {string} ext */
    fileName(ext) {
      let slug = '';
      for (const word of this.notes.title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)) {
        if (slug && slug.length + 1 + word.length > 40) break;
        slug = slug ? `${slug}-${word}` : word.slice(0, 40);
      }
      return `notes-${slug || 'article'}${ext}`;
    }

    exportJson() {
      const { toAnnotation, collection, newId } = globalThis.ReaderAnnotations, notes = this.notes;
      const items = notes.list.map((n) => toAnnotation(n, notes.source));
      const label = notes.reader.t('rn_label', { title: notes.title });
      const text = `${JSON.stringify(collection(items, label, newId()), null, 1)}\n`;
      download(this.fileName('.jsonld'), 'application/ld+json', text);
    }

    exportMarkdown() {
      const notes = this.notes, t = notes.reader.t;
      const parts = [`# ${t('rn_label', { title: notes.title })}`, `<${notes.source}>`];
      for (const n of notes.list) {
        parts.push(n.exact.split(/\n+/).map((line) => `> ${line}`).join('\n>\n'));
        if (n.text) parts.push(n.text);
        parts.push(n.spot ? `[${t('rn_in_article')}](<${globalThis.ReaderQuote.address(notes.base, n)}>)`
          : `*${t('rn_detached')}*`);
        parts.push('---');
      }
      download(this.fileName('.md'), 'text/markdown', `${parts.join('\n\n')}\n`);
    }

    /** Add a file's notes to the kept ones, all or none (said why). @param {File} file */
    importFile(file) {
      const notes = this.notes, { LIMITS, parse } = globalThis.ReaderAnnotations;
      if (file.size > LIMITS.file) return this.refuse('rn_why_big');
      file.text().then((text) => {
        const parsed = parse(text, false, notes);
        if (parsed.error) return this.refuse(parsed.error);
        const before = notes.list.slice(), items = parsed.items || [];
        let added = 0;
        for (const n of items) {
          const known = notes.list.some((o) => o.id === n.id
            || (o.exact === n.exact && o.prefix === n.prefix && o.suffix === n.suffix && o.text === n.text));
          if (known) continue;
          notes.list.push(n);
          added++;
        }
        // No room: nothing changes (storage off: they last for the visit, as said).
        if (added && !notes.save() && notes.storage === 'full') {
          notes.list = before;
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
      const notes = this.notes, target = /** @type {Element} */ (event.target), go = target.closest('.rn-go');
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
