"""The labelled corpus: well-formed, reproducible, held out honestly, 5 % deceptive."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from ctip.offers.corpus.generate import build
from ctip.offers.model import LANGS, corpus_files, load_corpus

FIELDS = {"id", "lang", "split", "label", "pattern", "source_note", "text"}


def test_every_record_has_provenance() -> None:
    for path in corpus_files():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert set(record) == FIELDS
            assert record["label"] in (0, 1)
            assert record["split"] in ("train", "dev", "test")
            assert record["source_note"].startswith("synthetic:")


def test_corpus_is_what_the_seeded_generator_writes() -> None:
    built = build()
    for lang, path in zip(LANGS, corpus_files(), strict=True):
        stored = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [r["text"] for r in stored] == [r["text"] for r in built[lang]]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_evaluation_splits_are_about_five_percent_deceptive(split: str) -> None:
    for lang in LANGS:
        rows = [e for e in load_corpus() if e.split == split and e.lang == lang]
        share = sum(e.label for e in rows) / len(rows)
        assert 0.04 <= share <= 0.06


def test_no_text_appears_in_two_splits() -> None:
    seen = Counter(e.text for e in load_corpus())
    assert max(seen.values()) == 1


def test_hard_negatives_and_every_cue_family_are_present() -> None:
    patterns = Counter(e.pattern.split(":")[1] for e in load_corpus() if e.split == "test")
    assert {"hard", "informal", "plain", "overt", "subtle", "disguised"} <= set(patterns)
