"""Log-in and log-out pages; bearer tokens for the API."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ctip.audit.service import record
from ctip.auth import users
from ctip.auth.schemas import TokenOut, UserPublic
from ctip.auth.service import authenticate, get_user, issue_token
from ctip.errors import AuthenticationFailed
from ctip.i18n import gettext as _
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep, client_address
from ctip.web.language import COOKIE, _safe_next
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["auth"])


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "auth/login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, session: SessionDep, form: FormDep) -> Response:
    username = str(form.get("username", ""))
    user = authenticate(
        session,
        username=username,
        password=str(form.get("password", "")),
        address=client_address(request),
    )
    target = _safe_next(str(form.get("next") or "/"))
    if user is None:
        return render(
            request,
            "auth/login.html",
            {"next": target, "username": username, "error": _("Wrong username or password.")},
            status_code=401,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    response = RedirectResponse(target, status_code=303)
    if COOKIE not in request.cookies:
        response.set_cookie(COOKIE, user.language, max_age=365 * 86400, samesite="lax")
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, actor: ActorDep, form: FormDep) -> Response:
    record(session, actor=actor, action="auth.logout", entity_type="user", entity_id=actor.id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


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
    with request.app.state.write_sessions() as session, session.begin():
        user = authenticate(
            session, username=name, password=password, address=client_address(request)
        )
        if user is not None:
            value = issue_token(session, user=user, hours=settings.token_ttl_hours)
    if user is None:
        raise AuthenticationFailed("wrong username or password")
    return TokenOut(access_token=value, expires_in=settings.token_ttl_hours * 3600)


@api_router.get("/me", response_model=UserPublic)
def me(session: SessionDep, actor: ActorDep) -> UserPublic:
    """The user behind the token."""
    assert actor.id is not None
    return UserPublic.model_validate(get_user(session, actor.id), from_attributes=True)


# User administration (page /users, API /api/v1/users) lives in ctip.auth.users.
router.include_router(users.router)
api_router.include_router(users.api_router)
