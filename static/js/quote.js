/* Quote tools: select words in the article and copy a link to them, or the words with a citation.
   A quote link carries a W3C TextQuoteSelector in the fragment (#selector(type=TextQuoteSelector,
   exact=…,prefix=…,suffix=…)) and a text fragment (:~:text=…) so browsers highlight the words
   even without this script; opening one, this script finds the words again by their quote and
   context, so it survives edits elsewhere, and says so when they are gone.
   Loaded on the first selection (or with a quote link), after marks.js; interact.js calls start().
   Registers ReaderQuote (its pure parts serve readernotes.js too). */
(() => {
  'use strict';
  const doc = document;
  const CONTEXT = 32;        // chars of prefix and suffix kept with a quote
  const FRAGMENT_WORDS = 4;  // words at each end of a long quote in a text fragment
  const SETTLE_MS = 120;     // a selection must rest this long before the tools show
  /** @type {[string, string][]} each button's action and label */
  const BUTTONS = [['link', 'copy_link'], ['quote', 'copy_quote'], ['markdown', 'copy_markdown'],
    ['highlight', 'highlight'], ['note', 'add_note']];

  /* ---- Quotes as text positions ---- */

  /** A TextQuoteSelector for text[start:end] with CONTEXT chars either side.
      @param {string} text @param {number} start @param {number} end @returns {TextQuoteSelector} */
  function selectorAt(text, start, end) {
    return { type: 'TextQuoteSelector', exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT), start), suffix: text.slice(end, end + CONTEXT) };
  }

  /** Where a selector's words are in text: the occurrence whose prefix and suffix match best.
      strict: only an occurrence with its prefix and suffix both intact, or the only occurrence.
      @param {string} text @param {TextQuoteSelector} selector @param {boolean} strict @returns {Span | null} */
  function locate(text, selector, strict) {
    const exact = selector.exact || '', prefix = selector.prefix || '', suffix = selector.suffix || '';
    const found = [];
    for (let at = text.indexOf(exact); exact && at >= 0; at = text.indexOf(exact, at + 1)) found.push(at);
    if (!found.length) return null;
    const scored = found.map((at) => ({ start: at,
      score: sharedEnd(text.slice(0, at), prefix) + sharedStart(text.slice(at + exact.length), suffix) }));
    scored.sort((a, b) => b.score - a.score || a.start - b.start);
    const best = scored[0];
    if (strict && found.length > 1 && best.score < prefix.length + suffix.length) return null;
    return { start: best.start, end: best.start + exact.length };
  }

  /** How many chars a and b share at their ends. @param {string} a @param {string} b */
  function sharedEnd(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  }

  /** How many chars a and b share at their starts. @param {string} a @param {string} b */
  function sharedStart(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  /* ---- Addresses: #selector(...) then :~:text=... ---- */

  /** Percent-encode all but unreserved characters (both syntaxes give , ( ) - & meanings). @param {string} value */
  function encode(value) {
    return encodeURIComponent(value).replace(/[!'()*~\-.,]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  }

  /** The text fragment directive (text=…) that finds a selector's words. @param {TextQuoteSelector} selector */
  function textFragment(selector) {
    const words = selector.exact.split(/\s+/);
    const exact = words.length > 2 * FRAGMENT_WORDS || /\n/.test(selector.exact)
      ? `${encode(words.slice(0, FRAGMENT_WORDS).join(' '))},${encode(words.slice(-FRAGMENT_WORDS).join(' '))}`
      : encode(selector.exact);
    // Context words only from the same paragraph, whole words, next to the quote.
    const prefix = /(\S+\s+){0,2}\S+\s+$/.exec(selector.prefix.split('\n').pop() || '');
    const suffix = /^\s+\S+(\s+\S+){0,2}/.exec(selector.suffix.split('\n')[0]);
    return `text=${prefix && /\s$/.test(selector.prefix) ? `${encode(prefix[0].trim())}-,` : ''}${exact}${
      suffix && /^\s/.test(selector.suffix) ? `,-${encode(suffix[0].trim())}` : ''}`;
  }

  /** A quote link: base (a page's address) with the selector's words in its fragment, twice over.
      @param {string} base @param {TextQuoteSelector} selector */
  function quoteAddress(base, selector) {
    return `${base}#selector(type=TextQuoteSelector,exact=${encode(selector.exact)},prefix=${encode(selector.prefix)
    },suffix=${encode(selector.suffix)}):~:${textFragment(selector)}`;
  }

  /** The selector in an address's fragment, or null. @param {string} hash @returns {TextQuoteSelector | null} */
  function parseAddress(hash) {
    const match = /^#?selector\(([^)]*)\)/.exec(hash);
    if (!match) return null;
    /** @type {Record<string, string>} */
    const selector = {};
    for (const pair of match[1].split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      try {
        selector[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1));
      } catch {
        // a broken escape: ignored
      }
    }
    const { type, exact, prefix = '', suffix = '' } = selector;
    return type === 'TextQuoteSelector' && exact ? { type, exact, prefix, suffix } : null;
  }

  /* ---- Copying: the quote with its citation, as plain text, Markdown and HTML ---- */

  /** @param {string} text */
  function escapeHtml(text) {
    /** @type {Record<string, string>} */
    const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
    return String(text).replace(/[&<>"]/g, (c) => entities[c]);
  }

  /** The page's citation (author, title, publication, date), from #cite-text's data-cite. */
  function citationParts() {
    try {
      return JSON.parse(doc.getElementById('cite-text')?.getAttribute('data-cite') || '');
    } catch {
      return null;
    }
  }

  /** @param {TextQuoteSelector} selector @param {string} link */
  function citedQuote(selector, link) {
    /** @type {{author?: string, title?: string, publication?: string, date?: string}} */
    const cite = citationParts() || {};
    const parts = [cite.author, `\u201c${cite.title}\u201d`, cite.publication, cite.date]
      .filter((p) => p && p !== '\u201cundefined\u201d');
    const words = selector.exact.replace(/\n+/g, '\n');
    const plain = `\u201c${words}\u201d \u2014 ${parts.join(', ')}, ${link}`;
    const md = `${words.split('\n').map((line) => `> ${line}`).join('\n>\n')}\n\n\u2014 ${
      [cite.author, `[\u201c${cite.title}\u201d](<${link}>)`, cite.publication && `*${cite.publication}*`, cite.date]
        .filter(Boolean).join(', ')}`;
    const anchor = `<a href="${escapeHtml(link)}">\u201c${escapeHtml(cite.title || '')}\u201d</a>`;
    const html = `<blockquote>${escapeHtml(words).replace(/\n/g, '<br>')}</blockquote><p>\u2014 ${
      [cite.author, anchor, cite.publication, cite.date]
        .filter(Boolean).map((p, i) => (i === 1 ? p : escapeHtml(p || ''))).join(', ')}</p>`;
    return { plain, markdown: md, html };
  }

  /* ---- The tools beside a selection ---- */

  class QuoteTools {
    /** @type {HTMLElement | null} the toolbar, made on first use */
    box = null;
    /** @type {TextQuoteSelector | null} the selected words */
    selector = null;
    /** @type {Span | null} where they are in the body's text */
    spot = null;
    timer = 0;
    tabbed = false; // Tab went into the tools for this selection

    /** @param {Reader} reader @param {HTMLElement} body the article's text */
    constructor(reader, body) {
      this.reader = reader;
      this.body = body;
    }

    /** The body-text offsets a DOM range covers, trimmed of white space; null outside the body.
        @param {Range} range @returns {Span | null} */
    offsetsOf(range) {
      const body = this.body;
      if (!body.contains(range.commonAncestorContainer)) return null;
      const before = doc.createRange();
      before.setStart(body, 0);
      before.setEnd(range.startContainer, range.startOffset);
      let start = before.toString().length, end = start + range.toString().length;
      const text = body.textContent || '';
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      return end > start ? { start, end } : null;
    }

    /** Opened with a quote link: mark the words and bring them into view, or say they are gone. */
    openFromAddress() {
      const selector = parseAddress(location.hash);
      if (!selector) return;
      globalThis.ReaderMarks.clearMarks('quote-hit');
      const spot = locate(this.body.textContent || '', selector, false);
      if (!spot) return this.reader.notice('quote-notice', this.reader.t('quote_missing'));
      const marks = globalThis.ReaderMarks.markRanges(this.body, [spot], 'quote-hit');
      if (marks.length) marks[0].scrollIntoView({ block: 'center', behavior: 'instant' });
    }

    /** A button's action: copy (link, quote, Markdown), or a highlight or note of the reader's own.
        @param {string} action */
    act(action) {
      const { selector, spot, reader } = this;
      if (!selector) return;
      if (action === 'highlight' || action === 'note') { // the reader's own notes (readernotes.js)
        this.hide(false);
        return reader.readerNotes().then((mine) => mine.add(selector, spot, action === 'note'));
      }
      const link = quoteAddress(reader.pageAddress(), selector), cited = citedQuote(selector, link);
      const copying = action === 'link' ? reader.copyText(link)
        : action === 'markdown' ? reader.copyText(cited.markdown) : reader.copyText(cited.plain, cited.html);
      copying.then((done) => reader.toast(reader.t(!done ? 'copy_failed' : action === 'link' ? 'copied_link'
        : action === 'markdown' ? 'copied_markdown' : 'copied_quote')));
      this.hide(true);
    }

    tools() {
      if (this.box) return this.box;
      const box = doc.createElement('div');
      box.className = 'quote-tools';
      box.setAttribute('role', 'toolbar');
      box.setAttribute('aria-label', this.reader.t('quote_tools'));
      for (const [action, label] of BUTTONS) {
        const button = doc.createElement('button');
        button.type = 'button';
        button.setAttribute('data-act', action);
        button.textContent = this.reader.t(label);
        box.appendChild(button);
      }
      box.hidden = true;
      box.addEventListener('mousedown', (event) => event.preventDefault()); // keep the selection
      box.addEventListener('click', (event) => {
        const button = /** @type {Element} */ (event.target).closest('button');
        if (button) this.act(button.getAttribute('data-act') || '');
      });
      box.addEventListener('keydown', (event) => {
        const buttons = [...box.querySelectorAll('button')];
        const i = buttons.indexOf(/** @type {HTMLButtonElement} */ (doc.activeElement));
        if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
        event.preventDefault();
        buttons[(i + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length].focus();
      });
      doc.getElementById('main')?.appendChild(box); // inside the page's landmarks
      this.box = box;
      return box;
    }

    /** Show the tools for the current selection when it is words of the article; else hide them. */
    check() {
      const selection = getSelection();
      const range = selection && selection.rangeCount && !selection.isCollapsed ? selection.getRangeAt(0) : null;
      const spot = range && this.offsetsOf(range);
      if (!range || !spot) return this.hide(false);
      this.selector = selectorAt(this.body.textContent || '', spot.start, spot.end);
      this.spot = spot;
      this.tabbed = false;
      const box = this.tools(), rect = range.getBoundingClientRect();
      box.hidden = false;
      // On touch screens a bar at the foot of the screen (more.css): the system's menu sits above the
      // words and its selection handles below them.
      if (matchMedia('(pointer: coarse)').matches) return;
      const width = box.offsetWidth, height = box.offsetHeight;
      const top = rect.top - height - 8 < 64 ? rect.bottom + 8 : rect.top - height - 8;
      const left = Math.max(8, Math.min(rect.left + rect.width / 2 - width / 2, innerWidth - width - 8));
      const frame = /** @type {Element} */ (box.parentNode).getBoundingClientRect(); // main: it contains the box
      box.style.top = `${Math.round(top - frame.top)}px`;
      box.style.left = `${Math.round(left - frame.left)}px`;
    }

    /** @param {boolean} returnFocus */
    hide(returnFocus) {
      if (!this.box || this.box.hidden) return false;
      const inside = this.box.contains(doc.activeElement);
      this.box.hidden = true;
      if (inside && returnFocus) doc.body.focus();
      return true;
    }

    /* The tools wait until the words are chosen: a selection that rests, and no button held (tools
       shown mid-drag would sit in the pointer's way). */
    onSelectionChange() {
      clearTimeout(this.timer);
      if (!this.reader.pressed) this.timer = setTimeout(() => this.check(), SETTLE_MS);
    }

    /** Tab, once, goes from a fresh selection into the tools: the keyboard's way to them.
        @param {KeyboardEvent} event */
    onKeyDown(event) {
      const box = this.box;
      if (event.key !== 'Tab' || event.shiftKey || this.tabbed || !box || box.hidden) return;
      if (box.contains(doc.activeElement)) return;
      this.tabbed = true;
      event.preventDefault();
      box.querySelector('button')?.focus();
    }

    listen() {
      const reader = this.reader;
      doc.addEventListener('selectionchange', () => this.onSelectionChange());
      doc.addEventListener('mouseup', () => setTimeout(() => this.onSelectionChange()));
      doc.addEventListener('keydown', (event) => this.onKeyDown(event));
      reader.onEscape(() => this.hide(true));
      reader.readerNotes().catch(() => {}); // Highlight and Add note work as soon as the tools show
      addEventListener('hashchange', () => this.openFromAddress());
      this.openFromAddress();
      if (!reader.pressed) this.check();
    }
  }

  /** @type {QuoteTools | null} */
  let tools = null;

  /** Start once (again: follow the address and the selection). @param {Reader} reader */
  function startTools(reader) {
    if (tools) {
      tools.openFromAddress();
      tools.check();
      return;
    }
    const body = doc.getElementById('article-body');
    if (!body) return;
    tools = new QuoteTools(reader, body);
    tools.listen();
  }

  globalThis.ReaderQuote = { start: startTools, locate, selectorAt, parseAddress, textFragment, address: quoteAddress };
})();
