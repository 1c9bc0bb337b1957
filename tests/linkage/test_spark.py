"""Spark local mode gives the same clusters as DuckDB on the same data and model."""

from __future__ import annotations

import pytest

from ctip.linkage import service
from ctip.linkage.run import run_linkage


@pytest.mark.spark
def test_spark_run_gives_the_same_clusters(db, sessions, settings, demo):
    duck = run_linkage(sessions, settings=settings, engine="duckdb")
    on_duckdb = service.resolved_person_ids(session=db)
    spark = run_linkage(sessions, settings=settings, engine="spark")
    assert spark.engine == "spark" and spark.model_version == duck.model_version
    assert service.resolved_person_ids(session=db) == on_duckdb
    assert spark.n_pairs == duck.n_pairs
    assert not list((settings.data_dir / "linkage-tmp").iterdir())
