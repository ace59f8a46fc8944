"""annotations.yaml: validation with line numbers, and anchoring that never guesses."""

import json

import pytest

from reader.anchoring import anchor_notes, place_notes, sample_quote
from reader.article import parse_article
from reader.errors import BuildError
from reader.markup import make_markdown
from reader.notes import check_annotations, load_annotations, load_schema
from reader.render import notes_intro, prose_html
from reader.ui_text import load_ui_text
from tests.conftest import TINY_FRONT_MATTER

MD = make_markdown()
ARTICLE = parse_article(MD, "content/x.md", TINY_FRONT_MATTER + """
Abe met Trump. “That’s not seven items,” Jimbo says — twice. Abe met Trump again.

The U.S.-Japan alliance is *really one-sided* today.

A third paragraph about the alliance.
""")


def note(id="n1", quote="Abe met Trump", extra="", body="A sourced fact."):
    """One note as YAML; quote=None leaves the quote out."""
    lines = [f"- id: {id}"]
    if quote is not None:
        lines.append(f"  quote: {json.dumps(quote, ensure_ascii=False)}")
    lines += ["  kind: person", "  title: A title", f"  body: {json.dumps(body, ensure_ascii=False)}",
              "  sources:", "    - title: Source", "      url: https://example.org/s"]
    lines += [f"  {line}" for line in extra.splitlines()]
    return "\n".join(lines) + "\n"


def load(text: str):
    return load_annotations("annotations.yaml", text.encode("utf-8"), MD, load_schema())


def load_errors(text) -> list[str]:
    with pytest.raises(BuildError) as caught:
        load(text) if isinstance(text, str) else load_annotations("annotations.yaml", text, MD, load_schema())
    return [str(p) for p in caught.value.problems]


def anchor(text: str):
    return anchor_notes(ARTICLE.blocks, load(text))


def anchor_errors(text: str) -> list[str]:
    with pytest.raises(BuildError) as caught:
        anchor(text)
    return [str(p) for p in caught.value.problems]


# ---- anchoring ----

def test_quote_matches_ignoring_quote_marks_dashes_and_spaces():
    (placed,) = anchor(note(quote="\"That's not   seven items,\" Jimbo says - twice", extra="occurrence: 1"))
    text = ARTICLE.blocks[0].text
    assert placed.block.index == 1
    assert text[placed.start:placed.end] == "“That’s not seven items,” Jimbo says — twice"


def test_matching_is_case_sensitive():
    assert anchor_errors(note(quote="abe met trump")) == [
        "annotations.yaml:2: note 'n1': quote “abe met trump” is not in the article; "
        "nearest: ¶1 “Abe met Trump”; copy the words exactly from the article"
    ]


def test_the_nearest_passage_is_suggested_without_the_punctuation_at_its_ends():
    assert anchor_errors(note(quote="That's not seven itmes")) == [
        "annotations.yaml:2: note 'n1': quote “That's not seven itmes” is not in the article; "
        "nearest: ¶1 “That's not seven items”; copy the words exactly from the article"
    ]


def test_ambiguous_quote_lists_every_occurrence():
    assert anchor_errors(note(quote="Abe met Trump")) == [
        "annotations.yaml:2: note 'n1': quote “Abe met Trump” occurs 2 times (¶1, ¶1); add prefix, suffix or occurrence: N to pick one"
    ]


FIRST, SECOND = 0, ARTICLE.blocks[0].text.rindex("Abe met Trump")


@pytest.mark.parametrize("extra, expected_start", [
    ("occurrence: 2", SECOND), ("suffix: again", SECOND), ("prefix: twice.", SECOND), ("suffix: .", FIRST),
])
def test_prefix_suffix_and_occurrence_pick_one(extra, expected_start):
    (placed,) = anchor(note(quote="Abe met Trump", extra=extra))
    assert placed.start == expected_start
    assert ARTICLE.blocks[0].text[placed.start:placed.end] == "Abe met Trump"


def test_occurrence_beyond_the_count_is_an_error():
    assert anchor_errors(note(extra="occurrence: 3")) == [
        "annotations.yaml:2: note 'n1': occurrence 3 asked for, but “Abe met Trump” occurs 2 times; use a smaller number"
    ]


def test_prefix_that_fits_no_occurrence_is_an_error():
    assert anchor_errors(note(extra="prefix: nobody")) == [
        "annotations.yaml:2: note 'n1': no occurrence of “Abe met Trump” has that prefix/suffix; copy the words just before/after it from the article"
    ]


def test_missing_quote_without_anything_close_says_so_plainly():
    assert anchor_errors(note(quote="Zebras graze quietly")) == [
        "annotations.yaml:2: note 'n1': quote “Zebras graze quietly” is not in the article; copy the words exactly from the article"
    ]


