"""String-distance levels that score alike on every engine.

DuckDB's ``jaro_winkler_similarity`` and ``levenshtein`` compare a text's UTF-8 bytes;
Spark's (Splink's Jaro-Winkler UDF, Spark's own ``levenshtein``) compare its characters. For
a name with diacritics the two disagree — ``levenshtein('trần', 'tran')`` is 3 on DuckDB and
1 on Spark — so one model put Vietnamese namesakes in different levels, and so in different
clusters, on the two engines. These levels compare the UTF-8 bytes on Spark too (each byte
read as one ISO-8859-1 character), which is what DuckDB compares; on DuckDB their SQL, and so
a trained model, is Splink's own. The comparisons keep Splink's class names, so a model's
stored description is unchanged.
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl


def as_bytes(sql_dialect: Any, name: str) -> str:
    """``name`` (an ``_l``/``_r`` column) as the engine's distance functions should read it:
    its UTF-8 bytes, one character each, where the engine would otherwise read characters."""
    if sql_dialect.sqlglot_dialect == "spark":
        return f"decode(encode({name}, 'UTF-8'), 'ISO-8859-1')"
    return name


def _distance_sql(level: Any, sql_dialect: Any, fn: str, test: str) -> str:
    level.col_expression.sql_dialect = sql_dialect
    col = level.col_expression
    left, right = as_bytes(sql_dialect, col.name_l), as_bytes(sql_dialect, col.name_r)
    return f"{fn}({left}, {right}) {test} {level.distance_threshold}"


class JaroWinklerLevel(cll.JaroWinklerLevel):
    """Splink's Jaro-Winkler level over UTF-8 bytes on every engine."""

    def create_sql(self, sql_dialect: Any) -> str:
        return _distance_sql(self, sql_dialect, sql_dialect.jaro_winkler_function_name, ">=")


class LevenshteinLevel(cll.LevenshteinLevel):
    """Splink's Levenshtein level over UTF-8 bytes on every engine."""

    def create_sql(self, sql_dialect: Any) -> str:
        return _distance_sql(self, sql_dialect, sql_dialect.levenshtein_function_name, "<=")


class JaroWinklerAtThresholds(cl.JaroWinklerAtThresholds):
    """Splink's comparison (null, exact, one level a threshold, else) with byte levels."""

    def create_comparison_levels(self) -> list[Any]:
        return _byte_levels(super().create_comparison_levels(), JaroWinklerLevel)


class LevenshteinAtThresholds(cl.LevenshteinAtThresholds):
    """Splink's comparison (null, exact, one level a threshold, else) with byte levels."""

    def create_comparison_levels(self) -> list[Any]:
        return _byte_levels(super().create_comparison_levels(), LevenshteinLevel)


def _byte_levels(levels: list[Any], byte_level: type[Any]) -> list[Any]:
    out = []
    for level in levels:
        if isinstance(level, cll.JaroWinklerLevel | cll.LevenshteinLevel):
            level = byte_level(level.col_expression, level.distance_threshold)
        out.append(level)
    return out
