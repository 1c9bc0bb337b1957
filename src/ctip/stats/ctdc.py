"""Victim microdata in the layout of IOM's Counter Trafficking Data Collaborative (CTDC),
k-anonymous on its five quasi-identifiers.

One record per victim on a case (a person on two cases is two registrations, as in CTDC),
read through a scoped extract of plain columns only (sex, birth date or estimated age,
nationalities; the victim context; the case's year, types and countries) — nothing encrypted
is read. Codes map to CTDC's as documented in ``docs/publication.md``; flags are ``1`` or
empty, and a group is empty for a person who answered none of it.

k-anonymity: every combination of ``yearOfRegistration, gender, ageBroad, citizenship,
CountryOfExploitation`` must occur at least k times. The quasi-identifiers are generalised
first, one level at a time (the one with the most distinct values first, as in Sweeney's
Datafly): age bands → broader bands → child/adult, countries → Cambodia/region/"Other",
years → two-year then five-year ranges. When at most ``max_suppressed`` of the records sit
in groups below k, those records are suppressed (left out) and the share is reported.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from babel.core import get_global
from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_exact_figures, require_role, visible_participants
from ctip.cases.models import Case, CasePerson
from ctip.config import Settings
from ctip.errors import ValidationFailed
from ctip.persons.models import Person
from ctip.spreadsheets import csv_safe
from ctip.stats.disclosure import check_k
from ctip.stats.privacy import check_epsilon

QUASI = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation")
MEANS = {
    "meansDebtBondageEarnings": {"DebtBondage", "TakesEarnings", "RestrictsFinancialAccess"},
    "meansThreats": {"Threats", "ThreatOfLawEnforcement", "UsesChildren"},
    "meansAbusePsyPhySex": {"PsychologicalAbuse", "PhysicalAbuse", "SexualAbuse"},
    "meansFalsePromises": {"FalsePromises"},
    "meansDrugsAlcohol": {"PsychoactiveSubstances"},
    "meansDenyBasicNeeds": {"WithholdsNecessities", "RestrictsMedicalCare"},
    "meansExcessiveWorkHours": {"ExcessiveWorkingHours"},
    "meansWithholdDocs": {"WithholdsDocuments"},
}
EXPLOITATION = {
    "isForcedLabour": {"ForcedLabour", "ChildLabour"},
    "isSexualExploit": {"SexualExploitation"},
}
LABOUR = {
    "typeOfLabourAgriculture": {"Agriculture", "A_AgricultureForestryAndFishing"},
    "typeOfLabourConstruction": {"Construction", "F_Construction"},
    "typeOfLabourDomesticWork": {"DomesticWork", "T_ActivitiesOfHouseholdsAsEmployers"},
    "typeOfLabourHospitality": {"I_AccommodationAndFoodServiceActivities"},
}
SEX_TYPES = ("typeOfSexProstitution", "typeOfSexPornography")
RECRUITER = {
    "recruiterRelationIntimatePartner": set[str](),
    "recruiterRelationFriend": {"ThroughFriendsOrSocialEvents"},
    "recruiterRelationFamily": {"ThroughFamilyOrFamilyEvents"},
}
COLUMNS = (
    *QUASI,
    "traffickMonths",
    *MEANS,
    *EXPLOITATION,
    "isOtherExploit",
    *LABOUR,
    *SEX_TYPES,
    *RECRUITER,
    "recruiterRelationOther",
)
GENDER = {
    "Feminine": "Woman",
    "Masculine": "Man",
    "TransgenderFeminine": "Trans/Transgender/NonConforming",
    "TransgenderMasculine": "Trans/Transgender/NonConforming",
    "NonConforming": "Trans/Transgender/NonConforming",
}
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (8, "0-8"),
    (17, "9-17"),
    (20, "18-20"),
    (23, "21-23"),
    (26, "24-26"),
    (29, "27-29"),
    (38, "30-38"),
    (47, "39-47"),
)
BROAD_AGE = {"0-8": "0-17", "9-17": "0-17", "18-20": "18-29", "21-23": "18-29"}
BROAD_AGE |= {"24-26": "18-29", "27-29": "18-29", "30-38": "30-47", "39-47": "30-47"}
_DEPRECATED_ALPHA3 = frozenset({"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD"})
HOME = "KHM"
REGIONS = {
    "South-eastern Asia": {"THA", "VNM", "LAO", "MMR", "MYS", "IDN", "PHL", "SGP", "BRN", "TLS"},
    "Eastern Asia": {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "JPN", "MNG"},
    "Southern Asia": {"IND", "BGD", "PAK", "NPL", "LKA", "BTN", "MDV", "AFG", "IRN"},
}


@cache
def _alpha3_table() -> dict[str, str]:
    """ISO 3166-1 alpha-2 → alpha-3, from the CLDR territory aliases Babel ships."""
    out: dict[str, str] = {}
    for code3, targets in get_global("territory_aliases").items():
        if (
            re.fullmatch(r"[A-Z]{3}", code3)
            and len(targets) == 1
            and code3 not in _DEPRECATED_ALPHA3
        ):
            out.setdefault(targets[0], code3)
    return out


def alpha3(code: str | None) -> str:
    """``KH`` → ``KHM``; empty for an unknown or missing code."""
    return _alpha3_table().get((code or "").upper(), "")


def age_band(age: int | None) -> str:
    """CTDC's ``ageBroad`` band of an age in years (empty when unknown)."""
    if age is None or age < 0:
        return ""
    return next((band for top, band in AGE_BANDS if age <= top), "48+")


