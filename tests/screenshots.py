"""The views a person looks at after a change to the page (`make screenshots`): every width from a
small phone to a wide desk, phones to the end of the article, landscape, 24 px text, dark,
forced colours, print, and a note, the search list and the quote tools open. Chromium with the
pinned default fonts (wide views under both font sets), the sites opened from disk.

    .venv/bin/python tests/screenshots.py [--only NAME-PART]

Pictures go to tests/artifacts/screens/, named site-view.png; a long page is taken a screen at a
time, numbered, as a reader scrolls it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, SITE_ARGS, run_build  # noqa: E402
from tests.fonts import DEFAULT_FONTS, FONT_FOLDERS, font_config  # noqa: E402

OUT = ARTIFACTS / "screens"
SLICE_OVERLAP = 80  # px each screen of a long page shares with the one before


@dataclass(frozen=True)
class View:
    """One picture: a screen, what the page is set to, and what the reader does first."""

    name: str
    width: int
    height: int
    mobile: bool = False
    font_size: int | None = None
    scheme: str = "light"
    forced: bool = False
    fonts: str = DEFAULT_FONTS
    action: str = "top"  # top, whole (the page to its end, in slices), middle, note, search, quote, print


PHONES = [View(f"phone-{w}x{h}-whole", w, h, mobile=True, action="whole") for w, h in ((320, 640), (360, 740), (390, 844))]
WIDE = [View(f"{fonts}-{w}x{h}-{action}", w, h, fonts=fonts, action=action)
        for fonts in FONT_FOLDERS for w, h in ((960, 700), (1024, 640), (1280, 800), (1440, 900), (1920, 1080))
        for action in ("top", "middle")]
VIEWS = [
    *PHONES,
    View("tablet-768x1024-whole", 768, 1024, mobile=True, action="whole"),
    View("landscape-844x390-note", 844, 390, mobile=True, action="note"),
    View("phone-390x844-note", 390, 844, mobile=True, action="note"),
    View("phone-360x740-24px-top", 360, 740, mobile=True, font_size=24),
    View("phone-360x740-24px-note", 360, 740, mobile=True, font_size=24, action="note"),
    View("landscape-740x360-24px-note", 740, 360, mobile=True, font_size=24, action="note"),
    View("phone-390x844-quote", 390, 844, mobile=True, action="quote"),
    View("phone-390x844-search", 390, 844, mobile=True, action="search"),
    *WIDE,
    View("1280x800-24px-middle", 1280, 800, font_size=24, action="middle"),
    View("1440x900-note", 1440, 900, action="note"),
    View("1440x900-search", 1440, 900, action="search"),
    View("1440x900-quote", 1440, 900, action="quote"),
    View("dark-1440x900-middle", 1440, 900, scheme="dark", action="middle"),
    View("dark-390x844-note", 390, 844, mobile=True, scheme="dark", action="note"),
    View("forced-1440x900-note", 1440, 900, forced=True, action="note"),
    View("forced-390x844-whole", 390, 844, mobile=True, forced=True, action="whole"),
    View("print-a4", 794, 1123, action="print"),
]
OTHER_SITES_VIEWS = ("phone-390x844-whole", "phone-390x844-note", "liberation-960x700-middle", "liberation-1280x800-middle",
                     "dejavu-1440x900-middle", "1440x900-search", "print-a4")
# A shelf's own page (no article on it): the views that do not need one.
SHELF_PAGE_VIEWS = ("phone-390x844-whole", "phone-390x844-search", "liberation-1280x800-top", "1440x900-search",
                    "dark-1440x900-middle", "print-a4")

ACTIONS = {
    "middle": "() => { const a = document.querySelectorAll('#article-body .anchor');"
              " a[Math.floor(a.length / 2)].scrollIntoView({block: 'center'}); }",
    "note": "() => { const a = document.querySelectorAll('#article-body .anchor'), w = a[Math.floor(a.length / 2)];"
            " w.scrollIntoView({block: 'center'}); return w.id; }",
}

# What the search view types: two words a note is anchored to (any language), else of the page's first heading.
SEARCH_WORDS = """() => { const words = (document.querySelector('#article-body .anchor')
    || document.querySelector('main h1, main h2')).textContent.trim().split(/\\s+/);
  return words.slice(0, 2).join(' '); }"""


def shoot(browser, site: Path, site_name: str, view: View, page_path: str = "index.html") -> list[Path]:
    """Open the site's page in one view, do its action, save its picture(s); return their paths."""
    context = browser.new_context(viewport={"width": view.width, "height": view.height}, is_mobile=view.mobile,
                                  has_touch=view.mobile, color_scheme=view.scheme, reduced_motion="reduce",
                                  forced_colors="active" if view.forced else "none")
    page = context.new_page()
    if view.font_size:
        page.context.new_cdp_session(page).send("Page.setFontSizes",
                                                {"fontSizes": {"standard": view.font_size, "fixed": view.font_size}})
    page.goto((site / page_path).as_uri())
    page.wait_for_function("() => !document.getElementById('article-body')"
                           " || document.documentElement.classList.contains('notes-placed')")
    name = f"{site_name}-{view.name}"
    try:
        return act(page, view, name)
    finally:
        context.close()


