"""`build.py --serve`: build, serve the folder on 127.0.0.1, rebuild when an input changes, and
reload the open page after each good rebuild.

The reload script is added to pages as they are served (never to the built site): it asks the
server for the build's number every second and reloads when it changes. Files are watched by
polling their times and sizes, a few dozen stat calls a second: a watching library (watchdog,
watchfiles) would add a compiled dependency for a difference nobody can see at this size.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

POLL_SECONDS = 0.4
RELOAD_PATH = "/__reader-reload.js"
VERSION_PATH = "/__reader-build"
RELOAD_SCRIPT = b"""(function () {
  var seen = null;
  function check() {
    fetch('%s', { cache: 'no-store' }).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) location.reload();
      seen = v;
    }, function () {}).then(function () { setTimeout(check, 1000); });
  }
  check();
}());
""" % VERSION_PATH.encode()


class Builds:
    """The number of the last good build, shared with the request handlers."""

    def __init__(self) -> None:
        self.version = 0


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site without logging every request, never cached, pages with the reload script."""

    builds: Builds

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == RELOAD_PATH:
            return self._send(RELOAD_SCRIPT, "text/javascript")
        if self.path == VERSION_PATH:
            return self._send(str(self.builds.version).encode(), "text/plain")
        page = Path(self.translate_path(self.path))
        if page.is_dir():
            page = page / "index.html"
        if page.suffix == ".html" and page.is_file():
            html = page.read_bytes().replace(b"</body>", f'<script src="{RELOAD_PATH}"></script>\n</body>'.encode(), 1)
            return self._send(html, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

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


def serve(build: Callable[[bool], int], out: Path, port: int, watched: list[Path]) -> int:
    """Serve `out` until Ctrl-C, rebuilding on changes; refuse to start on a failed first build."""
    if build(False) != 0:
        print("error: the first build failed, so there is nothing to serve; fix the problems above and run it again")
        return 1
    builds = Builds()
    handler = functools.partial(type("Handler", (_Handler,), {"builds": builds}), directory=os.fspath(out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as err:
        print(f"error: cannot listen on 127.0.0.1:{port} ({err.strerror}); try --port {port + 1}")
        return 1
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(
        f"serving {out}/ at http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop); watching for changes", flush=True
    )
    before = snapshot(watched)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(watched)
            if now != before:
                before = now
                if build(False) == 0:
                    builds.version += 1
                else:
                    print(time.strftime("%H:%M:%S"), "rebuild failed; still serving the last good site", flush=True)
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.shutdown()
    return 0
