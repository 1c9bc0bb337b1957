"""Saved column mappings, and the namespace a batch's keys and mappings live in.

A mapping (column → HTCDS field) is saved once per office under a name and reused for the
next file of that kind. The namespace is the province, and the agency for investigators, so
one office's source keys and mappings never meet another office's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_case_writer
from ctip.errors import ValidationFailed
from ctip.imports.models import SavedMapping

CHUNK = 500


def namespace_of(actor: Actor, province: str) -> str:
    """Whose records a source key can match: the province, and the agency for investigators."""
    if actor.role == "investigator" and actor.organisation_id is not None:
        return f"{province}/org{actor.organisation_id}"
    return province


def chunks(items: list[Any]) -> Iterator[list[Any]]:
    """``items`` in slices small enough for an ``IN (...)`` on every engine."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def load_mapping(session: Session, *, actor: Actor, name: str, province: str) -> dict[str, str]:
    """The columns of the office's mapping called ``name``."""
    found = session.scalar(
        select(SavedMapping).where(
            SavedMapping.name == name, SavedMapping.namespace == namespace_of(actor, province)
        )
    )
    if found is None:
        raise ValidationFailed.single("mapping", "no saved mapping named %(name)s", name=name)
    return dict(found.columns)


def save_mapping(
    session: Session, *, actor: Actor, name: str, province: str, columns: dict[str, str]
) -> SavedMapping:
    """Store (or replace) a column mapping under ``name`` for the actor's office."""
    require_case_writer(actor)
    name = name.strip()
    if not name:
        raise ValidationFailed.single("mapping", "required")
    space = namespace_of(actor, province)
    found = session.scalar(
        select(SavedMapping).where(SavedMapping.name == name, SavedMapping.namespace == space)
    )
    if found is None:
        found = SavedMapping(name=name, namespace=space, created_by_id=actor.id)
        session.add(found)
    found.columns = {k: v for k, v in columns.items() if v}
    session.flush()
    record(
        session,
        actor=actor,
        action="import.mapping_save",
        entity_type="import_mapping",
        entity_id=found.id,
        detail=name,
        after={"columns": found.columns},
    )
    return found
