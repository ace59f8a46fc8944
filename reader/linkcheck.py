"""An editor's link checker: does every source address in annotations.yaml still answer?

`python -m reader.linkcheck [FILE]` (or `make linkcheck`) asks every `url` and `archived`
address of every note's sources, politely (a few requests per host at a time, retries only where
the server asks for them, after the wait it asks for), and prints one line per problem:
`annotations.yaml:LINE: note 'id': source 'title': what; what to do`, then a summary.
Exit 0: no problems; 1: problems; 2: the file cannot be read. Online; not part of `make test`.
Only the addresses are looked at: `make check` validates the rest of the file.
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import http
import re
import socket
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx2

from reader.errors import Problem

USER_AGENT = (
    f"annotated-reader-linkcheck/1 (an editor's check of the sources cited in one "
    f"annotated article; httpx2/{httpx2.__version__})"
)
RETRY_STATUSES = (429, 503)  # the statuses that say "come back later", often with Retry-After
PERMANENT_REDIRECTS = (301, 308)  # a temporary redirect (302, 303, 307) keeps the address as it is
HEAD_REFUSED = (403, 405, 501)  # some servers refuse HEAD but answer GET
MAX_REDIRECTS = 10
UNREACHED = ("dns", "refused", "connect", "timeout")  # failures that say nothing about the server


@dataclass(frozen=True)
class Settings:
    """How hard and how long to try."""

    timeout: float = 10.0  # seconds, for each of connect, read, write
    per_host: int = 2  # requests at once to one host
    concurrency: int = 8  # requests at once in all
    retries: int = 2  # after a 429 or 503
    max_wait: float = 30.0  # the longest Retry-After this check waits for
    backoff: float = 1.0  # the first wait after a 429 or 503 without Retry-After; doubles each time
    verify: ssl.SSLContext | bool = True  # True: the system's certificate authorities


@dataclass(frozen=True)
class Source:
    """One address to check, and where it was written."""

    line: int
    note_id: str
    title: str
    which: str  # "url" or "archived"
    url: str


@dataclass(frozen=True)
class Answer:
    """What one address gave, after redirects and retries."""

    status: int | None = None  # the final HTTP status, None when there was no answer
    final_url: str = ""
    redirected: bool = False  # final_url was reached through redirects
    moved: bool = False  # one of them permanent, or from http:// to https://
    failure: str | None = None  # no answer: timeout, dns, refused, dropped, tls, loop, invalid, connect
    detail: str = ""  # the failure's particulars (a host name, a certificate problem)
    tries: int = 1
    wait: float | None = None  # a Retry-After longer than Settings.max_wait
    https_url: str = ""  # for an http:// address: the https:// address that answers

    @property
    def ok(self) -> bool:
        """True when the server answered 2xx."""
        return self.failure is None and self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class LinkProblem:
    """One address that does not answer as it should, and what the editor can do."""

    path: str
    line: int
    note_id: str
    source_title: str
    which: str  # "url" or "archived"
    what: str
    todo: str

    def __str__(self) -> str:
        copy = "archived copy: " if self.which == "archived" else ""
        return str(
            Problem(
                self.path,
                self.line,
                f"note '{self.note_id}': source '{self.source_title}': {copy}{self.what}; {self.todo}",
            )
        )


class InputError(Exception):
    """The notes file (or an option's file) cannot be used; the message is one line."""


# Reading the notes -------------------------------------------------------------------------


def read_sources(path: str) -> list[Source]:
    """Every source address in the notes file, with its line, in file order."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: missing; give the notes file (default annotations.yaml)") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the notes file (default annotations.yaml)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot be read ({err.strerror}); check its permissions") from None
    data, line_of = _parse_located(path, raw)
    if not isinstance(data, list):
        raise InputError(str(Problem(path, 1, "holds no list of notes; run `make check` to see what is wrong")))
    return list(_sources_in(data, line_of))


def _parse_located(path: str, raw: bytes) -> tuple[object, Callable[[tuple], int]]:
    """The parsed YAML and a finder of each value's line (the one place reader.yamlines is used)."""
    import yaml

    from reader.yamlines import describe_yaml_error, load_located_yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            str(Problem(path, line, f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the file as UTF-8"))
        ) from None
    try:
        located = load_located_yaml(text)
    except yaml.YAMLError as err:
        line, reason, hint = describe_yaml_error(err, text)
        raise InputError(str(Problem(path, line, f"not valid YAML ({reason}); {hint}"))) from None
    return located.data, located.line_of


def _sources_in(notes: list, line_of: Callable[[tuple], int]):
    """Yield a Source for each url and archived address; entries of the wrong shape are make check's."""
    for i, note in enumerate(notes):
        if not isinstance(note, dict) or not isinstance(note.get("sources"), list):
            continue
        note_id = str(note.get("id", f"#{i + 1}"))
        for j, source in enumerate(note["sources"]):
            if not isinstance(source, dict):
                continue
            title = str(source.get("title", f"#{j + 1}"))
            for which in ("url", "archived"):
                if isinstance(source.get(which), str) and source[which].strip():
                    yield Source(line_of((i, "sources", j, which)), note_id, title, which, source[which].strip())


# Asking the servers ------------------------------------------------------------------------


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """The wait a Retry-After header asks for (seconds or an HTTP date), None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class _Host:
    """One host's share: its own few slots, and the time before which it asked not to be asked."""

    slots: asyncio.Semaphore
    ready_at: float = 0.0


@dataclass
class Checker:
    """Asks addresses politely: a per-host and a global limit, retries after 429/503 as told."""

    client: httpx2.AsyncClient
    settings: Settings
    hosts: dict[str, _Host] = field(default_factory=dict)
    slots: asyncio.Semaphore = field(init=False)

    def __post_init__(self):
        self.slots = asyncio.Semaphore(self.settings.concurrency)

    async def check(self, url: str) -> Answer:
        """The answer for url; for an http:// address that answers, whether https:// does too."""
        answer = await self.answer(url, self.settings.retries)
        if url.lower().startswith("http://") and answer.ok and not answer.moved:
            secure = await self.answer(https_version(url), retries=0)
            if secure.ok:
                answer = replace(answer, https_url=secure.final_url)
        return answer

    async def answer(self, url: str, retries: int) -> Answer:
        """Ask url, retrying on 429/503 after the wait the server asks for; never raises for a bad link."""
        host = self._host(url)
        for attempt in range(retries + 1):
            answer, wait = await self._ask(url, host, attempt)
            answer = replace(answer, tries=attempt + 1)
            if answer.status not in RETRY_STATUSES or attempt == retries:
                return answer
            if wait > self.settings.max_wait:
                return replace(answer, wait=wait)
            host.ready_at = max(host.ready_at, asyncio.get_running_loop().time() + wait)
        raise AssertionError("unreachable")

    async def _ask(self, url: str, host: _Host, attempt: int) -> tuple[Answer, float]:
        """One try (HEAD, or GET where HEAD is refused) inside the host's and the global limit."""
        async with host.slots:
            await _sleep_until(host)
            async with self.slots:
                try:
                    response = await self._head_or_get(url)
                except (httpx2.HTTPError, httpx2.InvalidURL, ValueError) as err:
                    return _failed(err), 0.0
        wait = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(UTC))
        return _answered(url, response), self.settings.backoff * 2**attempt if wait is None else wait

    async def _head_or_get(self, url: str) -> httpx2.Response:
        """HEAD, then GET (headers only, the body unread) when the server refuses HEAD."""
        response = await self._send("HEAD", url)
        if response.status_code in HEAD_REFUSED:
            response = await self._send("GET", url)
        return response

    async def _send(self, method: str, url: str) -> httpx2.Response:
        """The final response to method url, redirects followed, closed before its body is read."""
        async with self.client.stream(method, url) as response:
            return response

    def _host(self, url: str) -> _Host:
        """The share of url's host, made on first use."""
        try:
            name = (httpx2.URL(url).host or url).lower()
        except (httpx2.InvalidURL, ValueError):
            name = url
        return self.hosts.setdefault(name, _Host(asyncio.Semaphore(self.settings.per_host)))


async def _sleep_until(host: _Host) -> None:
    """Wait until the host's Retry-After has passed (it may move while we wait)."""
    loop = asyncio.get_running_loop()
    while (delay := host.ready_at - loop.time()) > 0:
        await asyncio.sleep(delay)


def https_version(url: str) -> str:
    """The https:// form of an http:// address (port 80 becomes the default 443)."""
    parsed = httpx2.URL(url)
    return str(parsed.copy_with(scheme="https", port=None if parsed.port in (None, 80) else parsed.port))


def _answered(url: str, response: httpx2.Response) -> Answer:
    """An Answer from the final response and the redirects that led to it."""
    final = str(response.url)
    fragment = url.partition("#")[2]
    if fragment and "#" not in final:
        final += "#" + fragment  # a redirect keeps the fragment it was not given (RFC 9110, 10.2.2)
    upgraded = url.lower().startswith("http://") and final.lower().startswith("https://")
    permanent = any(r.status_code in PERMANENT_REDIRECTS for r in response.history)
    redirected = bool(response.history)
    return Answer(
        status=response.status_code,
        final_url=final,
        redirected=redirected,
        moved=redirected and (permanent or upgraded),
    )


def _failed(err: Exception) -> Answer:
    """An Answer for a request that got no HTTP answer, named from the exception and its causes."""
    causes = _causes(err)
    if isinstance(err, httpx2.TimeoutException):
        return Answer(failure="timeout")
    if isinstance(err, httpx2.TooManyRedirects):
        return Answer(failure="loop")
    if isinstance(err, (httpx2.InvalidURL, httpx2.UnsupportedProtocol, ValueError)):
        return Answer(failure="invalid", detail=str(err))
    if isinstance(err, (httpx2.RemoteProtocolError, httpx2.ReadError)):
        return Answer(failure="dropped")
    if any(isinstance(c, socket.gaierror) for c in causes):
        return Answer(failure="dns", detail=_host_asked(err))
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return Answer(failure="refused")
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return Answer(failure="tls", detail=cause.verify_message or "not verified")
        if isinstance(cause, ssl.SSLError):
            return Answer(failure="tls", detail=cause.reason or type(cause).__name__)
    return Answer(failure="connect", detail=type(causes[-1]).__name__)


def _host_asked(err: Exception) -> str:
    """The host a failed request went to (after redirects, maybe not the one written), or ""."""
    try:
        return err.request.url.host  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return ""


def _causes(err: BaseException) -> list[BaseException]:
    """The exception and the ones that caused it, outermost first."""
    chain: list[BaseException] = []
    link: BaseException | None = err
    while link is not None and link not in chain:
        chain.append(link)
        link = link.__cause__ or link.__context__
    return chain


# Judging the answers -----------------------------------------------------------------------

_LATER = "try again later; if it goes on, find a new address or add an archived copy"
_LATER_ARCHIVED = "try again later; if it goes on, find another archived copy"
_LOST_ARCHIVED = "find another archived copy (e.g. on the Wayback Machine), or remove archived:"


def judge(source: Source, answer: Answer, settings: Settings) -> tuple[str, str] | None:
    """(what is wrong, what to do) for one answer, or None when the address is fine."""
    if answer.failure:
        return _judge_failure(source, answer, settings)
    status = answer.status or 0
    if answer.ok and answer.moved:
        return f"moved to {answer.final_url}", f"replace {source.which}: with {answer.final_url}"
    if answer.ok and answer.https_url:
        return "http:// address, but https:// answers too", f"replace {source.which}: with {answer.https_url}"
    if answer.ok:
        return None
    where = f" at {answer.final_url}" if answer.redirected else ""
    archived = source.which == "archived"
    if answer.wait is not None:
        return (
            f"asks to wait {answer.wait:.0f} s before another try (HTTP {status}), longer than this check"
            f" waits ({settings.max_wait:g} s)",
            "run the check again later",
        )
    if status == 429:
        return f"still too many requests (HTTP 429) after {_tries(answer.tries)}", "run the check again later"
    if status in (404, 410):
        word = "not found" if status == 404 else "gone"
        todo = _LOST_ARCHIVED if archived else "find the page's new address, or add an archived copy (archived:)"
        return f"{word} (HTTP {status}){where}", todo
    if status in (401, 403):
        return (
            f"refuses access (HTTP {status}){where}",
            "open it in a browser: if it shows there, the site turns robots away and the address can stay",
        )
    if status >= 500:
        after = f" after {_tries(answer.tries)}" if answer.tries > 1 else ""
        return f"server error (HTTP {status} {_phrase(status)}){where}{after}", _LATER_ARCHIVED if archived else _LATER
    return f"answers HTTP {status} {_phrase(status)}{where}", "open it in a browser and correct the address"


def _judge_failure(source: Source, answer: Answer, settings: Settings) -> tuple[str, str]:
    """(what, what to do) for an address that gave no HTTP answer."""
    later = _LATER_ARCHIVED if source.which == "archived" else _LATER
    lost = _LOST_ARCHIVED if source.which == "archived" else "correct the address, or add an archived copy (archived:)"
    kinds = {
        "timeout": (f"no answer within {settings.timeout:g} s", later + " (or check with a longer --timeout)"),
        "dns": (f"host {answer.detail!r} not found (DNS)" if answer.detail else "host not found (DNS)", lost),
        "refused": ("connection refused", later),
        "dropped": ("the server closed the connection without answering", later),
        "tls": (f"secure connection failed ({answer.detail})", "open it in a browser; if it fails there too, " + lost),
        "loop": (f"redirects more than {MAX_REDIRECTS} times (a loop)", "open it in a browser and correct the address"),
        "invalid": (f"not an address that can be fetched ({answer.detail})", "write it like https://example.org/page"),
        "connect": (f"cannot connect ({answer.detail})", later),
    }
    return kinds[answer.failure or ""]


def _phrase(status: int) -> str:
    """The standard reason phrase of a status ("Not Found"), or "" for an unknown one."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _tries(count: int) -> str:
    """'1 try' or 'N tries'."""
    return f"{count} {'try' if count == 1 else 'tries'}"


# The whole run -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """The outcome of one run: the problems in file order, and how many addresses were asked."""

    path: str
    checked: int  # addresses in the file (one asked twice counts twice)
    reached: int  # distinct addresses whose server could be reached (an answer, or at least a word)
    problems: list[LinkProblem]

    def summary(self) -> str:
        """The closing line: how many addresses, how many problems, and a hint when none answered."""
        count = len(self.problems)
        found = f"{count} problem{'s' if count != 1 else ''}" if count else "no problems"
        offline = "; no server could be reached: is this machine online?" if self.checked and not self.reached else ""
        return f"{self.path}: {self.checked} address{'es' if self.checked != 1 else ''} checked, {found}{offline}"


async def check_sources(path: str, sources: list[Source], settings: Settings) -> Report:
    """Ask each distinct address once, concurrently, and judge every source by its answer."""
    urls = list(dict.fromkeys(s.url for s in sources))
    async with _client(settings) as client:
        checker = Checker(client, settings)
        answers = dict(zip(urls, await asyncio.gather(*(checker.check(u) for u in urls)), strict=False))
    problems = []
    for source in sources:
        verdict = judge(source, answers[source.url], settings)
        if verdict:
            problems.append(LinkProblem(path, source.line, source.note_id, source.title, source.which, *verdict))
    reached = sum(1 for a in answers.values() if a.failure not in UNREACHED)
    return Report(path, len(sources), reached, sorted(problems, key=lambda p: p.line))


def _client(settings: Settings) -> httpx2.AsyncClient:
    """An HTTP client that names itself, follows redirects and gives up quickly."""
    return httpx2.AsyncClient(
        headers={"User-Agent": USER_AGENT},
        timeout=settings.timeout,
        verify=settings.verify,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        limits=httpx2.Limits(max_connections=None, max_keepalive_connections=settings.concurrency),
    )


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    defaults = Settings()
    parser = argparse.ArgumentParser(
        prog="python -m reader.linkcheck",
        description="Check that every source address (url and archived) in the notes file still answers: "
        "HTTP status, redirects, timeouts, http:// where https:// works, connection failures. "
        "Exit 0: no problems; 1: problems (one line each); 2: the file cannot be read.",
    )
    parser.add_argument("file", nargs="?", default="annotations.yaml", help="the notes file (default: %(default)s)")
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=defaults.timeout,
        metavar="SECONDS",
        help="give up on an address that does not answer within this (default: %(default)g)",
    )
    parser.add_argument(
        "--per-host",
        type=_positive(int),
        default=defaults.per_host,
        metavar="N",
        help="requests at once to one host (default: %(default)d)",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive(int),
        default=defaults.concurrency,
        metavar="N",
        help="requests at once in all (default: %(default)d)",
    )
    parser.add_argument(
        "--retries",
        type=_positive(int, zero=True),
        default=defaults.retries,
        metavar="N",
        help="tries again after HTTP 429 or 503 (default: %(default)d)",
    )
    parser.add_argument(
        "--max-wait",
        type=_positive(float, zero=True),
        default=defaults.max_wait,
        metavar="SECONDS",
        help="the longest Retry-After to wait for; longer is reported (default: %(default)g)",
    )
    parser.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="trust only the certificate authorities in this PEM file (default: the system's)",
    )
    return parser


def _positive(kind: type, zero: bool = False):
    """An argparse type: a number above zero (or at least zero)."""

    def parse(text: str):
        value = kind(text)
        if value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"must be {'0 or more' if zero else 'more than 0'}, not {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from the command line; an unreadable CA bundle is an InputError."""
    verify: ssl.SSLContext | bool = True
    if args.ca_bundle:
        try:
            verify = ssl.create_default_context(cafile=args.ca_bundle)
        except (OSError, ssl.SSLError) as err:
            raise InputError(
                f"{args.ca_bundle}: cannot be read as PEM certificates "
                f"({getattr(err, 'strerror', None) or err}); give a PEM file"
            ) from None
    return Settings(
        timeout=args.timeout,
        per_host=args.per_host,
        concurrency=args.concurrency,
        retries=args.retries,
        max_wait=args.max_wait,
        verify=verify,
    )


def main(argv: list[str] | None = None) -> int:
    """Check the file named on the command line; print the problems and a summary; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        sources = read_sources(args.file)
        settings = _settings(args)
    except InputError as err:
        print(err, file=sys.stderr)
        return 2
    try:
        report = asyncio.run(check_sources(args.file, sources, settings))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    for problem in report.problems:
        print(problem)
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
