"""Log-in, API tokens and user management."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth import actor_cache, passwords, sessions, throttle
from ctip.auth.models import ROLES, ApiToken, User
from ctip.auth.passwords import DEFAULT_MIN_LENGTH
from ctip.auth.scope import SYSTEM, Actor, require_role
from ctip.auth.throttle import LoginThrottled
from ctip.db.base import utcnow
from ctip.errors import AuthenticationFailed, Conflict, FieldError, NotFound, ValidationFailed
from ctip.orgs.models import Organisation
from ctip.reference import PROVINCE_CODES
from ctip.security import (
    burn_password_check,
    hash_password,
    new_token,
    token_digest,
    verify_password,
)

PROVINCE_ROLES = frozenset({"provincial_officer"})
ORG_ROLES = frozenset({"investigator", "ngo_caseworker"})


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
    session: Session,
    *,
    username: str,
    password: str,
    address: str | None,
    limits: throttle.Limits | None = None,
) -> User | None:
    """The active user with these credentials, or None; both outcomes are audited.

    With ``limits``, a username or address with too many recent failures is refused
    (``LoginThrottled``, audited as ``auth.locked``) before the password is even checked. An
    unknown username costs the same Argon2 verification as a wrong password."""
    name, now = username.strip(), utcnow()
    anonymous = Actor(id=None, username=name[:80] or "?", role="anonymous", address=address)
    if limits is not None:
        wait = throttle.seconds_locked(
            session, username=name, address=address, limits=limits, now=now
        )
        if wait:
            record(session, actor=anonymous, action="auth.locked", detail=f"retry in {wait} s")
            raise LoginThrottled("too many failed log-ins; try again later", seconds=wait)
    user = session.scalar(select(User).where(User.username == name)) if name else None
    if user is None or not user.is_active:
        burn_password_check(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if user is None or not ok or not user.is_active:
        throttle.note_failure(session, username=name, address=address, now=now)
        record(
            session,
            actor=anonymous,
            action="auth.login_failed",
            detail="wrong username or password",
        )
        return None
    throttle.clear(session, username=name)
    user.last_login_at = now
    record(
        session,
        actor=actor_for(user, address),
        action="auth.login",
        entity_type="user",
        entity_id=user.id,
    )
    return user


def change_password(
    session: Session,
    *,
    actor: Actor,
    current: str,
    new: str,
    min_length: int = DEFAULT_MIN_LENGTH,
) -> User:
    """Change the actor's own password; every session and API token of theirs ends."""
    if actor.id is None:
        raise NotFound("user not found")
    user = get_user(session, actor.id)
    if not verify_password(user.password_hash, current):
        raise ValidationFailed.single("current_password", "the current password is wrong")
    errors = passwords.problems(new, username=user.username, min_length=min_length)
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(new)
    sessions.end_all(session, user_id=user.id)
    session.flush()
    record(
        session, actor=actor, action="auth.password_change", entity_type="user", entity_id=user.id
    )
    return user


def unlock(
    session: Session, *, actor: Actor, username: str | None = None, address: str | None = None
) -> int:
    """An administrator lifts a log-in lock-out on a username and/or an address (audited)."""
    require_role(actor, "admin")
    if not username and not address:
        raise ValidationFailed.single("username", "required")
    removed = throttle.clear(session, username=username, address=address)
    record(
        session,
        actor=actor,
        action="auth.unlock",
        detail=f"{removed} failed log-ins forgotten",
        after={"username": username, "address": address},
    )
    return removed


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


def revoke_token(session: Session, *, token: str) -> None:
    """Delete a bearer token (API log-out)."""
    actor_cache.forget(token_digest(token), session)
    session.execute(delete(ApiToken).where(ApiToken.digest == token_digest(token)))


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
    min_length: int = DEFAULT_MIN_LENGTH,
) -> User:
    """Create a user (admins only; the CLI acts as the system); the password must pass the
    policy in ``ctip.auth.passwords``."""
    require_role(actor, "admin")
    org = (
        session.scalar(select(Organisation).where(Organisation.name == org_name))
        if org_name
        else None
    )
    errors = _check_user_fields(role, province, org, org_name, password)
    errors += passwords.problems(password, username=username, min_length=min_length)
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
