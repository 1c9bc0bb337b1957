"""Bulk writing of demo rows: the one place where SQLite and PostgreSQL differ.

Row values arrive as tuples or lists in the column order of :data:`COLUMNS`, already
encrypted and blind-indexed, with explicit ids. SQLite takes them through the driver's
``executemany`` and PostgreSQL through ``COPY``: measured, both are about ten times faster
than SQLAlchemy Core's ``insert()`` with per-row type processing, which the 100,000-case
target needs.
Column names are checked against the models (see ``tests/demo``), so a renamed column fails
a test rather than a load.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, text

Row = list[Any] | tuple[Any, ...]

# Tables in the order they are written (foreign keys point backwards), with their columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": (
        "id",
        "given_name",
        "family_name",
        "name_km",
        "aliases",
        "gender",
        "date_of_birth",
        "estimated_age",
        "age_estimated_on",
        "nationalities",
        "owner_province",
        "owner_org_id",
        "version",
        "created_at",
        "updated_at",
    ),
    "person_name_keys": ("id", "person_id", "kind", "digest"),
    "cases": (
        "id",
        "reference",
        "province",
        "year",
        "sequence",
        "title",
        "summary",
        "reporting_org_id",
        "opened_on",
        "exploitation_types",
        "forced_labour_subtype",
        "industry",
        "origin_countries",
        "transit_countries",
        "exploitation_countries",
        "status",
        "status_changed_on",
        "created_by_id",
        "version",
        "created_at",
        "updated_at",
    ),
    "case_persons": (
        "id",
        "case_id",
        "person_id",
        "role",
        "trafficking_status",
        "status_decided_by",
        "status_decided_on",
        "methods_of_control",
        "recruitment_method",
        "recruitment_apps",
        "role_in_process",
        "custody_status",
        "arrested_on",
        "version",
        "created_at",
        "updated_at",
    ),
    "identifiers": (
        "id",
        "id_type",
        "platform",
        "raw",
        "normalised",
        "digest",
        "valid",
        "problem",
        "issuing_country",
        "person_id",
        "case_id",
        "created_at",
        "updated_at",
    ),
    "case_events": (
        "id",
        "case_id",
        "event_type",
        "occurred_on",
        "location_id",
        "person_id",
        "description",
        "from_status",
        "to_status",
        "actor_id",
        "created_at",
    ),
    "case_shares": ("id", "case_id", "organisation_id", "shared_by_id", "shared_at"),
    "referrals": (
        "id",
        "case_id",
        "person_id",
        "from_org_id",
        "to_org_id",
        "reason",
        "service",
        "referred_on",
        "consent_given",
        "consent_on",
        "consent_override_reason",
        "status",
        "responded_on",
        "created_by_id",
        "version",
        "created_at",
        "updated_at",
    ),
}
TABLES = tuple(COLUMNS)
# The secondary indexes a big load rebuilds at the end instead of row by row: those whose
# keys arrive in random order (digests, timestamps of cases opened any day). The others (case
# and person ids) grow in the order rows are written, so they are kept and only appended to.
SUSPENDED = ("ix_person_name_keys_digest", "ix_identifiers_digest", "ix_case_persons_updated_at")
_INDEX_NAME = re.compile(r'^CREATE\s+(?:UNIQUE\s+)?INDEX\s+"?(\w+)"?', re.IGNORECASE)


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


class Formats:
    """How dates and timestamps are passed to the engine (PostgreSQL: Python objects)."""

    def day(self, value: date | None) -> Any:
        return value

    def moment(self, value: date, clock: str) -> Any:
        """A timestamp on day ``value`` at ``clock`` (``HH:MM:SS``)."""
        return datetime.fromisoformat(f"{value.isoformat()} {clock}")


class SQLiteFormats(Formats):
    """Dates and timestamps as the text SQLAlchemy stores in SQLite."""

    def day(self, value: date | None) -> Any:
        return value.isoformat() if value is not None else None

    def moment(self, value: date, clock: str) -> Any:
        return f"{value.isoformat()} {clock}.000000"


class BulkWriter:
    """Writes row tuples into one connection's transaction; subclasses per engine.

    A big load suspends the big tables' indexes on random keys (:data:`SUSPENDED`) and
    ``finish`` recreates them. Building such an index once after the rows are in is much
    cheaper than keeping it sorted row by row, and far cheaper than committing batches into
    it: the blind-index digests are random, so every batch would rewrite most of the index's
    pages. Indexes on ids are only appended to, which costs less than rebuilding them.
    The exact ``CREATE INDEX`` statements are read back from the schema into
    :attr:`suspended`; the loader keeps them in the first batch's audit entry, so a load that
    resumes a killed one recreates them too.
    """

    formats: Formats = Formats()
    suspended: list[str]

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.suspended = []

    def prepare(self, bulk: bool = False) -> None:
        """Tune the connection for a load (``bulk``: a big one, worth suspending indexes)."""
        self._tune()
        if bulk:
            for name, sql in self._droppable():
                self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
                self.suspended.append(sql)

    def write(self, table: str, rows: Sequence[Row]) -> None:
        raise NotImplementedError

    def batch_done(self) -> None:
        """Work before a batch commits (e.g. moving id sequences past explicit ids)."""

    def finish(self, suspended: Sequence[str] = ()) -> None:
        """Work after the last batch: recreate the suspended indexes (this writer's and
        ``suspended``, from earlier loads) that are missing."""
        present = self._index_names()
        self._rebuilding()
        for sql in dict.fromkeys([*self.suspended, *suspended]):
            match = _INDEX_NAME.match(sql)
            if match and match.group(1) not in present:
                self.connection.exec_driver_sql(sql)
                present.add(match.group(1))
        self._untune()

    def write_all(self, rows: dict[str, list[Row]]) -> None:
        for table in TABLES:
            if rows.get(table):
                self.write(table, rows[table])

    def _tune(self) -> None:
        pass

    def _untune(self) -> None:
        pass

    def _rebuilding(self) -> None:
        """Tune the connection for building indexes."""

    def _droppable(self) -> list[tuple[str, str]]:
        """(name, ``CREATE INDEX`` statement) of the big tables' secondary indexes."""
        return []

    def _index_names(self) -> set[str]:
        return set()


