"""The screening questionnaire as versioned data (``v<N>.json``, English and Khmer).

Changing a question's wording means a new version file; each screening records the version it
was asked with, so old answers stay readable. The loader checks that every option is a code the
decision knows, so the data and the rules cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ctip.errors import NotFound
from ctip.screening.decision import ELEMENTS, ILO_INDICATORS, Reason

FOLDER = Path(__file__).parent
CURRENT = "1"
SECTIONS: dict[str, tuple[str, ...]] = {**ELEMENTS, "indicators": ILO_INDICATORS}
SOURCES = ("interview", "document", "observation")


@dataclass(frozen=True)
class Option:
    code: str
    text: dict[str, str]


@dataclass(frozen=True)
class Section:
    """One question (an element or the indicators) with its options."""

    code: str
    question: dict[str, str]
    options: tuple[Option, ...]
    help: dict[str, str]


@dataclass(frozen=True)
class Questionnaire:
    version: str
    title: dict[str, str]
    note: dict[str, str]
    translations: dict[str, str]
    sources: dict[str, dict[str, str]]
    sections: tuple[Section, ...]

    def section(self, code: str) -> Section:
        return next(s for s in self.sections if s.code == code)

    def is_draft(self, language: str) -> bool:
        """True when the wording in ``language`` still needs review by native speakers."""
        return self.translations.get(language) == "draft"


def _section(raw: dict[str, Any]) -> Section:
    options = tuple(
        Option(o["code"], {k: v for k, v in o.items() if k != "code"}) for o in raw["options"]
    )
    expected = SECTIONS[raw["code"]]
    if [o.code for o in options] != list(expected):
        raise ValueError(
            f"questionnaire section {raw['code']} does not list the codes {', '.join(expected)}"
        )
    return Section(raw["code"], raw["question"], options, raw.get("help", {}))


@cache
def load(version: str = CURRENT) -> Questionnaire:
    """The questionnaire of ``version``; ``NotFound`` for an unknown one."""
    path = FOLDER / f"v{version}.json"
    if not version.isdigit() or not path.is_file():
        raise NotFound("questionnaire version %(version)s not found", version=version)
    raw = json.loads(path.read_text(encoding="utf-8"))
    sections = tuple(_section(s) for s in raw["sections"])
    if set(raw["sources"]) != set(SOURCES):
        raise ValueError("questionnaire sources must be " + ", ".join(SOURCES))
    return Questionnaire(
        raw["version"], raw["title"], raw["note"], raw["translations"], raw["sources"], sections
    )


def text(entry: dict[str, str], language: str) -> str:
    """The entry in ``language``, falling back to English."""
    return entry.get(language) or entry.get("en", "")


def _option_texts(section: Section, codes: str, language: str) -> str:
    names = {o.code: text(o.text, language) for o in section.options}
    return ", ".join(names.get(code, code) for code in codes.split(", "))


def explain(reason: Reason, language: str, version: str = CURRENT) -> str:
    """A reason in ``language``, with option codes shown as the questionnaire words them."""
    params = dict(reason.params)
    section = reason.template.split(" ", 1)[0]
    if "options" in params and section in ELEMENTS:
        params["options"] = _option_texts(
            load(version).section(section), params["options"], language
        )
    if "list" in params:
        params["list"] = _option_texts(
            load(version).section("indicators"), params["list"], language
        )
    return Reason(reason.template, params).translated(language)
