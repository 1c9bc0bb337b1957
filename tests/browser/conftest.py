"""Browser journeys: the real app served by uvicorn on loopback, driven by Playwright in
Debian's Chromium (``CTIP_CHROMIUM`` or /usr/bin/chromium; Playwright's own browser download
is never used)."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from ctip.auth.service import create_user
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.orgs.models import Organisation
from ctip.security import load_keyring, set_keyring
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD

CHROMIUM = os.environ.get("CTIP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.browser


@dataclass
class LiveServer:
    url: str
    settings: Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed_users(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    with session_factory(engine)() as session, session.begin():
        session.add(
            Organisation(
                name="Anti-Trafficking Police Unit", org_type="LawEnforcement", is_agency=True
            )
        )
        session.flush()
        create_user(
            session,
            username="officer",
            password=TEST_PASSWORD,
            role="provincial_officer",
            province="KH-12",
            display_name="Dara Officer",
        )
        create_user(session, username="admin", password=TEST_PASSWORD, role="admin")
    engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    data_dir = tmp_path_factory.mktemp("live")
    schema = f"live_{uuid.uuid4().hex[:12]}" if os.environ.get("CTIP_TEST_POSTGRES_URL") else None
    settings = Settings(
        env="test",
        data_dir=data_dir,
        encryption_key=base64.b64encode(ENC_KEY).decode(),
        blind_index_key=base64.b64encode(BIDX_KEY).decode(),
        **({"database_url": _postgres_schema(schema)} if schema else {}),
    )
    set_keyring(load_keyring(settings))
    _seed_users(settings)
    from ctip.web.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        ws="none",
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", settings)
    server.should_exit = True
    thread.join(timeout=10)
    if schema:
        _drop_schema(schema)


def _postgres_schema(schema: str) -> str:
    """On a PostgreSQL run the journeys use PostgreSQL too: a fresh schema of the test
    database (the suite's own tables stay untouched)."""
    base = os.environ["CTIP_TEST_POSTGRES_URL"]
    admin = make_engine(base, poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


def _drop_schema(schema: str) -> None:
    admin = make_engine(os.environ["CTIP_TEST_POSTGRES_URL"], poolclass=NullPool)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module, stopped after it: Playwright's sync API keeps an event
    loop running in this thread while it lives, which later tests that run their own loop
    (asyncio load tests, another module's browser) must not meet."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def log_in(page, username: str = "officer", password: str = TEST_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")  # not the header's language buttons
    page.wait_for_url("**/")


def new_case(page, title: str, opened_on: str) -> str:  # type: ignore[no-untyped-def]
    """Record a forced-labour case in Phnom Penh through the form; return its id."""
    page.goto("/cases/new")
    page.fill("#f-title", title)
    page.select_option("#f-province", "KH-12")
    page.fill("#f-opened_on", opened_on)
    page.check("input[name=exploitation_types][value=ForcedLabour]")
    page.click("main form.stack button[type=submit]")
    page.wait_for_url("**/cases/*")
    return str(page.url.rstrip("/").rsplit("/", 1)[-1])


def record_intervention(page, place: str, on: str, roster_path: Path) -> None:  # type: ignore[no-untyped-def]
    """From a case page: record an intervention by the case's reference (typed, as the
    picker offers it) and import its roster."""
    reference = page.locator("#reference").inner_text()
    page.goto("/screening/interventions/new")
    page.fill("#f-case", reference)
    page.fill("#f-occurred_on", on)
    page.fill("#f-place", place)
    page.click("#save-intervention")
    page.wait_for_selector("#intervention-title")
    page.set_input_files("#f-file", str(roster_path))
    page.click("#import-roster")
    page.wait_for_selector("#import-report")
