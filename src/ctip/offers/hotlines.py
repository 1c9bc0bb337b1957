"""Hotline and help numbers for the reader's country and the offer's destination.

One data file (``data/hotlines.json``) lists numbers per country with the source that
publishes each, and whether it has been verified. Only verified numbers are shown; the
others wait for the secretariat to confirm them. The reader's country is read from the
answer language (Khmer and English readers get the deployment's own numbers,
``CTIP_HOTLINE_NUMBERS``); a destination named in the offer adds that country's numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Hotline:
    """One published help number."""

    country: str
    number: str
    kind: str
    name: str
    source: str
    verified: bool


@dataclass(frozen=True)
class HotlineBook:
    """Every number of the data file, by country, and the reader's country per language."""

    by_country: dict[str, tuple[Hotline, ...]]
    reader_country: dict[str, str]

    def verified(self, country: str) -> list[str]:
        """The verified numbers of ``country``, trafficking and labour lines first."""
        order = {"trafficking": 0, "labour": 1, "child": 2, "consular": 3, "police": 4}
        lines = [h for h in self.by_country.get(country, ()) if h.verified]
        return [h.number for h in sorted(lines, key=lambda h: order.get(h.kind, 9))]

    def for_reader(
        self, lang: str, destination: str | None, deployment: Sequence[str] = ()
    ) -> tuple[str, ...]:
        """Numbers for a reader of ``lang``: their country's, then the destination's."""
        home = self.reader_country.get(lang, "KH")
        numbers = list(deployment) if home == "KH" and deployment else self.verified(home)
        if destination and destination != home:
            numbers += [n for n in self.verified(destination) if n not in numbers]
        return tuple(numbers)


def _hotline(country: str, raw: dict[str, Any]) -> Hotline:
    return Hotline(
        country,
        str(raw["number"]),
        str(raw["kind"]),
        str(raw["name"]),
        str(raw["source"]),
        bool(raw["verified"]),
    )


@cache
def default_hotlines() -> HotlineBook:
    """The packaged hotline file, read once."""
    raw = resources.files("ctip.offers").joinpath("data/hotlines.json").read_text("utf-8")
    data = json.loads(raw)
    return HotlineBook(
        {c: tuple(_hotline(c, h) for h in rows) for c, rows in data["countries"].items()},
        dict(data["reader_country_by_language"]),
    )
