"""The interface text in the article's language, from locales/<code>.yaml: words, plurals, dates."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

LOCALES = Path(__file__).resolve().parent.parent / "locales"


@dataclass(frozen=True)
class UiText:
    """One language's interface text; call it with a key (and values) for a page string."""

    lang: str
    page: dict[str, Any]
    script: dict[str, Any]
    months: tuple[str, ...]
    dates: dict[str, str]
    plural_one: tuple[int, ...]

    def __call__(self, key: str, **values: Any) -> Markup:
        """The page string for key, its one/other form chosen by n, values escaped unless Markup."""
        return Markup(escape(self.choose(self.page[key], values.get("n")))).format(**values)

    def choose(self, value: Any, n: Any) -> str:
        """The one or other form of a string that has them (by n), else the string itself."""
        if isinstance(value, dict) and "other" in value:
            return value["one"] if n in self.plural_one else value["other"]
        return value

    def kind(self, kind: str) -> str:
        """A note kind's label (Person); the kinds themselves come from the schema."""
        return self.page["kinds"].get(kind, kind.capitalize())

    def kind_group(self, kind: str) -> str:
        """A heading for the notes of one kind (People)."""
        return self.page["kind_groups"].get(kind, kind.capitalize())

    def date(self, iso: str) -> str:
        """'14 September 2018', 'September 2018' or '2018' from YYYY-MM-DD, YYYY-MM or YYYY."""
        parts = iso.split("-")
        if len(parts) == 1:
            return parts[0]
        month = self.months[int(parts[1]) - 1]
        if len(parts) == 2:
            return self.dates["month"].format(month=month, year=parts[0])
        day = self.dates["first_of_month"] if int(parts[2]) == 1 else str(int(parts[2]))
        return self.dates["day"].format(day=day, month=month, year=parts[0])

    def script_json(self) -> str:
        """The strings the page's scripts show, as a script that sets ReaderStrings."""
        data = {**self.script, "plural_one": list(self.plural_one)}
        return "globalThis.ReaderStrings = " + json.dumps(data, ensure_ascii=False, sort_keys=True) + ";\n"


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
    return UiText(
        lang=file.stem,
        page=data["page"],
        script=data["script"],
        months=tuple(data["months"]),
        dates=data["dates"],
        plural_one=tuple(data["plural_one"]),
    )