@dataclass(frozen=True)
class Victim:
    """The plain facts of one victim registration, as read from the registry."""

    opened_on: date
    gender: str
    date_of_birth: date | None
    estimated_age: int | None
    age_estimated_on: date | None
    nationalities: Sequence[str]
    exploitation_types: Sequence[str]
    forced_labour_subtype: str | None
    industry: str | None
    exploitation_countries: Sequence[str]
    methods_of_control: Sequence[str]
    recruitment_method: str | None

    @property
    def age(self) -> int | None:
        """Age at registration: from the birth date, else the estimate aged since it was made."""
        on = self.opened_on
        if self.date_of_birth is not None:
            born = self.date_of_birth
            return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        if self.estimated_age is None:
            return None
        since = (on - self.age_estimated_on).days // 365 if self.age_estimated_on else 0
        return self.estimated_age + max(since, 0)


def _flags(groups: dict[str, set[str]], values: set[str]) -> dict[str, str]:
    return {name: "1" if values & codes else "" for name, codes in groups.items()}


def ctdc_record(victim: Victim) -> dict[str, str]:
    """One victim as a CTDC row (all strings; flags ``1`` or empty)."""
    types = set(victim.exploitation_types)
    labour = {victim.forced_labour_subtype or "", victim.industry or ""} if types else set()
    method = victim.recruitment_method
    row = {
        "yearOfRegistration": str(victim.opened_on.year),
        "gender": GENDER.get(victim.gender, ""),
        "ageBroad": age_band(victim.age),
        "citizenship": alpha3(victim.nationalities[0]) if victim.nationalities else "",
        "CountryOfExploitation": alpha3(victim.exploitation_countries[0])
        if victim.exploitation_countries
        else "",
        "traffickMonths": "",
        **_flags(MEANS, set(victim.methods_of_control)),
        **_flags(EXPLOITATION, types),
        "isOtherExploit": "1" if types - set().union(*EXPLOITATION.values()) else "",
        **_flags(LABOUR, labour if types & EXPLOITATION["isForcedLabour"] else set()),
        **dict.fromkeys(SEX_TYPES, ""),
        **_flags(RECRUITER, {method} if method else set()),
        "recruiterRelationOther": "1"
        if method and method not in set().union(*RECRUITER.values())
        else "",
    }
    return row


# -- generalisation hierarchies: level 0 is the value itself, the last level is empty -------


