"""Synthetic shelves for the shelf-search bench: articles of essay length whose words follow real frequencies.

An index's size and a query's cost depend on how words are spread: a few words ("the", "of") in
nearly every paragraph, a long tail met once or twice, and topic words that come back within one
article. So the words are drawn from a Zipf-Mandelbrot law (rank r has weight 1 / (r + 0.5): "the" is
about 6% of the words, the 150 commonest some 45%, as in English prose),
the first ranks being English's commonest words and the rest made-up words whose length grows
with their rank (a share of them inflections of earlier ones, so stemming folds them together);
each article also favours some 40 topic words of its own. Sentences get capitals, commas, full
stops, a few numbers (1960, 3.1, 1,739), possessives with straight and curly apostrophes.

Everything comes from one seed: the same arguments give the same shelf, byte for byte.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass
from pathlib import Path

# English's commonest words, roughly in order of frequency (ranks 1 to 150).
COMMON_WORDS = """the of and to a in is that it for as with was on be by this are not or at from which but
have an they their has his more can one its had were we all been there would will about so who when what
also other into only some these than them may such no could first new most over after two those between
many people time our how like well even any made because through where both very much world being while
state years way same before then should under each us own still public government just three since against
during used part however another without here make long little good great might off down must life power
last war few whether country work later among back high often way year house did""".split()
ONSETS = "b c d f g h k l m n p r s t v w b c d l m p r s t br st tr ch th pl".split()
VOWELS = "a e i o u a e i o u ea ou io".split()
CODAS = ["", "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "nt", "ng"]
SUFFIXES = "s ed ing ly ation ment ness er al ity ive ous".split()
CURLY_APOSTROPHE = "\u2019"


@dataclass(frozen=True)
class Doc:
    """One searchable unit of an article: a paragraph (ref p-N, no title) or a note (ref note-N, a title)."""

    ref: str
    title: str
    text: str


@dataclass(frozen=True)
class ShelfArticle:
    """One article of a synthetic shelf: its address (relative to the shelf's folder), title and docs."""

    address: str
    title: str
    docs: tuple[Doc, ...]


class Vocabulary:
    """Words by rank: the common English words, then made-up ones, some inflections of earlier ones."""

    def __init__(self, size: int, rng: random.Random) -> None:
        self.words: list[str] = list(COMMON_WORDS)
        seen = set(self.words)
        while len(self.words) < size:
            word = self._inflected(rng) if len(self.words) > 400 and rng.random() < 0.25 else self._made_up(rng)
            if word not in seen:
                seen.add(word)
                self.words.append(word)
        self.cumulative = list(itertools.accumulate(1 / (r + 0.5) for r in range(1, size + 1)))

    def _made_up(self, rng: random.Random) -> str:
        """A new word of one to four syllables, longer the rarer (the later it is made)."""
        rank = len(self.words)
        syllables = 1 + (rank > 200) + (rank > 3000 and rng.random() < 0.8) + (rank > 30000 and rng.random() < 0.4)
        return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables))

    def _inflected(self, rng: random.Random) -> str:
        """An earlier made-up word with a suffix: stems it shares with its base fold them together."""
        base = self.words[rng.randrange(len(COMMON_WORDS), len(self.words))]
        return base + rng.choice(SUFFIXES)

    def draw(self, rng: random.Random, k: int) -> list[str]:
        """k words drawn by the Zipf-Mandelbrot law."""
        return rng.choices(self.words, cum_weights=self.cumulative, k=k)


def make_shelf(articles: int, seed: int = 25, paragraphs: int = 16, words_per_paragraph: int = 144,
               notes: int = 2) -> list[ShelfArticle]:
    """Return a shelf of `articles` articles of `paragraphs` paragraphs (about words_per_paragraph words each) and notes."""
    rng = random.Random(seed)
    vocabulary = Vocabulary(120_000, rng)
    shelf = []
    for a in range(articles):
        topic = [vocabulary.words[int(300 * 100 ** rng.random())] for _ in range(40)]  # ranks 300 to 30,000
        writer = Writer(vocabulary, topic, rng)
        docs = [Doc(f"p-{i + 1}", "", writer.paragraph(words_per_paragraph)) for i in range(paragraphs)]
        docs += [Doc(f"note-{a + 1}-{i + 1}", writer.title(), writer.paragraph(40)) for i in range(notes)]
        shelf.append(ShelfArticle(f"articles/{a + 1:04d}.html", writer.title(), tuple(docs)))
    return shelf


