"""Hand-written evaluation sets for the offer checker, apart from the corpus generator.

``holdout.jsonl`` is never used for training or threshold choice; ``dev.jsonl`` may be.
See ``PROVENANCE.md`` beside this file. :func:`evaluate` reports what the bench prints:
recall of deceptive offers at risk medium or high, the false-alarm rate on legitimate
ones, and precision re-weighted to a stated prevalence (fraud is a few percent of ads).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

LANGS = ("km", "en", "th", "vi", "zh")
FLAGGED = frozenset({"medium", "high"})
PREVALENCE = 0.05  # share of deceptive offers assumed when precision is re-weighted


@dataclass(frozen=True)
class EvalMessage:
    """One hand-written message: its language, label (1 deceptive) and scheme."""

    id: str
    lang: str
    label: int
    scheme: str
    register: str
    text: str


def load_evalset(name: str) -> list[EvalMessage]:
    """``"holdout"`` or ``"dev"``."""
    if name not in ("holdout", "dev"):
        raise ValueError(f"unknown evaluation set {name!r}")
    raw = resources.files("ctip.offers").joinpath(f"evalset/{name}.jsonl").read_text("utf-8")
    rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [
        EvalMessage(r["id"], r["lang"], int(r["label"]), r["scheme"], r["register"], r["text"])
        for r in rows
    ]


@dataclass(frozen=True)
class Figures:
    """Recall at medium-or-high, false-alarm rate, and precision at ``PREVALENCE``."""

    n: int
    deceptive: int
    recall: float
    false_alarm_rate: float
    precision_at_prevalence: float


def figures(labels: Sequence[int], flagged: Sequence[bool]) -> Figures:
    """Figures for one group of messages (``flagged``: risk medium or high)."""
    pos = [f for y, f in zip(labels, flagged, strict=True) if y == 1]
    neg = [f for y, f in zip(labels, flagged, strict=True) if y == 0]
    recall = sum(pos) / len(pos) if pos else 0.0
    far = sum(neg) / len(neg) if neg else 0.0
    tp, fp = PREVALENCE * recall, (1 - PREVALENCE) * far
    precision = tp / (tp + fp) if tp + fp else 0.0
    return Figures(len(labels), len(pos), recall, far, precision)


def evaluate(messages: Sequence[EvalMessage], risks: Sequence[str]) -> dict[str, Figures]:
    """Figures per language and overall (``"all"``) for the checker's risk levels."""
    out = {}
    for lang in (*LANGS, "all"):
        idx = [i for i, m in enumerate(messages) if lang in ("all", m.lang)]
        out[lang] = figures([messages[i].label for i in idx], [risks[i] in FLAGGED for i in idx])
    return out
