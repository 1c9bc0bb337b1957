"""Managing users (administrators): list, create, deactivate and reactivate, lift a log-in
lock-out; and remembering
each user's interface language. Pages under ``/users`` and the JSON API under ``/api/v1/users``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from ctip.api_types import UtcDateTime
from ctip.audit.service import record
from ctip.auth import sessions
from ctip.auth.models import ROLES, User
from ctip.auth.passwords import DEFAULT_MIN_LENGTH
from ctip.auth.schemas import UserPublic
from ctip.auth.scope import Actor, require_role
from ctip.auth.service import create_user, get_user, unlock
from ctip.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from ctip.i18n import LANGUAGES, current_language
from ctip.orgs.models import Organisation
from ctip.reference import PROVINCES
from ctip.web.deps import ActorDep, FormDep, SessionDep, SettingsDep
from ctip.web.render import render

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["users"])


class UserIn(BaseModel):
    """A new user; ``org`` is the organisation's name (as in ``ctip user create --org``)."""

    username: str = Field(max_length=80)
    password: str
    role: str
    province: str | None = None
    org: str | None = None
    display_name: str = Field("", max_length=120)
    language: str = "en"


class UserAdmin(UserPublic):
    """A user as administrators see them."""

    organisation: str | None
    is_active: bool
    last_login_at: UtcDateTime | None


# --- service ------------------------------------------------------------------------------


def list_users(session: Session, *, actor: Actor) -> list[User]:
    """Every user, by username (administrators only)."""
    require_role(actor, "admin")
    return list(session.scalars(select(User).order_by(User.username)))


def add_user(
    session: Session, *, actor: Actor, data: UserIn, min_length: int = DEFAULT_MIN_LENGTH
) -> User:
    """Create a user through the shared rules (role needs province or organisation)."""
    if data.language not in LANGUAGES:
        raise ValidationFailed.single("language", "choose from the list")
    return create_user(
        session,
        username=data.username,
        password=data.password,
        role=data.role,
        province=data.province or None,
        org_name=data.org or None,
        display_name=data.display_name,
        language=data.language,
        actor=actor,
        min_length=min_length,
    )


def set_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate or reactivate a user; never oneself. Deactivating ends every session and
    deletes every API token of the user at once, so none works again after a reactivation."""
    require_role(actor, "admin")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    if user.id == actor.id:
        raise PermissionDenied("you cannot deactivate your own account")
    if not active:
        sessions.end_all(session, user_id=user.id)
    if user.is_active != active:
        user.is_active = active
        session.flush()
        record(
            session,
            actor=actor,
            action="user.update",
            entity_type="user",
            entity_id=user.id,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


def get_user_any(session: Session, user_id: int) -> User:
    """A user, active or not (administrators' pages)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    return user


def remember_language(session: Session, *, actor: Actor, language: str) -> None:
    """Store the interface language a logged-in user chose, for their next log-in."""
    if actor.id is None or language not in LANGUAGES:
        return
    user = get_user(session, actor.id)
    if user.language != language:
        before = user.language
        user.language = language
        session.flush()
        record(
            session,
            actor=actor,
            action="user.update",
            entity_type="user",
            entity_id=user.id,
            before={"language": before},
            after={"language": language},
        )


def user_admin(user: User) -> UserAdmin:
    return UserAdmin(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        province=user.province,
        organisation_id=user.organisation_id,
        language=user.language,
        organisation=user.organisation.name if user.organisation else None,
        is_active=user.is_active,
        last_login_at=user.last_login_at,
    )


# --- pages --------------------------------------------------------------------------------


def _users_page(
    request: Request,
    session: Session,
    actor: Actor,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    lang = current_language()
    orgs = list(session.scalars(select(Organisation.name).order_by(Organisation.name)))
    return render(
        request,
        "auth/users.html",
        {
            "users": [user_admin(u) for u in list_users(session, actor=actor)],
            "form": form,
            "errors": errors,
            "ROLES": ROLES,
            "org_names": [(n, n) for n in orgs],
            "province_options": [(c, km if lang == "km" else en) for c, en, km in PROVINCES],
            "language_options": list(LANGUAGES.items()),
        },
        status_code=status_code,
    )


@router.get("/users")
def users_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _users_page(request, session, actor, {"language": "km"}, {})


@router.post("/users")
def users_create(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, settings: SettingsDep
) -> Response:
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        user = add_user(
            session,
            actor=actor,
            data=UserIn(
                username=values.get("username", "")[:80],
                password=values.get("password", ""),
                role=values.get("role", ""),
                province=values.get("province") or None,
                org=values.get("org") or None,
                display_name=values.get("display_name", "")[:120],
                language=values.get("language") or "en",
            ),
            min_length=settings.password_min_length,
        )
    except (ValidationFailed, Conflict) as exc:
        errors = (
            exc.errors
            if isinstance(exc, ValidationFailed)
            else [FieldError(exc.field or "username", exc.template, exc.params)]
        )
        values.pop("password", None)
        return _users_page(
            request,
            session,
            actor,
            values,
            {e.field: e.translated(current_language()) for e in errors},
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/users?created={user.id}", status_code=303)


@router.post("/users/{user_id}/{verb}")
def users_set_active(
    request: Request, user_id: int, verb: str, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    if verb not in ("deactivate", "activate", "unlock"):
        raise NotFound("page not found")
    try:
        if verb == "unlock":
            require_role(actor, "admin")
            unlock(session, actor=actor, username=get_user_any(session, user_id).username)
        else:
            set_active(session, actor=actor, user_id=user_id, active=verb == "activate")
    except PermissionDenied as exc:
        if actor.role != "admin":
            raise
        return _users_page(
            request,
            session,
            actor,
            {},
            {"_list": exc.translated(current_language())},
            status_code=403,
        )
    return RedirectResponse("/users", status_code=303)


# --- JSON API -----------------------------------------------------------------------------


@api_router.get("/users", response_model=list[UserAdmin])
def users_json(session: SessionDep, actor: ActorDep) -> list[UserAdmin]:
    """Every user (administrators only)."""
    return [user_admin(u) for u in list_users(session, actor=actor)]


@api_router.post("/users", response_model=UserAdmin, status_code=201)
def users_create_json(
    data: UserIn, session: SessionDep, actor: ActorDep, settings: SettingsDep
) -> UserAdmin:
    """Create a user (administrators only); 409 when the username exists."""
    return user_admin(
        add_user(session, actor=actor, data=data, min_length=settings.password_min_length)
    )


@api_router.post("/users/{user_id}/deactivate", response_model=UserAdmin)
def users_deactivate_json(user_id: int, session: SessionDep, actor: ActorDep) -> UserAdmin:
    """Stop a user from logging in or using tokens (administrators only)."""
    return user_admin(set_active(session, actor=actor, user_id=user_id, active=False))


@api_router.post("/users/{user_id}/unlock", response_model=UserAdmin)
def users_unlock_json(user_id: int, session: SessionDep, actor: ActorDep) -> UserAdmin:
    """Lift a log-in lock-out on a user's account (administrators only)."""
    require_role(actor, "admin")
    user = get_user_any(session, user_id)
    unlock(session, actor=actor, username=user.username)
    return user_admin(user)
