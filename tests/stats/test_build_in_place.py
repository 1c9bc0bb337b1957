"""A full build through the offline extension writes the copy file in the child process:
no build file is left behind, the parent reports the build once, then refreshes normally."""

from __future__ import annotations

from pathlib import Path

from ctip.stats import analytic


def test_the_child_writes_the_copy_itself(tmp_path: Path):
    from ctip.config import Settings
    from ctip.db.migrate import upgrade
    from ctip.db.session import make_engine, session_factory

    url = f"sqlite:///{tmp_path / 'reg.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(env="test", data_dir=tmp_path, database_url=url)
    sessions = session_factory(engine)
    with sessions() as session, analytic.open_copy(settings, session) as conn:
        assert conn.execute("SELECT count(*) FROM _built_in_place").fetchone() == (1,)
        first = analytic.refresh(conn, session=session, settings=settings)
    with sessions() as session, analytic.open_copy(settings, session) as conn:
        second = analytic.refresh(conn, session=session, settings=settings)
    engine.dispose()
    assert (first.loader, first.rebuilt) == ("attach", True)
    assert (second.loader, second.rebuilt) == ("session", False)
    folder = tmp_path / "stats"
    assert not list(folder.glob("build-*"))
    assert (folder / "analytic.duckdb").stat().st_mode & 0o777 == 0o600
