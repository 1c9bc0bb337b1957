"""Who may see and change what. Every service filters with these clauses, so pages, API,
exports and CLI share one rule set. A record outside the caller's scope is *not found*.

Roles:
- ``admin``: everything, plus users and the audit log.
- ``secretariat``: reads every case nationally; records screening decisions and statistics.
- ``provincial_officer``: reads and writes the cases of their own province.
- ``investigator``: reads and writes their agency's cases and the cases shared with it.
- ``ngo_caseworker``: only cases referred to their organisation, and only the victim side;
  a person their organisation recorded stays readable only while that person is a suspect or
  broker on no case, and they change only the persons they recorded themselves.
- ``viewer``: aggregate figures only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from sqlalchemy import ColumnElement, and_, exists, false, or_, true
from sqlalchemy.orm import aliased

from ctip.cases.models import Case, CasePerson, CaseShare
from ctip.errors import PermissionDenied
from ctip.persons.models import Person
from ctip.reference import OFFENDER_ROLES, VICTIM_SIDE_ROLES
from ctip.referrals.models import Referral

NATIONAL_READERS = frozenset({"admin", "secretariat"})
CASE_WRITERS = frozenset({"admin", "provincial_officer", "investigator"})
OPEN_REFERRAL = ("pending", "accepted")


@dataclass(frozen=True)
class Actor:
    """The authenticated user on whose behalf a service acts."""

    id: int | None
    username: str
    role: str
    province: str | None = None
    organisation_id: int | None = None
    display_name: str = ""
    language: str = "en"
    address: str | None = None

    @property
    def is_national(self) -> bool:
        return self.role in NATIONAL_READERS

    @property
    def sees_offenders(self) -> bool:
        """NGO case workers see only the victim side of a case."""
        return self.role != "ngo_caseworker"

    @property
    def sees_case_identifiers(self) -> bool:
        """Identifiers recorded on a case itself (not on a person) are mostly the offenders'
        — the recruiter's page, the broker's number — so the victim side does not see them,
        nor find a case through them."""
        return self.sees_offenders


SYSTEM = Actor(id=None, username="system", role="admin")

S = TypeVar("S")
# What the scope clauses below read of an actor (``visible_cases`` ... ``_owned``).
ScopeKey = tuple[int | None, str, str | None, int | None]
# The same without the user: what most scoped statements depend on.
RoleKey = tuple[str, str | None, int | None]


def scope_key(actor: Actor) -> ScopeKey:
    """The fields of ``actor`` that the scope clauses depend on: two actors with the same key
    get the same clauses."""
    return (actor.id, actor.role, actor.province, actor.organisation_id)


class _IdWatch(Actor):
    """An actor that notes whether a builder read its ``id`` (``per_scope``)."""

    def __getattribute__(self, name: str) -> object:
        if name == "id":
            object.__setattr__(self, "_id_read", True)
        return super().__getattribute__(name)


_BY_USER = object()  # ``per_scope``: the statement reads the user's id

# Every builder ``per_scope`` wraps, so that a test can compare each one's cached statement
# with one built afresh for many actors (tests/security/test_scope_cache_key.py).
SCOPED_BUILDERS: list[Callable[..., object]] = []


def per_scope(build: Callable[..., S], *, size: int = 1024) -> Callable[..., S]:
    """``build(actor, *args)`` (a statement whose scope clauses are built for ``actor``, with
    ``bindparam`` for what changes between requests) built once per scope and hashable
    ``args``, and reused.

    Building a scoped statement and computing its cache key cost more CPU than running it
    (0.9 ms against 0.6 ms for the case page's people); a statement is immutable, so one
    built object serves every request and thread of that scope. A statement is cached by
    role, province and organisation, the fields the case clauses read, so every officer of
    a province shares one; a builder that reads the actor's ``id`` (``_owned``: persons
    the user recorded) is noticed on its first build and cached per user instead. A changed
    role, province or organisation always gets its own statement. The id is noticed only
    when the builder reads ``actor.id`` while it builds: a builder must not defer the read
    (a ``bindparam`` callable, a lambda statement) nor go around attribute access; the test
    over ``SCOPED_BUILDERS`` compares every builder's cached statement with a fresh one.
    """

    SCOPED_BUILDERS.append(build)

    @lru_cache(maxsize=size)
    def per_role(key: RoleKey, *args: Hashable) -> object:
        role, province, organisation_id = key
        probe = _IdWatch(
            id=None, username="", role=role, province=province, organisation_id=organisation_id
        )
        built = build(probe, *args)
        return _BY_USER if probe.__dict__.get("_id_read") else built

    @lru_cache(maxsize=size)
    def per_user(key: ScopeKey, *args: Hashable) -> S:
        user_id, role, province, organisation_id = key
        scope = Actor(
            id=user_id, username="", role=role, province=province, organisation_id=organisation_id
        )
        return build(scope, *args)

    def statement(actor: Actor, *args: Hashable) -> S:
        shared = per_role((actor.role, actor.province, actor.organisation_id), *args)
        if shared is _BY_USER:
            return per_user(scope_key(actor), *args)
        return shared  # type: ignore[return-value]

    return statement


# One alias per process: building ``aliased(Case)`` on every call rebuilt its columns each
# time (about 2.5 ms a scoped page). An alias is immutable, so sharing it is safe.
_ON_CASE = aliased(Case, name="on_case")


def visible_cases(actor: Actor, case: type[Case] = Case) -> ColumnElement[bool]:
    """WHERE clause on ``Case`` (or an alias of it, ``case``) selecting the cases ``actor``
    may read."""
    if actor.is_national:
        return true()
    if actor.role == "provincial_officer":
        return case.province == actor.province
    if actor.role == "investigator":
        shared = exists().where(
            CaseShare.case_id == case.id, CaseShare.organisation_id == actor.organisation_id
        )
        return or_(case.reporting_org_id == actor.organisation_id, shared)
    if actor.role == "ngo_caseworker":
        return exists().where(
            Referral.case_id == case.id,
            Referral.to_org_id == actor.organisation_id,
            Referral.status.in_(OPEN_REFERRAL),
        )
    return false()


def visible_participants(actor: Actor, link: type[CasePerson] = CasePerson) -> ColumnElement[bool]:
    """WHERE clause on ``CasePerson`` (or an alias of it, ``link``): roles the actor may see
    on a visible case.

    The case is checked through a correlated lookup of the row's own case (by primary key),
    not a list of every visible case, so the cost per row does not grow with the scope.
    """
    if actor.is_national:
        return true()
    case_ok = exists().where(_ON_CASE.id == link.case_id, visible_cases(actor, _ON_CASE))
    return and_(case_ok, roles_shown(actor, link))


def roles_shown(actor: Actor, link: type[CasePerson] = CasePerson) -> ColumnElement[bool]:
    """WHERE clause on ``CasePerson``: the roles ``visible_participants`` lets the actor see,
    for rows of one case the caller has already proven visible (no second case check)."""
    if actor.is_national or actor.sees_offenders:
        return true()
    return link.role.in_(VICTIM_SIDE_ROLES)


def _never_offender() -> ColumnElement[bool]:
    """``Person`` holds no suspect or broker role on any case (visible or not)."""
    offender = aliased(CasePerson)
    return ~exists().where(
        offender.person_id == Person.id, offender.role.in_(sorted(OFFENDER_ROLES))
    )


def _owned(actor: Actor) -> ColumnElement[bool]:
    """``Person`` recorded by the actor, their province (officers) or their organisation."""
    owned = [Person.created_by_id == actor.id] if actor.id is not None else []
    if actor.role == "provincial_officer":
        owned.append(Person.owner_province == actor.province)
    if actor.organisation_id is not None:
        owned.append(Person.owner_org_id == actor.organisation_id)
    return or_(false(), *owned)


def visible_persons(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``Person``: on a visible case in a visible role, or owned by the actor.

    For an NGO case worker ownership never reaches past the victim side: a person their
    organisation recorded who is a suspect or broker on any case is not found."""
    if actor.is_national:
        return true()
    if actor.role == "viewer":
        return false()
    in_case = exists().where(CasePerson.person_id == Person.id, visible_participants(actor))
    if not actor.sees_offenders:
        return or_(in_case, and_(_owned(actor), _never_offender()))
    return or_(in_case, _owned(actor))


