"""sessions, log-in throttling

Revision ID: 0010_security
Revises: 0009_casework
Create Date: 2026-12-01 21:00:00

Server-side log-in sessions (log-out, password change and deactivation end them), failed
log-ins per account and per address (throttling and lock-out), and a rate-limit counter shared
by every worker process.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_security"
down_revision: str | None = "0009_casework"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_auth_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
        sa.UniqueConstraint("digest", name=op.f("uq_auth_sessions_digest")),
    )
    op.create_index(op.f("ix_auth_sessions_user_id"), "auth_sessions", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_kind_key_at", "login_failures", ["kind", "key", "at"])
    op.create_table(
        "rate_limit_buckets",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_buckets")),
    )
    _upgrade_audit_and_retention()


def downgrade() -> None:
    _downgrade_audit_and_retention()
    op.drop_table("rate_limit_buckets")
    op.drop_index("ix_login_failures_kind_key_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index(op.f("ix_auth_sessions_user_id"), table_name="auth_sessions")
    op.drop_table("auth_sessions")


# -- tamper-evident audit (issue 9 §1) and retention dates (§8) ------------------------------
# The trigger SQL is a frozen copy of ctip.audit.triggers.tamper_evidence_sql (a migration
# must not change when the code does; tests/audit/test_chain.py checks they are equal).

_SEALS_SQLITE = [
    f"CREATE TRIGGER audit_seals_no_{verb.lower()} BEFORE {verb} ON audit_seals "
    "BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
_SEALS_POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION audit_seals_refuse() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_seals is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals "
    "FOR EACH ROW EXECUTE FUNCTION audit_seals_refuse()",
    "CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit trail cannot be truncated'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()",
    "CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()",
]


def _upgrade_audit_and_retention() -> None:
    op.add_column("audit_log", sa.Column("nonce", sa.String(length=32), nullable=True))
    op.add_column("audit_log", sa.Column("mac", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_seals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prev_id", sa.Integer(), nullable=True),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("first_entry_id", sa.Integer(), nullable=False),
        sa.Column("last_entry_id", sa.Integer(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_seals")),
        sa.UniqueConstraint("prev_id", name=op.f("uq_audit_seals_prev_id")),
    )
    op.create_index(op.f("ix_audit_seals_last_entry_id"), "audit_seals", ["last_entry_id"])
    dialect = op.get_bind().dialect.name
    for statement in _SEALS_SQLITE if dialect == "sqlite" else _SEALS_POSTGRESQL:
        op.execute(statement)
    op.create_table(
        "retention_dates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("set_by", sa.String(length=80), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_dates")),
        sa.UniqueConstraint(
            "entity_type", "entity_id", name=op.f("uq_retention_dates_entity_type")
        ),
    )
    op.create_index(op.f("ix_retention_dates_retain_until"), "retention_dates", ["retain_until"])


def _downgrade_audit_and_retention() -> None:
    op.drop_index(op.f("ix_retention_dates_retain_until"), table_name="retention_dates")
    op.drop_table("retention_dates")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_refuse_truncate() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS audit_seals_refuse() CASCADE")
    op.drop_index(op.f("ix_audit_seals_last_entry_id"), table_name="audit_seals")
    op.drop_table("audit_seals")
    op.drop_column("audit_log", "mac")  # SQLite >= 3.35 drops a column in place
    op.drop_column("audit_log", "nonce")
