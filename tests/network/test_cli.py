"""``ctip network`` on a real migrated SQLite file with demo data, through the ``ctip``
command: exports open in igraph and networkx, scope follows ``--user``, bad input is named."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import igraph as ig
import networkx as nx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ctip.audit.models import AuditEntry
from ctip.cli import app
from ctip.config import Settings
from ctip.db.migrate import upgrade
from ctip.db.session import make_engine, session_factory
from ctip.demo.loader import load
from ctip.network.exports import anx_problems
from tests.conftest import BIDX_KEY, ENC_KEY

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory, test_keyring):
    folder = tmp_path_factory.mktemp("network-cli")
    env = {
        "CTIP_DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}",
        "CTIP_DATA_DIR": str(folder),
        "CTIP_ENV": "test",
        "CTIP_ENCRYPTION_KEY": base64.b64encode(ENC_KEY).decode(),
        "CTIP_BLIND_INDEX_KEY": base64.b64encode(BIDX_KEY).decode(),
    }
    engine = make_engine(env["CTIP_DATABASE_URL"])
    upgrade(engine)
    load(engine, cases=40, seed=2024, settings=Settings(data_dir=folder))
    engine.dispose()
    return env


def test_export_graphml_and_gexf(cli_env, tmp_path):
    graphml, gexf = tmp_path / "n.graphml", tmp_path / "n.gexf"
    for fmt, out in (("graphml", graphml), ("gexf", gexf)):
        result = runner.invoke(
            app, ["network", "export", "--format", fmt, "--out", str(out)], env=cli_env
        )
        assert result.exit_code == 0, result.output
    graph = ig.Graph.Read_GraphML(str(graphml))
    assert "person" in set(graph.vs["kind"]) and "victim_in" in set(graph.es["type"])
    assert nx.read_gexf(gexf, version="1.3").number_of_nodes() == graph.vcount()


def test_export_around_a_person_as_anx_is_scoped_and_audited(cli_env, tmp_path):
    whole = tmp_path / "all.anx"
    runner.invoke(app, ["network", "export", "--format", "anx", "--out", str(whole)], env=cli_env)
    person = next(
        e.get("EntityId")
        for e in ET.parse(whole).iter("Entity")
        if e.get("EntityId", "").startswith("person:")
    )
    pid = person.split(":")[1]
    out = tmp_path / "around.anx"
    result = runner.invoke(
        app,
        ["network", "export", "--format", "anx", "--around", pid, "--hops", "1", "--out", str(out)],
        env=cli_env,
    )
    assert result.exit_code == 0, result.output
    assert anx_problems(out.read_bytes()) == []
    assert len(list(ET.parse(out).iter("Entity"))) < len(list(ET.parse(whole).iter("Entity")))
    engine = make_engine(cli_env["CTIP_DATABASE_URL"])
    with session_factory(engine)() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "network.export")
        ).all()
    engine.dispose()
    assert any(e.entity_id == int(pid) for e in entries)
    viewer = runner.invoke(
        app,
        ["network", "export", "--format", "anx", "--user", "viewer", "--out", str(out)],
        env=cli_env,
    )
    assert viewer.exit_code == 1 and "error" in viewer.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "format: unknown format pdf"),
        (["--format", "anx", "--around", "99999", "--hops", "2"], "not found"),
        (["--format", "anx", "--around", "1", "--hops", "7"], "hops: hops must be between 1 and 3"),
    ],
)
def test_bad_input_is_named(cli_env, tmp_path, args, message):
    result = runner.invoke(
        app, ["network", "export", *args, "--out", str(tmp_path / "x")], env=cli_env
    )
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "x").exists()


def test_list_and_dossier(cli_env, tmp_path):
    listing = runner.invoke(app, ["network", "list", "--json"], env=cli_env)
    assert listing.exit_code == 0 and '"networks"' in listing.output
    out = tmp_path / "d.pdf"
    whole = runner.invoke(app, ["network", "list"], env=cli_env)
    centre = whole.output.split("around person:")[1].split()[0]
    result = runner.invoke(
        app, ["network", "dossier", centre, "--language", "km", "--out", str(out)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
