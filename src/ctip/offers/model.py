"""The learned part of the offer checker: training, calibration, thresholds, caching.

Two stages, both logistic regressions from scikit-learn, all CPU and offline:

1. *text model*: character 1-4-gram TF-IDF over the normalised message. Character
   n-grams need no word segmentation, so one model reads Khmer, Thai, Chinese,
   Vietnamese and English alike.
2. *combiner*: the text model's out-of-fold log-odds plus the twelve rule flags.

The combiner's score is then calibrated (Platt scaling, one per language) on the dev split,
which is sampled at about 5 % deceptive like real job boards, so the probability means
"chance this offer is deceptive among posts like these in this language". Two thresholds
are read off the dev split, each the lowest score reaching a stated precision there:
*medium* ``MEDIUM_PRECISION`` (0.90) and *high* ``HIGH_PRECISION`` (0.98).

Training is deterministic (fixed folds, no random state left open). The fitted model is
cached under the data directory, keyed by a fingerprint of the corpus and this code's
version, so the first check after an install trains it once (about ten seconds).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ctip.offers.detectors import FAMILIES, detect_all, make_doc
from ctip.offers.features import HashedCharNgrams
from ctip.offers.language import detect_language
from ctip.offers.normalize import normalise_text

MODEL_VERSION = "offers-model-5"
MEDIUM_PRECISION = 0.90  # stated precision targets on the 5 %-prevalence dev split
HIGH_PRECISION = 0.98
N_FOLDS = 5
LANGS = ("km", "en", "th", "vi", "zh")


@dataclass(frozen=True)
class Example:
    """One labelled corpus record."""

    text: str
    lang: str
    label: int
    split: str
    pattern: str


def corpus_files(folder: Path | None = None) -> list[Path]:
    """The corpus JSONL files, one per language."""
    base = folder or Path(str(resources.files("ctip.offers").joinpath("corpus")))
    return [base / f"offers_{lang}.jsonl" for lang in LANGS]


def load_corpus(folder: Path | None = None) -> list[Example]:
    """Every labelled record of the corpus."""
    out = []
    for path in corpus_files(folder):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                out.append(Example(r["text"], r["lang"], int(r["label"]), r["split"], r["pattern"]))
    return out


def rule_vector(found: Mapping[str, object]) -> list[float]:
    """One 0/1 value per cue family found, plus the number of families found (scaled)."""
    return [*(1.0 if f in found else 0.0 for f in FAMILIES), len(found) / 4.0]


def rule_features(texts: Sequence[str]) -> np.ndarray:
    """:func:`rule_vector` for each text (language detected as at check time), as a matrix."""
    return np.asarray([rule_vector(detect_all(make_doc(t, detect_language(t)))) for t in texts])


def _norm_texts(texts: Iterable[str]) -> list[str]:
    return [normalise_text(t).text for t in texts]


@dataclass
class OfferModel:
    """A fitted text model, combiner, calibration and thresholds."""

    vectorizer: Any
    text_clf: Any
    combiner: Any
    platt: dict[str, tuple[float, float]]  # by language; "*" for any other language
    medium: float
    high: float
    fingerprint: str = ""

    def text_logit(self, texts: Sequence[str], normalised: bool = False) -> np.ndarray:
        """Log-odds of the text model alone (``normalised``: texts are already normalised)."""
        coef = np.asarray(self.text_clf.coef_[0], dtype=np.float64)
        intercept = float(self.text_clf.intercept_[0])
        texts = list(texts) if normalised else _norm_texts(texts)
        return self.vectorizer.linear_scores(texts, coef, intercept)

    def score(
        self,
        texts: Sequence[str],
        rules: np.ndarray,
        langs: Sequence[str] | None = None,
        normalised: bool = False,
    ) -> np.ndarray:
        """Calibrated probability (at about 5 % prevalence) that each offer is deceptive.

        ``langs`` (the detected language of each text) selects that language's calibration.
        """
        logits = self.text_logit(texts, normalised)
        z = self.combiner.decision_function(np.column_stack([logits, rules]))
        langs = langs or [detect_language(t) for t in texts]
        ab = np.array([self.platt.get(lang, self.platt["*"]) for lang in langs]).reshape(-1, 2)
        return np.asarray(1.0 / (1.0 + np.exp(-(ab[:, 0] * z + ab[:, 1]))))


def _new_text_model() -> tuple[Any, Any]:
    from sklearn.linear_model import LogisticRegression

    vec = HashedCharNgrams(n_min=1, n_max=4, bits=20, min_df=2)
    return vec, LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")


def _out_of_fold_logits(texts: list[str], y: np.ndarray) -> np.ndarray:
    """Text-model log-odds for each training text from a model that did not see it."""
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(texts))
    for fit_idx, held_idx in StratifiedKFold(N_FOLDS).split(texts, y):
        vec, clf = _new_text_model()
        clf.fit(vec.fit_transform([texts[i] for i in fit_idx]), y[fit_idx])
        out[held_idx] = clf.decision_function(vec.transform([texts[i] for i in held_idx]))
    return out


def train(examples: Sequence[Example], fingerprint: str = "") -> OfferModel:
    """Fit the whole model from the corpus's train and dev splits (test is never read)."""
    from sklearn.linear_model import LogisticRegression

    tr = [e for e in examples if e.split == "train"]
    dev = [e for e in examples if e.split == "dev"]
    texts, y = _norm_texts(e.text for e in tr), np.array([e.label for e in tr])
    rules = rule_features([e.text for e in tr])
    combiner = LogisticRegression(C=1.0, max_iter=1000)
    combiner.fit(np.column_stack([_out_of_fold_logits(texts, y), rules]), y)
    vec, clf = _new_text_model()
    clf.fit(vec.fit_transform(texts), y)
    model = OfferModel(vec, clf, combiner, {"*": (1.0, 0.0)}, 0.5, 0.9, fingerprint)
    _calibrate(model, dev)
    return model


