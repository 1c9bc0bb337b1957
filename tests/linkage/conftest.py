"""Small seeded demo registries for linkage tests (real DuckDB/Splink on them)."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from ctip.db.base import utcnow
from ctip.demo import truth
from ctip.demo.loader import load
from ctip.linkage.models import LinkPair, LinkRun, PersonCluster

CASES = 60
SEED = 11


@pytest.fixture
def demo(db, settings) -> Path:
    """A demo registry of ``CASES`` cases in the test's transaction; its ground-truth file."""
    result = load(db, cases=CASES, seed=SEED, settings=settings)
    db.flush()
    assert result.truth_file is not None
    return result.truth_file


def true_pairs(path: Path) -> set[tuple[int, int]]:
    """Pairs of person records of one invented human being, from the ground truth."""
    groups: dict[str, set[int]] = defaultdict(set)
    for rec in truth.read(path):
        if rec.get("record_type") == "person":
            groups[rec["entity_key"]].add(int(rec["record_id"]))
    return {pair for ids in groups.values() for pair in combinations(sorted(ids), 2)}


def cluster_pairs(mapping: dict[int, int]) -> set[tuple[int, int]]:
    groups: dict[int, set[int]] = defaultdict(set)
    for person_id, cluster_id in mapping.items():
        groups[cluster_id].add(person_id)
    return {pair for ids in groups.values() for pair in combinations(sorted(ids), 2)}


def stored_run(db, pairs, clusters, current=True):
    """A complete run with these pairs and clusters, written directly (for scope tests)."""
    run = LinkRun(
        engine="duckdb",
        threshold=0.9,
        status="complete",
        finished_at=utcnow(),
        is_current=current,
        n_records=len(clusters),
        n_pairs=len(pairs),
        n_clusters=len(set(clusters.values())),
    )
    db.add(run)
    db.flush()
    for left, right, p in pairs:
        db.add(
            LinkPair(
                run_id=run.id,
                person_id_l=min(left, right),
                person_id_r=max(left, right),
                match_probability=p,
                match_weight=3.0,
                evidence=json.dumps({"name": ["exact", 5.0]}),
            )
        )
    for person_id, cluster_id in clusters.items():
        db.add(PersonCluster(run_id=run.id, person_id=person_id, cluster_id=cluster_id))
    db.flush()
    return run