def act(page, view: View, name: str) -> list[Path]:
    """Do what the view asks and take its pictures."""
    if view.action in ACTIONS and page.locator("#article-body .anchor").count():
        anchor_id = page.evaluate(ACTIONS[view.action])
        if view.action == "note":
            page.locator(f"#{anchor_id}").tap() if view.mobile else page.locator(f"#{anchor_id}").click()
            page.wait_for_selector("#notes > .note.is-open")
    elif view.action == "search":
        page.locator("#search-input").click()
        page.keyboard.type(page.evaluate(SEARCH_WORDS))
        page.wait_for_selector("#search-results [role=option]")
    elif view.action == "quote":
        page.evaluate("""() => { const p = document.querySelectorAll('#article-body p')[1]; p.scrollIntoView({block: 'center'});
            const text = [...p.childNodes].find(n => n.nodeType === 3 && n.length > 30);
            const r = document.createRange(); r.setStart(text, 0); r.setEnd(text, 25);
            getSelection().removeAllRanges(); getSelection().addRange(r); }""")
        page.wait_for_selector(".quote-tools:not([hidden])")
    elif view.action == "print":
        page.emulate_media(media="print")
    page.wait_for_timeout(150)
    if view.action in ("whole", "print"):
        return slices(page, name)
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))
    return [path]


def slices(page, name: str) -> list[Path]:
    """The whole page, top to bottom, a screen at a time, as a reader scrolls it (a full-page picture
    drops the phone's touch emulation while it is taken, and with it the phone's own layout)."""
    height = page.viewport_size["height"]
    total = page.evaluate("() => document.documentElement.scrollHeight")
    paths = []
    for n, top in enumerate(range(0, total, height - SLICE_OVERLAP), 1):
        page.evaluate("(top) => scrollTo(0, top)", top)
        path = OUT / f"{name}-{n:02d}.png"
        page.screenshot(path=str(path))
        paths.append(path)
        if top + height >= total:
            break
    return paths


def pages_to_shoot(sites: dict[str, Path]) -> list[tuple[str, str, list[View]]]:
    """(picture name prefix, page, views): every view of the article; some of each other site's first page;
    a shelf's own page, and its first article's page as the others."""
    pages = []
    for name, site in sites.items():
        if name == "article":
            pages.append((name, "index.html", VIEWS))
        elif (site / "shelf.html").is_file() or not (site / "notes.html").is_file():
            first = sorted(p.parent.name for p in site.glob("*/index.html"))[0]
            pages += [(name, "index.html", [v for v in VIEWS if v.name in SHELF_PAGE_VIEWS]),
                      (f"{name}-{first}", f"{first}/index.html", [v for v in VIEWS if v.name in OTHER_SITES_VIEWS])]
        else:
            pages.append((name, "index.html", [v for v in VIEWS if v.name in OTHER_SITES_VIEWS]))
    return pages


def main(argv: list[str] | None = None) -> int:
    """Build the three sites, take every view's pictures, list them."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description="Take the screenshots a person looks at after a change.")
    parser.add_argument("--only", default="", help="only views whose file name contains this")
    args = parser.parse_args(argv)
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    work = Path(tempfile.mkdtemp(prefix="screens-"))
    sites = {}
    for name, build_args in SITE_ARGS.items():
        done = run_build("--out", str(work / name), *build_args)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        sites[name] = work / name
    taken: list[Path] = []
    with sync_playwright() as pw:
        browsers = {fonts: pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              env={**os.environ, "FONTCONFIG_FILE": str(font_config(fonts, work))})
                    for fonts in FONT_FOLDERS}
        for site_name, page_path, views in pages_to_shoot(sites):
            for view in views:
                if args.only in f"{site_name}-{view.name}":
                    taken += shoot(browsers[view.fonts], sites[site_name.split("-")[0]], site_name, view, page_path)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{len(taken)} pictures in {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