def _calibrate(model: OfferModel, dev: Sequence[Example]) -> None:
    """Platt-scale the combiner per language on the 5 %-prevalence dev split, then pick
    the thresholds for the stated precisions on the calibrated scores.

    Languages differ in how separable they are (in this corpus Thai, Vietnamese and
    Chinese more than English and Khmer), so one calibration would make the same score
    mean different odds in different languages.
    """
    texts = [e.text for e in dev]
    rules = rule_features(texts)
    x = np.column_stack([model.text_logit(texts), rules])
    z = model.combiner.decision_function(x)
    y = np.array([e.label for e in dev])
    langs = np.array([detect_language(t) for t in texts])
    model.platt = {"*": _platt(z, y)}
    for lang in LANGS:
        mask = langs == lang
        if y[mask].sum() >= 10 and (1 - y[mask]).sum() >= 10:
            model.platt[lang] = _platt(z[mask], y[mask])
    p = model.score(texts, rules, list(langs))
    model.medium = precision_threshold(p, y, MEDIUM_PRECISION)
    model.high = max(model.medium, precision_threshold(p, y, HIGH_PRECISION))


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept mapping combiner scores to calibrated probabilities."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1e6, max_iter=1000).fit(z.reshape(-1, 1), y)
    return float(fitted.coef_[0][0]), float(fitted.intercept_[0])


def best_f1_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The score threshold with the highest F1 (ties: the higher threshold)."""
    best, best_f1 = 0.5, -1.0
    for t in sorted(set(np.round(p, 4))):
        f1 = prf(p >= t, y)[2]
        if f1 >= best_f1:
            best, best_f1 = float(t), f1
    return best


def precision_threshold(p: np.ndarray, y: np.ndarray, target: float) -> float:
    """Lowest threshold whose precision is at least ``target`` (1.0 if none is)."""
    for t in sorted(set(np.round(p, 4))):
        if prf(p >= t, y)[0] >= target:
            return float(t)
    return 1.0


def prf(pred: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall and F1 of boolean predictions against 0/1 labels."""
    tp = float(np.sum(pred & (y == 1)))
    precision = tp / max(1.0, float(np.sum(pred)))
    recall = tp / max(1.0, float(np.sum(y == 1)))
    f1 = 0.0 if tp == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


# ---------------------------------------------------------------------------------------
# Caching


def fingerprint(folder: Path | None = None) -> str:
    """Hash of the corpus files, this code's model version and scikit-learn's version."""
    import sklearn

    h = hashlib.sha256(f"{MODEL_VERSION}|{sklearn.__version__}".encode())
    for path in corpus_files(folder):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    """``$CTIP_DATA_DIR/offers`` (``var/offers`` by default), like the rest of CTIP's data."""
    return Path(os.environ.get("CTIP_DATA_DIR", "var")) / "offers"


def load_or_train(cache_dir: Path | None = None, corpus: Path | None = None) -> OfferModel:
    """The cached model for the current corpus, training and caching it on first use."""
    import joblib

    fp = fingerprint(corpus)
    path = (cache_dir or default_cache_dir()) / f"model-{fp}.joblib"
    if path.exists():
        model: OfferModel = joblib.load(path)
        if model.fingerprint == fp:
            return model
    model = train(load_corpus(corpus), fp)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump(model, tmp)
    tmp.replace(path)
    return model
