"""publication releases and privacy budget

Revision ID: 0007_publication
Revises: 0006_stats
Create Date: 2026-12-01 21:00:00

Reserved for issue 8 §4-5; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0007_publication"
down_revision: str | None = "0006_stats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
