"""Collect the site's files in memory, then swap them into place in one step."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
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
    check_target(out)
    parent = out.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-", dir=parent))
    except OSError as err:
        raise fail(
            str(out),
            None,
            f"cannot make a folder in {parent} ({err.strerror}); choose a folder you can write to with --out",
        ) from None
    try:
        for path, data in [(MARKER, MARKER_TEXT), *files.items()]:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)
        _swap_in(staging, out)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise fail(
            str(out), None, f"cannot write the site ({err.strerror}); check free space and permissions"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
