"""The render stage: every page of the site, into memory.

Per article: its page, its page of notes, its citation files and images, under its folder on a shelf
(`<address>/`) or at the site's root when the site is one article. Then the shelf's own pages (the
shelf, the shared notes and their index) and the site's files (404, robots.txt, sitemap.xml, the
feed, every note as a W3C annotation collection).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import jinja2
from markupsafe import Markup

from reader.assets import ShelfArticle, add_shelf_list, index_asset
from reader.check import Parsed, Shelf
from reader.errors import BuildError, fail
from reader.feed import atom_feed, sitemap
from reader.output import SiteFiles
from reader.render import (
    Assets,
    block_html,
    breadcrumb_ld,
    byline_html,
    checked_line,
    citation,
    credit_line,
    editors,
    headings,
    item_list_ld,
    json_ld,
    kind_groups,
    lead_sentence,
    note_body,
    note_place,
    notes_by_block,
    notes_intro,
    prose_html,
    reading_minutes,
    render_page,
    site_url,
    style_hash,
    timeline,
)
from reader.search import stemmer_for
from reader.shelfindex import ShelfDoc
from reader.webannotation import AnnotatedPage, annotation_collection, annotation_lines

AssetsFor = Callable[[Parsed], Assets]  # an article's page assets (its language's strings, its search index)


@dataclass(frozen=True)
class Place:
    """Where an article's pages go: its folder ('' at a one-article site's root) and the way back to the root."""

    prefix: str
    root: str


def place_of(shelf: Shelf, parsed: Parsed) -> Place:
    """An article's folder on a shelf; the root for the one article of a one-article site."""
    return Place(f"{parsed.address}/", "../") if shelf.several else Place("", "")


def render_site(
    env: jinja2.Environment, files: SiteFiles, shelf: Shelf, assets_for: AssetsFor, static: dict[str, bytes],
    base_url: str | None, index: Callable[[Parsed], str | None],
) -> SiteFiles:
    """Render every page and site file of the shelf (or the one article) into files; index(parsed) is an
    article's search index script."""
    for parsed in shelf.articles:
        for path, data in article_files(env, shelf, parsed, assets_for(parsed), base_url, index(parsed)).items():
            files.add_once(path, data) if path.startswith("assets/") else files.add(path, data)
    return shelf_files(env, files, shelf, assets_for, static, base_url)


@dataclass(frozen=True)
class RenderedArticle:
    """One article's part of the site, made on a worker and kept in the build's cache: its files, and what the
    shelf's own files take from it (its docs for the shelf's search index, its notes as lines of
    annotations.jsonld). (Here, not in build.py: a pickle names the module its class is in.)"""

    files: list[tuple[str, bytes]]
    docs: tuple[ShelfDoc, ...]
    annotations: tuple[str, ...]


def article_files(
    env: jinja2.Environment, shelf: Shelf, parsed: Parsed, assets: Assets, base_url: str | None,
    index_script: str | None,
) -> SiteFiles:
    """One article's pages, search index, citation files and images (the unit of work a shelf's build shares
    between cores, and keeps in its cache)."""
    files = SiteFiles()
    with templates_named():
        index = index_asset(files, index_script) if index_script is not None else ""  # a shelf's is the shelf's
        render_article(env, files, shelf, parsed, assets, site_url(base_url), index)
    return files


def shelf_files(
    env: jinja2.Environment, files: SiteFiles, shelf: Shelf, assets_for: AssetsFor, static: dict[str, bytes],
    base_url: str | None, annotations: Sequence[str] | None = None,
) -> SiteFiles:
    """The site's own pages and files, besides the articles': the shelf's pages, the shared notes' pages,
    the 404, the feed, the sitemap, robots.txt, every note as one collection (see add_site_files)."""
    absolute = site_url(base_url)
    first = shelf.articles[0]
    with templates_named():
        if shelf.several:
            render_shelf_page(env, files, shelf, assets_for(first), absolute)
        if shelf.shared:
            render_shared_pages(env, files, shelf, assets_for(first), absolute)
        render_not_found(env, files, shelf, assets_for(first), static, absolute)
    add_site_files(files, shelf, absolute, base_url, annotations)
    return files


