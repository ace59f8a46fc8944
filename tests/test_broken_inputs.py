"""Broken inputs through the real command line: one clear line per problem, exit 1, old site kept.

Every folder in tests/broken/ is one case (adding a case is adding a folder):

    annotations.yaml   the notes file (else _base/annotations.yaml)
    content/           the content folder (else _base/content/, a three-paragraph article)
    setup.txt          optional, one directive a line, for the environment:
                         content PATH | annotations PATH   pass this instead (e.g. a missing file)
                         remove FILE                       build from a project copy without FILE
                         out file | foreign | under-file | unwritable
    expect.txt         one regex per stderr line, in order ('#' lines are comments);
                       for a good-* case, one regex per stdout line instead: it must build.

A broken case starts from a good site built from _base into the same --out, and afterwards
every file the case can see (inputs, the old site, whatever --out pointed at) must be exactly
as it was, with nothing added.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_build, tree_bytes

# Every case is built once, by the module's `outcomes`: on one worker.
pytestmark = pytest.mark.xdist_group("broken-inputs")

BROKEN = Path(__file__).resolve().parent / "broken"
BASE = BROKEN / "_base"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
BAD = [name for name in CASES if not name.startswith("good-")]
GOOD = [name for name in CASES if name.startswith("good-")]
PROJECT_FILES = ("build.py", "reader", "templates", "static", "locales", "annotations.schema.json", "content.schema.json",
                 "shelf.schema.json")
PROBLEM_LINE = re.compile(r"^error: \S[^:]*(:[1-9]\d*)?: \S")


def stage(case: Path, work: Path) -> None:
    """Put a case's inputs (or the base ones it does not replace) into work/."""
    for name in ("annotations.yaml", "content"):
        source = case / name if (case / name).exists() else BASE / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        else:
            shutil.copyfile(source, work / name)


