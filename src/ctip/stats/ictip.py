"""Tables aligned with the International Classification for Statistics on Trafficking in
Persons (IC-TIP, IOM and UNODC), where CTIP's codes map onto its categories.

Two tables of victim registrations (the same scoped, plain-column extract as the CTDC export):
victims by sex and age group × form of exploitation, and by citizenship (national or foreign)
× sex and age group. The mapping, and what does not map, is in ``docs/publication.md``; the
category names here are CTIP's labels for IC-TIP's categories, not official code values.

Readers of cases get exact figures for their scope (a provincial officer: their province);
a viewer gets the national tables with cell suppression (k); ``k`` protects anyone's file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import SYSTEM, Actor
from ctip.stats.ctdc import Victim, victims
from ctip.stats.disclosure import check_k, suppress_tables
from ctip.stats.tables import Table

SEX_AGE = ("women", "men", "girls", "boys", "other_or_unknown")
FORMS = (
    "sexual_exploitation",
    "forced_labour",
    "forced_criminality",
    "slavery_or_servitude",
    "forced_marriage",
    "begging",
    "organ_removal",
    "illegal_adoption",
    "other",
)
CITIZENSHIP = ("national", "foreign", "unknown")
HOME = "KH"
# HTCDS exploitation type → IC-TIP form (forced labour splits by sub-type).
FORM_OF = {
    "SexualExploitation": "sexual_exploitation",
    "ForcedLabour": "forced_labour",
    "ChildLabour": "forced_labour",
    "Servitude": "slavery_or_servitude",
    "ForcedMarriage": "forced_marriage",
    "ForcedBegging": "begging",
    "OrganRemoval": "organ_removal",
    "ForcedAdoption": "illegal_adoption",
    "ForcedMilitaryByNonStateActors": "other",
    "Surrogacy": "other",
    "Other": "other",
}
FORMATS = ("csv", "json")


def sex_age(victim: Victim) -> str:
    """Women, men, girls or boys (adult from 18), else other or unknown."""
    age = victim.age
    if victim.gender not in ("Feminine", "Masculine") or age is None:
        return "other_or_unknown"
    adult = age >= 18
    if victim.gender == "Feminine":
        return "women" if adult else "girls"
    return "men" if adult else "boys"


def forms(victim: Victim) -> set[str]:
    """The IC-TIP forms of exploitation of a victim's case (several for a mixed case)."""
    out = set()
    for code in victim.exploitation_types:
        form = FORM_OF.get(code, "other")
        if (
            form == "forced_labour"
            and victim.forced_labour_subtype == "ForcedCriminalityOnlineScam"
        ):
            form = "forced_criminality"
        out.add(form)
    return out


def citizenship(victim: Victim) -> str:
    if not victim.nationalities:
        return "unknown"
    return "national" if HOME in victim.nationalities else "foreign"


def _table(
    key: str,
    title: str,
    row_dim: str,
    col_dim: str,
    rows: Sequence[str],
    cols: Sequence[str],
    pairs: Counter[tuple[str, str]],
    row_units: Counter[str],
    col_units: Counter[str],
    total: int,
) -> Table:
    return Table(
        key=key,
        title_msgid=title,
        unit="persons",
        row_dim=row_dim,
        col_dim=col_dim,
        rows=list(rows),
        columns=list(cols),
        cells=[[pairs[(r, c)] for c in cols] for r in rows],
        row_totals=[row_units[r] for r in rows],
        col_totals=[col_units[c] for c in cols],
        total=total,
        additive=sum(pairs.values()) == total,
    )


def tables(registrations: Sequence[Victim]) -> list[Table]:
    """The two IC-TIP-aligned tables of a list of victim registrations (pure)."""
    by_form: Counter[tuple[str, str]] = Counter()
    form_units: Counter[str] = Counter()
    sex_units: Counter[str] = Counter()
    by_citizenship: Counter[tuple[str, str]] = Counter()
    citizenship_units: Counter[str] = Counter()
    answered = 0
    for victim in registrations:
        group = sex_age(victim)
        sex_units[group] += 1
        found = forms(victim)
        answered += bool(found)
        for form in found:
            by_form[(group, form)] += 1
            form_units[form] += 1
        by_citizenship[(citizenship(victim), group)] += 1
        citizenship_units[citizenship(victim)] += 1
    answered_by_group: Counter[str] = Counter(
        sex_age(v) for v in registrations if v.exploitation_types
    )
    return [
        _table(
            "ictip.victims_by_sex_age_and_form",
            "Victims by sex and age and form of exploitation (IC-TIP)",
            "ictip_sex_age",
            "ictip_form",
            SEX_AGE,
            FORMS,
            by_form,
            answered_by_group,
            form_units,
            answered,
        ),
        _table(
            "ictip.victims_by_citizenship",
            "Victims by citizenship and sex and age (IC-TIP)",
            "ictip_citizenship",
            "ictip_sex_age",
            CITIZENSHIP,
            SEX_AGE,
            by_citizenship,
            citizenship_units,
            sex_units,
            len(registrations),
        ),
    ]


def to_csv(items: Sequence[Table]) -> str:
    """Long format: one line per table, row, column and figure (empty when suppressed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in items:
        for row, column, value in table.records():
            writer.writerow([table.key, row, column, "" if value is None else value])
        for row, value in zip(table.rows, table.row_totals, strict=True):
            writer.writerow([table.key, row, "total", "" if value is None else value])
        for column, value in zip(table.columns, table.col_totals, strict=True):
            writer.writerow([table.key, "total", column, "" if value is None else value])
        writer.writerow([table.key, "total", "total", "" if table.total is None else table.total])
    return buffer.getvalue()


def export(
    session: Session, *, actor: Actor, years: Sequence[int] | None, k: int | None, default_k: int
) -> list[Table]:
    """The IC-TIP-aligned tables within the actor's scope (viewers: national, suppressed)."""
    reader = actor
    if actor.role == "viewer":
        reader, k = SYSTEM, max(k or default_k, default_k)
    if k is not None:
        check_k(k)
    result = tables(victims(session, actor=reader, years=years))
    if k is not None:
        result = [t for t, _ in suppress_tables(result, k)]
    scope = actor.province if actor.role == "provincial_officer" else actor.role
    record(
        session,
        actor=actor,
        action="export.ictip",
        detail=f"scope={scope} years={','.join(map(str, years or [])) or 'all'} "
        f"protection={'k=' + str(k) if k else 'exact'}",
    )
    return result
