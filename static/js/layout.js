/* Where the margin notes go on wide screens: a pure function of the heights reader.js measures, no
   DOM, so tests run it under Node. First part of the first-view script; registers ReaderLayout. */
(() => {
  'use strict';

  /**
   * Return the column where a note wanted at `want` can sit highest, and that height.
   * @param {number[]} bottoms @param {number} want @param {number} gap
   */
  function bestColumn(bottoms, want, gap) {
    let best = 0, bestTop = Infinity;
    bottoms.forEach((bottom, column) => {
      const top = Math.max(want, bottom + gap);
      if (top < bestTop) {
        best = column;
        bestTop = top;
      }
    });
    return { column: best, top: bestTop };
  }

  /**
   * Place notes given in text order as {anchorTop, full, lead} (heights in px): each level with its
   * words or pushed down only by the note above, in the column where it sits highest. A note is
   * shortened to its lead only when, whole, it would push the next note more than maxShift from
   * its words. Returns {notes: [{top, column, short}], bottom}.
   * @param {LayoutItem[]} items @param {LayoutOptions} options @returns {LayoutResult}
   */
  function place(items, options) {
    const gap = options.gap, bottoms = new Array(options.columns).fill(-Infinity);
    const placed = items.map((item, i) => {
      const spot = bestColumn(bottoms, item.anchorTop, gap), next = items[i + 1];
      let short = false;
      if (next && item.lead < item.full) {
        const trial = bottoms.slice();
        trial[spot.column] = spot.top + item.full;
        short = bestColumn(trial, next.anchorTop, gap).top - next.anchorTop > options.maxShift;
      }
      bottoms[spot.column] = spot.top + (short ? item.lead : item.full);
      return { top: spot.top, column: spot.column, short };
    });
    return { notes: placed, bottom: Math.max(...bottoms, 0) };
  }

  globalThis.ReaderLayout = { place };
})();
