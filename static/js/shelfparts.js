/* The shelf index's parts (reader/shelfindex.py writes them): each a classic script calling
   ReaderShelfIndex.part(name, json), so it loads with a <script> tag over http and from file://.
   A part is used only if its checksum (its name) matches what arrived; a part that is missing or
   corrupt reads as null, and whoever asked notes that search is incomplete. No DOM needed but
   for the default loader. Registers ReaderShelfParts. */
(() => {
  'use strict';
  const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  const DIGIT_VALUES = new Int8Array(128).fill(-1);
  for (let i = 0; i < DIGITS.length; i++) DIGIT_VALUES[DIGITS.charCodeAt(i)] = i;
  const NAME = /^([a-z])([0-9a-f]{8})([0-9a-f]{4})?$/;
  const CRC_TABLE = new Int32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c;
  });

  /** @type {Map<string, Array<(text: string) => void>>} who waits for which part */
  const waiting = new Map();

  /**
   * Called by each part's script: hand its JSON text to whoever waits for that name.
   * @param {string} name
   * @param {string} text
   */
  function part(name, text) {
    for (const resolve of waiting.get(name) || []) resolve(String(text));
    waiting.delete(name);
  }

  /**
   * Return [CRC-32 as 8 hex digits, Adler-32's low 16 bits as 4] of text's UTF-16LE bytes (as checksums() in Python).
   * @param {string} text
   * @returns {[string, string]}
   */
  function checksums(text) {
    let crc = -1, a = 1;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i), low = unit & 255, high = unit >>> 8;
      crc = CRC_TABLE[(crc ^ low) & 255] ^ (crc >>> 8);
      crc = CRC_TABLE[(crc ^ high) & 255] ^ (crc >>> 8);
      a = (a + low + high) % 65521;
    }
    return [((crc ^ -1) >>> 0).toString(16).padStart(8, '0'), a.toString(16).padStart(4, '0')];
  }

  /**
   * Return whether text is the part the name promises (its kind letter, then its checksums).
   * @param {string} name
   * @param {string} text
   */
  function matches(name, text) {
    const m = NAME.exec(name);
    if (!m) return false;
    const [crc, adler] = checksums(text);
    return m[2] === crc && (!m[3] || m[3] === adler);
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
   * Return the postings a gaps and a weights string hold: [docs, weights], the first gap counted from before.
   * @param {string} gaps
   * @param {string} weights
   * @param {number} [before]
   * @returns {[number[], number[]]}
   */
  function decodePostings(gaps, weights, before = -1) {
    const docs = decodeNumbers(gaps), w = decodeNumbers(weights);
    if (docs.length !== w.length) throw new Error('postings: as many weights as docs');
    let doc = before;
    for (let i = 0; i < docs.length; i++) docs[i] = doc += docs[i] + 1;
    return [docs, w];
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
     * @param {(url: string) => Promise<void>} [load] how to run one part's script (a <script> tag unless given)
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
        found = this.fetch(name).then((text) => {
          if (text === null || !matches(name, text)) throw new Error('missing or corrupt');
          return decode(JSON.parse(text));
        }).catch(() => {
          this.failed.add(name);
          return null;
        });
        this.cache.set(name, found);
      }
      return found;
    }

    /**
     * Return a part's JSON text as its script handed it over, or null if it never did.
     * @param {string} name
     * @returns {Promise<string | null>}
     */
    fetch(name) {
      return new Promise((resolve) => {
        /** @type {string | null} */
        let text = null;
        if (!waiting.has(name)) waiting.set(name, []);
        /** @type {Array<(text: string) => void>} */ (waiting.get(name)).push((t) => { text = t; });
        Promise.resolve().then(() => this.load(`${this.base}${name}.js`)).catch(() => undefined)
          .then(() => resolve(text));
      });
    }
  }

  globalThis.ReaderShelfParts = { part, Parts, checksums, decodeNumbers, decodePostings };
})();
