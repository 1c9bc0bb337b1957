"""Demo organisations, places and log-ins, created once and found again on later loads.

Police units, courts and the secretariat carry generic official titles; NGOs, compounds and
venues are invented names. Every demo user has the password ``demo-password``: development
only, and refused in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.auth.models import User
from ctip.auth.service import create_user
from ctip.demo.world import (
    CASEWORKER_NGO,
    COMPOUNDS,
    HUBS,
    IMMIGRATION,
    NATIONAL_POLICE,
    NGOS,
    PROFILES,
    SECRETARIAT,
    court,
    police_unit,
)
from ctip.orgs.models import Location, Organisation
from ctip.reference import BORDER_CROSSINGS, PROVINCES, countries
from ctip.security import verify_password

DEMO_PASSWORD = "demo-password"
DEMO_URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    province: str | None
    organisation: str | None
    display_name: str


DEMO_USERS = (
    DemoUser("admin", "admin", None, None, "Demo administrator"),
    DemoUser("secretariat", "secretariat", None, SECRETARIAT, "Secretariat analyst"),
    DemoUser("officer-pp", "provincial_officer", "KH-12", None, "Provincial officer, Phnom Penh"),
    DemoUser(
        "officer-bmc", "provincial_officer", "KH-1", None, "Provincial officer, Banteay Meanchey"
    ),
    DemoUser("investigator", "investigator", None, NATIONAL_POLICE, "Police investigator"),
    DemoUser("caseworker", "ngo_caseworker", None, CASEWORKER_NGO, "NGO case worker"),
    DemoUser("viewer", "viewer", None, None, "Viewer (figures only)"),
)


def organisation_specs() -> list[tuple[str, str, str | None, bool]]:
    """Every demo organisation: (name, HTCDS type, province, is an agency with users)."""
    specs: list[tuple[str, str, str | None, bool]] = [
        (NATIONAL_POLICE, "LawEnforcement", "KH-12", True),
        (SECRETARIAT, "CentralGovernmentOrganisation", "KH-12", True),
        (IMMIGRATION, "ImmigrationService", "KH-12", True),
    ]
    for code, name, _ in PROVINCES:
        specs.append((police_unit(name), "LawEnforcement", code, True))
        specs.append((court(name), "Court", code, False))
    specs += [(name, "NGO", province, True) for name, province, _, _ in NGOS]
    specs += [(name, kind, HUBS[hub][2], False) for name, hub, kind in COMPOUNDS]
    return specs


def ensure_organisations(session: Session) -> dict[str, int]:
    """Create the demo organisations that are missing; name → id for all of them."""
    specs = organisation_specs()
    names = [name for name, *_ in specs]
    found = dict(
        session.execute(
            select(Organisation.name, Organisation.id).where(Organisation.name.in_(names))
        ).all()
    )
    for name, kind, province, agency in specs:
        if name not in found:
            org = Organisation(name=name, org_type=kind, province=province, is_agency=agency)
            session.add(org)
            session.flush()
            found[name] = org.id
    return found


def _country_codes() -> list[str]:
    codes = {"SA"}
    for profile in PROFILES:
        codes.update(profile.origin, profile.transit, profile.destination)
        codes.update(code for code, _ in profile.victim_nationalities)
    codes.update(country for _, country, _ in HUBS.values())
    return sorted(codes - {"KH"})


def location_specs(orgs: dict[str, int]) -> dict[str, Location]:
    """Every place demo events use, by key: provinces, crossings, countries, hubs."""
    specs = {
        code: Location(country="KH", province=code, place_name=name) for code, name, _ in PROVINCES
    }
    for code, name, province, _ in BORDER_CROSSINGS:
        specs["crossing:" + code] = Location(
            country="KH", province=province, border_crossing=code, place_name=name
        )
    names = countries("en")
    for code in _country_codes():
        specs["country:" + code] = Location(country=code, place_name=names.get(code, code))
    compounds = {hub: orgs[name] for name, hub, _ in reversed(COMPOUNDS)}
    for key, (place, country, hub_province) in HUBS.items():
        specs["hub:" + key] = Location(
            country=country,
            province=hub_province,
            place_name=place,
            organisation_id=compounds.get(key),
        )
    return specs


def _identity(loc: Location) -> tuple[str | None, ...]:
    return (loc.country, loc.province, loc.border_crossing, loc.place_name)


def ensure_locations(session: Session, orgs: dict[str, int]) -> dict[str, int]:
    """Create the demo places that are missing; key → id."""
    specs = location_specs(orgs)
    names = [loc.place_name for loc in specs.values()]
    existing = {
        _identity(loc): loc.id
        for loc in session.scalars(select(Location).where(Location.place_name.in_(names)))
    }
    ids: dict[str, int] = {}
    for key, loc in specs.items():
        if _identity(loc) not in existing:
            session.add(loc)
            session.flush()
            existing[_identity(loc)] = loc.id
        ids[key] = existing[_identity(loc)]
    return ids


def ensure_users(session: Session) -> list[str]:
    """Create the demo users that do not exist yet; the usernames created."""
    created = []
    for spec in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == spec.username)) is None:
            create_user(
                session,
                username=spec.username,
                password=DEMO_PASSWORD,
                role=spec.role,
                province=spec.province,
                org_name=spec.organisation,
                display_name=spec.display_name,
            )
            created.append(spec.username)
    session.flush()
    return created


def ensure_users_with_orgs(session: Session) -> list[str]:
    """The demo organisations (users belong to some) and then the demo users."""
    ensure_organisations(session)
    return ensure_users(session)


def actor_ids(session: Session) -> dict[str, int]:
    """Who plausibly recorded a demo case's steps: by province or reporting organisation."""
    actors: dict[str, int] = {}
    for spec in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == spec.username))
        if user is None or spec.role not in ("provincial_officer", "investigator"):
            continue
        key = spec.province or spec.organisation
        if key:
            actors[key] = user.id
    return actors


def working_logins(session: Session) -> list[tuple[DemoUser, bool]]:
    """Each demo user and whether it exists with the demo password (so the table is true)."""
    rows = []
    for spec in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == spec.username))
        rows.append(
            (
                spec,
                user is not None
                and user.is_active
                and verify_password(user.password_hash, DEMO_PASSWORD),
            )
        )
    return rows
