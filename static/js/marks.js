/* Marking words in the page by offsets into an element's text (its textContent): search hits,
   quoted words, readers' highlights. In the search and quote bundles, as ReaderMarks. */
(function (global) {
  'use strict';
  if (global.ReaderMarks) return; // both bundles carry it; the first one loaded serves
  var doc = global.document;

  /** The text nodes under el, in document order. */
  function textNodes(el) {
    var nodes = [], walker = doc.createTreeWalker(el, global.NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  /** Return the text node and offset where el's text offset falls (at the end of a node, the next one's start). */
  function pointAt(nodes, starts, offset) {
    for (var k = 0; k < nodes.length; k++) {
      if (offset < starts[k] + nodes[k].data.length || k === nodes.length - 1) {
        return { node: nodes[k], offset: Math.max(0, Math.min(offset - starts[k], nodes[k].data.length)) };
      }
    }
    return null;
  }

  /** A Range over [start, end) of el's text, or null when el has no text there. */
  function rangeAt(el, start, end) {
    var nodes = textNodes(el), starts = [], total = 0;
    nodes.forEach(function (node) { starts.push(total); total += node.data.length; });
    if (!nodes.length || start < 0 || end > total || start >= end) return null;
    var from = pointAt(nodes, starts, start), to = pointAt(nodes, starts, end);
    var range = doc.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  /** Wrap each [start, end) of el's text in <mark class="className">; return the marks made. */
  function markRanges(el, spans, className) {
    var made = [];
    if (!el) return made;
    var nodes = textNodes(el), starts = [], total = 0;
    nodes.forEach(function (node) { starts.push(total); total += node.data.length; });
    // From the last span back, and in each node from the end, so earlier offsets stay valid.
    spans.slice().sort(function (a, b) { return b.start - a.start; }).forEach(function (span) {
      for (var k = nodes.length - 1; k >= 0; k--) {
        var from = Math.max(span.start, starts[k]) - starts[k];
        var to = Math.min(span.end, starts[k] + nodes[k].data.length) - starts[k];
        if (from >= to) continue;
        var piece = nodes[k];
        if (to < piece.data.length) piece.splitText(to);
        if (from > 0) piece = piece.splitText(from);
        var mark = doc.createElement('mark');
        mark.className = className;
        piece.parentNode.replaceChild(mark, piece);
        mark.appendChild(piece);
        made.push(mark);
      }
    });
    return made.reverse();
  }

  /** Remove every <mark class="className"> (under scope, or the whole page), joining the text again. */
  function clearMarks(className, scope) {
    Array.prototype.forEach.call((scope || doc).querySelectorAll('mark.' + className), function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    });
  }

  global.ReaderMarks = { textNodes: textNodes, rangeAt: rangeAt, markRanges: markRanges, clearMarks: clearMarks };
}(typeof globalThis !== 'undefined' ? globalThis : this));
