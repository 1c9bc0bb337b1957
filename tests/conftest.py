"""Shared fixtures: a migrated real database per engine (SQLite always, PostgreSQL when
``CTIP_TEST_POSTGRES_URL`` is set), each test in a transaction rolled back afterwards, the app
wired to that transaction, and factories for users and organisations."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ctip.auth.models import User
from ctip.auth.scope import Actor
from ctip.auth.service import actor_for, create_user
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine
from ctip.orgs.models import Organisation
from ctip.security import Keyring, set_keyring, set_password_hasher

TEST_PASSWORD = "correct-horse-battery"
ENC_KEY = bytes(range(32))
BIDX_KEY = bytes(range(32, 64))

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("CTIP_TEST_POSTGRES_URL") else [])


def _worker_database(config: pytest.Config) -> str | None:
    """Under pytest-xdist, the PostgreSQL database of this worker (``<test db>_gw0`` ...), or
    None in a single-process run: workers must not share the schema each one migrates."""
    base = os.environ.get("CTIP_TEST_POSTGRES_URL")
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not base or not worker:
        return None
    return f"{make_url(base).database}_{worker}"


def _admin() -> Engine:
    """An autocommit engine on the server of the test database (CREATE/DROP DATABASE)."""
    url = make_url(os.environ["CTIP_TEST_POSTGRES_URL"]).set(database="postgres")
    return create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")


_WORKER_DB = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist worker a fresh PostgreSQL database of its own; every fixture that
    reads ``CTIP_TEST_POSTGRES_URL`` (the suite's engine, CLI schemas, the live server) then
    uses it."""
    name = _worker_database(config)
    if name is None:
        return
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(os.environ["CTIP_TEST_POSTGRES_URL"]).set(database=name)
    os.environ["CTIP_TEST_POSTGRES_URL"] = url.render_as_string(hide_password=False)
    config.stash[_WORKER_DB] = name


def pytest_unconfigure(config: pytest.Config) -> None:
    """Drop the worker's database at the end of its run."""
    name = config.stash.get(_WORKER_DB, None)
    if name is None:
        return
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    """Argon2 with minimal cost: the suite creates hundreds of users."""
    set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session", autouse=True)
def test_keyring() -> Keyring:
    ring = Keyring({1: ENC_KEY}, 1, BIDX_KEY)
    set_keyring(ring)
    return ring


def _keys_of(ring: Keyring | None) -> tuple[Any, ...] | None:
    if ring is None:
        return None
    return (ring.data_keys, ring.current_key_id, ring.index_key, ring.audit_key)


@pytest.fixture(autouse=True)
def _suite_keys_after_each_test(test_keyring: Keyring) -> Iterator[None]:
    """An in-process command installs the keyring of its data directory (a fresh one gets
    a key file of random keys), which would stay in force for whatever test runs next in the
    worker: after each test, the suite's keys are in force again when other keys were left."""
    yield
    from ctip import security

    if _keys_of(security._active) != _keys_of(test_keyring):
        set_keyring(test_keyring)


def _fresh_postgres(url: str) -> str:
    """Empty the test database's public schema so migrations start from nothing."""
    engine = make_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A database migrated to head with Alembic, one per engine for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        url = _fresh_postgres(os.environ["CTIP_TEST_POSTGRES_URL"])
    eng = make_engine(url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    """Sessions bound to the test's connection: their commits become savepoints."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path,
        database_url=str(engine.url.render_as_string(hide_password=False)),
        encryption_key=base64.b64encode(ENC_KEY).decode(),
        blind_index_key=base64.b64encode(BIDX_KEY).decode(),
    )


@pytest.fixture
def app(settings: Settings, sessions: sessionmaker[Session]) -> FastAPI:
    from ctip.web.app import create_app

    application = create_app(settings)
    application.state.engine.dispose()
    application.state.sessions = sessions
    application.state.write_sessions = sessions
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_org(db: Session) -> Callable[..., Organisation]:
    def factory(
        name: str,
        org_type: str = "LawEnforcement",
        province: str | None = None,
        is_agency: bool = True,
    ) -> Organisation:
        org = Organisation(name=name, org_type=org_type, province=province, is_agency=is_agency)
        db.add(org)
        db.flush()
        return org

    return factory


@pytest.fixture
def make_user(db: Session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def factory(
        role: str = "provincial_officer",
        province: str | None = None,
        org: Organisation | None = None,
        username: str | None = None,
        language: str = "en",
    ) -> User:
        if role == "provincial_officer" and province is None:
            province = "KH-12"
        user = create_user(
            db,
            username=username or f"{role}-{next(counter)}",
            password=TEST_PASSWORD,
            role=role,
            province=province,
            org_name=org.name if org else None,
            language=language,
        )
        db.flush()
        return user

    return factory


@pytest.fixture
def make_actor(make_user: Callable[..., User]) -> Callable[..., Actor]:
    def factory(role: str = "provincial_officer", **kwargs: Any) -> Actor:
        return actor_for(make_user(role, **kwargs), "127.0.0.1")

    return factory


def login(client: TestClient, username: str, password: str = TEST_PASSWORD) -> None:
    """Log a test client in through the real log-in form (CSRF included)."""
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def api_headers(client: TestClient, username: str, password: str = TEST_PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def csrf_of(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, "page has no CSRF token"
    return match.group(1)