def test_overlapping_quotes_are_an_error_naming_both_notes():
    text = note("a", "third paragraph about") + note("b", "about the alliance")
    assert anchor_errors(text) == [
        "annotations.yaml:10: note 'b': quote overlaps note 'a' (line 2) in ¶3; shorten one so they share no words"
    ]


def test_a_quote_inside_a_longer_one_overlaps_too():
    text = note("a", "A third paragraph about the alliance") + note("b", "third") + note("c", "the alliance.")
    assert [m.split(":")[1] for m in anchor_errors(text)] == ["10", "18"]


def test_touching_quotes_do_not_overlap():
    placed = anchor(note("a", "The U.S.-Japan") + note("b", "alliance is"))
    assert [(p.note.id, p.start, p.end) for p in placed] == [("a", 0, 14), ("b", 15, 26)]


def test_quote_crossing_emphasis_is_an_error():
    (message,) = anchor_errors(note(quote="is really"))
    assert "starts inside formatting" in message and message.startswith("annotations.yaml:2: note 'n1':")


def test_quote_may_wrap_whole_emphasis():
    (placed,) = anchor(note(quote="is really one-sided today"))
    assert (placed.block.index, placed.start) == (2, 24)


def test_paragraph_notes_and_document_order_numbering():
    text = note("late", None, "paragraph: 3") + note("early", "U.S.-Japan alliance") + note("first", "Jimbo says")
    placed = anchor(text)
    jimbo = ARTICLE.blocks[0].text.index("Jimbo says")
    assert [(p.number, p.note.id, p.block.ref, p.start) for p in placed] == [
        (1, "first", "p-1", jimbo), (2, "early", "p-2", 4), (3, "late", "p-3", None)]


def test_paragraph_out_of_range():
    assert anchor_errors(note(quote=None, extra="paragraph: 4")) == [
        "annotations.yaml:8: note 'n1': paragraph 4 does not exist; the article has 3 paragraphs"
    ]


def test_every_anchoring_problem_is_reported_at_once():
    text = note("a", "Nope nope") + note("b", "Abe met Trump") + note("c", quote=None, extra="paragraph: 9")
    assert [m.split(":")[1] for m in anchor_errors(text)] == ["2", "10", "24"]


# ---- validation, each error with its line ----

def test_valid_file_loads_with_body_rendered():
    (loaded,) = load("# comment\n" + note(body="*Keio* [site](https://example.org)"))
    assert str(prose_html(loaded.body)) == '<p><em>Keio</em> <a href="https://example.org">site</a></p>'
    assert loaded.body_text == "Keio site"
    assert (loaded.line, loaded.anchor.line) == (2, 3)


def test_unknown_key_suggests_the_right_one():
    assert load_errors(note(quote=None, extra="qoute: Abe met Trump")) == [
        "annotations.yaml:1: note 'n1': give either a quote (optionally with prefix, suffix or occurrence) or a paragraph number (without quote, prefix, suffix or occurrence) or mentions (the phrases naming a shared note, on a shelf); add quote: \"the exact words\" (words of the article) or paragraph: 1",
        "annotations.yaml:8: note 'n1': unknown key 'qoute'; did you mean 'quote'?",
    ]


def test_missing_required_keys_say_what_to_add():
    text = "- id: n1\n  quote: Abe met\n  kind: person\n"
    assert load_errors(text) == [
        "annotations.yaml:1: note 'n1': missing required key 'title'; add title: \"A short heading\"",
        "annotations.yaml:1: note 'n1': missing required key 'body'; add body: \"One or two sourced sentences, in Markdown.\"",
        "annotations.yaml:1: note 'n1': missing required key 'sources'; add sources: "
        "[{title: \"Publisher: Title (date)\", url: \"https://example.org/page\"}]",
    ]


def test_wrong_types_and_values():
    text = note(extra="occurrence: two").replace("kind: person", "kind: persn").replace("title: A title", "title: 42")
    assert load_errors(text) == [
        "annotations.yaml:3: note 'n1': kind 'persn' is not one of person, organization, event, term, figure, update; pick one of them",
        "annotations.yaml:4: note 'n1': title must be text, not a whole number; put it in quotes",
        "annotations.yaml:9: note 'n1': occurrence must be a whole number, not text; fix the value",
    ]


def test_empty_body_and_bad_source_url():
    text = note(body=" ").replace("https://example.org/s", "javascript:alert(1)")
    assert load_errors(text) == [
        "annotations.yaml:5: note 'n1': body must not be blank; write the note",
        "annotations.yaml:8: note 'n1': sources[1].url must be a full http(s) address; write it like https://example.org/page",
    ]


def test_no_sources_is_an_error():
    text = note().split("  sources:")[0] + "  sources: []\n"
    assert load_errors(text) == [
        "annotations.yaml:6: note 'n1': sources needs at least 1 item; add one: "
        "{title: \"Publisher: Title (date)\", url: \"https://example.org/page\"}"
    ]


