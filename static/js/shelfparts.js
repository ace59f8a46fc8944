/* The shelf index's parts (reader/shelfindex.py writes them): each a classic script calling
   ReaderShelfParts.part(name, json[, check]), so it loads with a <script> tag over http and from file://.
   A part is used only if its checksum (the name's tail, or check) matches what arrived; a part that is
   missing or corrupt reads as null, and whoever asked notes that search is incomplete. No DOM needed but
   for the default loader. Registers ReaderShelfParts. */
(() => {
  'use strict';
  const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const DIGIT_VALUES = new Int8Array(128).fill(-1);
  for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUES[DIGITS.charCodeAt(i)] = i;
  const NAME = /^[a-z][0-9a-v]+$/;
  const CHECK = /^[0-9a-v]{10}$/;
  const CRC_TABLE = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });

  /** @typedef {{text: string, check: string}} Arrived what a part's script handed over */
  /** @type {Map<string, Array<(arrived: Arrived) => void>>} who waits for which part */
  const waiting = new Map();

  /**
   * Called by each part's script: hand its JSON text (and checksum, if its name holds none) to whoever waits.
   * @param {string} name @param {string} text @param {string} [check]
   */
  function part(name, text, check) {
    for (const resolve of waiting.get(name) || []) resolve({ text: String(text), check: String(check ?? '') });
    waiting.delete(name);
  }

  /**
   * Return a non-negative integer in the name digits (base 32, 0-9a-v), at least width of them.
   * @param {number} value @param {number} [width]
   */
  const nameNumber = (value, width = 0) => value.toString(32).padStart(width, '0');

  /**
   * Return text's checksum as reader/shelfindex.py's part_check: the CRC-32 of its UTF-16LE units (7 name digits),
   * then the low 15 bits of their Adler-32 (3).
   * @param {string} text
   */
  function partCheck(text) {
    let crc = -1, a = 1;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i), low = unit & 255, high = unit >>> 8;
      crc = CRC_TABLE[(crc ^ low) & 255] ^ (crc >>> 8);
      crc = CRC_TABLE[(crc ^ high) & 255] ^ (crc >>> 8);
      a = (a + low + high) % 65521;
    }
    return nameNumber((crc ^ -1) >>> 0, 7) + nameNumber(a & 0x7fff, 3);
  }

  /**
   * Return whether what arrived is the part the name promises: its checksum is the name's tail, or the one given.
   * @param {string} name @param {Arrived} arrived
   */
  function matches(name, { text, check }) {
    const wanted = check || name.slice(1);
    return NAME.test(name) && CHECK.test(wanted) && partCheck(text) === wanted;
  }

  /**
   * Return the numbers a string of base-32 digits holds (DIGITS[32:] go on, DIGITS[:32] end a number).
   * @param {string} text
   * @returns {number[]}
   */
  function decodeNumbers(text) {
    const values = [], s = String(text);
    let value = 0;
    for (let i = 0; i < s.length; i++) {
      const code = s.charCodeAt(i), digit = code < 128 ? DIGIT_VALUES[code] : -1;
      if (digit < 0) throw new Error(`not a number digit: ${s[i]}`);
      value = value * 32 + (digit & 31);
      if (digit < 32) {
        values.push(value);
        value = 0;
      }
    }
    if (value) throw new Error('numbers end mid-number');
    return values;
  }

  /**
   * Return the postings a keys and a tfs string hold (reader/shelfindex.py encode_postings), the first article
   * counted from before: per posting its article, its doc number in the article, its tf in the title and the body.
   * @param {string} keys @param {string} tfs @param {number} [before]
   * @returns {ShelfRawPostings}
   */
  function decodePostings(keys, tfs, before = -1) {
    const k = decodeNumbers(keys), f = decodeNumbers(tfs);
    /** @type {ShelfRawPostings} */
    const found = { articles: [], docs: [], titles: [], bodies: [] };
    let article = before, doc = -1, j = 0;
    for (let i = 0; i < k.length; i++) {
      if (k[i] % 2) {
        article += (k[i] + 1) / 2;
        doc = k[++i];
      } else doc += k[i] / 2 + 1;
      const y = f[j++];
      found.articles.push(article);
      found.docs.push(doc);
      found.titles.push(y % 2 ? (y + 1) / 2 : 0);
      found.bodies.push(y % 2 ? f[j++] : y / 2);
    }
    if (j !== f.length || found.docs.some((d) => d === undefined || d < 0)) throw new Error('postings: keys and tfs');
    return found;
  }

  /**
   * Load one script by URL (the default loader: a <script> tag, which works from file:// too).
   * @param {string} url
   * @returns {Promise<void>}
   */
  function loadScript(url) {
    return new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      // Loaded or not, the part registered itself while running (or never will): either way, done.
      script.onload = script.onerror = () => {
        script.remove();
        resolve();
      };
      document.head.appendChild(script);
    });
  }

  /** The parts of one index folder: each loaded once, checked, decoded, kept. @implements {ShelfPartStore} */
  class Parts {
    /**
     * @param {string} base the folder's URL, ending in '/'
     * @param {ShelfLoader} [load] how to run one part's script (a <script> tag unless given)
     */
    constructor(base, load) {
      this.base = base;
      this.load = load || loadScript;
      /** @type {Map<string, Promise<any>>} */
      this.cache = new Map();
      /** @type {Set<string>} parts that could not be used */
      this.failed = new Set();
    }

    /**
     * Return a part decoded (decode throws on a part that is not what it should be), or null if missing or corrupt.
     * @template T
     * @param {string} name
     * @param {(data: any) => T} decode
     * @returns {Promise<T | null>}
     */
    get(name, decode) {
      let found = this.cache.get(name);
      if (!found) {
        found = this.fetch(name).then((arrived) => {
          if (arrived === null || !matches(name, arrived)) throw new Error('missing or corrupt');
          return decode(JSON.parse(arrived.text));
        }).catch(() => {
          this.failed.add(name);
          return null;
        });
        this.cache.set(name, found);
      }
      return found;
    }

    /**
     * Return what a part's script handed over, or null if it never did.
     * @param {string} name
     * @returns {Promise<Arrived | null>}
     */
    fetch(name) {
      return new Promise((resolve) => {
        /** @type {Arrived | null} */
        let arrived = null;
        const waiters = waiting.get(name) || [];
        waiters.push((a) => { arrived = a; });
        waiting.set(name, waiters);
        Promise.resolve().then(() => this.load(`${this.base}${name}.js`)).catch(() => undefined)
          .then(() => resolve(arrived));
      });
    }
  }

  globalThis.ReaderShelfParts = { part, Parts, partCheck, nameNumber, decodeNumbers, decodePostings };
})();
