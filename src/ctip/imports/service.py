"""Previewing and importing a file: nothing is written before the user has seen what will
happen, a batch is written all or nothing, and a re-import creates nothing twice.

Records are written through the registry's own services (``cases.service.create``,
``persons.service.create``, ``cases.participants.add_participant``, ``identifiers.service.add``
and their ``update`` counterparts), so imported persons are normalised, encrypted,
blind-indexed, scoped and audited exactly like typed ones. Each record keeps a source
reference (``import_sources``) under the source's record id; persons already in the
registry are reported as likely the same only when they are within the importer's scope.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctip.audit.service import record
from ctip.auth.scope import Actor, require_case_writer, visible_cases
from ctip.cases import participants
from ctip.cases import service as cases
from ctip.cases.models import Case, CasePerson
from ctip.cases.schemas import CaseIn, CaseUpdate, ParticipantDetails, ParticipantUpdate
from ctip.config import Settings
from ctip.errors import FieldError, NotFound, ValidationFailed
from ctip.identifiers import service as identifiers
from ctip.identifiers.models import Identifier
from ctip.imports import bulk, files, mappings, matching, sources
from ctip.imports.fields import by_label, by_name
from ctip.imports.mappings import chunks, namespace_of
from ctip.imports.matching import Match
from ctip.imports.models import ImportBatch, SourceRecord
from ctip.imports.plan import Context, RowPlan, plan_rows
from ctip.persons import service as persons
from ctip.persons.schemas import PersonUpdate
from ctip.reference import PROVINCE_CODES

SOURCE_TITLES = {"htcds": "HTCDS", "kobo": "KoboToolbox", "odk": "ODK Central", "csv": "CSV"}


@dataclass
class PlannedCase:
    key: str
    rows: list[RowPlan]
    values: dict[str, Any]
    case_id: int | None = None
    reference: str | None = None


@dataclass
class Preview:
    """What an import would do, row by row, before anything is written."""

    source: str
    filename: str
    file_digest: str
    rows: list[RowPlan]
    cases: list[PlannedCase]
    existing: dict[tuple[str, str, str], SourceRecord] = field(default_factory=dict)
    matches: dict[int, list[Match]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    namespaces: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[FieldError]:
        return [e for row in self.rows for e in row.errors]

    @property
    def bad_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if not r.valid]

    def state(self, row: RowPlan) -> str:
        """new, update, unchanged or error."""
        if not row.valid:
            return "error"
        if row.case_only:
            known = self.existing.get(("case", self.namespace(row), row.case_key))
            return "new" if known is None else "unchanged"
        found = self.existing.get(("participant", self.namespace(row), row.key))
        if found is None:
            return "new"
        return "unchanged" if found.content_digest == row.digest else "update"

    def namespace(self, row: RowPlan) -> str:
        return self.namespaces.get(row.province or "", row.province or "")

    def summary(self) -> dict[str, int]:
        good = [r for r in self.rows if r.valid]
        states = [self.state(r) for r in good]
        return {
            "rows": len(self.rows),
            "cases": len({(r.province, r.case_key) for r in good}),
            "persons": sum(1 for r in good if not r.case_only),
            "error_rows": len(self.rows) - len(good),
            "new": states.count("new"),
            "update": states.count("update"),
            "unchanged": states.count("unchanged"),
            "matches": sum(1 for r in good if self.matches.get(r.number)),
        }


def check_upload(*, actor: Actor, settings: Settings, data: bytes) -> None:
    """Refuse an upload by who sends it and how big it is, before it is stored."""
    require_case_writer(actor)
    files.check_size(data, settings.import_max_upload_mb)


def _province_for(actor: Actor, province: str | None) -> str | None:
    if province is not None and province not in PROVINCE_CODES:
        raise ValidationFailed.single("province", "unknown province code %(value)s", value=province)
    return province or actor.province


def _apply_corrections(rows: list[sources.SourceRow], fixes: dict[int, dict[str, str]]) -> None:
    """A corrected cell replaces the file's (keyed by row number and the column's name)."""
    for row in rows:
        for column, value in fixes.get(row.number, {}).items():
            name = next((f for f, c in row.columns.items() if c == column), None)
            name = name or by_name(column) or by_label(column) or column
            row.cells[name] = value
            row.columns.setdefault(name, column)


def _group(rows: list[RowPlan]) -> list[PlannedCase]:
    by_key: dict[tuple[str | None, str], PlannedCase] = {}
    for row in rows:
        if not row.valid:
            continue
        planned = by_key.get((row.province, row.case_key))
        if planned is None:
            planned = PlannedCase(row.case_key, [], {})
            by_key[(row.province, row.case_key)] = planned
        planned.rows.append(row)
    for planned in by_key.values():
        planned.values = _case_values(planned.rows)
    return list(by_key.values())


def _case_values(rows: list[RowPlan]) -> dict[str, Any]:
    """One case from its rows: types and countries united, the earliest opening date, the
    first stated value of the rest."""
    values: dict[str, Any] = {"province": rows[0].province}
    for name in (
        "exploitation_types",
        "origin_countries",
        "transit_countries",
        "exploitation_countries",
    ):
        values[name] = list(dict.fromkeys(c for r in rows for c in r.case.get(name) or []))
    values["opened_on"] = min(r.case["opened_on"] for r in rows)
    for name in ("title", "summary", "industry", "forced_labour_subtype"):
        values[name] = next((r.case[name] for r in rows if r.case.get(name)), None)
    return values


def _existing(
    session: Session, actor: Actor, source: str, preview: Preview
) -> dict[tuple[str, str, str], SourceRecord]:
    """Source references of this file's keys in the actor's namespaces and scope."""
    keys = list({r.key for r in preview.rows} | {r.case_key for r in preview.rows})
    spaces = list(set(preview.namespaces.values()))
    found: dict[tuple[str, str, str], SourceRecord] = {}
    for chunk in chunks(keys):
        query = (
            select(SourceRecord)
            .join(Case, Case.id == SourceRecord.case_id)
            .where(
                SourceRecord.source == source,
                SourceRecord.namespace.in_(spaces),
                SourceRecord.source_key.in_(chunk),
                visible_cases(actor),
            )
        )
        for ref in session.scalars(query):
            found[(ref.kind, ref.namespace, ref.source_key)] = ref
    return found


def _known_persons(result: Preview) -> dict[int, int | None]:
    """Row number → the person a row already imported became."""
    out: dict[int, int | None] = {}
    for row in result.rows:
        ref = result.existing.get(("participant", result.namespace(row), row.key))
        if ref is not None:
            out[row.number] = ref.person_id
    return out


def preview(
    session: Session,
    *,
    actor: Actor,
    settings: Settings,
    data: bytes,
    filename: str,
    source: str,
    province: str | None = None,
    mapping: str | None = None,
    columns: dict[str, str] | None = None,
    corrections: dict[int, dict[str, str]] | None = None,
    encoding: str | None = None,
    today: date | None = None,
) -> Preview:
    """What importing ``data`` would do: per row, the case and person it becomes, the values
    recognised, the errors, and who in the registry is likely the same (audited, no writes)."""
    require_case_writer(actor)
    if source not in sources.SOURCES:
        raise ValidationFailed.single(
            "source",
            "unknown source %(value)s; one of %(allowed)s",
            value=source,
            allowed=", ".join(sources.SOURCES),
        )
    target = _province_for(actor, province)
    sheets = files.read(
        data,
        filename,
        max_upload_mb=settings.import_max_upload_mb,
        max_uncompressed_mb=settings.import_max_uncompressed_mb,
        encoding=encoding,
    )
    mapped = dict(columns or {})
    if mapping:
        mapped = {
            **mappings.load_mapping(session, actor=actor, name=mapping, province=target or ""),
            **mapped,
        }
    raw = sources.rows_of(source, sheets, mapped)
    _apply_corrections(raw, corrections or {})
    own = actor.province if actor.role == "provincial_officer" else None
    rows = plan_rows(raw, Context(target, own, today or date.today()))
    result = Preview(
        source,
        filename,
        hashlib.sha256(data).hexdigest(),
        rows,
        _group(rows),
        notices=list(sheets.notices),
    )
    result.headers = sources.headers_of(sheets) if source == "csv" else []
    result.namespaces = {r.province: namespace_of(actor, r.province) for r in rows if r.province}
    result.existing = _existing(session, actor, source, result)
    result.matches = matching.likely_same(
        session, actor=actor, rows=result.rows, known=_known_persons(result)
    )
    for planned in result.cases:
        ref = result.existing.get(("case", result.namespace(planned.rows[0]), planned.key))
        planned.case_id = ref.case_id if ref else None
    matched = sorted({m.person_id for ms in result.matches.values() for m in ms})
    record(
        session,
        actor=actor,
        action="import.preview",
        entity_type="import",
        detail=f"{source}: {len(rows)} rows, {len(result.errors)} errors",
        after={"rows": len(rows), "likely_same": matched},
    )
    return result


# --- writing ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an import wrote."""

    batch_id: int | None
    created_cases: int = 0
    updated_cases: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    case_ids: dict[int, int] = field(default_factory=dict)  # row number → case id

    @property
    def nothing_new(self) -> bool:
        return not (self.created_cases or self.updated_cases or self.created or self.updated)

    def counts(self) -> dict[str, int]:
        return {
            "created_cases": self.created_cases,
            "updated_cases": self.updated_cases,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }


def _title(source: str, rows: list[RowPlan], values: dict[str, Any]) -> str:
    if values.get("title"):
        return str(values["title"])[:200]
    owner = rows[0].extra.get("cas_CaseOwner")
    title = f"{SOURCE_TITLES[source]} import, row {rows[0].number}"
    return f"{title}: {owner}"[:200] if owner else title


def _case_digest(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode()).hexdigest()


def _case_ref(
    preview: Preview, planned: PlannedCase, batch: ImportBatch, case_id: int, digest: str
) -> SourceRecord:
    first = planned.rows[0]
    return SourceRecord(
        source=preview.source,
        namespace=preview.namespace(first),
        kind="case",
        source_key=planned.key,
        content_digest=digest,
        case_id=case_id,
        batch_id=batch.id,
        sheet=first.sheet,
        row_number=first.number,
    )


def _write_cases(
    session: Session, actor: Actor, preview: Preview, batch: ImportBatch, outcome: Outcome
) -> list[tuple[PlannedCase, int, str]]:
    """Every planned case as (plan, case id, province): new ones recorded in bulk, known ones
    updated through the case service when they changed, untouched otherwise."""
    out: list[tuple[PlannedCase, int, str]] = []
    created: list[tuple[PlannedCase, Case, str]] = []
    with session.no_autoflush:
        for planned in preview.cases:
            values = {
                **planned.values,
                "title": _title(preview.source, planned.rows, planned.values),
            }
            digest = _case_digest(values)
            ref = preview.existing.get(("case", preview.namespace(planned.rows[0]), planned.key))
            if ref is None:
                case = bulk.new_case(session, actor=actor, data=CaseIn(**values))
                created.append((planned, case, digest))
            elif ref.content_digest != digest:
                _update_case(session, actor, ref, values, digest, batch)
                outcome.updated_cases += 1
    session.flush()
    bulk.audit_cases(session, actor, [case for _, case, _ in created])
    session.add_all([_case_ref(preview, p, batch, c.id, d) for p, c, d in created])
    outcome.created_cases += len(created)
    new = {id(p): c.id for p, c, _ in created}
    for planned in preview.cases:
        ref = preview.existing.get(("case", preview.namespace(planned.rows[0]), planned.key))
        case_id = new[id(planned)] if ref is None else ref.case_id
        out.append((planned, case_id, planned.values["province"]))
    return out


