"""Small seeded demo registries for linkage tests (real DuckDB/Splink on them)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from ctip.demo import truth
from ctip.demo.loader import load

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
