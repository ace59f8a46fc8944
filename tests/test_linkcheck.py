"""The link checker against local HTTP(S) servers on 127.0.0.1: exact lines, exit codes, politeness."""

from __future__ import annotations

import concurrent.futures
import http.server
import socket
import ssl
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx2
import pytest

from reader import linkcheck
from tests.conftest import ROOT

FAST = ["--timeout", "1", "--max-wait", "2"]  # local servers answer in milliseconds


class _Server(http.server.ThreadingHTTPServer):
    """A test server on 127.0.0.1 that records what it was asked; TLS on the same port when given a context."""

    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = tls
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, float]] = []  # (method, path, time.monotonic())
        self.user_agents: set[str] = set()
        self.in_flight = self.most_in_flight = self.tls_refused = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def times(self, path: str) -> list[float]:
        """When each request for path arrived."""
        return [t for _, p, t in self.requests if p == path]

    def methods(self, path: str) -> list[str]:
        return [m for m, p, _ in self.requests if p == path]

    def finish_request(self, request, client_address):
        """Serve TLS or plain HTTP on one port, told apart by the first byte (0x16 starts a TLS hello)."""
        request.settimeout(5)
        if request.recv(1, socket.MSG_PEEK) != b"\x16":
            return super().finish_request(request, client_address)
        if self.tls is None:
            with self.lock:
                self.tls_refused += 1
            return None  # no TLS here: hang up, as a server without https does
        with self.tls.wrap_socket(request, server_side=True) as secure:
            super().finish_request(secure, client_address)

    def handle_error(self, request, client_address):
        """Stay quiet when a client hangs up or rejects our certificate: some tests make it do so."""


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers by the first part of the path: /status/404, /moved-to/ok, /slow, /drop, ..."""

    def do_HEAD(self):
        self._answer()

    def do_GET(self):
        self._answer()

    def log_message(self, format, *args):  # noqa: A002
        pass

    def _answer(self):
        server: _Server = self.server
        with server.lock:
            first_time = not server.times(self.path)
            server.requests.append((self.command, self.path, time.monotonic()))
            server.user_agents.add(self.headers.get("User-Agent", ""))
        kind, _, rest = self.path.lstrip("/").partition("/")
        try:
            _ROUTES[kind](self, rest, first_time)
        except OSError:
            pass  # the client gave up first (the timeout test)

    def reply(self, status: int, **headers: str):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def paced(self, rest, first_time):
        """200 after 0.2 s, counting how many requests are being answered at once."""
        server: _Server = self.server
        with server.lock:
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        time.sleep(0.2)
        with server.lock:
            server.in_flight -= 1
        self.reply(200)


_ROUTES = {
    "ok": lambda h, rest, first: h.reply(200),
    "status": lambda h, rest, first: h.reply(int(rest.split("/")[0])),
    "moved-to": lambda h, rest, first: h.reply(301, Location="/" + rest),
    "found-to": lambda h, rest, first: h.reply(302, Location="/" + rest),
    "to-https": lambda h, rest, first: h.reply(302, Location=f"https://127.0.0.1:{h.server.server_port}/{rest}"),
    "loop": lambda h, rest, first: h.reply(301, Location=h.path),
    "no-head": lambda h, rest, first: h.reply(405 if h.command == "HEAD" else 200, Allow="GET"),
    "busy-once": lambda h, rest, first: h.reply(429, Retry_After="1") if first else h.reply(200),
    "busy": lambda h, rest, first: h.reply(429, Retry_After="0"),
    "unavailable": lambda h, rest, first: h.reply(503, Retry_After="0"),
    "busy-for-an-hour": lambda h, rest, first: h.reply(429, Retry_After="3600"),
    "slow": lambda h, rest, first: (time.sleep(1.5), h.reply(200)),
    "drop": lambda h, rest, first: setattr(h, "close_connection", True),  # closes without a word
    "paced": _Handler.paced,
}


def _serve(server: _Server):
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def plain():
    """An HTTP server that has no https: a TLS hello gets the connection closed."""
    yield from _serve(_Server())


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1 (cert, key), made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def dual(certificate):
    """A server that answers plain HTTP and, on the same port, HTTPS with the throwaway certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    yield from _serve(_Server(tls=context))


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """No proxy from the environment: every request goes straight to 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def check(tmp_path, monkeypatch, capsys):
    """Write annotations.yaml into an empty folder and run the checker there: (exit code, stdout lines, stderr)."""
    monkeypatch.chdir(tmp_path)

    def run(yaml_text: str | bytes, *options: str) -> tuple[int, list[str], str]:
        raw = yaml_text if isinstance(yaml_text, bytes) else yaml_text.encode("utf-8")
        (tmp_path / "annotations.yaml").write_bytes(raw)
        code = _in_a_thread(linkcheck.main, [*FAST, *options])
        out, err = capsys.readouterr()
        return code, out.splitlines(), err
    return run


def _in_a_thread(function, *args):
    """Call function in a fresh thread: the browser tests' Playwright leaves an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def one_source(url: str, archived: str | None = None) -> str:
    """A note 'n1' with one source 'S': its url on line 4, its archived address on line 5."""
    text = f"- id: n1\n  sources:\n    - title: S\n      url: {url}\n"
    return text + (f"      archived: {archived}\n" if archived else "")


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LATER = "try again later; if it goes on, find a new address or add an archived copy"


