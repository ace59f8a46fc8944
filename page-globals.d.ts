/* The contract between the page's scripts: every global they set or read, and the objects they hand
   each other. Classic scripts (the site opens from file://, where modules are blocked) share nothing
   but these names. Read by `tsc --checkJs` (tsconfig.json) only; the build never ships it. Its `declare var`s
   are TypeScript's way to say "a property of globalThis"; the scripts themselves have no var.
   Which file sets each global, and when it loads: docs/architecture.md. */

/* ---- layout.js (first view) ---- */

/** A note to place: where its words are and how tall it is at each level, shortest first: its title,
    its title and first sentence, whole (px). */
interface LayoutItem { anchorTop: number; heights: number[] }
interface LayoutOptions { columns: number; gap: number; maxShift: number }
/** Where a note goes: its top, its column (0 on the right, 1 on the left) and its level (an index into heights). */
interface LayoutSpot { top: number; column: number; level: number }
interface LayoutSpotState extends LayoutSpot { item: LayoutItem }
interface LayoutResult { notes: LayoutSpot[]; bottom: number }

/* ---- reader.js (first view) ---- */

type NotesMode = '' | 'sheet' | 'margin' | 'margins' | 'off';
type BundleName = 'interact' | 'search' | 'quote' | 'notes' | 'reading' | 'shelfnotes'; // the last two on a shelf only

/** A note's card in #notes, remembering the mode its attributes were set for. */
interface NoteElement extends HTMLElement { synced?: NotesMode }

/** A note and its words (the editor's, or a reader's own), in text order. */
interface NotePair {
  index: number;
  note: NoteElement;
  anchor: HTMLElement;
  title: HTMLElement | null;
  lead: HTMLElement | null; // its first sentence, hidden when only its title shows
  parts: NodeListOf<HTMLElement>; // what a short note hides: .note-rest, .note-meta
  level: number; // as the layout placed it: its title (0), with its first sentence (1), whole (2)
  short: boolean; // shortened by the layout (level below 2)
  found: boolean; // shown by find in page, so it stays shown
  timer: number; // the hover highlight's pending end
}

/** The notes beside their words (reader.js): their pairs, the layout mode, the open one. */
interface MarginNotes {
  pairs: NotePair[];
  byId: Record<string, NotePair>; // by the note's id and by its anchor's id
  mode: NotesMode;
  open: NotePair | null;
  cursor: number; // the pair n / p last moved to, or -1
  onModeChange: (() => void) | null; // set by the interaction layer: closes the open note
  applyMode(): void;
  layout(): void;
  rescan(): void;
  isWide(): boolean;
  showWhole(pair: NotePair, whole: boolean): void;
}

/** What the reader did before the interaction layer arrived, for it to do. */
type QueuedAction = { target: Element; keys: boolean; key?: undefined } | { key: 'n' | 'p'; target?: undefined };

/** globalThis.Reader: the page's core, made by reader.js; the interaction layer adds ReaderServices. */
interface ReaderCore {
  notes: MarginNotes;
  base: string; // the site's root, as an absolute address (from this script's own)
  applyMode(): void;
  layout(): void;
  rescanNotes(): void;
  loadBundle(name: BundleName): Promise<void>;
  storeKey: string; // localStorage key of the notes switch
  queued: QueuedAction[];
  interactive: boolean; // the interaction layer has started
  pressed: boolean; // a mouse button is down
  quoting: boolean; // the quote tools are loading or loaded
  search: { input: HTMLInputElement | null; returnFocus: Element | null; booted: boolean };
  /** Whether keys typed now go into a text field (so they are no shortcuts). */
  isTyping(el: Element | null): boolean;
}

/* ---- interact bundle: strings (made by build.py), services.js, notecontrols.js, interact.js ---- */

/** An interface string: plain, or one form per CLDR plural category of the language (Intl.PluralRules). */
type UiString = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>);
type UiValues = Record<string, string | number>;
type EscapeHandler = (event: KeyboardEvent) => boolean;

