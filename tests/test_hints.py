"""Hints speak of the article at hand: a tiny article unlike the shipped one, with a mistake of each
kind a hint answers, gets examples from its own words and none of the shipped article's.

The shipped article is read only to know which words must not leak; the test passes with any article
in content/.
"""

import re
from pathlib import Path

import yaml

from tests.conftest import ROOT, run_build

ARTICLE = """---
published: "2021-03"
---

Kettles sing at dawn in the old town. The copper ones last longest.

Nobody polishes them anymore.
"""
NOTES = """- id: copper-kettles
  quote: "The copper ones"
  kind: term
  title: Copper kettles
  body: Copper carries heat well.
  sources:
    - title: "Kettle Makers Guild: Yearbook (2020)"
      url: https://example.org/guild
- id: Polish Note
  quote: "Nobody polishs"
  kind: term
  title: Polishing
  body: Rarely done.
  sources: []
- kind: event
  timeline:
    - event: Something happened.
    - date: "2020-05"
- id: lonely
  paragraph: 2
  kind: term
  title: Lonely
  body: A note.
  sources:
    - url: https://example.org/x
    - title: Only a title
"""
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}


def shipped_words() -> set[str]:
    """What a hint could borrow from the shipped article: its headline and author, its first words, and its
    notes' ids, titles and sources, whole and as their capitalised words."""
    article = next((ROOT / "content").glob("*.md")).read_text(encoding="utf-8")
    front, body = article.split("\n---\n", 1)
    fields = yaml.safe_load(front.lstrip("-\n"))
    notes = yaml.safe_load((ROOT / "annotations.yaml").read_text(encoding="utf-8"))
    whole = [fields["title"], fields["author"], " ".join(body.split()[:4])]
    whole += [str(note[key]) for note in notes for key in ("id", "title")]
    whole += [source[key] for note in notes for source in note["sources"] for key in ("title", "url")]
    ours = set(re.findall(r"\w+", ARTICLE + NOTES + schema_text()))  # the placeholders are the schemas' own
    names = {word for text in whole for word in re.findall(r"\b[A-Z][\w-]{3,}", text)} - ours - MONTHS
    return {text for text in whole if len(text) > 3} | names


def schema_text() -> str:
    return "".join((ROOT / name).read_text(encoding="utf-8") for name in ("annotations.schema.json", "content.schema.json"))


def test_hints_quote_the_article_at_hand_and_never_the_shipped_one(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "kettles.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "annotations.yaml").write_text(NOTES, encoding="utf-8")
    done = run_build("--check", "--content", "content", "--annotations", "annotations.yaml", cwd=tmp_path)
    assert done.returncode == 1
    messages = done.stderr
    for hint in ('rename the id, e.g. "polish-note"',
                 'nearest: ¶2 “Nobody polishes”',
                 'add one: {title: "Kettle Makers Guild: Yearbook (2020)", url: "https://example.org/guild"}',
                 'add title: "Copper kettles"',
                 'add quote: "Kettles sing at dawn" (words of the article) or paragraph: 1',
                 "sources[1] missing required key 'title'; add title: \"Kettle Makers Guild: Yearbook (2020)\"",
                 'add title: "The headline"', 'add author: "Author Name"'):
        assert hint in messages, messages
    leaked = sorted(word for word in shipped_words() if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", messages))
    assert leaked == [], messages
