"""The build's cache (issue 26): a second build reuses what nothing changed, and its output is always
byte for byte a clean build's: after an edited note, a deleted or renamed article, a changed template;
a cache cut short, hand-edited or made by other code is ignored, never copied into the site."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHELF, run_build, tree_bytes


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """A copy of the shelf fixture to edit."""
    shutil.copytree(SHELF, tmp_path / "shelf")
    return tmp_path / "shelf"


def build(shelf: Path, out: Path, cache: Path | None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    args = ["--content", str(shelf / "content"), "--annotations", str(shelf / "annotations.yaml"), "--out", str(out)]
    done = subprocess.run([sys.executable, str(cwd / "build.py"), *args,
                           *(["--cache", str(cache)] if cache else ["--no-cache"])],
                          cwd=cwd, capture_output=True, text=True, timeout=120)
    return done


def same_as_clean(shelf: Path, site: Path, tmp_path: Path, cwd: Path = ROOT) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build(shelf, clean, None, cwd).returncode == 0
    assert tree_bytes(site) == tree_bytes(clean), "the cached build's output differs from a clean build's"


def reused(done: subprocess.CompletedProcess) -> tuple[int, int]:
    found = re.search(r"; (\d+) of (\d+) steps from the cache", done.stdout)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def test_a_second_build_of_the_same_shelf_takes_everything_from_the_cache(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    first = build(shelf, site, cache)
    assert first.returncode == 0 and reused(first) == (0, 0)
    second = build(shelf, site, cache)
    assert second.returncode == 0 and reused(second) == (7, 7), second.stdout  # 3 checks, 3 renderings, the shelf index
    same_as_clean(shelf, site, tmp_path)


def test_after_one_note_changes_only_its_article_is_made_again(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    notes = shelf / "content" / "keepers.notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("kept in ink", "kept in ink, by hand"), encoding="utf-8")
    done = build(shelf, site, cache)
    assert done.returncode == 0 and reused(done) == (5, 7), done.stdout  # keepers checked and rendered again
    assert "kept in ink, by hand" in (site / "keepers" / "index.html").read_text(encoding="utf-8")
    same_as_clean(shelf, site, tmp_path)


def test_a_title_change_renders_the_neighbours_again_but_checks_only_the_article(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    article = shelf / "content" / "keepers.md"
    article.write_text(article.read_text(encoding="utf-8").replace('"The Keepers"', '"The Keepers of the Light"'),
                       encoding="utf-8")
    done = build(shelf, site, cache)
    assert done.returncode == 0 and reused(done) == (3, 7), done.stdout  # its neighbours name it
    same_as_clean(shelf, site, tmp_path)


def test_a_deleted_and_a_renamed_article_build_as_from_scratch(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    (shelf / "content" / "keepers.md").rename(shelf / "content" / "the-keepers.md")
    (shelf / "content" / "keepers.notes.yaml").rename(shelf / "content" / "the-keepers.notes.yaml")
    yaml = shelf / "content" / "shelf.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("keepers]", "the-keepers]").replace(
        "[keepers,", "[the-keepers,"), encoding="utf-8")
    notes = shelf / "annotations.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("(keepers#p-1)", "(the-keepers#p-1)"), encoding="utf-8")
    assert build(shelf, site, cache).returncode == 0
    assert (site / "the-keepers" / "index.html").is_file() and not (site / "keepers").exists()
    same_as_clean(shelf, site, tmp_path)
    shutil.rmtree(shelf / "content" / "fog-signals")
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("  - title: \"When the light fails\"\n    articles: [fog-signals]\n",
                                                             ""), encoding="utf-8")
    assert build(shelf, site, cache).returncode == 0
    same_as_clean(shelf, site, tmp_path)


def test_an_image_changed_beside_its_article_is_read_again(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    image = shelf / "content" / "fog-signals" / "horn.png"
    image.write_bytes(image.read_bytes().replace(b"IEND", b"IEND"))  # the same bytes: still cached
    assert reused(build(shelf, site, cache)) == (7, 7)
    shutil.copyfile(ROOT / "tests" / "fixtures" / "second" / "content" / "images" / "carte.png", image)
    done = build(shelf, site, cache)
    assert done.returncode == 0 and reused(done)[0] < 7
    same_as_clean(shelf, site, tmp_path)


def test_a_changed_template_makes_every_page_again(shelf, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("node_modules", ".venv*", "_site*", ".git", "tests",
                                                                ".cache", "bench"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache, project).returncode == 0
    footer = project / "templates" / "_footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("<p>{{ credit }}</p>", "<p>{{ credit }} (edited)</p>"),
                      encoding="utf-8")
    done = build(shelf, site, cache, project)
    assert done.returncode == 0 and reused(done) == (0, 0), "other code: nothing of the old build is reused"
    assert "(edited)" in (site / "keepers" / "index.html").read_text(encoding="utf-8")
    same_as_clean(shelf, site, tmp_path, project)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_made_again(shelf, tmp_path, damage):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    entries = sorted(p for p in cache.rglob("*") if p.is_file())
    assert len(entries) == 8  # 3 checks, 3 renderings, the shelf index, the record of the site's files
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes({"truncate": data[: len(data) // 2], "flip": data[:-40] + bytes(b ^ 1 for b in data[-40:]),
                           "garbage": b"not a cache entry", "empty": b""}[damage])
    done = build(shelf, site, cache)
    assert done.returncode == 0 and reused(done) == (0, 0), done.stdout
    same_as_clean(shelf, site, tmp_path)


def test_entries_are_keyed_by_every_input_so_none_outlives_a_change(shelf, tmp_path):
    """Entries whose payload was changed and re-hashed (the checksum catches any other edit: see above)
    still hold only for the inputs they were made from: once the shelf's title changes, none is used."""
    import hashlib
    import pickle

    from reader.cache import MARKER

    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    forged = 0
    for entry in (p for p in cache.rglob("*") if p.is_file() and p.parent.name != "sites"):
        payload = pickle.loads(entry.read_bytes()[len(MARKER) + 32:])
        if type(payload).__name__ == "RenderedArticle":  # an article's rendered files
            payload = replace(payload, files=[(path, data.replace(b"Lights on the Coast", b"FORGED"))
                                              for path, data in payload.files])
            raw = pickle.dumps(payload)
            entry.write_bytes(MARKER + hashlib.sha256(raw).digest() + raw)
            forged += 1
    assert forged == 3
    yaml = shelf / "content" / "shelf.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("Lights on the Coast", "Lamps on the Coast"),
                    encoding="utf-8")
    assert build(shelf, site, cache).returncode == 0
    assert not any(b"FORGED" in data for data in tree_bytes(site).values())
    same_as_clean(shelf, site, tmp_path)


