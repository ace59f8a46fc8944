"""`build.py --serve`: refuses a failed first build, serves, rebuilds on change, keeps the last good
site on errors and shows them in every page it serves until the next good build, and reloads the
open page in the browser after each rebuild."""

import contextlib
import html
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, tree_bytes

BANNER = 'class="reader-build-failed"'


def wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def start(tmp_path, notes_text: str | None = None):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "golden" / "input" / "content", content)
    notes = tmp_path / "annotations.yaml"
    notes.write_text(notes_text if notes_text is not None else (ROOT / "tests" / "golden" / "input" / "annotations.yaml").read_text())
    out = tmp_path / "_site"
    server = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "build.py"), "--serve", "--port", "0", "--out", str(out),
         "--content", str(content), "--annotations", str(notes)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    return server, notes, out


@contextlib.contextmanager
def serving(tmp_path):
    """A started server past its first two lines; yields (process, notes file, out folder, url)."""
    server, notes, out = start(tmp_path)
    try:
        server.stdout.readline()
        yield server, notes, out, server.stdout.readline().split(" at ")[1].split()[0]
    finally:
        server.terminate()
        server.wait(timeout=10)


def watching_page(browser, url: str):
    """A browser page on url, once its reload script has asked for the build's number."""
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/__reader-build'))")
    return page


def test_a_failed_first_build_is_an_error_and_serves_nothing(tmp_path):
    server, _, out = start(tmp_path, "- id: broken\n")
    output, _ = server.communicate(timeout=60)
    assert server.returncode == 1
    lines = output.splitlines()
    assert lines[0].startswith("error: ") and "missing required key" in lines[0]
    assert lines[-1] == "error: the first build failed, so there is nothing to serve; fix the problems above and run it again"
    assert not out.exists()


def test_serve_says_what_it_built_rebuilds_on_change_and_survives_a_broken_edit(tmp_path):
    server, notes, out = start(tmp_path)
    try:
        assert server.stdout.readline().startswith(f"built {out}/ (")
        banner = server.stdout.readline()
        assert banner.startswith(f"serving {out}/ at http://127.0.0.1:"), banner
        url = banner.split(" at ")[1].split()[0]
        page = fetch(url)
        assert "Two countries" in page and '<script src="/__reader-reload.js"></script>' in page
        assert "__reader-reload" not in (out / "index.html").read_text(), "the reload script is only served, never built"
        assert fetch(url + "__reader-build") == "0"

        notes.write_text(notes.read_text().replace("title: Two countries", "title: Two nations"))
        assert wait_for(lambda: "Two nations" in fetch(url)), "the edit was not rebuilt"
        assert server.stdout.readline().startswith(f"built {out}/ (")
        assert fetch(url + "__reader-build") == "1"

        notes.write_text(notes.read_text().replace("kind: term", "kind: nonsense"))
        error = server.stdout.readline()
        assert error.startswith("error: ") and "kind 'nonsense' is not one of" in error
        assert server.stdout.readline().endswith("rebuild failed; still serving the last good site\n")
        assert "Two nations" in fetch(url) and fetch(url + "__reader-build") == "2"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_while_a_rebuild_has_failed_every_page_shows_its_problems_until_the_next_good_build(tmp_path):
    with serving(tmp_path) as (server, notes, out, url):
        good = notes.read_text()
        assert BANNER not in fetch(url)

        notes.write_text(good.replace("kind: term", "kind: <b>term</b>", 1))
        error = server.stdout.readline().rstrip("\n")
        assert error.startswith("error: ") and "kind '<b>term</b>' is not one of" in error
        assert server.stdout.readline().endswith("rebuild failed; still serving the last good site\n")
        for page in ("", "notes.html", "404.html"):
            served = fetch(url + page)
            assert served.count(BANNER) == 1 and f"<li>{html.escape(error)}</li>" in served, page
            assert '<link rel="stylesheet" href="/__reader-failed.css">' in served
        assert "<b>term</b>" not in fetch(url), "the message is shown as text, never as markup"
        assert "position:fixed" in fetch(url + "__reader-failed.css")
        assert not [name for name, data in tree_bytes(out).items() if b"reader-build-failed" in data]

        notes.write_text(good)
        assert server.stdout.readline().startswith(f"built {out}/ (")
        assert BANNER not in fetch(url) and BANNER not in fetch(url + "notes.html")


@pytest.mark.browser
def test_the_open_page_shows_a_failed_rebuild_and_drops_it_after_the_next_good_one(tmp_path, browser):
    with serving(tmp_path) as (_, notes, _, url):
        page = watching_page(browser, url)
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        good = notes.read_text()
        notes.write_text(good.replace("kind: term", "kind: nonsense", 1))
        banner = page.locator(".reader-build-failed")
        banner.wait_for(state="visible", timeout=20000)
        assert "kind 'nonsense' is not one of" in banner.inner_text()
        assert banner.evaluate("b => getComputedStyle(b).position") == "fixed"
        notes.write_text(good)
        banner.wait_for(state="detached", timeout=20000)
        assert errors == [], errors
        page.close()


@pytest.mark.browser
def test_the_open_page_reloads_itself_after_a_good_rebuild(tmp_path, browser):
    with serving(tmp_path) as (_, notes, _, url):
        page = watching_page(browser, url)
        assert page.locator("#note-us-uk .note-title").text_content() == "Two countries"
        notes.write_text(notes.read_text().replace("title: Two countries", "title: Two nations"))
        page.wait_for_function("() => document.querySelector('#note-us-uk .note-title').textContent === 'Two nations'", timeout=20000)
        page.close()
