"""Recording, reading, changing, finding and sharing cases, always within the caller's scope.

A case outside the caller's scope is *not found*; a case the caller sees but may not change
is *not allowed*. Every write is audited with the record before and after, every read too.
Reference numbers ``KH-<n>-<year>-<000123>`` come from a per-province, per-year counter
incremented inside the caller's transaction (an upsert, which locks the counter row).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, cast, event, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ctip.audit.service import record, snapshot
from ctip.auth.scope import (
    Actor,
    per_scope,
    require_case_writer,
    require_province,
    visible_cases,
)
from ctip.cases import hooks, rules
from ctip.cases.lifecycle import INITIAL, STATUSES
from ctip.cases.models import Case, CaseEvent, CasePerson, CaseSequence, CaseShare
from ctip.cases.schemas import CaseFilters, CaseIn, CaseOut, CaseRow, CaseUpdate
from ctip.db.dialect import dialect_for
from ctip.errors import (
    Conflict,
    FieldError,
    NotFound,
    PermissionDenied,
    StaleVersion,
    ValidationFailed,
)
from ctip.identifiers.service import case_ids_matching
from ctip.orgs.models import Organisation
from ctip.persons.service import matching_name_ids
from ctip.reference import VICTIM_SIDE_ROLES

# What the audit trail keeps of a case before and after a change (stored encrypted).
CASE_FIELDS = (
    "title",
    "summary",
    "province",
    "opened_on",
    "exploitation_types",
    "forced_labour_subtype",
    "industry",
    "origin_countries",
    "transit_countries",
    "exploitation_countries",
    "reporting_org_id",
    "status",
    "status_changed_on",
)
EDITABLE = tuple(f for f in CASE_FIELDS if f not in ("status", "status_changed_on"))
MAX_PAGE_SIZE = 200


def next_sequence(session: Session, *, province: str, year: int) -> int:
    """The next case number of ``province`` in ``year``, claimed in the caller's transaction.

    One upsert statement increments the counter and returns it; the row stays locked until
    the transaction ends, so two offices recording at once never get the same number.
    """
    insert = dialect_for(session.get_bind().dialect.name).insert
    stmt = insert(CaseSequence).values(province=province, year=year, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["province", "year"], set_={"last": CaseSequence.last + 1}
    )
    return int(session.execute(stmt.returning(CaseSequence.last)).scalar_one())


def claim_sequence(session: Session, *, province: str, year: int) -> int:
    """The next free case number: numbers already used (an import that bypassed the counter)
    are skipped rather than failing the new case."""
    while True:
        sequence = next_sequence(session, province=province, year=year)
        taken = session.scalar(
            select(Case.id).where(
                Case.province == province, Case.year == year, Case.sequence == sequence
            )
        )
        if taken is None:
            return sequence


def format_reference(province: str, year: int, sequence: int) -> str:
    """``KH-1``, 2024, 123 → ``KH-1-2024-000123``."""
    return f"{province}-{year}-{sequence:06d}"


def _check_org(session: Session, org_id: int | None) -> list[FieldError]:
    if org_id is not None and session.get(Organisation, org_id) is None:
        return [
            FieldError("reporting_org_id", "no organisation with id %(value)s", {"value": org_id})
        ]
    return []


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Codes upper-cased where the standard writes them so, repeats and blanks dropped."""
    out = dict(values)
    for name in rules.COUNTRY_FIELDS:
        if out.get(name) is not None:
            out[name] = list(dict.fromkeys(c.strip().upper() for c in out[name] if c.strip()))
    if out.get("exploitation_types") is not None:
        out["exploitation_types"] = list(dict.fromkeys(out["exploitation_types"]))
    for name in ("title", "summary"):
        if isinstance(out.get(name), str):
            out[name] = out[name].strip() or (None if name == "summary" else "")
    return out


def field_errors(values: dict[str, Any]) -> list[FieldError]:
    """The case rules on plain submitted values (for reporting every problem at once)."""
    return rules.case_errors(_clean(values), date.today())


def _validate(session: Session, values: dict[str, Any], merged: dict[str, Any]) -> None:
    errors = rules.case_errors(values, date.today())
    errors += rules.subtype_errors(
        merged.get("exploitation_types") or [], merged.get("forced_labour_subtype")
    )
    errors += _check_org(session, values.get("reporting_org_id"))
    if errors:
        raise ValidationFailed(errors)


