"""What the persons API and forms take and give.

``PersonIn`` checks shapes only (types, the gender spelling); business rules such as "date of
birth not in the future" live in the service, so the CLI, importers and pages share them.
``PersonOut`` is the public shape: decrypted names for an authorised reader, never ciphertext,
never the blind-index keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from ctip.api_types import IsoDate, UtcDateTime
from ctip.errors import ValidationFailed, from_pydantic

# How people write gender in APIs and spreadsheets → the HTCDS ``prs_Gender`` code.
GENDER_SYNONYMS: dict[str, str] = {
    "f": "Feminine",
    "female": "Feminine",
    "woman": "Feminine",
    "w": "Feminine",
    "girl": "Feminine",
    "feminine": "Feminine",
    "m": "Masculine",
    "male": "Masculine",
    "man": "Masculine",
    "boy": "Masculine",
    "masculine": "Masculine",
    "u": "NonSpecifiedUnknown",
    "unknown": "NonSpecifiedUnknown",
    "x": "NonConforming",
}


def normalise_gender(value: Any) -> Any:
    """``"F"``/``"female"`` → ``Feminine``; HTCDS codes and blanks pass through."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        return GENDER_SYNONYMS.get(value.strip().casefold(), value.strip())
    return value


def _clean_list(value: Any, separators: str = ",;\n") -> Any:
    """Accept a list or a string split on ``separators``; drop blanks."""
    if value is None:
        return []
    if isinstance(value, str):
        value = re.split(f"[{re.escape(separators)}]", value)
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return value


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class _PersonFields(BaseModel):
    model_config = ConfigDict(populate_by_name=True, str_strip_whitespace=True, extra="ignore")

    @field_validator("gender", mode="before", check_fields=False)
    @classmethod
    def _gender(cls, value: Any) -> Any:
        return normalise_gender(value)

    @field_validator("aliases", mode="before", check_fields=False)
    @classmethod
    def _aliases(cls, value: Any) -> Any:
        return _clean_list(value, "\n")

    @field_validator("nationalities", mode="before", check_fields=False)
    @classmethod
    def _nationalities(cls, value: Any) -> Any:
        cleaned = _clean_list(value, ",; \n")
        return [c.upper() for c in cleaned] if isinstance(cleaned, list) else cleaned

    @field_validator(
        "given_name",
        "family_name",
        "name_km",
        "address",
        "notes",
        "date_of_birth",
        "estimated_age",
        mode="before",
        check_fields=False,
    )
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return _blank_to_none(value)


class PersonIn(_PersonFields):
    """A new person. At least one of given name, family name, Khmer name or an alias."""

    given_name: str | None = Field(None, max_length=120)
    family_name: str | None = Field(None, max_length=120)
    name_km: str | None = Field(None, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    gender: str | None = Field(
        None,
        validation_alias=AliasChoices("gender", "sex"),
        description="HTCDS prs_Gender; `sex` with F/M also accepted.",
    )
    date_of_birth: IsoDate | None = None
    estimated_age: int | None = None
    nationalities: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes.")
    address: str | None = Field(None, max_length=1000)
    notes: str | None = Field(None, max_length=5000)


class PersonUpdate(_PersonFields):
    """A change to a person: only the fields sent are changed; ``version`` as last read."""

    version: int
    given_name: str | None = Field(None, max_length=120)
    family_name: str | None = Field(None, max_length=120)
    name_km: str | None = Field(None, max_length=200)
    aliases: list[str] | None = None
    gender: str | None = Field(None, validation_alias=AliasChoices("gender", "sex"))
    date_of_birth: IsoDate | None = None
    estimated_age: int | None = None
    nationalities: list[str] | None = None
    address: str | None = Field(None, max_length=1000)
    notes: str | None = Field(None, max_length=5000)

    def changes(self) -> dict[str, Any]:
        """The fields the caller sent (``version`` aside)."""
        return {k: getattr(self, k) for k in self.model_fields_set if k != "version"}


class PersonOut(BaseModel):
    """A person as an authorised reader sees them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    version: int
    display_name: str
    given_name: str | None
    family_name: str | None
    name_km: str | None
    aliases: list[str]
    gender: str
    date_of_birth: IsoDate | None
    estimated_age: int | None
    age: int | None
    nationalities: list[str]
    created_at: UtcDateTime


class RoleOut(BaseModel):
    """One role of a person on one case the reader may see."""

    case_id: int
    reference: str
    title: str
    province: str
    status: str
    role: str
    trafficking_status: str | None = None
    custody_status: str | None = None


class IdentifierOut(BaseModel):
    """An identifier as its reader sees it (decrypted raw and normalised values)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    type: str = Field(validation_alias=AliasChoices("id_type", "type"))
    platform: str | None
    raw: str
    normalised: str | None
    valid: bool
    problem: str | None
    issuing_country: str | None
    person_id: int | None
    case_id: int | None


class PersonDetail(PersonOut):
    """A person with address, notes, identifiers and every role the reader may see."""

    address: str | None
    notes: str | None
    identifiers: list[IdentifierOut]
    roles: list[RoleOut]


class PersonList(BaseModel):
    query: str
    items: list[PersonOut]


# Pydantic error types → English message templates (translated on pages).
def field_errors(exc: ValidationError) -> ValidationFailed:
    """A pydantic error as a domain ``ValidationFailed`` naming each field."""
    return from_pydantic(exc.errors())


def parse_form(model: type[BaseModel], form: Mapping[str, Any]) -> Any:
    """Build ``model`` from submitted form fields, raising ``ValidationFailed`` per field."""
    try:
        return model.model_validate(dict(form))
    except ValidationError as exc:
        raise field_errors(exc)
