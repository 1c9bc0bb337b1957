"""Many people reading at once on SQLite: every read is audited, none fails on the lock."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ctip.audit.models import AuditEntry
from ctip.auth.service import create_user
from ctip.cases.models import Case
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from tests.conftest import BIDX_KEY, ENC_KEY, TEST_PASSWORD, api_headers

READERS, READS = 8, 15


def _seed(settings: Settings) -> int:
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    with session_factory(engine)() as session, session.begin():
        create_user(session, username="reader", password=TEST_PASSWORD, role="secretariat")
        case = Case(
            reference="KH-1-2024-000001",
            province="KH-1",
            year=2024,
            sequence=1,
            title="Brick kiln",
            opened_on=date(2024, 1, 2),
            version=1,
        )
        session.add(case)
        session.flush()
        case_id = case.id
    engine.dispose()
    return case_id


def test_concurrent_audited_reads_all_succeed(tmp_path):
    from ctip.web.app import create_app

    settings = Settings(
        env="test",
        data_dir=tmp_path,
        encryption_key=base64.b64encode(ENC_KEY).decode(),
        blind_index_key=base64.b64encode(BIDX_KEY).decode(),
    )
    case_id = _seed(settings)
    app = create_app(settings)
    with TestClient(app) as first:
        headers = api_headers(first, "reader")

    def read_many(_: int) -> list[int]:
        with TestClient(app) as client:
            return [
                client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code
                for _ in range(READS)
            ]

    with ThreadPoolExecutor(READERS) as pool:
        codes = [code for batch in pool.map(read_many, range(READERS)) for code in batch]
    assert codes == [200] * READERS * READS
    with app.state.sessions() as session:
        reads = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case.read")
        )
    assert reads == READERS * READS
    app.state.engine.dispose()