class Writer:
    """Sentences and paragraphs of one article: its topic words come back more often than elsewhere."""

    def __init__(self, vocabulary: Vocabulary, topic: list[str], rng: random.Random) -> None:
        self.vocabulary, self.topic, self.rng = vocabulary, topic, rng
        self.topic_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(topic))))

    def words(self, k: int) -> list[str]:
        """k words: mostly drawn from the whole vocabulary, 6% from the article's topic."""
        drawn = self.vocabulary.draw(self.rng, k)
        for i in range(k):
            if self.rng.random() < 0.06:
                drawn[i] = self.rng.choices(self.topic, cum_weights=self.topic_weights)[0]
        return drawn

    def paragraph(self, mean_words: int) -> str:
        """A paragraph of about mean_words words, in sentences."""
        target = max(12, min(int(self.rng.gauss(mean_words, mean_words * 0.3)), mean_words * 2))
        sentences, count = [], 0
        while count < target:
            n = min(self.rng.randint(6, 32), max(3, target - count))
            sentences.append(self.sentence(n))
            count += n
        return " ".join(sentences)

    def sentence(self, n: int) -> str:
        """A sentence of n words: a capital, commas, a number or a possessive now and then, a full stop."""
        out = []
        for word in self.words(n):
            roll = self.rng.random()
            if roll < 0.004:
                word = self.number()
            elif roll < 0.012 and len(word) > 3:
                word += self.rng.choice(("'s", CURLY_APOSTROPHE + "s"))
            elif roll < 0.03 and len(word) > 4:
                word = word.capitalize()  # a name
            if self.rng.random() < 0.07:
                word += ","
            out.append(word)
        out[0] = out[0][0].upper() + out[0][1:]
        return re.sub(",$", "", " ".join(out)) + self.rng.choice(".......?;")

    def number(self) -> str:
        """A year, a decimal or a number with a thousands separator."""
        kind = self.rng.random()
        if kind < 0.6:
            return str(self.rng.randint(1900, 2030))
        if kind < 0.8:
            return f"{self.rng.randint(0, 9)}.{self.rng.randint(1, 9)}"
        return f"{self.rng.randint(1, 9)},{self.rng.randint(100, 999)}"

    def title(self) -> str:
        """A title of three to seven words, each capitalized."""
        return " ".join(w.capitalize() for w in self.words(self.rng.randint(3, 7)))


def remembered_phrases(shelf: list[ShelfArticle], count: int, seed: int = 8) -> list[tuple[str, str, str]]:
    """Return `count` runs of 6 to 8 consecutive words of paragraphs, typed as remembered (lower case, no
    punctuation), each with the article address and doc ref it comes from."""
    rng = random.Random(seed)
    phrases: list[tuple[str, str, str]] = []
    while len(phrases) < count:
        article = shelf[rng.randrange(len(shelf))]
        doc = article.docs[rng.randrange(len(article.docs))]
        words = doc.text.split()
        n = rng.randint(6, 8)
        if len(words) < n or not doc.ref.startswith("p-"):
            continue
        start = rng.randrange(len(words) - n + 1)
        typed = " ".join(re.sub(r"[^\w'\u2019.]+", "", w).strip(".").lower() for w in words[start : start + n])
        phrases.append((typed, article.address, doc.ref))
    return phrases


def write_markdown_pages(shelf: list[ShelfArticle], docs_folder: Path) -> list[Path]:
    """Write each article as a Markdown page for MkDocs (a heading, paragraphs, notes as sections); return them."""
    pages = []
    docs_folder.mkdir(parents=True, exist_ok=True)
    for article in shelf:
        parts = [f"# {article.title}\n"]
        for doc in article.docs:
            parts.append(f"## {doc.title}\n\n{doc.text}\n" if doc.title else f"{doc.text}\n")
        path = docs_folder / Path(article.address).with_suffix(".md").name
        path.write_text("\n".join(parts), encoding="utf-8")
        pages.append(path)
    return pages
