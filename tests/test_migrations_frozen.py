"""Migrations do not import live application code (a migration must not change when the code
does); the registry migration's frozen audit triggers equal today's."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

from ctip.audit.triggers import append_only_sql

VERSIONS = (
    Path(__file__).resolve().parent.parent / "src" / "ctip" / "db" / "migrations" / "versions"
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_the_registry_migration_imports_no_ctip_code():
    path = next(VERSIONS.glob("0001_registry*.py"))
    assert not {m for m in _imports(path) if m.startswith("ctip")}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_frozen_triggers_match_the_live_ones(dialect):
    path = next(VERSIONS.glob("0001_registry*.py"))
    spec = importlib.util.spec_from_file_location("registry_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.extra_sql(dialect) == append_only_sql(dialect)


def test_the_frozen_tallied_tables_match_the_live_ones():
    """Migration 0015 keeps its own list of the tables with row tallies (``ctip.db.tallies``)."""
    from ctip.db.tallies import TALLIED

    path = next(VERSIONS.glob("0015_row_tallies.py"))
    spec = importlib.util.spec_from_file_location("row_tallies_0015", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.TALLIED == TALLIED
    assert not {m for m in _imports(path) if m.startswith("ctip")}
