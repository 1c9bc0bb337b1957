"""Factories for case tests: cases recorded through the real service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ctip.auth.scope import SYSTEM, Actor
from ctip.cases import service
from ctip.cases.models import Case
from ctip.cases.schemas import CaseIn
from ctip.persons import service as persons
from ctip.persons.models import Person
from ctip.persons.schemas import PersonIn


@pytest.fixture
def make_case(db: Session) -> Callable[..., Case]:
    def factory(actor: Actor = SYSTEM, **fields: Any) -> Case:
        values: dict[str, Any] = {
            "title": "Scam compound rescue",
            "province": "KH-12",
            "opened_on": date(2024, 1, 31),
            "exploitation_types": ["ForcedLabour"],
        }
        values.update(fields)
        case = service.create(db, actor=actor, data=CaseIn(**values))
        db.flush()
        return case

    return factory


@pytest.fixture
def make_person(db: Session) -> Callable[..., Person]:
    def factory(actor: Actor = SYSTEM, **fields: Any) -> Person:
        values: dict[str, Any] = {
            "given_name": "Sokha",
            "family_name": "Chea",
            "sex": "F",
            "nationalities": ["KH"],
        }
        values.update(fields)
        return persons.create(db, actor=actor, data=PersonIn(**values))

    return factory
