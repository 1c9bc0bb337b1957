"""The built network of a scope, kept in this process while the registry is unchanged.

Building a reader's network costs time in proportion to their scope; most page views follow
each other with nothing changed. A built :class:`Network` is kept per database and scope
(role, province, organisation) together with a fingerprint of the registry — counts and
newest ids or change times of every table the network or the scope rules read, in one
query — and is used again only while the fingerprint is the same, so a change made by any
process (a new role, a closed referral, a new share, a linkage run, an identifier value
corrected in place) is seen at once. Timeline events are never edited in CTIP (they are
appended, and removed only with their case), so their count and newest id cover them; an
edit path for events would need a change time here too.

Nothing decrypted is kept: labels are filled on copies of the nodes a view shows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctip.auth.scope import Actor
from ctip.cases.models import Case, CaseEvent, CasePerson, CaseShare
from ctip.identifiers.models import Identifier
from ctip.network.graph import Network
from ctip.orgs.models import Location, Organisation
from ctip.referrals.models import Referral

MAX_ENTRIES = 4
_lock = threading.Lock()
_entries: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Network]] = OrderedDict()


def _linkage_columns() -> list[Any]:
    try:
        from ctip.linkage.models import LinkDecision, LinkRun
    except ModuleNotFoundError as exc:  # the linkage part is optional
        if exc.name and exc.name.startswith("ctip.linkage"):
            return []
        raise
    return [
        select(func.count(LinkRun.id)).scalar_subquery(),
        select(func.max(LinkRun.finished_at)).scalar_subquery(),
        select(func.count(LinkDecision.id)).scalar_subquery(),
        select(func.max(LinkDecision.decided_at)).scalar_subquery(),
    ]


def fingerprint(session: Session) -> tuple[Any, ...]:
    """What the network and the scope rules read, summed up in one row."""
    columns = [
        select(func.count(Case.id)).scalar_subquery(),
        select(func.max(Case.updated_at)).scalar_subquery(),
        select(func.count(CasePerson.id)).scalar_subquery(),
        select(func.max(CasePerson.updated_at)).scalar_subquery(),
        select(func.count(Identifier.id)).scalar_subquery(),
        select(func.max(Identifier.id)).scalar_subquery(),
        # A value corrected in place keeps the count and the newest id: its change time
        # is what moves.
        select(func.max(Identifier.updated_at)).scalar_subquery(),
        select(func.count(CaseEvent.id)).scalar_subquery(),
        select(func.max(CaseEvent.id)).scalar_subquery(),
        select(func.count(CaseShare.id)).scalar_subquery(),
        select(func.max(CaseShare.id)).scalar_subquery(),
        select(func.count(Referral.id)).scalar_subquery(),
        select(func.max(Referral.updated_at)).scalar_subquery(),
        select(func.count(Organisation.id)).scalar_subquery(),
        select(func.max(Organisation.updated_at)).scalar_subquery(),
        select(func.count(Location.id)).scalar_subquery(),
        select(func.max(Location.id)).scalar_subquery(),
        *_linkage_columns(),
    ]
    return tuple(session.execute(select(*columns)).one())


def scope_key(session: Session, actor: Actor) -> tuple[Any, ...]:
    """The database and everything the scope rules read from the actor."""
    bind = session.get_bind()
    return (id(bind), str(bind.engine.url), actor.role, actor.province, actor.organisation_id)


def network_for(session: Session, actor: Actor, build: Callable[[], Network]) -> Network:
    """The actor's built network: kept from an earlier request while nothing changed, else
    ``build()`` (and kept)."""
    key = scope_key(session, actor)
    mark = fingerprint(session)
    with _lock:
        found = _entries.get(key)
        if found is not None and found[0] == mark:
            _entries.move_to_end(key)
            return found[1]
    net = build()
    with _lock:
        _entries[key] = (mark, net)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return net


def clear() -> None:
    with _lock:
        _entries.clear()
