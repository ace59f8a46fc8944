"""The site's files for other programs: the sitemap (search engines) and the Atom feed (feed readers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from reader.check import Parsed, Shelf

FEED_NAMESPACE = uuid.UUID("6f1c9d4e-8b0a-4c57-9f3e-2a7d5b1e0c42")  # ids stay the same from build to build


def sitemap(page_urls: list[str]) -> str:
    """A sitemap listing the pages."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(f"<url><loc>{escape(url)}</loc></url>\n" for url in page_urls)
        + "</urlset>\n"
    )


def atom_feed(shelf: Shelf, absolute: Callable[[str], str | None]) -> str:
    """The shelf's articles as an Atom feed, newest first (undated ones last, in shelf order). Without a
    base URL its links are relative to the feed, which sits at the site's root."""
    first = shelf.articles[0]
    title = shelf.config.title or str(first.text("shelf_title"))
    dated = sorted(shelf.articles, key=lambda p: p.article.published or "", reverse=True)
    updated = _timestamp(dated[0].article.published) if dated[0].article.published else "1970-01-01T00:00:00Z"
    key = absolute("") or title
    entries = "".join(_entry(parsed, absolute, key) for parsed in dated)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(first.article.lang)}>\n'
        f"<title>{escape(title)}</title>\n"
        + (f"<subtitle>{escape(shelf.config.description)}</subtitle>\n" if shelf.config.description else "")
        + f'<link href={quoteattr(absolute("") or "./")}/>\n'
        + f'<link rel="self" href={quoteattr(absolute("feed.xml") or "feed.xml")}/>\n'
        + f"<id>{_id(key)}</id>\n<updated>{updated}</updated>\n"
        + entries
        + "</feed>\n"
    )


def _entry(parsed: Parsed, absolute: Callable[[str], str | None], feed_key: str) -> str:
    article = parsed.article
    link = absolute(f"{parsed.address}/") or f"{parsed.address}/"
    summary = article.standfirst or ""
    return (
        "<entry>\n"
        f"<title>{escape(article.title)}</title>\n"
        f"<link href={quoteattr(link)}/>\n"
        f"<id>{_id(feed_key + '/' + parsed.address)}</id>\n"
        f"<updated>{_timestamp(article.published) if article.published else '1970-01-01T00:00:00Z'}</updated>\n"
        f"<author><name>{escape(article.author)}</name></author>\n"
        + (f"<summary>{escape(summary)}</summary>\n" if summary else "")
        + "</entry>\n"
    )


def _id(name: str) -> str:
    """A stable id for the feed or an entry: a name-based UUID, since the site may have no address."""
    return uuid.uuid5(FEED_NAMESPACE, name).urn


def _timestamp(date: str) -> str:
    """An RFC 3339 time for a YYYY, YYYY-MM or YYYY-MM-DD date: its first day, at midnight UTC."""
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"
