"""Turning domain errors into HTTP answers: JSON under /api, a page elsewhere."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ctip.errors import DomainError, ValidationFailed
from ctip.web.deps import CsrfFailed, LoginRequired
from ctip.web.render import render


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _json(exc: DomainError) -> JSONResponse:
    if isinstance(exc, ValidationFailed):
        detail = [
            {
                "loc": ["body", e.field],
                "msg": e.message,
                "type": "value_error",
                **({"row": e.row} if e.row is not None else {}),
            }
            for e in exc.errors
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    body: dict[str, object] = {"detail": exc.message, "error": type(exc).__name__}
    if exc.field:
        body["field"] = exc.field
    headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if _is_api(request):
            return _json(exc)
        if isinstance(exc, LoginRequired):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        status = 400 if isinstance(exc, CsrfFailed) else exc.status_code
        return render(request, "error.html", {"error": exc, "status": status}, status_code=status)