def _update_case(
    session: Session,
    actor: Actor,
    ref: SourceRecord,
    values: dict[str, Any],
    digest: str,
    batch: ImportBatch,
) -> None:
    case = cases.visible(session, actor=actor, case_id=ref.case_id)
    changes = {k: v for k, v in values.items() if k not in ("province", "title")}
    cases.update(
        session, actor=actor, case_id=case.id, data=CaseUpdate(version=case.version, **changes)
    )
    ref.content_digest, ref.batch_id = digest, batch.id


def _add_identifiers(session: Session, actor: Actor, row: RowPlan, person_id: int) -> None:
    have = set(session.scalars(select(Identifier.digest).where(Identifier.person_id == person_id)))
    for ident in row.identifiers:
        digest = identifiers.digest_of(ident.purpose, ident.form)
        if digest not in have:
            identifiers.add(
                session, actor=actor, id_type=ident.id_type, value=ident.raw, person_id=person_id
            )
            have.add(digest)


def _extra(row: RowPlan) -> str | None:
    return json.dumps(row.extra, ensure_ascii=False, sort_keys=True) if row.extra else None


def _participant_ref(preview: Preview, item: bulk.NewRow, batch: ImportBatch) -> SourceRecord:
    row = item.row
    assert item.person is not None and item.link is not None
    return SourceRecord(
        source=preview.source,
        namespace=preview.namespace(row),
        kind="participant",
        source_key=row.key,
        content_digest=row.digest,
        case_id=item.case_id,
        person_id=item.person.id,
        participant_id=item.link.id,
        batch_id=batch.id,
        sheet=row.sheet,
        row_number=row.number,
        extra=_extra(row),
    )