def _country(value: str, level: int) -> str:
    if not value or level == 0:
        return value
    if level == 1:
        return (
            value
            if value == HOME
            else next((name for name, members in REGIONS.items() if value in members), "Other")
        )
    return (value if value == HOME else "Other") if level == 2 else ""


def _age(value: str, level: int) -> str:
    if not value or level == 0:
        return value
    if level == 1:
        return BROAD_AGE.get(value, value)
    return ("0-17" if value in ("0-8", "9-17") else "18+") if level == 2 else ""


def _year(value: str, level: int) -> str:
    if not value or level == 0:
        return value
    width = {1: 2, 2: 5}.get(level)
    if width is None:
        return ""
    start = int(value) - (int(value) % width)
    return f"{start}-{start + width - 1}"


def _gender(value: str, level: int) -> str:
    return value if level == 0 else ""


HIERARCHY: dict[str, tuple[Callable[[str, int], str], int]] = {
    "yearOfRegistration": (_year, 3),
    "gender": (_gender, 1),
    "ageBroad": (_age, 3),
    "citizenship": (_country, 3),
    "CountryOfExploitation": (_country, 3),
}


@dataclass
class Anonymised:
    """The k-anonymous records, the generalisation levels used and what was suppressed."""

    records: list[dict[str, str]]
    k: int
    levels: dict[str, int]
    total: int
    suppressed: int
    distinct: dict[str, int] = field(default_factory=dict)

    @property
    def share_suppressed(self) -> float:
        return self.suppressed / self.total if self.total else 0.0


def _generalise(records: Sequence[dict[str, str]], levels: dict[str, int]) -> list[dict[str, str]]:
    out = []
    for rec in records:
        row = dict(rec)
        for name, level in levels.items():
            row[name] = HIERARCHY[name][0](rec[name], level)
        out.append(row)
    return out


def _small(records: Sequence[dict[str, str]], k: int) -> int:
    counts = Counter(tuple(r[q] for q in QUASI) for r in records)
    return sum(n for n in counts.values() if n < k)


def anonymise(
    records: Sequence[dict[str, str]], k: int = 11, *, max_suppressed: float = 0.05
) -> Anonymised:
    """Generalise the quasi-identifiers until at most ``max_suppressed`` of the records are in
    groups smaller than k (or nothing is left to generalise), then drop those records."""
    check_k(k)
    levels = dict.fromkeys(QUASI, 0)
    current = list(records)
    while current and _small(current, k) > max_suppressed * len(current):
        open_ = [q for q in QUASI if levels[q] < HIERARCHY[q][1]]
        if not open_:
            break
        widest = max(open_, key=lambda q: len({r[q] for r in current}))
        levels[widest] += 1
        current = _generalise(records, levels)
    counts = Counter(tuple(r[q] for q in QUASI) for r in current)
    kept = [r for r in current if counts[tuple(r[q] for q in QUASI)] >= k]
    distinct = {q: len({r[q] for r in kept}) for q in QUASI}
    return Anonymised(kept, k, levels, len(records), len(records) - len(kept), distinct)


def to_csv(records: Iterable[dict[str, str]]) -> str:
    """CTDC's column order, one header row; cells that a spreadsheet would run are defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rec in records:
        writer.writerow([csv_safe(rec.get(c, "")) for c in COLUMNS])
    return buffer.getvalue()


# -- the scoped extract and the export -------------------------------------------------------


def victims(session: Session, *, actor: Actor, years: Sequence[int] | None = None) -> list[Victim]:
    """Victim registrations the actor may see, plain columns only (nothing decrypted)."""
    c, cp, p = Case.__table__.c, CasePerson.__table__.c, Person.__table__.c
    query = (
        select(
            c.opened_on,
            p.gender,
            p.date_of_birth,
            p.estimated_age,
            p.age_estimated_on,
            p.nationalities,
            c.exploitation_types,
            c.forced_labour_subtype,
            c.industry,
            c.exploitation_countries,
            cp.methods_of_control,
            cp.recruitment_method,
        )
        .select_from(CasePerson.__table__.join(Case.__table__).join(Person.__table__))
        .where(cp.role == "victim", visible_participants(actor))
        .order_by(cp.id)
    )
    if years:
        query = query.where(c.year.in_(list(years)))
    return [Victim(**row._mapping) for row in session.execute(query)]


def export(
    session: Session,
    *,
    actor: Actor,
    k: int,
    years: Sequence[int] | None = None,
    max_suppressed: float = 0.05,
) -> Anonymised:
    """The CTDC file of the victims in the actor's scope, k-anonymous; audited."""
    check_k(k)
    require_exact_figures(actor)  # microdata are for roles that read cases
    result = anonymise(
        [ctdc_record(v) for v in victims(session, actor=actor, years=years)],
        k,
        max_suppressed=max_suppressed,
    )
    scope = actor.province if actor.role == "provincial_officer" else actor.role
    record(
        session,
        actor=actor,
        action="export.ctdc",
        detail=f"scope={scope} years={','.join(map(str, years or [])) or 'all'} k={k} "
        f"rows={len(result.records)} suppressed={result.suppressed}/{result.total} "
        f"levels={','.join(str(result.levels[q]) for q in QUASI)}",
    )
    return result


# -- differentially private synthetic microdata (pac-synth, optional) ------------------------


# Share of ε spent on the noisy number of records (pac-synth's default, 0.5 %, leaves so much
# noise that a small registry's count can come out negative, which pac-synth refuses).
RECORDS_EPSILON_SHARE = 0.1


def synthesise(
    records: Sequence[dict[str, str]], *, epsilon: float, reporting_length: int = 3
) -> list[dict[str, str]]:
    """Synthetic records in CTDC's layout from DP aggregates of every combination of up to
    ``reporting_length`` attributes (Microsoft's synthetic-data-showcase via pac-synth;
    combinations whose noisy count is too small are not reproduced). Pure: no registry."""
    try:
        from pacsynth import Dataset, DpAggregateSeededParametersBuilder
        from pacsynth import DpAggregateSeededSynthesizer as Synthesizer
    except ImportError:  # pragma: no cover - the optional extra "synth"
        raise ValidationFailed.single("synthetic", "pac-synth is not installed (extra: synth)")
    if not records:
        return []
    raw = [list(COLUMNS)] + [[rec.get(c, "") for c in COLUMNS] for rec in records]
    params = (
        DpAggregateSeededParametersBuilder()
        .reporting_length(reporting_length)
        .epsilon(epsilon)
        .number_of_records_epsilon_proportion(RECORDS_EPSILON_SHARE)
        .build()
    )
    synthesizer = Synthesizer(params)
    try:
        synthesizer.fit(Dataset(raw))
        rows = synthesizer.sample()
    except BaseException as exc:  # pac-synth's Rust panics are not Exceptions
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise ValidationFailed.single(
            "synthetic", "too few records to synthesise; use a larger ε or more years"
        )
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def export_synthetic(
    session: Session,
    *,
    actor: Actor,
    settings: Settings,
    epsilon: float | None = None,
    years: Sequence[int] | None = None,
) -> tuple[list[dict[str, str]], int]:
    """National DP synthetic microdata (secretariat); each year of data covered spends ε of
    its budget (the years hold disjoint records). Returns the records and the real count."""
    from ctip.stats.publication_service import PUBLISHERS, spend_budget

    require_role(actor, *PUBLISHERS)
    eps = settings.privacy_epsilon if epsilon is None else epsilon
    check_epsilon(eps)
    real = [ctdc_record(v) for v in victims(session, actor=actor, years=years)]
    covered = sorted({int(r["yearOfRegistration"]) for r in real})
    spend_budget(
        session,
        actor=actor,
        settings=settings,
        years=covered,
        epsilon=eps,
        title="CTDC synthetic microdata",
    )
    synthetic = synthesise(real, epsilon=eps)
    record(
        session,
        actor=actor,
        action="export.ctdc",
        detail=f"synthetic epsilon={eps:g} years={','.join(map(str, covered)) or '-'} "
        f"real={len(real)} synthetic={len(synthetic)}",
    )
    return synthetic, len(real)