def with_shelf_list(files: SiteFiles, shelf: Shelf, base_url: str | None, assets: dict[str, Assets]
                    ) -> dict[str, Assets]:
    """Each language's assets, on a shelf with the list of its articles (stored once), which every page of it
    names for its scripts: the shelf page's filter, Your notes across the shelf. (A change to a title, author or
    lead changes the list's name, and so every article's page.)"""
    if not shelf.several:
        return assets
    listed = add_shelf_list(files, shelf_articles(shelf, site_url(base_url)))
    return {lang: replace(one, shelf_list=listed) for lang, one in assets.items()}


def shelf_articles(shelf: Shelf, absolute: Callable[[str], str | None]) -> list[ShelfArticle]:
    """The shelf's articles in order, as its scripts know them (the key of a reader's notes as the article's
    page makes it: its original's address, else the page's own when the site's address is known, else its title)."""
    return [ShelfArticle(c.address, c.title, c.author, c.lead, p.article.source_url or absolute(f"{p.address}/"))
            for p in shelf.articles for c in [card(p)]]


@contextmanager
def templates_named() -> Iterator[None]:
    """A broken template is named (file, line, what to do), not shown as a traceback."""
    try:
        yield
    except BuildError:
        raise
    except Exception as err:
        raise template_problem(err) from None


def article_context(shelf: Shelf, parsed: Parsed, assets: Assets, place: Place) -> dict:
    """What every page of an article (and the pages about its notes) is rendered with."""
    article, anchored, t = parsed.article, parsed.anchored, parsed.text
    by_block = notes_by_block(anchored)
    at = shelf.position(parsed.address)
    return {
        "t": t,
        "article": article,
        "assets": assets,
        "notes": anchored,
        "credit": credit_line(article, t, editors(anchored)),
        "root": place.root,
        "style_hash": "",
        "favicon_data": "",
        "skip_target": "#main",
        "skip_label": "skip_content",
        "shelf": shelf_nav(shelf, at) if shelf.several else None,
        "shelf_styles": shelf.several,
        **search_context(shelf, at),
        "shared_page": lambda note: f"{place.root}notes/{note.id}.html",
        "mentioned_in": lambda note: sum(note.id in p.mentions for p in shelf.articles),
        "note_body": note_body,
        "prose": prose_html,
        "checked_line": lambda note: checked_line(note, t),
        "note_place": lambda a: note_place(a, t),
        "inline": lambda block: block_html(block, by_block.get(block.index, []), t),
    }


def search_context(shelf: Shelf, here: int) -> dict:
    """What a page's search box needs: on a shelf, the shelf's search, with the number of the page's article
    (-1: the page is no article's) and the stemmer the shelf's index was made with."""
    return {"shelf_search": shelf.several, "search_here": here,
            "search_stemmer": stemmer_for(shelf.articles[0].article.lang)}


@dataclass(frozen=True)
class ShelfNav:
    """An article's place on the shelf: its number of how many, the articles before and after it."""

    number: int
    total: int
    title: str
    previous: Parsed | None
    next: Parsed | None


def shelf_nav(shelf: Shelf, at: int) -> ShelfNav:
    """The shelf's title and the articles either side of the one at position `at`."""
    articles = shelf.articles
    return ShelfNav(
        at + 1, len(articles), shelf.config.title or articles[0].text("shelf_title"),
        articles[at - 1] if at > 0 else None, articles[at + 1] if at + 1 < len(articles) else None,
    )


def render_article(
    env: jinja2.Environment, files: SiteFiles, shelf: Shelf, parsed: Parsed, assets: Assets,
    absolute: Callable[[str], str | None], search_index: str,
) -> None:
    """An article's page, its page of notes, its citation files and its images."""
    place = place_of(shelf, parsed)
    article, anchored, t = parsed.article, parsed.anchored, parsed.text
    context = article_context(shelf, parsed, assets, place)
    cited = citation(article, t)
    page_url = absolute(place.prefix)
    data = json_ld(article, page_url)
    crumbs = breadcrumb_ld(shelf.config.title or t("shelf_title"), absolute(""), article.title, page_url)
    for image in parsed.images.values():
        files.add_once(image.name, image.data)
    files.add(
        f"{place.prefix}index.html",
        render_page(
            env, "article.html",
            **{**context, "skip_target": "#article-body", "skip_label": "skip_article"},
            page="article", page_url=page_url, json_ld=data, breadcrumbs=crumbs if shelf.several else None,
            body=article.body, images=parsed.images, toc=headings(article), byline=byline_html(article, t),
            minutes=reading_minutes(article), notes_intro=notes_intro(anchored, t),
            author_note=Markup(article.author_note_html), citation=cited, search_index=search_index,
        ),
    )
    if anchored:
        files.add(
            f"{place.prefix}notes.html",
            render_page(
                env, "notes.html", **context, page="notes", page_url=absolute(f"{place.prefix}notes.html"),
                groups=kind_groups(anchored, shelf.kinds), timeline=timeline(anchored),
            ),
        )
    files.add(f"{place.prefix}cite.bib", cited.bibtex + "\n")
    files.add(f"{place.prefix}cite.json", cited.csl_json + "\n")


