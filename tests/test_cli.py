"""The command line as a user meets it: exit codes, messages, atomic and deterministic output."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DENSE, ROOT, run_build, tree_bytes


@pytest.fixture
def inputs(tmp_path) -> tuple[Path, Path]:
    """Copies of the crowded fixture's article and notes that a test may break."""
    content = tmp_path / "content"
    shutil.copytree(DENSE / "content", content)
    notes = tmp_path / "annotations.yaml"
    shutil.copy(DENSE / "annotations.yaml", notes)
    return content, notes


def build(out: Path, inputs, *extra: str):
    content, notes = inputs
    return run_build("--out", str(out), "--content", str(content), "--annotations", str(notes), *extra)


def patched_build(patch: str, out: Path, inputs) -> list[str]:
    """A command running build.main on the inputs after `patch` (Python source, with `build`
    imported) has changed something from outside, as a slow disk or a bug would."""
    content, notes = inputs
    # Without the cache: the stage patched must run, not be skipped for the result of an earlier build.
    args = ["--out", str(out), "--content", str(content), "--annotations", str(notes), "--no-cache"]
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\nimport build\n{patch}\n"
              f"sys.exit(build.main({args!r} + sys.argv[1:]))\n")
    return [sys.executable, "-c", script]


def test_build_writes_the_site_and_says_so(tmp_path, inputs):
    done = build(tmp_path / "_site", inputs)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"built {tmp_path / '_site'}/ (")
    names = set(tree_bytes(tmp_path / "_site"))
    assert {"index.html", "notes.html", "404.html", "robots.txt", ".nojekyll", "annotations.jsonld", "cite.bib", "cite.json",
            ".annotated-reader-site"} <= names
    assert "sitemap.xml" not in names
    assets = sorted(n.split("/")[1].split(".")[0] for n in names if n.startswith("assets/"))
    assert assets == ["favicon", "interact", "lunr", "marks", "more", "print", "query", "quote", "reader", "readernotes",
                      "readernotes", "search", "search-index", "site", "textnorm"]


def test_check_only_validates_and_writes_nothing(tmp_path, inputs):
    done = build(tmp_path / "_site", inputs, "--check")
    assert done.returncode == 0
    assert done.stdout.startswith("ok: ") and done.stdout.endswith("16 notes anchored in 8 blocks of text\n")
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize("args", [["--nope"], ["--base-url", "ftp://x"], ["--port", "0", "--serve", "--base-url", "x"]])
def test_bad_usage_exits_2(args, tmp_path):
    done = run_build("--out", str(tmp_path / "o"), *args)
    assert done.returncode == 2
    assert "usage:" in done.stderr and "Traceback" not in done.stderr


def test_base_url_fills_canonical_og_and_sitemap_but_links_stay_relative(tmp_path, inputs):
    done = build(tmp_path / "_site", inputs, "--base-url", "https://user.github.io/repo/")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "_site" / "index.html").read_text()
    assert '<link rel="canonical" href="https://user.github.io/repo/">' in html
    assert '<meta property="og:url" content="https://user.github.io/repo/">' in html
    assert 'href="assets/site.' in html and 'src="assets/reader.' in html
    sitemap = (tmp_path / "_site" / "sitemap.xml").read_text()
    assert "<loc>https://user.github.io/repo/</loc>" in sitemap and "<loc>https://user.github.io/repo/notes.html</loc>" in sitemap
    robots = (tmp_path / "_site" / "robots.txt").read_text()
    assert robots.endswith("Sitemap: https://user.github.io/repo/sitemap.xml\n")
    not_found = (tmp_path / "_site" / "404.html").read_text()
    assert '<a href="https://user.github.io/repo/">' in not_found  # 404 is served at any depth
    assert "<style>" in not_found and 'rel="stylesheet"' not in not_found


