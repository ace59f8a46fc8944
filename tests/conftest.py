"""Shared test helpers: the repo root, a CLI runner, a real build of the site, and Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would; return the finished process."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once for the whole session."""
    out = tmp_path_factory.mktemp("built") / "_site"
    done = run_build("--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def site_url(site: Path, tmp_path_factory) -> str:
    """The site served over HTTP under a GitHub-Pages-like sub-path, e.g. /user/repo/."""
    docroot = tmp_path_factory.mktemp("www")
    (docroot / "user").mkdir()
    os.symlink(site, docroot / "user" / "repo")
    handler = functools.partial(_SilentHandler, directory=str(docroot))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/user/repo/"
    server.shutdown()


class _SilentHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def browser():
    """Real Chromium (Debian's) driven by Playwright; missing Chromium is a failure, not a skip."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install it (apt-get install -y chromium) or run .ci/run")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems:
    """Console errors, page errors, failed and off-site requests seen by a page."""

    def __init__(self, page, allowed_origin: str):
        self.errors: list[str] = []
        self.offsite: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        page.on("request", lambda r: None if r.url.startswith((allowed_origin, "data:", "file:")) else self.offsite.append(r.url))


@pytest.fixture
def open_page(browser, site_url):
    """Open the site (or a path under it) in a fresh context; yields (page, problems)."""
    contexts = []

    def opener(path: str = "", width: int = 1440, height: int = 900, scheme: str = "light",
               javascript: bool = True, bypass_csp: bool = False, mobile: bool = False, url: str | None = None):
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                      java_script_enabled=javascript, bypass_csp=bypass_csp,
                                      has_touch=mobile, is_mobile=mobile, reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        target = url or site_url + path
        problems = PageProblems(page, target.split("/user/")[0] if url is None else "file:")
        page.goto(target)
        page.wait_for_load_state("load")
        return page, problems

    yield opener
    for context in contexts:
        context.close()


ARTIFACTS = ROOT / "tests" / "artifacts"


def screenshot(page, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