SHELF_PAGE_SIZE = 100  # articles a page of the shelf lists: the first view stays within its budget at any size


@dataclass(frozen=True)
class ShelfPart:
    """A run of one part of the shelf on one page of it: its heading (None for a shelf without parts),
    the number of its first article, and its articles."""

    heading: str | None
    description: str | None
    start: int
    addresses: tuple[str, ...]


def shelf_pages(shelf: Shelf, more: str, size: int = SHELF_PAGE_SIZE) -> list[list[ShelfPart]]:
    """The shelf's articles, numbered in order, cut into pages of `size`, each page's runs of each part."""
    parted = len(shelf.sections) > 1 or shelf.sections[0].title is not None
    entries = [(section, address) for section in shelf.sections for address in section.addresses]
    pages = []
    for first in range(0, len(entries), size):
        parts: list[ShelfPart] = []
        for number, (section, address) in enumerate(entries[first : first + size], first + 1):
            if parts and parts[-1].addresses and entries[number - 2][0] is section:
                parts[-1] = ShelfPart(parts[-1].heading, parts[-1].description, parts[-1].start,
                                      parts[-1].addresses + (address,))
                continue
            opens = number == 1 or entries[number - 2][0] is not section
            heading = (section.title or more) if parted else None
            parts.append(ShelfPart(heading, section.description if opens else None, number, (address,)))
        pages.append(parts)
    return pages


def render_shelf_page(
    env: jinja2.Environment, files: SiteFiles, shelf: Shelf, assets: Assets, absolute: Callable[[str], str | None]
) -> None:
    """The shelf, a page per SHELF_PAGE_SIZE articles: each with what a reader chooses by, in its parts;
    the reading paths on the first."""
    t = shelf.articles[0].text
    cards = {parsed.address: card(parsed) for parsed in shelf.articles}
    title = shelf.config.title or str(t("shelf_title"))
    pages = shelf_pages(shelf, str(t("more_articles")))
    for number, parts in enumerate(pages, 1):
        path = "index.html" if number == 1 else f"page-{number}.html"
        listed_here = [a for part in parts for a in part.addresses]
        files.add(path, render_page(
            env, "shelf.html", t=t, assets=assets, root="", style_hash="", favicon_data="",
            skip_target="#main", skip_label="skip_content", page="shelf", shelf_styles=True,
            **search_context(shelf, -1),
            page_url=absolute(path.removesuffix("index.html")),
            shelf=shelf, title=title, cards=cards, parts=parts, total=len(cards), lang=t.lang,
            page_number=number, page_count=len(pages),
            json_ld=item_list_ld(title, [(cards[a].title, absolute(f"{a}/")) for a in listed_here]),
        ))


@dataclass(frozen=True)
class Card:
    """An article as the shelf shows it."""

    address: str
    title: str
    author: str
    date: str | None
    lead: str
    minutes: int
    notes: int
    lang: str


def card(parsed: Parsed) -> Card:
    """What the shelf says of an article: title, author, date, standfirst (or first sentence), time, notes."""
    article, t = parsed.article, parsed.text
    return Card(
        parsed.address, article.title, article.author, t.date(article.published) if article.published else None,
        article.standfirst or lead_sentence(article), reading_minutes(article), len(parsed.anchored), article.lang,
    )


