/* Marking words in the page by offsets into an element's text (its textContent): search hits,
   quoted words, readers' highlights. In the search and quote bundles; registers ReaderMarks. */
(() => {
  'use strict';
  if (globalThis.ReaderMarks) return; // both bundles carry it; the first one loaded serves
  const doc = document;

  /** The text nodes under el, in document order. @param {Node} el */
  function textNodes(el) {
    /** @type {Text[]} */
    const nodes = [];
    const walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) nodes.push(/** @type {Text} */ (walker.currentNode));
    return nodes;
  }

  /** Where each text node starts in their joined text, and that text's length. @param {Text[]} nodes */
  function startsOf(nodes) {
    /** @type {number[]} */
    const starts = [];
    let total = 0;
    for (const node of nodes) {
      starts.push(total);
      total += node.data.length;
    }
    return { starts, total };
  }

  /** The text node and offset where el's text offset falls (at the end of a node, the next one's start).
      @param {Text[]} nodes @param {number[]} starts @param {number} offset */
  function pointAt(nodes, starts, offset) {
    const k = nodes.findIndex((node, i) => offset < starts[i] + node.data.length || i === nodes.length - 1);
    const node = nodes[k];
    return { node, offset: Math.max(0, Math.min(offset - starts[k], node.data.length)) };
  }

  /** A Range over [start, end) of el's text, or null when el has no text there.
      @param {Node} el @param {number} start @param {number} end */
  function rangeAt(el, start, end) {
    const nodes = textNodes(el), { starts, total } = startsOf(nodes);
    if (!nodes.length || start < 0 || end > total || start >= end) return null;
    const from = pointAt(nodes, starts, start), to = pointAt(nodes, starts, end);
    const range = doc.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  /** Wrap each [start, end) of el's text in <mark class="className">; return the marks made.
      @param {Element | null} el @param {Span[]} spans @param {string} className */
  function markRanges(el, spans, className) {
    /** @type {HTMLElement[]} */
    const made = [];
    if (!el) return made;
    const nodes = textNodes(el), { starts } = startsOf(nodes);
    // From the last span back, and in each node from the end, so earlier offsets stay valid.
    for (const span of spans.slice().sort((a, b) => b.start - a.start)) {
      for (let k = nodes.length - 1; k >= 0; k--) {
        const from = Math.max(span.start, starts[k]) - starts[k];
        const to = Math.min(span.end, starts[k] + nodes[k].data.length) - starts[k];
        if (from >= to) continue;
        let piece = nodes[k];
        if (to < piece.data.length) piece.splitText(to);
        if (from > 0) piece = piece.splitText(from);
        const mark = doc.createElement('mark');
        mark.className = className;
        piece.replaceWith(mark);
        mark.appendChild(piece);
        made.push(mark);
      }
    }
    return made.reverse();
  }

  /** Remove every <mark class="className"> (under scope, or the whole page), joining the text again.
      @param {string} className @param {ParentNode} [scope] */
  function clearMarks(className, scope) {
    for (const mark of (scope || doc).querySelectorAll(`mark.${className}`)) {
      const parent = /** @type {Node} */ (mark.parentNode);
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    }
  }

  globalThis.ReaderMarks = { textNodes, rangeAt, markRanges, clearMarks };
})();
