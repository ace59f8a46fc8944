/* Where the margin notes go on wide screens: a pure function of the heights reader.js measures, no
   DOM, so tests run it under Node. First part of the first-view script; registers ReaderLayout. */
(() => {
  'use strict';

  /** Where a placed note ends. @param {LayoutSpotState} spot */
  const end = (spot) => spot.top + spot.item.heights[spot.level];

  /** The bottom of a column's last note, or -Infinity. @param {LayoutSpotState[]} column */
  const bottomOf = (column) => (column.length ? end(column[column.length - 1]) : -Infinity);

  /**
   * Place notes given in text order as {anchorTop, heights: [title, lead, whole]} (px): each in the
   * column where it sits highest, level with its words or pushed down only by the note above. When a
   * note would sit more than maxShift below its words, the notes above it that push it are shortened
   * (whole, then its title and first sentence, then its title), the one that frees most room first,
   * until it fits or none can shrink. Returns {notes: [{top, column, level}], bottom}; level indexes
   * heights (the last is whole). Cost: each note is shortened at most twice, and a shortening moves
   * only the notes pushed along with it.
   * @param {LayoutItem[]} items @param {LayoutOptions} options @returns {LayoutResult}
   */
  function place(items, { columns, gap, maxShift }) {
    /** @type {LayoutSpotState[][]} */
    const stacks = Array.from({ length: columns }, () => []);
    const spots = items.map((item) => {
      let column = 0, top = Infinity;
      stacks.forEach((stack, c) => {
        const there = Math.max(item.anchorTop, bottomOf(stack) + gap);
        if (there < top) [column, top] = [c, there];
      });
      const stack = stacks[column], spot = { item, top, column, level: item.heights.length - 1 };
      stack.push(spot);
      while (spot.top - item.anchorTop > maxShift && shortenAbove(stack, gap));
      return spot;
    });
    return { notes: spots.map(({ top, column, level }) => ({ top, column, level })),
      bottom: Math.max(0, ...stacks.map(bottomOf)) };
  }

  /**
   * Shorten, by one level, the note that frees most room among those pushing the last one of a
   * column (back to the first that sits level with its words); move the notes below it up.
   * Returns whether one could be shortened. @param {LayoutSpotState[]} stack @param {number} gap
   */
  function shortenAbove(stack, gap) {
    let best = -1, most = 0;
    for (let k = stack.length - 2; k >= 0; k--) {
      const { item, level, top } = stack[k];
      const frees = level > 0 ? item.heights[level] - item.heights[level - 1] : 0;
      if (frees > most) [best, most] = [k, frees];
      if (top <= item.anchorTop) break; // nothing above this one pushes the last note
    }
    if (best < 0) return false;
    stack[best].level -= 1;
    for (let k = best + 1; k < stack.length; k++) {
      stack[k].top = Math.max(stack[k].item.anchorTop, end(stack[k - 1]) + gap);
    }
    return true;
  }

  globalThis.ReaderLayout = { place };
})();
