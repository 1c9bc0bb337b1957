"""registry: a TRUNCATE appends minus its table's tally instead of deleting the tally rows

Revision ID: 0016_truncate_tally_appends
Revises: 0015_row_tallies
Create Date: 2026-12-04 19:45:00

In 0015 a TRUNCATE's trigger deleted its table's tally rows and wrote 0. A fold
(``ctip.db.tallies.compact``) committed while that DELETE waited on the rows it had
replaced left the fold's new sum row unseen by the DELETE, so the tally kept the old count
of an emptied table. Now the trigger appends one row holding minus the table's current
sum: a fold never changes a sum, so every snapshot the trigger can read gives the same
total, and the trigger locks no tally row that a fold could be waiting on. PostgreSQL only
(SQLite has no TRUNCATE).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_truncate_tally_appends"
down_revision: str | None = "0015_row_tallies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPENDS = (
    "CREATE OR REPLACE FUNCTION row_tally_emptied() RETURNS trigger AS $$ BEGIN "
    "INSERT INTO row_tallies (table_name, rows) SELECT TG_TABLE_NAME, -coalesce(sum(rows), 0) "
    "FROM row_tallies WHERE table_name = TG_TABLE_NAME; RETURN NULL; END; $$ LANGUAGE plpgsql"
)
_DELETES = (
    "CREATE OR REPLACE FUNCTION row_tally_emptied() RETURNS trigger AS $$ BEGIN "
    "DELETE FROM row_tallies WHERE table_name = TG_TABLE_NAME; "
    "INSERT INTO row_tallies (table_name, rows) VALUES (TG_TABLE_NAME, 0); "
    "RETURN NULL; END; $$ LANGUAGE plpgsql"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPENDS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_DELETES)
