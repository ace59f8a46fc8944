/* A reader's note's card in #notes, like an editor's note but labelled as the reader's, in each of its
   states: shown, being written, asking to confirm a delete, or shared by a link. Also the small element
   makers the notes bundle shares. In the notes bundle; registers ReaderNoteCard. */
(() => {
  'use strict';
  const doc = document;
  const LEAD = 160; // chars of a long note shown before the rest (a short note in the margin shows only these)

  /** An element with a class and text. @template {keyof HTMLElementTagNameMap} K
      @param {K} tag @param {string} [className] @param {string | null} [text] */
  function make(tag, className, text) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    if (text != null) el.textContent = text;
    return el;
  }

  /** A button that does data-rn="action" (one click listener serves them all).
      @param {string} action @param {string} label @param {string} [className] */
  function button(action, label, className) {
    const el = make('button', className, label);
    el.type = 'button';
    el.setAttribute('data-rn', action);
    return el;
  }

  /** The first words of a text, with an ellipsis when there were more. @param {string} text @param {number} words */
  function excerpt(text, words) {
    const all = text.split(/\s+/);
    return all.slice(0, words).join(' ') + (all.length > words ? '\u2026' : '');
  }

  /** A new card for note n (shared: the one in the address). @param {ReaderNote} n @param {boolean} shared
      @param {ReaderServices['t']} t */
  function card(n, shared, t) {
    const el = make('section', `note reader-note${shared ? ' rn-shared' : n.text ? '' : ' rn-highlight'}`);
    const label = t(shared ? 'rn_shared' : n.text ? 'rn_your_note' : 'rn_your_highlight');
    const title = make('h3', 'note-title', label);
    el.id = `note-${n.dom}`;
    el.setAttribute('aria-label', `${label} ${t('rn_on', { words: excerpt(n.exact, 8) })}`); // one name per region
    title.id = `${el.id}-title`; // what its words are described by (reader.js)
    el.appendChild(title);
    el.appendChild(make('div', 'note-body'));
    el.appendChild(make('p', 'rn-actions')); // not a part reader.js hides and shows at each layout: CSS shows it
    fill(n, el, shared ? 'shared' : '', t);
    return el;
  }

  /** The card's text and buttons for a state: '' (shown), 'edit', 'confirm' (delete?) or 'shared'.
      @param {ReaderNote} n @param {HTMLElement} el @param {CardState} state @param {ReaderServices['t']} t */
  function fill(n, el, state, t) {
    const body = /** @type {HTMLElement} */ (el.querySelector('.note-body'));
    const actions = /** @type {HTMLElement} */ (el.querySelector('.rn-actions'));
    body.textContent = actions.textContent = '';
    el.classList.toggle('rn-editing', state === 'edit');
    if (state === 'edit') return editor(n, body, actions, t);
    if (n.text) {
      const cut = n.text.length > LEAD ? leadEnd(n.text) : n.text.length;
      body.appendChild(make('p', 'note-lead rn-text', n.text.slice(0, cut)));
      if (cut < n.text.length) {
        const rest = make('div', 'note-rest note-joined');
        rest.appendChild(make('p', 'note-cont rn-text', n.text.slice(cut)));
        body.appendChild(rest);
      }
    }
    if (state === 'shared') body.appendChild(make('p', 'rn-hint', t('rn_shared_hint')));
    if (state === 'confirm') actions.appendChild(make('span', 'rn-ask', `${t('rn_really')} `));
    const buttons = state === 'shared' ? [['keep', 'rn_keep'], ['dismiss', 'rn_dismiss']]
      : state === 'confirm' ? [['really', 'rn_delete'], ['cancel-delete', 'rn_cancel']]
        : [['edit', n.text ? 'rn_edit' : 'rn_write'], ['link', 'rn_copy_link'], ['delete', 'rn_delete']];
    for (const [action, label] of buttons) actions.append(button(action, t(label)), ' ');
  }

  /** Where a long note's first part ends: its first sentence if short enough, else a word break.
      @param {string} text */
  function leadEnd(text) {
    const sentence = /^[\s\S]*?[.!?\u2026](?=\s)/.exec(text.slice(0, LEAD));
    if (sentence && sentence[0].length > 40) return sentence[0].length;
    const space = text.lastIndexOf(' ', LEAD);
    return space > 40 ? space : LEAD;
  }

  /** The card being written: a text box, a hint, Save and Cancel.
      @param {ReaderNote} n @param {HTMLElement} body @param {HTMLElement} actions @param {ReaderServices['t']} t */
  function editor(n, body, actions, t) {
    const id = n.card?.id, area = make('textarea', 'rn-input'), hint = make('p', 'rn-hint', t('rn_text_hint'));
    area.id = `${id}-text`;
    area.maxLength = globalThis.ReaderAnnotations.LIMITS.text;
    area.rows = 4;
    area.value = n.text;
    area.setAttribute('aria-labelledby', `${id}-title`);
    hint.id = `${id}-hint`;
    area.setAttribute('aria-describedby', hint.id);
    body.append(area, hint);
    actions.append(button('save', t('rn_save')), ' ', button('cancel', t('rn_cancel')));
  }

  globalThis.ReaderNoteCard = { make, button, excerpt, card, fill };
})();