def render_shared_pages(
    env: jinja2.Environment, files: SiteFiles, shelf: Shelf, assets: Assets, absolute: Callable[[str], str | None]
) -> None:
    """A page for each shared note (every mention, by article, in shelf order) and one listing them all."""
    t = shelf.articles[0].text
    common = {"t": t, "assets": assets, "root": "../", "style_hash": "", "favicon_data": "",
              "skip_target": "#main", "skip_label": "skip_content", "lang": t.lang, "shelf": shelf,
              "shelf_styles": True, "mentioned_in": None, "shared_page": None, **search_context(shelf, -1),
              "note_body": note_body, "prose": prose_html, "checked_line": lambda note: checked_line(note, t)}
    for note in shelf.shared:
        mentions = [(parsed, parsed.mentions[note.id]) for parsed in shelf.articles if note.id in parsed.mentions]
        files.add(f"notes/{note.id}.html", render_page(
            env, "shared_note.html", **common, page="shared", page_url=absolute(f"notes/{note.id}.html"),
            note=note, mentions=mentions))
    files.add("notes/index.html", render_page(
        env, "shared_notes.html", **common, page="shared", page_url=absolute("notes/"),
        groups=[(kind, [n for n in shelf.shared if n.kind == kind]) for kind in shelf.kinds
                if any(n.kind == kind for n in shelf.shared)],
        counts={n.id: sum(n.id in p.mentions for p in shelf.articles) for n in shelf.shared}))


def render_not_found(
    env: jinja2.Environment, files: SiteFiles, shelf: Shelf, assets: Assets, static: dict[str, bytes],
    absolute: Callable[[str], str | None],
) -> None:
    """The page a host serves for any missing address, at any depth: its style and icon inline."""
    first = shelf.articles[0]
    css = static["css/404.css"].decode("utf-8")
    icon = "data:image/svg+xml;base64," + base64.b64encode(static["favicon.svg"]).decode("ascii")
    context = article_context(shelf, first, assets, Place("", ""))
    files.add("404.html", render_page(
        env, "404.html", **{**context, "style_hash": f" '{style_hash(css)}'", "favicon_data": icon},
        page="404", home=absolute("") or "/", inline_css=Markup(css),
        home_title=(shelf.config.title or first.text("shelf_title")) if shelf.several else first.article.title,
    ))


def add_site_files(files: SiteFiles, shelf: Shelf, absolute: Callable[[str], str | None], base_url: str | None,
                   annotations: Sequence[str] | None = None) -> None:
    """The notes as one W3C annotation collection (annotations: every article's article_annotations, in
    order, when made already), robots.txt, the sitemap and the feed, .nojekyll."""
    first = shelf.articles[0]
    if annotations is None:
        annotations = [line for p in shelf.articles for line in article_annotations(shelf, p, absolute)]
    title = (shelf.config.title or str(first.text("shelf_title"))) if shelf.several else first.article.title
    files.add("annotations.jsonld", annotation_collection(annotations, title, absolute("annotations.jsonld")))
    files.add("robots.txt", "User-agent: *\nAllow: /\n" + (f"Sitemap: {absolute('sitemap.xml')}\n" if base_url else ""))
    if base_url:
        files.add("sitemap.xml", sitemap([url for path in page_paths(shelf, files) if (url := absolute(path))]))
    if shelf.several:
        files.add("feed.xml", atom_feed(shelf, absolute))
    files.add(".nojekyll", "")


def article_annotations(shelf: Shelf, parsed: Parsed, absolute: Callable[[str], str | None]) -> tuple[str, ...]:
    """One article's notes as lines of the site's annotation collection."""
    page = AnnotatedPage(parsed.article, parsed.anchored, f"{place_of(shelf, parsed).prefix}index.html",
                         f"{parsed.address}/" if shelf.several else "")
    return annotation_lines(page, absolute("annotations.jsonld"))


def page_paths(shelf: Shelf, files: SiteFiles) -> list[str]:
    """Every page a reader may land on (not the 404), as the sitemap names them: a folder's index as the
    folder. The articles' pages are named from the shelf (they are written elsewhere), the rest from files."""
    articles = [f"{place_of(shelf, p).prefix}{name}" for p in shelf.articles
                for name in ("index.html", "notes.html") if name == "index.html" or p.anchored]
    others = [path for path, _ in files.items() if path.endswith(".html") and path != "404.html"]
    return [path.removesuffix("index.html") for path in sorted(set(articles + others))]


def template_problem(err: Exception) -> BuildError:
    """Describe a template failure as file:line: what; what to do."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return fail(f"templates/{err.name or '?'}", err.lineno, f"template syntax error: {err.message}; fix the tag")
    if isinstance(err, jinja2.TemplateNotFound):
        return fail(f"templates/{err.name}", None, "template missing; restore it with git checkout -- templates")
    if isinstance(err, jinja2.UndefinedError):
        return fail("templates", None, f"a template uses an unknown name ({err.message}); fix the template")
    raise err