/** What the interaction layer gives every bundle after it (Object.assign onto the core). */
interface ReaderServices {
  /** The interface string for key in the page's language, with {names} filled in. */
  t(key: string, values?: UiValues): string;
  /** Escape goes to the handlers last added first, until one returns true (it used the key). */
  onEscape(handler: EscapeHandler): void;
  copyText(text: string, html?: string): Promise<boolean>;
  toast(message: string): void;
  /** A line at the top of the page's text that stays, one per id. */
  notice(id: string, text: string, className?: string): void;
  pageAddress(): string;
  /** Open a note (by its id) as a click on its words would, showing the notes if they were off. */
  openNote(id: string): void;
  /** Where "/" came from, once: the search's Escape goes back there. */
  returnFocus(): Element | null;
  /** The reader's own notes, loaded (with the quote tools) and started. */
  readerNotes(): Promise<ReaderNotesApi>;
}

type Reader = ReaderCore & ReaderServices;

/** services.js: the services, and Escape's dispatcher, which interact.js keeps to itself. */
type ServicesModule = Pick<ReaderServices, 't' | 'onEscape' | 'copyText' | 'toast' | 'notice' | 'pageAddress'> & {
  /** Offer Escape to the handlers, last added first; whether one used it. */
  escape(event: KeyboardEvent): boolean;
};

/** notecontrols.js: what interact.js asks of the notes under the reader's hand. */
interface NoteControls {
  pairOf(el: EventTarget | null): NotePair | null;
  close(returnFocus: boolean): void;
  openById(id: string): void;
  hover(pair: NotePair | null, on: boolean, event: { relatedTarget?: EventTarget | null }): void;
  onFocusIn(event: { target: EventTarget | null }): void;
  act(target: Element, event: MouseEvent | null, keys?: boolean): void;
  onKey(event: KeyboardEvent): void;
  move(delta: number): void;
  followHash(): void;
  /** Listen for hovers, focus, #note- links and Escape (pages with notes). */
  listen(): void;
}

/* ---- search bundle: lunr.min.js, textnorm.js, query.js, search-index.js (made by build.py), marks.js,
   search.js ---- */

interface Token { term: string; start: number; end: number }

/** The index as build.py ships it (reader/search.py, compact_index). */
interface CompactIndex {
  version: string;
  fields: string[];
  refs: string[];
  pipeline: string[];
  fromPage?: boolean; // no text: the page's own text is read back (getText)
  stemmer?: 'ar'; // the words' stemmer when not lunr.js's (reader/search.py STEMMERS)
  text?: string; // the coded tokens of every (ref, field), '|' between them
  k1: number;
  b: number;
  boosts: number[];
  fix: number[]; // [slot, term number, score] triples
}

/** A lunr.py-serialized index, as lunr.Index.load reads it. */
interface SerializedIndex {
  version: string;
  fields: string[];
  fieldVectors: [string, number[]][];
  invertedIndex: [string, Posting][];
  pipeline: string[];
}
/** A term's postings: per field, per ref, the [start, length] positions; _index its number. */
interface Posting { _index: number; [field: string]: number | Record<string, { position: [number, number][] }> }

type GetText = (ref: string, field: string) => string;
interface Span { start: number; end: number }
interface FieldSpan extends Span { field: string }
interface SearchHit extends FieldSpan {}
interface SearchResult {
  ref: string;
  score: number;
  hits: SearchHit[];
  run: FieldSpan | null; // the longest run of the query's words in order, when two or more
  matched: number;
  words: number;
  /* a shelf's results (shelfresults.js): in this page's article or not, their text and article from the index */
  here?: boolean;
  title?: string;
  text?: string;
  article?: { index: number; address: string; title: string };
}
type SearchTier = 'exact' | 'prefix' | 'typo' | 'partial' | 'none';
/** incomplete: a part of a shelf's index could not load, so some results may be missing. */
interface SearchAnswer { tier: SearchTier; total: number; results: SearchResult[]; incomplete?: boolean }
/** An article's engine answers at once; a shelf's once the parts of its index it needs have loaded. */
interface SearchEngine {
  search(query: string, options?: { prefix?: boolean; limit?: number }): SearchAnswer | Promise<SearchAnswer>;
}
/** How a search's results show (pageresults.js: this article's; shelfresults.js: a shelf's). */
interface ResultView {
  /** A result's title or body text, as indexed. */
  text(result: SearchResult, field: string): string;
  /** The results in the list's groups: untitled first (this page's article), then one per other article. */
  groups(results: SearchResult[]): { title: string; results: SearchResult[] }[];
  /** What the result is (its prefix), and whether its title follows. */
  label(reader: Reader, result: SearchResult): { prefix: string; title: boolean };
  /** The result's link: ?q= with its place. */
  address(query: string, result: SearchResult): string;
}
interface Segment { text: string; mark: boolean }

