"""support plans, case notes, tasks

Revision ID: 0009_casework
Revises: 0008_imports
Create Date: 2026-12-01 21:00:00

Reserved for issue 12; a revision that creates nothing until its part needs tables.
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = "0009_casework"
down_revision: str | None = "0008_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
