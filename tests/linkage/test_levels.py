"""String distances score alike on DuckDB and Spark (``ctip.linkage.levels``): DuckDB
compares UTF-8 bytes, Spark characters, so a Vietnamese name with diacritics fell in another
level on Spark; on DuckDB the levels are Splink's own (a trained model is unchanged)."""

from __future__ import annotations

import duckdb
import pytest
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink.internals.dialects import SplinkDialect

from ctip.linkage import levels
from ctip.linkage.model import open_engine

# (left, right): ASCII, Vietnamese (precomposed diacritics), Khmer and Chinese script.
PAIRS = [
    ("sokha", "sokhar"),
    ("martha", "marhta"),
    ("tran", "trần"),
    ("nguyen", "nguyễn"),
    ("le", "lê"),
    ("thị hương", "thi huong"),
    ("hoàng long", "hoàng lông"),
    ("đức anh", "duc anh"),
    ("សុខា", "សុខ"),
    ("王伟", "王伟伟"),
    ("2001-03-04", "2001-04-03"),
]


@pytest.mark.parametrize(
    ("ours", "splinks"),
    [
        (levels.JaroWinklerLevel("first", 0.92), cll.JaroWinklerLevel("first", 0.92)),
        (levels.LevenshteinLevel("dob", 1), cll.LevenshteinLevel("dob", 1)),
        (
            levels.JaroWinklerAtThresholds("city", [0.95, 0.85]),
            cl.JaroWinklerAtThresholds("city", [0.95, 0.85]),
        ),
        (
            levels.LevenshteinAtThresholds("postcode", [1]),
            cl.LevenshteinAtThresholds("postcode", [1]),
        ),
    ],
)
def test_on_duckdb_the_levels_are_splinks_own(ours, splinks):
    dialect = "duckdb"
    make = "get_comparison" if hasattr(ours, "create_comparison_levels") else "get_comparison_level"
    assert getattr(ours, make)(dialect).as_dict() == getattr(splinks, make)(dialect).as_dict()


def _functions(dialect: SplinkDialect, wrap: bool) -> str:
    """The engine's Jaro-Winkler and Levenshtein of ``a_l`` and ``a_r``, as our levels read
    them (``wrap``) or as Splink's would."""
    left = levels.as_bytes(dialect, "a_l") if wrap else "a_l"
    right = levels.as_bytes(dialect, "a_r") if wrap else "a_r"
    jw, lev = dialect.jaro_winkler_function_name, dialect.levenshtein_function_name
    return f"{jw}({left}, {right}), {lev}({left}, {right})"


def _on_duckdb() -> list[tuple[float, float]]:
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE t (i INTEGER, a_l VARCHAR, a_r VARCHAR)")
        con.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, *p) for i, p in enumerate(PAIRS)])
        sql = f"SELECT {_functions(SplinkDialect.from_string('duckdb'), True)} FROM t ORDER BY i"
        return [(float(r[0]), float(r[1])) for r in con.execute(sql).fetchall()]
    finally:
        con.close()


@pytest.mark.spark
def test_spark_scores_the_bytes_duckdb_scores(tmp_path):
    expected = _on_duckdb()
    spark_dialect = SplinkDialect.from_string("spark")
    with open_engine("spark", data_dir=tmp_path) as engine:
        frame = engine.spark.createDataFrame(
            [(i, *p) for i, p in enumerate(PAIRS)], "i INT, a_l STRING, a_r STRING"
        )
        frame.createOrReplaceTempView("t")

        def scores(wrap: bool) -> list[tuple[float, float]]:
            sql = f"SELECT {_functions(spark_dialect, wrap)} FROM t ORDER BY i"
            return [(float(r[0]), float(r[1])) for r in engine.spark.sql(sql).collect()]

        bytewise, by_character = scores(True), scores(False)
    for pair, (jw, lev), (want_jw, want_lev) in zip(PAIRS, bytewise, expected, strict=True):
        assert jw == pytest.approx(want_jw, abs=1e-12), pair
        assert lev == want_lev, pair
    # Without reading bytes, Spark scored the names with diacritics otherwise.
    assert by_character[PAIRS.index(("tran", "trần"))][1] == 1.0
    assert expected[PAIRS.index(("tran", "trần"))][1] == 3.0
