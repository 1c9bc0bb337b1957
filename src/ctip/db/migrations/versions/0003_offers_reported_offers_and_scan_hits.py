"""reported offers and scan hits (offer checker)

Revision ID: 0003_offers
Revises: 0002_screening
Create Date: 2026-11-25 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_offers"
down_revision: str | None = "0002_screening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offer_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("text", sa.LargeBinary(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("risk", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("scan_ref", sa.String(length=200), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_offer_reports_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_reports")),
    )
    with op.batch_alter_table("offer_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_reports_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_reports_risk"), ["risk"], unique=False)
        batch_op.create_index(batch_op.f("ix_offer_reports_status"), ["status"], unique=False)

    op.create_table(
        "offer_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("digest", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["offer_reports.id"],
                                name=op.f("fk_offer_identifiers_report_id_offer_reports"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_identifiers")),
    )
    with op.batch_alter_table("offer_identifiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_identifiers_report_id"), ["report_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_offer_identifiers_digest"), ["digest"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("offer_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_identifiers_digest"))
        batch_op.drop_index(batch_op.f("ix_offer_identifiers_report_id"))
    op.drop_table("offer_identifiers")
    with op.batch_alter_table("offer_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offer_reports_status"))
        batch_op.drop_index(batch_op.f("ix_offer_reports_risk"))
        batch_op.drop_index(batch_op.f("ix_offer_reports_source"))
    op.drop_table("offer_reports")
