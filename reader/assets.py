"""The page's stylesheets, scripts and icon: minified once per build, stored under hashed names (a
file is fetched once and kept), and grouped into the bundles the page loads when it needs them."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from reader.output import SiteFiles
from reader.render import Assets
from reader.ui_text import UiText

# The page's scripts as shipped: each is its source files in static/, minified and joined in this
# order under one hashed name. reader.js loads with the page, the others on first use; which bundle
# each belongs to is in add_assets (docs/architecture.md draws the whole map).
SCRIPTS = {
    "js/reader.js": ("js/layout.js", "js/reader.js"),
    "js/interact.js": ("js/services.js", "js/notecontrols.js", "js/interact.js"),
    "js/textnorm.js": ("js/textnorm.js",),
    "js/query.js": ("js/query.js",),
    "js/marks.js": ("js/marks.js",),
    "js/search.js": ("js/pageresults.js", "js/search.js"),
    # A shelf's: the whole shelf's engine, how its results show, the same search box.
    "js/shelfsearch.js": ("js/shelfparts.js", "js/shelfindex.js", "js/shelfwords.js", "js/shelfsearch.js",
                          "js/shelfresults.js", "js/search.js"),
    "js/quote.js": ("js/quote.js",),
    "js/readernotes.js": (
        "js/annotations.js",
        "js/notelink.js",
        "js/notecard.js",
        "js/notemarks.js",
        "js/notespanel.js",
        "js/readernotes.js",
    ),
    # A shelf's only: its page's own first-view script; on its articles, the reader's place and Your notes across it.
    "js/shelfpage.js": ("js/shelf.js", "js/shelfpage.js"),
    "js/shelf.js": ("js/shelf.js",),
    "js/reading.js": ("js/reading.js",),
    "js/shelfnotes.js": ("js/shelfnotes.js",),
}
# On a shelf, the name of the search index's manifest, which changes with every build: the one file pages reach
# it by, so that an edited article changes its index, not every page that has a search box.
SHELF_INDEX_POINTER = "search/current.js"
STYLESHEETS = ("css/site.css", "css/print.css", "css/shelf.css", "css/more.css", "css/404.css", "css/readernotes.css",
               "css/scripts.css")
STATIC_FILES = (*STYLESHEETS, *dict.fromkeys(part for parts in SCRIPTS.values() for part in parts), "favicon.svg")


def minify_static(static: dict[str, bytes], shown_source: dict[str, str], terser: str) -> dict[str, bytes]:
    """Our stylesheets (rcssmin) and scripts (terser, SCRIPTS joined) without comments and indentation,
    local names shortened in scripts: they count against the page budgets. The icon as it is.

    shown_source: each static file's path as messages name it; terser: where terser is installed."""
    import rcssmin

    from reader.minify import minify_scripts

    sources = {shown_source[name]: name for parts in SCRIPTS.values() for name in parts}
    minified = minify_scripts({path: static[name].decode("utf-8") for path, name in sources.items()}, terser)
    by_source = {name: minified[path] for path, name in sources.items()}
    return {
        **{name: rcssmin.cssmin(static[name].decode("utf-8")).encode("utf-8") for name in STYLESHEETS},
        **{name: "\n".join(by_source[part] for part in parts).encode("utf-8") for name, parts in SCRIPTS.items()},
        "favicon.svg": static["favicon.svg"],
    }


