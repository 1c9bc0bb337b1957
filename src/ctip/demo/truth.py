"""The ground-truth file: which person records are the same invented human being.

``<data_dir>/demo/truth-<seed>.jsonl`` holds one JSON object per line. A ``load`` line opens
each load (``seed``, ``first_case``, ``stop_case``); a ``person`` line describes one person
record: ``record_id`` (``persons.id``), ``entity_key`` (equal keys = the same person),
``network_key`` (the broker network, or null), ``role`` and ``case_id``/``reference`` of the
case that created the record, ``reuse_key`` (set for brokers, whose record an agency
attaches again to its later cases). A load writes the file batch by batch (one ``load`` line
per batch); each batch's ``demo.load`` audit entry records the file's length after it, and a
load that resumes a killed one first cuts off whatever an uncommitted batch wrote.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# ``json.dumps(rec, ensure_ascii=False)`` builds an encoder on every call; one is kept instead.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


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
    """Appends a load's truth lines to the file; ``sync`` makes them durable.

    ``keep`` is the length of the file an earlier load left (``None``: start the file
    afresh); anything after it came from a batch that never committed and is cut off.
    """

    def __init__(self, path: Path, *, keep: int | None) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if keep is None or not path.exists():
            self._fh = path.open("w", encoding="utf-8")
        else:
            self._fh = path.open("r+", encoding="utf-8")
            self._fh.seek(min(keep, self._fh.seek(0, 2)))
            self._fh.truncate()
        self.committed = self._fh.tell()

    def write(self, records: list[dict[str, Any]]) -> None:
        self._fh.writelines(_ENCODE(rec) + "\n" for rec in records)

    def sync(self) -> int:
        """Flush the lines written so far to disk; the file's length."""
        self._fh.flush()
        os.fsync(self._fh.fileno())
        return self._fh.tell()

    def close(self) -> None:
        self._fh.close()

    def discard(self) -> None:
        """Cut the file back to the last committed batch and close it."""
        self._fh.seek(self.committed)
        self._fh.truncate()
        self._fh.close()
