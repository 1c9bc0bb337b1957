"""Run every benchmark module (``bench/bench_*.py``) in turn and print its figures.

``python -m bench`` runs all; ``python -m bench registry offers`` runs the named ones.
Each module exposes ``main() -> None``.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path


def modules(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if selected:
        names = [n for n in names if n.removeprefix("bench_") in selected]
    return names


def main() -> None:
    for name in modules(sys.argv[1:]):
        print(f"\n=== {name.removeprefix('bench_')} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        print(f"({name} took {time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
