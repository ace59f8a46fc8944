"""Shared test helpers: the repo root, a CLI runner, the built sites, a server that behaves like
GitHub Pages, and real Chromium.

The browser tests run on four sites: the shipped article (content/), a second, different one
(tests/fixtures/second: French, headings, lists, a quote, an image), a crowded English one
(tests/fixtures/dense), whose words and layout the tests know, and a shelf of three short articles
with shared notes (tests/fixtures/shelf). Screenshots are taken when a
browser test fails, and of set views when READER_SCREENSHOTS=1 (make screenshots).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.fonts import DEFAULT_FONTS, FontsMissing, font_config

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
SECOND = ROOT / "tests" / "fixtures" / "second"
DENSE = ROOT / "tests" / "fixtures" / "dense"
SHELF = ROOT / "tests" / "fixtures" / "shelf"  # three short articles, shared notes, shelf.yaml
# One small article per script the site must read in: Japanese and Chinese (no spaces between words),
# Arabic and Hebrew (right to left). Each has headings, a list, a quote and notes on words mid-sentence.
SCRIPT_SITES = ("ja", "zh", "ar", "he")
SCRIPTS = {name: ROOT / "tests" / "fixtures" / name for name in SCRIPT_SITES}
ALL_SITES = ["article", "second", "dense", *SCRIPT_SITES]
# The smallest valid front matter, for unit tests that build their article inline.
TINY_FRONT_MATTER = """---
title: "T"
standfirst: "S"
column: "C"
author: "A"
author_note: "N"
publication: "P"
published: "2018-09"
source_url: "https://example.org/a"
---
"""
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# The shipped article (whatever content/ holds: only checks that suit any article run on it), a
# second article unlike it (French, headings, lists, a quote, an image), and an English fixture
# whose notes crowd the margin (its words and its layout are known to the tests).
SITE_ARGS = {"article": (),
             "second": ("--content", str(SECOND / "content"), "--annotations", str(SECOND / "annotations.yaml")),
             "dense": ("--content", str(DENSE / "content"), "--annotations", str(DENSE / "annotations.yaml")),
             "shelf": ("--content", str(SHELF / "content"), "--annotations", str(SHELF / "annotations.yaml")),
             **{name: ("--content", str(folder / "content"), "--annotations", str(folder / "annotations.yaml"))
                for name, folder in SCRIPTS.items()}}
# GitHub-Pages-like sub-paths
PREFIXES = {"article": "/user/repo/", "second": "/essai/", "dense": "/dense/", "shelf": "/lights/",
            **{name: f"/{name}/" for name in SCRIPT_SITES}}


def pytest_collection_modifyitems(items):
    """Everything under tests/browser/ drives Chromium."""
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would; return the finished process."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, Path]:
    """Every site of SITE_ARGS, built once for the whole session."""
    built = {}
    for name, args in SITE_ARGS.items():
        out = tmp_path_factory.mktemp(f"built-{name}") / "_site"
        done = run_build("--out", str(out), *args)
        assert done.returncode == 0, done.stderr
        built[name] = out
    return built


@pytest.fixture(scope="session")
def site(sites) -> Path:
    """The shipped article's site."""
    return sites["article"]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the docroot; an unknown path under a site gets that site's 404.html with status 404, as GitHub Pages does."""

    def send_error(self, code, message=None, explain=None):
        prefix = next((p for p in PREFIXES.values() if self.path.startswith(p)), None)
        page = Path(self.directory) / prefix.strip("/") / "404.html" if prefix and code == 404 else None
        if page is None or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        pass