@pytest.mark.parametrize("path, problem", [
    ("/status/404", "not found (HTTP 404); find the page's new address, or add an archived copy (archived:)"),
    ("/status/410", "gone (HTTP 410); find the page's new address, or add an archived copy (archived:)"),
    ("/moved-to/status/404", "not found (HTTP 404) at {base}/status/404; find the page's new address, "
                             "or add an archived copy (archived:)"),
    ("/status/403", "refuses access (HTTP 403); open it in a browser: if it shows there, "
                    "the site turns robots away and the address can stay"),
    ("/status/500", f"server error (HTTP 500 Internal Server Error); {LATER}"),
    ("/status/400", "answers HTTP 400 Bad Request; open it in a browser and correct the address"),
    ("/moved-to/ok/new#part", "moved to {base}/ok/new#part; replace url: with {base}/ok/new#part"),
    ("/loop", "redirects more than 10 times (a loop); open it in a browser and correct the address"),
    ("/busy", "still too many requests (HTTP 429) after 3 tries; run the check again later"),
    ("/unavailable", f"server error (HTTP 503 Service Unavailable) after 3 tries; {LATER}"),
    ("/busy-for-an-hour", "asks to wait 3600 s before another try (HTTP 429), longer than this check "
                          "waits (2 s); run the check again later"),
    ("/drop", f"the server closed the connection without answering; {LATER}"),
])
def test_a_broken_address_is_one_line_with_what_and_what_to_do(check, plain, path, problem):
    code, out, err = check(one_source(plain.base + path))
    assert out == [f"annotations.yaml:4: note 'n1': source 'S': {problem.format(base=plain.base)}",
                   "annotations.yaml: 1 address checked, 1 problem"]
    assert (code, err) == (1, "")


@pytest.mark.parametrize("path", ["/ok", "/found-to/ok", "/no-head"])
def test_an_address_that_answers_is_not_reported(check, plain, path):
    """2xx is fine, also after a temporary redirect (the address stays) or a GET where HEAD is refused."""
    assert check(one_source(plain.base + path)) == (0, ["annotations.yaml: 1 address checked, no problems"], "")


def test_a_server_that_refuses_head_is_asked_with_get(check, plain):
    check(one_source(plain.base + "/no-head"))
    assert plain.methods("/no-head") == ["HEAD", "GET"]


def test_429_and_503_are_tried_three_times(check, plain):
    check(one_source(plain.base + "/busy", archived=plain.base + "/unavailable"))
    assert (plain.methods("/busy"), plain.methods("/unavailable")) == (["HEAD"] * 3, ["HEAD"] * 3)


def test_a_retry_comes_no_sooner_than_retry_after(check, plain):
    code, out, _ = check(one_source(plain.base + "/busy-once/a"))
    first, second = plain.times("/busy-once/a")
    assert (code, out) == (0, ["annotations.yaml: 1 address checked, no problems"])
    assert 1.0 <= second - first < 1.8


def test_a_retry_after_longer_than_max_wait_is_reported_without_waiting(check, plain):
    started = time.monotonic()
    check(one_source(plain.base + "/busy-for-an-hour"))
    assert time.monotonic() - started < 1 and len(plain.times("/busy-for-an-hour")) == 1


