"""reader/minify.py: the page's scripts through terser, in one Node process."""

import pytest

from reader import minify
from reader.errors import BuildError


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    """Each test with an empty cache of its own."""
    monkeypatch.setattr(minify, "CACHE", tmp_path / "cache")
    return tmp_path / "cache"


def test_locals_are_renamed_and_comments_go_but_globals_and_properties_stay():
    source = "/* why */\n(() => {\n  const longName = 40;\n  globalThis.ReaderX = { answer: longName + 2 };\n})();\n"
    (code,) = minify.minify_scripts({"x.js": source}).values()
    assert "longName" not in code and "why" not in code
    assert "globalThis.ReaderX" in code and "answer" in code


def test_every_broken_script_is_named_with_its_line_in_one_run():
    with pytest.raises(BuildError) as caught:
        minify.minify_scripts({"a.js": "ok();\n", "b.js": "ok();\nlet x = ;\n", "c.js": "if (\n"})
    assert [(p.path, p.line) for p in caught.value.problems] == [("b.js", 2), ("c.js", 2)]
    assert all(p.message.startswith("JavaScript syntax error (") for p in caught.value.problems)
    assert str(caught.value.problems[0]).endswith("; fix the script")


def test_the_same_input_gives_the_same_bytes():
    sources = {"y.js": "(function (global) { var list = [3, 1, 2]; global.Y = list.sort(); }(globalThis));"}
    assert minify.minify_scripts(sources) == minify.minify_scripts(sources)


def test_without_terser_installed_the_build_says_to_run_npm_ci(tmp_path, monkeypatch):
    monkeypatch.setattr(minify, "TERSER", tmp_path / "node_modules" / "terser" / "package.json")
    with pytest.raises(BuildError) as caught:
        minify.minify_scripts({"z.js": "z();"})
    assert str(caught.value) == "node_modules/terser: terser is not installed; run `npm ci` (or `make site`)"


def test_scripts_minified_before_are_not_minified_again_and_changed_ones_are(monkeypatch):
    sources = {"a.js": "(() => { const first = 1; globalThis.A = first; })();", "b.js": "globalThis.B = 2;"}
    before = minify.minify_scripts(sources)
    ran: list[list[str]] = []
    real_run = minify._run_terser
    monkeypatch.setattr(minify, "_run_terser", lambda missing, shown: ran.append(sorted(missing)) or real_run(missing, shown))
    assert minify.minify_scripts(sources) == before and ran == []
    changed = minify.minify_scripts({**sources, "b.js": "globalThis.B = 3;"})
    assert ran == [["b.js"]] and changed == {**before, "b.js": "globalThis.B=3;"}


def test_a_broken_script_is_reported_again_on_the_next_build():
    for _ in range(2):
        with pytest.raises(BuildError):
            minify.minify_scripts({"c.js": "let = ;"})
