"""analytic-copy state and goals

Revision ID: 0006_stats
Revises: 0005_network
Create Date: 2026-12-01 21:00:00

Reserved for issue 8 §1-3, §6; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0006_stats"
down_revision: str | None = "0005_network"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