def expected_lines(case: Path) -> list[str]:
    """The regexes in expect.txt, comments and blank lines left out."""
    lines = (case / "expect.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def directives(case: Path) -> dict[str, str]:
    """setup.txt as {directive: argument}."""
    setup = case / "setup.txt"
    pairs = [line.split(maxsplit=1) for line in setup.read_text(encoding="utf-8").splitlines()] if setup.exists() else []
    return {pair[0]: pair[1] for pair in pairs if pair}


def project_copy(work: Path, without: str) -> Path:
    """The project's build files copied to work/project, minus one file; node_modules linked."""
    project = work / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(ROOT / name, project / name)
    os.symlink(ROOT / "node_modules", project / "node_modules")
    (project / without).unlink()
    return project


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under folder, except a project copy."""
    found: dict[str, bytes | None] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not (Path(dirpath) == folder and d == "project"))
        here = Path(dirpath).relative_to(folder)
        found.update({str(here / d): None for d in dirnames})
        found.update({str(here / f): (Path(dirpath) / f).read_bytes() for f in sorted(filenames)})
    return found


def permissions_bind(work: Path) -> bool:
    """Whether a read-only folder stops this user writing (not for root, which writes anyway)."""
    probe = work / "permission-probe"
    probe.mkdir()
    probe.chmod(0o500)
    try:
        (probe / "x").touch()
    except PermissionError:
        return True
    finally:
        probe.chmod(0o700)
        shutil.rmtree(probe)
    return False


def prepare_out(kind: str, work: Path) -> tuple[str, Path | None]:
    """Make the --out a directive asks for; return it and a folder to make read-only, if any."""
    if kind == "file":
        (work / "out.txt").write_text("not a folder\n")
        return "out.txt", None
    if kind == "foreign":
        (work / "home").mkdir()
        (work / "home" / "thesis.txt").write_text("years of work\n")
        return "home", None
    if kind == "under-file":
        (work / "out.txt").write_text("not a folder\n")
        return "out.txt/_site", None
    if kind == "unwritable" and not permissions_bind(work):
        return "/proc/annotated-reader-test/_site", None  # /proc takes no new folders, even from root
    if kind == "unwritable":
        (work / "locked").mkdir()
        shutil.move(work / "_site", work / "locked" / "_site")
        return "locked/_site", work / "locked"
    raise ValueError(f"unknown out directive {kind!r}")


def run_case(name: str, work: Path, good_site: Path):
    """Stage a case in work/ over a copy of the good site, build it; return the process and
    snapshots of work/ from just before and after the build."""
    case = BROKEN / name
    stage(case, work)
    shutil.copytree(good_site, work / "_site", symlinks=True)
    setup = directives(case)
    out, locked = prepare_out(setup["out"], work) if "out" in setup else ("_site", None)
    args = ["--out", out, "--content", setup.get("content", "content"),
            "--annotations", setup.get("annotations", "annotations.yaml")]
    if "remove" in setup:  # a project missing a file of its own: that takes a real process started from the copy
        project = project_copy(work, setup["remove"])
        run = lambda: subprocess.run([sys.executable, str(project / "build.py"), *args], cwd=work,  # noqa: E731
                                     capture_output=True, text=True, timeout=120)
    else:  # with a cache of its own, empty, beside work/ (the repo's .cache/build would answer a second run)
        cache = ["--cache", str(work.with_name(work.name + "-cache"))]
        run = lambda: build_in_process(args + cache, cwd=work)  # noqa: E731
    before = snapshot(work)
    if locked:
        locked.chmod(0o500)
    try:
        done = run()
    finally:
        if locked:
            locked.chmod(0o700)
    return done, before, snapshot(work)


def build_in_process(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """build.main() in this process, as the command line would run it from cwd (one at a time:
    the working folder and the standard streams belong to the whole process)."""
    import build
    out, err = io.StringIO(), io.StringIO()
    home = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = build.main(list(args))
    finally:
        os.chdir(home)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """The base inputs built once through the CLI: the previous build every broken case starts from."""
    work = tmp_path_factory.mktemp("good")
    stage(BASE, work)
    done = run_build("--out", "_site", "--content", "content", "--annotations", "annotations.yaml", cwd=work)
    assert done.returncode == 0, done.stderr
    assert (work / "_site" / "index.html").is_file()
    return work / "_site"


@dataclass
class Outcome:
    """One case's finished build and what its folder held before and after."""

    done: subprocess.CompletedProcess
    before: dict[str, bytes | None]
    after: dict[str, bytes | None]
    work: Path


@pytest.fixture(scope="module")
def outcomes(good_site, tmp_path_factory) -> dict[str, Outcome | BaseException]:
    """Every case, built once for all the tests that look at it."""
    found: dict[str, Outcome | BaseException] = {}
    for name in CASES:
        work = tmp_path_factory.mktemp(name)
        try:
            found[name] = Outcome(*run_case(name, work, good_site), work)
        except BaseException as err:  # re-raised in the case's own test
            found[name] = err
    return found


def outcome_of(outcomes, name: str) -> Outcome:
    result = outcomes[name]
    if isinstance(result, BaseException):
        raise result
    return result


def test_the_corpus_is_big_enough_and_every_case_says_what_it_expects():
    assert len(BAD) >= 30 and len(GOOD) >= 2
    for name in CASES:
        assert expected_lines(BROKEN / name), f"{name}/expect.txt holds no expected line"
        assert {"annotations.yaml", "content", "setup.txt"} & {p.name for p in (BROKEN / name).iterdir()}, name


@pytest.mark.parametrize("name", BAD)
def test_broken_input_is_refused_with_one_line_per_problem_and_the_old_site_kept(name, outcomes, good_site):
    result = outcome_of(outcomes, name)
    done, lines = result.done, result.done.stderr.splitlines()
    assert "Traceback" not in done.stderr, done.stderr
    assert (done.returncode, done.stdout) == (1, ""), done.stderr
    assert lines and all(PROBLEM_LINE.match(line) for line in lines), lines
    expected = expected_lines(BROKEN / name)
    mismatched = [(want, got) for want, got in zip(expected, lines, strict=False) if not re.search(want, got)]
    assert len(lines) == len(expected) and not mismatched, "\n".join(lines)
    assert result.after == result.before, "the build changed files it should have left alone"
    site = result.work / "_site"
    assert not site.exists() or tree_bytes(site) == tree_bytes(good_site)


@pytest.mark.parametrize("name", GOOD)
def test_good_input_builds_a_safe_page(name, outcomes):
    result = outcome_of(outcomes, name)
    assert (result.done.returncode, result.done.stderr) == (0, ""), result.done.stderr
    expected = expected_lines(BROKEN / name)
    lines = result.done.stdout.splitlines()
    assert len(lines) == len(expected) and all(re.search(w, g) for w, g in zip(expected, lines, strict=False)), lines
    assert_no_live_markup((result.work / "_site" / "index.html").read_text(encoding="utf-8"))


def test_hostile_note_text_is_shown_as_text(outcomes):
    result = outcome_of(outcomes, "good-hostile-note-text")
    assert result.done.returncode == 0, result.done.stderr
    page = (result.work / "_site" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in page or "&quot;&gt;&lt;svg onload=alert(1)&gt;" in page


class _Markup(HTMLParser):
    """Collect what a browser would run: inline scripts, on* attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inline_scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self.script_urls: list[tuple[str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.inline_scripts.append(attributes.get("type") or "")
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        self.script_urls += [(tag, value) for name, value in attrs
                             if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(("javascript:", "vbscript:", "data:text"))]


def assert_no_live_markup(page: str) -> None:
    """The page runs no script but its own files and the JSON-LD block."""
    parser = _Markup()
    parser.feed(page)
    assert parser.inline_scripts == ["application/ld+json"], parser.inline_scripts
    assert parser.handlers == [], parser.handlers
    assert parser.script_urls == [], parser.script_urls
    assert not parser.tags & {"svg", "img", "iframe", "object", "embed", "math", "base"}, parser.tags


def test_three_thousand_notes_build(tmp_path, show_figures):
    paragraphs = 30
    words = [[f"w{p}x{w}z" for w in range(50)] for p in range(paragraphs)]
    article = (BASE / "content" / "fixture.md").read_text(encoding="utf-8").split("\n---\n")[0] + "\n---\n\n"
    article += "\n\n".join(" ".join(line) + "." for line in words) + "\n"
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "big.md").write_text(article, encoding="utf-8")
    notes = []
    for i in range(3000):
        anchor = f"quote: {words[(i // 2) // 50][(i // 2) % 50]}" if i % 2 == 0 else f"paragraph: {i % paragraphs + 1}"
        notes.append(f"- id: note-{i}\n  {anchor}\n  kind: term\n  title: Note {i}\n"
                     f"  body: Note {i} has *emphasis* and [a link](https://example.org/{i}).\n"
                     f"  sources:\n    - title: Source {i}\n      url: https://example.org/s/{i}\n")
    (tmp_path / "annotations.yaml").write_text("".join(notes), encoding="utf-8")
    started = time.perf_counter()
    done = run_build("--out", "_site", "--content", "content", "--annotations", "annotations.yaml", cwd=tmp_path)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert "3000 notes" in done.stdout
    show_figures(f"3000 notes: built in {seconds:.1f} s wall time")
