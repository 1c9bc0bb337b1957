"""Character n-gram TF-IDF features computed with numpy, for bulk speed.

scikit-learn's ``TfidfVectorizer`` builds n-grams one Python string at a time, which
caps a scan at about a thousand posts per second. Here a whole batch is turned into one
array of code points and every 1-4-gram is hashed at once with integer arithmetic, so
the cost per post is a few microseconds. The result is the same kind of matrix
(sublinear term frequency x inverse document frequency, rows of unit length) that a
linear model expects. Hashing into 2**20 columns makes collisions rare and keeps the
vocabulary out of the cached model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

_MULT = np.uint64(1_000_003)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class HashedCharNgrams:
    """Hashed character n-gram TF-IDF; ``fit`` learns document frequencies only."""

    def __init__(self, n_min: int = 1, n_max: int = 4, bits: int = 20, min_df: int = 2) -> None:
        self.n_min, self.n_max, self.bits, self.min_df = n_min, n_max, bits, min_df
        self.idf: np.ndarray | None = None

    @property
    def n_features(self) -> int:
        return 1 << self.bits

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Raw n-gram counts, one row per text."""
        keys, n = np.unique(self._keys(texts), return_counts=True)
        doc, col = keys >> self.bits, keys & (self.n_features - 1)
        shape = (len(texts), self.n_features)
        return sparse.csr_matrix((n.astype(np.float32), (doc, col)), shape=shape)

    def _hash(self, cp: np.ndarray, doc: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Column of every n-gram starting at each position, and which ones stay in one text."""
        end = len(cp) - n + 1
        h = cp[:end].copy()
        for k in range(1, n):
            h = h * _MULT + cp[k : k + end]
        h = (h ^ np.uint64(n)) * _GOLDEN
        idx = (h >> np.uint64(64 - self.bits)).astype(np.int64)
        return idx, doc[:end] == doc[n - 1 : n - 1 + end]

    def fit(self, texts: Sequence[str]) -> HashedCharNgrams:
        """Learn smoothed inverse document frequencies; rare columns get weight 0."""
        c = self.counts(texts)
        df = np.bincount(c.indices, minlength=self.n_features)
        idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        idf[df < self.min_df] = 0.0
        self.idf = idf.astype(np.float32)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF x IDF, each row divided by ``sqrt(sum over occurrences of idf**2)``.

        That divisor is the row's length if every n-gram occurred once; unlike the exact
        length it can be summed occurrence by occurrence, so :meth:`linear_scores` needs
        no sort to reproduce ``transform(texts) @ coef``.
        """
        idf = self._fitted_idf()
        m = self.counts(texts)
        m.data = m.data * idf[m.indices]
        squares = np.bincount(
            np.repeat(np.arange(m.shape[0]), np.diff(m.indptr)),
            weights=m.data * idf[m.indices],
            minlength=m.shape[0],
        )
        squares[squares == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / np.sqrt(squares)) @ m)

    def _fitted_idf(self) -> np.ndarray:
        if self.idf is None:
            raise RuntimeError("HashedCharNgrams must be fitted first")
        return self.idf

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.fit(texts).transform(texts)

    def _keys(self, texts: Sequence[str]) -> np.ndarray:
        """``text number << bits | column`` of every n-gram occurrence in a batch."""
        # str.split squeezes the same whitespace as ``\s+`` (tested per code point), faster
        cleaned = [" ".join(t.split()) for t in texts]
        lengths = np.array([len(t) for t in cleaned], dtype=np.int64)
        cp = np.frombuffer("".join(cleaned).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        doc = np.repeat(np.arange(len(cleaned), dtype=np.int64), lengths)
        keys = [np.zeros(0, dtype=np.int64)]
        for n in range(self.n_min, min(self.n_max, len(cp)) + 1):
            idx, ok = self._hash(cp, doc, n)
            keys.append((doc[: len(doc) - n + 1][ok] << self.bits) | idx[ok])
        return np.concatenate(keys)

    def linear_scores(self, texts: Sequence[str], coef: np.ndarray, intercept: float) -> np.ndarray:
        """``transform(texts) @ coef + intercept``, summed occurrence by occurrence (no sort)."""
        idf = self._fitted_idf()
        keys = self._keys(texts)
        doc, col = keys >> self.bits, keys & (self.n_features - 1)
        weight = idf[col]
        dot = np.bincount(doc, weights=weight * coef[col], minlength=len(texts))
        squares = np.bincount(doc, weights=weight * weight, minlength=len(texts))
        squares[squares == 0] = 1.0
        return np.asarray(dot / np.sqrt(squares) + intercept)
