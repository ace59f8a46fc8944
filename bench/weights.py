"""Page weight of a built site: what the first view downloads, and what each lazy bundle adds.

The first view is index.html with its stylesheet, script and icon: everything the browser fetches
and waits for before it shows the page. The print stylesheet (media="print") is fetched too, last and
unwaited for; it is its own part ("print"), not counted in the first view. The bundles are fetched on first use: the interaction layer (the list on the page's
script tag; the first pointer or key), then the ones it names (ReaderBundles, in its first lines):
search (the search box), quote tools (the first selection), the reader's own notes (with the quote
tools, or at once when some are kept); on a shelf's articles, the reader's place (on waking) and their notes
across the shelf (with "Your notes"). A shelf's own page has its own first-view script.
"""

from __future__ import annotations

import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

KIB = 1024
BUDGETS = {"first_view": 20 * KIB, "print": 2 * KIB, "interact": 8 * KIB, "search": 20 * KIB, "quote": 8 * KIB,
           "notes": 12 * KIB, "reading": 2 * KIB, "shelfnotes": 4 * KIB}
FIXED_PART_BUDGET = 10 * KIB  # the first view of a three-paragraph article: chrome, CSS and JS, whatever the article
BUNDLES = ("interact", "search", "quote", "notes", "reading", "shelfnotes")  # the last two on a shelf only
LATER_BUNDLES = re.compile(rb"globalThis\.ReaderBundles = (\{.*?\});\n")


class _AssetFinder(HTMLParser):
    """Collect the first view's stylesheet, scripts and icon, and the interaction layer's files, from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first_view: list[str] = []
        self.print: list[str] = []
        self.interact: list[str] = []
        self.index: list[str] = []  # the page's own search index, which its search form names

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note each <link rel=stylesheet|icon>, <script src> and the script's data-* bundle lists."""
        a = {name: value or "" for name, value in attrs}
        rel = a.get("rel", "").lower().split()
        if (
            tag == "link"
            and ("stylesheet" in rel or "icon" in rel)
            and a.get("href")
            and not a["href"].startswith("data:")
        ):
            (self.print if a.get("media") == "print" else self.first_view).append(a["href"])
        elif tag == "script" and a.get("src"):
            self.first_view.append(a["src"])
            self.interact += a.get("data-interact", "").split()
        elif tag == "form" and a.get("data-index"):
            self.index.append(a["data-index"])


def gzip_size(data: bytes) -> int:
    """Bytes after gzip -9 (no file name or time stamp in the header, as gzip -9n)."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _local_file(site_dir: Path, url: str) -> Path:
    """The file under site_dir that a (relative or absolute) URL in index.html points to."""
    path = urlsplit(url).path.lstrip("/")
    candidate = site_dir / path
    if candidate.is_file():
        return candidate
    # An absolute URL (--base-url) has the site's own path in front: drop leading parts until it fits.
    parts = Path(path).parts
    for i in range(1, len(parts)):
        if (site_dir.joinpath(*parts[i:])).is_file():
            return site_dir.joinpath(*parts[i:])
    raise FileNotFoundError(f"{url} (from index.html) is not in {site_dir}")


def _rows(site_dir: Path, urls: list[str]) -> list[tuple[str, int, int]]:
    """(name, raw bytes, gzip bytes) for each URL's file."""
    rows = []
    for url in urls:
        data = _local_file(site_dir, url).read_bytes()
        rows.append((url, len(data), gzip_size(data)))
    return rows


def bundle_urls(site_dir: Path, page: str = "index.html") -> dict[str, list[str]]:
    """Each lazy bundle's file URLs (relative to the site), as a page's script tag and its interaction layer name them."""
    finder = _AssetFinder()
    finder.feed((Path(site_dir) / page).read_text(encoding="utf-8"))
    bundles = {"interact": finder.interact}
    for url in finder.interact:
        found = LATER_BUNDLES.search(_local_file(Path(site_dir), url).read_bytes())
        if found:
            bundles.update(json.loads(found[1]))
    if "search" in bundles:
        bundles["search"] = bundles["search"] + finder.index
    return bundles


def page_weights(site_dir: Path, page: str = "index.html") -> dict:
    """Return each part's files as (name, raw, gzip) rows and its gzip total: first_view, print, interact, search,
    quote, notes (those of the site's page `page`)."""
    site_dir = Path(site_dir)
    html = (site_dir / page).read_bytes()
    finder = _AssetFinder()
    finder.feed(html.decode("utf-8"))
    parts = {"first_view": [(page, len(html), gzip_size(html))] + _rows(site_dir, finder.first_view),
             "print": _rows(site_dir, finder.print)}
    bundles = bundle_urls(site_dir, page)
    parts.update({name: _rows(site_dir, bundles.get(name, [])) for name in BUNDLES})
    weights: dict = {}
    for name, rows in parts.items():
        weights[name] = rows
        weights[f"{name}_gz"] = sum(gz for _, _, gz in rows)
    return weights


def report(weights: dict) -> str:
    """One line per part: its gzip total, its budget and its files."""
    lines = []
    for name in ("first_view", "print", *BUNDLES):
        files = ", ".join(f"{Path(url).name.split('.')[0]} {gz}" for url, _, gz in weights[name])
        lines.append(f"{name}: {weights[name + '_gz']} B gzipped (budget {BUDGETS[name]}): {files}")
    return "\n".join(lines)
