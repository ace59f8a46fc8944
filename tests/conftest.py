"""Shared test helpers: the repo root, a CLI runner, the built sites, a server that behaves like
GitHub Pages, and real Chromium.

The browser tests run on four sites: the shipped article (content/), a second, different one
(tests/fixtures/second: French, headings, lists, a quote, an image), a crowded English one
(tests/fixtures/dense), whose words and layout the tests know, and a shelf of three short articles
with shared notes (tests/fixtures/shelf). Screenshots are taken when a
browser test fails, and of set views when READER_SCREENSHOTS=1 (make screenshots).

make test runs the tests on pytest-xdist's workers: the sites are built once a run for all of them,
each worker has its own server and Chromium. A test that only looks at a served page (and does what a
reader does within it) opens it with view_page, in a tab kept between tests; one that changes the tab
itself, opens files or needs a context of its own uses open_page.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


class BuiltSites(Mapping[str, Path]):
    """The sites of SITE_ARGS, each built when first asked for and then kept: built once a run, whatever the
    number of pytest-xdist workers (they share the run's temporary folder; a lock makes one build and the
    others wait for it). Tests only read them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        """Where the site is (or will be) built."""
        return self.folder / f"built-{name}" / "_site"

    def __getitem__(self, name: str) -> Path:
        args, out = SITE_ARGS[name], self.path(name)
        with open(self.folder / f"built-{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if not out.is_dir():
                out.parent.mkdir(exist_ok=True)
                done = run_build("--out", str(out), *args)
                assert done.returncode == 0, done.stderr
        return out

    def __iter__(self):
        return iter(SITE_ARGS)

    def __len__(self) -> int:
        return len(SITE_ARGS)


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> BuiltSites:
    """Every site of SITE_ARGS, built once for the whole run."""
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # each worker has a folder of its own in the run's
        run_folder = run_folder.parent
    return BuiltSites(run_folder)


@pytest.fixture(scope="session")
def site(sites) -> Path:
    """The shipped article's site."""
    return sites["article"]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the docroot; an unknown path under a site gets that site's 404.html with status 404, as GitHub Pages does.
    A site is built when first asked for."""

    def __init__(self, *args, sites: Mapping[str, Path], **kwargs):
        self.sites = sites
        super().__init__(*args, **kwargs)

    def site_name(self) -> str | None:
        return next((name for name, prefix in PREFIXES.items() if self.path.startswith(prefix)), None)

    def send_head(self):
        name = self.site_name()
        if name is not None:
            self.sites[name]  # noqa: B018 (builds it, once)
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        name = self.site_name()
        page = Path(self.directory) / PREFIXES[name].strip("/") / "404.html" if name and code == 404 else None
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
def server(sites: BuiltSites, tmp_path_factory) -> str:
    """Every site served on 127.0.0.1 under their sub-paths; yields the origin (http://127.0.0.1:PORT)."""
    docroot = tmp_path_factory.mktemp("www")
    for name, prefix in PREFIXES.items():
        (docroot / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(sites.path(name), docroot / prefix.strip("/"))
    handler = functools.partial(PagesHandler, directory=str(docroot), sites=sites)
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
    allowed: str = ""  # where the page may send requests: the test server's origin, or file:

    EVENTS = ("console", "pageerror", "requestfailed", "request")

    def watch(self, page, allowed: str) -> None:
        self.allowed = allowed
        for event in self.EVENTS:
            page.on(event, functools.partial(self.note, event))

    def note(self, event: str, what) -> None:
        """Keep what one of the page's EVENTS tells, if it is a problem."""
        if event == "console" and what.type == "error":
            self.errors.append(what.text)
        elif event == "pageerror":
            self.errors.append(str(what))
        # An aborted request is one the page no longer wanted (it navigated away), not a failure.
        elif event == "requestfailed" and "ABORTED" not in (what.failure or ""):
            self.errors.append(f"request failed: {what.url}")
        elif event == "request" and not what.url.startswith((self.allowed, "data:", "file:")):
            self.offsite.append(what.url)


@dataclass(frozen=True)
class PageOptions:
    """What a test asks of its page: viewport, touch, colour scheme, forced colours, reduced motion (asked
    for unless told), a default font size, scripts off, CSP off (for axe), clipboard permissions, the font set."""

    width: int = 1440
    height: int = 900
    mobile: bool = False
    scheme: str = "light"
    forced: bool = False
    motion: str = "reduce"
    font_size: int | None = None
    javascript: bool = True
    bypass_csp: bool = False
    clipboard: bool = False
    fonts: str = DEFAULT_FONTS

    def context(self) -> dict:
        """Playwright's new_context arguments for these options."""
        return dict(viewport={"width": self.width, "height": self.height}, color_scheme=self.scheme,
                    forced_colors="active" if self.forced else "none", java_script_enabled=self.javascript,
                    bypass_csp=self.bypass_csp, has_touch=self.mobile, is_mobile=self.mobile, reduced_motion=self.motion,
                    permissions=["clipboard-read", "clipboard-write"] if self.clipboard else [])

    def fixed(self) -> tuple:
        """The options a page keeps for its life (its context's, its browser's, its font size)."""
        return (self.fonts, self.mobile, self.javascript, self.bypass_csp, self.clipboard, self.font_size)


def new_page(browsers, options: PageOptions):
    """A page in a fresh context of its own."""
    page = browsers(options.fonts).new_context(**options.context()).new_page()
    if options.font_size:
        page.context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": options.font_size, "fixed": options.font_size}})
    return page


def go(page, address: str, wait: bool, options: PageOptions) -> None:
    """Open the address; wait, unless told not to, until the page's script has placed the notes."""
    page.goto(address)
    if wait and options.javascript:
        page.wait_for_function("() => document.documentElement.classList.contains('notes-placed') || !document.getElementById('story-main')")


_OPEN_PAGES: list = []  # pages the running test opened, for a screenshot if it fails


@pytest.fixture
def open_page(browsers, server):
    """Open a site page in a fresh context; returns (page, problems). Options: those of PageOptions,
    the site and path, or a full url."""
    contexts = []

    def opener(path: str = "", *, site: str = "dense", url: str | None = None, wait: bool = True, **asked):
        options = PageOptions(**asked)
        page = new_page(browsers, options)
        contexts.append(page.context)
        problems = PageProblems()
        problems.watch(page, server if url is None else "file:")
        go(page, url or server + PREFIXES[site] + path, wait, options)
        _OPEN_PAGES.append(page)
        return page, problems

    yield opener
    _OPEN_PAGES.clear()
    for context in contexts:
        context.close()


@dataclass
class Tab:
    """A page kept open for tests that only look at a served page (see view_page), and its current test's problems."""

    page: Any
    session: Any  # the page's DevTools session: its cache is off, its origin's storage cleared between tests
    problems: PageProblems


class Tabs:
    """This worker's tabs for view_page, by the options a page keeps for its life; only the viewport, colour
    scheme, forced colours and reduced motion change between tests."""

    def __init__(self, browsers, origin: str) -> None:
        self.browsers, self.origin = browsers, origin
        self.idle: dict[tuple, list[Tab]] = {}

    def take(self, options: PageOptions, allowed: str) -> Tab:
        """A tab at about:blank with these options, whose problems are new."""
        kept = self.idle.setdefault(options.fixed(), [])
        tab = kept.pop() if kept else self.open(options)
        tab.problems = PageProblems(allowed=allowed)
        tab.page.set_viewport_size({"width": options.width, "height": options.height})
        tab.page.emulate_media(media="null", color_scheme=options.scheme,
                               forced_colors="active" if options.forced else "none", reduced_motion=options.motion)
        return tab

    def open(self, options: PageOptions) -> Tab:
        page = new_page(self.browsers, options)
        # A fresh context starts with nothing cached: each test's page comes from the server, as there.
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        tab = Tab(page, session, PageProblems())
        for event in PageProblems.EVENTS:
            page.on(event, lambda what, event=event: tab.problems.note(event, what))
        return tab

    def give_back(self, tab: Tab, options: PageOptions) -> None:
        """Leave the page (its script may still write), clear what it kept, move the pointer off it, close any
        tab it opened."""
        try:
            for other in tab.page.context.pages:
                if other != tab.page:
                    other.close()
            tab.page.goto("about:blank")
            tab.session.send("Storage.clearDataForOrigin", {"origin": self.origin, "storageTypes": "all"})
            tab.page.mouse.move(-1, -1)
        except Exception:  # a page the test broke (crashed, hung) is not used again
            tab.page.context.close()
            return
        self.idle[options.fixed()].append(tab)

    def close(self) -> None:
        for tab in (tab for kept in self.idle.values() for tab in kept):
            tab.page.context.close()


@pytest.fixture(scope="session")
def tabs(browsers, server):
    kept = Tabs(browsers, server)
    yield kept
    kept.close()


@pytest.fixture
def view_page(tabs, server):
    """Open a served site page to look at it and do what a reader does within it (scroll, select, tap,
    type, print): like open_page, but in a tab kept from an earlier test with the same fixed options (its
    storage cleared, its cache off, at the viewport, colour scheme, forced colours and motion asked for), which
    saves starting a page: most of a browser test's time. Not for tests that change the tab itself
    (routes, init scripts, handlers of their own, history) or read from disk: those use open_page."""
    taken: list[tuple[Tab, PageOptions]] = []

    def opener(path: str = "", *, site: str = "dense", url: str | None = None, wait: bool = True, **asked):
        options = PageOptions(**asked)
        assert url is None or url.startswith(server), "view_page opens pages the test server serves"
        tab = tabs.take(options, server if url is None else "file:")
        taken.append((tab, options))
        go(tab.page, url or server + PREFIXES[site] + path, wait, options)
        _OPEN_PAGES.append(tab.page)
        return tab.page, tab.problems

    yield opener
    _OPEN_PAGES.clear()
    for tab, options in taken:
        tabs.give_back(tab, options)


@pytest.fixture
def show_figures(record_property):
    """Show a test's figures (weights, timings) in the run's summary, under "figures": what a test prints is
    lost on a pytest-xdist worker, what it records travels with its report."""
    return lambda text: record_property("figures", text.strip("\n"))


def pytest_terminal_summary(terminalreporter):
    shown = [value for reports in terminalreporter.stats.values() for report in reports
             if getattr(report, "when", None) == "call" for name, value in report.user_properties if name == "figures"]
    if shown:
        terminalreporter.section("figures")
        for text in shown:
            terminalreporter.line(text)


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