/* query.js's own shapes (no other file sees them) */
type Pair = [number, number]; // a [start, end] span, or a [start, length] position
type IndexToken = [number, number, string]; // [start, length, term], in code points
type FieldPostings = Record<string, { position: Pair[] }>; // a term's positions in one field, by ref
type Match = [string, string]; // an index term a word matches, and the prefix its hits must begin with
interface Word { term: string; stem: string }
interface Query { words: Word[]; phrases: Pair[] } // phrases: [first, last] word numbers
interface FieldText { vector: number[]; text?: string; astral?: boolean }
interface DocEntry { order: number; fields: Record<string, FieldText> }
interface WordHit { spans: Record<string, Pair[]>; literal: number; score: number }
interface Run extends FieldSpan { length: number; at: number } // query words together in order; at: the last one's start
type Entry = [Match, string, Pair[]]; // a match of a word in a doc: the match, its field, its positions
interface RankedDoc {
  ref: string; order: number; matched: number; chain: number; literal: number; score: number;
  words: (WordHit | 0)[]; run: FieldSpan | null;
}
interface Ranking { tier: SearchTier; docs: RankedDoc[]; words: number }
/** The engine's state: the loaded index's lookups, and caches of stems, tokens, typos and the last ranking. */
interface Engine {
  lunr: Lunr; getText: GetText; stemWord: (word: string) => string; fields: string[]; postings: Record<string, Posting>; tokenSet: lunr.TokenSet;
  docs: Map<string, DocEntry>; stems: Record<string, string>; pieces: Record<string, Token[]>;
  typos: Record<string, Match[]>; last: { key?: string } & Partial<Ranking>; terms: string[];
}

/* ---- quote bundle: marks.js, quote.js ---- */

interface TextQuoteSelector { type?: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string }

/* ---- notes bundle: strings, annotations.js, notelink.js, notecards.js, notespanel.js, readernotes.js ---- */

/** A reader's note (or highlight, when text is ''), as kept and as shown. */
interface ReaderNote {
  id: string;
  dom: string; // its elements' id stem: note-<dom>, ref-<dom>
  exact: string;
  prefix: string;
  suffix: string;
  start: number; // where the words were when kept, or -1
  end: number;
  text: string;
  created: string;
  modified: string;
  fresh?: boolean; // made with "Add note", its text not yet saved
  spot: Span | null; // where the words are now, or null: detached
  marks: HTMLElement[];
  card: HTMLElement | null;
  on?: string; // read from an annotation: the address of the article it is on (its target's source)
}

type CardState = '' | 'edit' | 'confirm' | 'shared';
/** A block of the article (paragraph, heading, item, caption) and where its text is in the body's. */
interface TextBlock extends Span { el: Element }

/** The reader's notes (readernotes.js) as the notes bundle's other parts use them. */
interface NotesKeeper {
  reader: Reader;
  list: ReaderNote[]; // in text order (detached ones last)
  shared: ReaderNote | null; // the note in the address, until kept or dismissed
  hidden: boolean;
  storage: '' | 'off' | 'full'; // why the browser would not keep the list
  title: string;
  source: string; // the article's original address
  base: string; // this page's address
  body: HTMLElement; // the article's text
  text: string; // body's text when last marked
  blocks: TextBlock[];
  observer: MutationObserver; // lights a mark in pieces up as one
  save(): boolean;
  render(): void;
  rescan(): void; // reader.js pairs and lays out the notes again; the panel shows them
  sort(): void;
  notice(text: string): void;
  setHidden(hidden: boolean): void;
  open(n: ReaderNote, focus: boolean): void;
}