def test_duplicate_ids_point_at_the_first():
    assert load_errors(note("same", "Abe met") + note("same", "Jimbo says")) == [
        "annotations.yaml:9: note 'same': id already used by the note at line 1; give each note its own id"
    ]


def test_duplicate_key_in_one_note():
    assert load_errors(note(extra="title: Again")) == ["annotations.yaml:9: note 'n1': 'title' is given twice; keep one"]


def test_unsafe_link_in_body_is_an_error():
    assert load_errors(note(body="[x](javascript:alert(1))")) == [
        "annotations.yaml:5: note 'n1': body: link 'javascript:alert(1)' is not allowed; use a full https:// address (or mailto:, or #p-N, or an article's address such as other-article#p-3)"
    ]


def test_raw_html_in_a_body_is_refused_not_published():
    assert load_errors(note(body="<script>alert(1)</script> <img src=x onerror=alert(1)>")) == [
        "annotations.yaml:5: note 'n1': body: raw HTML is not published; a note's body is made of plain paragraphs, so rewrite it as one",
    ]
    assert load_errors(note(body="Text with <b>bold</b> in it.")) == [
        "annotations.yaml:5: note 'n1': body: raw HTML is not published; write it in Markdown, or delete it",
    ]


def test_a_heading_or_an_image_in_a_body_is_refused():
    assert load_errors(note(body="## Heading\n\n![x](a.png)")) == [
        "annotations.yaml:5: note 'n1': body: a heading is not supported in a note; a note's body is made of plain paragraphs, so rewrite it as one",
        "annotations.yaml:5: note 'n1': body: an image is not allowed in a note; describe it in words",
    ]


@pytest.mark.parametrize("raw, expected", [
    (b"", "annotations.yaml:1: the file is empty; write a list of notes (see annotations.schema.json), or [] for none"),
    (b"# only a comment\n", "annotations.yaml:1: the file is empty; write a list of notes (see annotations.schema.json), or [] for none"),
    (b"just a scalar\n", "annotations.yaml:1: the file must be a list of notes; start each note with '- id:' (see annotations.schema.json)"),
    (b"- one\n- two\n", "annotations.yaml:1: note 1: must be a mapping of keys, not text; start each note with '- id:' and give its keys"),
    (b"- id: a\n\tquote: x\n", "annotations.yaml:2: not valid YAML (found a tab character that violates indentation); indent with spaces, not tabs"),
    (b"- id: [\n", "annotations.yaml:2: not valid YAML (did not find expected node content); check the indentation and quoting near this line"),
    (b"- id: a\n  title: \xff\n", "annotations.yaml:2: not valid UTF-8 (byte 0xff); save the file as UTF-8"),
])
def test_unreadable_files(raw, expected):
    assert load_errors(raw)[0] == expected


def test_byte_order_mark_and_crlf_just_work():
    text = note().replace("\n", "\r\n")
    (loaded,) = load_annotations("annotations.yaml", b"\xef\xbb\xbf" + text.encode(), MD, load_schema())
    assert loaded.title == "A title" and loaded.line == 1


def test_an_empty_list_is_no_notes():
    assert load("[]\n") == []


def test_dates_stay_as_written():
    (loaded,) = load(note(extra="updated: 2026-11-27\neditor: Ed"))
    assert (loaded.updated, loaded.editor) == ("2026-11-27", "Ed")


def test_every_date_of_a_note_must_exist():
    dates = ('updated: "2026-02-29"\ntimeline:\n  - date: "2024-02-29"\n    event: A leap day.\n'
             '  - date: "2023-02-29"\n    event: No such day.\n')
    text = note(extra=dates).replace("url: https://example.org/s", "url: https://example.org/s\n      accessed: 2026-06-31")
    assert load_errors(text) == [
        "annotations.yaml:9: note 'n1': sources[1].accessed 2026-06-31 is not a date (June 2026 has 30 days); "
        "correct the day (the last is 2026-06-30)",
        "annotations.yaml:10: note 'n1': updated 2026-02-29 is not a date (February 2026 has 28 days); "
        "correct the day (the last is 2026-02-28)",
        "annotations.yaml:14: note 'n1': timeline[2].date 2023-02-29 is not a date (February 2023 has 28 days); "
        "correct the day (the last is 2023-02-28)",
    ]


