"""Collect the site's files in memory, then swap them into place in one step."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reader.errors import fail

MARKER = ".annotated-reader-site"
MARKER_TEXT = b"This folder is built by build.py and replaced whole on every build.\n"


class SiteFiles:
    """The output as a mapping of relative path to bytes; a path written twice is a bug."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes | str) -> str:
        """Store one file and return its path."""
        if path in self._files:
            raise RuntimeError(f"build wrote {path} twice; two stages claim the same output path")
        self._files[path] = data.encode("utf-8") if isinstance(data, str) else data
        return path

    def add_once(self, path: str, data: bytes) -> str:
        """Store a file that pages may share (an image two articles show): the same bytes again are no
        second write; other bytes at the same path are."""
        return path if self._files.get(path) == data else self.add(path, data)

    def add_hashed(self, name: str, data: bytes | str) -> str:
        """Store a file under a name carrying a hash of its content (cache forever) and return it; the
        same content stored again (a file the shelf's pages share) is the same file, stored once."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        stem, dot, ext = name.rpartition(".")
        return self.add_once(f"assets/{stem}.{hashlib.sha256(raw).hexdigest()[:10]}{dot}{ext}", raw)

    def __len__(self) -> int:
        return len(self._files)

    def items(self) -> list[tuple[str, bytes]]:
        """Every file, in a stable order."""
        return sorted(self._files.items())


def check_target(out: Path) -> None:
    """Refuse an --out that is a file, or a folder with content this build did not make."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise fail(str(out), None, "--out points at a file, not a folder; choose a folder such as _site")
    blocking = next((p for p in out.parents if p.exists() or p.is_symlink()), None)
    if blocking is not None and not blocking.is_dir():
        raise fail(str(out), None, f"{blocking} is a file, so no folder can be made inside it; choose another --out")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise fail(
            str(out),
            None,
            f"this folder was not made by build.py (no {MARKER} inside); "
            "refusing to replace it, choose an empty or new folder for --out",
        )


def write_site(out: Path, files: SiteFiles) -> None:
    """Write every file into a fresh folder beside `out`, then swap it in atomically."""
    with Staging(out) as staging:
        staging.write_all(files)
        staging.commit()


@dataclass(frozen=True)
class Kept:
    """A file of the site as the build that wrote it left it: its size, modification time and hash."""

    size: int
    mtime_ns: int
    sha: str


class Staging:
    """A fresh folder beside `out` that the build writes file by file (so a shelf of a thousand articles
    is never held in memory whole); commit() puts it in place of `out`. Left without a commit (a problem,
    an exception, an interrupt), it is removed and `out` is as it was.

    Whole (no record, or `out` is not as its record says): every file is written and the folder replaces
    `out` in one step. In place (`out` holds exactly the files the record, kept by the last build, lists,
    each with its size and time unchanged): only files whose bytes changed are written; commit() moves them
    into `out` and the files the site no longer has out of it, and moves everything back if a move fails.
    The record is replaced after the commit, so a commit cut short (a kill in its milliseconds) leaves a
    site the next build rewrites whole."""

    def __init__(self, out: Path, record: Path | None = None) -> None:
        check_target(out)
        self.out = out
        self.written: set[str] = set()  # every path of the new site, written here or kept in `out`
        self.changed: dict[str, Kept] = {}  # the files written here
        self.shared: dict[str, bytes] = {}  # assets pages share (an image two articles show), by path: their bytes
        self.record = record
        self.kept = kept_files(out, record) if record else None
        parent = out.resolve().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(out)
            self.folder = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-", dir=parent))
        except OSError as err:
            raise fail(
                str(out),
                None,
                f"cannot make a folder in {parent} ({err.strerror}); choose a folder you can write to with --out",
            ) from None
        self.committed = False

    def write(self, path: str, data: bytes) -> None:
        """Write one file of the site (in place: unless `out` holds these bytes); a path written twice is a bug."""
        if path in self.written:
            raise RuntimeError(f"build wrote {path} twice; two stages claim the same output path")
        self.written.add(path)
        sha = hashlib.sha256(data).hexdigest()
        if self.kept is not None and (old := self.kept.get(path)) and (old.size, old.sha) == (len(data), sha):
            return
        target = self.folder / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            self.changed[path] = Kept(len(data), target.stat().st_mtime_ns, sha)
        except OSError as err:
            raise fail(
                str(self.out), None, f"cannot write the site ({err.strerror}); check free space and permissions"
            ) from None

    def write_all(self, files: SiteFiles | list[tuple[str, bytes]]) -> None:
        """Write files held in memory; an asset already written with the same bytes is not written again."""
        for path, data in files.items() if isinstance(files, SiteFiles) else files:
            if path.startswith("assets/") and self.shared.get(path) == data:
                continue
            self.write(path, data)
            if path.startswith("assets/"):
                self.shared[path] = data

    def commit(self) -> None:
        """Put the new site in place of `out`; then keep the record of its files."""
        self.write(MARKER, MARKER_TEXT)
        try:
            if self.kept is None:
                os.chmod(self.folder, 0o755)
                _swap_in(self.folder, self.out)
            else:
                _move_in(self.folder, self.out, sorted(self.changed), sorted(self.kept.keys() - self.written))
                shutil.rmtree(self.folder, ignore_errors=True)
        except OSError as err:
            raise fail(
                str(self.out), None, f"cannot write the site ({err.strerror}); check free space and permissions"
            ) from None
        self.committed = True
        if self.record:
            write_record(self.record, {path: self.changed.get(path) or self.kept[path]  # type: ignore[index]
                                       for path in sorted(self.written)})

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            shutil.rmtree(self.folder, ignore_errors=True)