/** globalThis.ReaderNotes: the reader's own notes (readernotes.js). */
interface ReaderNotesApi {
  start(reader: Reader): ReaderNotesApi;
  add(selector: TextQuoteSelector, spot: Span | null, withNote: boolean): void;
  toggle(force?: boolean): void;
  list(): ReaderNote[];
  render(): void;
}

/** "Your notes" groups them by article: its title, the address its notes are on, its page's (for quote links), its
    notes, and the page their links open ('' this one). */
interface NotesGroup { title: string; source: string; base: string; list: ReaderNote[]; page: string }

/* ---- shelf-notes bundle: shelf.js, shelfnotes.js (on a shelf) ---- */

/** Every article's notes on a shelf (shelfnotes.js), for the panel. */
interface ShelfNotes {
  title: string; // the shelf's
  groups(): NotesGroup[];
  /** Every address a note of the shelf may be on (what an imported file's notes are checked against). */
  addresses(): string[];
  /** Keep the other articles' imported notes with theirs; this page's are handed back. */
  store(items: ReaderNote[]): ShelfImport;
}
/** What store did: this page's notes, to add; how many it kept for others; how to take them back; or why not. */
interface ShelfImport { here: ReaderNote[]; added: number; undo(): void; error?: string }

/* ---- shelf.js: shared by the shelf page's script and the reading and shelf-notes bundles ---- */

/** An article's progress: the paragraph the reader stopped at, whether they finished it, when (ms). */
interface ShelfEntry { at?: string; read: boolean; time: number }
/** The progress kept for a shelf (one localStorage value); aside: an unreadable value was set aside, not yet said. */
interface ShelfProgress { v: 1; articles: Record<string, ShelfEntry>; aside?: number }
type ShelfProblem = '' | 'off' | 'unreadable';
interface ShelfRecord { problem: ShelfProblem; progress: ShelfProgress }
/** An article in the build's list of the shelf (reader/assets.py, shelf_list): address, title, author, lead, the
    key its reader's notes are kept under (readernotes.js), the address they are on when the build knows it. */
interface ShelfArticle { a: string; t: string; by: string; lead: string; key: string; src: string }

/* ---- shelf search: shelfparts.js, shelfindex.js, shelfwords.js, shelfsearch.js (docs/shelf-search.md) ---- */

/** What one shelf search met: a part it needed was missing or corrupt. */
interface ShelfTrace { incomplete: boolean }
/** A term's postings: the docs holding it (shelf order) and its estimated weight in each (as in a doc of average
    lengths: what postings alone tell). */
