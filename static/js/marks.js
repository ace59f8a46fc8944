/* Marking found words in the article itself.
   Part of the search bundle (loaded on first use), as window.ReaderMarks. */
(function () {
  'use strict';
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

  window.ReaderMarks = { textNodes: textNodes, markHits: markHits, clearHits: clearHits };
}());
