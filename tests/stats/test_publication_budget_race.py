"""Two dp releases at once cannot both spend the last of a year's budget (real SQLite file,
separate connections and transactions; PostgreSQL locks the year's row the same way)."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

from ctip.auth.scope import SYSTEM
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory, transaction
from ctip.errors import DomainError
from ctip.stats import publication_service as pub
from tests.conftest import BIDX_KEY, ENC_KEY
from tests.stats.publication_data import seed_registry


def test_concurrent_dp_releases_spend_within_the_budget(tmp_path):
    settings = Settings(
        env="test",
        data_dir=tmp_path,
        encryption_key=base64.b64encode(ENC_KEY).decode(),
        blind_index_key=base64.b64encode(BIDX_KEY).decode(),
        stats_copy_attach=False,
        stats_copy_path=":memory:",
        privacy_budget_per_year=5.0,
    )
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    writers = session_factory(engine, writer=True)
    with transaction(writers) as session:
        seed_registry(session, cases=12)

    def release(_: int) -> str:
        try:
            with transaction(writers) as session:
                pub.create_release(
                    session, actor=SYSTEM, settings=settings, year=2024, method="dp", epsilon=3
                )
            return "made"
        except DomainError as exc:
            return exc.message

    with ThreadPoolExecutor(max_workers=3) as pool:
        outcomes = list(pool.map(release, range(3)))
    assert outcomes.count("made") == 1, outcomes
    assert all("2 is left" in o for o in outcomes if o != "made")
    with transaction(writers) as session:
        assert pub.budget(session, settings=settings, year=2024).spent == 3.0
        assert len(pub.list_releases(session, actor=SYSTEM)) == 1
    engine.dispose()
