"""Persons already in the registry who are likely the person of an import row.

By blind index only: the same identifier (phone, e-mail, passport, national ID in any
format) or the same full name (either order). Candidates are filtered by
``visible_persons(actor)`` before anything is returned, so an import never tells anyone
whether a person exists outside their scope. Matches are reported, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor, visible_persons
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
    reason: str  # identifier | name


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


def _visible(session: Session, actor: Actor, candidates: list[int]) -> dict[int, Person]:
    visible: dict[int, Person] = {}
    for chunk in chunks(candidates):
        for person in session.scalars(
            select(Person).where(Person.id.in_(chunk), visible_persons(actor))
        ):
            visible[person.id] = person
    return visible
