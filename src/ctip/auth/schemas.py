"""What the auth API takes and gives."""

from __future__ import annotations

from pydantic import BaseModel


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class UserPublic(BaseModel):
    """A user as others may see them (never the password hash)."""

    id: int
    username: str
    display_name: str
    role: str
    province: str | None
    organisation_id: int | None
    language: str
