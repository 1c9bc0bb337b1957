"""The authorization matrix: every route of the app's route table, for every role, on a record
in the caller's scope, one outside it (another province, another organisation) and one that
does not exist, compared with the rules in ``authz_rules.py``.

One populated database per backend (a demo load inside a transaction rolled back at the end of
the module). Out-of-scope and missing records must answer with the same status and the same
body shape. State-changing routes are sent an empty (CSRF-valid) form or JSON body: they are
checked for refusal, never allowed to change the shared data (see ``docs/security-testing.md``).
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ctip.auth.models import User
from ctip.auth.service import create_user
from ctip.cases.models import Case, CasePerson, CaseShare
from ctip.config import Settings
from ctip.demo.loader import load
from ctip.demo.world import CASEWORKER_NGO, NATIONAL_POLICE
from ctip.orgs.models import Organisation
from ctip.reference import VICTIM_SIDE_ROLES
from ctip.referrals.models import Referral
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD
from tests.security import authz_rules as rules
from tests.security.routes import route_table

MISSING_ID = 987_654_321
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Subjects: (name, role, province, organisation name or None). "own" subjects can see record A,
# "other" subjects are the same role in another province / organisation.
SUBJECTS: dict[str, tuple[str, str | None, str | None]] = {
    "admin": ("admin", None, None),
    "secretariat": ("secretariat", None, None),
    "officer_own": ("provincial_officer", "KH-12", None),
    "officer_other": ("provincial_officer", "KH-1", None),
    "investigator_own": ("investigator", None, NATIONAL_POLICE),
    "investigator_other": ("investigator", None, "AUTHZ other police unit"),
    "ngo_own": ("ngo_caseworker", None, CASEWORKER_NGO),
    "ngo_other": ("ngo_caseworker", None, "AUTHZ other NGO"),
    "viewer": ("viewer", None, None),
    "anonymous": ("anonymous", None, None),
}


@dataclass
class World:
    app: FastAPI
    ids: dict[str, int]
    clients: dict[str, TestClient] = field(default_factory=dict)
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)


def _pick_case_a(session: Session) -> dict[str, int]:
    """A case every "own" subject may read: in KH-12, reported by the national police (or
    shared with it), with an open referral to the case worker's NGO; a victim on it."""
    orgs = dict(session.execute(select(Organisation.name, Organisation.id)).all())
    police, ngo = orgs[NATIONAL_POLICE], orgs[CASEWORKER_NGO]
    referral = session.scalars(
        select(Referral)
        .where(
            Referral.to_org_id == ngo,
            Referral.status.in_(("pending", "accepted")),
            Referral.person_id.is_not(None),
        )
        .order_by(Referral.id)
    ).first()
    assert referral is not None, "the demo load has no open referral to the case worker's NGO"
    case = session.get(Case, referral.case_id)
    assert case is not None
    case.province = "KH-12"
    shared = session.scalar(
        select(CaseShare.id).where(
            CaseShare.case_id == case.id, CaseShare.organisation_id == police
        )
    )
    if case.reporting_org_id != police and shared is None:
        session.add(CaseShare(case_id=case.id, organisation_id=police))
    victims = select(CasePerson).where(
        CasePerson.case_id == case.id, CasePerson.role.in_(sorted(VICTIM_SIDE_ROLES))
    )
    if referral.person_id is not None:  # the person referred: their support plan is shared
        victims = victims.where(CasePerson.person_id == referral.person_id)
    victim = session.scalars(victims.order_by(CasePerson.id)).first()
    assert victim is not None
    person = victim.person
    person.owner_province, person.owner_org_id = "KH-12", police
    session.flush()
    admin = session.scalars(select(User).where(User.role == "admin")).first()
    assert admin is not None
    return {
        "case_id": case.id,
        "participant_id": victim.id,
        "person_id": person.id,
        "referral_id": referral.id,
        "org_id": police,
        "user_id": admin.id,
        "record_id": person.id,
    }


