"""``ctip report annual`` and ``ctip stats`` through the CLI runner on a small demo registry."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import BIDX_KEY, ENC_KEY


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A committed SQLite registry of 60 demo cases in a fresh data directory."""
    from ctip.config import Settings
    from ctip.db.migrate import upgrade
    from ctip.db.session import make_engine
    from ctip.demo.loader import load

    tmp_path = tmp_path_factory.mktemp("stats-cli")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CTIP_ENV", "development")
        env.setenv("CTIP_DATA_DIR", str(tmp_path))
        env.setenv("CTIP_ENCRYPTION_KEY", base64.b64encode(ENC_KEY).decode())
        env.setenv("CTIP_BLIND_INDEX_KEY", base64.b64encode(BIDX_KEY).decode())
        settings = Settings()
        engine = make_engine(settings.resolved_database_url)
        upgrade(engine)
        load(engine, cases=60, seed=7, settings=settings)
        engine.dispose()
        yield tmp_path


def test_report_annual_json_and_bad_province(demo_env: Path):
    from ctip.cli import app

    runner = CliRunner()
    out = demo_env / "r.json"
    done = runner.invoke(
        app, ["report", "annual", "--year", "2024", "--format", "json", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text())
    assert data["year"] == 2024 and data["analytic_copy"]["loader"] == "attach"
    assert sum(data["cases"]["by_province"].values()) == data["cases"]["total"]
    bad = runner.invoke(
        app,
        [
            "report",
            "annual",
            "--year",
            "2024",
            "--province",
            "KH-99",
            "--format",
            "json",
            "--out",
            str(out),
        ],
    )
    assert bad.exit_code == 1 and "province" in bad.output


def test_report_annual_files(demo_env: Path):
    from ctip.cli import app

    for fmt in ("pdf", "xlsx", "csv", "html"):
        out = demo_env / f"r.{fmt}"
        args = ["report", "annual", "--year", "2024", "--lang", "km", "--format", fmt]
        done = CliRunner().invoke(app, [*args, "--out", str(out)])
        assert done.exit_code == 0, done.output
        assert out.stat().st_size > 500


def test_goal_add_and_list(demo_env: Path):
    from ctip.cli import app

    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "stats",
            "goal-add",
            "--metric",
            "cases.total",
            "--comparison",
            ">=",
            "--target",
            "10",
            "--year",
            "2024",
        ],
    )
    assert added.exit_code == 0, added.output
    unknown = runner.invoke(
        app,
        [
            "stats",
            "goal-add",
            "--metric",
            "nope",
            "--comparison",
            ">=",
            "--target",
            "10",
            "--year",
            "2024",
        ],
    )
    assert unknown.exit_code == 1 and "metric" in unknown.output
    assert runner.invoke(app, ["stats", "refresh"]).exit_code == 0
    assert "cases.total" in runner.invoke(app, ["stats", "definitions"]).output


def test_goal_figures_are_stored_by_refresh_and_by_their_command(demo_env: Path):
    from datetime import date

    from ctip.cli import app

    runner = CliRunner()
    year = str(date.today().year)
    goal = ["--metric", "cases.total", "--comparison", ">=", "--target", "1", "--year", year]
    added = runner.invoke(app, ["stats", "goal-add", *goal])
    assert added.exit_code == 0, added.output
    refreshed = runner.invoke(app, ["stats", "refresh"])
    assert refreshed.exit_code == 0 and "goal figures stored: " in refreshed.output
    stored = runner.invoke(app, ["stats", "goal-figures"])
    assert stored.exit_code == 0, stored.output
    assert int(stored.output.rsplit(":", 1)[1]) >= 1
