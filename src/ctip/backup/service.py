"""Backup and restore of the whole registry, checked on both sides.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
while the application keeps running; the copy is checked (``PRAGMA integrity_check``,
``PRAGMA foreign_key_check``) and its audit chain verified before it counts as a backup.
PostgreSQL: ``pg_dump --format=custom``, restored with ``pg_restore --clean --if-exists
--single-transaction`` (all or nothing). Each backup gets ``FILE.sha256``; a restore refuses
a file whose checksum does not match, then verifies integrity and the audit chain.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, make_url, select
from sqlalchemy.orm import Session

from ctip.audit.chain import Report, seal, verify, write_anchor
from ctip.audit.models import AuditSeal
from ctip.db.session import make_engine
from ctip.i18n import translate


class BackupError(RuntimeError):
    """A backup or restore could not be made or did not check out: an English template with
    ``%(name)s`` fields, so the command line can say it in the operator's language."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params

    def translated(self, language: str) -> str:
        return translate(self.message, language, **self.params)


@dataclass
class Outcome:
    path: Path
    size: int
    sha256: str
    audit: Report


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_file(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sqlite_path(engine: Engine) -> Path:
    database = make_url(engine.url).database
    if not database or database == ":memory:":
        raise BackupError("only a file database can be backed up")
    return Path(database)


def check_sqlite(path: Path) -> None:
    """``integrity_check`` and ``foreign_key_check`` of a SQLite file; raises when either
    finds a problem."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [row[0] for row in con.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError(
                "%(file)s: integrity check failed: %(problems)s",
                file=path.name,
                problems="; ".join(result[:5]),
            )
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise BackupError(
                "%(file)s: %(n)s rows break foreign keys", file=path.name, n=len(broken)
            )
    finally:
        con.close()


def _verify_chain(engine: Engine) -> Report:
    with Session(engine) as session:
        report = verify(session)
    if not report.ok:
        first = report.first
        raise BackupError(
            "the audit chain does not verify: %(problem)s", problem=first.problem if first else ""
        )
    return report


def _pg_env(engine: Engine) -> tuple[dict[str, str], str]:
    url = make_url(engine.url)
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", url.host),
        ("PGPORT", url.port),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
    ):
        if value not in (None, ""):
            env[name] = str(value)
    return env, url.database or ""


def _run(command: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError("%(program)s is not installed", program=command[0])
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            "%(program)s failed: %(error)s", program=command[0], error=done.stderr.strip()[:500]
        )


def backup(engine: Engine, out: Path, *, anchor: Path | None = None) -> Outcome:
    """Seal the audit trail, copy the registry to ``out`` and check the copy."""
    with Session(engine) as session, session.begin():
        seal(session, full=True, anchor=anchor)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    if engine.dialect.name == "sqlite":
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        source = sqlite3.connect(_sqlite_path(engine))
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        check_sqlite(tmp)
        copy = make_engine(f"sqlite:///{tmp}")
        try:
            report = _verify_chain(copy)
        finally:
            copy.dispose()
    elif engine.dialect.name == "postgresql":
        env, database = _pg_env(engine)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={tmp}", database], env)
        os.chmod(tmp, 0o600)
        _run(["pg_restore", "--list", str(tmp)], env)  # the archive is readable
        report = _verify_chain(engine)
    else:
        raise BackupError("no backup for %(engine)s", engine=engine.dialect.name)
    os.replace(tmp, out)
    digest = _sha256(out)
    checksum_file(out).write_text(f"{digest}  {out.name}\n")
    return Outcome(out, out.stat().st_size, digest, report)


def restore(engine: Engine, source: Path, *, anchor: Path | None = None) -> Outcome:
    """Replace the registry at ``engine`` with the backup ``source``, then check it."""
    sums = checksum_file(source)
    digest = _sha256(source)
    if sums.exists() and sums.read_text().split()[0] != digest:
        raise BackupError(
            "%(file)s does not match its checksum file: refusing to restore", file=source.name
        )
    if engine.dialect.name == "sqlite":
        check_sqlite(source)
        engine.dispose()
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(engine))
        try:
            backup_file.backup(target)
        finally:
            target.close()
            backup_file.close()
        check_sqlite(_sqlite_path(engine))
    elif engine.dialect.name == "postgresql":
        engine.dispose()
        env, database = _pg_env(engine)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={database}",
                str(source),
            ],
            env,
        )
    else:
        raise BackupError("no restore for %(engine)s", engine=engine.dialect.name)
    report = _verify_chain(engine)
    if anchor is not None:
        with Session(engine) as session:
            last = session.scalars(select(AuditSeal).order_by(AuditSeal.id.desc()).limit(1)).first()
        if last is not None:
            write_anchor(anchor, last)
        else:
            anchor.unlink(missing_ok=True)
    return Outcome(source, source.stat().st_size, digest, report)