def test_a_failed_build_after_a_cached_one_leaves_the_site_as_it_was(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    before = tree_bytes(site)
    notes = shelf / "content" / "keepers.notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("A logbook recorded", "A log book recorded"),
                     encoding="utf-8")
    done = build(shelf, site, cache)
    assert done.returncode == 1 and "keepers.notes.yaml" in done.stderr and "is not in the article" in done.stderr
    assert tree_bytes(site) == before
    assert not list(tmp_path.glob("site.tmp-*"))


def test_the_cache_makes_the_same_site_as_no_cache_for_the_other_fixtures(tmp_path):
    for name in ("second", "dense"):
        folder = ROOT / "tests" / "fixtures" / name
        args = ("--content", str(folder / "content"), "--annotations", str(folder / "annotations.yaml"))
        cached, clean = tmp_path / f"{name}-cached", tmp_path / f"{name}-clean"
        for _ in range(2):
            assert run_build(*args, "--out", str(cached), "--cache", str(tmp_path / "cache")).returncode == 0
        assert run_build(*args, "--out", str(clean), "--no-cache").returncode == 0
        assert tree_bytes(cached) == tree_bytes(clean)


def file_states(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: the same pair means the file was not written again."""
    return {str(p.relative_to(site)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in site.rglob("*") if p.is_file()}


def edit_a_note(shelf: Path) -> None:
    notes = shelf / "content" / "keepers.notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("kept in ink", "kept in ink, by hand"), encoding="utf-8")


def test_a_rebuild_writes_only_the_files_whose_bytes_changed(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    before, old_bytes = file_states(site), tree_bytes(site)
    edit_a_note(shelf)
    assert build(shelf, site, cache).returncode == 0
    after, new_bytes = file_states(site), tree_bytes(site)
    rewritten = {path for path in after if before.get(path) != after[path]}
    assert rewritten == {path for path in new_bytes if old_bytes.get(path) != new_bytes[path]}
    assert "keepers/index.html" in rewritten and "index.html" not in rewritten
    assert not list(tmp_path.glob("site.tmp-*"))
    same_as_clean(shelf, site, tmp_path)


@pytest.mark.parametrize("tamper", ["edit", "delete", "add"])
def test_a_site_changed_by_hand_is_written_whole_again(shelf, tmp_path, tamper):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    page = site / "keepers" / "notes.html"
    if tamper == "edit":
        page.write_bytes(page.read_bytes().replace(b"<main", b"<main data-by-hand"))
    elif tamper == "delete":
        page.unlink()
    else:
        (site / "keepers" / "extra.html").write_text("by hand", encoding="utf-8")
    assert build(shelf, site, cache).returncode == 0
    same_as_clean(shelf, site, tmp_path)


def test_a_move_that_fails_in_place_puts_every_file_back(shelf, tmp_path):
    cache, site = tmp_path / "cache", tmp_path / "site"
    assert build(shelf, site, cache).returncode == 0
    before = tree_bytes(site)
    edit_a_note(shelf)
    # The third file moved into the site fails, as on a full disk: the two before it are moved back.
    patch = ("import reader.output as output\nreal, calls = output._move, []\n"
             "def failing(source, target):\n"
             "    calls.append(source)\n"
             "    if len(calls) == 3: raise OSError(28, 'No space left on device')\n"
             "    return real(source, target)\n"
             "output._move = failing")
    args = ["--content", str(shelf / "content"), "--annotations", str(shelf / "annotations.yaml"), "--out", str(site),
            "--cache", str(cache)]
    script = f"import sys; sys.path.insert(0, {str(ROOT)!r})\nimport build\n{patch}\nsys.exit(build.main({args!r}))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "cannot write the site (No space left on device)" in done.stderr, done.stderr
    assert tree_bytes(site) == before
    assert build(shelf, site, cache).returncode == 0
    same_as_clean(shelf, site, tmp_path)


def test_make_serve_keeps_what_the_last_build_used_in_memory(shelf, tmp_path, capsys, monkeypatch):
    import build as build_module

    cache, site = tmp_path / "cache", tmp_path / "site"
    args = build_module.parse_args(["--content", str(shelf / "content"), "--annotations", str(shelf / "annotations.yaml"),
                                    "--out", str(site), "--cache", str(cache)])
    monkeypatch.chdir(ROOT)
    memory: dict = {}
    assert build_module.build_once(args, False, memory) == []
    assert len(memory) == 7  # 3 checks, 3 renderings, the shelf index
    shutil.rmtree(cache)  # from now on only the memory can answer
    edit_a_note(shelf)
    assert build_module.build_once(args, False, memory) == []
    assert "; 5 of 7 steps from the cache" in capsys.readouterr().out.splitlines()[-1]
    assert len(memory) == 7  # the edited article's old entries are gone
    same_as_clean(shelf, site, tmp_path)