def _write_rows(
    session: Session,
    actor: Actor,
    preview: Preview,
    written: list[tuple[PlannedCase, int, str]],
    batch: ImportBatch,
    outcome: Outcome,
) -> None:
    """New persons in bulk; changed ones through the services' updates; unchanged untouched."""
    new: list[bulk.NewRow] = []
    for planned, case_id, province in written:
        for row in planned.rows:
            outcome.case_ids[row.number] = case_id
            if row.case_only:
                continue
            ref = preview.existing.get(("participant", preview.namespace(row), row.key))
            if ref is None:
                new.append(bulk.NewRow(row, case_id, province))
            elif ref.content_digest == row.digest:
                outcome.unchanged += 1
            else:
                _update_row(session, actor, row, ref, ParticipantDetails(**row.details))
                ref.content_digest, ref.batch_id, ref.extra = row.digest, batch.id, _extra(row)
                ref.sheet, ref.row_number = row.sheet, row.number
                outcome.updated += 1
    bulk.write_people(session, actor=actor, rows=new)
    session.add_all([_participant_ref(preview, item, batch) for item in new])
    outcome.created += len(new)


def _update_row(
    session: Session, actor: Actor, row: RowPlan, ref: SourceRecord, details: ParticipantDetails
) -> None:
    assert ref.person_id is not None and ref.participant_id is not None
    person = persons.get(session, actor=actor, person_id=ref.person_id, audit=False)
    persons.update(
        session,
        actor=actor,
        person_id=person.id,
        data=PersonUpdate(version=person.version, **row.person),
    )
    link = session.get(CasePerson, ref.participant_id)
    assert link is not None
    participants.update_participant(
        session,
        actor=actor,
        case_id=ref.case_id,
        participant_id=link.id,
        data=ParticipantUpdate(version=link.version, **details.model_dump()),
    )
    _add_identifiers(session, actor, row, person.id)


def run(session: Session, *, actor: Actor, preview: Preview, skip_invalid: bool = False) -> Outcome:
    """Write a previewed import in one go: any invalid row refuses the whole file unless
    ``skip_invalid`` (then only the good rows are written). Audited as one ``import.run``
    plus the registry's own event for each record."""
    require_case_writer(actor)
    if preview.bad_rows and not skip_invalid:
        raise ValidationFailed(preview.errors)
    province = next((r.province for r in preview.rows if r.province), actor.province or "")
    with session.begin_nested():
        batch = ImportBatch(
            source=preview.source,
            filename=preview.filename,
            file_digest=preview.file_digest,
            province=province,
            namespace=namespace_of(actor, province),
            actor_id=actor.id,
            counts={},
        )
        session.add(batch)
        session.flush()
        outcome = Outcome(batch.id, skipped=len(preview.bad_rows))
        written = _write_cases(session, actor, preview, batch, outcome)
        _write_rows(session, actor, preview, written, batch, outcome)
        batch.counts = outcome.counts()
        session.flush()
        record(
            session,
            actor=actor,
            action="import.run",
            entity_type="import_batch",
            entity_id=batch.id,
            after=outcome.counts(),
            detail=f"{preview.source}: "
            + ("nothing new" if outcome.nothing_new else f"{outcome.created} persons added"),
        )
    return outcome


def visible_batch(session: Session, *, actor: Actor, batch_id: int) -> ImportBatch:
    """A batch its importer or an administrator may read; anyone else learns nothing (the same
    not-found as for a batch that does not exist)."""
    require_case_writer(actor)
    batch = session.get(ImportBatch, batch_id)
    if batch is None or not (batch.actor_id == actor.id or actor.role == "admin"):
        raise NotFound("no such import batch")
    return batch
