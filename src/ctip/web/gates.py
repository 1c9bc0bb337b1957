"""Role gates at route level: ``dependencies=[requires("screening.read")]`` refuses a role
that may not use a page or API route (403, a translated page or JSON) before anything else
runs — before the body is read and validated, so a forbidden role never gets a 422 that
describes the form. The abilities are the interface's own table (``web.render.ABILITIES``),
so a menu never links to a page that refuses its reader."""

from __future__ import annotations

from typing import Any

from fastapi import Depends

from ctip.auth.scope import Actor
from ctip.errors import PermissionDenied
from ctip.web.deps import ActorDep
from ctip.web.render import ABILITIES


def requires(action: str) -> Any:
    """A route dependency: the caller's role must have ``action`` in ``ABILITIES``."""
    roles = ABILITIES[action]

    def gate(actor: ActorDep) -> Actor:
        if actor.role == "viewer" and actor.role not in roles:
            raise PermissionDenied("your role sees aggregate figures only", role=actor.role)
        if actor.role not in roles:
            raise PermissionDenied("your role cannot do this", role=actor.role)
        return actor

    gate.__name__ = f"requires_{action.replace('.', '_')}"
    return Depends(gate)
