"""Whose identifiers a reader is shown: the case page's rule (an NGO case worker sees the
identifiers of the victims referred to their organisation only), written once as a clause so
the network, its exports and the dossier follow it (see ``identifiers_shown``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, true

from ctip.auth.scope import OPEN_REFERRAL, Actor
from ctip.referrals.models import Referral


def identifiers_shown(actor: Actor, holder: Any, case_id: int | None = None) -> ColumnElement[bool]:
    """WHERE clause on an identifier's holder (``Identifier.person_id``): the persons whose
    identifiers the actor sees. An NGO case worker sees only those of the persons referred
    (pending or accepted) to their organisation — on ``case_id`` when given (the case page),
    on any case otherwise (the network, its exports and the dossier) — not every victim's
    passport and phone."""
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
