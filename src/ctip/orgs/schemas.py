"""What the organisations API takes and gives."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OrgIn(BaseModel):
    """A new organisation; codes are checked by the service so pages and API share the rules."""

    name: str = Field(max_length=200)
    org_type: str
    name_km: str | None = Field(None, max_length=200)
    province: str | None = None
    country: str = "KH"
    is_agency: bool = False


class OrgOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    name_km: str | None
    org_type: str
    province: str | None
    country: str
    is_agency: bool


class OrgPage(BaseModel):
    items: list[OrgOut]
    total: int
    page: int
    page_size: int
