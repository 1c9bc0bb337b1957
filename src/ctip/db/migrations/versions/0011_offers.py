"""offer checker second pass

Revision ID: 0011_offers
Revises: 0010_security
Create Date: 2026-12-01 21:00:00

Reserved for issue 11; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0011_offers"
down_revision: str | None = "0010_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
