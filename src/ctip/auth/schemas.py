"""What the auth API takes and gives."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class PasswordChangeIn(BaseModel):
    """One's current password and the new one (the policy is checked by the service)."""

    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)
