"""The register of organisations: agencies, NGOs, courts, employers, recruiters, compounds.

Anyone who works on cases may list and read organisations (referrals and cases name them);
only administrators and the national secretariat add them.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ctip.audit.service import record, snapshot
from ctip.auth.scope import Actor, require_role
from ctip.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from ctip.orgs.models import Location, Organisation
from ctip.orgs.schemas import OrgIn
from ctip.reference import ORG_TYPES, PROVINCE_CODES, countries

ORG_EDITORS = ("admin", "secretariat")
ORG_FIELDS = ("name", "name_km", "org_type", "province", "country", "is_agency")
# Organisations a victim can be referred to (not employers, recruiters or compounds).
SERVICE_ORG_TYPES = tuple(
    t for t in ORG_TYPES if t not in ("RecruitmentAgency", "Employer", "CompoundOrVenue")
)


def _require_reader(actor: Actor) -> None:
    if actor.role == "viewer":
        raise PermissionDenied("your role cannot do this", role=actor.role)


def list_orgs(
    session: Session,
    *,
    actor: Actor,
    q: str | None = None,
    org_type: str | None = None,
    province: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Organisation], int]:
    """Organisations by name (part of the Latin or Khmer name), type and province."""
    _require_reader(actor)
    query = select(Organisation)
    if q and q.strip():
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Organisation.name).like(pattern),
                Organisation.name_km.like(f"%{q.strip()}%"),
            )
        )
    if org_type:
        query = query.where(Organisation.org_type == org_type)
    if province:
        query = query.where(Organisation.province == province)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Organisation.name).offset((max(page, 1) - 1) * page_size).limit(page_size)
    ).all()
    return list(rows), total


def choices(
    session: Session, *, org_types: tuple[str, ...] = SERVICE_ORG_TYPES
) -> list[Organisation]:
    """Every organisation of ``org_types`` by name (for a form's select)."""
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.org_type.in_(org_types))
            .order_by(Organisation.name)
        )
    )


def get_org(session: Session, *, actor: Actor, org_id: int) -> Organisation:
    """One organisation by id."""
    _require_reader(actor)
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFound("organisation not found")
    return org


def _check(data: OrgIn) -> list[FieldError]:
    errors = []
    if not data.name.strip():
        errors.append(FieldError("name", "required"))
    if data.org_type not in ORG_TYPES:
        errors.append(
            FieldError("org_type", "unknown organisation type %(value)s", {"value": data.org_type})
        )
    if data.province and data.province not in PROVINCE_CODES:
        errors.append(
            FieldError("province", "unknown province code %(value)s", {"value": data.province})
        )
    if data.country not in countries():
        errors.append(
            FieldError("country", "unknown country code %(value)s", {"value": data.country})
        )
    return errors


def create_org(session: Session, *, actor: Actor, data: OrgIn) -> Organisation:
    """Add an organisation (admins and secretariat); a name already used is a conflict."""
    require_role(actor, *ORG_EDITORS)
    errors = _check(data)
    if errors:
        raise ValidationFailed(errors)
    name = " ".join(data.name.split())
    if (
        session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower()))
        is not None
    ):
        raise Conflict("an organisation named %(value)s exists", field="name", value=name)
    org = Organisation(
        name=name,
        name_km=(data.name_km or "").strip() or None,
        org_type=data.org_type,
        province=data.province or None,
        country=data.country,
        is_agency=data.is_agency,
    )
    session.add(org)
    session.flush()
    record(
        session,
        actor=actor,
        action="org.create",
        entity_type="organisation",
        entity_id=org.id,
        after=snapshot(org, ORG_FIELDS),
    )
    return org


def get_or_create_location(
    session: Session,
    *,
    country: str = "KH",
    province: str | None = None,
    district: str | None = None,
    commune: str | None = None,
    village: str | None = None,
    border_crossing: str | None = None,
    place_name: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> Location:
    """The location with exactly these parts, created when new, so places are shared rows.

    Codes are not checked here; callers (case events, referrals) validate province, country
    and border-crossing codes and report them per field.
    """
    parts = {
        "country": country or "KH",
        "province": province or None,
        "district": district or None,
        "commune": commune or None,
        "village": village or None,
        "border_crossing": border_crossing or None,
        "place_name": place_name or None,
        "latitude": lat,
        "longitude": lon,
    }
    query = select(Location).where(
        *[
            getattr(Location, name).is_(None) if value is None else getattr(Location, name) == value
            for name, value in parts.items()
        ]
    )
    found = session.scalars(query.limit(1)).first()
    if found is not None:
        return found
    location = Location(**parts)
    session.add(location)
    session.flush()
    return location
