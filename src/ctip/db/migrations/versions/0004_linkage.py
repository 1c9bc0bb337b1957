"""linkage runs, pairwise matches, resolved clusters, analyst decisions

Revision ID: 0004_linkage
Revises: 0003_offers
Create Date: 2026-12-01 21:00:00

Reserved for issue 7 §1-2; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0004_linkage"
down_revision: str | None = "0003_offers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
