"""What earlier builds made, kept by the content of what made it, so an edit rebuilds only what it touches.

Each entry is one stage's result for one article (its check, its rendered pages), stored under a key
that hashes everything the result depends on: the inputs' bytes and the build's own code, templates,
static files, locales, schemas and the versions of the libraries it runs on. An entry is a file
holding a marker, the SHA-256 of its payload and the payload (a pickle): a file cut short, edited
by hand or made by another version of the build reads as no entry at all, and is made again.
`make clean` removes the folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

MARKER = b"annotated-reader-cache 1\n"
DIGEST = 32  # bytes of SHA-256
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "Jinja2", "MarkupSafe", "PyYAML", "lunr", "rcssmin", "imagesize")


def digest(*parts: bytes | str) -> str:
    """A hex SHA-256 of parts, each length-prefixed so that ('ab', 'c') and ('a', 'bc') differ."""
    h = hashlib.sha256()
    for part in parts:
        raw = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(raw).to_bytes(8, "little"))
        h.update(raw)
    return h.hexdigest()


def code_key(root: Path, folders: Iterable[str], files: Iterable[str]) -> str:
    """The build's own version: every file of its code, templates, static files, locales and schemas,
    the Python and library versions it runs with, and the versions of lunr.js and terser."""
    paths = sorted(p for folder in folders for p in (root / folder).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    paths += [root / name for name in files]
    parts: list[bytes | str] = [sys.version]
    for path in paths:
        parts += [str(path.relative_to(root)), path.read_bytes() if path.is_file() else b"missing"]
    for library in LIBRARIES:
        try:
            parts.append(f"{library} {metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{library} none")
    for package in ("lunr", "terser"):
        manifest = root / "node_modules" / package / "package.json"
        parts.append(manifest.read_bytes() if manifest.is_file() else b"none")
    return digest(*parts)


class BuildCache:
    """Entries by kind and key in one folder (None: no cache, every lookup misses)."""

    def __init__(self, folder: Path | None, code: str, memory: dict[str, Any] | None = None) -> None:
        self.folder = folder
        self.code = code
        self.hits = 0
        self.misses = 0
        # make serve's builds share one process: the entries the last build used, kept as objects (no reading,
        # no unpickling); each build keeps only those it used itself.
        self.memory = memory
        self.used: dict[str, Any] = {}

    def key(self, kind: str, *parts: bytes | str) -> str:
        """The key of an entry of `kind` made from parts, by this version of the build."""
        return digest(self.code, kind, *parts)

    def keep_in_memory(self) -> None:
        """After a build: the memory holds what it used, and nothing older."""
        if self.memory is not None:
            self.memory.clear()
            self.memory.update(self.used)

    def site_record(self, out: Path) -> Path | None:
        """Where the list of the files the last build wrote to `out` is kept (None: no cache, the site is
        written whole)."""
        return None if self.folder is None else self.folder / "sites" / digest(str(out.resolve()))

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key[2:]

    def get(self, key: str, valid: Callable[[Any], bool] | None = None) -> Any | None:
        """The entry's value, or None when there is none, it is damaged, or valid(value) says it no longer holds."""
        if self.folder is None:
            return None
        if self.memory is not None and key in self.memory:
            value = self.memory[key]
            if valid is None or valid(value):
                self.hits += 1
                self.used[key] = value
                return value
        try:
            data = self._path(key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        payload = data[len(MARKER) + DIGEST :]
        if not data.startswith(MARKER) or data[len(MARKER) : len(MARKER) + DIGEST] != hashlib.sha256(payload).digest():
            self.misses += 1
            return None
        try:
            value = pickle.loads(payload)
        except Exception:  # a payload that hashes right but will not load: made by code since changed
            self.misses += 1
            return None
        if valid is not None and not valid(value):
            self.misses += 1
            return None
        self.hits += 1
        self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        """Keep a value; a cache that cannot be written costs time on the next build, nothing more."""
        if self.folder is None:
            return
        self.used[key] = value
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                handle.write(MARKER + hashlib.sha256(payload).digest() + payload)
            os.replace(handle.name, path)
        except OSError:
            pass
