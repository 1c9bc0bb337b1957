"""Database triggers that make the audit log append-only on SQLite and PostgreSQL."""

from __future__ import annotations

MESSAGE = "audit_log is append-only"


def append_only_sql(dialect: str) -> list[str]:
    """Statements creating triggers that refuse UPDATE and DELETE on ``audit_log``."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    return [
        "CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
    ]


SEAL_MESSAGE = "audit_seals is append-only"
TRUNCATE_MESSAGE = "the audit trail cannot be truncated"


def tamper_evidence_sql(dialect: str) -> list[str]:
    """Triggers of migration 0010: ``audit_seals`` append-only, and (PostgreSQL) TRUNCATE
    refused on both audit tables. SQLite has no TRUNCATE: its ``DELETE`` triggers refuse it."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER audit_seals_no_{verb.lower()} BEFORE {verb} ON audit_seals "
            f"BEGIN SELECT RAISE(ABORT, '{SEAL_MESSAGE}'); END"
            for verb in ("UPDATE", "DELETE")
        ]
    return [
        "CREATE OR REPLACE FUNCTION audit_seals_refuse() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{SEAL_MESSAGE}'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals "
        "FOR EACH ROW EXECUTE FUNCTION audit_seals_refuse()",
        "CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{TRUNCATE_MESSAGE}'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()",
        "CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()",
    ]


FIXED_COLUMNS = (
    "id, at, actor_id, actor_name, address, action, entity_type, entity_id, detail, nonce, mac"
)


def rewrite_changes_sql(dialect: str) -> list[str]:
    """Triggers of migration 0012: UPDATE refused on every audit column but ``changes``
    (which key rotation re-encrypts; the keyed hash covers its plaintext), DELETE as before."""
    if dialect == "sqlite":
        return [
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE OF {FIXED_COLUMNS} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        ]
    return [
        "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
        f"CREATE TRIGGER audit_log_append_only BEFORE UPDATE OF {FIXED_COLUMNS} OR DELETE "
        "ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse()",
    ]