def writable_persons(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause on ``Person``: the persons the actor may change (a subset of
    ``visible_persons``; the role must also be allowed to change persons at all).

    An NGO case worker changes only the victim-side persons they recorded themselves."""
    if not actor.sees_offenders:
        if actor.id is None:
            return false()
        return and_(Person.created_by_id == actor.id, _never_offender())
    return visible_persons(actor)


def require_case_writer(actor: Actor) -> None:
    if actor.role not in CASE_WRITERS:
        raise PermissionDenied("your role cannot change cases", role=actor.role)


def require_province(actor: Actor, province: str) -> None:
    """A provincial officer acts only in their own province."""
    if actor.role == "provincial_officer" and province != actor.province:
        raise PermissionDenied(
            "you work in %(own)s and cannot act in %(province)s",
            field="province",
            own=actor.province,
            province=province,
        )


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied("your role cannot do this", role=actor.role)


def figure_cases(actor: Actor, case: type[Case] = Case) -> ColumnElement[bool]:
    """WHERE clause on ``Case``: the cases whose records count in the figures ``actor`` sees
    (the dashboard's counts and the statistics engine both apply it).

    Viewers see national aggregate counts (no reference, no breakdown beyond the dashboard's);
    exact statistics tables go to them only as published tables (``require_exact_figures``).
    Everyone else counts exactly the cases they may read."""
    return true() if actor.role == "viewer" else visible_cases(actor, case)


def figure_scope(actor: Actor) -> str:
    """The key of the cases ``figure_cases`` selects for ``actor``: actors with the same key
    see the same figures, so figures stored under it (the goal panel's) serve them all.
    ``national`` for national readers, ``province:KH-n`` for a provincial officer,
    ``<role>:<organisation>`` for investigators and NGO case workers."""
    if actor.is_national:
        return "national"
    if actor.role == "provincial_officer":
        return f"province:{actor.province}"
    return f"{actor.role}:{actor.organisation_id}"


def figure_scope_actor(key: str) -> Actor:
    """An actor whose ``figure_cases`` are those of ``key`` (``figure_scope``'s inverse)."""
    if key == "national":
        return Actor(id=None, username="figures", role="secretariat")
    role, _, rest = key.partition(":")
    if role == "province":
        return Actor(id=None, username="figures", role="provincial_officer", province=rest)
    if role in ("investigator", "ngo_caseworker") and (rest.isdigit() or rest == "None"):
        organisation = int(rest) if rest.isdigit() else None  # None: no organisation, no case
        return Actor(id=None, username="figures", role=role, organisation_id=organisation)
    raise ValueError(f"not a figure scope: {key}")


def require_exact_figures(actor: Actor) -> None:
    """Exact (unsuppressed) statistics tables are for roles that read cases."""
    if actor.role == "viewer":
        raise PermissionDenied("your role sees only published statistics", role=actor.role)
