"""The interface text in the article's language, from locales/<code>.yaml: words, plurals, dates.

Plurals and dates follow CLDR (through Babel): a string with plural forms has one per CLDR category of
its language (Arabic: zero, one, two, few, many, other; Japanese: other alone), chosen as the page's
Intl.PluralRules chooses; dates are CLDR's long dates in the language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DATE_SKELETONS = ("y", "yMMMM", "yMMMMd")  # CLDR skeletons for YYYY, YYYY-MM and YYYY-MM-DD


@dataclass(frozen=True)
class UiText:
    """One language's interface text; call it with a key (and values) for a page string.

    lang: the article's language tag (it picks the plural rules, as in the page); dates: the CLDR locale
    dates are written in (locale, default the file's language) and, optionally, a pattern for the first
    of a month (first_day: French writes 1er)."""

    lang: str
    page: dict[str, Any]
    script: dict[str, Any]
    dates: dict[str, str]

    def __call__(self, key: str, **values: Any) -> Markup:
        """The page string for key, its plural form chosen by n, values escaped unless Markup."""
        return Markup(escape(self.choose(self.page[key], values.get("n")))).format(**values)

    def plain(self, key: str, **values: Any) -> str:
        """The page string for key with values filled in, as plain text (for files that are not HTML)."""
        return str(self.choose(self.page[key], values.get("n"))).format(**values)

    def choose(self, value: Any, n: Any) -> str:
        """The plural form of a string that has them (CLDR's category of n in the language), else the string."""
        if isinstance(value, dict) and "other" in value:
            category = plural_category(self.lang, n)
            return value[category] if category in value else value["other"]
        return value

    def kind(self, kind: str) -> str:
        """A note kind's label (Person); the kinds themselves come from the schema."""
        return self.page["kinds"].get(kind, kind.capitalize())

    def kind_group(self, kind: str) -> str:
        """A heading for the notes of one kind (People)."""
        return self.page["kind_groups"].get(kind, kind.capitalize())

    def date(self, iso: str) -> str:
        """'14 September 2018', 'September 2018' or '2018' (in the language) from YYYY-MM-DD, YYYY-MM or YYYY."""
        return long_date(iso, self.dates.get("locale", self.code), self.dates.get("first_day"))

    @property
    def code(self) -> str:
        """The language's code (ar for ar-EG), as the locale file is named."""
        return locale_code(self.lang)

    @property
    def direction(self) -> str:
        """The language's writing direction: "rtl" (Arabic, Hebrew, Persian, Urdu...) or "ltr", from CLDR."""
        return "rtl" if babel_locale(self.lang).character_order == "right-to-left" else "ltr"

    @property
    def script_styles(self) -> bool:
        """Whether the page needs static/css/scripts.css: a CJK language, or one written right to left."""
        return self.code in ("ja", "zh", "ko") or self.direction == "rtl"


@lru_cache(maxsize=64)
def babel_locale(lang: str) -> Locale:
    """CLDR's locale for a language tag (pt-BR), or for its language (pt) when CLDR lacks the region."""
    try:
        return Locale.parse(lang, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(locale_code(lang))


def plural_category(lang: str, n: Any) -> str:
    """CLDR's plural category of n in the language (one, two, few, many, zero, other)."""
    return babel_locale(lang).plural_form(n) if isinstance(n, int | float) else "other"


def plural_categories(lang: str) -> set[str]:
    """The plural categories the language has, other included."""
    return set(babel_locale(lang).plural_form.tags) | {"other"}


def locale_code(lang: str) -> str:
    """The locale file an article's language tag picks: its first part (pt-BR -> pt)."""
    return lang.split("-")[0].lower()


def available_languages(folder: Path = LOCALES) -> tuple[str, ...]:
    """The languages the interface is written in: the codes of the files in locales/, sorted."""
    return tuple(sorted(file.stem for file in folder.glob("*.yaml")))


def load_ui_text(lang: str, folder: Path = LOCALES) -> UiText:
    """The interface text for lang (the article's check has made sure locales/ has a file for it)."""
    file = folder / f"{locale_code(lang)}.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    return UiText(lang=lang, page=data["page"], script=data["script"], dates=data.get("dates") or {})


@lru_cache(maxsize=4096)
def long_date(iso: str, locale: str, first_day: str | None) -> str:
    """A date written as the language writes it (see UiText.date); kept, as a shelf writes each article's
    date on several pages."""
    parts = [int(part) for part in iso.split("-")]
    day = datetime.date(parts[0], *(parts[1:] + [1, 1])[:2])
    if len(parts) == 3 and day.day == 1 and first_day:
        return format_date(day, first_day, locale=locale)
    return format_skeleton(DATE_SKELETONS[len(parts) - 1], day, locale=locale)
