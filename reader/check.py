"""The check stage: every article with its notes, then the shelf as a whole; every problem of every
file at once, by file and line, and nothing else happens until there are none.

Per article: its front matter and body, its images, the notes that belong to it (in the shared
annotations.yaml, by `article:` on a shelf, and in its own <address>.notes.yaml), each anchored to
its words, and where it mentions each shared note. Then the shelf: its order (shelf.yaml), notes
naming no article or a missing one, shared notes mentioned nowhere, links from notes to other
articles that lead nowhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from reader.anchoring import AnchoredNote, MatchText, place_notes, sample_quote
from reader.article import Article, check_article, load_content_schema
from reader.errors import BuildError, Problem, by_file_and_line, listed
from reader.images import Image, load_images
from reader.markup import article_links, make_markdown
from reader.mentions import Mention, find_mentions, place_shared
from reader.notes import Anchor, Annotation, CheckedNotes, check_annotations, kinds, load_schema
from reader.shelf import (
    ArticleFile,
    Dated,
    Section,
    ShelfConfig,
    check_shelf_config,
    config_problems,
    load_shelf_schema,
    shelf_sections,
)
from reader.ui_text import UiText, load_ui_text


@dataclass(frozen=True)
class ArticleInput:
    """One article's files as read: its Markdown, and its own notes file when it has one."""

    file: ArticleFile
    text: str
    notes_path: str  # as messages name it
    notes_raw: bytes | None


@dataclass(frozen=True)
class Parsed:
    """One article checked: the article, its images, its notes anchored (its own and the shared ones it
    mentions, numbered together in reading order), every mention of a shared note, its interface text."""

    address: str
    article: Article
    images: dict[str, Image]
    anchored: list[AnchoredNote]
    mentions: dict[str, list[Mention]]  # by shared note id, in reading order
    text: UiText


@dataclass(frozen=True)
class Shelf:
    """Everything the pages are made from: the articles in shelf order, its parts and paths, its shared
    notes; `several` is False for a one-article site (the article's pages at the site's root)."""

    several: bool
    articles: tuple[Parsed, ...]
    sections: tuple[Section, ...]
    config: ShelfConfig
    shared: tuple[Annotation, ...]
    kinds: tuple[str, ...]

    def position(self, address: str) -> int:
        """An article's place in shelf order, from 0."""
        return self.positions[address]

    @cached_property
    def positions(self) -> dict[str, int]:
        """Each article's place by its address (made once: every article asks for its own and its neighbours')."""
        return {parsed.address: i for i, parsed in enumerate(self.articles)}


@dataclass(frozen=True)
class ArticleJob:
    """One article to check, with what the shared notes file says of it: the notes that name it (all of
    them, on a one-article site), the anchors of its notes wrong elsewhere, the shelf's shared notes."""

    item: ArticleInput
    notes: tuple[Annotation, ...]
    loose: tuple[Anchor, ...]
    shared: tuple[Annotation, ...]

    def key_parts(self) -> tuple[bytes | str, ...]:
        """Everything its check depends on, besides the build's own code (and its images, checked apart)."""
        notes = repr((self.notes, self.loose, self.shared))
        return (self.item.file.shown, self.item.text, self.item.notes_path, self.item.notes_raw or b"\0none", notes)


@dataclass(frozen=True)
class Checked:
    """One article checked: the Parsed article (None when anything is wrong), its problems (its text's
    first), and the images it read, as (path, SHA-256) (a cached check holds only while they are unchanged)."""

    address: str
    parsed: Parsed | None
    content_problems: tuple[Problem, ...]
    problems: tuple[Problem, ...]
    images: tuple[tuple[str, str], ...]
    first_words: str | None  # of its first paragraph, for hints that show a quote


Units = Callable[[Sequence[ArticleJob]], list[Checked]]


