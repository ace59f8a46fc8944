"""The interface in every language: locales/*.yaml hold what en.yaml holds, plurals follow CLDR (Babel here,
Intl.PluralRules in the page, the same categories), dates are CLDR's, and the direction is the language's."""

from __future__ import annotations

import json
import re
import string
import subprocess

import pytest
import yaml

from reader.ui_text import LOCALES, available_languages, load_ui_text, plural_categories, plural_category

LANGUAGES = available_languages()


def strings(lang: str) -> dict[str, object]:
    """Every page and script string of a locale file, by "page.key" or "script.key"."""
    data = yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"))
    return {f"{part}.{key}": value for part in ("page", "script") for key, value in data[part].items()}


def names(text: str) -> set[str]:
    """The {names} a string fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_interface_speaks_at_least_the_languages_asked_for():
    assert {"en", "fr", "ja", "zh", "ko", "ar", "he", "es", "de"} <= set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_locale_has_the_keys_of_english_and_no_others(lang):
    assert sorted(strings(lang)) == sorted(strings("en"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_fills_in_only_the_names_english_fills_in(lang):
    english = strings("en")
    for key, value in strings(lang).items():
        theirs = english[key]
        if isinstance(value, dict) and "other" in value:
            assert isinstance(theirs, dict) and "other" in theirs, f"{lang} {key}: plural forms where en has none"
            # The form for most numbers names what en's does; the others may say the number in words.
            assert names(value["other"]) == names(theirs["other"]), f"{lang} {key}.other"
            assert all(names(form) <= names(theirs["other"]) for form in value.values()), f"{lang} {key}"
        elif isinstance(value, dict):
            assert sorted(value) == sorted(theirs), f"{lang} {key}: the kinds differ"
        else:
            assert isinstance(value, str) and isinstance(theirs, str), f"{lang} {key}"
            assert names(value) == names(theirs), f"{lang} {key}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_strings_have_exactly_the_languages_cldr_categories(lang):
    categories = plural_categories(lang)
    for key, value in strings(lang).items():
        if isinstance(value, dict) and "other" in value:
            assert set(value) == categories, f"{lang} {key}: {sorted(value)}, CLDR has {sorted(categories)}"


def test_arabic_has_six_plural_forms_chosen_by_cldr():
    t = load_ui_text("ar")
    chosen = {n: str(t("notes_hidden", n=n)) for n in (0, 1, 2, 3, 10, 11, 99, 100, 103)}
    assert [plural_category("ar", n) for n in chosen] == ["zero", "one", "two", "few", "few", "many", "many", "other", "few"]
    assert chosen[1] == "ملاحظة المحرر مخفية." and chosen[2] == "ملاحظتا المحرر مخفيتان."
    assert chosen[3] == "ملاحظات المحرر الـ3 مخفية." and chosen[100] == "ملاحظات المحرر الـ100 مخفية."
    assert len(set(yaml.safe_load((LOCALES / "ar.yaml").read_text(encoding="utf-8"))["script"]["results"].values())) == 6


@pytest.mark.parametrize("lang, n, expected", [
    ("en", 1, "1 min read"), ("en", 3, "3 min read"),
    ("fr", 0, "0 min de lecture"),
    ("he", 1, "דקת קריאה אחת"), ("he", 2, "שתי דקות קריאה"), ("he", 5, "5 דקות קריאה"),
    ("ja", 1, "1分で読めます"), ("ja", 12, "12分で読めます"),
])
def test_a_page_string_takes_its_languages_plural_form(lang, n, expected):
    assert str(load_ui_text(lang)("min_read", n=n)) == expected


PLURALS_JS = """
const out = {};
for (const [lang, numbers] of JSON.parse(process.argv[1])) {
  const rules = new Intl.PluralRules(lang);
  out[lang] = numbers.map((n) => rules.select(n));
}
process.stdout.write(JSON.stringify(out));
"""


def test_the_page_chooses_plural_forms_as_the_build_does():
    numbers = [0, 1, 2, 3, 5, 10, 11, 20, 21, 99, 100, 101, 102, 111, 1000, 1000000]
    done = subprocess.run(["node", "-e", PLURALS_JS, json.dumps([[lang, numbers] for lang in LANGUAGES])],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    page = json.loads(done.stdout)
    assert {lang: [plural_category(lang, n) for n in numbers] for lang in LANGUAGES} == page


@pytest.mark.parametrize("lang, iso, expected", [
    ("en", "2018-09-14", "14 September 2018"), ("en", "2018-09", "September 2018"), ("en", "2018", "2018"),
    ("fr", "2024-03-01", "1er mars 2024"), ("fr", "2024-03-02", "2 mars 2024"),
    ("de", "2024-03-02", "2. März 2024"), ("es", "2024-03", "marzo de 2024"),
    ("ja", "2024-03-01", "2024年3月1日"), ("ja", "2024-03", "2024年3月"), ("ja", "2024", "2024年"),
    ("zh", "2024-03-01", "2024年3月1日"), ("ko", "2024-03-01", "2024년 3월 1일"),
    ("ar", "2024-03-01", "1 مارس 2024"), ("he", "2024-03-01", "1 במרץ 2024"),
])
def test_dates_are_cldrs_long_dates_in_the_language(lang, iso, expected):
    assert load_ui_text(lang).date(iso) == expected


@pytest.mark.parametrize("lang, direction", [("ar", "rtl"), ("he", "rtl"), ("ar-EG", "rtl"), ("en", "ltr"),
                                             ("ja", "ltr"), ("zh-TW", "ltr")])
def test_the_direction_is_the_languages(lang, direction):
    assert load_ui_text(lang).direction == direction


def test_the_page_strings_carry_no_hand_written_plural_rule():
    for lang in LANGUAGES:
        assert not any("plural_one" in key for key in load_ui_text(lang).script)
        assert not re.search(r"^(months|plural_one):", (LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"), re.M)