class PagesServer(http.server.ThreadingHTTPServer):
    """A threaded server that stays quiet when a browser drops a connection (a page closed mid-request)."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(sites, tmp_path_factory) -> str:
    """Both sites served on 127.0.0.1 under their sub-paths; yields the origin (http://127.0.0.1:PORT)."""
    docroot = tmp_path_factory.mktemp("www")
    for name, prefix in PREFIXES.items():
        (docroot / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(sites[name], docroot / prefix.strip("/"))
    handler = functools.partial(PagesHandler, directory=str(docroot))
    httpd = PagesServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def site_url(server) -> str:
    """The address of the site browser tests open by default (the crowded fixture)."""
    return server + PREFIXES["dense"]


@pytest.fixture(scope="session")
def browsers(tmp_path_factory):
    """Real Chromium (Debian's) driven by Playwright, one per font set, started when first asked for;
    missing Chromium or fonts are a failure, not a skip."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install it (apt-get install -y chromium) or run .ci/run")
    folder = tmp_path_factory.mktemp("fonts")
    launched: dict = {}
    with sync_playwright() as playwright:
        def browser_with(fonts: str = DEFAULT_FONTS):
            if fonts not in launched:
                try:
                    env = {**os.environ, "FONTCONFIG_FILE": str(font_config(fonts, folder))}
                except FontsMissing as missing:
                    pytest.fail(str(missing))
                launched[fonts] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
            return launched[fonts]
        yield browser_with
        for one in launched.values():
            one.close()


@pytest.fixture(scope="session")
def browser(browsers):
    """Chromium with the default font set."""
    return browsers()


@dataclass
class PageProblems:
    """Console errors, page errors, failed and off-site requests seen by a page."""

    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)

    def watch(self, page, allowed: str) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        # An aborted request is one the page no longer wanted (it navigated away), not a failure.
        page.on("requestfailed", lambda r: None if "ABORTED" in (r.failure or "") else self.errors.append(f"request failed: {r.url}"))
        page.on("request", lambda r: None if r.url.startswith((allowed, "data:", "file:")) else self.offsite.append(r.url))


_OPEN_PAGES: list = []  # pages the running test opened, for a screenshot if it fails


@pytest.fixture
def open_page(browsers, server):
    """Open a site page in a fresh context; returns (page, problems). Options: the site, viewport,
    touch, colour scheme, forced colours, a default font size, scripts off, CSP off (for axe),
    clipboard permissions, the font set, or a full url."""
    contexts = []

    def opener(path: str = "", *, site: str = "dense", width: int = 1440, height: int = 900, mobile: bool = False,
               scheme: str = "light", forced: bool = False, font_size: int | None = None, javascript: bool = True,
               bypass_csp: bool = False, clipboard: bool = False, url: str | None = None, wait: bool = True,
               fonts: str = DEFAULT_FONTS):
        context = browsers(fonts).new_context(
            viewport={"width": width, "height": height}, color_scheme=scheme, forced_colors="active" if forced else "none",
            java_script_enabled=javascript, bypass_csp=bypass_csp, has_touch=mobile, is_mobile=mobile,
            reduced_motion="reduce", permissions=["clipboard-read", "clipboard-write"] if clipboard else [])
        contexts.append(context)
        page = context.new_page()
        if font_size:
            page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": font_size, "fixed": font_size}})
        problems = PageProblems()
        problems.watch(page, server if url is None else "file:")
        page.goto(url or server + PREFIXES[site] + path)
        if wait and javascript:
            page.wait_for_function("() => document.documentElement.classList.contains('notes-placed') || !document.getElementById('story-main')")
        _OPEN_PAGES.append(page)
        return page, problems

    yield opener
    _OPEN_PAGES.clear()
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Save a screenshot of each page a failing browser test had open, for a person to look at."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and _OPEN_PAGES:
        ARTIFACTS.mkdir(exist_ok=True)
        for n, page in enumerate(_OPEN_PAGES):
            try:
                page.screenshot(path=str(ARTIFACTS / f"failed-{item.name}-{n}.png"))
            except Exception:  # a closed page: nothing to show
                pass


# ---- Margin notes on wide screens: every note's box, its words' top and the text column ----

BOXES = """() => { const text = document.getElementById('article-body').getBoundingClientRect();
  return [...document.querySelectorAll('#notes > .note')].map(n => {
    const a = document.getElementById('ref-' + n.id.slice(5)), nb = n.getBoundingClientRect(), ab = a.getBoundingClientRect();
    const lead = n.querySelector('.note-lead');
    return {id: n.id, top: nb.top + scrollY, bottom: nb.bottom + scrollY, left: nb.left, right: nb.right,
            anchorTop: ab.top + scrollY, short: n.classList.contains('is-short'), textLeft: text.left, textRight: text.right,
            shownText: n.innerText, lead: lead ? lead.textContent : ''};
  }); }"""


def overlapping(boxes):
    """Pairs of notes whose boxes share any area."""
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5]


def assert_margin_layout(boxes, width):
    assert boxes
    for note in boxes:
        beside = note["left"] >= note["textRight"] + 8 or note["right"] <= note["textLeft"] - 8
        assert beside, f"{note['id']} covers the text"
        assert 0 <= note["left"] and note["right"] <= width, f"{note['id']} is off screen"
        assert note["top"] >= note["anchorTop"] - 1, f"{note['id']} sits above its words"
    assert overlapping(boxes) == []


def screenshot(page, name: str) -> Path | None:
    """Save a screenshot under tests/artifacts/ when asked to (READER_SCREENSHOTS=1)."""
    if not os.environ.get("READER_SCREENSHOTS"):
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def select_plain_text(page, block_id: str, length: int = 20) -> str:
    """Select the first `length` characters of the longest run of plain text in a block, as a drag would; returns them."""
    return page.evaluate("""([id, length]) => {
        const walker = document.createTreeWalker(document.getElementById(id), NodeFilter.SHOW_TEXT);
        let longest = null;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!longest || n.length > longest.length) longest = n;
        const r = document.createRange(); r.setStart(longest, 0); r.setEnd(longest, Math.min(length, longest.length));
        getSelection().removeAllRanges(); getSelection().addRange(r); return r.toString(); }""", [block_id, length])


def node_script(*args: str, stdin: str = "", timeout: int = 120) -> str:
    """Run one of tests/js/*.cjs under Node; return its standard output (fails the test on an error)."""
    done = subprocess.run(["node", *args], input=stdin, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout
