"""Persons already in the registry who are likely the person of an import row.

Two ways, both filtered by ``visible_persons(actor)`` before anything is returned, so an
import never tells anyone whether a person exists outside their scope:

- **exact, by blind index**: the same identifier (phone, e-mail, passport, national ID in any
  format) or the same full name (either order);
- **probable, by the linkage model** (when a linkage run with a model is in force): each row's
  person is written in a savepoint exactly as the import would write it, scored with
  ``ctip.linkage.service.match_new_person`` (candidates by blind index, the stored Splink
  model, no retraining), and the savepoint is rolled back — nothing stays written. The first
  ``LINKAGE_ROWS`` (200) valid rows of a preview are scored; later rows get the exact index.

Matches are reported, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor, visible_persons
from ctip.errors import DomainError
from ctip.identifiers import service as identifiers
from ctip.identifiers.models import Identifier
from ctip.imports.mappings import chunks
from ctip.imports.plan import RowPlan
from ctip.persons import service as persons
from ctip.persons.models import Person, PersonNameKey
from ctip.persons.names import name_keys
from ctip.security import keyring


@dataclass(frozen=True)
class Match:
    """A person in the importer's scope who is likely the person of a row."""

    person_id: int
    name: str
    reason: str  # identifier | name | linkage
    probability: float | None = None  # the linkage model's, when it scored the pair


# Rows per preview scored by the linkage model: each row with candidates costs about 40 ms
# (decrypting the candidates and one Splink scoring call; measured on 400 demo cases), so
# 200 rows add about 8 s to a preview. Later rows get the exact index only.
LINKAGE_ROWS = 200


def _digests(row: RowPlan) -> tuple[list[str], list[str]]:
    ring = keyring()
    person = row.person
    names = [
        ring.blind_index("name:full", form)
        for kind, form in name_keys(
            person.get("given_name"), person.get("family_name"), person.get("name_km")
        )
        if kind == "full" and " " in form
    ]
    ids = [identifiers.digest_of(i.purpose, i.form) for i in row.identifiers]
    return names, ids


def _holders(
    session: Session, column: Any, digest_column: Any, digests: list[str], extra: Any = None
) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for chunk in chunks(digests):
        query = select(digest_column, column).where(digest_column.in_(chunk), column.is_not(None))
        if extra is not None:
            query = query.where(extra)
        for digest, person_id in session.execute(query):
            out.setdefault(digest, set()).add(person_id)
    return out


def likely_same(
    session: Session, *, actor: Actor, rows: list[RowPlan], known: dict[int, int | None]
) -> dict[int, list[Match]]:
    """Exact matches by blind index and probable ones by the linkage model, per row number
    (a person found both ways is reported once, with the model's probability)."""
    exact = exact_matches(session, actor=actor, rows=rows, known=known)
    probable = linkage_matches(session, actor=actor, rows=rows, known=known)
    out: dict[int, list[Match]] = {}
    for number in sorted(set(exact) | set(probable)):
        scores = {m.person_id: m for m in probable.get(number, [])}
        merged = [
            replace(m, probability=scores.pop(m.person_id).probability)
            if m.person_id in scores
            else m
            for m in exact.get(number, [])
        ]
        merged += sorted(scores.values(), key=lambda m: (-(m.probability or 0), m.person_id))
        out[number] = merged
    return out


def exact_matches(
    session: Session, *, actor: Actor, rows: list[RowPlan], known: dict[int, int | None]
) -> dict[int, list[Match]]:
    """Per valid row number, the persons in the actor's scope likely the same as its person.
    ``known`` maps a row already imported to the person it became (never reported as a
    match of its own row), and persons imported from this file are not matches at all."""
    rows = [r for r in rows if r.valid and not r.case_only]
    wanted = {r.number: _digests(r) for r in rows}
    names = _holders(
        session,
        PersonNameKey.person_id,
        PersonNameKey.digest,
        sorted({d for n, _ in wanted.values() for d in n}),
        PersonNameKey.kind == "full",
    )
    ids = _holders(
        session,
        Identifier.person_id,
        Identifier.digest,
        sorted({d for _, i in wanted.values() for d in i}),
    )
    visible = _visible(
        session, actor, sorted({p for s in (*names.values(), *ids.values()) for p in s})
    )
    own = {pid for pid in known.values() if pid is not None}
    out: dict[int, list[Match]] = {}
    for row in rows:
        name_digests, id_digests = wanted[row.number]
        found: dict[int, str] = {}
        for digest in id_digests:
            for pid in ids.get(digest, ()):
                found.setdefault(pid, "identifier")
        for digest in name_digests:
            for pid in names.get(digest, ()):
                found.setdefault(pid, "name")
        hits = [
            Match(pid, persons.display_name(visible[pid]), reason)
            for pid, reason in sorted(found.items())
            if pid in visible and pid not in own
        ]
        if hits:
            out[row.number] = hits
    return out


def linkage_matches(
    session: Session, *, actor: Actor, rows: list[RowPlan], known: dict[int, int | None]
) -> dict[int, list[Match]]:
    """Per row number, the persons in the actor's scope the linkage model finds probably the
    same as the row's person (probability ≥ the model's floor). Nothing stays written."""
    from ctip.linkage.service import current_run, match_new_person

    run = current_run(session)
    if run is None or not run.model_version:
        return {}
    rows = [r for r in rows if r.valid and not r.case_only][:LINKAGE_ROWS]
    own = {pid for pid in known.values() if pid is not None}
    scored: dict[int, list[tuple[int, float]]] = {}
    savepoint = session.begin_nested()
    try:
        temporary = _write_temporarily(session, actor, rows)
        mine = set(temporary.values())
        for number, person_id in temporary.items():
            found = [
                (other, p)
                for other, p in match_new_person(session=session, person_id=person_id)
                if other not in mine and other not in own
            ]
            if found:
                scored[number] = found
    finally:
        savepoint.rollback()
    visible = _visible(session, actor, sorted({o for found in scored.values() for o, _ in found}))
    out: dict[int, list[Match]] = {}
    for number, found in scored.items():
        hits = [
            Match(other, persons.display_name(visible[other]), "linkage", round(p, 4))
            for other, p in found
            if other in visible
        ]
        if hits:
            out[number] = hits
    return out


def _write_temporarily(session: Session, actor: Actor, rows: list[RowPlan]) -> dict[int, int]:
    """Each row's person and identifiers as the import would write them (inside the caller's
    savepoint): row number → person id."""
    from datetime import date

    from ctip.imports.bulk import _identifiers, _person

    people: dict[int, Person] = {}
    for row in rows:
        try:
            people[row.number] = _person(actor, row, row.province or "", date.today())
        except DomainError:
            continue
    session.add_all(people.values())
    session.flush()
    for row in rows:
        if row.number in people:
            session.add_all(_identifiers(actor, row, people[row.number].id))
    session.flush()
    return {number: person.id for number, person in people.items()}


def _visible(session: Session, actor: Actor, candidates: list[int]) -> dict[int, Person]:
    visible: dict[int, Person] = {}
    for chunk in chunks(candidates):
        for person in session.scalars(
            select(Person).where(Person.id.in_(chunk), visible_persons(actor))
        ):
            visible[person.id] = person
    return visible
