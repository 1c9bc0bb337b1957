"""Serving CTIP with one or several worker processes (``ctip serve --workers N``).

The listening socket is made here, as ``socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)``, and
handed to uvicorn. uvicorn's own ``Config.bind_socket`` creates it with protocol 0, and
asyncio sets ``TCP_NODELAY`` on an accepted connection only when the socket's ``proto`` is
``IPPROTO_TCP`` (accepted sockets inherit it from the listener). Without ``TCP_NODELAY`` a
response written in two parts (headers, then body) waits for the client's delayed ACK: about
40 ms per keep-alive response on Linux, with every worker count above one.

Several workers: each worker process accepts on a listening socket of its own, all bound to
the same port with ``SO_REUSEPORT``, so the kernel spreads new connections over the workers by
a hash of their addresses. With one socket shared by every worker (uvicorn's own
``--workers``), whichever worker wakes first accepts everything pending: 20 keep-alive
connections opened together went all to one worker in two of three tries here, and the other
worker idled, so two workers served no more than one. The parent holds every socket and
restarts a worker that exits on the same socket, so connections queued for it wait for its
replacement instead of being refused.

SQLite and several processes: every writer opens its transaction with ``BEGIN IMMEDIATE``
and waits on ``busy_timeout`` (``ctip.db.dialect``), which is safe across processes. The
short audit writes that follow each read also queue on :class:`WriteLock`, a thread lock plus
an ``flock`` on a file beside the database, so that workers take turns instead of polling
SQLite's busy handler (which sleeps in steps of up to 100 ms).
"""

from __future__ import annotations

import fcntl
import logging
import multiprocessing
import os
import signal
import socket
import threading
from pathlib import Path
from typing import Any

APP = "ctip.web.app:create_app"


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A bound TCP socket whose accepted connections get ``TCP_NODELAY`` from asyncio
    (``reuse_port``: one of several sockets on the same port, one per worker)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(
    host: str,
    port: int,
    workers: int,
    *,
    log_level: str = "warning",
    app: str = APP,
    **options: Any,
) -> None:
    """Serve the app on ``host:port`` with ``workers`` processes (:class:`Workers` restarts a
    worker that dies). ``app`` is a ``module:factory`` (the benchmarks serve
    their references the same way); ``options`` go to ``uvicorn.Config``."""
    import uvicorn

    from ctip.web.proxy import UVICORN_OPTIONS

    config = uvicorn.Config(
        app,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        **{**UVICORN_OPTIONS, **options},  # no proxy headers: ctip.web.proxy decides
    )
    if workers <= 1:
        sock = listening_socket(host, port)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            sock.close()
        return
    # A socket without SO_REUSEPORT cannot bind a port another socket holds, with or without
    # it: a process already listening there (a stale or staging copy) is refused here instead
    # of silently sharing the connections with CTIP's workers.
    listening_socket(host, port).close()
    sockets = [listening_socket(host, port, reuse_port=True)]
    bound = sockets[0].getsockname()[:2]  # port 0: the others join the port the first got
    try:
        sockets += [
            listening_socket(bound[0], bound[1], reuse_port=True) for _ in range(1, workers)
        ]
        for sock in sockets:
            sock.listen(config.backlog)  # connections queue from now on, before workers start
        Workers(config, sockets).run()
    finally:
        for sock in sockets:
            sock.close()


def _worker(config: Any, sock: socket.socket) -> None:  # pragma: no cover - in a child
    import uvicorn

    config.configure_logging()
    uvicorn.Server(config).run(sockets=[sock])


class Workers:
    """One worker process per socket; a worker that exits is started again on its socket,
    except when it failed at start-up (it would fail the same way again: the supervisor
    stops). SIGINT and SIGTERM stop the workers and then the supervisor."""

    def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
        self.config, self.sockets = config, sockets
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()

    def _start(self, sock: socket.socket) -> multiprocessing.process.BaseProcess:
        process = self._context.Process(target=_worker, args=(self.config, sock))
        process.start()
        return process

    def run(self) -> None:
        from uvicorn.config import STARTUP_FAILURE  # a worker's app or TLS set-up failed

        log = logging.getLogger("uvicorn.error")
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self._stop.set())
        processes = [self._start(sock) for sock in self.sockets]
        try:
            while not self._stop.wait(0.5):
                for i, process in enumerate(processes):
                    if process.is_alive() or self._stop.is_set():
                        continue
                    if process.exitcode == STARTUP_FAILURE:
                        log.error("worker %s failed to start; stopping", process.pid)
                        self._stop.set()
                        break
                    log.warning(
                        "worker %s exited (%s); starting another", process.pid, process.exitcode
                    )
                    processes[i] = self._start(self.sockets[i])
        finally:
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join(30)
                if process.is_alive():
                    process.kill()
                    process.join()


class WriteLock:
    """Queue this process's threads, and (with ``path``) every process, on short writes."""

    def __init__(self, path: Path | None = None) -> None:
        self._thread_lock = threading.Lock()
        self._path = path
        self._fd: int | None = None

    def _file(self) -> int:
        if self._fd is None:
            assert self._path is not None
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def __enter__(self) -> None:
        self._thread_lock.acquire()  # held until __exit__, so the file lock is this thread's
        if self._path is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except BaseException:
                self._thread_lock.release()
                raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


def sqlite_write_lock(database: str | None) -> WriteLock:
    """The lock for a SQLite database file (``<file>.write-lock`` beside it); a thread lock
    only for an in-memory database."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return WriteLock()
    return WriteLock(Path(database + ".write-lock"))