def add_assets(files: SiteFiles, static: dict[str, bytes], lunr_js: bytes, t: UiText, shelf: bool) -> Assets:
    """Store the (minified) stylesheets, scripts and icon under hashed names; return their URLs (relative to
    the site's root). Files two pages share are stored once; the shelf's own only on a shelf. An article's
    search index is its own (index_asset): its page names it, so the bundles stay the same for every page."""
    marks = files.add_hashed("marks.js", static["js/marks.js"])
    interact_strings, notes_strings, shelf_strings = script_strings(t)
    notes = (
        files.add_hashed("readernotes.css", static["css/readernotes.css"]),
        # its strings in the same file: one URL fewer in the page
        files.add_hashed("readernotes.js", notes_strings.encode("utf-8") + static["js/readernotes.js"]),
    )
    search = (
        files.add_hashed("lunr.min.js", lunr_js),
        files.add_hashed("textnorm.js", static["js/textnorm.js"]),
        files.add_hashed("query.js", static["js/query.js"]),
        marks,
        *((files.add_hashed("shelfsearch.js", static["js/shelfsearch.js"]), SHELF_INDEX_POINTER) if shelf
          else (files.add_hashed("search.js", static["js/search.js"]),)),
    )
    quote = (marks, files.add_hashed("quote.js", static["js/quote.js"]))
    # The later bundles are named in the interaction layer, which every one of them loads after: the
    # first view carries only the interaction layer's own two addresses.
    bundles = {"search": search, "quote": quote, "notes": notes}
    if shelf:  # both after shelf.js, which they share
        common = files.add_hashed("shelf.js", static["js/shelf.js"])
        bundles["reading"] = (common, files.add_hashed("reading.js", static["js/reading.js"]))
        bundles["shelfnotes"] = (common, files.add_hashed("shelfnotes.js", static["js/shelfnotes.js"]))
    later = json.dumps(bundles, sort_keys=True)
    prelude = f"{interact_strings}globalThis.ReaderBundles = {later};\n"
    interact = (
        files.add_hashed("more.css", static["css/more.css"]),
        files.add_hashed("interact.js", prelude.encode("utf-8") + static["js/interact.js"]),
    )
    return Assets(
        stylesheet=files.add_hashed("site.css", static["css/site.css"]),
        print_stylesheet=files.add_hashed("print.css", static["css/print.css"]),
        shelf_stylesheet=files.add_hashed("shelf.css", static["css/shelf.css"]) if shelf else "",
        shelf_script=files.add_hashed("shelfpage.js", shelf_strings.encode("utf-8") + static["js/shelfpage.js"])
        if shelf else "",
        more_stylesheet=interact[0],
        favicon=files.add_hashed("favicon.svg", static["favicon.svg"]),
        script_stylesheet=files.add_hashed("scripts.css", static["css/scripts.css"]) if t.script_styles else "",
        reader_script=files.add_hashed("reader.js", static["js/reader.js"]),
        interact_bundle=interact,
        search_bundle=search,
        quote_bundle=quote,
        notes_bundle=notes,
    )


def script_strings(t: UiText) -> tuple[str, str, str]:
    """The scripts' interface strings: the interaction layer's; the reader notes' (rn_*), which load with
    their own bundle; and the shelf page's (shelf_*), with its script."""
    notes, shelf = ({key: value for key, value in t.script.items() if key.startswith(prefix)}
                    for prefix in ("rn_", "shelf_"))
    rest = replace(t, script={key: value for key, value in t.script.items() if key not in notes and key not in shelf})
    # All three add to ReaderStrings: the shelf's page sets its own first, then loads the interaction layer.
    return _more_strings(rest.script), _more_strings(notes), _more_strings(shelf)


def _more_strings(strings: dict[str, str]) -> str:
    """A script adding strings to ReaderStrings (made by whichever script comes first)."""
    return ("Object.assign(globalThis.ReaderStrings || (globalThis.ReaderStrings = {}), "
            + json.dumps(strings, ensure_ascii=False, sort_keys=True) + ");\n")


@dataclass(frozen=True)
class ShelfArticle:
    """An article as the shelf's scripts know it (page-globals.d.ts: ShelfArticle): its address, title, author and
    lead (the filter), the key its reader's notes are kept under and the address they are on (readernotes.js: the
    page's isBasedOn, else its url; the key, else its title)."""

    address: str
    title: str
    author: str
    lead: str
    source: str | None  # the original's address, or the page's when the site's address is known

    def listed(self) -> dict[str, str]:
        return {"a": self.address, "t": self.title, "by": self.author, "lead": self.lead,
                "key": self.source or self.title, "src": self.source or ""}


def add_shelf_list(files: SiteFiles, articles: list[ShelfArticle]) -> str:
    """Store the list of the shelf's articles, in shelf order, as a script (it opens from file:// too, where a
    page cannot fetch JSON); return its URL. The shelf page's filter loads it, and Your notes across the shelf."""
    listed = json.dumps([a.listed() for a in articles], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return files.add_hashed("shelf-list.js", f"globalThis.ReaderShelfList = {listed};\n")


def index_asset(files: SiteFiles, index_script: str) -> str:
    """Store an article's search index under a hashed name; return its URL (its page names it)."""
    return files.add_hashed("search-index.js", index_script)
