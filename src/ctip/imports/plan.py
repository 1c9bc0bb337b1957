"""What each source row becomes: a case, a person in a role, identifiers, and the errors that
stop it, each naming the row and the column as the file calls it. Pure functions.

Values go through the same rules as typed records (``persons.service.problems``,
``cases.rules``), so an import refuses exactly what the forms refuse.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ctip.cases import rules
from ctip.errors import FieldError
from ctip.identifiers.normalize import index_form
from ctip.imports import values as v
from ctip.imports.fields import DATES, LABELS, MAILING, MULTI
from ctip.imports.sources import SourceRow
from ctip.persons.service import problems as person_problems

# HTCDS field → (CTIP target, vocabulary or reader).
PERSON_FIELDS = {
    "prs_FirstName": "given_name",
    "prs_SecondName": "family_name",
    "prs_NameKm": "name_km",
    "prs_Aliases": "aliases",
    "prs_Gender": "gender",
    "prs_Birthdate": "date_of_birth",
    "prs_EstimatedAge": "estimated_age",
    "prs_Citizenship": "nationalities",
    "prs_Address": "address",
}
DETAIL_FIELDS = {
    "vic_TraffickingStatus": ("trafficking_status", "trafficking_status"),
    "vic_TraffickingStatusDecisionMakingOrg": ("status_decided_by", "deciding_org"),
    "vic_TraffickingStatusDecisionDate": ("status_decided_on", None),
    "vic_MethodsOfControl": ("methods_of_control", "methods_of_control"),
    "vic_MethodOfRecruitment": ("recruitment_method", "recruitment_method"),
    "vic_RecruitmentWebsitesAndApps": ("recruitment_apps", "recruitment_apps"),
    "per_RoleInProcess": ("role_in_process", "role_in_process"),
    "per_CustodyStatus": ("custody_status", "custody"),
    "per_ArrestDate": ("arrested_on", None),
}
CASE_FIELDS = {
    "cas_Title": "title",
    "cas_Summary": "summary",
    "cas_OpenedOn": "opened_on",
    "cas_ForcedLabourSubtype": "forced_labour_subtype",
    "cas_OriginCountries": "origin_countries",
    "cas_TransitCountries": "transit_countries",
    "cas_ExploitationCountries": "exploitation_countries",
    "vic_TypeOfExploitation": "exploitation_types",
    "vic_ForcedLabourIndustry": "industry",
}
IDENTIFIER_FIELDS = {
    "prs_MobilePhone": "phone",
    "prs_HomePhone": "phone",
    "prs_Email": "email",
    "prs_PassportNumber": "passport",
    "prs_NationalId": "national_id",
}
PERSONAL = frozenset(PERSON_FIELDS) | frozenset(IDENTIFIER_FIELDS) | {"per_Role", "prs_PersonId"}
# HTCDS fields CTIP keeps with the source reference (no column of its own), exported back.
KEPT = (
    "cas_CaseOwner",
    "prs_Salutation",
    "prs_Title",
    "con_Consent",
    *MAILING,
    "vic_LocationOfRecruitment",
    "vic_LocationOfExploitation",
    "vic_TypeOfSexExploitation",
    "cas_Status",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
)
KEPT_VOCABULARY = {"vic_TypeOfSexExploitation": "sex_exploitation", "cas_Status": "case_status"}
# CTIP field (in a service's error) → the HTCDS field the file wrote it under.
BACK = {t: f for f, t in PERSON_FIELDS.items()} | {t: f for f, (t, _) in DETAIL_FIELDS.items()}
BACK |= {t: f for f, t in CASE_FIELDS.items()} | {"province": "cas_Province", "role": "per_Role"}


@dataclass
class Ident:
    """An identifier as written, its normalised form and the (purpose, form) blind-indexed."""

    id_type: str
    raw: str
    normalised: str | None
    problem: str | None
    purpose: str = ""
    form: str = ""


@dataclass
class RowPlan:
    """A row as CTIP will record it, or the errors that stop it."""

    sheet: str
    number: int
    key: str
    case_key: str
    digest: str
    province: str | None = None
    role: str = "victim"
    person: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    case: dict[str, Any] = field(default_factory=dict)
    identifiers: list[Ident] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    recognised: dict[str, list[str]] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Any] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    case_only: bool = False  # a case without anybody on it (CTIP's export writes such rows)

    @property
    def valid(self) -> bool:
        return not self.errors

    def column(self, htcds_field: str) -> str:
        return self.columns.get(htcds_field) or LABELS.get(htcds_field, htcds_field)

    def error(self, htcds_field: str, template: str, **params: Any) -> None:
        self.errors.append(FieldError(self.column(htcds_field), template, params, self.number))


@dataclass(frozen=True)
class Context:
    """What a plan needs beyond the file: the province to use, whose scope, which day."""

    province: str | None
    own_province: str | None
    today: date


def _digest(cells: dict[str, Any]) -> str:
    payload = json.dumps({k: v.text(val) for k, val in sorted(cells.items())}, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _read(plan: RowPlan, name: str, raw: Any, vocabulary: str | None, spaces: bool) -> Any:
    """One cell read as CTIP stores it; a bad cell is an error naming its column."""
    try:
        if name in DATES:
            return v.day(raw)
        if name == "prs_EstimatedAge":
            return v.number(raw)
        if name in (
            "prs_Citizenship",
            "cas_OriginCountries",
            "cas_TransitCountries",
            "cas_ExploitationCountries",
        ):
            return list(dict.fromkeys(v.country(c) for c in v.split(raw, spaces)))
        if name == "prs_Aliases":
            return [a.strip() for a in v.text(raw).split("\n") if a.strip()]
        if vocabulary and name in MULTI:
            found = v.codes(vocabulary, v.split(raw, spaces))
            plan.recognised[plan.column(name)] = found
            return found
        if vocabulary:
            one = v.code(vocabulary, raw)
            plan.recognised[plan.column(name)] = [one]
            return one
        return v.text(raw) or None
    except v.BadValue as exc:
        plan.error(name, exc.template, **exc.params)
        return None


def _person(plan: RowPlan, row: SourceRow) -> None:
    for name, target in PERSON_FIELDS.items():
        if name in row.cells:
            vocabulary = "gender" if name == "prs_Gender" else None
            plan.person[target] = _read(plan, name, row.cells[name], vocabulary, row.spaces)
    mailing = [v.text(row.cells.get(name)) for name in MAILING if name in row.cells]
    if "address" not in plan.person and any(mailing):
        plan.person["address"] = "\n".join(m for m in mailing if m)
    for error in person_problems({"aliases": [], **plan.person}, plan.today):
        plan.error(BACK.get(error.field, "prs_FirstName"), error.template, **error.params)


def _role(plan: RowPlan, row: SourceRow) -> None:
    if "per_Role" in row.cells:
        plan.role = _read(plan, "per_Role", row.cells["per_Role"], "role", row.spaces) or "victim"
    for name, (target, vocabulary) in DETAIL_FIELDS.items():
        if name not in row.cells:
            continue
        value = _read(plan, name, row.cells[name], vocabulary, row.spaces)
        if target == "recruitment_method" and isinstance(value, list):
            if len(value) > 1:
                plan.notices.append("only the first method of recruitment is kept")
            value = value[0] if value else None
        plan.details[target] = value
    for list_name in ("methods_of_control", "recruitment_apps"):
        plan.details[list_name] = plan.details.get(list_name) or []
    for error in rules.participant_errors(plan.role, plan.details, plan.today):
        plan.error(BACK.get(error.field, "per_Role"), error.template, **error.params)


def _case(plan: RowPlan, row: SourceRow, ctx: Context) -> None:
    for name, target in CASE_FIELDS.items():
        if name in row.cells:
            vocabulary = {
                "vic_TypeOfExploitation": "exploitation_type",
                "vic_ForcedLabourIndustry": "industry",
            }.get(name)
            value = _read(plan, name, row.cells[name], vocabulary, row.spaces)
            if target == "industry" and isinstance(value, list):
                value = value[0] if value else None
            plan.case[target] = value
    opened = plan.case.get("opened_on")
    if opened is None:
        for name in ("cas_IncomingReferralDate",):
            if name in row.cells:
                opened = _read(plan, name, row.cells[name], None, row.spaces)
    if opened is None and row.submitted is not None:
        try:
            opened = v.day(row.submitted)
        except v.BadValue:
            opened = None
    plan.case["opened_on"] = opened or ctx.today
    _province(plan, row, ctx)
    for error in rules.case_errors({**plan.case, "province": plan.province}, ctx.today):
        if error.field != "province":
            plan.error(BACK.get(error.field, "cas_OpenedOn"), error.template, **error.params)


def _province(plan: RowPlan, row: SourceRow, ctx: Context) -> None:
    province = ctx.province
    if "cas_Province" in row.cells:
        try:
            province = v.province(row.cells["cas_Province"])
        except v.BadValue as exc:
            plan.error("cas_Province", exc.template, **exc.params)
            return
    if province is None:
        plan.error("cas_Province", "no province: choose the province these cases belong to")
    elif ctx.own_province is not None and province != ctx.own_province:
        plan.error(
            "cas_Province",
            "you work in %(own)s and cannot import cases of %(province)s",
            own=ctx.own_province,
            province=province,
        )
    plan.province = province


def _identifiers(plan: RowPlan, row: SourceRow) -> None:
    for name, id_type in IDENTIFIER_FIELDS.items():
        for raw in v.SPLIT_IDENTIFIERS.split(v.text(row.cells.get(name))):
            raw = raw.strip()
            if not raw:
                continue
            purpose, form, result = index_form(id_type, raw)
            plan.identifiers.append(
                Ident(id_type, raw, result.value, result.problem, purpose, form)
            )
            if not result.valid:
                plan.notices.append(f"{plan.column(name)}: {raw} ({result.problem})")


def _kept(plan: RowPlan, row: SourceRow) -> None:
    for name in KEPT:
        if name not in row.cells:
            continue
        vocabulary = KEPT_VOCABULARY.get(name)
        if vocabulary or name in DATES:
            value = _read(plan, name, row.cells[name], vocabulary, row.spaces)
            if value is None:
                continue
            shown = ";".join(value) if isinstance(value, list) else v.text(value)
        else:
            shown = v.text(row.cells[name])
        plan.extra[name] = shown


def plan_row(row: SourceRow, ctx: Context) -> RowPlan:
    """What one source row becomes (never raises: problems are the plan's errors)."""
    plan = RowPlan(
        row.sheet,
        row.number,
        row.key,
        row.case_key,
        _digest(row.cells),
        columns=row.columns,
        cells=row.cells,
        today=ctx.today,
    )
    plan.case_only = not (set(row.cells) & PERSONAL)
    _case(plan, row, ctx)
    if not plan.case_only:
        _person(plan, row)
        _role(plan, row)
        _identifiers(plan, row)
    _kept(plan, row)
    return plan


def plan_rows(rows: list[SourceRow], ctx: Context) -> list[RowPlan]:
    """Every row planned; a row repeating an earlier row's person in the same case is an
    error naming the earlier row."""
    out: list[RowPlan] = []
    first: dict[str, int] = {}
    for row in rows:
        plan = plan_row(row, ctx)
        if plan.key in first:
            plan.errors.append(
                FieldError(
                    plan.column("prs_FirstName"),
                    "the same person in the same case as row %(first)s",
                    {"first": first[plan.key]},
                    plan.number,
                )
            )
        else:
            first[plan.key] = plan.number
        out.append(plan)
    return out