def create(session: Session, *, actor: Actor, data: CaseIn) -> Case:
    """Record a case with a fresh reference number; its first status is ``reported``.

    Investigators' cases belong to their agency; a provincial officer records only in their
    own province. The creation and its first status change are audited and on the timeline.
    """
    require_case_writer(actor)
    values = _clean(data.model_dump())
    if actor.role == "investigator":
        values["reporting_org_id"] = actor.organisation_id
    _validate(session, values, values)
    require_province(actor, values["province"])
    case = Case(
        **values,
        year=values["opened_on"].year,
        status=INITIAL,
        status_changed_on=values["opened_on"],
        created_by_id=actor.id,
    )
    case.sequence = claim_sequence(session, province=case.province, year=case.year)
    case.reference = format_reference(case.province, case.year, case.sequence)
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(
            case_id=case.id,
            event_type="status_change",
            to_status=INITIAL,
            occurred_on=case.opened_on,
            actor_id=actor.id,
        )
    )
    record(
        session,
        actor=actor,
        action="case.create",
        entity_type="case",
        entity_id=case.id,
        after={"reference": case.reference, **snapshot(case, CASE_FIELDS)},
    )
    return case


# Session.info key: (actor, case id) -> the case, for cases this session has proven
# visible. A request checks a case once however many of its readers ask (the case page's
# persons, timeline, identifiers, referrals and the parts' blocks).
PROVEN = "ctip_proven_cases"


def visible(session: Session, *, actor: Actor, case_id: int, for_update: bool = False) -> Case:
    """The case if the actor may read it, else ``NotFound`` (not audited: internal use).
    Asked again in the same session (and no write since), it answers without a query.

    ``for_update`` locks the row (PostgreSQL) and re-reads it, so a version checked against it
    stays true until commit: two people saving at once get a clear "changed meanwhile"
    answer instead of a failed flush.
    """
    proven = session.info.setdefault(PROVEN, {})
    key = (actor, case_id)
    if not for_update and key in proven:
        return proven[key]
    query = select(Case).where(Case.id == case_id, visible_cases(actor))
    if for_update:
        query = query.with_for_update(of=Case).execution_options(populate_existing=True)
    case = session.scalar(query)
    if case is None:
        raise NotFound("case not found", id=case_id)
    proven[key] = case
    return case


def prove_visible(session: Session, *, actor: Actor, case: Case) -> None:
    """Note that ``actor`` may read ``case`` (read by a query that applied
    ``visible_cases``), so ``visible`` answers from the note for the rest of the session."""
    session.info.setdefault(PROVEN, {})[(actor, case.id)] = case


@event.listens_for(Session, "after_flush")
def _forget_proven(session: Session, context: object) -> None:
    """A change can move a case out of someone's scope: after any write, check again."""
    session.info.pop(PROVEN, None)


def get(session: Session, *, actor: Actor, case_id: int) -> Case:
    """The case if the actor may read it (else ``NotFound``); the read is audited."""
    case = visible(session, actor=actor, case_id=case_id)
    record(session, actor=actor, action="case.read", entity_type="case", entity_id=case.id)
    return case


def find_reference(session: Session, *, actor: Actor, reference: str) -> int:
    """The id of the visible case with this reference number (``kh-1-2024-000123`` too)."""
    case_id = session.scalar(
        select(Case.id).where(Case.reference == reference.strip().upper(), visible_cases(actor))
    )
    if case_id is None:
        raise NotFound("no case %(reference)s", reference=reference)
    return case_id


def reference_choices(session: Session, *, actor: Actor, limit: int = 300) -> list[tuple[str, str]]:
    """(reference, title) of the cases the actor sees, newest first, for pickers that take a
    reference number instead of an internal id."""
    rows = session.execute(
        select(Case.reference, Case.title)
        .where(visible_cases(actor))
        .order_by(Case.opened_on.desc(), Case.id.desc())
        .limit(limit)
    ).all()
    return [(ref, title) for ref, title in rows]


def case_id_of(session: Session, *, actor: Actor, value: str, field: str = "case") -> int:
    """The id of the visible case a form names by its reference number; a missing or unknown
    reference is a field error (the same for a case outside the actor's scope)."""
    if not value.strip():
        raise ValidationFailed.single(field, "required")
    try:
        return find_reference(session, actor=actor, reference=value)
    except NotFound:
        raise ValidationFailed.single(field, "no case %(reference)s", reference=value.strip())


def for_write(session: Session, *, actor: Actor, case_id: int) -> Case:
    """The case if the actor may change it: visible (else 404), and a writer in its province.
    The row is locked until the change commits."""
    case = visible(session, actor=actor, case_id=case_id, for_update=True)
    require_case_writer(actor)
    require_province(actor, case.province)
    return case


