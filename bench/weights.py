"""Page weight of a built site: what the first view and the first search download."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

BUDGET_GZ = 20 * 1024  # bytes, gzip -9, for the first view and for the first search each


class _AssetFinder(HTMLParser):
    """Collect stylesheet and script URLs and form#search's data-bundle from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.first_view: list[str] = []
        self.bundle: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note each <link rel=stylesheet>, <script src> and the search form's bundle list."""
        a = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and a.get("href"):
            self.first_view.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.first_view.append(a["src"])
        elif tag == "form" and a.get("id") == "search" and "data-bundle" in a:
            self.bundle += a["data-bundle"].split()


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


def page_weights(site_dir: Path) -> dict:
    """Return the first view (HTML + CSS + JS) and first search (data-bundle) files with raw and gzip sizes."""
    site_dir = Path(site_dir)
    html = (site_dir / "index.html").read_bytes()
    finder = _AssetFinder()
    finder.feed(html.decode("utf-8"))
    first_view = [("index.html", len(html), gzip_size(html))] + _rows(site_dir, finder.first_view)
    first_search = _rows(site_dir, finder.bundle)
    return {
        "first_view": first_view,
        "first_search": first_search,
        "first_view_gz": sum(gz for _, _, gz in first_view),
        "first_search_gz": sum(gz for _, _, gz in first_search),
    }
