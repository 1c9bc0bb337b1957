"""The ground-truth file: which person records are the same invented human being.

``<data_dir>/demo/truth-<seed>.jsonl`` holds one JSON object per line. A ``load`` line opens
each load (``seed``, ``first_case``, ``stop_case``); a ``person`` line describes one person
record: ``record_id`` (``persons.id``), ``entity_key`` (equal keys = the same person),
``network_key`` (the broker network, or null), ``role`` and ``case_id``/``reference`` of the
case that created the record, ``reuse_key`` (set for brokers, whose record an agency
attaches again to its later cases). Lines are written to a ``.partial`` file and published
only when the load is complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def truth_path(data_dir: Path, seed: int) -> Path:
    return data_dir / "demo" / f"truth-{seed}.jsonl"


def read(path: Path) -> Iterator[dict[str, Any]]:
    """The file's records in order (nothing when it does not exist)."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def registry(path: Path) -> dict[str, int]:
    """Broker reuse key → person id, from an earlier load (to top it up consistently)."""
    return {
        rec["reuse_key"]: rec["record_id"]
        for rec in read(path)
        if rec.get("record_type") == "person" and rec.get("reuse_key")
    }


class TruthWriter:
    """Collects a load's truth lines; ``publish`` makes them the file (or appends them)."""

    def __init__(self, path: Path, *, append: bool) -> None:
        self.path = path
        self.append = append
        self.partial = path.with_suffix(".partial")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.partial.open("w", encoding="utf-8")

    def write(self, records: list[dict[str, Any]]) -> None:
        self._fh.writelines(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records)

    def publish(self) -> None:
        self._fh.close()
        if self.append and self.path.exists():
            with (
                self.path.open("a", encoding="utf-8") as out,
                self.partial.open(encoding="utf-8") as extra,
            ):
                for line in extra:
                    out.write(line)
            self.partial.unlink()
        else:
            self.partial.replace(self.path)

    def discard(self) -> None:
        self._fh.close()
        self.partial.unlink(missing_ok=True)
