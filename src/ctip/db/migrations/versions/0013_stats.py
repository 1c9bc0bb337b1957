"""stats: indexes on updated_at for the analytic copy's incremental refresh

Revision ID: 0013_stats
Revises: 0012_keys
Create Date: 2026-12-02 04:30:00

The analytic copy (``ctip.stats.analytic``) reads, before every report, the rows changed since
its last refresh: ``updated_at`` at or after the latest copied (less a margin) on the five
copied tables whose rows change. Without an index each refresh scanned these tables whole
(and their ``max(updated_at)``); with one it reads the changed rows only.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_stats"
down_revision: str | None = "0012_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("cases", "case_persons", "persons", "referrals", "non_punishment_flags")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_updated_at", table_name=table)
