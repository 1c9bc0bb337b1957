"""Choosing the interface language per request: ``?lang=``, then the cookie, then the default."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ctip.i18n import LANGUAGES, PUBLIC_LANGUAGES, use_language

COOKIE = "ctip_lang"


class LanguageMiddleware:
    """Sets the request's language for everything below it (a plain ASGI middleware: the
    request/response wrapping of BaseHTTPMiddleware cost about a millisecond a page)."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        chosen = connection.query_params.get("lang") or connection.cookies.get(COOKIE)
        language = chosen if chosen in PUBLIC_LANGUAGES else self.default
        scope.setdefault("state", {})["language"] = language
        with use_language(language):
            await self.app(scope, receive, send)


def _safe_next(target: str | None) -> str:
    """A local path to return to; anything pointing off-site becomes the home page."""
    if target and "://" in target:
        parts = urlsplit(target)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _switch(request: Request, code: str, next: str | None) -> Response:
    response = RedirectResponse(_safe_next(next or request.headers.get("referer")), status_code=303)
    if code in LANGUAGES or code in PUBLIC_LANGUAGES:
        settings = request.app.state.settings
        response.set_cookie(
            COOKIE,
            code,
            max_age=365 * 86400,
            samesite="lax",
            httponly=True,
            secure=settings.cookies_secure,
        )
    return response


def install(app: FastAPI) -> None:
    @app.get("/lang/{code}", include_in_schema=False)
    def switch_language(code: str, request: Request, next: str | None = None) -> Response:
        """Remember the chosen language in this browser's cookie only (a GET changes nothing
        on the account: a link on another site could otherwise change it)."""
        return _switch(request, code, next)

    @app.post("/lang/{code}", include_in_schema=False)
    async def switch_language_form(code: str, request: Request) -> Response:
        """The language switcher's form (CSRF-checked): the cookie, and the account too."""
        from ctip.web.deps import csrf_form

        form = await csrf_form(request)
        response = _switch(request, code, str(form.get("next") or "") or None)
        if code in LANGUAGES:
            await run_in_threadpool(_remember_for_user, request, code)
        return response


def _remember_for_user(request: Request, code: str) -> None:
    """Store the choice on the logged-in user too, so their next log-in starts in it."""
    from ctip.auth.service import actor_for
    from ctip.auth.users import remember_language
    from ctip.web.deps import LoginRequired, client_address, session_user

    if "session" not in request.scope or code not in LANGUAGES:
        return
    with request.app.state.write_sessions() as session, session.begin():
        try:
            user = session_user(request, session)
        except LoginRequired:
            return
        address = client_address(request)
        remember_language(session, actor=actor_for(user, address), language=code)