def check_shelf(
    articles: Sequence[ArticleInput], notes_path: str, notes_raw: bytes, shelf_path: str, shelf_text: str | None,
    found_problems: Sequence[Problem] = (), check_units: Units | None = None,
) -> Shelf:
    """Check every article and the shelf; raise one BuildError holding every problem, by file and line
    (found_problems: those of the files the content folder holds that are no articles, reported first).

    check_units: checks the articles' jobs, in order (default: one after the other; build.py passes one
    that uses every core and the cache)."""
    md, schema = make_markdown(), load_schema()
    several = len(articles) > 1 or shelf_text is not None
    shared_file = check_annotations(notes_path, notes_raw, md, schema)
    shared = tuple(note for note in shared_file.notes if note.shared)
    jobs = [article_job(item, shared_file, shared, several) for item in articles]
    checked = (check_units or check_each)(jobs)
    if shared_file.problems and not several:  # hints with the article's own words
        shared_file = check_annotations(notes_path, notes_raw, md, schema, checked[0].first_words)
    parsed = [c.parsed for c in checked if c.parsed is not None]
    # The articles' own problems first: a reader fixes the text, then the notes on it.
    problems = [*found_problems, *(p for c in checked for p in c.content_problems), *shared_file.problems,
                *(p for c in checked for p in c.problems)]
    addresses = [item.file.address for item in articles]
    problems += notes_elsewhere(shared_file, addresses, several)
    problems += mentioned_nowhere(shared, parsed) if len(parsed) == len(articles) else []
    problems += broken_links(shared_file.notes, parsed, articles)
    config, found = check_shelf_config(shelf_path, shelf_text, load_shelf_schema())
    problems += found + config_problems(shelf_path, config, addresses)
    if problems or not parsed:
        raise BuildError(by_file_and_line(problems))
    sections = shelf_sections(config, [Dated(p.address, p.article.published) for p in parsed])
    order = {address: i for i, address in enumerate(a for s in sections for a in s.addresses)}
    in_order = tuple(sorted(parsed, key=lambda p: order[p.address]))
    return Shelf(several, in_order, sections, config, shared, kinds(schema))


def article_job(item: ArticleInput, shared_file: CheckedNotes, shared: tuple[Annotation, ...], several: bool
                ) -> ArticleJob:
    """An article's job: the notes of the shared file that are its own (all, on a one-article site)."""
    mine = lambda anchor: anchor.article == item.file.address or (not several and anchor.article is None)  # noqa: E731
    return ArticleJob(item, tuple(n for n in shared_file.notes if not n.shared and mine(n.anchor)),
                      tuple(a for a in shared_file.loose_anchors if mine(a)), shared)


def check_each(jobs: Sequence[ArticleJob]) -> list[Checked]:
    """Check the articles one after the other."""
    return [check_one(job) for job in jobs]


def check_one(job: ArticleJob) -> Checked:
    """Check one article, its images and its own notes file, and place its notes (its own and the shared
    ones it mentions)."""
    md, schema, item, shared = make_markdown(), load_schema(), job.item, list(job.shared)
    address = item.file.address
    content = check_article(md, item.file.shown, item.text, load_content_schema())
    images, problems = load_images(item.file.shown, item.file.path.parent, content.figures)
    read = image_state(item, [figure.src for figure in content.figures])
    words = sample_quote(content.blocks or [])
    own = (check_annotations(item.notes_path, item.notes_raw, md, schema, words)
           if item.notes_raw is not None else CheckedNotes([], [], []))
    problems += own.problems + own_file_problems(own, address)
    notes = list(job.notes) + [n for n in own.notes if not n.shared]
    problems += duplicate_ids(notes + shared, item.notes_path)
    if content.blocks is None:  # a body with problems of its own: its quotes would only add follow-on errors
        return Checked(address, None, tuple(content.problems), tuple(problems), read, words)
    anchored, anchor_problems = place_notes(content.blocks, notes, list(job.loose) + own.loose_anchors)
    text = MatchText(content.blocks) if shared else None
    mentions = {note.id: found for note in shared if text and (found := find_mentions(text, note))}
    problems += anchor_problems
    if problems or content.problems or content.article is None:
        return Checked(address, None, tuple(content.problems), tuple(problems), read, words)
    anchored = place_shared(shared, mentions, anchored)
    parsed = Parsed(address, content.article, images, anchored, mentions, ui_text(content.article.lang))
    return Checked(address, parsed, (), (), read, words)


