"""Producing row chunks, in this process or in a helper process beside the writer.

A big load spends about half its time making rows (generation, name forms, blind indexes)
and half encrypting and writing them. With ``parallel`` a spawned helper process makes chunk
*n+1* while this process seals (encrypts) and writes chunk *n*; both cores work and the rows
arrive in the same order with the same content, so the database ends up the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace

from ctip.demo.rows import Chunk, Crypto, Refs, RowMaker, State, spread_name_keys
from ctip.demo.writer import Formats
from ctip.security import Keyring

IN_FLIGHT = 2  # chunks made ahead of the writer (bounds memory)


@dataclass
class Job:
    """Everything a row maker needs, picklable for the helper process."""

    seed: int
    refs: Refs
    state: State
    ring: Keyring
    formats: Formats

    def maker(self) -> RowMaker:
        return RowMaker(
            seed=self.seed, refs=self.refs, state=self.state, ring=self.ring, formats=self.formats
        )


_maker: RowMaker | None = None


def _ready() -> None:
    """Nothing: submitted first, it makes the helper process start (and import) at once."""


def start_helper() -> ProcessPoolExecutor:
    """A helper process for :class:`Producer`, started now: spawning it and importing the
    generator take a second or two, which a loader overlaps with its own set-up."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(_ready)
    return pool


def _start(job: Job) -> None:
    global _maker
    gc.disable()  # rows are short-lived tuples; the collector only costs time here
    _maker = job.maker()


def _chunk(start: int, stop: int) -> Chunk:
    assert _maker is not None
    return _maker.chunk(start, stop)


def _final_state() -> State:
    assert _maker is not None
    return _maker.state


class Producer:
    """Chunks of rows for the given case ranges, in order, sealed (their values encrypted
    in this process); ``state`` is final afterwards. With ``parallel`` the rows are made in
    ``helper`` (from :func:`start_helper`; the caller shuts it down) or in a helper process
    of its own."""

    def __init__(
        self,
        job: Job,
        ranges: list[tuple[int, int]],
        *,
        parallel: bool,
        helper: ProcessPoolExecutor | None = None,
    ) -> None:
        self.crypto = Crypto(job.ring)
        # the keyring's cached cipher objects cannot be pickled for the helper; it makes its own
        self.job = replace(job, ring=replace(job.ring, _aeads={}))
        self.ranges = ranges
        self.parallel = parallel
        self.helper = helper
        self.state = job.state

    def __iter__(self) -> Iterator[Chunk]:
        for chunk in self._made():
            spread_name_keys(chunk, self.crypto)
            self.crypto.seal(chunk.rows)
            yield chunk

    def _made(self) -> Iterator[Chunk]:
        if not self.parallel:
            maker = self.job.maker()
            for start, stop in self.ranges:
                yield maker.chunk(start, stop)
            self.state = maker.state
            return
        yield from self._in_helper()

    def _in_helper(self) -> Iterator[Chunk]:
        if self.helper is not None:
            yield from self._made_in(self.helper)
            return
        with start_helper() as pool:
            yield from self._made_in(pool)

    def _made_in(self, pool: ProcessPoolExecutor) -> Iterator[Chunk]:
        started = pool.submit(_start, self.job)
        todo = iter(self.ranges)
        pending: deque[Future[Chunk]] = deque(
            pool.submit(_chunk, *r) for _, r in zip(range(IN_FLIGHT), todo, strict=False)
        )
        started.result()  # its errors, if any
        while pending:
            chunk = pending.popleft().result()
            following = next(todo, None)
            if following is not None:
                pending.append(pool.submit(_chunk, *following))
            yield chunk
        self.state = pool.submit(_final_state).result()