def write_record(record: Path, files: dict[str, Kept]) -> None:
    """Keep the list of the site's files (size, time, SHA-256, path); a record that cannot be written costs
    the next build time (it writes the site whole), nothing more."""
    text = "".join(f"{kept.size}\t{kept.mtime_ns}\t{kept.sha}\t{path}\n" for path, kept in files.items())
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=record.parent, delete=False) as handle:
            handle.write(text.encode("utf-8"))
        os.replace(handle.name, record)
    except OSError:
        pass


def kept_files(out: Path, record: Path) -> dict[str, Kept] | None:
    """The files the record lists, if `out` holds exactly those, each as it was written; else None."""
    try:
        lines = record.read_text(encoding="utf-8").splitlines()
        kept = {}
        for line in lines:
            size, mtime_ns, sha, path = line.split("\t", 3)
            kept[path] = Kept(int(size), int(mtime_ns), sha)
        found = {}
        top = len(str(out)) + 1
        for folder, _, names in os.walk(out):
            for name in names:
                stat = os.stat(path := os.path.join(folder, name))
                found[path[top:]] = (stat.st_size, stat.st_mtime_ns)
    except (OSError, ValueError):
        return None
    same = found.keys() == kept.keys() and all(found[p] == (k.size, k.mtime_ns) for p, k in kept.items())
    return kept if same else None


def _move_in(staging: Path, out: Path, changed: list[str], removed: list[str]) -> None:
    """Move the changed files from staging into out and the removed ones out of it (into a folder beside it,
    deleted at the end); on a failed move, move every file back and raise."""
    old = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-old-", dir=out.resolve().parent))
    moved: list[tuple[Path, Path]] = []
    try:
        for path in [*changed, *removed]:
            if (out / path).exists():
                moved.append(_move(out / path, old / path))
        for path in changed:
            moved.append(_move(staging / path, out / path))
    except OSError:
        for source, target in reversed(moved):
            os.replace(target, source)
        shutil.rmtree(old, ignore_errors=True)
        raise
    for path in removed:
        _remove_empty_parents(out / path, out)
    shutil.rmtree(old, ignore_errors=True)


def _move(source: Path, target: Path) -> tuple[Path, Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return source, target


def _remove_empty_parents(path: Path, top: Path) -> None:
    """Remove the folders above a removed file that are now empty, up to top (one left behind is harmless)."""
    for folder in path.parents:
        try:
            if folder == top or any(folder.iterdir()):
                return
            folder.rmdir()
        except OSError:  # removed already, with an earlier file of it
            continue


def remove_leftovers(out: Path) -> None:
    """Delete staging folders that an interrupted earlier build left beside `out`."""
    for leftover in out.resolve().parent.glob(f"{out.name}.tmp-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, out: Path) -> None:
    """Put staging at out: the old site is renamed away and the new one renamed in (each rename is
    atomic; between the two, for a few microseconds, there is no folder at out)."""
    if not out.exists():
        os.rename(staging, out)
        return
    old = staging.with_name(staging.name.replace(".tmp-", ".tmp-old-"))
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old)
