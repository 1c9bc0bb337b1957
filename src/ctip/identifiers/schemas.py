"""What the identifiers API takes and gives.

The output never carries the blind index (``digest``); the search answer echoes the value the
caller sent and lists persons and cases only within the caller's scope.
"""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from ctip.persons.schemas import IdentifierOut

__all__ = [
    "CaseHitOut",
    "IdentifierIn",
    "IdentifierOut",
    "IdentifierSearchOut",
    "PersonHitOut",
    "PersonRoleOut",
]


class IdentifierIn(BaseModel):
    """A new identifier: ``{"type": "phone", "value": "012 345 678"}``."""

    model_config = ConfigDict(populate_by_name=True, str_strip_whitespace=True, extra="ignore")

    type: str = Field(
        validation_alias=AliasChoices("type", "id_type"),
        description="phone, passport, national_id, social_handle, email, "
        "bank_account, crypto_wallet or vehicle_plate",
    )
    value: str = Field(max_length=300)
    platform: str | None = Field(None, description="For social handles: telegram, facebook …")
    issuing_country: str | None = Field(None, description="ISO alpha-2, for documents.")

    @field_validator("platform", "issuing_country", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class PersonRoleOut(BaseModel):
    case_id: int
    reference: str
    role: str


class PersonHitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str
    roles: list[PersonRoleOut]


class CaseHitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reference: str
    title: str
    role: str | None = Field(
        None,
        description="The role of the person through whom the case "
        "was found; null when the identifier is on the case itself.",
    )
    person_id: int | None = None


class IdentifierSearchOut(BaseModel):
    value: str
    persons: list[PersonHitOut]
    cases: list[CaseHitOut]
