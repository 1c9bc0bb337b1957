"""``ctip offers scan`` (local and Spark engines give the same file) and ``--save``."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ctip.cli import app
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.offers.model import OfferModel
from ctip.offers.models import OfferReport
from ctip.offers.service import use_model
from tests.conftest import BIDX_KEY, ENC_KEY

POSTS = [
    {
        "id": "a1",
        "text": "URGENT typing job in Sihanoukville, $2000/month, free ticket, "
        "no experience. Telegram @hr_fast1",
    },
    {
        "id": "a2",
        "text": "Angkor Star Garment (No. 12, Street 271, Phnom Penh) hires sewing "
        "operators, $210/month, NSSF. Apply hr@angkorstar.com.kh",
    },
    {"text": "急招客服打字员，月薪2万，无需经验，包吃包住，包机票，地点西港"},
    {"id": "a4", "message": "hello"},
]


@pytest.fixture
def posts(tmp_path: Path, monkeypatch, offer_model: OfferModel) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CTIP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CTIP_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("CTIP_ENCRYPTION_KEY", base64.b64encode(ENC_KEY).decode())
    monkeypatch.setenv("CTIP_BLIND_INDEX_KEY", base64.b64encode(BIDX_KEY).decode())
    use_model(Settings(), offer_model)
    path = tmp_path / "posts.jsonl"
    lines = [json.dumps(p, ensure_ascii=False) for p in POSTS]
    plain = "not json: urgent typing job in Poipet, $3000, free visa, deposit, Telegram only"
    path.write_text("\n".join([*lines[:2], "", *lines[2:], plain]), encoding="utf-8")
    return path


def _scan(posts: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    out = posts.parent / f"flagged-{'-'.join(args) or 'default'}.jsonl"
    result = CliRunner().invoke(app, ["offers", "scan", str(posts), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_scan_writes_flagged_posts_with_evidence(posts: Path) -> None:
    flagged = _scan(posts)
    assert [r["id"] for r in flagged] == ["a1", 4, 6]  # unnamed posts: their line number
    first = flagged[0]
    assert first["risk"] == "high" and {"C1", "C5"} <= {f["code"] for f in first["flags"]}
    assert {"kind": "telegram", "value": "hr_fast1"} in first["identifiers"]


@pytest.mark.parametrize("floor", ["none_found", "low"])  # low: the old name still works
def test_min_risk_none_found_writes_every_judged_post(posts: Path, floor: str) -> None:
    assert [r["id"] for r in _scan(posts, "--min-risk", floor)] == ["a1", "a2", 4, 6]


def test_unknown_engine_is_refused(posts: Path) -> None:
    result = CliRunner().invoke(
        app, ["offers", "scan", str(posts), "--out", "x.jsonl", "--engine", "hadoop"]
    )
    assert result.exit_code != 0


def test_save_keeps_flagged_posts_for_analysts(posts: Path) -> None:
    url = f"sqlite:///{posts.parent / 'cli.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    _scan(posts, "--save")
    with session_factory(engine)() as session:
        saved = session.scalars(select(OfferReport)).all()
        assert sorted(o.scan_ref for o in saved) == [
            "posts.jsonl#4",
            "posts.jsonl#6",
            "posts.jsonl#a1",
        ]
        assert all(o.source == "scan" for o in saved)
    engine.dispose()


@pytest.mark.spark
def test_spark_engine_gives_identical_results(posts: Path) -> None:
    pytest.importorskip("pyspark")  # optional: pip install pyspark (Java 17)
    assert _scan(posts, "--engine", "spark") == _scan(posts)
