"""Log-in, API tokens and user management."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.models import ROLES, ApiToken, User
from ctip.auth.scope import SYSTEM, Actor, require_role
from ctip.db.base import utcnow
from ctip.errors import AuthenticationFailed, Conflict, FieldError, NotFound, ValidationFailed
from ctip.orgs.models import Organisation
from ctip.reference import PROVINCE_CODES
from ctip.security import hash_password, new_token, token_digest, verify_password

PROVINCE_ROLES = frozenset({"provincial_officer"})
ORG_ROLES = frozenset({"investigator", "ngo_caseworker"})
MIN_PASSWORD = 8


def actor_for(user: User, address: str | None = None) -> Actor:
    return Actor(
        id=user.id,
        username=user.username,
        role=user.role,
        province=user.province,
        organisation_id=user.organisation_id,
        display_name=user.display_name,
        language=user.language,
        address=address,
    )


def actor_named(session: Session, username: str | None, address: str = "cli") -> Actor:
    """The named active user as an actor (command line ``--user``), or the system."""
    if not username:
        return SYSTEM
    user = session.scalar(select(User).where(User.username == username, User.is_active))
    if user is None:
        raise NotFound("no active user %(username)s", username=username)
    return actor_for(user, address)


def authenticate(
    session: Session, *, username: str, password: str, address: str | None
) -> User | None:
    """The active user with these credentials, or None; both outcomes are audited."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        record(
            session,
            actor=Actor(id=None, username=username[:80] or "?", role="anonymous", address=address),
            action="auth.login_failed",
            detail="wrong username or password",
        )
        return None
    user.last_login_at = utcnow()
    record(
        session,
        actor=actor_for(user, address),
        action="auth.login",
        entity_type="user",
        entity_id=user.id,
    )
    return user


def issue_token(session: Session, *, user: User, hours: int) -> str:
    """A new bearer token for ``user``; only its digest is stored."""
    token = new_token()
    now = utcnow()
    session.add(
        ApiToken(
            user_id=user.id,
            digest=token_digest(token),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token


def user_for_token(session: Session, *, token: str) -> User:
    row = session.scalar(select(ApiToken).where(ApiToken.digest == token_digest(token)))
    if row is None or row.expires_at < utcnow():
        raise AuthenticationFailed("invalid or expired token")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed("invalid or expired token")
    return user


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound("user not found")
    return user


def _check_user_fields(
    role: str, province: str | None, org: Organisation | None, org_name: str | None, password: str
) -> list[FieldError]:
    errors = []
    if role not in ROLES:
        errors.append(
            FieldError(
                "role",
                "unknown role %(value)s; one of %(allowed)s",
                {"value": role, "allowed": ", ".join(ROLES)},
            )
        )
    if province is not None and province not in PROVINCE_CODES:
        errors.append(
            FieldError("province", "unknown province code %(value)s", {"value": province})
        )
    if role in PROVINCE_ROLES and province is None:
        errors.append(FieldError("province", "this role needs a province"))
    if org_name and org is None:
        errors.append(FieldError("org", "no organisation named %(value)s", {"value": org_name}))
    if role in ORG_ROLES and org is None:
        errors.append(FieldError("org", "this role needs an organisation"))
    if len(password) < MIN_PASSWORD:
        errors.append(FieldError("password", "at least %(n)s characters", {"n": MIN_PASSWORD}))
    return errors


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    province: str | None = None,
    org_name: str | None = None,
    display_name: str = "",
    language: str = "en",
    actor: Actor = SYSTEM,
) -> User:
    """Create a user (admins only; the CLI acts as the system)."""
    require_role(actor, "admin")
    org = (
        session.scalar(select(Organisation).where(Organisation.name == org_name))
        if org_name
        else None
    )
    errors = _check_user_fields(role, province, org, org_name, password)
    if not username.strip():
        errors.append(FieldError("username", "required"))
    if errors:
        raise ValidationFailed(errors)
    if session.scalar(select(User.id).where(User.username == username.strip())):
        raise Conflict("user %(value)s exists", field="username", value=username)
    user = User(
        username=username.strip(),
        password_hash=hash_password(password),
        role=role,
        province=province,
        organisation_id=org.id if org else None,
        display_name=display_name or username,
        language=language,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        after={"username": user.username, "role": role, "province": province, "org": org_name},
    )
    return user
