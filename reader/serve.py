"""`build.py --serve`: build, serve the folder on 127.0.0.1, rebuild when an input changes."""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

POLL_SECONDS = 0.4


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request; never caches, so a reload shows the rebuild."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def snapshot(paths: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Return (mtime, size) for every file under the given files and folders."""
    seen: dict[str, tuple[int, int]] = {}
    for path in paths:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            seen[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def serve(build: Callable[[], int], out: Path, port: int, watched: list[Path]) -> int:
    """Serve `out` until Ctrl-C, rebuilding on changes; a failed rebuild keeps the last good site."""
    build()
    out.mkdir(parents=True, exist_ok=True)  # serve an empty folder until a build succeeds
    handler = functools.partial(_QuietHandler, directory=os.fspath(out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        print(f"error: cannot listen on 127.0.0.1:{port} ({err.strerror}); try --port {port + 1}")
        return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out}/ at http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop); watching for changes")
    before = snapshot(watched)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(watched)
            if now != before:
                before = now
                status = build()
                print(time.strftime("%H:%M:%S"), "rebuilt" if status == 0 else "rebuild failed; still serving the last good site")
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.shutdown()
    return 0