def test_a_note_wrong_elsewhere_still_has_its_quote_checked_and_one_without_a_place_is_not_reported_unplaced():
    text = (note(id="no-sources", quote="Abe met Trunp").replace("  sources:\n    - title: Source\n      url: https://example.org/s\n",
                                                                 "  sources: []\n")
            + note(id="nowhere", quote=None) + note(id="fine", quote="A third paragraph"))
    checked = check_annotations("annotations.yaml", text.encode("utf-8"), MD, load_schema(), sample_quote(ARTICLE.blocks))
    assert [n.id for n in checked.notes] == ["fine"]
    assert [a.who for a in checked.loose_anchors] == ["note 'no-sources'"]
    anchored, problems = place_notes(ARTICLE.blocks, checked.notes, checked.loose_anchors)
    assert [str(p) for p in checked.problems + problems] == [
        "annotations.yaml:6: note 'no-sources': sources needs at least 1 item; add one: "
        '{title: "Source", url: "https://example.org/s"}',
        "annotations.yaml:7: note 'nowhere': give either a quote (optionally with prefix, suffix or occurrence) or "
        "a paragraph number (without quote, prefix, suffix or occurrence) or mentions (the phrases naming a shared "
        'note, on a shelf); add quote: "Abe met Trump" '
        "(words of the article) or paragraph: 1",
        "annotations.yaml:2: note 'no-sources': quote “Abe met Trunp” is not in the article; "
        "nearest: ¶1 “Abe met Trump”; copy the words exactly from the article",
    ]
    assert anchored == []


UPDATE = note("later", "A third paragraph").replace("kind: person", "kind: update")
WITH_TIMELINE = note("dated", "A third paragraph", extra='timeline:\n  - date: "2020"\n    event: It happened.')


@pytest.mark.parametrize(("lang", "notes", "intro"), [
    ("en", note("a", "really one-sided"), "1 editor’s note explains a person, an event or a term; the numbered words lead to it."),
    ("en", note("a", "really one-sided") + note("b", "A third paragraph"),
     "2 editor’s notes explain people, events and terms; the numbered words lead to them."),
    ("en", note("a", "really one-sided") + UPDATE,
     "2 editor’s notes explain people, events and terms, and say what happened next; the numbered words lead to them."),
    ("en", WITH_TIMELINE,
     "1 editor’s note explains a person, an event or a term, or says what happened next; the numbered words lead to it."),
    ("fr", note("a", "really one-sided"),
     "1 note de la rédaction explique une personne, un événement ou un terme ; les mots numérotés y mènent."),
    ("fr", note("a", "really one-sided") + note("b", "A third paragraph"),
     "2 notes de la rédaction expliquent personnes, événements et termes ; les mots numérotés y mènent."),
    ("fr", note("a", "really one-sided") + UPDATE,
     "2 notes de la rédaction expliquent personnes, événements et termes, et disent ce qui a suivi ; "
     "les mots numérotés y mènent."),
])
def test_the_notes_intro_says_what_happened_next_only_when_a_note_tells_it(lang, notes, intro):
    assert str(notes_intro(anchor(notes), load_ui_text(lang))) == intro


# ---- anchoring in scripts written without spaces, and with clitics ----

SCRIPTS_ARTICLE = parse_article(MD, "content/x.md", TINY_FRONT_MATTER + """
日本政府は防衛費を国内総生産の2%へ引き上げる方針を決めた。

三峡大坝位于湖北省宜昌市，是世界上装机容量最大的水电站。

يقول أمين المكتبة إن كل زائر يبحث عن كتابه الخاص، وكتب زائر في الدفتر.

בשנים האחרונות נפתחים בולענים, ורשות הטבע והגנים מסמנת אזורים.
""")


@pytest.mark.parametrize("quote, ref", [
    ("国内総生産", "p-1"),  # mid-sentence: no space or punctuation before it
    ("防衛費", "p-1"), ("2%へ", "p-1"),  # a number right after a CJK char starts a quote too
    ("装机容量", "p-2"), ("宜昌市", "p-2"),
    ("רשות הטבע והגנים", "p-4"),  # after Hebrew's "and" (ו) joined to it
    ("كتب زائر", "p-3"),  # after Arabic's wa- (و)
])
def test_a_quote_may_start_inside_a_cjk_sentence_or_after_a_clitic(quote, ref):
    (placed,) = anchor_notes(SCRIPTS_ARTICLE.blocks, load(note(quote=quote)))
    assert placed.block.ref == ref and placed.block.text[placed.start:placed.end] == quote


def test_a_quote_inside_a_word_of_a_spaced_script_is_still_refused():
    problems = [str(p) for p in place_notes(SCRIPTS_ARTICLE.blocks, load(note(quote="כתבה")))[1]]
    assert problems and "is not in the article" in problems[0]
    problems = [str(p) for p in place_notes(ARTICLE.blocks, load(note(quote="et Trump")))[1]]
    assert problems and "is not in the article" in problems[0]


def test_a_missing_cjk_quote_suggests_the_nearest_characters():
    problems = [str(p) for p in place_notes(SCRIPTS_ARTICLE.blocks, load(note(quote="国内総生産額")))[1]]
    assert "nearest: ¶1 “国内総生産の" in problems[0]
