"""sessions, log-in throttling

Revision ID: 0010_security
Revises: 0009_casework
Create Date: 2026-12-01 21:00:00

Reserved for issue 9; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0010_security"
down_revision: str | None = "0009_casework"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
