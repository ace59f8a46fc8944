/* Marking found words: result snippets with <mark>, and the hits in the article itself.
   Part of the search bundle (loaded on first use), as window.ReaderMarks. */
(function () {
  'use strict';
  var SNIPPET_WORDS = 25;

  /* The text nodes of el a reader sees as its text: markers and permalinks left out. */
  function textNodes(el) {
    var nodes = [];
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest('[data-not-text]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  /* About SNIPPET_WORDS words of text around the first hit, every hit wrapped in <mark>. */
  function appendSnippet(parent, text, hits) {
    var first = hits.length ? hits[0].start : 0;
    var words = /\S+/g;
    var starts = [];
    var match;
    while ((match = words.exec(text))) starts.push(match.index);
    var at = 0;
    while (at + 1 < starts.length && starts[at + 1] <= first) at++;
    var from = Math.max(0, at - Math.floor(SNIPPET_WORDS / 3));
    var to = Math.min(starts.length, from + SNIPPET_WORDS);
    from = Math.max(0, Math.min(from, to - SNIPPET_WORDS));
    var begin = starts.length ? starts[from] : 0;
    var end = to < starts.length ? starts[to] : text.length;
    if (begin > 0) parent.appendChild(document.createTextNode('\u2026 '));
    appendMarked(parent, text, hits, begin, end);
    if (end < text.length) parent.appendChild(document.createTextNode(' \u2026'));
  }

  /* text[begin:end] as text nodes, the hits in it wrapped in <mark>. */
  function appendMarked(parent, text, hits, begin, end) {
    var at = begin;
    hits.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (hit) {
      if (hit.end <= at || hit.start >= end) return;
      var from = Math.max(hit.start, at);
      parent.appendChild(document.createTextNode(text.slice(at, from)));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(from, Math.min(hit.end, end));
      parent.appendChild(mark);
      at = Math.min(hit.end, end);
    });
    parent.appendChild(document.createTextNode(text.slice(at, end).replace(/\s+$/, '')));
  }

  /* Wrap each hit (offsets into el's reader text) in <mark class="search-hit"> in the page. */
  function markHits(el, hits) {
    if (!el) return;
    var nodes = textNodes(el);
    var starts = [];
    var offset = 0;
    nodes.forEach(function (node) { starts.push(offset); offset += node.data.length; });
    hits.slice().sort(function (a, b) { return b.start - a.start; }).forEach(function (hit) {
      for (var k = nodes.length - 1; k >= 0; k--) {
        var from = Math.max(hit.start, starts[k]) - starts[k];
        var to = Math.min(hit.end, starts[k] + nodes[k].data.length) - starts[k];
        if (from >= to) continue;
        var piece = nodes[k];
        if (to < piece.data.length) piece.splitText(to);
        if (from > 0) piece = piece.splitText(from);
        var mark = document.createElement('mark');
        mark.className = 'search-hit';
        piece.parentNode.replaceChild(mark, piece);
        mark.appendChild(piece);
      }
    });
  }

  function clearHits() {
    Array.prototype.slice.call(document.querySelectorAll('mark.search-hit')).forEach(function (mark) {
      var parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    });
  }

  window.ReaderMarks = { textNodes: textNodes, appendSnippet: appendSnippet, appendMarked: appendMarked,
    markHits: markHits, clearHits: clearHits };
}());
