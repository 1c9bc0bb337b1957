"""network links and alerts

Revision ID: 0005_network
Revises: 0004_linkage
Create Date: 2026-12-01 21:00:00

Reserved for issue 7 §3-4; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0005_network"
down_revision: str | None = "0004_linkage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
