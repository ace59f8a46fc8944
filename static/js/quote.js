/* Quote tools: select words in the article and copy a link to them, or the words with a citation.
   A quote link carries a W3C TextQuoteSelector in the fragment (#selector(type=TextQuoteSelector,
   exact=…,prefix=…,suffix=…)) and a text fragment (:~:text=…) so browsers highlight the words
   even without this script; opening one, this script finds the words again by their quote and
   context, so it survives edits elsewhere, and says so when they are gone.
   Loaded on the first selection (or with a quote link), after marks.js; reader.js calls start(). */
(function (global) {
  'use strict';
  var doc = global.document;
  var CONTEXT = 32;        // chars of prefix and suffix kept with a quote
  var FRAGMENT_WORDS = 4;  // words at each end of a long quote in a text fragment
  var SETTLE_MS = 120;     // a selection must rest this long before the tools show

  var quote = { reader: null, body: null, tools: null, selector: null, timer: 0, tabbed: false };

  /* ---- Quotes as text positions in the article body (its textContent) ---- */

  /** The body-text offsets a DOM range covers, trimmed of white space; null outside the body. */
  function offsetsOf(range) {
    var body = quote.body;
    if (!body.contains(range.commonAncestorContainer)) return null;
    var before = doc.createRange();
    before.setStart(body, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var start = before.toString().length, end = start + range.toString().length;
    var text = body.textContent;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return end > start ? { start: start, end: end } : null;
  }

  /** A TextQuoteSelector for text[start:end] with CONTEXT chars either side. */
  function selectorAt(text, start, end) {
    return { type: 'TextQuoteSelector', exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT), start), suffix: text.slice(end, end + CONTEXT) };
  }

  /**
   * Where a selector's words are in text: the occurrence whose prefix and suffix match best.
   * strict: only an occurrence with its prefix and suffix both intact, or the only occurrence.
   */
  function locate(text, selector, strict) {
    var exact = selector.exact || '', found = [];
    for (var at = text.indexOf(exact); exact && at >= 0; at = text.indexOf(exact, at + 1)) found.push(at);
    if (!found.length) return null;
    var scored = found.map(function (at) {
      return { start: at, score: sharedEnd(text.slice(0, at), selector.prefix || '') + sharedStart(text.slice(at + exact.length), selector.suffix || '') };
    });
    var full = (selector.prefix || '').length + (selector.suffix || '').length;
    scored.sort(function (a, b) { return b.score - a.score || a.start - b.start; });
    var best = scored[0];
    if (strict && found.length > 1 && best.score < full) return null;
    return { start: best.start, end: best.start + exact.length };
  }
  function sharedEnd(a, b) { var n = 0; while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++; return n; }
  function sharedStart(a, b) { var n = 0; while (n < a.length && n < b.length && a[n] === b[n]) n++; return n; }

  /* ---- Addresses: #selector(...) then :~:text=... ---- */

  /** Percent-encode all but unreserved characters (both syntaxes give , ( ) - & meanings). */
  function encode(value) {
    return encodeURIComponent(value).replace(/[!'()*~\-.,]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function textFragment(selector) {
    var words = selector.exact.split(/\s+/);
    var exact = words.length > 2 * FRAGMENT_WORDS || /\n/.test(selector.exact)
      ? encode(words.slice(0, FRAGMENT_WORDS).join(' ')) + ',' + encode(words.slice(-FRAGMENT_WORDS).join(' '))
      : encode(selector.exact);
    // Context words only from the same paragraph, whole words, next to the quote.
    var prefix = /(\S+\s+){0,2}\S+\s+$/.exec(selector.prefix.split('\n').pop());
    var suffix = /^\s+\S+(\s+\S+){0,2}/.exec(selector.suffix.split('\n')[0]);
    return 'text=' + (prefix && /\s$/.test(selector.prefix) ? encode(prefix[0].trim()) + '-,' : '') + exact
      + (suffix && /^\s/.test(selector.suffix) ? ',-' + encode(suffix[0].trim()) : '');
  }

  function quoteAddress(selector) {
    return quote.reader.pageAddress() + '#selector(type=TextQuoteSelector,exact=' + encode(selector.exact)
      + ',prefix=' + encode(selector.prefix) + ',suffix=' + encode(selector.suffix) + '):~:' + textFragment(selector);
  }

  /** The selector in an address's fragment, or null. */
  function parseAddress(hash) {
    var match = /^#?selector\(([^)]*)\)/.exec(hash);
    if (!match) return null;
    var selector = {};
    match[1].split(',').forEach(function (pair) {
      var eq = pair.indexOf('=');
      if (eq < 0) return;
      try { selector[pair.slice(0, eq)] = decodeURIComponent(pair.slice(eq + 1)); } catch (e) { /* a broken escape: ignored */ }
    });
    return selector.type === 'TextQuoteSelector' && selector.exact ? selector : null;
  }

  /** Opened with a quote link: mark the words and bring them into view, or say they are gone. */
  function openFromAddress() {
    var selector = parseAddress(global.location.hash);
    if (!selector) return;
    global.ReaderMarks.clearMarks('quote-hit');
    var spot = locate(quote.body.textContent, selector, false);
    if (!spot) return notice(quote.reader.t('quote_missing'));
    var marks = global.ReaderMarks.markRanges(quote.body, [spot], 'quote-hit');
    if (marks.length) marks[0].scrollIntoView({ block: 'center', behavior: 'instant' });
  }

  function notice(text) {
    var line = doc.getElementById('quote-notice');
    if (!line) {
      line = doc.createElement('p');
      line.id = 'quote-notice';
      line.className = 'notice';
      line.setAttribute('role', 'status');
      var main = doc.getElementById('main');
      main.insertBefore(line, main.firstChild);
    }
    line.textContent = text;
  }

  /* ---- Copying ---- */

  function citationParts() {
    var source = doc.getElementById('cite-text');
    try { return JSON.parse(source.getAttribute('data-cite')); } catch (e) { return null; }
  }

  /** The quote with its citation, as plain text, Markdown and HTML. */
  function citedQuote(selector, link) {
    var cite = citationParts() || {};
    var parts = [cite.author, '\u201c' + cite.title + '\u201d', cite.publication, cite.date].filter(function (p) { return p && p !== '\u201cundefined\u201d'; });
    var words = selector.exact.replace(/\n+/g, '\n');
    var plain = '\u201c' + words + '\u201d \u2014 ' + parts.join(', ') + ', ' + link;
    var md = words.split('\n').map(function (line) { return '> ' + line; }).join('\n>\n') + '\n\n\u2014 '
      + [cite.author, '[\u201c' + cite.title + '\u201d](<' + link + '>)', cite.publication && '*' + cite.publication + '*', cite.date]
        .filter(Boolean).join(', ');
    var html = '<blockquote>' + escapeHtml(words).replace(/\n/g, '<br>') + '</blockquote><p>\u2014 '
      + [cite.author, '<a href="' + escapeHtml(link) + '">\u201c' + escapeHtml(cite.title || '') + '\u201d</a>', cite.publication, cite.date]
        .filter(Boolean).map(function (p, i) { return i === 1 ? p : escapeHtml(p); }).join(', ') + '</p>';
    return { plain: plain, markdown: md, html: html };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }

  function act(action) {
    var selector = quote.selector, spot = quote.spot;
    if (!selector) return;
    if (action === 'highlight' || action === 'note') { // the reader's own notes (readernotes.js)
      hideTools(false);
      return quote.reader.readerNotes().then(function (mine) { mine.add(selector, spot, action === 'note'); });
    }
    var link = quoteAddress(selector), reader = quote.reader;
    var cited = citedQuote(selector, link);
    var copying = action === 'link' ? reader.copyText(link)
      : action === 'markdown' ? reader.copyText(cited.markdown) : reader.copyText(cited.plain, cited.html);
    copying.then(function (done) {
      reader.toast(reader.t(!done ? 'copy_failed' : action === 'link' ? 'copied_link' : action === 'markdown' ? 'copied_markdown' : 'copied_quote'));
    });
    hideTools(true);
  }

  /* ---- The tools beside a selection ---- */

  function tools() {
    if (quote.tools) return quote.tools;
    var box = doc.createElement('div');
    box.className = 'quote-tools';
    box.setAttribute('role', 'toolbar');
    box.setAttribute('aria-label', quote.reader.t('quote_tools'));
    [['link', 'copy_link'], ['quote', 'copy_quote'], ['markdown', 'copy_markdown'], ['highlight', 'highlight'], ['note', 'add_note']].forEach(function (item) {
      var button = doc.createElement('button');
      button.type = 'button';
      button.setAttribute('data-act', item[0]);
      button.textContent = quote.reader.t(item[1]);
      box.appendChild(button);
    });
    box.hidden = true;
    box.addEventListener('mousedown', function (event) { event.preventDefault(); }); // keep the selection
    box.addEventListener('click', function (event) {
      var button = event.target.closest('button');
      if (button) act(button.getAttribute('data-act'));
    });
    box.addEventListener('keydown', function (event) {
      var buttons = Array.prototype.slice.call(box.querySelectorAll('button')), i = buttons.indexOf(doc.activeElement);
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
        event.preventDefault();
        buttons[(i + (event.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length].focus();
      }
    });
    doc.getElementById('main').appendChild(box); // inside the page's landmarks
    quote.tools = box;
    return box;
  }

  /** Show the tools for the current selection when it is words of the article; else hide them. */
  function check() {
    var selection = global.getSelection();
    var range = selection && selection.rangeCount && !selection.isCollapsed ? selection.getRangeAt(0) : null;
    var spot = range && offsetsOf(range);
    if (!spot) return hideTools(false);
    quote.selector = selectorAt(quote.body.textContent, spot.start, spot.end);
    quote.spot = spot;
    quote.tabbed = false;
    var box = tools(), rect = range.getBoundingClientRect();
    box.hidden = false;
    var coarse = global.matchMedia && global.matchMedia('(pointer: coarse)').matches;
    var width = box.offsetWidth, height = box.offsetHeight;
    // Above the words, or below them on touch screens (where the system's own menu sits above).
    var top = coarse || rect.top - height - 8 < 64 ? rect.bottom + 8 : rect.top - height - 8;
    var left = Math.max(8, Math.min(rect.left + rect.width / 2 - width / 2, global.innerWidth - width - 8));
    var frame = box.parentNode.getBoundingClientRect(); // main: it contains the box (a CSS container)
    box.style.top = Math.round(top - frame.top) + 'px';
    box.style.left = Math.round(left - frame.left) + 'px';
  }

  function hideTools(returnFocus) {
    if (!quote.tools || quote.tools.hidden) return false;
    var inside = quote.tools.contains(doc.activeElement);
    quote.tools.hidden = true;
    if (inside && returnFocus) doc.body.focus();
    return true;
  }

  /* The tools wait until the words are chosen: a selection that rests, and no button held (tools
     shown mid-drag would sit in the pointer's way). */
  function onSelectionChange() {
    global.clearTimeout(quote.timer);
    if (!quote.reader.pressed) quote.timer = global.setTimeout(check, SETTLE_MS);
  }

  /* Tab, once, goes from a fresh selection into the tools: the keyboard's way to them. */
  function onKeyDown(event) {
    if (event.key !== 'Tab' || event.shiftKey || quote.tabbed || !quote.tools || quote.tools.hidden) return;
    if (quote.tools.contains(doc.activeElement)) return;
    quote.tabbed = true;
    event.preventDefault();
    quote.tools.querySelector('button').focus();
  }

  function start(reader) {
    if (quote.reader) { openFromAddress(); check(); return; }
    quote.reader = reader;
    quote.body = doc.getElementById('article-body');
    if (!quote.body) return;
    doc.addEventListener('selectionchange', onSelectionChange);
    doc.addEventListener('mouseup', function () { global.setTimeout(onSelectionChange); });
    doc.addEventListener('keydown', onKeyDown);
    reader.onEscape(function () { return hideTools(true); });
    reader.readerNotes().catch(function () {}); // Highlight and Add note work as soon as the tools show
    global.addEventListener('hashchange', openFromAddress);
    openFromAddress();
    if (!reader.pressed) check();
  }

  global.ReaderQuote = { start: start, locate: locate, selectorAt: selectorAt, parseAddress: parseAddress, textFragment: textFragment, encode: encode };
}(typeof globalThis !== 'undefined' ? globalThis : this));
