"""Incremental matching of one person against the resolved population (no retraining)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.identifiers.models import Identifier
from ctip.persons.models import PersonNameKey

CANDIDATE_KINDS = ("full",)
MAX_CANDIDATES = 200


def candidate_ids(session: Session, *, person_id: int) -> set[int]:
    """Persons sharing a full-name form or an identifier with ``person_id`` (blind indexes)."""
    names = select(PersonNameKey.digest).where(
        PersonNameKey.person_id == person_id, PersonNameKey.kind.in_(CANDIDATE_KINDS)
    )
    idents = select(Identifier.digest).where(
        Identifier.person_id == person_id, Identifier.valid.is_(True)
    )
    by_name = session.scalars(
        select(PersonNameKey.person_id)
        .where(PersonNameKey.digest.in_(names), PersonNameKey.person_id != person_id)
        .distinct()
        .limit(MAX_CANDIDATES)
    )
    by_ident = session.scalars(
        select(Identifier.person_id)
        .where(
            Identifier.digest.in_(idents),
            Identifier.person_id.is_not(None),
            Identifier.person_id != person_id,
        )
        .distinct()
        .limit(MAX_CANDIDATES)
    )
    return {int(i) for i in by_name} | {int(i) for i in by_ident if i is not None}


def match_one(session: Session, *, person_id: int) -> list[tuple[int, float]]:
    """(other person id, probability) of the candidates, best first (provisional scoring)."""
    idents = select(Identifier.digest).where(
        Identifier.person_id == person_id, Identifier.valid.is_(True)
    )
    shared = set(
        session.scalars(
            select(Identifier.person_id).where(
                Identifier.digest.in_(idents), Identifier.person_id != person_id
            )
        )
    )
    scored = [
        (pid, 0.95 if pid in shared else 0.6) for pid in candidate_ids(session, person_id=person_id)
    ]
    return sorted(scored, key=lambda item: (-item[1], item[0]))