class SQLiteWriter(BulkWriter):
    """``executemany`` with qmark parameters; dates and timestamps as SQLAlchemy stores them.

    The row-tally triggers (``ctip.db.tallies``) cost 1.4 µs a row: a batch drops them
    before its first rows, and before it commits adds its rows to the tallies and creates
    them again, so every committed batch leaves them in place and right."""

    formats = SQLiteFormats()
    # While a batch runs: the dropped tally triggers (table, CREATE TRIGGER) and its rows.
    _tally_triggers: list[tuple[str, str]] | None = None

    def __init__(self, connection: Connection) -> None:
        super().__init__(connection)
        self._written: dict[str, int] = {}

    def write_all(self, rows: dict[str, list[Row]]) -> None:
        if self._tally_triggers is None:
            found = self.connection.exec_driver_sql(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'row\\_tally\\_%' ESCAPE '\\'"
            ).all()
            for name, _, _ in found:
                self.connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
            self._tally_triggers = [(table, sql) for _, table, sql in found]
        super().write_all(rows)
        for table in TABLES:
            self._written[table] = self._written.get(table, 0) + len(rows.get(table, ()))

    def batch_done(self) -> None:
        if self._tally_triggers is None:
            return
        for table in sorted({table for table, _ in self._tally_triggers}):
            self.connection.exec_driver_sql(
                "UPDATE row_tallies SET rows = rows + ? WHERE table_name = ?",
                (self._written.get(table, 0), table),
            )
        for _, sql in self._tally_triggers:
            self.connection.exec_driver_sql(sql)
        self._tally_triggers, self._written = None, {}

    def _tune(self) -> None:
        self.connection.exec_driver_sql("PRAGMA cache_size=-400000")

    def _untune(self) -> None:
        self.connection.exec_driver_sql("PRAGMA cache_size=-2000")
        self.connection.exec_driver_sql("PRAGMA threads=0")

    def _rebuilding(self) -> None:
        # The sorter sorts memory-sized runs in a second thread and merges them: measured on
        # 5.35 million name keys, 11.6 s instead of 14.0 s (and less CPU) with 50 MB runs.
        self.connection.exec_driver_sql("PRAGMA cache_size=-50000")
        self.connection.exec_driver_sql("PRAGMA threads=2")

    def _droppable(self) -> list[tuple[str, str]]:
        driver: Any = self.connection.connection.dbapi_connection
        if not driver.in_transaction:
            self.connection.exec_driver_sql("BEGIN")
        found = self.connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND name IN ({_names(SUSPENDED)})"
        ).all()
        return [(name, sql) for name, sql in found]

    def _index_names(self) -> set[str]:
        return set(
            self.connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
            ).scalars()
        )

    def write(self, table: str, rows: Sequence[Row]) -> None:
        columns = COLUMNS[table]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        driver: Any = self.connection.connection.dbapi_connection
        driver.executemany(sql, rows)  # the driver takes lists as rows, SQLAlchemy only tuples


class PostgresWriter(BulkWriter):
    """``COPY ... FROM STDIN`` through psycopg; sequences moved past the explicit ids."""

    def _droppable(self) -> list[tuple[str, str]]:
        found = self.connection.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() "
            f"AND indexname IN ({_names(SUSPENDED)}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname AND c.connamespace = "
            "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()))"
        ).all()
        return [(name, sql) for name, sql in found]

    def _index_names(self) -> set[str]:
        return set(
            self.connection.exec_driver_sql(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            ).scalars()
        )

    def _tune(self) -> None:
        self.connection.exec_driver_sql("SET maintenance_work_mem = '256MB'")

    def _untune(self) -> None:
        self.connection.exec_driver_sql("RESET maintenance_work_mem")

    def write(self, table: str, rows: Sequence[Row]) -> None:
        raw: Any = self.connection.connection.dbapi_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def batch_done(self) -> None:
        for table in TABLES:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )


def writer_for(connection: Connection) -> BulkWriter:
    """The writer for the connection's engine (SQLite or PostgreSQL)."""
    name = connection.dialect.name
    if name == "sqlite":
        return SQLiteWriter(connection)
    if name == "postgresql":
        return PostgresWriter(connection)
    raise NotImplementedError(f"demo data cannot be bulk-loaded into {name}")
