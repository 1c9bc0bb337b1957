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
        """Every problem, each after the field's written name in ``language`` (a field with
        no written name is named only in English, never as a raw key in Khmer)."""
        return "; ".join(_named(e, language) for e in self.errors)

    @classmethod
    def single(cls, field_name: str, template: str, **params: Any) -> ValidationFailed:
        return cls([FieldError(field_name, template, params)])


# Written names of the fields that error messages name (English message ids).
FIELD_NAMES: dict[str, str] = {
    "status": "Status",
    "on": "Date",
    "note": "Note",
    "title": "Title",
    "province": "Province",
    "opened_on": "Opened on",
    "person_id": "Person",
    "case": "Case",
    "case_id": "Case",
    "role": "Role",
    "gender": "Sex",
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "reason": "Reason",
    "place": "Place",
    "occurred_on": "Date",
    "version": "Version",
    "body": "Input",
}


def _named(error: FieldError, language: str | None) -> str:
    name = FIELD_NAMES.get(error.field)
    if name is not None:
        return f"{translate(name, language)}: {error.translated(language)}"
    if (language or "en") == "en" and error.field not in ("form", "body"):
        return f"{error.field}: {error.translated(language)}"
    return error.translated(language)


# pydantic error types → the one wording every form and API answer uses.
_PYDANTIC: dict[str, str] = {
    "missing": "required",
    "string_too_long": "at most %(n)s characters",
    "string_too_short": "required",
}


def from_pydantic(errors: list[Any]) -> ValidationFailed:
    """pydantic's ``exc.errors()`` as one ``ValidationFailed`` naming each field, worded the
    same for every form and API answer (the one translator)."""
    return ValidationFailed([_pydantic_error(err) for err in errors])


def _pydantic_error(err: Any) -> FieldError:
    name = ".".join(str(part) for part in err["loc"] if not isinstance(part, int)) or "form"
    kind = str(err["type"])
    if kind == "missing" or err.get("input", "") is None:
        return FieldError(name, "required")
    if kind.startswith(("date", "datetime")):
        return FieldError(name, "enter a date as YYYY-MM-DD")
    if kind.startswith(("int", "float")):
        whole = kind.startswith("int")
        return FieldError(name, "enter a whole number" if whole else "not a number")
    if kind == "string_too_long":
        return FieldError(name, "at most %(n)s characters", {"n": err["ctx"]["max_length"]})
    return FieldError(name, _PYDANTIC.get(kind, "not valid"))


def _describe(error: FieldError) -> str:
    where = f"row {error.row}, " if error.row is not None else ""
    return f"{where}{error.field}: {error.message}".replace("%", "%%")
