"""Domain errors raised by services; only views turn them into HTTP responses or form errors.

Messages are English templates with ``%(name)s`` placeholders; they double as message ids in
the translation catalogue, so a page can show them in the user's language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ctip.i18n import translate


def _fill(template: str, params: dict[str, Any]) -> str:
    try:
        return template % params if params else template
    except (KeyError, ValueError, TypeError):
        return template


class DomainError(Exception):
    """Base class of the errors services raise."""

    status_code = 400

    def __init__(self, template: str = "", **params: Any) -> None:
        self.template = template or type(self).__name__
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _fill(self.template, self.params)

    @property
    def field(self) -> str | None:
        value = self.params.get("field")
        return str(value) if value else None

    def translated(self, language: str | None = None) -> str:
        return _fill(translate(self.template, language), self.params)


class NotFound(DomainError):
    """The record does not exist or is outside the caller's scope (never revealed)."""

    status_code = 404


class PermissionDenied(DomainError):
    """The caller may see the record but not do this to it."""

    status_code = 403


class InvalidTransition(DomainError):
    """A case status change that the lifecycle does not allow."""

    status_code = 409


class StaleVersion(DomainError):
    """The record changed since the caller read it."""

    status_code = 409


class Conflict(DomainError):
    """The change would duplicate something that must be unique."""

    status_code = 409


class AuthenticationFailed(DomainError):
    """Wrong username or password, or a missing or expired token."""

    status_code = 401


@dataclass(frozen=True)
class FieldError:
    """One invalid field (and row, for imports); ``template`` is the English message id."""

    field: str
    template: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    row: int | None = None

    @property
    def message(self) -> str:
        return _fill(self.template, self.params)

    def translated(self, language: str | None = None) -> str:
        return _fill(translate(self.template, language), self.params)


class ValidationFailed(DomainError):
    """Input that breaks a business rule, naming each field (and row, for imports)."""

    status_code = 422

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(_describe(e) for e in errors))

    def translated(self, language: str | None = None) -> str:
        return "; ".join(f"{e.field}: {e.translated(language)}" for e in self.errors)

    @classmethod
    def single(cls, field_name: str, template: str, **params: Any) -> ValidationFailed:
        return cls([FieldError(field_name, template, params)])


def _describe(error: FieldError) -> str:
    where = f"row {error.row}, " if error.row is not None else ""
    return f"{where}{error.field}: {error.message}".replace("%", "%%")
