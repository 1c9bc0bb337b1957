"""The network over the demo registry: scope per role, audited exports, the dossier (Khmer
PDF), the command line."""

from __future__ import annotations

import re
import zlib

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ctip.audit.models import AuditEntry
from ctip.cases.models import CasePerson
from ctip.errors import NotFound, PermissionDenied
from ctip.i18n import translate
from ctip.network import dossier, exports, service
from ctip.network.graph import OFFENDERS
from ctip.web.fonts import khmer_font


def test_ngo_case_worker_sees_only_the_victim_side(demo, demo_actor):
    net = service.scoped_network(demo, actor=demo_actor("caseworker"))
    people = [n for n in net.nodes.values() if n.kind == "person"]
    assert people, "the demo refers victims to the shelter"
    assert not any(n.roles & OFFENDERS for n in people)
    assert not any(lk.type in ("suspect_in", "broker_in", "recruited") for lk in net.links)


def test_scopes_nest(demo, demo_actor):
    """The secretariat sees everything the investigator and the officers see."""
    national = service.scoped_network(demo, actor=demo_actor("secretariat"))

    def records(net, kind):
        return {m for n in net.nodes.values() if n.kind == kind for m in n.members or [n.record_id]}

    for username in ("investigator", "officer-pp", "officer-bmc"):
        mine = service.scoped_network(demo, actor=demo_actor(username))
        for kind in ("case", "person", "identifier"):
            assert records(mine, kind) <= records(national, kind)
        assert len(mine.links) < len(national.links)


def test_viewer_is_refused(demo, demo_actor):
    with pytest.raises(PermissionDenied):
        service.scoped_network(demo, actor=demo_actor("viewer"))


def test_export_is_scoped_and_audited(demo, demo_actor, busy_broker):
    investigator = demo_actor("investigator")
    data = service.export(demo, actor=investigator, fmt="anx", around_person=busy_broker, hops=2)
    assert exports.anx_problems(data) == []
    entry = demo.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "network.export")
        .order_by(AuditEntry.id.desc())
    )
    assert entry is not None and entry.entity_id == busy_broker and "anx" in entry.detail
    with pytest.raises(NotFound):
        service.export(demo, actor=demo_actor("caseworker"), fmt="gexf", around_person=busy_broker)


def test_dossier_lists_cases_roles_identifiers_and_linked_persons(demo, demo_actor, busy_broker):
    data = dossier.build(demo, actor=demo_actor("investigator"), person_id=busy_broker)
    assert {r.role for r in data.roles} >= {"broker"}
    assert len({r.case_id for r in data.roles}) >= 2
    assert data.identifiers and data.linked and data.network.nodes
    assert any(n.key == data.network.start for n in data.network.nodes)
    with pytest.raises(NotFound):
        dossier.build(demo, actor=demo_actor("officer-pp"), person_id=99999999)


def _pdf_text_layer(pdf: bytes) -> str:
    """The Unicode text a PDF's ToUnicode maps name (fpdf2 writes one per embedded font)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            text = stream  # fpdf2 leaves the ToUnicode CMap uncompressed
        for hexes in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", text):
            raw = bytes.fromhex(hexes.decode())
            out.append(raw.decode("utf-16-be", errors="ignore"))
    return "".join(out)


def test_dossier_pdf_in_khmer(demo, demo_actor, busy_broker, settings):
    font = khmer_font(settings)
    if font is None:
        pytest.skip("no Khmer font installed (Debian's fonts-khmeros)")
    data = dossier.build(
        demo, actor=demo_actor("investigator"), person_id=busy_broker, language="km"
    )
    pdf = dossier.to_pdf(data, font, "km")
    assert pdf.startswith(b"%PDF") and b"Khmer" in pdf
    title = translate("Suspect dossier", "km")
    layer = _pdf_text_layer(pdf)
    assert {ch for ch in title if "\u1780" <= ch <= "\u17ff"} <= set(layer)


def test_cli_export_and_list(demo, demo_actor, busy_broker, tmp_path, monkeypatch, settings):
    """The CLI runs its own transaction on the configured database; here the demo lives in
    the test's rolled-back transaction, so the command's service call is exercised through
    the same function the CLI calls, and the CLI's own argument handling through --help."""
    from ctip.network.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["export", "--help"])
    assert result.exit_code == 0 and "--around" in result.output and "--format" in result.output
    bad = runner.invoke(app, ["export", "--out", str(tmp_path / "x")])
    assert bad.exit_code != 0
    data = service.networks(demo, actor=demo_actor("secretariat"), order="growth")
    growth = [n.recent_cases for n in data.networks]
    assert growth == sorted(growth, reverse=True)


def test_linkage_results_merge_persons_and_add_probable_matches(demo, demo_actor):
    """A complete linkage run: a cluster of two records becomes one node under the smaller
    id; a probable match between clusters is a ``same_person_as`` link with its probability;
    a reader who sees only one record of a cluster sees only that record."""
    from datetime import datetime

    from ctip.auth.scope import visible_participants
    from ctip.linkage.models import LinkPair, LinkRun, PersonCluster

    secretariat, officer = demo_actor("secretariat"), demo_actor("officer-pp")
    mine = sorted(
        set(demo.scalars(select(CasePerson.person_id).where(visible_participants(officer))))
    )
    others = sorted(set(demo.scalars(select(CasePerson.person_id))) - set(mine))
    a, b, c = mine[0], others[0], mine[1]
    run = LinkRun(
        engine="duckdb",
        threshold=0.9,
        status="complete",
        is_current=True,
        finished_at=datetime(2026, 1, 1),
    )
    demo.add(run)
    demo.flush()
    low, high = min(a, b), max(a, b)
    demo.add_all(
        [
            PersonCluster(run_id=run.id, person_id=low, cluster_id=low),
            PersonCluster(run_id=run.id, person_id=high, cluster_id=low),
            LinkPair(
                run_id=run.id,
                person_id_l=min(a, c),
                person_id_r=max(a, c),
                match_probability=0.72,
                match_weight=3.1,
            ),
        ]
    )
    demo.flush()
    national = service.scoped_network(demo, actor=secretariat)
    merged = national.find("person", high)
    assert merged == f"person:{low}" and national.find("person", low) == merged
    assert sorted(national.nodes[merged].members) == [low, high]
    (match,) = [lk for lk in national.links if lk.type == "same_person_as"]
    assert match.probability == 0.72 and match.grading == "C4"
    local = service.scoped_network(demo, actor=officer)
    assert local.find("person", b) is None
    assert local.nodes[local.find("person", a)].members == [a]