def test_a_slow_server_is_reported_after_the_timeout(check, plain):
    started = time.monotonic()
    code, out, _ = check(one_source(plain.base + "/slow"), "--timeout", "0.3")
    assert out[0] == f"annotations.yaml:4: note 'n1': source 'S': no answer within 0.3 s; {LATER} (or check with a longer --timeout)"
    assert code == 1 and time.monotonic() - started < 1.2


def test_a_closed_port_is_a_refused_connection(check):
    code, out, _ = check(one_source(f"http://127.0.0.1:{_closed_port()}/page"))
    assert out == [f"annotations.yaml:4: note 'n1': source 'S': connection refused; {LATER}",
                   "annotations.yaml: 1 address checked, 1 problem; no server could be reached: is this machine online?"]
    assert code == 1


def test_an_archived_copy_is_named_as_such_at_its_own_line(check, plain):
    code, out, _ = check(one_source(plain.base + "/status/404", archived=plain.base + "/status/410"))
    assert out == [
        "annotations.yaml:4: note 'n1': source 'S': not found (HTTP 404); find the page's new address, "
        "or add an archived copy (archived:)",
        "annotations.yaml:5: note 'n1': source 'S': archived copy: gone (HTTP 410); find another archived "
        "copy (e.g. on the Wayback Machine), or remove archived:",
        "annotations.yaml: 2 addresses checked, 2 problems"]
    assert code == 1


def test_a_moved_archived_copy_suggests_its_new_address(check, plain):
    _, out, _ = check(one_source(plain.base + "/ok", archived=plain.base + "/moved-to/ok/copy"))
    assert out[0] == (f"annotations.yaml:5: note 'n1': source 'S': archived copy: moved to {plain.base}/ok/copy; "
                      f"replace archived: with {plain.base}/ok/copy")


def test_many_notes_are_reported_in_file_order_and_an_address_is_asked_once(check, plain):
    base = plain.base
    notes = (f"# notes\n- id: first\n  title: T\n  sources:\n    - title: A\n      url: {base}/status/404\n"
             f"    - title: B\n      url: {base}/ok\n"
             f"- id: second\n  sources:\n    - title: 'It''s C'\n      url: {base}/status/404\n"
             f"      accessed: 2026-11-27\n      archived: {base}/drop\n")
    code, out, _ = check(notes)
    todo = "find the page's new address, or add an archived copy (archived:)"
    assert out == [f"annotations.yaml:6: note 'first': source 'A': not found (HTTP 404); {todo}",
                   f"annotations.yaml:12: note 'second': source 'It's C': not found (HTTP 404); {todo}",
                   "annotations.yaml:14: note 'second': source 'It's C': archived copy: the server closed the "
                   "connection without answering; try again later; if it goes on, find another archived copy",
                   "annotations.yaml: 4 addresses checked, 3 problems"]
    assert code == 1 and plain.methods("/status/404") == ["HEAD"]


def test_http_is_fine_when_https_does_not_answer(check, plain):
    assert check(one_source(plain.base + "/ok")) == (0, ["annotations.yaml: 1 address checked, no problems"], "")
    assert plain.tls_refused == 1  # https://.../ok was tried, and the server hung up


def test_http_is_reported_when_https_answers(check, dual, certificate):
    secure = dual.base.replace("http://", "https://")
    code, out, _ = check(one_source(dual.base + "/ok"), "--ca-bundle", str(certificate[0]))
    assert out == [f"annotations.yaml:4: note 'n1': source 'S': http:// address, but https:// answers too; "
                   f"replace url: with {secure}/ok", "annotations.yaml: 1 address checked, 1 problem"]
    assert code == 1


def test_a_redirect_from_http_to_https_is_a_move_even_when_temporary(check, dual, certificate):
    secure = dual.base.replace("http://", "https://")
    _, out, _ = check(one_source(dual.base + "/to-https/ok/page"), "--ca-bundle", str(certificate[0]))
    assert out[0] == f"annotations.yaml:4: note 'n1': source 'S': moved to {secure}/ok/page; replace url: with {secure}/ok/page"


def test_https_with_a_trusted_certificate_is_fine(check, dual, certificate):
    secure = dual.base.replace("http://", "https://")
    assert check(one_source(secure + "/ok"), "--ca-bundle", str(certificate[0]))[0] == 0
    assert dual.methods("/ok") == ["HEAD"]


