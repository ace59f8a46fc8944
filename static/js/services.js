/* What every bundle after the interaction layer uses: the interface strings, Escape in turn, the
   clipboard, a brief message. interact.js copies these onto the Reader core, where the search, quote
   and notes bundles find them. In the interaction bundle, after its strings; registers ReaderServices. */
(() => {
  'use strict';
  const doc = document;
  /** @type {EscapeHandler[]} most recently started widget last */
  const escapeHandlers = [];
  let toastTimer = 0;

  // CLDR's plural rules of the page's language, as the build chose page strings by (Babel).
  const plurals = new Intl.PluralRules(doc.documentElement.lang || 'en');

  /** The interface string for key in the page's language (ReaderStrings), its plural form chosen by n, with
      {names} filled in. @param {string} key @param {UiValues} [values] */
  function t(key, values) {
    const strings = globalThis.ReaderStrings || {};
    const value = /** @type {UiString | undefined} */ (strings[key]);
    if (value == null) return key;
    const n = values?.n, text = typeof value === 'object'
      ? value[typeof n === 'number' ? plurals.select(n) : 'other'] ?? value.other : value;
    return String(text).replace(/\{(\w+)\}/g,
      (match, name) => (values && name in values ? String(values[name]) : match));
  }

  /** Escape goes to the most recently started widget that has something to close; each handler
      returns true when it used the key. @param {EscapeHandler} handler */
  function onEscape(handler) {
    escapeHandlers.push(handler);
  }

  /** Offer Escape to each widget in turn; return whether one used it. @param {KeyboardEvent} event */
  function escape(event) {
    return escapeHandlers.slice().reverse().some((handler) => handler(event));
  }

  /** The page's address without query or fragment (works from file:// too). */
  function pageAddress() {
    return location.href.replace(/[?#].*$/, '');
  }

  /** Put text (and optionally HTML) on the clipboard; resolves true when it worked.
      @param {string} text @param {string} [html] @returns {Promise<boolean>} */
  function copyText(text, html) {
    const clipboard = navigator.clipboard;
    if (clipboard && html && globalThis.ClipboardItem) {
      return clipboard.write([new ClipboardItem({
        'text/plain': new Blob([text], { type: 'text/plain' }), 'text/html': new Blob([html], { type: 'text/html' }),
      })]).then(() => true, () => copyText(text));
    }
    if (clipboard && clipboard.writeText) {
      return clipboard.writeText(text).then(() => true, () => legacyCopy(text));
    }
    return Promise.resolve(legacyCopy(text));
  }

  /** @param {string} text */
  function legacyCopy(text) {
    const area = doc.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'vh';
    doc.body.appendChild(area);
    area.select();
    let done;
    try {
      done = doc.execCommand('copy');
    } catch {
      done = false;
    }
    area.remove();
    return done;
  }

  /** The live region (role status: screen readers say what it shows) with this id, made once, first or
      last in parent. @param {string} tag @param {string} id @param {string} className @param {Element} parent
      @param {boolean} first */
  function statusBox(tag, id, className, parent, first) {
    let box = doc.getElementById(id);
    if (!box) {
      box = doc.createElement(tag);
      box.id = id;
      box.className = className;
      box.setAttribute('role', 'status');
      parent.insertBefore(box, first ? parent.firstChild : null);
    }
    return box;
  }

  /** Say something briefly, to sight and to screen readers. @param {string} message */
  function toast(message) {
    const box = statusBox('div', 'toast', 'toast', doc.getElementById('toolbar') || doc.body, false); // in a landmark
    box.textContent = message;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.textContent = ''; }, 3000);
  }

  /** A line at the top of the page's text that stays (a quote link whose words are gone, notes that
      cannot be kept). @param {string} id @param {string} text @param {string} [className] */
  function notice(id, text, className = 'notice') {
    const main = doc.getElementById('main');
    if (main) statusBox('p', id, className, main, true).textContent = text;
  }

  globalThis.ReaderServices = { t, onEscape, escape, pageAddress, copyText, toast, notice };
})();
