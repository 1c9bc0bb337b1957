"""Phonetic keys: romanisation variants meet, different names stay apart, Khmer script meets
its romanisation."""

from __future__ import annotations

import pytest

from ctip.linkage.phonetic import khmer_skeleton, latin_key, name_skeleton, skeleton


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sokha", "Sokhar"),
        ("Sokha", "Sokkha"),
        ("Chea", "Chear"),
        ("Chea", "Chia"),
        ("Srey", "Srei"),
        ("Pov", "Pove"),
        ("Keo", "Keov"),
        ("Sorn", "Son"),
        ("Phan", "Fan"),
        ("Chhim", "Chim"),
        ("Sreymom", "Srey Mom"),
        ("Vichet", "Vichhet"),
        ("Zhou", "Chou"),
        ("Nguyễn", "Nguyen"),
    ],
)
def test_romanisation_variants_share_a_key(a, b):
    assert latin_key(a) == latin_key(b)


@pytest.mark.parametrize(("a", "b"), [("Sok", "Dara"), ("Chan", "Kim"), ("Sokha", "Sophal")])
def test_different_names_keep_different_keys(a, b):
    assert latin_key(a) != latin_key(b)


@pytest.mark.parametrize(
    ("khmer", "latin"),
    [
        ("សុខា", "Sokha"),
        ("ជា", "Chea"),
        ("កុសល", "Kosal"),
        ("ពិសិដ្ឋ", "Piseth"),
        ("សំណាង", "Samnang"),
        ("ស្វាយ", "Svay"),
        ("ប្រាក់", "Prak"),
    ],
)
def test_khmer_script_meets_its_romanisation(khmer, latin):
    assert khmer_skeleton(khmer) == skeleton(latin_key(latin))


def test_whole_name_skeleton_ignores_order_and_script():
    assert name_skeleton("ជា សុខា") == name_skeleton("Sokha Chea") == name_skeleton("chea sokha")


@pytest.mark.parametrize("empty", [None, "", "  ", "123"])
def test_nothing_to_key(empty):
    assert latin_key(empty) is None
