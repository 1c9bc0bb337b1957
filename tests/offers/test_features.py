"""The numpy n-gram features agree with their sparse-matrix definition."""

from __future__ import annotations

import numpy as np
import pytest

from ctip.offers.features import HashedCharNgrams

TEXTS = ["urgent typing job", "ប្រាក់ខែខ្ពស់", "高薪 包吃包住", "", "a", "việc  nhẹ\nlương cao"]


def test_linear_scores_match_the_matrix() -> None:
    vec = HashedCharNgrams(bits=16, min_df=1).fit(TEXTS)
    coef = np.random.default_rng(1).normal(size=vec.n_features)
    expected = vec.transform(TEXTS) @ coef + 0.25
    assert vec.linear_scores(TEXTS, coef, 0.25) == pytest.approx(expected, abs=1e-6)


def test_counts_count_every_ngram_once_per_occurrence() -> None:
    vec = HashedCharNgrams(n_min=1, n_max=2, bits=16)
    counts = vec.counts(["aa", "abc", ""])
    assert counts.sum(axis=1).ravel().tolist() == [[3.0, 5.0, 0.0]]
    assert counts[0].max() == 2  # "a" twice


def test_ngrams_do_not_cross_texts() -> None:
    vec = HashedCharNgrams(n_min=2, n_max=2, bits=16)
    together = vec.counts(["ab", "cd"])
    assert together.sum() == 2


def test_transform_needs_fit() -> None:
    with pytest.raises(RuntimeError):
        HashedCharNgrams().transform(["x"])
