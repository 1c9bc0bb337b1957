"""Large runs: which candidate pairs are scored, and the sample the model is trained on."""

from __future__ import annotations

import pandas as pd
import pytest

from ctip.linkage import model

NAMES = {"first", "last", "birth_year", "dob", "km", "alias_list"}


@pytest.mark.parametrize(
    ("n_records", "needle", "present"),
    [
        # Without a birth year, a large run pairs holders of a rare full name only, not every
        # sound-alike nor every namesake of a common name.
        (1_000_000, "l.rare_name = r.rare_name AND (l.birth_year IS NULL", True),
        (1_000_000, "l.first = r.first AND l.last = r.last AND (l.birth_year IS NULL", False),
        (1_000_000, "AND l.last_key = r.last_key AND (l.birth_year IS NULL", False),
        # The name skeleton pairs across scripts only.
        (1_000_000, "NOT (l.has_latin AND r.has_latin)", True),
        # Small runs keep the plain rules.
        (20_000, "NOT (l.has_latin AND r.has_latin)", False),
        (20_000, "birth_year IS NULL", False),
    ],
)
def test_blocking_rules_by_size(n_records, needle, present):
    rules = [
        r if isinstance(r, str) else r.get_blocking_rule("duckdb").blocking_rule_sql
        for r in model.blocking_rules(NAMES, n_records)
    ]
    assert any(needle in r for r in rules) is present


def test_training_sample_is_capped_and_repeatable():
    df = pd.DataFrame({"unique_id": range(model.TRAIN_MAX + 5_000)})
    first, again = model.training_sample(df), model.training_sample(df)
    assert len(first) == model.TRAIN_MAX
    assert first["unique_id"].tolist() == again["unique_id"].tolist()
    assert first["unique_id"].is_monotonic_increasing
    small = df.iloc[:1000]
    assert model.training_sample(small) is small


def test_rare_names_are_marked_on_large_runs_only():
    common = [("sok", "dara")] * (model.RARE_NAME_MAX + 1)
    rare = [("vann", "chhorvy")] * model.RARE_NAME_MAX
    df = pd.DataFrame(common + rare + [(None, "mao")], columns=["first", "last"])
    model.mark_rare_names([df], model.BIG_RUN + 1)
    marked = df["rare_name"].tolist()
    assert marked[: len(common)] == [None] * len(common)
    assert len(set(marked[len(common) : -1])) == 1 and marked[len(common)] is not None
    assert marked[-1] is None  # a record without a given name has no full name to share
    small = pd.DataFrame(rare, columns=["first", "last"])
    model.mark_rare_names([small], model.BIG_RUN)
    assert "rare_name" not in small


def test_rare_names_count_both_lists_of_a_link():
    left = pd.DataFrame([("sok", "dara")] * model.RARE_NAME_MAX, columns=["first", "last"])
    right = pd.DataFrame([("sok", "dara")], columns=["first", "last"])
    model.mark_rare_names([left, right], model.BIG_RUN + 1)
    assert left["rare_name"].isna().all() and right["rare_name"].isna().all()
