"""Configurable entry wages per role and country, and reference exchange rates.

The salary-plausibility cue (C1) asks "is this pay far above what a first job of this
kind pays where the work is?". The figures live in ``data/wages.json`` so that hotline
staff or analysts can change them without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

ROLE_GROUPS = ("office", "factory", "hospitality", "general")


@dataclass(frozen=True)
class WageTable:
    """Entry wages (US$/month) by country and role group, plus US$ per unit of currency."""

    entry_wage: dict[str, dict[str, float]]
    usd_per_unit: dict[str, float]
    factor: float = 2.0
    as_of: str = ""
    _unknown: frozenset[str] = field(default=frozenset(), repr=False)

    def usd_rate(self, currency: str) -> float:
        """US$ per unit of ``currency``; unknown currencies are read as US$."""
        return self.usd_per_unit.get(currency.upper(), 1.0)

    def entry(self, country: str, role: str) -> float:
        """Entry wage for a role group in a country (Cambodia when the country is unknown)."""
        by_role = self.entry_wage.get(country) or self.entry_wage["KH"]
        return float(by_role.get(role, by_role["general"]))

    def implausible(self, usd_month: float, country: str, role: str) -> bool:
        """True when the pay is at least ``factor`` times the entry wage."""
        return usd_month >= self.factor * self.entry(country, role)


def load_wage_table(path: Path | None = None) -> WageTable:
    """Read a wage table from JSON (the packaged one when ``path`` is None)."""
    if path is None:
        raw = resources.files("ctip.offers").joinpath("data/wages.json").read_text("utf-8")
    else:
        raw = path.read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return WageTable(
        entry_wage={
            c: {r: float(v) for r, v in roles.items()}
            for c, roles in data["entry_wage_usd_month"].items()
        },
        usd_per_unit={k: float(v) for k, v in data["usd_per_unit"].items()},
        factor=float(data.get("factor", 2.0)),
        as_of=str(data.get("as_of", "")),
    )


@lru_cache(maxsize=1)
def default_wage_table() -> WageTable:
    """The packaged wage table, read once."""
    return load_wage_table()
