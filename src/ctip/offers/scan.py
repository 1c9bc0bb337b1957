"""Bulk scanning of posts (JSON Lines) with one algorithm and two engines.

Each input line is a JSON object with the post's ``text`` (or ``message``/``content``)
and optionally an ``id``. :func:`scan_lines` turns a batch of lines into output records:
id, risk, score, language, flags with their quoted evidence, identifiers. The engines
only decide where the batches run: :class:`LocalEngine` in this process, and
:class:`SparkEngine` in Spark (local mode here, a cluster elsewhere) for millions of posts.
Both call :func:`scan_lines`, so their results are identical.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ctip.offers.engine import CheckResult, OfferChecker, Verdict
from ctip.offers.identifiers import Identifier
from ctip.offers.model import OfferModel

RISK_ORDER = {"unknown": 0, "none_found": 1, "low": 1, "medium": 2, "high": 3}  # low: old name
TEXT_FIELDS = ("text", "message", "content", "body")
Progress = Callable[[int], None]


def post_text(post: dict[str, Any]) -> str:
    """The text of a post, whichever usual field holds it."""
    for name in TEXT_FIELDS:
        if isinstance(post.get(name), str):
            return str(post[name])
    return ""


def record_of(post_id: Any, result: CheckResult) -> dict[str, Any]:
    """The output record of one post."""
    flags = [{"code": f.code, "evidence": f.evidence} for f in result.flags]
    return _record(post_id, result.risk, result.score, result.language, flags, result.identifiers)


def record_of_verdict(post_id: Any, verdict: Verdict) -> dict[str, Any]:
    """:func:`record_of` from a bulk :class:`Verdict` (the same record)."""
    flags = [{"code": code, "evidence": verdict.evidence(code)} for code in verdict.found]
    return _record(
        post_id, verdict.risk, verdict.score, verdict.language, flags, verdict.identifiers
    )


def _record(
    post_id: Any,
    risk: str,
    score: float,
    language: str,
    flags: list[dict[str, Any]],
    identifiers: Sequence[Identifier],
) -> dict[str, Any]:
    return {
        "id": post_id,
        "risk": risk,
        "score": score,
        "language": language,
        "flags": flags,
        "identifiers": [{"kind": i.kind, "value": i.value} for i in identifiers],
    }


def scan_lines(
    checker: OfferChecker,
    lines: list[str],
    numbers: list[int],
    min_risk: str = "medium",
    *,
    reference: bool = False,
) -> list[dict[str, Any]]:
    """Check a batch of JSONL lines; keep posts at or above ``min_risk``.

    A line that is not a JSON object is checked as plain text. Posts without an ``id``
    are named by their line number (``numbers``, 1-based). ``reference``: build each
    record from a full check on the reference path (the same records, slower).
    """
    posts = [_parse(line) for line in lines]
    texts = [post_text(p) for p in posts]
    floor = RISK_ORDER[min_risk]
    if reference:
        results = checker.check_many(texts, widen=False, reference=True)
        return [
            record_of(post.get("id", number), result)
            for number, post, result in zip(numbers, posts, results, strict=True)
            if RISK_ORDER[result.risk] >= floor
        ]
    kept = checker.verdicts(texts, keep=lambda risk: RISK_ORDER[risk] >= floor)
    return [record_of_verdict(posts[i].get("id", numbers[i]), verdict) for i, verdict in kept]


def _parse(line: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return {"text": line}
    return value if isinstance(value, dict) else {"text": str(value)}


def _batches(path: Path, size: int) -> Iterator[tuple[list[int], list[str], int]]:
    """(line numbers, non-empty lines, bytes read) for each batch of a file."""
    numbers: list[int] = []
    batch: list[str] = []
    consumed = 0
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            consumed += len(line.encode("utf-8"))
            if line.strip():
                numbers.append(number)
                batch.append(line)
            if len(batch) >= size:
                yield numbers, batch, consumed
                numbers, batch, consumed = [], [], 0
    if batch or consumed:
        yield numbers, batch, consumed


class ScanEngine:
    """Where batches are checked; subclasses change only :meth:`records`."""

    name = "base"

    def __init__(
        self, model: OfferModel, hotlines: Iterable[str] = ("1288",), batch_size: int = 1000
    ) -> None:
        self.model, self.hotlines, self.batch_size = model, list(hotlines), batch_size

    def records(
        self, path: Path, min_risk: str, progress: Progress | None = None
    ) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def scan(
        self, path: Path, out: Path, min_risk: str = "medium", progress: Progress | None = None
    ) -> int:
        """Write the flagged posts of ``path`` to ``out``; return how many."""
        count = 0
        with out.open("w", encoding="utf-8") as fh:
            for rec in self.records(path, min_risk, progress):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                count += 1
        return count


class LocalEngine(ScanEngine):
    """Batches checked in this process, on the bulk path (:mod:`ctip.offers.fast`)."""

    name = "local"

    def records(
        self, path: Path, min_risk: str, progress: Progress | None = None
    ) -> Iterator[dict[str, Any]]:
        checker = OfferChecker(self.model, hotlines=self.hotlines)
        with long_lived_frozen():
            for numbers, lines, consumed in _batches(path, self.batch_size):
                yield from scan_lines(checker, lines, numbers, min_risk)
                if progress:
                    progress(consumed)


@contextmanager
def long_lived_frozen() -> Iterator[None]:
    """Keep the objects alive when a scan starts (the model, compiled patterns, the phone
    metadata, imported modules) out of the cycle collector's full collections while it
    runs: they outlive the scan, and walking them cost about a tenth of a bulk scan's CPU
    time (two full collections in 20,000 posts, about 0.15 s each). Unfrozen afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class SparkEngine(ScanEngine):
    """Batches checked by Spark executors; the fitted model is broadcast to them."""

    name = "spark"

    def records(
        self, path: Path, min_risk: str, progress: Progress | None = None
    ) -> Iterator[dict[str, Any]]:
        spark = spark_session()
        model = spark.sparkContext.broadcast(self.model)
        hotlines, size = self.hotlines, self.batch_size
        lines = spark.sparkContext.textFile(str(path)).zipWithIndex()

        def run(rows: Iterable[tuple[str, int]]) -> Iterator[dict[str, Any]]:
            checker = OfferChecker(model.value, hotlines=hotlines)
            batch: list[tuple[str, int]] = []
            for row in rows:
                if row[0].strip():
                    batch.append(row)
                if len(batch) >= size:
                    yield from _scan_numbered(checker, batch, min_risk)
                    batch = []
            yield from _scan_numbered(checker, batch, min_risk)

        yield from lines.mapPartitions(run).toLocalIterator()
        if progress:
            progress(path.stat().st_size)


def _scan_numbered(
    checker: OfferChecker, rows: list[tuple[str, int]], min_risk: str
) -> list[dict[str, Any]]:
    """:func:`scan_lines` for Spark rows ``(line, 0-based index)``."""
    if not rows:
        return []
    return scan_lines(checker, [r[0] for r in rows], [r[1] + 1 for r in rows], min_risk)


def spark_session() -> Any:
    """A local Spark session using this Python (so executors can import ctip)."""
    import os
    import sys

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    # Splink's string functions on the driver's class path: a linkage run later in this
    # process gets this session back from getOrCreate, and jars cannot be added to a
    # running driver (its Jaro-Winkler would be an unresolved routine).
    return (
        SparkSession.builder.master("local[*]")
        .appName("ctip-offers-scan")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


ENGINES: dict[str, type[ScanEngine]] = {"local": LocalEngine, "spark": SparkEngine}