type ShelfPostings = [number[], number[]];
/** Postings as a part holds them: per posting its article, doc number in the article, tf in title and body. */
interface ShelfRawPostings { articles: number[]; docs: number[]; titles: number[]; bodies: number[] }
/** A chunk of a common term's postings: the docs it may hold (first to last), its name, its number. */
interface ShelfChunk { first: number; last: number; name: string; cell: number; before: number }
/** A term's entry in its term part: how many docs hold it, and its postings or (a common term) its chunks. */
interface ShelfTermEntry { term: string; df: number; postings: ShelfPostings | null; chunks: ShelfChunk[] }
/** The article a result comes from: its number in shelf order, address and title. */
interface ShelfResultArticle { index: number; address: string; title: string }
/** A doc read from its fragment. */
interface ShelfDocText { doc: number; ref: string; title: string; text: string; article: ShelfResultArticle }
/** A fragment: its article's [address, title] and each doc's [ref, title, text]. */
interface ShelfFragment { a: unknown[]; d: unknown[] }
type ShelfLoader = (url: string) => Promise<void>;
/** The parts of one index folder, each loaded once (shelfparts.js). */
interface ShelfPartStore {
  failed: Set<string>;
  /** A part decoded (decode throws on a part that is not what it should be), or null if missing or corrupt. */
  get<T>(name: string, decode: (data: any) => T): Promise<T | null>;
}
/** The index as a query reads it (shelfindex.js): the manifest at hand, every other part on demand. */
interface ShelfIndexReader {
  docs: number;
  stemmer: string; // the stemmer the build used ('ar': Arabic's for Arabic words, lunr.js's for others; '': unsaid)
  articleStarts: number[]; // the first doc of each article, and one past the last
  /** A term's weight in a doc, from its tf in title and body and their lengths (none: a doc of average lengths). */
  weight(df: number, inTitle: number, inBody: number, lengths?: [number, number]): number;
  entries(terms: string[], trace: ShelfTrace): Promise<Map<string, ShelfTermEntry | null>>;
  postings(entry: ShelfTermEntry, within: number[] | null, trace: ShelfTrace): Promise<ShelfPostings>;
  vocabulary(kind: 'vocab' | 'suffix', lo: string, hi: string, trace: ShelfTrace, limit?: number): Promise<string[]>;
  doc(doc: number, trace: ShelfTrace): Promise<ShelfDocText | null>;
  /** Load ahead the parts the prefix pass of a word being typed will read; nothing waits for them. */
  warm(prefix: string): void;
}
/** A term a word of a shelf query matches, the prefix its hits must begin with ('' for none), and its entry. */
interface ShelfIndexMatch { term: string; prefix: string; entry: ShelfTermEntry }
/** A token of a doc's text with its stem. */
interface ShelfToken extends Token { stem: string }
/** How a word stands in a doc: its spans by field, whether it stands as typed, its weight. */
interface ShelfWordHit { spans: Record<string, Pair[]>; literal: number; score: number }
/** A run of the query's words standing together in order. */
interface ShelfRun { length: number; field: string; start: number; end: number }
type ShelfWeigh = (df: number, inTitle: number, inBody: number, lengths: [number, number]) => number;
/** A doc's words (shelfwords.js): tokens with stems, cached; where a query's words stand; their runs. */
interface ShelfDocWords {
  tokensOf(text: string): ShelfToken[];
  byStem(tokens: ShelfToken[]): Map<string, ShelfToken[]>;
  tf(text: string, term: string): number;
  wordIn(word: ShelfWord, matches: ShelfIndexMatch[], weights: Pair[], fields: Record<string, ShelfToken[]>,
    weigh: ShelfWeigh): ShelfWordHit | null;
  longestRuns(texts: Record<string, string>, words: (ShelfWordHit | null)[]): { best: ShelfRun; ending: number[] };
}
/** A word of a shelf query: as typed (folded) and stemmed. */
interface ShelfWord { term: string; stem: string }
interface ShelfQuery { words: ShelfWord[]; phrases: Pair[] } // phrases: [first, last] word numbers
/** A result of a shelf search (offsets in UTF-16 units into title or text). */
interface ShelfResult {
  ref: string; doc: number; article: ShelfResultArticle; here: boolean; title: string; text: string;
  score: number; matched: number; words: number; run: FieldSpan | null; hits: SearchHit[];
}
interface ShelfAnswer {
  tier: SearchTier; results: ShelfResult[]; total: number; totalExact: boolean; incomplete: boolean;
  capped: boolean; words: number;
}
/** Where a shelf's index is (its folder and manifest), how query words are stemmed (unless given: as the manifest
    says the build stemmed), the number of the article whose page searches (-1: none), how parts load. */
interface ShelfSearchOptions {
  base: string; manifest: string; stem?: (word: string) => string; here?: number; load?: ShelfLoader;
}
/** A page's shelf engine's options: also the site's root, where search/current.js is. */
interface ShelfEngineOptions extends ShelfSearchOptions { root: string }
interface ShelfSearchEngine { search(query: unknown, options?: { prefix?: boolean; limit?: number }): Promise<ShelfAnswer> }

/* ---- lunr.js 2.3.9: only what query.js and search.js use (lunr ships no types) ---- */

