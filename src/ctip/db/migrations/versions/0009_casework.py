"""support plans, case notes, tasks

Revision ID: 0009_casework
Revises: 0008_imports
Create Date: 2026-12-01 21:00:00

A referred victim's support plan (``ctip.support``): services by HTCDS ``spl_Type`` with
follow-ups, case notes shared by consent, and tasks with due dates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_casework"
down_revision: str | None = "0008_imports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "support_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("service_type", sa.String(length=40), nullable=False),
        sa.Column("provider_org_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk("support_services", "case_id", "cases", "CASCADE"),
        _fk("support_services", "person_id", "persons"),
        _fk("support_services", "provider_org_id", "organisations"),
        _fk("support_services", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_services")),
    )
    op.create_index("ix_support_services_case_person", "support_services", ["case_id", "person_id"])
    op.create_table(
        "support_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("followed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk("support_followups", "service_id", "support_services", "CASCADE"),
        _fk("support_followups", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_followups")),
    )
    op.create_index(op.f("ix_support_followups_service_id"), "support_followups", ["service_id"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("author_org_id", sa.Integer(), nullable=True),
        sa.Column("shared_with", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk("case_notes", "case_id", "cases", "CASCADE"),
        _fk("case_notes", "person_id", "persons"),
        _fk("case_notes", "author_org_id", "organisations"),
        _fk("case_notes", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index("ix_case_notes_case_person", "case_notes", ["case_id", "person_id"])
    op.create_table(
        "support_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.LargeBinary(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_stamps(),
        _fk("support_tasks", "case_id", "cases", "CASCADE"),
        _fk("support_tasks", "person_id", "persons"),
        _fk("support_tasks", "org_id", "organisations"),
        _fk("support_tasks", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_tasks")),
    )
    op.create_index("ix_support_tasks_due", "support_tasks", ["done_on", "due_on"])


def downgrade() -> None:
    op.drop_index("ix_support_tasks_due", table_name="support_tasks")
    op.drop_table("support_tasks")
    op.drop_index("ix_case_notes_case_person", table_name="case_notes")
    op.drop_table("case_notes")
    op.drop_index(op.f("ix_support_followups_service_id"), table_name="support_followups")
    op.drop_table("support_followups")
    op.drop_index("ix_support_services_case_person", table_name="support_services")
    op.drop_table("support_services")