def can_write(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` (who sees ``case``) may change it."""
    try:
        require_case_writer(actor)
        require_province(actor, case.province)
    except PermissionDenied:
        return False
    return True


def check_version(case: Case | CasePerson, sent: int | None) -> None:
    """Refuse a change based on an old read of the record."""
    if sent is not None and sent != case.version:
        raise StaleVersion(
            "this record was changed by someone else (version %(sent)s, now "
            "%(current)s); reload it and try again",
            field="version",
            sent=sent,
            current=case.version,
        )


def flush_versioned(session: Session) -> None:
    """Write pending changes; a concurrent writer who got there first means a stale version."""
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(
            "this record was changed by someone else; reload it and try again", field="version"
        )


def update(session: Session, *, actor: Actor, case_id: int, data: CaseUpdate) -> Case:
    """Change the fields sent (PATCH); a stale ``version`` changes nothing (409).

    The province is part of the reference number and cannot change.
    """
    case = for_write(session, actor=actor, case_id=case_id)
    check_version(case, data.version)
    values = _clean({k: getattr(data, k) for k in data.model_fields_set if k in EDITABLE})
    if "province" in values and values["province"] != case.province:
        raise ValidationFailed.single(
            "province", "the province is part of the reference number and cannot change"
        )
    if actor.role == "investigator":
        values.pop("reporting_org_id", None)
    before = snapshot(case, CASE_FIELDS)
    _validate(session, values, {**before, **values})
    for name, value in values.items():
        setattr(
            case, name, [] if value is None and name.endswith(("types", "countries")) else value
        )
    flush_versioned(session)
    record(
        session,
        actor=actor,
        action="case.update",
        entity_type="case",
        entity_id=case.id,
        before=before,
        after=snapshot(case, CASE_FIELDS),
    )
    return case


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_match(actor: Actor, q: str) -> ColumnElement[bool]:
    """``q`` as a reference prefix, part of a title, a person's name or an identifier."""
    like = f"%{_escape_like(q.lower())}%"
    people = select(CasePerson.case_id).where(CasePerson.person_id.in_(matching_name_ids(q)))
    if not actor.sees_offenders:
        people = people.where(CasePerson.role.in_(VICTIM_SIDE_ROLES))
    return or_(
        Case.reference.like(_escape_like(q.upper()) + "%", escape="\\"),
        func.lower(Case.title).like(like, escape="\\"),
        Case.id.in_(people),
        Case.id.in_(case_ids_matching(q, actor)),
    )


def conditions(actor: Actor, filters: CaseFilters) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a case search: the actor's scope and each filter given."""
    where = [visible_cases(actor)]
    if filters.reference and filters.reference.strip():
        prefix = _escape_like(filters.reference.strip().upper())
        where.append(Case.reference.like(prefix + "%", escape="\\"))
    if filters.q and filters.q.strip():
        where.append(_text_match(actor, filters.q.strip()))
    if filters.province and not (
        actor.role == "provincial_officer" and filters.province == actor.province
    ):  # (an officer's scope already is ``province == their own``: not twice)
        where.append(Case.province == filters.province)
    if filters.status:
        where.append(Case.status == filters.status)
    if filters.exploitation_type:
        code = _escape_like(filters.exploitation_type)
        where.append(cast(Case.exploitation_types, String).like(f'%"{code}"%', escape="\\"))
    if filters.opened_from:
        where.append(Case.opened_on >= filters.opened_from)
    if filters.opened_to:
        where.append(Case.opened_on <= filters.opened_to)
    return where


def _filter_errors(filters: CaseFilters) -> list[FieldError]:
    errors = rules.province_errors("province", filters.province)
    errors += rules.code_errors("status", filters.status, STATUSES)
    errors += rules.code_errors("type", filters.exploitation_type, rules.EXPLOITATION_TYPES)
    return errors


def _unindexed(column: Any) -> Any:
    """``column`` as an expression no index covers, for ORDER BY.

    A free-text search matches few cases scattered over all dates; walking the date index
    to find them visits every row out of order, while scanning the table and keeping the
    newest 50 is several times faster (SQLite would otherwise pick the index).
    """
    return func.coalesce(column, column)


_ROW_COLUMNS = (
    Case.id,
    Case.reference,
    Case.title,
    Case.province,
    Case.opened_on,
    Case.status,
    Case.exploitation_types,
)


def _checked_conditions(actor: Actor, filters: CaseFilters) -> list[ColumnElement[bool]]:
    errors = _filter_errors(filters)
    if errors:
        raise ValidationFailed(errors)
    return conditions(actor, filters)


def _page_query(
    actor: Actor,
    filters: CaseFilters,
    where: list[ColumnElement[bool]],
    marks: tuple[str, ...],
) -> Any:
    """The rows of a case search, newest first (``opened_on``, then ``id``, both descending),
    with the marks other parts put on rows (``hooks.on_case_list_mark``, ``marks`` naming
    them) as columns."""
    newest = _unindexed(Case.opened_on) if filters.q and filters.q.strip() else Case.opened_on
    columns = (*_ROW_COLUMNS, *hooks.case_list_marks(actor, marks))
    return select(*columns).where(*where).order_by(newest.desc(), Case.id.desc())


def _rows(session: Session, query: Any, params: dict[str, Any] | None = None) -> list[CaseRow]:
    """The rows of ``query``, run on the session's connection (in its transaction): plain
    columns need none of the ORM's result processing, which cost more than the rows."""
    result = session.connection().execute(query, params)
    marks = [(i, key[5:]) for i, key in enumerate(result.keys()) if key.startswith("mark_")]
    return [
        CaseRow(
            id=r[0],
            reference=r[1],
            title=r[2],
            province=r[3],
            opened_on=r[4],
            status=r[5],
            exploitation_types=r[6],
            marks=[name for i, name in marks if r[i]],
        )
        for r in result
    ]


def count(session: Session, *, actor: Actor, filters: CaseFilters) -> int:
    """How many cases within scope match ``filters`` (one ``count(*)``)."""
    return _count(session, _checked_conditions(actor, filters))


def _count(session: Session, where: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(Case).where(*where)) or 0


def search(
    session: Session, *, actor: Actor, filters: CaseFilters, page: int = 1, page_size: int = 50
) -> tuple[list[CaseRow], int]:
    """One page of the cases matching ``filters`` within scope, newest first, and the total.

    Only the listed columns are read (no decryption, no per-row queries).
    """
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    if not (filters.q and filters.q.strip()):
        # Without free text the statements depend on the scope and the filters only: built
        # once per both (``per_scope``); the page is a bound parameter.
        key, typed = _filter_key(filters), _typed(filters)
        total = session.connection().scalar(_plain_count(actor, key), typed) or 0
        paging = {"offset": (page - 1) * page_size, "limit": page_size, **typed}
        return _rows(session, _plain_page(actor, key, hooks.mark_names()), paging), total
    where = _checked_conditions(actor, filters)
    total = _count(session, where)
    query = _page_query(actor, filters, where, hooks.mark_names())
    query = query.offset((page - 1) * page_size).limit(page_size)
    return _rows(session, query), total


FilterKey = tuple[bool, str | None, str | None, str | None, date | None, date | None]


def _filter_key(filters: CaseFilters) -> FilterKey:
    """``filters`` without ``q``, checked (a 422 names each bad field), as a hashable key.
    The reference is free text: the key says only whether one is given, and the statements
    take it as the bound parameter ``:reference`` (``_typed``), so no cached statement keeps
    what a reader typed nor is one cached per text."""
    errors = _filter_errors(filters)
    if errors:
        raise ValidationFailed(errors)
    return (
        bool(filters.reference and filters.reference.strip()),
        filters.province,
        filters.status,
        filters.exploitation_type,
        filters.opened_from,
        filters.opened_to,
    )


def _typed(filters: CaseFilters) -> dict[str, str]:
    """The bound ``:reference`` prefix pattern of ``filters`` (none without a reference)."""
    reference = (filters.reference or "").strip()
    return {"reference": _escape_like(reference.upper()) + "%"} if reference else {}


def _plain_conditions(actor: Actor, key: FilterKey) -> list[ColumnElement[bool]]:
    """``conditions`` of ``key``'s filters, the reference prefix as ``:reference``."""
    where = conditions(actor, _unkeyed(key))
    if key[0]:
        where.append(Case.reference.like(bindparam("reference"), escape="\\"))
    return where


def _unkeyed(key: FilterKey) -> CaseFilters:
    """The filters of ``key`` other than the reference (``_plain_conditions`` adds it)."""
    _reference, province, status, exploitation_type, opened_from, opened_to = key
    return CaseFilters(
        province=province,
        status=status,
        exploitation_type=exploitation_type,
        opened_from=opened_from,
        opened_to=opened_to,
    )


@per_scope
def _plain_count(actor: Actor, key: FilterKey) -> Any:
    """``count(*)`` of the cases within scope matching the filters of ``key``."""
    return select(func.count()).select_from(Case).where(*_plain_conditions(actor, key))


@per_scope
def _plain_page(actor: Actor, key: FilterKey, marks: tuple[str, ...]) -> Any:
    """The rows of ``key``'s cases within scope, newest first, ``:limit`` after ``:offset``,
    with ``marks`` (the registered mark names: a part registered later gets new statements)."""
    query = _page_query(actor, _unkeyed(key), _plain_conditions(actor, key), marks)
    return query.offset(bindparam("offset")).limit(bindparam("limit"))


def cursor_of(row: CaseRow) -> str:
    """The keyset cursor after ``row``: ``<opened on>_<id>`` (``2024-01-31_123``)."""
    return f"{row.opened_on.isoformat()}_{row.id}"


def _cursor(cursor: str) -> tuple[date, int]:
    """The opening date and id of a cursor's case; a bad cursor is a 422."""
    day, _, number = cursor.partition("_")
    try:
        return date.fromisoformat(day), int(number)
    except ValueError:
        raise ValidationFailed.single("after", "not a page cursor: %(value)s", value=cursor)


def _after(cursor: str | tuple[Any, Any]) -> ColumnElement[bool]:
    """Cases that come after the cursor's case (or the bound parameters of one), newest
    first; a bad cursor is a 422."""
    opened, case_id = _cursor(cursor) if isinstance(cursor, str) else cursor
    return or_(Case.opened_on < opened, and_(Case.opened_on == opened, Case.id < case_id))


@per_scope
def _plain_after(actor: Actor, key: FilterKey, marks: tuple[str, ...]) -> Any:
    """``_plain_page`` after the case ``:opened``, ``:after_id`` (keyset), ``:limit`` rows."""
    where = [*_plain_conditions(actor, key), _after((bindparam("opened"), bindparam("after_id")))]
    return _page_query(actor, _unkeyed(key), where, marks).limit(bindparam("limit"))


def next_page(
    session: Session,
    *,
    actor: Actor,
    filters: CaseFilters,
    after: str | None = None,
    page_size: int = 50,
) -> tuple[list[CaseRow], str | None]:
    """The page of matching cases after ``after`` (keyset paging: no ``OFFSET``, no count),
    and the cursor of the page after it (``None`` on the last page). The cost stays one
    page's however deep the reader goes; ``count`` gives the total when it is wanted."""
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    if after and not (filters.q and filters.q.strip()):
        opened, case_id = _cursor(after)
        params = {"opened": opened, "after_id": case_id, "limit": page_size + 1}
        params.update(_typed(filters))
        statement = _plain_after(actor, _filter_key(filters), hooks.mark_names())
        rows = _rows(session, statement, params)
    else:
        where = _checked_conditions(actor, filters)
        if after:
            where.append(_after(after))
        query = _page_query(actor, filters, where, hooks.mark_names())
        rows = _rows(session, query.limit(page_size + 1))
    more = len(rows) > page_size
    rows = rows[:page_size]
    return rows, cursor_of(rows[-1]) if more else None


def share(session: Session, *, actor: Actor, case_id: int, organisation_id: int) -> CaseShare:
    """Share a case with another agency so its investigators can work on it (audited)."""
    case = for_write(session, actor=actor, case_id=case_id)
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise ValidationFailed.single(
            "organisation_id", "no organisation with id %(value)s", value=organisation_id
        )
    if org.id == case.reporting_org_id or session.scalar(
        select(CaseShare.id).where(
            CaseShare.case_id == case.id, CaseShare.organisation_id == org.id
        )
    ):
        raise Conflict(
            "the case is already shared with %(org)s", field="organisation_id", org=org.name
        )
    row = CaseShare(case_id=case.id, organisation_id=org.id, shared_by_id=actor.id)
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(
            "the case is already shared with %(org)s", field="organisation_id", org=org.name
        )
    record(
        session,
        actor=actor,
        action="case.share",
        entity_type="case",
        entity_id=case.id,
        after={"organisation_id": org.id, "organisation": org.name},
    )
    return row


def shares(session: Session, *, actor: Actor, case_id: int) -> list[Organisation]:
    """The agencies a visible case is shared with."""
    visible(session, actor=actor, case_id=case_id)
    return list(
        session.scalars(
            select(Organisation)
            .join(CaseShare, CaseShare.organisation_id == Organisation.id)
            .where(CaseShare.case_id == case_id)
            .order_by(Organisation.name)
        )
    )


def share_targets(session: Session) -> list[Organisation]:
    """Agencies a case can be shared with (for the share form)."""
    return list(
        session.scalars(
            select(Organisation).where(Organisation.is_agency.is_(True)).order_by(Organisation.name)
        )
    )


def to_out(case: Case) -> CaseOut:
    """The public shape of a case (never the ORM object)."""
    out = CaseOut.model_validate(case, from_attributes=True)
    out.reporting_org_name = case.reporting_org.name if case.reporting_org else None
    return out
