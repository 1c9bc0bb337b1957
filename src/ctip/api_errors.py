"""The error answers every API operation can give, declared once for the OpenAPI document.

Every ``/api/v1`` router is included with these (``ctip.web.app``), so a client (and
schemathesis) finds each status the API may answer: a domain error (400), no or a bad token
(401), a role or scope refusal (403), a missing or out-of-scope record (404), a stale version
or a forbidden transition (409), a body over the size limit (413), invalid input (422) and a
throttle (429).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    """An API error: a message (or, for invalid input, one entry per bad field), the error's
    kind, and the field it concerns when there is one."""

    detail: str | list[dict[str, Any]]
    error: str | None = None
    field: str | None = None


_DESCRIPTIONS = {
    400: "The request cannot be carried out",
    401: "A valid bearer token is required",
    403: "Your role may not do this",
    404: "Not found (also for a record outside your scope)",
    409: "The record changed since you read it, or the change is not allowed now",
    413: "The request body is too large",
    422: "Invalid input: one entry per bad field",
    429: "Too many requests: retry after the time in Retry-After",
}

API_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in _DESCRIPTIONS.items()
}