@pytest.fixture(scope="module")
def world(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from ctip.web.app import create_app

    data_dir = tmp_path_factory.mktemp("authz")
    settings = Settings(
        env="test",
        data_dir=data_dir,
        database_url=str(engine.url.render_as_string(hide_password=False)),
        encryption_key=base64.b64encode(ENC_KEY).decode(),
        blind_index_key=base64.b64encode(BIDX_KEY).decode(),
    )
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield _populate(conn, settings, create_app)
        finally:
            outer.rollback()


def _populate(conn: Connection, settings: Settings, create_app: Any) -> World:
    sessions = sessionmaker(
        bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    with sessions() as session:
        load(session, cases=25, seed=7, settings=settings)
        for name in ("AUTHZ other police unit", "AUTHZ other NGO"):
            kind = "NGO" if "NGO" in name else "LawEnforcement"
            session.add(Organisation(name=name, org_type=kind, province="KH-1", is_agency=True))
        session.flush()
        for subject, (role, province, org) in SUBJECTS.items():
            if role != "anonymous":
                create_user(
                    session,
                    username=f"authz-{subject}",
                    password=TEST_PASSWORD,
                    role=role,
                    province=province,
                    org_name=org,
                    language="en",
                )
        ids = _pick_case_a(session)
        session.commit()
    app = create_app(settings)
    app.state.engine.dispose()
    app.state.sessions = sessions
    app.state.write_sessions = sessions
    world = World(app, ids)
    for subject in SUBJECTS:
        client = TestClient(app, follow_redirects=False)
        if subject != "anonymous":
            page = client.get("/login")
            token = _csrf(page.text)
            answer = client.post(
                "/login",
                data={
                    "username": f"authz-{subject}",
                    "password": TEST_PASSWORD,
                    "csrf_token": token,
                },
            )
            assert answer.status_code == 303, answer.text
            got = client.post(
                "/api/v1/auth/token",
                data={"username": f"authz-{subject}", "password": TEST_PASSWORD},
            )
            assert got.status_code == 200, got.text
            world.tokens[subject] = {"Authorization": f"Bearer {got.json()['access_token']}"}
            world.csrf[subject] = _csrf(client.get("/account/password").text)
        else:
            world.tokens[subject] = {}
            world.csrf[subject] = _csrf(client.get("/login").text)
        world.clients[subject] = client
    return world


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, "page has no CSRF token"
    return match.group(1)


# ---------------------------------------------------------------------------------------------
# The route table, expanded into concrete requests


def _app_for_table() -> FastAPI:
    from ctip.web.app import create_app

    settings = Settings(
        env="test",
        data_dir=".",
        database_url="sqlite://",
        encryption_key=base64.b64encode(ENC_KEY).decode(),
        blind_index_key=base64.b64encode(BIDX_KEY).decode(),
    )
    app = create_app(settings)
    app.state.engine.dispose()
    return app


def _routes() -> list[tuple[str, str]]:
    app = _app_for_table()
    pairs = {
        (method, route.path)
        for route in route_table(app)
        for method in route.methods
        if method not in ("HEAD", "OPTIONS")
    }
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


ROUTES = _routes()
PARAM = re.compile(r"\{([a-z_]+)(?::[a-z]+)?\}")


def _variants(path: str, world_ids: dict[str, int]) -> list[str]:
    """Which records a route is tried on: "own" (record A), "missing"; none for routes
    without a record in their path."""
    names = [n for n in PARAM.findall(path) if n in rules.RECORD_PARAMS]
    if not names:
        return ["none"]
    if all(n in world_ids for n in names):
        return ["own", "missing"]
    return ["missing"]


def _fill(path: str, variant: str, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in rules.RECORD_PARAMS:
            if variant == "missing" or name not in ids:
                return str(MISSING_ID)
            return str(ids[name])
        return rules.FIXED_PARAMS.get(path, {}).get(name) or rules.FIXED_PARAMS["*"][name]

    return PARAM.sub(value, path)


def classify(response: Response) -> str:
    status = response.status_code
    if status >= 500:
        return "ERROR"
    if status in (301, 302, 303, 307) and "/login" in response.headers.get("location", ""):
        return rules.LOGIN
    return {401: rules.UNAUTH, 403: rules.FORBID, 404: rules.NOT_FOUND}.get(status, rules.ALLOW)


def expected(rule: str, subject: str, variant: str, write: bool, key: str = "") -> set[str]:
    """The outcome classes a rule allows for a subject on a record variant."""
    refused = {rules.FORBID, rules.LOGIN, rules.UNAUTH, rules.NOT_FOUND}
    if rule in refused:
        # a request without its required fields may be refused as invalid before the
        # endpoint looks at the role (never on a GATED route: its gate runs first); for an
        # anonymous form post, a CSRF refusal, 400, may come before the log-in check
        if (rule == rules.FORBID and key not in rules.GATED) or (write and rule == rules.LOGIN):
            return {rule, rules.INVALID}
        return {rule}
    if variant == "missing":
        return {rules.NOT_FOUND, rules.INVALID} if write else {rules.NOT_FOUND}
    if rule == rules.READONLY:
        if variant == "own" and not subject.endswith("_other"):
            return {rules.FORBID, rules.INVALID} if write else {rules.FORBID}
        return {rules.NOT_FOUND, rules.INVALID} if write else {rules.NOT_FOUND}
    if rule == rules.SCOPED and variant == "own" and subject.endswith("_other"):
        return {rules.NOT_FOUND, rules.INVALID} if write else {rules.NOT_FOUND}
    return {rules.ALLOW, rules.INVALID}


def _request(world: World, subject: str, method: str, path: str) -> Response:
    client = world.clients[subject]
    if path.startswith("/api/"):
        headers = world.tokens[subject]
        if method in WRITE_METHODS:
            return client.request(method, path, headers=headers, json={})
        return client.request(method, path, headers=headers)
    if method in WRITE_METHODS:
        return client.request(method, path, data={"csrf_token": world.csrf[subject]})
    return client.request(method, path)


def _classify_with_invalid(response: Response) -> str:
    if response.status_code in (400, 422):
        return rules.INVALID
    return classify(response)


def _shape(response: Response) -> Any:
    """What must not differ between an out-of-scope and a missing record."""
    kind = response.headers.get("content-type", "").split(";")[0]
    if kind == "application/json":
        body = response.json()
        if not isinstance(body, dict):
            return (kind, type(body).__name__)
        detail = body.get("detail")  # the words too (ids masked: a missing id is another id)
        return (
            kind,
            sorted(body),
            re.sub(r"\d+", "N", detail) if isinstance(detail, str) else None,
        )
    title = re.search(r"<title>(.*?)</title>", response.text, re.S)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S)
    return (kind, title and title.group(1).strip(), heading and heading.group(1).strip())


def test_every_route_has_a_rule() -> None:
    missing = [f"{m} {p}" for m, p in ROUTES if f"{m} {p}" not in rules.RULES]
    stale = sorted(set(rules.RULES) - {f"{m} {p}" for m, p in ROUTES})
    assert not missing, f"routes without an authorization rule in authz_rules.py: {missing}"
    assert not stale, f"rules for routes that no longer exist: {stale}"
    for key, per_role in rules.RULES.items():
        assert set(per_role) == set(rules.ROLES), f"{key}: a rule for every role"


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_route_answers_by_the_rules(world: World, method: str, path: str) -> None:
    key = f"{method} {path}"
    per_role = rules.RULES.get(key)
    if per_role is None and os.environ.get("CTIP_AUTHZ_DUMP"):
        per_role = dict.fromkeys(rules.ROLES, rules.ALLOW)
    if per_role is None:
        pytest.fail(f"no rule for {key}")
    if key in rules.NOT_SENT:
        pytest.skip(rules.NOT_SENT[key])
    write = method in WRITE_METHODS
    failures: list[str] = []
    observed: dict[str, str] = {}
    for subject, (role, _, _) in SUBJECTS.items():
        rule = per_role[role]
        if key in rules.REFUSALS_ONLY and rule == rules.ALLOW:
            continue
        shapes: dict[str, tuple[int, Any]] = {}
        for variant in _variants(path, world.ids):
            changes = rule == rules.ALLOW or (
                rule == rules.SCOPED and not subject.endswith("_other")
            )
            if write and variant == "own" and changes:
                continue  # success would change the shared data
            url = _fill(path, variant, world.ids)
            response = _request(world, subject, method, url)
            got = _classify_with_invalid(response)
            observed[f"{subject}/{variant}"] = got
            if got == "ERROR" or got not in expected(rule, subject, variant, write, key):
                failures.append(
                    f"{subject} {variant} {method} {url}: {response.status_code} ({got}),"
                    f" rule {rule}: {response.text[:160]!r}"
                )
            if got == rules.NOT_FOUND or (write and got == rules.INVALID):
                shapes[variant] = (response.status_code, _shape(response))
        if (
            rule in (rules.SCOPED, rules.READONLY)
            and subject.endswith("_other")
            and {"own", "missing"} <= set(shapes)
            and shapes["own"] != shapes["missing"]
        ):
            failures.append(
                f"{subject} {key}: out of scope {shapes['own']} != missing {shapes['missing']}"
            )
    if os.environ.get("CTIP_AUTHZ_DUMP"):
        print("OBSERVED", key, json.dumps(observed))
    assert not failures, "\n".join(failures)
