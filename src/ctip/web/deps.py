"""Request dependencies shared by every view: the database session, the actor, CSRF."""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from ctip.audit.service import DEFERRED, write_collected, write_deferred
from ctip.auth import actor_cache, sessions
from ctip.auth.models import ApiToken, AuthSession, User
from ctip.auth.scope import Actor
from ctip.config import Settings
from ctip.db.base import utcnow
from ctip.errors import AuthenticationFailed, DomainError
from ctip.security import token_digest
from ctip.web.proxy import client_address


class LoginRequired(DomainError):
    """A page needs a logged-in user (pages redirect to the log-in form)."""


class CsrfFailed(DomainError):
    """A form came without the session's CSRF token."""


READ_METHODS = frozenset({"GET", "HEAD"})


@contextmanager
def request_session(request: Request, reading: bool | None = None) -> Iterator[Session]:
    """One transaction per request: committed before the response is sent, or rolled back.
    (``reading``: a read session whatever the method, for a ``POST`` that only reads.)

    Reads use plain sessions; changes use writer sessions. A read's audit entries are
    collected and written in one batch: on PostgreSQL at the end of the read's own
    transaction, on SQLite just after it in a short write transaction; either way before
    the response is sent.
    """
    state = request.app.state
    reading = request.method in READ_METHODS if reading is None else reading
    with (state.sessions if reading else state.write_sessions)() as session:
        if reading:
            session.info[DEFERRED] = []
        with session.begin():
            yield session
            if not state.defer_read_audit:
                write_collected(session)
        deferred = session.info.pop(DEFERRED, None)
    if deferred:
        with state.write_lock:
            write_deferred(state.write_sessions, deferred)


def get_session(request: Request) -> Iterator[Session]:
    """``request_session`` as a dependency."""
    with request_session(request) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def _live_session_key(request: Request) -> str:
    """The browser's session key, unless missing or idle (then the cookie is cleared)."""
    key = request.session.get(sessions.KEY)
    settings: Settings = request.app.state.settings
    idle = sessions.idle_expired(
        request.session.get(sessions.SEEN),
        idle_seconds=settings.session_idle_seconds,
        now=time.time(),
    )
    if not key or idle:
        request.session.clear()
        raise LoginRequired("log in first")
    return str(key)


def _mark_seen(request: Request) -> None:
    """Note the cookie's use for the idle timeout, at most once per tenth of the timeout
    (a minute at most), not on every request: a changed session is a newly signed cookie in
    every response (signing it, and the browser storing it, cost about as much as the
    page's rows). So a session idles out between 90 % and 100 % of the timeout."""
    settings: Settings = request.app.state.settings
    step = min(60, settings.session_idle_seconds // 10)
    now = int(time.time())
    if now - float(str(request.session.get(sessions.SEEN, 0))) >= step:
        request.session[sessions.SEEN] = now


def session_user(request: Request, session: Session) -> User:
    """The user of the browser's live log-in session (server-side record, idle timeout)."""
    user = sessions.user_for(session, key=_live_session_key(request))
    if user is None:
        request.session.clear()
        raise LoginRequired("log in first")
    _mark_seen(request)
    return user


def _signed_in(session: Session, *, digest: str, api: bool, ttl: float) -> actor_cache.Entry | None:
    """Who is behind a token (``api``) or a log-in session: one query for the token or
    session row with its active user, or the actor cache's answer from the last ``ttl``
    seconds (``ctip.auth.actor_cache``)."""
    now = utcnow()
    entry = actor_cache.get(digest, now) if ttl > 0 else None
    if entry is not None:
        return entry
    if api:
        query = (
            select(User, ApiToken.expires_at)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.digest == digest, User.is_active)
        )
    else:
        query = (
            select(User, AuthSession.expires_at)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(AuthSession.digest == digest, AuthSession.ended_at.is_(None), User.is_active)
        )
    row = session.execute(query).first()
    if row is None:
        return None
    user, expires_at = row
    if expires_at < now or (not api and expires_at <= now):
        return None
    entry = actor_cache.Entry(
        user_id=user.id,
        username=user.username,
        role=user.role,
        province=user.province,
        organisation_id=user.organisation_id,
        display_name=user.display_name,
        language=user.language,
        until=time.monotonic() + ttl,
        expires_at=expires_at,
    )
    if ttl > 0:
        actor_cache.put(digest, entry)
    return entry


def current_actor(request: Request, session: SessionDep) -> Actor:
    """The user behind a bearer token (API) or a log-in session cookie (pages)."""
    settings: Settings = request.app.state.settings
    ttl = settings.actor_cache_seconds
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        entry = _signed_in(session, digest=token_digest(header[7:].strip()), api=True, ttl=ttl)
        if entry is None:
            raise AuthenticationFailed("invalid or expired token")
    elif request.url.path.startswith("/api/"):
        raise AuthenticationFailed("a bearer token is required")
    else:
        key = _live_session_key(request)
        entry = _signed_in(session, digest=token_digest(key), api=False, ttl=ttl)
        if entry is None:
            request.session.clear()
            raise LoginRequired("log in first")
        _mark_seen(request)
    actor = Actor(
        id=entry.user_id,
        username=entry.username,
        role=entry.role,
        province=entry.province,
        organisation_id=entry.organisation_id,
        display_name=entry.display_name,
        language=entry.language,
        address=client_address(request),
    )
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]

T = TypeVar("T")


async def in_one_thread(request: Request, work: Callable[[Session, Actor], T]) -> T:
    """Run a request's whole server side in one worker thread: the session and its
    transaction, the actor, ``work(session, actor)`` (the service call and, for pages, the
    rendering) and the audit write, with the same guarantees as ``SessionDep`` and
    ``ActorDep``. A sync endpoint with those dependencies crosses into the thread pool
    about six times per request; under load each crossing waits its turn again.

    The pool is anyio's default one, bounded by ``CTIP_REQUEST_THREADS`` (``bound_pool``).
    """
    return await anyio.to_thread.run_sync(_whole_request, request, work)


def _whole_request(request: Request, work: Callable[[Session, Actor], T]) -> T:
    with request_session(request) as session:
        return work(session, current_actor(request, session))


def bound_pool(threads: int) -> None:
    """Let at most ``threads`` requests run in worker threads at once (the rest wait)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads


def csrf_token(request: Request) -> str:
    """The session's CSRF secret, masked afresh for this page (see ``mask_csrf``)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return mask_csrf(str(token))


def mask_csrf(secret: str) -> str:
    """``secret`` XORed with a random pad, pad first, in URL-safe base64: a different string
    on every page, so compressed pages (gzip) never repeat the secret's bytes for a BREACH
    attacker to guess one character at a time."""
    raw = secret.encode()
    pad = secrets.token_bytes(len(raw))
    masked = bytes(a ^ b for a, b in zip(pad, raw, strict=True))
    return base64.urlsafe_b64encode(pad + masked).decode().rstrip("=")


def unmask_csrf(token: str) -> str | None:
    """The secret inside a token ``mask_csrf`` made; ``None`` when it is not one."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        return None
    half = len(raw) // 2
    if not raw or len(raw) % 2:
        return None
    pad, masked = raw[:half], raw[half:]
    return bytes(a ^ b for a, b in zip(pad, masked, strict=True)).decode("latin-1")


async def csrf_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token against the session's."""
    form = await request.form()
    sent = unmask_csrf(str(form.get("csrf_token", ""))) or ""
    expected = str(request.session.get("csrf", ""))
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfFailed("the form expired; reload the page and try again")
    return form


FormDep = Annotated[FormData, Depends(csrf_form)]