def image_state(item: ArticleInput, sources: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Each image file an article names, with the SHA-256 of what is there now ('' for nothing)."""
    def state(source: str) -> str:
        try:
            return hashlib.sha256((item.file.path.parent / source).read_bytes()).hexdigest()
        except OSError:
            return ""
    return tuple((source, state(source)) for source in dict.fromkeys(sources))


@cache
def ui_text(lang: str) -> UiText:
    """The interface text for a language, read once per build whatever the number of articles in it."""
    return load_ui_text(lang)


def own_file_problems(own: CheckedNotes, address: str) -> list[Problem]:
    """An article's own notes file names no other article and holds no shared note."""
    problems = []
    for note in own.notes:
        if note.shared:
            problems.append(Problem(note.anchor.path, note.anchor.line, f"note '{note.id}': a shared note (mentions) "
                                    "belongs in the shelf's annotations.yaml; move it there"))
        elif note.anchor.article not in (None, address):
            problems.append(Problem(note.anchor.path, note.anchor.line, f"note '{note.id}': this file holds the notes "
                                    f"of '{address}'; remove article: {note.anchor.article}, or move the note to "
                                    f"{note.anchor.article}.notes.yaml"))
    return problems


def notes_elsewhere(shared_file: CheckedNotes, addresses: Sequence[str], several: bool) -> list[Problem]:
    """Notes of the shared file that name no article on a shelf, or one that does not exist."""
    problems = []
    for anchor in [n.anchor for n in shared_file.notes if not n.shared] + shared_file.loose_anchors:
        if anchor.article is None and several:
            problems.append(Problem(anchor.path, anchor.line, f"{anchor.who}: which article is it in? add article: "
                                    f"with one of {listed(addresses)} (or move it to <address>.notes.yaml)"))
        elif anchor.article is not None and anchor.article not in addresses:
            problems.append(Problem(anchor.path, anchor.line, f"{anchor.who}: no article '{anchor.article}'; "
                                    f"name one of {listed(addresses)}"))
    return problems


def duplicate_ids(notes: Sequence[Annotation], own_path: str) -> list[Problem]:
    """Two notes of one article's page with one id (the shared file's and its own): each needs its own."""
    first: dict[str, Annotation] = {}
    problems = []
    for note in notes:
        other = first.setdefault(note.id, note)
        if other is not note and other.anchor.path != note.anchor.path:
            problems.append(Problem(note.anchor.path, note.line, f"note '{note.id}': id already used by the note at "
                                    f"{other.anchor.path}:{other.line}; give each note its own id"))
    return problems


def mentioned_nowhere(shared: Sequence[Annotation], parsed: Sequence[Parsed]) -> list[Problem]:
    """Shared notes no article mentions: their phrases are probably misspelt."""
    found = {note_id for p in parsed for note_id in p.mentions}
    return [Problem(note.anchor.path, note.anchor.line, f"note '{note.id}': no article mentions "
                    f"{listed(repr(m) for m in note.mentions)}; copy a phrase exactly from an article, "
                    "or remove the note")
            for note in shared if note.id not in found]


def broken_links(shared_notes: Sequence[Annotation], parsed: Sequence[Parsed],
                 articles: Sequence[ArticleInput]) -> list[Problem]:
    """Links from notes to other articles (their address, #p-N, #note-id) that lead nowhere."""
    pages = {p.address: {b.ref for b in p.article.blocks} | {f"note-{a.note.id}" for a in p.anchored} for p in parsed}
    known = [item.file.address for item in articles]
    problems, seen = [], set()
    for note in [*shared_notes, *(a.note for p in parsed for a in p.anchored)]:
        if (note.anchor.path, note.line) in seen:  # a shared note, met again in each article
            continue
        seen.add((note.anchor.path, note.line))
        for address, fragment in article_links(note.body):
            if address not in known:
                why = f"no article '{address}'; name one of {listed(known)}"
            elif address in pages and fragment and fragment[1:] not in pages[address]:
                why = f"'{address}' has no {fragment}; link to one of its paragraphs (#p-N) or notes (#note-id)"
            else:
                continue
            problems.append(Problem(note.anchor.path, note.line,
                                    f"note '{note.id}': link to {address}{fragment}: {why}"))
    return problems
