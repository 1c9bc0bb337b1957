"""publication releases and privacy budget

Revision ID: 0007_publication
Revises: 0006_stats
Create Date: 2026-12-01 21:00:00

Issue 8 §4-5: releases of public tables (suppressed or differentially private) and the
privacy budget spent per year of data.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_publication"
down_revision: str | None = "0006_stats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publication_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=False),
        sa.Column("k", sa.Integer(), nullable=True),
        sa.Column("epsilon", sa.Float(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("published", sa.Text(), nullable=False),
        sa.Column("internal", sa.Text(), nullable=False),
        sa.Column("cells", sa.Integer(), nullable=False),
        sa.Column("cells_suppressed", sa.Integer(), nullable=False),
        sa.Column("definitions_version", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_publication_releases_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_releases")),
    )
    op.create_index(
        op.f("ix_publication_releases_year"), "publication_releases", ["year"], unique=False
    )
    op.create_table(
        "privacy_budget_years",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("spent", sa.Float(), nullable=False),
        sa.Column("releases", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_privacy_budget_years")),
    )


def downgrade() -> None:
    op.drop_table("privacy_budget_years")
    op.drop_index(op.f("ix_publication_releases_year"), table_name="publication_releases")
    op.drop_table("publication_releases")
