"""network links and alerts

Revision ID: 0005_network
Revises: 0004_linkage
Create Date: 2026-12-01 21:00:00

Alerts raised when a new or edited record meets a person of another case (issue 7 §4).
The network itself is computed from the registry's tables and needs none of its own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_network"
down_revision: str | None = "0004_linkage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "network_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("other_person_id", sa.Integer(), nullable=False),
        sa.Column("other_case_id", sa.Integer(), nullable=True),
        sa.Column("other_role", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("identifier_type", sa.String(length=20), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["users.id"],
                                name=op.f("fk_network_alerts_recipient_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_network_alerts_person_id_persons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name=op.f("fk_network_alerts_case_id_cases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_person_id"], ["persons.id"],
                                name=op.f("fk_network_alerts_other_person_id_persons"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_case_id"], ["cases.id"],
                                name=op.f("fk_network_alerts_other_case_id_cases"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_alerts")),
    )
    with op.batch_alter_table("network_alerts", schema=None) as batch_op:
        batch_op.create_index("ix_network_alerts_recipient_read", ["recipient_id", "read_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_network_alerts_person_id"), ["person_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("network_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_alerts_person_id"))
        batch_op.drop_index("ix_network_alerts_recipient_read")
    op.drop_table("network_alerts")
