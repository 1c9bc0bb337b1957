"""Request dependencies shared by every view: the database session, the actor, CSRF."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ctip.audit.service import DEFERRED, write_deferred
from ctip.auth import sessions
from ctip.auth.models import User
from ctip.auth.scope import Actor
from ctip.auth.service import actor_for, user_for_token
from ctip.config import Settings
from ctip.errors import AuthenticationFailed, DomainError
from ctip.web.proxy import client_address


class LoginRequired(DomainError):
    """A page needs a logged-in user (pages redirect to the log-in form)."""


class CsrfFailed(DomainError):
    """A form came without the session's CSRF token."""


READ_METHODS = frozenset({"GET", "HEAD"})


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, or rolled back.

    Reads use plain sessions; changes use writer sessions. On SQLite a read's audit entries
    are written just after it in a short write transaction, still before the response.
    """
    state = request.app.state
    reading = request.method in READ_METHODS
    with (state.sessions if reading else state.write_sessions)() as session:
        if reading and state.defer_read_audit:
            session.info[DEFERRED] = []
        with session.begin():
            yield session
        deferred = session.info.pop(DEFERRED, None)
    if deferred:
        with state.write_lock:
            write_deferred(state.write_sessions, deferred)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def session_user(request: Request, session: Session) -> User:
    """The user of the browser's live log-in session (server-side record, idle timeout)."""
    key = request.session.get(sessions.KEY)
    if not key:
        raise LoginRequired("log in first")
    settings: Settings = request.app.state.settings
    now = time.time()
    idle = sessions.idle_expired(
        request.session.get(sessions.SEEN), idle_seconds=settings.session_idle_seconds, now=now
    )
    user = None if idle else sessions.user_for(session, key=str(key))
    if user is None:
        request.session.clear()
        raise LoginRequired("log in first")
    request.session[sessions.SEEN] = int(now)
    return user


def current_actor(request: Request, session: SessionDep) -> Actor:
    """The user behind a bearer token (API) or a log-in session cookie (pages)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(session, token=header[7:].strip())
    elif request.url.path.startswith("/api/"):
        raise AuthenticationFailed("a bearer token is required")
    else:
        user = session_user(request, session)
    actor = actor_for(user, client_address(request))
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


async def csrf_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token against the session's."""
    form = await request.form()
    sent = str(form.get("csrf_token", ""))
    expected = str(request.session.get("csrf", ""))
    if not expected or not secrets.compare_digest(sent, expected):
        raise CsrfFailed("the form expired; reload the page and try again")
    return form


FormDep = Annotated[FormData, Depends(csrf_form)]