def test_https_with_an_untrusted_certificate_is_reported(check, dual, certificate, tmp_path):
    other_ca = tmp_path / "other.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", "/CN=other", "-keyout", str(tmp_path / "k.pem"), "-out", str(other_ca)],
                   check=True, capture_output=True)
    secure = dual.base.replace("http://", "https://")
    code, out, _ = check(one_source(secure + "/ok"), "--ca-bundle", str(other_ca))
    assert out[0] == ("annotations.yaml:4: note 'n1': source 'S': secure connection failed (self-signed certificate); "
                      "open it in a browser; if it fails there too, correct the address, or add an archived copy (archived:)")
    assert code == 1


@pytest.mark.parametrize("options, most", [(["--per-host", "2", "--concurrency", "10"], 2),
                                           (["--per-host", "10", "--concurrency", "3"], 3)])
def test_requests_at_once_stay_within_the_limits(check, plain, options, most):
    """Six slow answers from one host: as many at once as the tighter limit allows, never more."""
    notes = "- id: n1\n  sources:\n" + "".join(f"    - title: S{i}\n      url: {plain.base}/paced/{i}\n" for i in range(6))
    assert check(notes, *options)[0] == 0
    assert (plain.most_in_flight, len(plain.requests)) == (most, 6)


def test_requests_name_the_project(check, plain):
    check(one_source(plain.base + "/ok"))
    (agent,) = plain.user_agents
    assert agent.startswith("annotated-reader-linkcheck/") and "httpx2/" in agent


@pytest.mark.parametrize("text, error", [
    ("- id: n1\n  sources: [\n    {title: S, url: x}\n",
     "annotations.yaml:2: not valid YAML (the [ list that starts on this line is never closed); "
     "close it with ], or put the value in quotes"),
    ("- id: n1\n\tsources: []\n", "annotations.yaml:2: not valid YAML (found a tab character that "
                                  "violates indentation); indent with spaces, not tabs"),
    ("id: n1\n", "annotations.yaml:1: holds no list of notes; run `make check` to see what is wrong"),
    ("- id: caf\xe9\n", "annotations.yaml:1: not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
])
def test_an_unreadable_file_is_one_line_and_exit_2(check, text, error):
    assert check(text.encode("latin-1")) == (2, [], error + "\n")


def test_a_missing_file_is_one_line_and_exit_2(check, tmp_path):
    assert check(b"[]", "missing.yaml") == (2, [], "missing.yaml: missing; give the notes file (default annotations.yaml)\n")
    assert check(b"[]", str(tmp_path)) == (2, [], f"{tmp_path}: is a folder; give the notes file (default annotations.yaml)\n")


def test_an_empty_list_of_notes_is_fine(check):
    assert check(b"# none yet\n[]\n") == (0, ["annotations.yaml: 0 addresses checked, no problems"], "")


def test_retry_after_is_read_as_seconds_or_an_http_date():
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    read = linkcheck.retry_after_seconds
    assert read("7", now) == 7.0
    assert read(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert read("Tue, 01 Dec 2026 11:00:00 GMT", now) == 0.0  # already past: no wait
    assert [read(v, now) for v in (None, "soon", "-1", "1.5")] == [None] * 4


def test_the_command_line(tmp_path):
    """`python -m reader.linkcheck FILE`, as make linkcheck runs it: a missing file is exit 2, one line, no traceback."""
    done = subprocess.run([sys.executable, "-m", "reader.linkcheck", str(tmp_path / "notes.yaml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{tmp_path / 'notes.yaml'}: missing; give the notes file (default annotations.yaml)\n"


def test_help_names_the_options(capsys):
    with pytest.raises(SystemExit) as exited:
        linkcheck.main(["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert all(option in out for option in ("--timeout", "--per-host", "--concurrency", "--retries", "--max-wait", "--ca-bundle"))


def test_a_host_that_does_not_resolve_is_named():
    """Built, not fetched (a lookup would ask the name server, another host): the error httpx2 raises."""
    err = httpx2.ConnectError("[Errno -2] Name or service not known", request=httpx2.Request("HEAD", "https://gone.example/a"))
    err.__cause__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    source = linkcheck.Source(9, "n1", "S", "url", "https://gone.example/a")
    problem = linkcheck.LinkProblem("annotations.yaml", 9, "n1", "S", "url",
                                    *linkcheck.judge(source, linkcheck._failed(err), linkcheck.Settings()))
    assert str(problem) == ("annotations.yaml:9: note 'n1': source 'S': host 'gone.example' not found (DNS); "
                            "correct the address, or add an archived copy (archived:)")
