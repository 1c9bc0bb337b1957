"""Canonical comparison columns of one record (pure function)."""

from __future__ import annotations

from datetime import date

import pytest

from ctip.linkage.features import features


@pytest.mark.parametrize(
    ("fields", "column", "expected"),
    [
        ({"first": "Wang", "last": "Wei", "aliases": ["王 伟"]}, "script_list", ["王伟"]),
        ({"first": "Wang", "last": "Wei", "aliases": ["王伟"]}, "alias_list", None),
        ({"first": "Dara", "aliases": ["Big Brother"]}, "alias_list", ["big brother"]),
        ({"km": "ជា សុខា"}, "name_skel", "c sk"),
        ({"first": "Sokha", "last": "Chea"}, "name_skel", "c sk"),
        ({"km": "Sokha"}, "alias_list", ["sokha"]),
        ({"dob": date(1990, 2, 3)}, "dob", "1990-02-03"),
        ({"dob": "1971-13-19"}, "birth_year", 1971),
        ({"birth_year": 1988}, "block_year4b", 497),
        ({"sex": "Feminine"}, "sex", "F"),
        ({"sex": "NonSpecifiedUnknown"}, "sex", None),
        ({"identifiers": ["phone:b", "phone:a"]}, "ident_key", "phone:a"),
        ({"first": "Sokha", "last": "Chea"}, "has_latin", True),
        ({"km": "ជា សុខា"}, "has_latin", False),
    ],
)
def test_feature_columns(fields, column, expected):
    assert features(unique_id=1, **fields)[column] == expected
