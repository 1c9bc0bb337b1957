"""linkage runs, pairwise matches, resolved clusters, analyst decisions

Revision ID: 0004_linkage
Revises: 0003_offers
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_linkage"
down_revision: str | None = "0003_offers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "link_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.Column("n_records", sa.Integer(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_models")),
        sa.UniqueConstraint("version", name=op.f("uq_link_models_version")),
    )
    op.create_table(
        "link_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=True),
        sa.Column("engine", sa.String(length=10), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("n_records", sa.Integer(), nullable=False),
        sa.Column("n_pairs", sa.Integer(), nullable=False),
        sa.Column("n_clusters", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=400), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_runs")),
    )
    with op.batch_alter_table("link_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_runs_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_link_runs_is_current"), ["is_current"], unique=False)

    op.create_table(
        "link_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id_l", sa.Integer(), nullable=False),
        sa.Column("person_id_r", sa.Integer(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["link_runs.id"],
            name=op.f("fk_link_pairs_run_id_link_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_pairs")),
        sa.UniqueConstraint(
            "run_id",
            "person_id_l",
            "person_id_r",
            name=op.f("uq_link_pairs_run_id_person_id_l_person_id_r"),
        ),
    )
    with op.batch_alter_table("link_pairs", schema=None) as batch_op:
        batch_op.create_index("ix_link_pairs_run_r", ["run_id", "person_id_r"], unique=False)

    op.create_table(
        "person_clusters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["link_runs.id"],
            name=op.f("fk_person_clusters_run_id_link_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_clusters")),
        sa.UniqueConstraint(
            "run_id", "person_id", name=op.f("uq_person_clusters_run_id_person_id")
        ),
    )
    with op.batch_alter_table("person_clusters", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_clusters_run_cluster", ["run_id", "cluster_id"], unique=False
        )

    op.create_table(
        "link_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id_l", sa.Integer(), nullable=False),
        sa.Column("person_id_r", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("model_probability", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id_l"],
            ["persons.id"],
            name=op.f("fk_link_decisions_person_id_l_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id_r"],
            ["persons.id"],
            name=op.f("fk_link_decisions_person_id_r_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_link_decisions_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decisions")),
        sa.UniqueConstraint(
            "person_id_l", "person_id_r", name=op.f("uq_link_decisions_person_id_l_person_id_r")
        ),
    )
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_link_decisions_person_id_r"), ["person_id_r"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("link_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_decisions_person_id_r"))
    op.drop_table("link_decisions")
    with op.batch_alter_table("person_clusters", schema=None) as batch_op:
        batch_op.drop_index("ix_person_clusters_run_cluster")
    op.drop_table("person_clusters")
    with op.batch_alter_table("link_pairs", schema=None) as batch_op:
        batch_op.drop_index("ix_link_pairs_run_r")
    op.drop_table("link_pairs")
    with op.batch_alter_table("link_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_runs_is_current"))
        batch_op.drop_index(batch_op.f("ix_link_runs_status"))
    op.drop_table("link_runs")
    op.drop_table("link_models")