def test_two_builds_are_byte_identical(tmp_path, inputs):
    assert build(tmp_path / "a", inputs).returncode == 0
    assert build(tmp_path / "b", inputs).returncode == 0
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_bad_input_prints_one_line_per_problem_exits_1_and_keeps_the_old_site(tmp_path, inputs):
    out = tmp_path / "_site"
    assert build(out, inputs).returncode == 0
    before = tree_bytes(out)
    notes = inputs[1]
    notes.write_text(notes.read_text().replace("  kind: term", "  kind: trem", 1).replace("quote:", "qoute:", 1))
    done = build(out, inputs)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) >= 2 and all(line.startswith(f"error: {notes}:") for line in lines), lines
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert tree_bytes(out) == before


def test_refuses_to_replace_a_folder_it_did_not_make(tmp_path, inputs):
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    done = build(precious, inputs)
    assert done.returncode == 1
    assert "refusing to replace it" in done.stderr
    assert tree_bytes(precious) == {"thesis.txt": b"years of work"}


def test_refuses_an_out_that_is_a_file(tmp_path, inputs):
    target = tmp_path / "file.txt"
    target.write_text("x")
    done = build(target, inputs)
    assert done.returncode == 1 and "--out points at a file" in done.stderr
    assert target.read_text() == "x"


def test_an_empty_folder_may_be_used(tmp_path, inputs):
    (tmp_path / "empty").mkdir()
    assert build(tmp_path / "empty", inputs).returncode == 0


def test_killed_mid_write_leaves_the_previous_site_intact(tmp_path, inputs):
    out = tmp_path / "_site"
    assert build(out, inputs).returncode == 0
    before = tree_bytes(out)
    # Slow every file write down so the kill lands while the new site is half written.
    slow = (
        "import pathlib, time\n"
        "original = pathlib.Path.write_bytes\n"
        "def slow(self, data):\n"
        "    time.sleep(0.2)\n"
        "    return original(self, data)\n"
        "pathlib.Path.write_bytes = slow"
    )
    process = subprocess.Popen(patched_build(slow, out, inputs), cwd=tmp_path)
    deadline = time.monotonic() + 60
    staging = []
    while time.monotonic() < deadline and not any(len(tree_bytes(s)) >= 3 for s in staging):
        time.sleep(0.05)
        staging = [p for p in tmp_path.glob("_site.tmp-*") if p.is_dir()]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert staging, "the build never started writing"
    assert tree_bytes(out) == before
    assert build(out, inputs).returncode == 0
    assert not list(tmp_path.glob("_site.tmp-*")), "leftover staging folders are cleaned by the next build"


def test_missing_lunr_says_to_run_npm_ci(tmp_path):
    # A copy of the project without node_modules, as on a clone where `npm ci` never ran.
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("node_modules", ".venv*", "_site*", ".git", "tests"))
    done = subprocess.run([sys.executable, "build.py", "--out", str(tmp_path / "o")], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == "error: node_modules/lunr/lunr.min.js: lunr.js is not installed; run `npm ci` (or `make site`)\n"


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(tmp_path, inputs):
    out = tmp_path / "_site"
    assert build(out, inputs).returncode == 0
    before = tree_bytes(out)
    # Break a stage from outside, as a bug would: the search indexer raises.
    crash = patched_build("def broken(docs, **options): raise TypeError('simulated bug')\n"
                          "build.build_search_index = broken", out, inputs)
    done = subprocess.run(crash, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == ("error: internal error (TypeError: simulated bug); the previous site is untouched; "
                           "run again with --debug and report the traceback\n")
    assert tree_bytes(out) == before
    debug = subprocess.run([*crash, "--debug"], capture_output=True, text=True)
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "simulated bug" in debug.stderr


def test_a_page_whose_notes_are_no_updates_does_not_promise_what_happened_next(tmp_path):
    base = ROOT / "tests" / "broken" / "_base"  # a person and a term, no update, no timeline
    done = run_build("--out", str(tmp_path / "_site"), "--content", str(base / "content"),
                     "--annotations", str(base / "annotations.yaml"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "_site" / "index.html").read_text(encoding="utf-8")
    assert "2 editor’s notes explain people, events and terms; the numbered words lead to them." in page
    assert "what happened next" not in page
