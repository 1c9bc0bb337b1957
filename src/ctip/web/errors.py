"""Turning errors into HTTP answers: JSON under /api, a page elsewhere.

Domain errors keep their status. Bad input that only the database or the encoder notices —
an id or page number too large for a 64-bit integer, a lone surrogate in a string, JSON
nested too deeply — is a 404 or 422, never a 500. A 422 never echoes what was sent (an
oversized or sensitive body stays out of the answer). Unexpected errors answer a plain page
or JSON without a stack trace.
"""

from __future__ import annotations

import logging
import re

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from ctip.errors import DomainError, NotFound, ValidationFailed, from_pydantic
from ctip.web.deps import CsrfFailed, LoginRequired
from ctip.web.language import _safe_next
from ctip.web.render import render

log = logging.getLogger("ctip.web")
INT64_MAX = 2**63 - 1
# Ids are 32-bit integer columns on PostgreSQL (SQLite allocates them from 1 too): a number
# beyond this in a path names no record on either engine.
ID_MAX = 2**31 - 1
# Where FastAPI found a value; a page names the field, not where it came from.
_SOURCES = ("body", "query", "path", "header", "cookie")
_NUMBER = re.compile(r"-?\d+")


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
    return JSONResponse(body, status_code=exc.status_code, headers=_headers(exc))


def _headers(exc: DomainError) -> dict[str, str] | None:
    if exc.status_code == 401:
        return {"WWW-Authenticate": "Bearer"}
    if exc.status_code == 429:
        return {"Retry-After": str(exc.params.get("seconds", 60))}
    return None


def ids_in_range(request: Request) -> None:
    """A dependency of every route: a path number no id can be answers 404 before any lookup,
    the same on SQLite and PostgreSQL (PostgreSQL would refuse it as out of range, 422)."""
    for value in request.path_params.values():
        text = str(value)
        if _NUMBER.fullmatch(text) and abs(int(text)) > ID_MAX:
            raise NotFound("not found")


def _too_big_in_path(request: Request) -> bool:
    """Whether the path holds a number no 64-bit id can be (the record cannot exist)."""
    return any(
        _NUMBER.fullmatch(part) and abs(int(part)) > INT64_MAX
        for part in request.url.path.split("/")
    )


def _validation_detail(exc: RequestValidationError) -> list[dict[str, object]]:
    """FastAPI's error list without the ``input`` echoed back (it may be huge or private)."""
    return [
        {k: v for k, v in error.items() if k not in ("input", "ctx", "url")}
        for error in exc.errors()
    ]


def _page_errors(exc: RequestValidationError) -> ValidationFailed:
    """Every field's problem, worded by the one pydantic translator (so a Khmer page names
    each field by its written name, never by pydantic's English message)."""
    errors = [
        {
            **err,
            "loc": tuple(err["loc"][1:])
            if err["loc"][:1] and err["loc"][0] in _SOURCES
            else tuple(err["loc"]),
        }
        for err in exc.errors()
    ]
    return from_pydantic(errors) if errors else ValidationFailed.single("input", "not valid")


def _bad_input(request: Request, message: str, status: int = 422) -> Response:
    error = NotFound("not found") if status == 404 else ValidationFailed.single("input", message)
    if _is_api(request):
        return _json(error)
    return _page(request, error, status)


def _page(request: Request, exc: DomainError, status: int) -> Response:
    back = _safe_next(request.headers.get("referer"))
    response = render(
        request, "error.html", {"error": exc, "status": status, "back": back}, status_code=status
    )
    response.headers.update(_headers(exc) or {})
    return response


def install(app: FastAPI) -> None:
    """Error handlers, and the id-range check on every route (call before adding routes)."""
    app.router.dependencies.append(Depends(ids_in_range))

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        if _is_api(request):
            return _json(exc)
        if isinstance(exc, LoginRequired):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        status = 400 if isinstance(exc, CsrfFailed) else exc.status_code
        return _page(request, exc, status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _too_big_in_path(request):
            return _bad_input(request, "not found", 404)
        if _is_api(request):
            detail = jsonable_encoder(_validation_detail(exc))
            return JSONResponse({"detail": detail}, status_code=422)
        return _page(request, _page_errors(exc), 422)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        if _too_big_in_path(request):
            return _bad_input(request, "not found", 404)
        return _bad_input(request, "a number is out of range")

    @app.exception_handler(UnicodeEncodeError)
    async def unencodable(request: Request, exc: UnicodeEncodeError) -> Response:
        return _bad_input(request, "the text holds characters that are not valid Unicode")

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> Response:
        return _bad_input(request, "the input is nested too deeply")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        if _is_api(request):
            return JSONResponse({"detail": "internal error", "error": "ServerError"}, 500)
        return PlainTextResponse("Something went wrong; the error was logged.", 500)
