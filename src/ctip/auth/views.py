"""Log-in, log-out and password pages; bearer tokens for the API.

Log-in is throttled per account and per address (429 with ``Retry-After``); a log-in starts a
server-side session (``ctip.auth.sessions``) that log-out, a password change or a deactivation
ends for real.
"""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ctip.audit.service import record
from ctip.auth import sessions, users
from ctip.auth.schemas import PasswordChangeIn, TokenOut, UserPublic
from ctip.auth.service import (
    authenticate,
    change_password,
    get_user,
    issue_token,
    revoke_token,
)
from ctip.auth.throttle import Limits, LoginThrottled
from ctip.config import Settings
from ctip.errors import AuthenticationFailed, ValidationFailed
from ctip.i18n import current_language
from ctip.i18n import gettext as _
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep, client_address
from ctip.web.language import COOKIE, _safe_next
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["auth"])


@router.get("/login")
def login_page(request: Request, next: str = "/", changed: str = "") -> Response:
    notice = _("Your password was changed. Log in again.") if changed else None
    return render(
        request, "auth/login.html", {"next": _safe_next(next), "error": None, "notice": notice}
    )


def limits(settings: Settings) -> Limits:
    """The log-in throttling limits of these settings."""
    return Limits(
        settings.login_max_failures_account,
        settings.login_max_failures_address,
        settings.login_window_seconds,
    )


def _login_page(request: Request, ctx: dict[str, object], status: int, **headers: str) -> Response:
    response = render(request, "auth/login.html", ctx, status_code=status)
    response.headers.update(headers)
    return response


@router.post("/login")
def login(request: Request, session: SessionDep, form: FormDep, settings: SettingsDep) -> Response:
    username = str(form.get("username", ""))[:200]
    target = _safe_next(str(form.get("next") or "/"))
    ctx: dict[str, object] = {"next": target, "username": username}
    try:
        user = authenticate(
            session,
            username=username,
            password=str(form.get("password", "")),
            address=client_address(request),
            limits=limits(settings),
        )
    except LoginThrottled as exc:
        ctx["error"] = _("Too many failed log-ins. Try again later.")
        return _login_page(request, ctx, 429, **{"Retry-After": str(exc.retry_after)})
    if user is None:
        ctx["error"] = _("Wrong username or password.")
        return _login_page(request, ctx, 401)
    request.session.clear()
    request.session[sessions.KEY] = sessions.start(
        session, user=user, max_age=settings.session_max_age
    )
    request.session[sessions.SEEN] = int(time.time())
    response = RedirectResponse(target, status_code=303)
    if COOKIE not in request.cookies:
        response.set_cookie(
            COOKIE,
            user.language,
            max_age=365 * 86400,
            samesite="lax",
            httponly=True,
            secure=settings.cookies_secure,
        )
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    """End the session on the server too: a copy of the cookie no longer logs anyone in."""
    sessions.end(session, key=str(request.session.get(sessions.KEY, "")))
    record(session, actor=actor, action="auth.logout", entity_type="user", entity_id=actor.id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password")
def password_page(request: Request, actor: ActorDep) -> Response:
    return render(request, "auth/password.html", {"errors": {}})


@router.post("/account/password")
def password_change(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, settings: SettingsDep
) -> Response:
    """Change one's password; every session and API token ends, so log in again."""
    try:
        change_password(
            session,
            actor=actor,
            current=str(form.get("current_password", "")),
            new=str(form.get("new_password", "")),
            min_length=settings.password_min_length,
        )
    except ValidationFailed as exc:
        errors = {e.field: e.translated(current_language()) for e in exc.errors}
        return render(request, "auth/password.html", {"errors": errors}, status_code=422)
    request.session.clear()
    return RedirectResponse("/login?changed=1", status_code=303)


async def _credentials(request: Request) -> tuple[str, str]:
    """Username and password from a form (OAuth2 password flow) or a JSON body."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        return str(body.get("username", "")), str(body.get("password", ""))
    form = await request.form()
    return str(form.get("username", "")), str(form.get("password", ""))


@api_router.post("/auth/token", response_model=TokenOut)
async def token(request: Request, settings: SettingsDep) -> TokenOut:
    """Exchange a username and password (form or JSON) for a bearer token."""
    name, password = await _credentials(request)
    throttled: LoginThrottled | None = None
    with request.app.state.write_sessions() as session, session.begin():
        try:
            user = authenticate(
                session,
                username=name[:200],
                password=password,
                address=client_address(request),
                limits=limits(settings),
            )
        except LoginThrottled as exc:  # the audit entry is kept: raise after the commit
            user, throttled = None, exc
        if user is not None:
            value = issue_token(session, user=user, hours=settings.token_ttl_hours)
    if throttled is not None:
        raise throttled
    if user is None:
        raise AuthenticationFailed("wrong username or password")
    return TokenOut(access_token=value, expires_in=settings.token_ttl_hours * 3600)


@api_router.get("/me", response_model=UserPublic)
def me(session: SessionDep, actor: ActorDep) -> UserPublic:
    """The user behind the token."""
    assert actor.id is not None
    return UserPublic.model_validate(get_user(session, actor.id), from_attributes=True)


@api_router.post("/auth/logout", status_code=204)
def api_logout(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Revoke the bearer token this request carries (the API's log-out)."""
    header = request.headers.get("authorization", "")
    revoke_token(session, token=header[7:].strip())
    record(session, actor=actor, action="auth.logout", entity_type="user", entity_id=actor.id)
    return Response(status_code=204)


@api_router.post("/me/password", status_code=204)
def me_password(
    data: PasswordChangeIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> Response:
    """Change one's own password; every session and API token (this one too) stops working."""
    change_password(
        session,
        actor=actor,
        current=data.current_password,
        new=data.new_password,
        min_length=settings.password_min_length,
    )
    return Response(status_code=204)


# User administration (page /users, API /api/v1/users) lives in ctip.auth.users.
router.include_router(users.router)
api_router.include_router(users.api_router)