declare namespace lunr {
  class Token {
    constructor(text: string);
    toString(): string;
  }
  function stemmer(token: Token): Token;
  class TokenSet {
    static fromFuzzyString(word: string, editDistance: number): TokenSet;
    static fromArray(words: string[]): TokenSet;
    intersect(other: TokenSet): TokenSet;
    toArray(): string[];
  }
  class Index {
    static load(serialized: SerializedIndex): Index;
    fields: string[];
    invertedIndex: Record<string, Posting>;
    tokenSet: TokenSet;
    fieldVectors: Record<string, { elements: number[] }>;
  }
}
type Lunr = typeof lunr;

/* ---- The globals, by the file that sets them ---- */

declare var ReaderLayout: { place(items: LayoutItem[], options: LayoutOptions): LayoutResult };
declare var Reader: ReaderCore;
declare var ReaderStrings: Record<string, UiString>;
/** The later bundles' files, in load order, set by the interaction bundle's first lines (build.py); reading and
    shelfnotes are named on a shelf only, and loaded only there. */
declare var ReaderBundles: Record<Exclude<BundleName, 'interact'>, string[]>;
declare var ReaderServices: ServicesModule;
declare var ReaderNoteControls: new (reader: Reader) => NoteControls;
declare var ReaderInteract: { start(reader: ReaderCore): void };
declare var ReaderText: { tokenize(text: string): Token[]; stemArabic(term: string): string; words(text: string): [number, number][] };
declare var ReaderQuery: {
  expandIndex(compact: CompactIndex, getText?: GetText, stem?: (word: string) => string): SerializedIndex;
  createEngine(lunr: Lunr, index: SerializedIndex, getText: GetText, stemWord?: (word: string) => string): SearchEngine;
  snippet(text: string, hits: Span[], run: Span | null, maxWords: number): Segment[];
};
declare var READER_SEARCH_INDEX: CompactIndex;
declare var ReaderMarks: {
  textNodes(el: Node): Text[];
  rangeAt(el: Node, start: number, end: number): Range | null;
  markRanges(el: Element | null, spans: Span[], className: string): HTMLElement[];
  clearMarks(className: string, scope?: ParentNode): void;
};
declare var ReaderSearch: { start(reader: Reader): Promise<void> };
type PageResultView = ResultView & { textOf: GetText };
declare var ReaderPageResults: PageResultView;
declare var ReaderShelfResults: {
  open(reader: Reader): Promise<{ engine: SearchEngine; view: ResultView }>;
};
declare var ReaderShelfManifest: string; // the shelf index's manifest (search/current.js)
declare var ReaderQuote: {
  start(reader: Reader): void;
  locate(text: string, selector: TextQuoteSelector, strict: boolean): Span | null;
  selectorAt(text: string, start: number, end: number): TextQuoteSelector;
  parseAddress(hash: string): TextQuoteSelector | null;
  textFragment(selector: TextQuoteSelector): string;
  /** A quote link: base with the selector in the fragment, and a text fragment for browsers. */
  address(base: string, selector: TextQuoteSelector): string;
};
declare var ReaderAnnotations: {
  LIMITS: { text: number; quote: number; context: number; file: number; items: number; link: number };
  UNSAFE: RegExp; // script, or a javascript: address, in text that came from outside
  record(id: string, exact: string, prefix: string, suffix: string, start: number, text: string, created: string,
    modified: string): ReaderNote;
  newId(): string;
  toAnnotation(n: ReaderNote, source: string): Record<string, unknown>;
  collection(items: unknown[], label: string, id?: string): Record<string, unknown>;
  parse(text: string, own: boolean, article: { source: string; base: string } | string[]):
    { items: ReaderNote[]; error?: undefined } | { error: string; items?: undefined };
  /** Add the notes list does not hold yet; how many. */
  merge(list: ReaderNote[], items: ReaderNote[]): number;
  isText(value: unknown, min: number, max: number): value is string;
};
declare var ReaderNoteLink: {
  linkTo(n: ReaderNote, base: string): Promise<string>;
  fromLink(hash: string): Promise<ReaderNote | null | 'bad'>;
  open(notes: NotesKeeper): Promise<void>;
  keep(notes: NotesKeeper): void;
  dismiss(notes: NotesKeeper): void;
};
declare var ReaderNoteCard: {
  make<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string | null):
    HTMLElementTagNameMap[K];
  button(action: string, label: string, className?: string): HTMLButtonElement;
  excerpt(text: string, words: number): string;
  card(n: ReaderNote, shared: boolean, t: ReaderServices['t']): HTMLElement;
  fill(n: ReaderNote, el: HTMLElement, state: CardState, t: ReaderServices['t']): void;
};
declare var ReaderNoteMarks: {
  locate(n: ReaderNote, text: string): Span | null;
  blocksOf(body: HTMLElement): TextBlock[];
  place(n: ReaderNote, shared: boolean, notes: NotesKeeper): boolean;
  unmark(n: ReaderNote, parents?: Node[]): void;
};
declare var ReaderNotesPanel: new (notes: NotesKeeper) => {
  toggle(force?: boolean): void;
  fill(): void;
  onClick(event: MouseEvent): boolean;
  escape(): boolean;
  onOutside(event: PointerEvent): void;
};
declare var ReaderNotes: ReaderNotesApi;
declare var ReaderShelf: {
  root: string; // the site's address
  key: string; // of the progress in localStorage
  failed: string; // sessionStorage key: an article page could not keep progress (storage full)
  here(): string; // this article's address ('' off an article of a shelf)
  load(): ShelfRecord;
  /** Change the progress as kept now; '' when kept, else why not. */
  update(change: (progress: ShelfProgress) => void): ShelfProblem | 'full';
  /** An article's page, at the paragraph the reader stopped at unless they finished it. */
  resume(page: string, entry: ShelfEntry | undefined): string;
  list(url: string | null | undefined): Promise<ShelfArticle[]>;
};
/** The shelf's articles in shelf order: the build's list (a script named in data-list on the page). */
declare var ReaderShelfList: ShelfArticle[];
declare var ReaderReading: { start(): void };
declare var ReaderShelfPage: object;
declare var ReaderShelfNotes: { load(notes: NotesKeeper): Promise<ShelfNotes> };
/* shelf search (docs/shelf-search.md): each part file calls ReaderShelfParts.part(name, json) */
declare var ReaderShelfParts: {
  part(name: string, text: string, check?: string): void;
  Parts: new (base: string, load?: ShelfLoader) => ShelfPartStore;
  partCheck(text: string): string;
  nameNumber(value: number, width?: number): string;
  decodeNumbers(text: string): number[];
  decodePostings(keys: string, tfs: string, before?: number): ShelfRawPostings;
};
declare var ReaderShelfIndex: {
  open(base: string, manifest: string, load?: ShelfLoader): Promise<ShelfIndexReader | null>;
  keyIndex<T extends number | string>(sorted: T[], x: T): number;
  lowerBound<T extends number | string>(sorted: T[], x: T): number;
};
declare var ReaderShelfWords: {
  MAX_WORDS: number;
  parseQuery(text: unknown, stem: (word: string) => string): ShelfQuery;
  /** The query's units: each plain word alone, each quoted phrase as one (word numbers). */
  unitsOf(q: ShelfQuery): number[][];
  /** [words matched, units held] from the words a doc holds (a phrase not held counts none of its words). */
  counts(q: ShelfQuery, held: boolean[], phraseHeld: (phrase: Pair) => boolean): [number, number];
  prefixMatches(index: ShelfIndexReader, word: ShelfWord, trace: ShelfTrace): Promise<Match[]>;
  typoMatches(index: ShelfIndexReader, word: ShelfWord, stem: (word: string) => string, trace: ShelfTrace):
    Promise<Match[]>;
  distance(a: string[], b: string[], max: number): number;
  oneEditStems(term: string, stem: (word: string) => string): Set<string>;
  DocWords: new (stem: (word: string) => string) => ShelfDocWords;
};
declare var ReaderShelfSearch: {
  BLOCK: number;
  open(options: ShelfSearchOptions): Promise<ShelfSearchEngine>;
  /** Results by article, articles in the order of their first result. */
  groupByArticle<R extends { article: ShelfResultArticle }>(results: R[]): { article: ShelfResultArticle; results: R[] }[];
};
