"""Whose identifiers a reader is shown: an NGO case worker sees the identifiers of the
victims referred to their organisation only. Written once as a clause that the case page
(on its case), the network, its exports and the dossier follow (``identifiers_shown``), and
the person page and identifier search widen by the persons the reader recorded
(``person_identifiers_shown``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, true
from sqlalchemy.orm import aliased

from ctip.auth.scope import OPEN_REFERRAL, Actor
from ctip.persons.models import Person
from ctip.referrals.models import Referral

# The holder's own row, apart from a ``Person`` the outer query may already read.
_HOLDER = aliased(Person, name="holder")


def identifiers_shown(actor: Actor, holder: Any, case_id: Any = None) -> ColumnElement[bool]:
    """WHERE clause on an identifier's holder (``Identifier.person_id``): the persons whose
    identifiers the actor sees. An NGO case worker sees only those of the persons referred
    (pending or accepted) to their organisation — on ``case_id`` when given (the case page),
    on any case otherwise (the network, its exports and the dossier) — not every victim's
    passport and phone. ``case_id`` is an id or a ``bindparam`` standing for one."""
    if actor.is_national or actor.sees_offenders:
        return true()
    referred = [
        Referral.person_id == holder,
        Referral.to_org_id == actor.organisation_id,
        Referral.status.in_(OPEN_REFERRAL),
    ]
    if case_id is not None:
        referred.append(Referral.case_id == case_id)
    return exists().where(*referred)


def person_identifiers_shown(actor: Actor, holder: Any) -> ColumnElement[bool]:
    """WHERE clause on an identifier's holder for a person's own page and identifier list:
    ``identifiers_shown`` on any case, or a person the actor's organisation (or the actor)
    recorded. The person page showed an NGO case worker every identifier of any victim on a
    case referred to them, so the case page's rule was one click away."""
    if actor.is_national or actor.sees_offenders:
        return true()
    owned = [_HOLDER.created_by_id == actor.id] if actor.id is not None else []
    if actor.organisation_id is not None:
        owned.append(_HOLDER.owner_org_id == actor.organisation_id)
    recorded = exists().where(_HOLDER.id == holder, or_(false(), *owned))
    return or_(recorded, identifiers_shown(actor, holder))
