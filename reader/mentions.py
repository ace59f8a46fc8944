"""Shared notes: a person, an organization or a term the shelf's articles name, written once with the
phrases that mention it. Each is placed beside its first mention in every article that has one (as a
margin note, numbered with the article's own), and has a page listing every mention, sentence by
sentence, grouped by article."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reader.anchoring import AnchoredNote, MatchText, plain
from reader.markup import TextBlock, first_sentence_end, span_problem
from reader.notes import Annotation


@dataclass(frozen=True)
class Mention:
    """One place where an article names a shared note: the block, and the phrase's offsets in its text."""

    note_id: str
    block: TextBlock
    start: int
    end: int

    @property
    def sentence(self) -> tuple[str, int, int]:
        """The sentence holding the mention, and the mention's offsets in it."""
        text, begin = self.block.text, 0
        while (cut := first_sentence_end(text[begin:])) is not None and begin + cut <= self.start:
            begin += cut
        cut = first_sentence_end(text[begin:])
        end = begin + cut if cut is not None else len(text)
        sentence = text[begin:end].rstrip()
        return sentence, self.start - begin, min(self.end, begin + len(sentence)) - begin


def find_mentions(text: MatchText, note: Annotation) -> list[Mention]:
    """Every place the article names the note by one of its phrases, in reading order: whole words only
    (Madison, not Madisonian), typography aside as quotes are matched."""
    found = []
    for phrase in note.mentions:
        wanted = plain(phrase)
        for position, i in text.hits(wanted):
            form, origin = text.forms[position]
            if form[i + len(wanted) : i + len(wanted) + 1].isalnum():
                continue
            block = text.blocks[position]
            found.append(Mention(note.id, block, origin[i], origin[i + len(wanted) - 1] + 1))
    # Where phrases overlap ("Fresnel" inside "Augustin Fresnel"), the one that starts first, then the longest.
    kept: list[Mention] = []
    for mention in sorted(found, key=lambda m: (m.block.index, m.start, -m.end)):
        if not kept or kept[-1].block is not mention.block or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def place_shared(
    shared: Sequence[Annotation], mentions: dict[str, list[Mention]], own: Sequence[AnchoredNote]
) -> list[AnchoredNote]:
    """The article's notes with each shared note it mentions placed at its first mention that does not
    overlap a note already there (nor cut through a link or emphasis), all numbered in reading order."""
    taken = [(a.block.index, a.start, a.end) for a in own if a.start is not None and a.end is not None]
    placed = list(own)
    for note in shared:
        for mention in mentions.get(note.id, ()):
            spot = (mention.block.index, mention.start, mention.end)
            clear = all(b != spot[0] or e <= spot[1] or s >= spot[2] for b, s, e in taken)
            if clear and span_problem(mention.block.pieces, mention.start, mention.end) is None:
                taken.append(spot)
                placed.append(AnchoredNote(note, 0, mention.block, mention.start, mention.end))
                break
    in_order = sorted(placed, key=lambda a: (a.block.index, a.start if a.start is not None else len(a.block.text)))
    return [AnchoredNote(a.note, number, a.block, a.start, a.end) for number, a in enumerate(in_order, 1)]
