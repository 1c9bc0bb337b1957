"""stats: each goal's stored figure per scope, read by the dashboard's goal panel

Revision ID: 0014_goal_figures
Revises: 0013_stats
Create Date: 2026-12-02 05:20:00

The goal panel read every goal's figure from the analytic copy on the request (1.3 s at
100,000 cases when its one-minute cache was cold). ``ctip.stats.goal_figures`` now stores
each goal's figure, projection and status per figure scope with the time computed; the panel
reads these rows and recomputes stale ones in the background.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_goal_figures"
down_revision: str | None = "0013_stats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stats_goal_figures",
        sa.Column(
            "goal_id",
            sa.Integer(),
            sa.ForeignKey("stats_goals.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("scope", sa.String(40), primary_key=True),
        sa.Column("figure", sa.Float(), nullable=True),
        sa.Column("projected", sa.Float(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("stats_goal_figures")
