"""`build.py --serve`: build, serve the folder on 127.0.0.1, rebuild when an input changes, and
reload the open page after each rebuild; while the last rebuild failed, every page says so.

The reload script is added to pages as they are served (never to the built site): it asks the
server for the build's number every second and reloads when it changes, after a good rebuild or a
failed one. While the last rebuild failed, each page is served with a banner listing its problems
(as text, styled by a served stylesheet: the pages' CSP allows no inline style or script); the next
good build takes it away. Files are watched by
polling their times and sizes, a few dozen stat calls a second: a watching library (watchdog,
watchfiles) would add a compiled dependency for a difference nobody can see at this size.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from reader.errors import first_few

POLL_SECONDS = 0.4
RELOAD_PATH = "/__reader-reload.js"
VERSION_PATH = "/__reader-build"
FAILED_CSS_PATH = "/__reader-failed.css"
FAILED_CSS = b""".reader-build-failed{position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:45vh;overflow:auto;
margin:0;padding:0.75rem 1rem;background:#7f1d1d;color:#fff;font:0.85rem/1.45 ui-monospace,monospace;
box-shadow:0 -0.25rem 1rem rgb(0 0 0 / 0.4)}
.reader-build-failed p{margin:0 0 0.4rem;font:700 0.95rem/1.4 system-ui,sans-serif}
.reader-build-failed ul{margin:0;padding:0;list-style:none}
.reader-build-failed li{margin:0 0 0.2rem;white-space:pre-wrap;overflow-wrap:anywhere}
"""
SHOWN_PROBLEMS = 20  # lines in the banner before "and N more"
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
    """The last build's number (good or failed) and, while it failed, its problems, as the terminal
    showed them; shared with the request handlers."""

    def __init__(self) -> None:
        self.version = 0
        self.problems: tuple[str, ...] = ()

    def finished(self, problems: list[str]) -> None:
        """Record a rebuild: a new number (so open pages reload) and its problems (none: it went well)."""
        self.problems = tuple(problems)
        self.version += 1


def failed_banner(problems: tuple[str, ...]) -> bytes:
    """The banner a page carries while the last rebuild failed: its problems, as text."""
    few, more = first_few(problems, SHOWN_PROBLEMS)
    lines = [html.escape(line) for line in few] + ([f"and {more} more (see the terminal)"] if more else [])
    return (
        '<div class="reader-build-failed" role="alert"><p>The last rebuild failed: this page is the last good one.'
        " Fix these and save; the page reloads when the build is good again.</p><ul>"
        + "".join(f"<li>{line}</li>" for line in lines)
        + "</ul></div>"
    ).encode("utf-8")


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
        if self.path == FAILED_CSS_PATH:
            return self._send(FAILED_CSS, "text/css")
        page = Path(self.translate_path(self.path))
        if page.is_dir():
            page = page / "index.html"
        if page.suffix == ".html" and page.is_file():
            return self._send(self._as_served(page.read_bytes()), "text/html; charset=utf-8")
        return super().do_GET()

    def _as_served(self, page: bytes) -> bytes:
        """The page with the reload script and, while the last rebuild failed, the banner saying so."""
        page = page.replace(b"</body>", f'<script src="{RELOAD_PATH}"></script>\n</body>'.encode(), 1)
        problems = self.builds.problems
        if not problems:
            return page
        page = page.replace(b"</head>", f'<link rel="stylesheet" href="{FAILED_CSS_PATH}">\n</head>'.encode(), 1)
        body = re.search(rb"<body[^>]*>", page)
        at = body.end() if body else 0
        return page[:at] + failed_banner(problems) + page[at:]

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


def serve(build: Callable[[bool], list[str]], out: Path, port: int, watched: list[Path]) -> int:
    """Serve `out` until Ctrl-C, rebuilding on changes; refuse to start on a failed first build.

    build(quiet) builds once and returns its problems as printed (none: it went well)."""
    before = snapshot(watched)  # before the first build: an edit saved while it runs is rebuilt too
    if build(False):
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
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot(watched)
            if now != before:
                before = now
                problems = build(False)
                builds.finished(problems)
                if problems:
                    print(time.strftime("%H:%M:%S"), "rebuild failed; still serving the last good site", flush=True)
    except KeyboardInterrupt:
        print("stopped")
    finally:
        server.shutdown()
    return 0
