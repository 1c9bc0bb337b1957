"""analytic-copy state and goals

Revision ID: 0006_stats
Revises: 0005_network
Create Date: 2026-12-01 21:00:00

Issue 8 §1-3, §6: the statistics goals table (the analytic copy lives in DuckDB, not here).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_stats"
down_revision: str | None = "0005_network"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stats_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=60), nullable=False),
        sa.Column("comparison", sa.String(length=2), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("province", sa.String(length=6), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_stats_goals_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_goals")),
    )
    op.create_index(
        op.f("ix_stats_goals_period_start"), "stats_goals", ["period_start"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_stats_goals_period_start"), table_name="stats_goals")
    op.drop_table("stats_goals")
