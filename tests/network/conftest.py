"""Demo data for the network tests: a small seeded load, and its users as actors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.auth.models import User
from ctip.auth.scope import Actor
from ctip.auth.service import actor_for
from ctip.cases.models import CasePerson
from ctip.config import Settings
from ctip.demo.loader import load

DEMO_CASES = 120


@pytest.fixture
def demo(db: Session, settings: Settings) -> Session:
    load(db, cases=DEMO_CASES, seed=2024, settings=settings)
    db.flush()
    return db


@pytest.fixture
def demo_actor(demo: Session) -> Callable[[str], Actor]:
    def factory(username: str) -> Actor:
        user = demo.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user, "127.0.0.1")

    return factory


@pytest.fixture
def busy_broker(demo: Session, demo_actor: Callable[[str], Actor]) -> int:
    """A broker the demo investigator may see, on the most cases."""
    from ctip.auth.scope import visible_participants

    investigator = demo_actor("investigator")
    row = demo.execute(
        select(CasePerson.person_id, func.count(CasePerson.case_id).label("n"))
        .where(CasePerson.role == "broker", visible_participants(investigator))
        .group_by(CasePerson.person_id)
        .order_by(func.count(CasePerson.case_id).desc(), CasePerson.person_id)
        .limit(1)
    ).one()
    return int(row.person_id)
